"""The Run object: one training run from its data to its files, as the CLI, the window and
Compare use it (models.runs). Tiny models, a few batches each."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel
from models.paths import sessions_dir
from models.runfolder import RunFolder
from models.runs import (
    NOTHING_KEPT,
    OutputFolder,
    Run,
    RunCallbacks,
    SessionFolder,
    find_interrupted,
    find_resumable,
    resumable_run,
)
from models.runs.saved import INTERRUPTED_FILE, crashed, has_model, new_session_dir
from models.training.checkpoint import CHECKPOINTS, CheckpointStore


def _bars(n: int = 120) -> Dataset:
    rng = np.random.default_rng(0)
    labels = np.arange(n) % 10
    images = np.zeros((n, 28, 28), np.float32)
    for i, d in enumerate(labels):
        images[i, 2 + 2 * d : 4 + 2 * d, 4:-4] = 1.0
    images += 0.05 * rng.random(images.shape).astype(np.float32)
    return Dataset(np.clip(images, 0, 1), labels, "bars", "bars")


def _config(**kw: Any) -> TrainConfig:
    base: dict[str, Any] = {"model": "vae", "epochs": 3, "batch_size": 20, "hidden_units": 16}
    base.update(kw)
    return TrainConfig(**base)


class Watcher:
    """Records what a Run reports, and stops (or closes) it on cue, in the run's thread."""

    def __init__(self, stop_at_batch: int | None = None, stop_after_epoch: int | None = None):
        self.stop_at_batch = stop_at_batch
        self.stop_after_epoch = stop_after_epoch
        self.close = False
        self.run: Run | None = None
        self.batches: list[BatchProgress] = []
        self.epochs: list[EpochResult] = []
        self.frames: list[Any] = []
        self.resumed: list[Any] = []
        self.statuses: list[str] = []

    def callbacks(self) -> RunCallbacks:
        return RunCallbacks(
            status=self.statuses.append,
            batch=self.batch,
            epoch=self.epoch,
            frame=lambda kind, frame: self.frames.append((kind, frame)),
            resumed=self.resumed.append,
        )

    def _end(self) -> None:
        assert self.run is not None
        self.run.close() if self.close else self.run.stop()

    def batch(self, p: BatchProgress) -> None:
        self.batches.append(p)
        if self.stop_at_batch is not None and p.epoch == 0 and p.batch >= self.stop_at_batch:
            self._end()

    def epoch(self, r: EpochResult) -> None:
        self.epochs.append(r)
        if self.stop_after_epoch is not None and r.epoch + 1 == self.stop_after_epoch:
            self._end()


def _run(config: TrainConfig, watcher: Watcher, **kw: Any) -> Run:
    run = Run(config, kw.pop("data", _bars()), report_every=1, callbacks=watcher.callbacks(), **kw)
    watcher.run = run
    return run


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _leftovers(parent: Path) -> list[str]:
    """Staging, old or lock entries a run left beside (or inside) its folder."""
    names = [p.name for p in parent.rglob("*")]
    return [n for n in names if ".staging-" in n or ".old-" in n or n.endswith(".lock")]


def test_a_run_stopped_before_its_first_epoch_keeps_nothing(tmp_path: Path) -> None:
    """Bug 2 (engine side): no untrained model comes out, and the folder gets nothing."""
    folder = new_session_dir("vae")
    watcher = Watcher(stop_at_batch=2)
    outcome = _run(_config(), watcher, place=SessionFolder(folder)).execute()
    assert outcome.stopped and outcome.error is None
    assert outcome.model is None and not outcome.kept and outcome.epochs_done == 0
    assert outcome.note == NOTHING_KEPT == "Stopped before the first epoch ended; nothing was kept"
    assert outcome.batches_done == 2 and not watcher.epochs
    assert not outcome.committed and outcome.folder is None and outcome.resumable is None
    assert not folder.exists()  # nothing to continue or reopen: no folder, no mark
    assert _leftovers(folder.parent) == [] and find_interrupted() is None


@pytest.mark.slow
def test_stopped_before_the_first_epoch_an_output_folder_is_untouched(tmp_path: Path) -> None:
    """The CLI's --out keeps an earlier run's files byte for byte; nothing half-written."""
    out = tmp_path / "out"
    earlier = _run(_config(epochs=1), Watcher(), place=OutputFolder(out)).execute()
    assert earlier.committed and earlier.folder == out and has_model(out)
    before = _files(out)
    watcher = Watcher(stop_at_batch=1)
    outcome = _run(_config(epochs=2, seed=5), watcher, place=OutputFolder(out)).execute()
    assert outcome.model is None and outcome.note == NOTHING_KEPT and not outcome.committed
    assert _files(out) == before
    assert _leftovers(tmp_path) == []


def test_a_finished_run_commits_its_model_figures_and_timeline(tmp_path: Path) -> None:
    out = tmp_path / "out"
    watcher = Watcher()
    run = _run(_config(epochs=2), watcher, place=OutputFolder(out))
    outcome = run.execute()
    assert outcome.error is None and not outcome.stopped and outcome.note == ""
    assert outcome.committed and outcome.folder == out and outcome.epochs_done == 2
    names = set(_files(out))
    assert {"model.weights.h5", "config.json", "metrics.json", "manifest.json"} <= names
    assert {"timeline.npz", "latent_grid.png", "reconstructions.png"} <= names
    assert [f.epoch for _, f in watcher.frames] == [1, 2]  # a frame before each epoch's result
    assert [r.epoch for r in watcher.epochs] == [0, 1]
    assert TrainedModel.load(out).history == outcome.model.history
    assert not CheckpointStore(out).folder.exists()  # committed: the cache need not keep them
    assert watcher.statuses[-1] == "Building the model…"


