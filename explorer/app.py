"""``ae-explorer``: the window with no arguments; ``train | evaluate | bench`` otherwise.

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

from explorer.qt_app import make_app

__all__ = ["main", "make_app", "run_gui"]
SUBCOMMANDS = ("train", "evaluate", "bench")


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
        "or use the command line: ae-explorer train | evaluate | bench"
    )


def run_gui(files: Sequence[str] = ()) -> int:
    """Open the window (and any files named on the command line) and run the event loop."""
    reason = no_display_reason()
    if reason is not None:
        print(f"ae-explorer: error: {reason}", file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from PySide6.QtCore import QThreadPool

    from explorer.main_window import MainWindow

    app = make_app()
    window = MainWindow()
    fit_to_screen(window)
    window.show()
    for path in files:
        window.open_file(path)
    status = int(app.exec())  # type: ignore[attr-defined]
    # closeEvent stopped training; let background tasks (and a TensorFlow import that
    # is still running) finish before the interpreter goes away.
    QThreadPool.globalInstance().waitForDone(30_000)
    window.tf_loader.wait(30)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
