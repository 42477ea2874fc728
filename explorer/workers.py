"""Work that must not run on the GUI thread: training, and loading files or weights.

The training worker is a superqt :class:`~superqt.utils.WorkerBase` (a ``QRunnable`` in
the global ``QThreadPool``). It reads only a frozen :class:`~models.nets.config.TrainConfig`,
never a widget, and sends plain messages (``BatchProgress``, ``EpochResult``) through
signals of a ``QObject`` created on the GUI thread, so the connected bound methods run
there (queued). Stop goes through :class:`~models.training.loop.TrainingControl`, which the
training loop checks before every batch.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from superqt.utils import WorkerBase

from explorer.gui_gc import defer_full_while
from models.data.dataset import Dataset
from models.errors import DownloadError, ExplorerError, TrainingError
from models.inference.timeline import TIMELINE_FILE, Timeline
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig

log = logging.getLogger(__name__)

MIN_MESSAGE_INTERVAL_S = 0.1
"""At most ~10 batch messages a second reach the GUI, however fast the batches are
(each costs the GUI thread ~20 ms of plotting)."""

PREVIEW_LIMIT = 1000
"""Validation sketches handed to the reconstructions tab."""


BACKGROUND_NICENESS = 10
"""How much lower than the GUI thread background work runs (Linux ``nice`` steps)."""


def lower_thread_priority(niceness: int = BACKGROUND_NICENESS) -> None:
    """Let the GUI thread win the CPU over this worker thread when both want it.

    On a 2-core machine TensorFlow's step plus its own thread pool can keep both cores busy;
    at equal priority the GUI thread then waits its turn and the window stutters. Linux
    keeps a nice value per thread (threads TensorFlow starts from here inherit it), so this
    raises only the calling thread's. ``QThread.setPriority`` is a no-op on Linux, and
    elsewhere this does nothing: those schedulers favour the foreground already.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, max(current, niceness)))
    except (OSError, AttributeError):  # not permitted or not supported: carry on
        pass


@dataclass(frozen=True)
class DataInfo:
    """What the window shows about the data a run uses (sent once it has loaded)."""

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


@dataclass
class TrainingOutcome:
    """How a run ended. ``model`` holds what was trained, even after Stop or an error."""

    config: TrainConfig
    model: Any = None
    """The :class:`models.nets.trained.TrainedModel`, or None if training never started."""
    stopped: bool = False
    error: str | None = None
    val_data: Dataset | None = None
    info: DataInfo | None = None
    batches_done: int = 0
    folder: Path | None = None
    """The run's session folder (checkpoints; the model when the window closed), if kept."""
    saved: bool = False
    """True if the model was saved into ``folder`` (the window closed mid-run)."""
    resumable: Any = None
    """The :class:`explorer.session.ResumableRun` left in ``folder``, if it can be continued."""

    @property
    def epochs_done(self) -> int:
        return 0 if self.model is None else len(self.model.history)


class BaseSignals(QObject):
    """The signals superqt's ``WorkerBase.run`` emits (its own class is private API)."""

    started = Signal()
    finished = Signal()
    _finished = Signal(object)
    returned = Signal(object)
    errored = Signal(object)
    warned = Signal(tuple)


class TrainingSignals(BaseSignals):
    status = Signal(str)
    data_ready = Signal(object)
    batch = Signal(object)
    epoch = Signal(object)
    frame = Signal(str, object)
    """(kind, timeline Frame) before each epoch's ``epoch``: computed once, here."""
    resumed = Signal(object)
    """A copy of a continued run's timeline so far (memory only), before its first epoch."""


