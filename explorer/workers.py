"""Work that must not run on the GUI thread: training, and loading files or weights.

The training worker is a superqt :class:`~superqt.utils.WorkerBase` (a ``QRunnable`` in
the global ``QThreadPool``) that runs one engine :class:`~models.runs.Run` (the same object
the command line and Compare use). It reads only a frozen
:class:`~models.nets.config.TrainConfig`, never a widget, and forwards the Run's plain
messages (``BatchProgress``, ``EpochResult``) as signals of a ``QObject`` created on the
GUI thread, so the connected bound methods run there (queued). Stop goes through the Run's
:class:`~models.training.control.TrainingControl`, which the loop checks before every batch.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from superqt.utils import WorkerBase

from explorer.gui_gc import defer_full_while
from models.data.dataset import Dataset
from models.errors import ExplorerError
from models.inference.timeline import Timeline
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig
from models.runs import DataInfo as DataInfo  # re-exported: the panels read it
from models.runs import Run, RunCallbacks, RunOutcome, SessionFolder

log = logging.getLogger(__name__)

MIN_MESSAGE_INTERVAL_S = 0.1
"""At most ~10 batch messages a second reach the GUI, however fast the batches are
(each costs the GUI thread ~20 ms of plotting)."""

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


TrainingOutcome = RunOutcome
"""How a run ended (the engine's :class:`models.runs.RunOutcome`): ``model`` is None when
nothing was kept (stopped before the first epoch ended: ``note`` says so)."""


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
    """Run one :class:`models.runs.Run` in the thread pool and forward its progress.

    The Run does everything (load the data ``config`` names unless ``data`` is given,
    lock ``folder``, train with a checkpoint per epoch, continue with ``resume``, settle
    what stays: :class:`models.runs.SessionFolder`); this only gives it a thread, emits
    its callbacks as signals, and lets the GUI stop, pause and resume it. ``continuable``
    False (Compare) commits a finished model and leaves nothing of a stopped one.
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
        continuable: bool = True,
    ) -> None:
        super().__init__(SignalsClass=TrainingSignals)  # type: ignore[arg-type]
        # WorkerBase forwards attribute access to signals; declare ours for readers.
        signals: Any = self.signals
        self.status: Any = signals.status
        self.data_ready: Any = signals.data_ready
        self.batch: Any = signals.batch
        self.epoch: Any = signals.epoch
        self.frame: Any = signals.frame
        self.resumed: Any = signals.resumed
        self.config = config
        self.folder = folder
        self.continuing = resume
        """Continue the run whose checkpoints are in ``folder``."""
        self.training_run = Run(
            config,
            data,
            place=None if folder is None else SessionFolder(folder, continuable=continuable),
            resume=resume,
            initial=initial,
            report_every=report_every,
            max_per_category=max_per_category,
            callbacks=RunCallbacks(
                status=self.status.emit,
                data=self.data_ready.emit,
                batch=self._on_batch,
                epoch=self._on_epoch,
                frame=self.frame.emit,
                resumed=self.resumed.emit,
            ),
        )
        self.control = self.training_run.control
        self.locked = self.training_run.locked
        """Set while the run holds its folder's lock (tests and the soak test read it)."""
        self.done = threading.Event()
        """Set when work() has returned: the outcome is complete."""
        self._working = False
        defer_full_while(self.training_now)  # no long GC pauses on the GUI while it trains
        self._last_emit = 0.0

    @property
    def outcome(self) -> TrainingOutcome:
        return self.training_run.outcome

    @property
    def timeline(self) -> Timeline | None:
        """Each epoch of a run in a folder, kept beside its checkpoints (worker thread)."""
        return self.training_run.timeline

    @property
    def batches_done(self) -> int:
        """Batches finished, as of the latest progress report."""
        return self.training_run.batches_done

    @property
    def batches_at_stop(self) -> int | None:
        """``batches_done`` when Stop was requested (for the "within one batch" promise)."""
        return self.training_run.batches_at_stop

    # -- control (any thread) ------------------------------------------------------------------
    def request_stop(self) -> None:
        self.training_run.stop()

    def quit(self) -> None:
        """The window closes: stop, and keep what was trained as an interrupted run."""
        super().quit()
        self.training_run.close()

    def pause(self) -> None:
        self.training_run.pause()

    def resume(self) -> None:
        self.training_run.resume()

    @property
    def paused(self) -> bool:
        return self.training_run.paused

    # -- the work (worker thread) --------------------------------------------------------------
    def training_now(self) -> bool:
        """True from the start of :meth:`work` until it returns (explorer.gui_gc asks)."""
        return self._working

    def work(self) -> TrainingOutcome:
        lower_thread_priority()
        self._working = True
        try:
            outcome = self.training_run.execute()
            failure = outcome.failure
            if failure is not None and not isinstance(failure, ExplorerError):
                trace = "".join(traceback.format_exception(failure))
                log.error("training failed:\n%s", trace)  # a bug: shown, and logged whole
        finally:
            # The Run's callbacks hold this worker (a Qt wrapper, which the collector cannot
            # free in a cycle): let go of them, so both are freed once the window lets go.
            self.training_run.callbacks = RunCallbacks()
            self._working = False
            self.done.set()
        return outcome

    def _on_batch(self, progress: BatchProgress) -> None:
        now = time.perf_counter()
        last_of_epoch = progress.batch == progress.batches
        if last_of_epoch or now - self._last_emit >= MIN_MESSAGE_INTERVAL_S:
            self._last_emit = now
            self.batch.emit(progress)

    def _on_epoch(self, result: EpochResult) -> None:
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
