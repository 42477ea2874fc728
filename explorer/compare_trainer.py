"""Reproduce the Compare view's models: train them one after another in the training worker.

Each run is a :class:`~explorer.workers.TrainingWorker` (the same worker the Training tab
uses, so the same engine :class:`~models.runs.Run`, thread pool, priority and stop within
one batch), started when the previous one has finished. The Run trains in its own folder
of the sessions folder and commits the finished model there (not continuable: a stopped
one leaves nothing), so "Load run…" finds it again later. The session's slots are not
touched: the Latent map tab keeps its own model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from explorer.compare_models import entry_from_model
from explorer.i18n import arg
from explorer.session import Points
from explorer.workers import TrainingWorker
from models.data.dataset import Dataset
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig


class ComparisonTrainer(QObject):
    """Trains ``runs`` ((name, title, config) each) in sequence; reports as it goes."""

    progress = Signal(str, float)
    """(what is happening, fraction of all runs done)."""
    model_done = Signal(str, object)
    """(name, CompareEntry) when a run has finished."""
    finished = Signal(str)
    """"" when all runs are done, else why it stopped."""

    def __init__(
        self,
        runs: list[tuple[str, str, TrainConfig]],
        data: Dataset | None = None,
        out_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runs = list(runs)
        self.data = data
        self.out_dir = out_dir
        self.index = -1
        self.worker: TrainingWorker | None = None
        self.stopped = False
        self._points: Points | None = None

    @property
    def running(self) -> bool:
        return self.worker is not None

    def start(self) -> None:
        self.index = -1
        self.stopped = False
        self._next()

    def stop(self) -> None:
        self.stopped = True
        if self.worker is not None:
            self.worker.request_stop()

    def _next(self) -> None:
        self.index += 1
        if self.index >= len(self.runs):
            self.worker = None
            count = len(self.runs)
            self.progress.emit(self.tr("Trained all %n models.", "", count), 1.0)
            self.finished.emit("")
            return
        name, title, config = self.runs[self.index]
        save_to = None if self.out_dir is None else self.out_dir / name
        worker = TrainingWorker(
            config, self.data, report_every=5, folder=save_to, continuable=False
        )
        worker.batch.connect(self._on_batch)
        worker.epoch.connect(self._on_epoch)
        worker.signals.finished.connect(self._on_finished)
        self.worker = worker
        self._points = None
        self.progress.emit(self._what(title, self.tr("starting…")), self.index / len(self.runs))
        worker.start()

    def _what(self, title: str, rest: str) -> str:
        text = self.tr("%1 (%2 of %3): %4")
        return arg(text, title, self.index + 1, len(self.runs), rest)

    def _on_batch(self, progress: BatchProgress) -> None:
        title = self.runs[self.index][1]
        fraction = (self.index + progress.run_fraction) / len(self.runs)
        epoch = arg(self.tr("epoch %1 of %2"), progress.epoch + 1, progress.epochs)
        text = self._what(title, epoch)
        self.progress.emit(text, fraction)

    def _on_epoch(self, result: EpochResult) -> None:
        snap = result.snapshot
        if snap is not None and snap.val_z_mean is not None:
            self._points = Points(snap.val_z_mean, snap.val_labels)

    def _on_finished(self) -> None:
        worker = self.worker
        if worker is None:
            return
        self.worker = None
        outcome = worker.outcome
        name, title, _config = self.runs[self.index]
        stopped = self.stopped or outcome.stopped  # Stop here, or the window closing
        if outcome.error or outcome.model is None or stopped:
            why = outcome.error or (
                self.tr("stopped") if stopped else self.tr("nothing was trained")
            )
            self.progress.emit(self._what(title, why), self.index / len(self.runs))
            self.finished.emit(f"{title}: {why}")
            return
        try:
            saved = outcome.folder if outcome.committed else None
            entry: Any = entry_from_model(outcome.model, title, saved, self._points)
        except Exception as exc:
            self.finished.emit(f"{title}: {exc}")
            return
        self.model_done.emit(name, entry)
        self._next()


__all__ = ["ComparisonTrainer"]