class TrainingWorker(WorkerBase):
    """Load the data a config names (unless given), split it, and train.

    ``data`` injects a ready Dataset (an opened file, or a test's tiny set) instead of
    loading ``config.data``. ``report_every`` is passed to :func:`models.training.loop.train`.

    With a ``folder`` (the controller gives each run a session folder) the run holds that
    folder's lock (:class:`models.runfolder.RunFolder`) from start to end, so a CLI run or
    another window cannot write into it meanwhile, and writes a checkpoint there after
    every epoch; ``resume`` continues from the newest one. How the run ends decides what
    stays (:meth:`_settle`).
    """

    def __init__(
        self,
        config: TrainConfig,
        data: Dataset | None = None,
        *,
        initial: Any = None,
        report_every: int = 5,
        max_per_category: int | None = None,
        folder: Path | None = None,
        resume: bool = False,
    ) -> None:
        super().__init__(SignalsClass=TrainingSignals)  # type: ignore[arg-type]
        from models.training.loop import TrainingControl

        self.config = config
        self.max_per_category = max_per_category
        """A cap on drawings per Quick Draw category (the window's spin box), or None."""
        self.data = data
        self.initial = initial
        self.report_every = report_every
        self.folder = folder
        self.continuing = resume
        """Continue the run whose checkpoints are in ``folder``."""
        self.timeline: Timeline | None = None
        """Each epoch of a run in a folder, kept beside its checkpoints (worker thread)."""
        self.locked = threading.Event()
        """Set while the run holds its folder's lock (tests and the soak test read it)."""
        self.control = TrainingControl()
        self.outcome = TrainingOutcome(config=config)
        self.done = threading.Event()
        """Set when work() has returned: the outcome is complete."""
        self._working = False
        defer_full_while(self.training_now)  # no long GC pauses on the GUI while it trains
        self._lock = threading.Lock()
        self.batches_done = 0
        """Batches finished, as of the latest progress report."""
        self.batches_at_stop: int | None = None
        """``batches_done`` when Stop was requested (for the "within one batch" promise)."""
        self._last_emit = 0.0
        # WorkerBase forwards attribute access to signals; declare ours for readers.
        signals: Any = self.signals
        self.status: Any = signals.status
        self.data_ready: Any = signals.data_ready
        self.batch: Any = signals.batch
        self.epoch: Any = signals.epoch
        self.frame: Any = signals.frame
        self.resumed: Any = signals.resumed

    # -- control (any thread) ------------------------------------------------------------------
    def request_stop(self) -> None:
        with self._lock:
            if self.batches_at_stop is None:
                self.batches_at_stop = self.batches_done
            self.control.stop()

    def quit(self) -> None:
        super().quit()
        self.request_stop()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    @property
    def paused(self) -> bool:
        return self.control.paused

    # -- the work (worker thread) --------------------------------------------------------------
    def training_now(self) -> bool:
        """True from the start of :meth:`work` until it returns (explorer.gui_gc asks)."""
        return self._working

    def work(self) -> TrainingOutcome:
        lower_thread_priority()
        self._working = True
        try:
            if self.folder is None:
                self._run()
            else:
                self._run_in_folder(self.folder)
        except ExplorerError as exc:  # the folder's lock refused (another run holds it)
            self.outcome.error = str(exc)
        finally:
            self.outcome.stopped = self.control.stopped
            self.outcome.batches_done = self.batches_done
            self._working = False
            self.done.set()
        return self.outcome

    def _run(self, checkpoints: Any = None) -> None:
        try:
            self._work(checkpoints)
        except TrainingError as exc:
            self.outcome.error = str(exc)
            self.outcome.model = getattr(exc, "model", None) or self.outcome.model
        except ExplorerError as exc:
            self.outcome.error = str(exc)
        except Exception as exc:  # never let a bug take the window down; show it instead
            log.error("training failed:\n%s", traceback.format_exc())
            self.outcome.error = f"unexpected error: {type(exc).__name__}: {exc}"
        finally:
            self.outcome.stopped = self.control.stopped
            self.outcome.batches_done = self.batches_done

    def _run_in_folder(self, folder: Path) -> None:
        """Train under ``folder``'s lock with a checkpoint per epoch, then settle it."""
        from explorer.session import RUN_FILES, RUN_PRESERVED, mark_running, run_checkpoints
        from models.runfolder import RunFolder

        with RunFolder(folder, owned=RUN_FILES, preserved=RUN_PRESERVED) as run:
            self.locked.set()
            try:
                folder.mkdir(parents=True, exist_ok=True)
                mark_running(folder)
                self._run(run_checkpoints(folder))
                self._settle(run, folder)
            finally:
                self.locked.clear()

    def _settle(self, run: Any, folder: Path) -> None:
        """What stays in the run's folder, by how the run ended (still under its lock).

        * The last epoch: the model is in memory (the window shows it); the checkpoints go.
          A folder that held the model of an earlier, interrupted part of this run gets
          the finished model; any other is removed (nothing to keep, as before).
        * Stop, or an error: the checkpoints stay, for "Continue" in the Training tab.
        * The window closing: the model is saved too (the next launch offers to reopen
          it, or to continue from the checkpoint), and the folder is marked interrupted.
        * A crash never gets here: the "running" mark and the checkpoints tell the next
          launch.
        """
        from explorer.session import (
            clear_interrupted,
            has_model,
            mark_interrupted,
            resumable_run,
            run_checkpoints,
        )

        outcome = self.outcome
        model = outcome.model
        trained = model is not None and bool(model.history or self.batches_done)
        complete = outcome.error is None and not self.control.stopped and model is not None
        try:
            if complete:
                run_checkpoints(folder).clear()
                clear_interrupted(folder)
                if has_model(folder):
                    self._save_model(run, folder)
                else:
                    shutil.rmtree(folder, ignore_errors=True)
                    return
            elif self.abort_requested and trained:
                self._save_model(run, folder)
                outcome.saved = True
                mark_interrupted(folder, outcome.epochs_done, self.batches_done)
            else:
                clear_interrupted(folder)
            outcome.resumable = resumable_run(folder)
            if outcome.resumable is None and not has_model(folder):
                shutil.rmtree(folder, ignore_errors=True)  # nothing to continue or reopen
                return
            outcome.folder = folder
        except (ExplorerError, OSError) as exc:  # keeping it is a courtesy; report it
            log.error("could not keep the run in %s: %s", folder, exc)
            self.status.emit(f"Could not save the trained model: {exc}")

    def _save_model(self, run: Any, folder: Path) -> None:
        assert self.outcome.model is not None
        with run.staged() as tmp:
            self.outcome.model.write_files(tmp, preview=self.outcome.val_data)
            if self.timeline is not None and len(self.timeline):  # its replay goes with it
                (tmp / TIMELINE_FILE).write_bytes(self.timeline.to_bytes())

    def _work(self, checkpoints: Any = None) -> None:
        from explorer.session import continued_timeline
        from models.training.loop import train

        if checkpoints is not None and self.folder is not None:
            if self.continuing:
                self.timeline = continued_timeline(self.folder, run_dir=checkpoints.folder)
                shown = copy.deepcopy(self.timeline)  # the window's own: this one grows here
                shown.run_dir = None
                self.resumed.emit(shown)
            else:
                self.timeline = Timeline(run_dir=checkpoints.folder)
        config = self.config
        data, note = self._load(config)
        if self.control.stopped:
            return
        if note and config.data in (None, config.spec.default_data):
            config = config.replace(data=config.spec.offline_data)
        if config.val_data:
            train_data = data
            val_data = self._load_spec(config.val_data, config)
        else:
            train_data, val_data = data.split(config.val_fraction, seed=config.seed)
        self.outcome.config = config
        self.outcome.val_data = val_data
        info = DataInfo(
            name=data.name,
            source=data.source,
            generated=data.generated,
            n_train=len(train_data),
            n_val=len(val_data),
            val_images=val_data.images[:PREVIEW_LIMIT],
            note=note,
            class_names=getattr(data, "class_names", None),
        )
        self.outcome.info = info
        self.data_ready.emit(info)
        self.status.emit("Building the model…")
        if self.control.stopped:
            return
        trained = train(
            config,
            train_data,
            val_data,
            control=self.control,
            on_batch=self._on_batch,
            on_epoch=self._on_epoch,
            report_every=self.report_every,
            initial=self.initial,
            checkpoints=checkpoints,
            resume=self.continuing,
        )
        self.outcome.model = trained

    def _load(self, config: TrainConfig) -> tuple[Dataset, str]:
        if self.data is not None:
            return self.data, ""
        spec = config.resolved_data
        try:
            return self._load_spec(spec, config), ""
        except DownloadError as exc:
            fallback = config.spec.offline_data
            if fallback is None or spec != config.spec.default_data:
                raise
            log.info("%s unavailable, training on %s instead: %s", spec, fallback, exc)
            note = f"{spec} could not be downloaded, so this trains on {fallback} instead."
            self.status.emit(note)
            return self._load_spec(fallback, config), note

    def _load_spec(self, spec: str, config: TrainConfig) -> Dataset:
        from models.data.specs import load_dataset

        self.status.emit(f"Loading {spec}…")
        size = config.spec.input_size
        extra: dict[str, Any] = {}
        if self.max_per_category is not None:
            extra["max_per_category"] = self.max_per_category
        return load_dataset(
            spec, progress=self._progress(spec), image_size=size, seed=config.seed, **extra
        )

    def _progress(self, spec: str) -> Callable[[int, int], None]:
        last = [-1]

        def report(done: int, total: int) -> None:
            if self.control.stopped:
                raise DownloadError(f"{spec}: download cancelled")
            pct = int(100 * done / total) if total else -1
            if pct != last[0]:
                last[0] = pct
                text = f"Downloading {spec}… {pct}%" if pct >= 0 else f"Downloading {spec}…"
                self.status.emit(text)

        return report

    def _on_batch(self, progress: BatchProgress) -> None:
        with self._lock:
            self.batches_done = progress.epoch * progress.batches + progress.batch
        now = time.perf_counter()
        last_of_epoch = progress.batch == progress.batches
        if last_of_epoch or now - self._last_emit >= MIN_MESSAGE_INTERVAL_S:
            self._last_emit = now
            self.batch.emit(progress)

    def _on_epoch(self, result: EpochResult) -> None:
        if self.timeline is not None and result.snapshot is not None:
            frame = self.timeline.frame(result)
            try:  # kept beside the checkpoints: a crashed run's replay survives too
                self.timeline.append(frame)
            except OSError as exc:
                log.warning("could not keep the run's timeline: %s", exc)
            self.frame.emit(result.snapshot.kind, frame)
        self.epoch.emit(result)


