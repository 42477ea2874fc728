"""The controller: runs training and background tasks, and writes what they give to the session.

It takes a frozen :class:`~models.nets.config.TrainConfig` (the training tab copies its widgets
into one when Start is pressed), runs it in a :class:`~explorer.workers.TrainingWorker`, and
forwards the worker's plain messages (batches, epochs, the outcome) on the GUI thread: the
one bridge from the worker to the window. Everything else is state in the
:class:`~explorer.session.Session`, which panels follow: each model in its slot (shipped,
opened, loaded, trained, side by side), and the run's phase (``Session.run``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from superqt.utils import WorkerBase

from explorer import i18n
from explorer.engine_words import engine_text
from explorer.session import (
    DataDescription,
    Origin,
    Points,
    ResumableRun,
    RunPhase,
    RunState,
    Session,
    Slot,
    clear_interrupted,
    encode_points,
    find_resumable,
    fit_images,
    new_session_dir,
    read_preview,
    read_saved_points,
    resumable_run,
    shipped_parts,
)
from explorer.tf_loader import TensorFlowLoader
from explorer.workers import DataInfo, TaskPool, TrainingOutcome, TrainingWorker
from models.data.dataset import Dataset
from models.errors import ExplorerError
from models.inference.timeline import TIMELINE_FILE, Frame, Timeline
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT_S = 10.0


class TrainingController(QObject):
    """Start / pause / stop training, open files, load weights; keep the session current."""

    started = Signal(object)
    """The TrainConfig of the run that began."""
    status = Signal(str)
    data_ready = Signal(object)
    """DataInfo once the run's data has loaded."""
    batch = Signal(object)
    epoch = Signal(object)
    finished = Signal(object)
    """TrainingOutcome when a run has ended (normally, stopped, or with an error)."""
    opened = Signal(str, object)
    """(SPEC, Dataset) when a data file has been read."""
    error = Signal(str, str)
    """(title, one-line message) for the window to show."""
    note = Signal(str)
    """Something worth a line in the status bar, not a dialog."""

    def __init__(
        self,
        parent: QObject | None = None,
        report_every: int = 5,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.report_every = report_every
        self.session = session or Session()
        self.tf_loader = TensorFlowLoader(self)
        self.tf_loader.ready.connect(self._on_tf_ready)
        self.worker: TrainingWorker | None = None
        self.opened_data: dict[str, Dataset] = {}
        """Datasets the user opened, by SPEC, reused when training on them."""
        self.last_outcome: TrainingOutcome | None = None
        self.last_epoch: EpochResult | None = None
        self.last_batch: BatchProgress | None = None
        self.batches_received = 0
        self._tasks = TaskPool(self, self._on_task_done, self._on_task_failed)
        self._closing = False
        self.run_slot: Slot | None = None
        """The slot the current (or last) run trains into."""
        self._previous_timeline: Timeline | None = None
        self.other_run: str | None = None
        """What else trains now, outside this controller (the Compare tab), or None."""

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

    @property
    def busy(self) -> bool:
        """True while any background task (file, weights, shipped model, points) runs."""
        return self._tasks.busy

    def model(self, kind: str) -> Any:
        """The current TensorFlow model of ``kind`` (trained, loaded or shipped), or None."""
        return self.session.slot(kind).model

    # -- training ------------------------------------------------------------------------------
    def start(
        self,
        config: TrainConfig,
        data: Dataset | None = None,
        *,
        max_per_category: int | None = None,
        folder: Path | None = None,
        resume: bool = False,
    ) -> TrainingWorker:
        """Train ``config`` in a worker; ``data`` skips loading ``config.data`` (an opened
        file's Dataset is used when ``config.data`` names one).

        The run checkpoints every epoch into ``folder`` (a fresh session folder unless
        given), under that folder's lock; ``resume`` continues the run saved there
        (:meth:`continue_run`). Raises RuntimeError if a run is already going (the Start
        button is disabled then).
        """
        if self.worker is not None:
            raise RuntimeError("a training run is already in progress")
        if data is None:
            data = self.opened_data.get(config.resolved_data)
        if folder is None:
            folder = new_session_dir(config.model)
        worker = TrainingWorker(
            config,
            data,
            report_every=self.report_every,
            folder=folder,
            resume=resume,
            max_per_category=max_per_category,
        )
        worker.status.connect(self._on_status)
        worker.data_ready.connect(self._on_data_ready)
        worker.batch.connect(self._on_batch)
        worker.frame.connect(self._on_frame)
        worker.resumed.connect(self._on_resumed)
        worker.epoch.connect(self._on_epoch)
        worker.signals.finished.connect(self._on_finished)
        self.worker = worker
        self.last_epoch = None
        self.batches_received = 0
        slot = self.session.slot_for_config(config)
        self.run_slot = slot
        self._previous_timeline = slot.timeline
        slot.set_training(True)
        # A continued run's timeline so far comes from the worker (``resumed``), which
        # reads it off the GUI thread.
        slot.set_timeline(Timeline())
        self.session.set_run(
            RunState(RunPhase.TRAINING, slot.id, 0, config.epochs, config.spec.display_name)
        )
        self.started.emit(config)
        worker.start()
        return worker

    def resumable(self, kind: str) -> ResumableRun | None:
        """The newest stopped, closed or crashed run of ``kind`` that can be continued."""
        if self.worker is not None:
            return None
        return find_resumable(kind)

    def continue_run(
        self, run: ResumableRun | Path, data: Dataset | None = None
    ) -> TrainingWorker | None:
        """Continue a run from its newest checkpoint, in its own folder, to its own total
        epochs (the saved settings, not the widgets'); ``error`` says why if it cannot."""
        found = resumable_run(run) if isinstance(run, Path) else run
        if found is None:
            self.error.emit(
                self.tr("Continue training"), i18n.arg(self.tr("%1: no run there to continue"), run)
            )
            return None
        try:
            config = TrainConfig.from_dict(found.config)
        except (ValueError, TypeError) as exc:
            self.error.emit(self.tr("Continue training"), f"{found.folder}: {exc}")
            return None
        clear_interrupted(found.folder)  # answered: no more offers at launch
        worker = self.start(config, data, folder=found.folder, resume=True)
        self.session.set_run(epoch=found.epochs_done)
        return worker

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.request_stop()
            self.session.set_run(phase=RunPhase.STOPPING)

    def pause(self) -> None:
        if self.worker is not None and not self.worker.paused:
            self.worker.pause()
            self.session.set_run(phase=RunPhase.PAUSED)

    def resume(self) -> None:
        if self.worker is not None and self.worker.paused:
            self.worker.resume()
            if self.session.run.phase is RunPhase.PAUSED:
                self.session.set_run(phase=RunPhase.TRAINING)

    def toggle_pause(self) -> None:
        if self.is_paused:
            self.resume()
        else:
            self.pause()

    # -- models in the slots -------------------------------------------------------------------
    def set_model(
        self,
        model: Any,
        origin: Origin = Origin.LOADED,
        path: Path | None = None,
        points: Points | None = None,
    ) -> None:
        """Make a model current in its slot (loaded, trained, or the shipped one); the
        other slots keep theirs (a sketch CVAE goes beside the digit CVAE)."""
        slot = self.session.slot_for_model(model)
        keep = origin is Origin.TRAINED or (origin is Origin.SHIPPED and slot.model is None)
        data = None
        if origin is Origin.LOADED and path is not None:
            preview = read_preview(path if path.is_dir() else path.parent, slot.spec)
            data = preview["data"] if preview is not None else None
        slot.set_model(model, origin, path=path, points=points, data=data, keep_points=keep)
        if slot.spec.has_map and slot.points is None and slot.codec is not None:
            self._encode_points(slot)

    def show_shipped(self, kinds: list[str] | None = None) -> list[str]:
        """Put the shipped models' NumPy parts in their slots; returns the kinds missing."""
        missing = []
        for slot in self.session:
            if kinds is not None and slot.kind not in kinds:
                continue
            if slot.place.optional:
                continue  # shown when chosen in the Model menu (:meth:`load_shipped`)
            parts = shipped_parts(slot.spec, slot.shipped_name)
            if parts is None:
                slot.set_shipped()
                missing.append(slot.spec.short_name)
                continue
            slot.set_shipped(**parts)
            if slot.spec.has_map and slot.points is None:
                self._encode_points(slot)
        return missing

    def load_shipped(self, slot_id: str) -> None:
        """Show the shipped model of a slot (the Model menu): its NumPy parts at once, its
        Keras model in the background when TensorFlow is needed and loaded."""
        slot = self.session.slot(slot_id)
        title = i18n.kind_label(slot.title)
        if slot.training:
            text = self.tr("The %1 is training; stop the run first.")
            self.error.emit(self.tr("Open shipped model"), i18n.arg(text, title))
            return
        parts = shipped_parts(slot.spec, slot.shipped_name)
        if parts is None:
            text = self.tr("No shipped %1 was found.")
            self.error.emit(self.tr("Open shipped model"), i18n.arg(text, title))
            return
        slot.set_shipped(**parts)
        if slot.spec.has_map and slot.points is None and slot.codec is not None:
            self._encode_points(slot)
        self.note.emit(i18n.arg(self.tr("Showing the shipped %1"), title))
        if self.tf_loader.is_ready:
            self._load_shipped_models()

    def revert_to_shipped(self, kind: str) -> None:
        """ "Revert to shipped model": the NumPy parts at once, the Keras model if it is needed."""
        slot = self.session.slot(kind)
        name = i18n.kind_label(slot.spec.short_name)
        if slot.training:
            text = self.tr("The %1 is training; stop the run first.")
            self.error.emit(self.tr("Revert to shipped model"), i18n.arg(text, name))
            return
        missing = self.show_shipped([kind])
        if missing:
            text = self.tr("No shipped %1 was found.")
            self.error.emit(self.tr("Revert to shipped model"), i18n.arg(text, name))
            return
        self.note.emit(i18n.arg(self.tr("%1: back to the shipped model"), name))
        if self.tf_loader.is_ready:
            self._load_shipped_models()

    def _on_tf_ready(self) -> None:
        self._load_shipped_models()

    def _load_shipped_models(self) -> None:
        """Kinds the window cannot run in NumPy get their shipped Keras model once TF is here."""
        from models.inference.shipped import shipped_dir
        from models.nets.trained import CONFIG_FILE

        for slot in self.session:
            if slot.spec.numpy_codec or slot.origin is not Origin.SHIPPED or slot.model is not None:
                continue
            if (shipped_dir(slot.shipped_name) / CONFIG_FILE).is_file():
                self._tasks.run(("shipped", slot.id), _ShippedLoader(slot.shipped_name))

    def _encode_points(self, slot: Slot) -> None:
        codec, spec = slot.codec, slot.spec
        self._tasks.run(("points", slot.id, codec), lambda: encode_points(codec, spec))

    # -- files ---------------------------------------------------------------------------------
    def open_spec(self, spec: str) -> None:
        """Read a data SPEC in the background; ``opened`` or ``error`` follow."""
        from models.data.specs import load_dataset

        self._tasks.run(("open", spec), lambda: load_dataset(spec))

    def load_weights(self, path: str | Path) -> None:
        """Load a model folder, weights file or .keras file in the background."""
        from models.nets.trained import TrainedModel

        target = Path(path)

        def load() -> tuple[Any, Points | None, Timeline | None]:
            folder = target if target.is_dir() else target.parent
            return TrainedModel.load(target), read_saved_points(folder), read_timeline(folder)

        self._tasks.run(("weights", target), load)

    def save_weights(self, kind: str, directory: str | Path) -> Path:
        """Save the current model of the slot ``kind`` (with its preview) into ``directory``."""
        model = self.model(kind)
        preview = None
        outcome = self.last_outcome
        if outcome is not None and outcome.model is model:
            preview = outcome.val_data
        saved = Path(model.save(directory, preview=preview))
        save_timeline(self.session.slot(kind), model, saved)
        return saved

    # -- background tasks ----------------------------------------------------------------------
    def _on_task_done(self, tag: tuple[Any, ...], result: Any) -> None:
        if self._closing:
            return
        what, arg = tag[0], tag[1]
        if what == "open":
            self._opened(arg, result)
        elif what == "weights":
            model, points, timeline = result
            self.set_model(model, Origin.LOADED, path=arg, points=points)
            self.session.slot_for_model(model).set_timeline(timeline)
            shown = i18n.kind_label(model.config.spec.display_name)
            self.note.emit(i18n.arg(self.tr("Loaded %1 from %2"), shown, arg))
        elif what == "shipped":
            slot = self.session.slot(arg)
            if slot.origin is Origin.SHIPPED and slot.model is None:  # nothing newer since
                self.set_model(result, Origin.SHIPPED, path=slot.path)
        elif what == "points":
            slot = self.session.slot(arg)
            if slot.codec is tag[2]:  # still the model these points were encoded by
                points, data = result
                slot.set_points(points)
                if slot.data is None:
                    slot.set_data(data)

    def _on_task_failed(self, tag: tuple[Any, ...], message: str) -> None:
        if self._closing:
            return
        titles = {
            "open": self.tr("Could not open the file"),
            "weights": self.tr("Could not load the weights"),
        }
        if tag[0] in titles:
            self.error.emit(titles[tag[0]], message)
        else:  # shipped extras: not worth a dialog
            log.warning("%s %s: %s", tag[0], tag[1], message)
            self.note.emit(message)

    def _opened(self, spec: str, data: Dataset) -> None:
        """A file was read: offer it for training, and show it in the panels of its kind."""
        self.opened_data[spec] = data
        kind = self.session.kind_for_spec(spec)
        slot = self.session.slot(kind.name)
        if not slot.training and fit_images(data.images[:1], kind) is not None:
            slot.set_data(DataDescription.of(data, kind))
        self.opened.emit(spec, data)

    # -- closing -------------------------------------------------------------------------------
    def shutdown(self, timeout_s: float = SHUTDOWN_TIMEOUT_S) -> Path | None:
        """Stop any run and every background task (bounded wait); keep what the run trained.

        For closing the window: queued messages will not be delivered any more, so this
        reads the worker's outcome directly. Returns the session folder the model was saved
        to, or None (nothing trained yet, or the worker did not stop in time).
        """
        self._closing = True
        worker = self.worker
        saved = None
        if worker is not None:
            worker.quit()
            # The worker saved its model in its folder, with the run's timeline so far.
            if worker.done.wait(timeout_s):
                self.worker = None
                self.last_outcome = worker.outcome
                saved = worker.outcome.folder if worker.outcome.saved else None
            else:
                log.warning("training did not stop within %.0f s; its progress is lost", timeout_s)
                self.status.emit(
                    i18n.arg(self.tr("Training did not stop within %1 s"), round(timeout_s))
                )
        try:  # every worker (training, files, downloads) is asked to quit, then awaited
            WorkerBase.await_workers(int(timeout_s * 1000))
        except RuntimeError as exc:
            log.warning("%s", exc)
        return saved

    # -- worker messages (GUI thread) ----------------------------------------------------------
    def _on_status(self, text: str) -> None:
        """The engine's English status line, shown in the window's language."""
        if not self._closing:
            self.status.emit(engine_text(text))

    def _on_data_ready(self, info: DataInfo) -> None:
        if self._closing:
            return
        config = self.config
        if config is not None:
            slot = self.run_slot or self.session.slot(config.model)
            slot.class_names = info.class_names  # what its labels are called, while training
            images = fit_images(info.val_images, slot.spec)
            slot.set_data(
                DataDescription(info.source, info.generated, images, info.n_train + info.n_val)
            )
        self.data_ready.emit(info)

    def _on_batch(self, progress: BatchProgress) -> None:
        if not self._closing:
            self.batches_received += 1
            self.last_batch = progress
            self.batch.emit(progress)

    def _on_resumed(self, timeline: Timeline) -> None:
        if not self._closing and self.run_slot is not None:
            self.run_slot.set_timeline(timeline)

    def _on_frame(self, _kind: str, frame: Frame) -> None:
        if not self._closing and self.run_slot is not None:  # the worker computed it
            self.run_slot.record_frame(frame)

    def _on_epoch(self, result: EpochResult) -> None:
        if self._closing:
            return
        self.last_epoch = result
        if result.snapshot is not None and self.run_slot is not None:
            self.run_slot.set_snapshot(result.snapshot)
        self.session.set_run(epoch=result.epoch + 1, epochs=result.epochs)
        self.epoch.emit(result)

    def _on_finished(self) -> None:
        worker = self.worker
        if self._closing or worker is None:
            return
        self.worker = None
        outcome = worker.outcome
        self.last_outcome = outcome
        slot = self.run_slot or self.session.slot_for_config(worker.config)
        model = outcome.model
        kept = outcome_kept(outcome)
        phase = RunPhase.STOPPED if (outcome.stopped or outcome.error) else RunPhase.IDLE
        epochs = len(model.history) if kept else self.session.run.epoch
        self.session.set_run(phase=phase, epoch=epochs, kept=kept)
        self.finished.emit(outcome)
        if kept:
            slot.set_model(model, Origin.TRAINED, keep_points=True, training=False)
        else:  # stopped before its first epoch ended: the previous model stays
            slot.set_training(False)
            slot.set_timeline(self._previous_timeline)
        self._previous_timeline = None


def outcome_kept(outcome: TrainingOutcome) -> bool:
    """Whether a run's end left a model worth showing: at least one whole epoch. A run
    stopped before its first epoch ended kept nothing (``outcome.model`` None, or a
    model with no epoch in its history): the previous model stays shown."""
    model = outcome.model
    return model is not None and bool(getattr(model, "history", None))


def read_timeline(folder: Path) -> Timeline | None:
    """A run folder's ``timeline.npz`` (None if it has none or it is unusable: logged)."""
    if not (folder / TIMELINE_FILE).is_file():
        return None
    try:
        return Timeline.load(folder)
    except ExplorerError as exc:
        log.warning("%s", exc)
        return None


def save_timeline(slot: Slot, model: Any, directory: Path) -> None:
    """Write the slot's timeline beside a saved model, if it is that model's run."""
    timeline = slot.timeline
    if timeline is None or not len(timeline):
        return
    if slot.model is not model and not slot.training:
        return  # the timeline belongs to another model of this kind
    timeline.save(directory / TIMELINE_FILE)


class _ShippedLoader:
    """Loads a shipped Keras model in a worker and traces its graph there, not on the GUI."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self) -> Any:
        import numpy as np

        from models.inference.shipped import load_shipped

        model = load_shipped(self.kind)
        labels = np.zeros(1, np.int64) if model.spec.conditional else None
        model.reconstruct(np.zeros((1, *model.image_shape), np.float32), labels)
        return model
