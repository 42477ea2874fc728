"""``ae-explorer``: the window with no arguments; a command (``train``, ``evaluate``…) otherwise.

The window must appear at once, so this module imports only Qt and the NumPy parts of the
engine; TensorFlow loads in the background after the window is shown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from explorer.qt_app import leave_now, make_app
from models.cli import COMMANDS as SUBCOMMANDS

__all__ = ["SUBCOMMANDS", "main", "make_app", "run_gui"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ae-explorer`` and ``python -m explorer``; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and (args[0] in SUBCOMMANDS or args[0].startswith("-")):
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
        return (
            f"{arg!r} is neither a command ({', '.join(SUBCOMMANDS)}) nor an existing "
            f"file{hint}"
        )
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
    (exit 134) when there is no display, so ask before creating the application."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set). Run it on a desktop, "
        f"or use the command line: ae-explorer {' | '.join(SUBCOMMANDS)}"
    )


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
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from explorer.main_window import MainWindow

    app = make_app()
    window = MainWindow()
    fit_to_screen(window)
    window.show()
    for path in files:
        window.open_file(path)
    status = int(app.exec())  # type: ignore[attr-defined]
    # closeEvent stopped training and awaited every worker. A TensorFlow import still
    # running (the window was closed at start-up) is not waited for: see leave_now.
    if not window.tf_loader.wait(0):
        leave_now(status)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
