"""One training run, from its data to its files: the object the CLI, the window and Compare
share, as Keras' ``fit`` is one call.

A :class:`Run` loads its data (or takes a Dataset), holds its folder's lock
(:class:`models.runfolder.RunFolder`) from start to end, trains with
:func:`models.training.loop.train` (a checkpoint after every epoch, the timeline beside
them), continues from the newest checkpoint when asked to, and at its end commits what it
keeps into the folder. Where it trains decides what it keeps (:mod:`models.runs.places`:
``SessionFolder`` for the window and Compare, ``OutputFolder`` for ``ae-explorer train``).
Progress goes out through plain callbacks (:class:`RunCallbacks`); Stop, Pause and Resume
are safe from any thread. Qt-free: the window's worker only runs a Run on a thread.

    run = Run(config, data, place=SessionFolder(folder), callbacks=RunCallbacks(...))
    outcome = run.execute()           # lock, load, train, settle; errors in outcome.error

    with Run(config, place=OutputFolder(out), loader=load) as run:   # the CLI, in steps
        run.load()
        outcome = run.train()
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models.data.dataset import Dataset
from models.errors import DownloadError, ExplorerError, TrainingError
from models.inference.timeline import Frame, Timeline
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig
from models.runs.saved import ResumableRun, continued_timeline
from models.training.checkpoint import CheckpointStore
from models.training.control import TrainingControl

if TYPE_CHECKING:
    from models.runs.places import RunPlace

log = logging.getLogger(__name__)

PREVIEW_LIMIT = 1000
"""Validation images sent with :class:`DataInfo` (the reconstructions tab's pool)."""
NOTHING_KEPT = "Stopped before the first epoch ended; nothing was kept"
"""The outcome's note when a run stopped before it had a model worth keeping."""


@dataclass(frozen=True)
class DataInfo:
    """What a watcher shows about the data a run uses (sent once it has loaded)."""

    name: str
    source: str
    generated: bool
    n_train: int
    n_val: int
    val_images: np.ndarray
    note: str = ""
    """E.g. why the offline fallback was used."""
    class_names: tuple[str, ...] | None = None
    """The data's category names (Quick Draw), so panels name classes while it trains."""

    @classmethod
    def of(cls, data: Any, train: Any, val: Dataset, note: str = "") -> DataInfo:
        """``data`` (a Dataset or a stream) split into ``train`` and ``val``."""
        return cls(
            name=data.name,
            source=data.source,
            generated=bool(getattr(data, "generated", False)),
            n_train=len(train),
            n_val=len(val),
            val_images=val.images[:PREVIEW_LIMIT],
            note=note,
            class_names=getattr(data, "class_names", None),
        )


@dataclass(frozen=True)
class RunData:
    """The data of a run, split: what a loader gives (the CLI's streams, say)."""

    train: Any
    """A :class:`Dataset` or a :class:`models.training.streaming.StreamSource`."""
    val: Dataset
    info: DataInfo
    config: TrainConfig | None = None
    """The config as the data changed it (an offline fallback's data), if it did."""


@dataclass
class RunCallbacks:
    """Where a run's progress goes; each is called on the run's thread, and may be None."""

    status: Callable[[str], None] | None = None
    """One line of what happens now ("Loading mnist…")."""
    data: Callable[[DataInfo], None] | None = None
    batch: Callable[[BatchProgress], None] | None = None
    epoch: Callable[[EpochResult], None] | None = None
    frame: Callable[[str, Frame], None] | None = None
    """(kind, timeline Frame) before each epoch's ``epoch``, for runs that keep a timeline."""
    resumed: Callable[[Timeline], None] | None = None
    """A copy (memory only) of a continued run's timeline so far, before it trains."""


@dataclass
class RunOutcome:
    """How a run ended, and what it kept."""

    config: TrainConfig
    model: Any = None
    """The :class:`models.nets.trained.TrainedModel` the run keeps (after Stop or an error:
    the weights of its last complete epoch), or None: nothing was kept (no epoch ended)."""
    stopped: bool = False
    error: str | None = None
    """One line, for a person; :attr:`failure` is the exception itself."""
    failure: Exception | None = None
    val_data: Dataset | None = None
    info: DataInfo | None = None
    batches_done: int = 0
    folder: Path | None = None
    """Where the run's files stay (its checkpoints, its committed model), if anywhere."""
    saved: bool = False
    """True if the model was saved into ``folder`` because the run was closed mid-way."""
    committed: bool = False
    """True if the model's files were committed into ``folder``."""
    resumable: ResumableRun | None = None
    """The run left in ``folder``, if it can be continued."""
    note: str = ""
    """What a person should know that is not an error (:data:`NOTHING_KEPT`)."""

    @property
    def kept(self) -> bool:
        """True if the run kept a model (at least one epoch ended)."""
        return self.model is not None

    @property
    def epochs_done(self) -> int:
        return 0 if self.model is None else len(self.model.history)


class Run:
    """One training run: load, lock, train (checkpointed), resume, commit.

    ``data``: a Dataset (split here by the config's validation fraction) or a
    :class:`RunData`; without it, ``loader()`` gives the RunData, or the config's data
    spec is loaded (with the offline fallback, and ``max_per_category``). ``place``: where
    it checkpoints and commits (None: memory only). ``resume``: continue from the place's
    newest checkpoint. ``initial``, ``report_every``, ``snapshots`` and ``strategy`` go to
    :func:`models.training.loop.train`.
    """

    def __init__(
        self,
        config: TrainConfig,
        data: Dataset | RunData | None = None,
        *,
        place: RunPlace | None = None,
        loader: Callable[[], RunData] | None = None,
        resume: bool = False,
        initial: Any = None,
        report_every: int = 5,
        max_per_category: int | None = None,
        callbacks: RunCallbacks | None = None,
        snapshots: bool = True,
        strategy: Any = None,
    ) -> None:
        self.config = config
        self.data = data
        self.place = place
        self.loader = loader
        self.continuing = resume
        self.initial = initial
        self.report_every = report_every
        self.max_per_category = max_per_category
        self.callbacks = callbacks or RunCallbacks()
        self.snapshots = snapshots
        self.strategy = strategy
        self.control = TrainingControl()
        self.outcome = RunOutcome(config=config)
        self.locked = threading.Event()
        """Set while the run holds its place's lock."""
        self.closing = False
        """Set by :meth:`close`: the owner goes away, so keep what was trained."""
        self.checkpoints: CheckpointStore | None = None
        self.timeline: Timeline | None = None
        """Each epoch, kept beside the checkpoints (a run with a place)."""
        self.batches_done = 0
        """Batches finished, as of the latest progress report."""
        self.batches_at_stop: int | None = None
        """``batches_done`` when Stop was asked for (for the "within one batch" promise)."""
        self.loaded: RunData | None = None
        self._guard = threading.Lock()

    # -- control (any thread) ----------------------------------------------------------------
    def stop(self) -> None:
        """Stop within one batch, keeping the last complete epoch."""
        with self._guard:
            if self.batches_at_stop is None:
                self.batches_at_stop = self.batches_done
            self.control.stop()

    def close(self) -> None:
        """Stop, and keep what was trained in the place as an interrupted run."""
        self.closing = True
        self.stop()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    @property
    def paused(self) -> bool:
        return self.control.paused

    @property
    def resume_from(self) -> Path | None:
        """The checkpoint a continued run starts from (None: it starts afresh)."""
        if not self.continuing or self.checkpoints is None:
            return None
        return self.checkpoints.latest()

    def say(self, text: str) -> None:
        if self.callbacks.status is not None:
            self.callbacks.status(text)

    # -- the run (its own thread) ------------------------------------------------------------
    def __enter__(self) -> Run:
        """Take the place's lock (FolderBusyError if another run holds it); open its
        checkpoints and timeline."""
        if self.place is not None:
            self.place.acquire()
            self.locked.set()
            try:
                self._open(self.place)
            except BaseException:
                self.__exit__()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.place is not None and self.locked.is_set():
            self.locked.clear()
            self.place.release()

    def _open(self, place: RunPlace) -> None:
        store = self.checkpoints = place.checkpoints()
        run_dir = None if store.read_only else store.folder  # (a worker, or no cache)
        if not self.continuing:
            self.timeline = Timeline(run_dir=run_dir)
            return
        self.timeline = continued_timeline(place.path, run_dir=run_dir, store=store)
        if self.callbacks.resumed is not None:
            shown = copy.deepcopy(self.timeline)  # the watcher's own: this one grows here
            shown.run_dir = None
            self.callbacks.resumed(shown)

    def execute(self) -> RunOutcome:
        """All of it, in this thread: lock, load, train, settle. Never raises an Exception:
        ``outcome.error`` says what went wrong."""
        try:
            with self:
                try:
                    self.load()
                except Exception as exc:
                    self._failed(exc)
                    self._settle()
                else:
                    self.train()
        except Exception as exc:  # the lock refused (another run holds the folder)
            self._failed(exc)
        self._finish()
        return self.outcome

    def load(self) -> RunData:
        """Load and split the data (raises its one-line ExplorerError); tell ``data``."""
        if isinstance(self.data, RunData):
            loaded = self.data
        elif self.loader is not None:
            loaded = self.loader()
        else:
            loaded = self._load_default()
        if loaded.config is not None:
            self.config = loaded.config
        self.outcome.config = self.config
        self.outcome.val_data = loaded.val
        self.outcome.info = loaded.info
        self.loaded = loaded
        if self.callbacks.data is not None:
            self.callbacks.data(loaded.info)
        self.say("Building the model…")
        return loaded

    def train(self) -> RunOutcome:
        """Train the loaded data, then settle what stays. A failure is recorded in the
        outcome (``failure``), not raised; KeyboardInterrupt is."""
        try:
            self._train()
        except Exception as exc:
            self._failed(exc)
        self._settle()
        self._finish()
        return self.outcome

    def _train(self) -> None:
        from models.training.loop import train

        if self.control.stopped:
            return
        if self.loaded is None:
            raise RuntimeError("Run.train() needs the data: call load() first")
        trained = train(
            self.config,
            self.loaded.train,
            self.loaded.val,
            control=self.control,
            on_batch=self._on_batch,
            on_epoch=self._on_epoch,
            report_every=self.report_every,
            initial=self.initial,
            snapshots=self.snapshots,
            checkpoints=self.checkpoints,
            resume=self.continuing,
            stop_keeps_epoch=True,
            strategy=self.strategy,
        )
        self._keep(trained)

    def _keep(self, model: Any) -> None:
        """Keep ``model`` only if an epoch of it ended: before that it is the random
        initial weights, which must never replace a model a person sees."""
        self.outcome.model = model if model is not None and model.history else None

    def _failed(self, exc: Exception) -> None:
        self.outcome.failure = exc
        if isinstance(exc, ExplorerError):
            self.outcome.error = str(exc)
        else:  # a bug: its owner logs the traceback (the window) or lets it out (the CLI)
            self.outcome.error = f"unexpected error: {type(exc).__name__}: {exc}"
        if isinstance(exc, TrainingError):  # train() kept the last good weights
            self._keep(getattr(exc, "model", None))

    def _settle(self) -> None:
        if self.place is None:
            return
        try:
            self.place.settle(self)
        except Exception as exc:  # the commit failed (SaveError: the model kept elsewhere)
            self._failed(exc)

    def _finish(self) -> None:
        outcome = self.outcome
        outcome.stopped = self.control.stopped
        outcome.batches_done = self.batches_done
        if outcome.stopped and outcome.model is None and outcome.error is None:
            outcome.note = NOTHING_KEPT

    # -- progress (the run's thread) ---------------------------------------------------------
    def _on_batch(self, progress: BatchProgress) -> None:
        with self._guard:
            self.batches_done = progress.epoch * progress.batches + progress.batch
        if self.callbacks.batch is not None:
            self.callbacks.batch(progress)

    def _on_epoch(self, result: EpochResult) -> None:
        snap = result.snapshot
        if self.timeline is not None and snap is not None:
            frame = self.timeline.frame(result)
            try:  # kept beside the checkpoints: a crashed run's replay survives too
                self.timeline.append(frame)
            except OSError as exc:
                log.warning("could not keep the run's timeline: %s", exc)
            if self.callbacks.frame is not None:
                self.callbacks.frame(snap.kind, frame)
        if self.callbacks.epoch is not None:
            self.callbacks.epoch(result)

    # -- the data (the run's thread) ---------------------------------------------------------
    def _load_default(self) -> RunData:
        config = self.config
        data, note = self._load_main(config)
        if note and config.data in (None, config.spec.default_data):
            config = config.replace(data=config.spec.offline_data)
        if config.val_data:
            train_data, val_data = data, self.load_spec(config.val_data)
        else:
            train_data, val_data = data.split(config.val_fraction, seed=config.val_seed)
        return RunData(train_data, val_data, DataInfo.of(data, train_data, val_data, note), config)

    def _load_main(self, config: TrainConfig) -> tuple[Dataset, str]:
        if isinstance(self.data, Dataset):
            return self.data, ""
        spec = config.resolved_data
        try:
            return self.load_spec(spec), ""
        except DownloadError as exc:
            fallback = config.spec.offline_data
            if fallback is None or spec != config.spec.default_data:
                raise
            log.info("%s unavailable, training on %s instead: %s", spec, fallback, exc)
            note = f"{spec} could not be downloaded, so this trains on {fallback} instead."
            self.say(note)
            return self.load_spec(fallback), note

    def load_spec(self, spec: str) -> Dataset:
        """The data ``spec`` names, at the kind's input size; Stop cancels a download."""
        from models.data.specs import load_dataset

        self.say(f"Loading {spec}…")
        extra: dict[str, Any] = {}
        if self.max_per_category is not None:
            extra["max_per_category"] = self.max_per_category
        return load_dataset(
            spec,
            progress=self._progress(spec),
            image_size=self.config.spec.input_size,
            seed=self.config.seed,
            **extra,
        )

    def _progress(self, spec: str) -> Callable[[int, int], None]:
        last = [-1]

        def report(done: int, total: int) -> None:
            if self.control.stopped:
                raise DownloadError(f"{spec}: download cancelled")
            pct = int(100 * done / total) if total else -1
            if pct != last[0]:
                last[0] = pct
                self.say(f"Downloading {spec}… {pct}%" if pct >= 0 else f"Downloading {spec}…")

        return report
