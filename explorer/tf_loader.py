"""Import TensorFlow in the background so the window appears at once.

Importing TensorFlow takes about 5 s on the reference machine; the window shows shipped
results from NumPy files meanwhile and says "Loading TensorFlow…" in its status bar. This
uses a plain Python thread (an import is one blocking call with nothing to interrupt), which
signals the GUI thread through a queued signal when done.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal


def tensorflow_imported() -> bool:
    return "tensorflow" in sys.modules and "keras" in sys.modules


def load_tensorflow() -> None:
    """Import Keras/TensorFlow, warm them up and freeze their objects (blocking): what the
    loader's thread does, and the responsiveness bench before it measures."""
    from models.nets.backend import keras_module

    keras_module()
    import tensorflow  # noqa: F401

    from explorer.gui_gc import freeze_long_lived
    from models.training.warmup import warm_up

    warm_up()  # TensorFlow's first-graph stall happens here, not mid-training
    freeze_long_lived()  # the GUI thread's collections skip TensorFlow's objects


class TensorFlowLoader(QObject):
    """``start()`` imports Keras/TensorFlow in a thread; ``ready`` or ``failed(message)`` follow."""

    ready = Signal()
    failed = Signal(str)
    _done = Signal(float)
    _error = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._ready = False
        self.seconds = 0.0
        """How long the import took (0 when TensorFlow was already imported)."""
        self._done.connect(self._on_done)
        self._error.connect(self._on_error)

    @property
    def is_ready(self) -> bool:
        return self._ready

    def start(self) -> None:
        """Begin the import (once). If TensorFlow is already loaded, ``ready`` comes next turn."""
        if self._ready or self._thread is not None:
            return
        from models.training.warmup import warmed_up

        if tensorflow_imported() and (warmed_up() or os.environ.get("AE_EXPLORER_WARMUP") == "0"):
            QTimer.singleShot(0, self._already)
            return
        # A daemon: closing the window must not wait seconds for an import nobody needs
        # any more. ``explorer.app`` ends a process whose import is still running with
        # os._exit, so the interpreter is never torn down under TensorFlow's feet.
        self._thread = threading.Thread(target=self._run, name="tensorflow-import", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the import thread ends (for shutdown and tests); True if it has."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _already(self) -> None:
        self._on_done(0.0)

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            load_tensorflow()
        except Exception as exc:  # a broken install must not kill the app: report it
            text = QCoreApplication.translate(
                "TensorFlowLoader", "TensorFlow could not be loaded: %1"
            )
            self._error.emit(text.replace("%1", str(exc), 1))
            return
        self._done.emit(time.perf_counter() - start)

    def _on_done(self, seconds: float) -> None:
        if self._ready:
            return
        self._ready = True
        self.seconds = seconds
        self.ready.emit()

    def _on_error(self, message: str) -> None:
        self.failed.emit(message)
