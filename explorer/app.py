"""``ae-explorer``: the window with no arguments; ``train | evaluate | bench`` otherwise.

The window must appear at once, so this module imports only Qt and the NumPy parts of the
engine; TensorFlow loads in the background after the window is shown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import partial
from typing import Any

SUBCOMMANDS = ("train", "evaluate", "bench")
GIL_SWITCH_INTERVAL_S = 1e-4
"""How soon a thread waiting for the GIL gets it from a busy one (Python's default: 5 ms).

While the worker trains, the GUI thread re-takes the GIL at every turn of the event loop
and for every Python paint method; at 5 ms a wait, one repaint of the curves could stall
for 100 ms or more. At 0.1 ms the worst gap measured here fell from ~110 to ~65 ms, and
training was no slower (the worker spends its time in TensorFlow, without the GIL)."""
STYLE = "styles/explorer.qss"
"""The style sheet, inside the ``resources`` package."""


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
    return run_gui(args)


def make_app() -> object:
    """The one QApplication, styled for a projector (created if needed)."""
    from PySide6.QtWidgets import QApplication

    from explorer.widgets.common import app_font, configure_pyqtgraph, resource

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Autoencoder Explorer")
    app.setApplicationDisplayName("Autoencoder Explorer")
    app.setOrganizationName("autoencoder-explorer")
    app.setFont(app_font())
    style = resource(STYLE)
    if style is not None:
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    configure_pyqtgraph()
    return app


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


def leave_now(status: int) -> None:
    """End the process at once, without tearing the interpreter down.

    Closing the window during "Loading TensorFlow…" used to wait ~9 s for an import nobody
    needs; and finalizing Python under a thread that is inside TensorFlow's import can
    crash. So: flush what was written, and ``os._exit``.
    """
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
