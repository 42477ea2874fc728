"""The window's runs are resumable: per-epoch checkpoints in the run's session folder, held
under the folder's lock; continued from the Training tab or the next launch's banner."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from explorer import gui_gc
from explorer.controller import TrainingController
from explorer.main_window import MainWindow
from explorer.session import (
    crashed,
    find_interrupted,
    find_resumable,
    has_model,
    mark_running,
    new_session_dir,
    resumable_run,
    sessions_dir,
)
from explorer.workers import TrainingWorker
from models.data.dataset import Dataset
from models.inference.timeline import Timeline
from models.runfolder import FolderBusyError, RunFolder
from models.training.checkpoint import CHECKPOINTS

pytestmark = pytest.mark.usefixtures("tensorflow_loaded")

SPEC = "mnist:/in/memory.npz"
"""The data as an opened file would be named (the window finds it in ``opened_data``)."""


def make_window(qtbot: Any, data: Dataset) -> MainWindow:
    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=False
    )
    qtbot.addWidget(w)
    w.opened[SPEC] = data
    w.show()
    return w


@pytest.fixture
def pause_after_first_epoch(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The worker pauses itself right after epoch 1 (in its own thread, so no epoch slips
    past before the test acts), as a user would press Pause then."""
    paused = threading.Event()
    original = TrainingWorker._on_epoch

    def on_epoch(self: TrainingWorker, result: Any) -> None:
        original(self, result)
        if result.epoch == 0:
            self.control.pause()
            paused.set()

    monkeypatch.setattr(TrainingWorker, "_on_epoch", on_epoch)
    return paused


def epochs_listed(folder: Path) -> list[float]:
    return [r["epoch"] for r in json.loads((folder / "metrics.json").read_text())]


@pytest.mark.slow
def test_closing_mid_run_then_a_new_window_continues_it(
    qtbot: Any, make_config: Any, make_bars: Any, pause_after_first_epoch: threading.Event
) -> None:
    data = make_bars(n=240)
    config = make_config("vae", epochs=3, batch_size=16, data=SPEC)
    w = make_window(qtbot, data)
    w.train(config)
    qtbot.waitUntil(pause_after_first_epoch.is_set, timeout=60_000)
    running = w.controller.worker
    assert running is not None and running.folder is not None
    assert gui_gc.training()  # no full collection on the GUI thread while the run trains
    # Beside the checkpoints after each epoch, so a crash keeps the replay too.
    assert Timeline.load(running.folder / CHECKPOINTS).epochs == [1]
    w.close()  # mid-run (paused after epoch 1): the model and the checkpoint are kept
    saved = w.saved_session
    assert saved is not None and saved.parent == sessions_dir()
    assert has_model(saved) and epochs_listed(saved) == [1.0]
    assert find_interrupted() == saved and not crashed(saved)
    run = resumable_run(saved)
    assert run is not None and (run.epochs_done, run.epochs) == (1, 3)
    pause_after_first_epoch.clear()

    again = make_window(qtbot, data)
    assert set(again.banner.buttons) == {"Reopen", "Continue training", "Dismiss"}
    again.banner.buttons["Dismiss"].click()
    assert find_interrupted() is None  # answered: not offered at every launch...
    button = again.training.continue_button
    assert button.isVisibleTo(again.training)  # ...but the Training tab still offers it
    assert "epoch 1 of 3" in button.text()
    with qtbot.waitSignal(again.controller.finished, timeout=60_000):
        button.click()
        assert not button.isVisibleTo(again.training)
    outcome = again.controller.last_outcome
    assert outcome is not None and outcome.error is None and not outcome.stopped
    assert [r["epoch"] for r in outcome.model.history] == [1.0, 2.0, 3.0]  # each once
    vx, _ = again.training.curve_data("val", "loss")
    assert list(vx) == [1.0, 2.0, 3.0]  # the earlier epoch is plotted too, once
    timeline = again.session.slot("vae").timeline
    assert timeline is not None and timeline.epochs == [1, 2, 3]  # its replay: the whole run
    # The folder the user was told about now holds the finished model; no checkpoints.
    assert epochs_listed(saved) == [1.0, 2.0, 3.0]
    assert not (saved / CHECKPOINTS).exists() and resumable_run(saved) is None
    assert not button.isVisibleTo(again.training)
    again.close()
    assert again.saved_session is None


def make_crashed_run(config: Any, data: Dataset, epochs_done: int) -> Path:
    """What a killed window leaves: the "running" mark, checkpoints, a stale lock file,
    no saved model. Made by the engine the worker calls, stopped after ``epochs_done``."""
    from explorer.session import run_checkpoints
    from models.training.control import TrainingControl
    from models.training.loop import train

    folder = new_session_dir(config.model)
    folder.mkdir(parents=True)
    mark_running(folder)
    control = TrainingControl()

    def on_epoch(result: Any) -> None:
        if result.epoch + 1 == epochs_done:
            control.stop()

    train_data, val_data = data.split(config.val_fraction, seed=config.seed)
    train(
        config,
        train_data,
        val_data,
        control=control,
        on_epoch=on_epoch,
        checkpoints=run_checkpoints(folder),
    )
    lock = folder.parent / f".{folder.name}.lock"  # its process is gone: flock is free
    lock.write_text(json.dumps({"pid": 2**22 + 1, "command": "ae-explorer"}))
    return folder


