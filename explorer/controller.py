"""The controller: owns the models and the training worker; the window only shows things.

It takes a frozen :class:`~models.nets.config.TrainConfig` (the training tab copies its widgets
into one when Start is pressed), runs it in a :class:`~explorer.workers.TrainingWorker`, and
re-emits the worker's plain messages on the GUI thread. When a run ends, its model becomes
the current model of its kind.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from explorer.widgets.common import session_dir
from explorer.workers import DataInfo, TrainingOutcome, TrainingWorker
from models.data.dataset import Dataset
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT_S = 10.0


class TrainingController(QObject):
    """Start / pause / stop training; keep the current model of each kind."""

    started = Signal(object)
    """The TrainConfig of the run that began."""
    status = Signal(str)
    data_ready = Signal(object)
    """DataInfo once the run's data has loaded."""
    batch = Signal(object)
    epoch = Signal(object)
    finished = Signal(object)
    """TrainingOutcome when a run has ended (normally, stopped, or with an error)."""
    paused_changed = Signal(bool)
    model_changed = Signal(str, object)
    """(kind, TrainedModel) when a model becomes current for its tabs."""

    def __init__(self, parent: QObject | None = None, report_every: int = 5) -> None:
        super().__init__(parent)
        self.report_every = report_every
        self.worker: TrainingWorker | None = None
        self.models: dict[str, Any] = {}
        """Current TrainedModel per kind (shipped, loaded or trained)."""
        self.last_outcome: TrainingOutcome | None = None
        self.last_epoch: EpochResult | None = None
        self.batches_received = 0
        self._closing = False

    # -- state ---------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self.worker is not None

    @property
    def is_paused(self) -> bool:
        return self.worker is not None and self.worker.paused

    @property
    def config(self) -> TrainConfig | None:
        return None if self.worker is None else self.worker.config

    # -- commands ------------------------------------------------------------------------------
    def start(
        self, config: TrainConfig, data: Dataset | None = None, *, continue_from: Any = None
    ) -> TrainingWorker:
        """Train ``config`` in a worker; ``data`` skips loading ``config.data``.

        Raises RuntimeError if a run is already going (the Start button is disabled then).
        """
        if self.worker is not None:
            raise RuntimeError("a training run is already in progress")
        worker = TrainingWorker(config, data, initial=continue_from, report_every=self.report_every)
        worker.status.connect(self._on_status)
        worker.data_ready.connect(self._on_data_ready)
        worker.batch.connect(self._on_batch)
        worker.epoch.connect(self._on_epoch)
        worker.signals.finished.connect(self._on_finished)
        self.worker = worker
        self.last_epoch = None
        self.batches_received = 0
        self.started.emit(config)
        worker.start()
        return worker

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.request_stop()
            self.paused_changed.emit(False)

    def pause(self) -> None:
        if self.worker is not None and not self.worker.paused:
            self.worker.pause()
            self.paused_changed.emit(True)

    def resume(self) -> None:
        if self.worker is not None and self.worker.paused:
            self.worker.resume()
            self.paused_changed.emit(False)

    def toggle_pause(self) -> None:
        if self.is_paused:
            self.resume()
        else:
            self.pause()

    def set_model(self, model: Any) -> None:
        """Make a loaded or trained model current for its kind's tabs."""
        self.models[model.kind] = model
        self.model_changed.emit(model.kind, model)

    def shutdown(self, timeout_s: float = SHUTDOWN_TIMEOUT_S) -> Path | None:
        """Stop any run, wait up to ``timeout_s``, and keep what it trained.

        For closing the window: queued messages will not be delivered any more, so this
        reads the worker's outcome directly. Returns the session folder the model was saved
        to, or None (nothing trained yet, or the worker did not stop in time).
        """
        self._closing = True
        worker = self.worker
        if worker is None:
            return None
        worker.quit()
        if not worker.done.wait(timeout_s):
            log.warning("training did not stop within %.0f s; its progress is lost", timeout_s)
            self.status.emit(f"Training did not stop within {timeout_s:.0f} s")
            return None
        # work() has returned; let the pool thread finish its last few instructions.
        QThreadPool.globalInstance().waitForDone(int(timeout_s * 1000))
        self.worker = None
        outcome = worker.outcome
        self.last_outcome = outcome
        return self.save_session(outcome)

    def save_session(self, outcome: TrainingOutcome) -> Path | None:
        """Save a run's model under the cache's sessions folder (if it trained at all)."""
        if outcome.model is None or (outcome.batches_done == 0 and not outcome.model.history):
            return None
        directory = session_dir(outcome.config.model)
        try:
            outcome.model.save(directory, preview=outcome.val_data)
        except Exception as exc:  # saving is a courtesy on exit; report, never crash
            log.error("could not save the session model to %s: %s", directory, exc)
            self.status.emit(f"Could not save the trained model: {exc}")
            return None
        log.warning("training interrupted; the model trained so far was saved to %s", directory)
        self.status.emit(f"Saved the model trained so far to {directory}")
        return directory

    # -- worker messages (GUI thread) ----------------------------------------------------------
    def _on_status(self, text: str) -> None:
        if not self._closing:
            self.status.emit(text)

    def _on_data_ready(self, info: DataInfo) -> None:
        if not self._closing:
            self.data_ready.emit(info)

    def _on_batch(self, progress: BatchProgress) -> None:
        if not self._closing:
            self.batches_received += 1
            self.batch.emit(progress)

    def _on_epoch(self, result: EpochResult) -> None:
        if not self._closing:
            self.last_epoch = result
            self.epoch.emit(result)

    def _on_finished(self) -> None:
        worker = self.worker
        if self._closing or worker is None:
            return
        self.worker = None
        outcome = worker.outcome
        self.last_outcome = outcome
        if outcome.model is not None and (outcome.model.history or outcome.batches_done):
            self.models[outcome.model.kind] = outcome.model
        self.finished.emit(outcome)
        model = outcome.model
        if model is not None and self.models.get(model.kind) is model:
            self.model_changed.emit(model.kind, model)
