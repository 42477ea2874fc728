"""``ae-explorer``: the window with no arguments; a command (``train``, ``evaluate``…) otherwise.

The window must appear at once, so this module imports only Qt and the NumPy parts of the
engine; TensorFlow loads in the background after the window is shown.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from explorer.display import display_problem
from explorer.qt_app import leave_now, make_app
from models.cli import COMMANDS as SUBCOMMANDS
from models.cli.signals import TERMINATED_STATUS, deferred, exit_status, handle_sigterm

__all__ = ["SUBCOMMANDS", "main", "make_app", "run_gui"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ae-explorer`` and ``python -m explorer``; returns the exit status.

    Ctrl+C (or SIGTERM) is one line from the first instant, while the command line or the
    window is still being imported (seconds), not a KeyboardInterrupt traceback."""
    restore = handle_sigterm()
    try:
        return _main(argv)
    except KeyboardInterrupt as interrupt:
        what, status = exit_status(interrupt)
        print(f"ae-explorer: {what}", file=sys.stderr)
        return status
    finally:
        restore()


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and (args[0] in SUBCOMMANDS or args[0].startswith("-")):
        with deferred():  # Ctrl+C or SIGTERM while importing: raised after it
            from models.cli.main import main as cli_main

        extra = []
        if args[0] == "bench":
            from explorer.responsiveness import bench_ui

            extra.append(partial(bench_ui, quick="--quick" in args))
        return cli_main(args, extra_bench=extra)
    problem = not_openable(args)
    if problem is not None:  # a typo must not open (or, headless, hang in) a window
        print(f"ae-explorer: error: {problem}", file=sys.stderr)
        return 2
    return run_gui(args)