@pytest.mark.slow
def test_a_crashed_run_is_detected_and_continued(
    qtbot: Any, make_config: Any, make_bars: Any
) -> None:
    data = make_bars(n=240)
    config = make_config("vae", epochs=3, batch_size=16, data=SPEC)
    folder = make_crashed_run(config, data, epochs_done=2)
    assert crashed(folder) and not has_model(folder)
    assert find_interrupted() == folder

    w = make_window(qtbot, data)
    assert w.banner.isVisibleTo(w) and "crashed" in w.banner.label.text()
    assert set(w.banner.buttons) == {"Continue training", "Dismiss"}  # no model to reopen
    assert "epoch 2 of 3" in w.training.continue_button.text()
    with qtbot.waitSignal(w.controller.finished, timeout=60_000):
        w.banner.buttons["Continue training"].click()
    outcome = w.controller.last_outcome
    assert outcome is not None and outcome.error is None
    assert [r["epoch"] for r in outcome.model.history] == [1.0, 2.0, 3.0]
    assert w.controller.model("vae") is outcome.model
    # Finished: nothing to offer any more, and the folder (no model of its own) is gone.
    assert find_interrupted() is None and find_resumable("vae") is None
    assert not folder.exists() and not (folder.parent / f".{folder.name}.lock").exists()
    w.close()


def try_lock_in_another_process(folder: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from models.runfolder import RunFolder, FolderBusyError\n"
        "try:\n"
        f"    RunFolder({str(folder)!r}).acquire()\n"
        "except FolderBusyError as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_a_window_run_holds_its_folders_lock(qtbot: Any, make_config: Any, make_bars: Any) -> None:
    import os

    c = TrainingController(report_every=1)
    worker = c.start(make_config("vae", epochs=2, batch_size=4), make_bars(n=400))
    c.pause()  # held at its first batch
    qtbot.waitUntil(worker.locked.is_set, timeout=60_000)
    folder = worker.folder
    assert folder is not None and folder.parent == sessions_dir()
    refused: list[BaseException] = []

    def other_thread() -> None:
        try:
            RunFolder(folder).acquire()
        except FolderBusyError as exc:
            refused.append(exc)

    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert refused and "in use" in str(refused[0])
    proc = try_lock_in_another_process(folder)
    assert proc.returncode == 3, proc.stderr
    assert f"process {os.getpid()}" in proc.stdout  # names the window's process
    assert find_resumable("vae") is None  # a live run is not offered as one to continue
    with qtbot.waitSignal(c.finished, timeout=60_000):
        c.stop()
    assert not worker.locked.is_set()
    assert not folder.exists()  # stopped before an epoch ended: nothing to continue
    with RunFolder(folder):  # released
        pass


def test_continue_refused_while_another_run_holds_the_folder(
    qtbot: Any, make_config: Any, make_bars: Any
) -> None:
    data = make_bars(n=240)
    config = make_config("vae", epochs=3, batch_size=16, data=SPEC)
    folder = make_crashed_run(config, data, epochs_done=1)
    c = TrainingController(report_every=1)
    c.opened_data[SPEC] = data
    held, done = threading.Event(), threading.Event()

    def other_run() -> None:  # e.g. `ae-explorer train --resume --out FOLDER`
        with RunFolder(folder):
            held.set()
            done.wait(60)

    t = threading.Thread(target=other_run)
    t.start()
    try:
        assert held.wait(10)
        assert find_resumable("vae") is None and find_interrupted() is None
        with qtbot.waitSignal(c.finished, timeout=60_000):
            c.continue_run(folder)
    finally:
        done.set()
        t.join()
    outcome = c.last_outcome
    assert outcome is not None and "in use" in (outcome.error or "")
    assert resumable_run(folder) is not None  # its checkpoint is untouched
    assert find_resumable("vae") is not None


@pytest.mark.slow
def test_a_stopped_run_is_offered_in_the_training_tab_not_at_launch(
    qtbot: Any, make_config: Any, make_bars: Any, pause_after_first_epoch: threading.Event
) -> None:
    data = make_bars(n=240)
    w = make_window(qtbot, data)
    assert not w.training.continue_button.isVisibleTo(w.training)
    w.train(make_config("vae", epochs=3, batch_size=16, data=SPEC))
    qtbot.waitUntil(pause_after_first_epoch.is_set, timeout=60_000)
    with qtbot.waitSignal(w.controller.finished, timeout=60_000):
        w.stop_action.trigger()
    outcome = w.controller.last_outcome
    assert outcome is not None and outcome.stopped and outcome.folder is not None
    assert not has_model(outcome.folder)  # the checkpoint suffices; the model is in memory
    assert "epoch 1 of 3" in w.training.continue_button.text()
    assert w.training.continue_button.isVisibleTo(w.training)
    assert find_interrupted() is None  # the user stopped it: nothing to announce at launch
    w.training.set_model_kind("cvae")  # the button follows the chosen model
    assert not w.training.continue_button.isVisibleTo(w.training)
    w.close()