class TaskSignals(BaseSignals):
    done = Signal(object, object)
    """(tag, result) on success."""
    failed = Signal(object, str)
    """(tag, message) for an ExplorerError or other failure."""


class TaskWorker(WorkerBase):
    """Run ``fn()`` off the GUI thread; report ``done(tag, result)`` or ``failed(tag, message)``.

    For opening data files and loading weights: a big .ndjson or the first TensorFlow model
    build would otherwise freeze the window for seconds. ``tag`` tells the receiver which
    request answered, so results can go to bound methods (no lambdas across threads).
    """

    def __init__(
        self, tag: object, fn: Callable[[], object], on_quit: Callable[[], None] | None = None
    ) -> None:
        super().__init__(SignalsClass=TaskSignals)  # type: ignore[arg-type]
        self.tag = tag
        self.fn = fn
        self.on_quit = on_quit
        """Called by :meth:`quit` (``WorkerBase.await_workers`` at close): e.g. cancel a
        download between chunks."""
        signals: Any = self.signals
        self.task_done: Any = signals.done
        self.task_failed: Any = signals.failed
        self.finished_work = threading.Event()

    def quit(self) -> None:
        super().quit()
        if self.on_quit is not None:
            self.on_quit()

    def work(self) -> None:
        lower_thread_priority()
        try:
            self._work()
        finally:
            self.finished_work.set()

    def _work(self) -> None:
        try:
            result = self.fn()
        except ExplorerError as exc:
            self.task_failed.emit(self.tag, str(exc))
        except Exception as exc:
            log.error("background task %r failed:\n%s", self.tag, traceback.format_exc())
            self.task_failed.emit(self.tag, f"{type(exc).__name__}: {exc}")
        else:
            self.task_done.emit(self.tag, result)


class TaskPool(QObject):
    """The background tasks of one owner (the controller, the Compare tab).

    Each task reports to the owner's ``done(tag, result)`` or ``failed(tag, message)``; a
    finished one is forgotten on the GUI thread (this object lives there), so ``busy`` is
    true exactly while one of them still runs.
    """

    def __init__(
        self,
        parent: QObject,
        done: Callable[[Any, Any], None],
        failed: Callable[[Any, str], None],
    ) -> None:
        super().__init__(parent)
        self._done = done
        self._failed = failed
        self._tasks: set[TaskWorker] = set()

    def run(self, tag: tuple[Any, ...], fn: Callable[[], Any]) -> TaskWorker:
        """Start ``fn()`` in the thread pool; its answer goes to the owner with ``tag``."""
        worker = TaskWorker(tag, fn)
        worker.task_done.connect(self._done)
        worker.task_failed.connect(self._failed)
        worker.signals.finished.connect(self._forget)
        self._tasks.add(worker)
        worker.start()
        return worker

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _forget(self) -> None:
        self._tasks = {t for t in self._tasks if not t.finished_work.is_set()}
