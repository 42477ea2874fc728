"""The one QApplication, styled for a projector.

Apart from ``explorer.app`` so that the start-up bench (``explorer.responsiveness``), which
``explorer.app`` runs for ``ae-explorer bench``, can make it without importing ``app`` back.
"""

from __future__ import annotations

import os
import sys

from models.paths import resource_path

GIL_SWITCH_INTERVAL_S = 1e-4
"""How soon a thread waiting for the GIL gets it from a busy one (Python's default: 5 ms).

While the worker trains, the GUI thread re-takes the GIL at every turn of the event loop
and for every Python paint method; at 5 ms a wait, one repaint of the curves could stall
for 100 ms or more. At 0.1 ms the worst gap measured here fell from ~110 to ~65 ms, and
training was no slower (the worker spends its time in TensorFlow, without the GIL)."""
STYLE = resource_path("styles", "explorer.qss")


def make_app() -> object:
    """The one QApplication, styled for a projector (created if needed)."""
    from PySide6.QtWidgets import QApplication

    from explorer.gui_gc import collect_on_gui_thread
    from explorer.widgets.common import app_font, configure_pyqtgraph
    from explorer.widgets.wheel_guard import install_wheel_guard

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Autoencoder Explorer")
    app.setApplicationDisplayName("Autoencoder Explorer")
    app.setOrganizationName("autoencoder-explorer")
    app.setFont(app_font())
    from explorer import i18n

    i18n.install_once(app)  # before any window: texts are translated when they are set
    if STYLE.is_file():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))
    configure_pyqtgraph()
    collect_on_gui_thread()  # never a Qt destructor on the training worker
    install_wheel_guard(app)  # the wheel scrolls the page, not the box under the pointer
    return app


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
