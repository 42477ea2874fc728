"""Where a :class:`~models.runs.run.Run` trains: its folder's lock, its checkpoints, and
what stays in the folder at its end (the commit), by how the run ended."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from models.errors import ExplorerError
from models.inference.timeline import TIMELINE_FILE
from models.runfolder import RunFolder
from models.runs.output import OUTPUT_FILES, OUTPUT_PRESERVED, save_or_keep
from models.runs.saved import (
    RUN_FILES,
    RUN_PRESERVED,
    clear_interrupted,
    has_model,
    mark_interrupted,
    mark_running,
    resumable_run,
    run_checkpoints,
)
from models.training.checkpoint import CHECKPOINTS, CheckpointStore

if TYPE_CHECKING:
    from models.runs.run import Run

log = logging.getLogger(__name__)


class RunPlace(Protocol):
    """Where a run trains: its lock, its checkpoints, and what stays at its end."""

    path: Path
    chief: bool
    """False on the other workers of a multi-worker run: they read, never write."""

    def acquire(self) -> None: ...

    def release(self) -> None: ...

    def checkpoints(self) -> CheckpointStore: ...

    def settle(self, run: Run) -> None: ...


class SessionFolder:
    """A window run's own folder (under the sessions folder), or one of Compare's.

    The checkpoints live inside it, with the "running" mark while it trains (a crash
    leaves both, for the next launch). At the end, by how the run ended:

    * finished: the checkpoints go. The model stays in memory; a folder that held the model
      of an earlier, interrupted part of this run gets the finished one, any other is
      removed (``continuable=False``, Compare's: the finished model is committed);
    * Stop, or an error: the checkpoints stay, for "Continue" (``continuable``);
    * closed (:meth:`Run.close`, the window closing): the model is committed too, and the
      folder marked interrupted, so the next launch offers to reopen or continue it;
    * a folder left with nothing to continue or reopen is removed.
    """

    chief = True

    def __init__(self, path: Path, continuable: bool = True) -> None:
        self.path = Path(path)
        self.continuable = continuable
        self._folder = RunFolder(self.path, owned=RUN_FILES, preserved=RUN_PRESERVED)

    def acquire(self) -> None:
        self._folder.acquire()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            if self.continuable:
                mark_running(self.path)
        except BaseException:
            self._folder.release()
            raise

    def release(self) -> None:
        self._folder.release()

    def checkpoints(self) -> CheckpointStore:
        return run_checkpoints(self.path)

    def settle(self, run: Run) -> None:
        outcome = run.outcome
        model = outcome.model
        try:
            if outcome.error is None and not run.control.stopped and model is not None:
                run_checkpoints(self.path).clear()
                clear_interrupted(self.path)
                if self.continuable and not has_model(self.path):
                    self._remove()  # the window shows the model; nothing to reopen here
                    return
                self._commit(run)
            elif run.closing and model is not None and self.continuable:
                self._commit(run)
                outcome.saved = True
                mark_interrupted(self.path, outcome.epochs_done, run.batches_done)
            else:
                clear_interrupted(self.path)
            outcome.resumable = resumable_run(self.path) if self.continuable else None
            if outcome.resumable is None and not has_model(self.path):
                self._remove()  # nothing to continue or reopen
                return
            outcome.folder = self.path
        except (ExplorerError, OSError) as exc:  # keeping it is a courtesy; report it
            log.error("could not keep the run in %s: %s", self.path, exc)
            run.say(f"Could not save the trained model: {exc}")

    def _commit(self, run: Run) -> None:
        outcome = run.outcome
        with self._folder.staged() as tmp:
            outcome.model.write_files(tmp, preview=outcome.val_data)
            if run.timeline is not None and len(run.timeline):  # its replay goes with it
                (tmp / TIMELINE_FILE).write_bytes(run.timeline.to_bytes())
        outcome.committed = True

    def _remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class OutputFolder:
    """The command line's ``--out``: it changes only when the run commits.

    The checkpoints go to the per-user cache (``shared_checkpoints``: ``out/checkpoints``,
    which every worker of a multi-worker run can read). Whatever ended the run, a model
    with at least one complete epoch is committed, with its figures and timeline, as one
    transaction; if that fails it is kept in the sessions folder and the SaveError says
    where. A finished run's cached checkpoints go.
    """

    def __init__(self, path: Path, shared_checkpoints: bool = False, chief: bool = True) -> None:
        self.path = Path(path)
        self.shared = shared_checkpoints
        self.chief = chief
        self._folder = RunFolder(self.path, owned=OUTPUT_FILES, preserved=OUTPUT_PRESERVED)

    def acquire(self) -> None:
        """Locked for the whole run (a second run into it is refused at once), and checked
        where the files will really be staged, before any data is loaded or trained on."""
        if not self.chief:
            return
        self._folder.acquire()
        try:
            self._folder.check_writable()
        except BaseException:
            self._folder.release()
            raise

    def release(self) -> None:
        if self.chief:
            self._folder.release()

    def checkpoints(self) -> CheckpointStore:
        shared = self.path / CHECKPOINTS if self.shared else None
        return CheckpointStore(self.path, folder=shared, read_only=not self.chief)

    def settle(self, run: Run) -> None:
        outcome = run.outcome
        if not self.chief or outcome.model is None:
            return
        outcome.folder = save_or_keep(outcome.model, outcome.val_data, self.path, run.timeline)
        outcome.committed = outcome.folder == self.path
        finished = outcome.failure is None and not run.control.stopped
        if finished and not self.shared and run.checkpoints is not None:
            run.checkpoints.clear()  # its model is committed: the cache need not keep it
