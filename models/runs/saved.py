"""The window's run folders on disk: the marks a run leaves, and the runs that can go on.

A window run trains into its own folder under the sessions folder (models.paths). While it
trains, ``interrupted.json`` says "running"; its end replaces the mark (the window closed:
"interrupted") or removes it. The next launch reads these marks, and the checkpoints beside
them, to offer to reopen or continue a run (:func:`find_interrupted`, :func:`find_resumable`).
Qt-free: the window, tests and scripts read them alike.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from models.errors import ExplorerError
from models.inference.timeline import TIMELINE_FILE, Timeline
from models.nets.kinds import get_kind
from models.nets.trained import CONFIG_FILE, MODEL_FILES, WEIGHTS_FILE
from models.paths import session_folder, sessions_dir
from models.training.checkpoint import CHECKPOINTS, STATE_FILE, CheckpointStore

log = logging.getLogger(__name__)

INTERRUPTED_FILE = "interrupted.json"
"""Marks a session folder saved because the window closed mid-training (not yet reopened),
or whose run is still going or crashed (see :func:`mark_running`)."""
RUN_FILES = (*MODEL_FILES, INTERRUPTED_FILE, TIMELINE_FILE)
"""What a window run writes in its session folder besides its checkpoints."""
RUN_PRESERVED = (CHECKPOINTS, INTERRUPTED_FILE)
"""Kept when the run's model files are committed (models.runfolder: ``preserved``)."""

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
    return (directory / CONFIG_FILE).is_file() and (directory / WEIGHTS_FILE).is_file()


@dataclass(frozen=True)
class ResumableRun:
    """A window run that stopped before its last epoch and can be continued from its
    newest checkpoint (models.training.checkpoint) in ``folder``.

    It carries what a reopened run shows before it goes on: its per-epoch records (the
    loss curves so far), its own total (``epochs``: "epoch 18 of 100", not the window's
    default) and, read on demand, its replay so far (:meth:`timeline`)."""

    folder: Path
    config: dict[str, Any]
    """The run's settings as its checkpoint saved them (TrainConfig.from_dict reads them)."""
    epochs_done: int
    epochs: int
    """The run's own total of epochs (its settings'), which Continue trains up to."""
    history: tuple[dict[str, float], ...] = ()
    """The per-epoch records so far (the Training tab plots them when the run goes on)."""

    @property
    def kind(self) -> str:
        return str(self.config.get("model"))

    @property
    def progress(self) -> str:
        """Where the run stands, in words: "epoch 18 of 100"."""
        return f"epoch {self.epochs_done} of {self.epochs}"

    def describe(self) -> str:
        return f"{self.progress}, in {self.folder}"

    def timeline(self) -> Timeline:
        """Its replay up to the newest checkpoint (memory only; reads a file: not on the
        GUI thread for a long run)."""
        return continued_timeline(self.folder)


def run_checkpoints(directory: Path) -> CheckpointStore:
    """The checkpoints of the window run in ``directory``: inside its session folder (the
    CLI keeps its own in the cache, to leave --out untouched; a session folder is the
    window's own)."""
    return CheckpointStore(directory, folder=directory / CHECKPOINTS)


def continued_timeline(
    directory: Path, run_dir: Path | None = None, store: CheckpointStore | None = None
) -> Timeline:
    """The timeline of the run in ``directory`` up to its newest checkpoint: the one kept
    beside the checkpoints after every epoch (a crash keeps it too), else the one saved
    with the model; a fresh one if neither can be read. ``store``: the run's checkpoints
    when they are not the window's (:func:`run_checkpoints`)."""
    store = run_checkpoints(directory) if store is None else store
    source = store.folder if (store.folder / TIMELINE_FILE).is_file() else directory
    return Timeline.continued(source, store.epochs_done(), run_dir=run_dir)


def resumable_run(directory: Path) -> ResumableRun | None:
    """The run in ``directory`` if its newest checkpoint is complete and not the last epoch.

    Reads only the checkpoint's small state file (no arrays): cheap enough to ask whenever
    the Training tab's model changes."""
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
    try:
        return (directory / CHECKPOINTS).stat().st_mtime
    except OSError:
        return 0.0