@pytest.mark.slow
def test_a_stopped_window_run_can_be_continued_with_its_whole_history(tmp_path: Path) -> None:
    """Bug 5 (engine side): the resumable run carries its records and its own total, and
    the continued Run starts from them: its replay and its history cover the whole run."""
    folder = new_session_dir("vae")
    first = _run(_config(epochs=3), Watcher(stop_after_epoch=1), place=SessionFolder(folder))
    outcome = first.execute()
    assert outcome.stopped and outcome.epochs_done == 1 and outcome.note == ""
    assert outcome.folder == folder and not has_model(folder)  # the checkpoint suffices
    found = outcome.resumable
    assert found is not None and found == resumable_run(folder) == find_resumable("vae")
    assert (found.epochs_done, found.epochs, found.progress) == (1, 3, "epoch 1 of 3")
    assert [r["epoch"] for r in found.history] == [1.0]
    assert found.history[0]["val_loss"] == outcome.model.history[0]["val_loss"]
    assert found.timeline().epochs == [1]
    assert not (folder / INTERRUPTED_FILE).exists()  # stopped by the user: no offer at launch

    watcher = Watcher()
    again = _run(TrainConfig.from_dict(found.config), watcher, place=SessionFolder(folder),
                 resume=True)  # fmt: skip
    done = again.execute()
    assert done.error is None and not done.stopped
    assert [r["epoch"] for r in done.model.history] == [1.0, 2.0, 3.0]
    assert [t.epochs for t in watcher.resumed] == [[1]]  # shown before it goes on
    assert again.timeline is not None and again.timeline.epochs == [1, 2, 3]
    assert not folder.exists() and find_resumable("vae") is None  # finished: nothing to offer


@pytest.mark.slow
def test_a_closed_run_keeps_its_model_and_is_offered_at_the_next_launch(tmp_path: Path) -> None:
    folder = new_session_dir("vae")
    watcher = Watcher(stop_after_epoch=1)
    watcher.close = True  # the window closes after epoch 1
    outcome = _run(_config(epochs=3), watcher, place=SessionFolder(folder)).execute()
    assert outcome.saved and outcome.committed and outcome.folder == folder
    assert has_model(folder) and TrainedModel.load(folder).history == outcome.model.history
    assert json.loads((folder / INTERRUPTED_FILE).read_text())["epochs_done"] == 1
    assert find_interrupted() == folder and not crashed(folder)
    assert resumable_run(folder) is not None and (folder / CHECKPOINTS).is_dir()


def test_a_run_closed_before_its_first_epoch_ends_leaves_nothing_to_reopen(
    tmp_path: Path,
) -> None:
    folder = new_session_dir("vae")
    watcher = Watcher(stop_at_batch=1)
    watcher.close = True
    outcome = _run(_config(), watcher, place=SessionFolder(folder)).execute()
    assert outcome.model is None and outcome.note == NOTHING_KEPT and not outcome.saved
    assert not folder.exists() and find_interrupted() is None


def test_while_it_trains_the_run_holds_its_folder_and_says_it_is_running(
    tmp_path: Path,
) -> None:
    folder = new_session_dir("vae")
    seen: dict[str, Any] = {}

    class Peek(Watcher):
        def batch(self, p: BatchProgress) -> None:
            if not seen:
                seen["crashed"] = crashed(folder)  # what a killed run would leave
                seen["locked"] = self.run is not None and self.run.locked.is_set()
                seen["resumable"] = find_resumable("vae")
            super().batch(p)

    watcher = Peek(stop_at_batch=1)
    _run(_config(), watcher, place=SessionFolder(folder)).execute()
    assert seen == {"crashed": True, "locked": True, "resumable": None}


def test_a_busy_folder_is_refused_in_one_line_and_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    held, done = threading.Event(), threading.Event()

    def other_run() -> None:
        with RunFolder(out):
            held.set()
            done.wait(30)

    t = threading.Thread(target=other_run)
    t.start()
    try:
        assert held.wait(10)
        outcome = _run(_config(), Watcher(), place=OutputFolder(out)).execute()
    finally:
        done.set()
        t.join()
    assert outcome.model is None and "in use" in (outcome.error or "")
    assert "\n" not in (outcome.error or "") and not out.exists()


@pytest.mark.slow
def test_compare_runs_commit_a_finished_model_and_leave_nothing_when_stopped(
    tmp_path: Path,
) -> None:
    """``continuable=False``: no checkpoints to continue, no marks; the model or nothing."""
    base = sessions_dir() / "compare"
    finished = _run(
        _config(epochs=1), Watcher(), place=SessionFolder(base / "a", continuable=False)
    ).execute()
    assert finished.committed and finished.folder == base / "a"
    assert has_model(base / "a") and not (base / "a" / CHECKPOINTS).exists()
    assert not (base / "a" / INTERRUPTED_FILE).exists()
    stopped = _run(
        _config(epochs=2),
        Watcher(stop_after_epoch=1),
        place=SessionFolder(base / "b", continuable=False),
    ).execute()
    assert stopped.kept and not stopped.committed and not (base / "b").exists()


def test_bad_data_ends_in_the_outcome_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.npy"
    folder = new_session_dir("autoencoder")
    run = Run(TrainConfig(model="autoencoder", data=f"quickdraw:{missing}"),
              place=SessionFolder(folder))  # fmt: skip
    outcome = run.execute()
    assert outcome.model is None and str(missing) in (outcome.error or "")
    assert outcome.note == "" and not folder.exists()  # the error says it; no mark stays