def not_openable(args: Sequence[str]) -> str | None:
    """Why the window cannot open ``args`` (each must be an existing file), or None."""
    import difflib

    for arg in args:
        path = Path(arg).expanduser()
        if path.is_file():
            continue
        if path.exists():
            return f"{arg}: not a file (the window opens data files; see ae-explorer --help)"
        close = difflib.get_close_matches(arg, SUBCOMMANDS, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{arg!r} is neither a command ({', '.join(SUBCOMMANDS)}) nor an existing file{hint}"
    return None


def fit_to_screen(window: Any) -> None:
    """Keep the default size on big screens; fill a small one (a 1280x800 projector)."""
    screen = window.screen()
    if screen is None:
        return
    avail = screen.availableGeometry()
    if window.width() > avail.width() or window.height() > avail.height():
        window.resize(min(window.width(), avail.width()), min(window.height(), avail.height()))
        window.move(avail.topLeft())


def no_display_reason() -> str | None:
    """Why Qt could not open a window here, or None. Qt itself aborts the process
    (exit 134, pages of text) when it reaches no display, or has no such platform plugin,
    so ask before creating the application (explorer.display: socket probes, no Qt)."""
    if not sys.platform.startswith("linux"):
        return None
    use_cli = f"or use the command line: ae-explorer {' | '.join(SUBCOMMANDS)}"
    unset = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if unset and not os.environ.get("QT_QPA_PLATFORM"):
        return (
            "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set). Run it on a "
            f"desktop, {use_cli}"
        )
    problem = display_problem()
    return None if problem is None else f"{problem}. Run it on a desktop, {use_cli}"


XCB_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
"""Libraries Qt's X11 (xcb) platform plugin loads, and the Debian/Ubuntu package of each."""


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, found without importing Qt."""
    from importlib.util import find_spec

    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(library: Path) -> list[str]:
    """The shared libraries ``library`` needs that the dynamic linker cannot find (``ldd``);
    empty when all are there or when ``ldd`` cannot tell."""
    import subprocess

    try:
        result = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    missing = []
    for line in result.stdout.splitlines():
        name, _, where = line.strip().partition(" => ")
        if where.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def missing_xcb_reason() -> str | None:
    """Why Qt's X11 platform would fail to start here, or None. Qt prints pages about
    "could not load the Qt platform plugin xcb" and aborts; one line naming the missing
    packages helps more. Checked only where Qt would pick xcb (X11, no platform chosen)."""
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform not in ("", "xcb") or (not platform and os.environ.get("WAYLAND_DISPLAY")):
        return None
    plugin = xcb_plugin()
    missing = missing_libraries(plugin) if plugin is not None else []
    if not missing:
        return None
    packages = [XCB_PACKAGES.get(name, name) for name in missing]
    return (
        f"Qt's X11 platform plugin needs libraries this system lacks ({', '.join(missing)}). "
        f"Install them (Debian/Ubuntu: sudo apt install {' '.join(packages)}), "
        f"or use the command line: ae-explorer {' | '.join(SUBCOMMANDS)}"
    )


def run_gui(files: Sequence[str] = ()) -> int:
    """Open the window (and any files named on the command line) and run the event loop."""
    reason = no_display_reason() or missing_xcb_reason()
    if reason is not None:
        print(f"ae-explorer: error: {reason}", file=sys.stderr)
        return 2
    with deferred():  # Ctrl+C or SIGTERM while Qt imports: raised after it (abort else)
        from explorer.main_window import MainWindow

    keep_python_stderr()
    sigterm = SigtermCloses()
    with deferred(signal.SIGINT):  # (SIGTERM: noted by sigterm, closes the window once built)
        app = make_app()
        window = MainWindow()
    sigterm.attach(window)
    fit_to_screen(window)
    window.show()
    for path in files:
        window.open_file(path)
    status = int(app.exec())  # type: ignore[attr-defined]
    sigterm.detach()
    if sigterm.terminated:  # closed (and saved) as by its close button; say why, in one line
        if window.saved_session is None:  # (else the window named where it saved)
            print("ae-explorer: terminated", file=sys.stderr)
        status = TERMINATED_STATUS
    # closeEvent stopped training and awaited every worker. A TensorFlow import still
    # running (the window was closed at start-up) is not waited for: see leave_now.
    if not window.tf_loader.wait(0):
        leave_now(status)
    return status


def keep_python_stderr() -> None:
    """Point ``sys.stderr`` at a copy of file descriptor 2: while TensorFlow imports in the
    background, ``models.nets.backend`` points fd 2 at /dev/null to hide its C++ notices,
    and a line the window prints meanwhile ("terminated", where a run was saved) would be
    lost with them."""
    try:
        fd = os.dup(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):  # no real stderr (captured, closed)
        return
    sys.stderr = open(  # noqa: SIM115 (the process's stderr from now on)
        fd, "w", buffering=1, encoding=sys.stderr.encoding, errors="backslashreplace"
    )


class SigtermCloses:
    """SIGTERM (systemd, a logout, ``kill``) closes the window as its close button does, so
    that a run in training is stopped and saved.

    Made before the window: a SIGTERM while it is being built is only noted (an exception
    raised inside one of PySide's Python overrides would be printed and lost), and the
    window closes as soon as :meth:`attach` has it. Python runs a signal handler only when
    the interpreter gets control, which the Qt event loop may not give it for a long time:
    the signal's byte on a socket pair (``signal.set_wakeup_fd``) wakes a QSocketNotifier,
    whose slot closes the window."""

    def __init__(self) -> None:
        import socket

        self.terminated = False
        self._window: Any = None
        self._notifier: Any = None
        self._receive, self._send = socket.socketpair()
        self._receive.setblocking(False)
        self._send.setblocking(False)
        try:
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.set_wakeup_fd(self._send.fileno(), warn_on_full_buffer=False)
            self.installed = True
        except ValueError:  # not the main thread (a test's window): nothing to install
            self.installed = False

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.terminated = True  # the close itself runs in the event loop (_wake)

    def attach(self, window: Any) -> None:
        """Close ``window`` on SIGTERM (at once, if one came while it was being built)."""
        if not self.installed:
            return
        from PySide6.QtCore import QSocketNotifier, QTimer

        self._window = window
        self._notifier = QSocketNotifier(self._receive.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._wake)
        if self.terminated:
            QTimer.singleShot(0, window.close)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # (the bytes only woke the loop)
            self._receive.recv(64)
        if self.terminated and self._window is not None:
            self._window.close()

    def detach(self) -> None:
        """Stop waking the event loop (the caller puts the SIGTERM handler back)."""
        if self.installed:
            signal.set_wakeup_fd(-1)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        self._receive.close()
        self._send.close()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
