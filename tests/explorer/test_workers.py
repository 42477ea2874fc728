"""The training worker and the controller: real training in the QThreadPool, plain messages."""

from __future__ import annotations

from typing import Any

import pytest

from explorer.controller import TrainingController
from explorer.workers import TaskWorker, TrainingOutcome, TrainingWorker
from models.data.dataset import Dataset
from models.errors import DataFormatError
from models.messages import BatchProgress, EpochResult

pytestmark = pytest.mark.usefixtures("tensorflow_loaded")


class Recorder:
    """Bound-method receivers (queued delivery to the GUI thread needs a QObject or method)."""

    def __init__(self) -> None:
        self.batches: list[BatchProgress] = []
        self.epochs: list[EpochResult] = []
        self.outcomes: list[TrainingOutcome] = []
        self.statuses: list[str] = []
        self.infos: list[Any] = []

    def batch(self, p: BatchProgress) -> None:
        self.batches.append(p)

    def epoch(self, r: EpochResult) -> None:
        self.epochs.append(r)

    def finished(self, o: TrainingOutcome) -> None:
        self.outcomes.append(o)

    def status(self, s: str) -> None:
        self.statuses.append(s)

    def info(self, i: Any) -> None:
        self.infos.append(i)


def controller_with(rec: Recorder, report_every: int = 1) -> TrainingController:
    c = TrainingController(report_every=report_every)
    c.batch.connect(rec.batch)
    c.epoch.connect(rec.epoch)
    c.finished.connect(rec.finished)
    c.status.connect(rec.status)
    c.data_ready.connect(rec.info)
    return c


@pytest.mark.slow
def test_one_epoch_runs_in_the_pool_and_reports(
    qtbot: Any, make_config: Any, digits: Dataset
) -> None:
    rec = Recorder()
    c = controller_with(rec)
    with qtbot.waitSignal(c.finished, timeout=60_000):
        c.start(make_config("vae"), digits)
        assert c.is_running
    assert not c.is_running
    (outcome,) = rec.outcomes
    assert outcome.error is None and not outcome.stopped
    assert outcome.epochs_done == 1 and outcome.model.kind == "vae"
    assert rec.batches and rec.batches[-1].batch == rec.batches[-1].batches
    assert [e.epoch for e in rec.epochs] == [0]
    snap = rec.epochs[0].snapshot
    assert snap is not None and snap.codec is not None and snap.val_z_mean is not None
    (info,) = rec.infos
    assert info.n_train + info.n_val == len(digits) and info.source == digits.source
    assert c.model("vae") is outcome.model


def test_pause_resume_and_stop_mid_epoch_within_one_batch(
    qtbot: Any, make_config: Any, make_bars: Any
) -> None:
    rec = Recorder()
    c = controller_with(rec)
    paused: list[bool] = []
    c.session.run_changed.connect(lambda state: paused.append(state.phase.value == "paused"))
    worker = c.start(make_config("vae", batch_size=4, epochs=3), make_bars(n=3000))
    qtbot.waitUntil(lambda: len(rec.batches) > 0, timeout=60_000)
    batches_per_epoch = rec.batches[0].batches  # 638: far more than will run
    c.pause()
    assert c.is_paused and worker.control.paused and paused[-1:] == [True]
    c.toggle_pause()
    assert not c.is_paused and paused[-2:] == [True, False]
    rec_batches = len(rec.batches)
    qtbot.waitUntil(lambda: len(rec.batches) > rec_batches, timeout=30_000)  # going again
    with qtbot.waitSignal(c.finished, timeout=30_000):
        c.stop()  # while running, mid-epoch
    (outcome,) = rec.outcomes
    assert outcome.stopped and outcome.error is None
    assert worker.batches_at_stop is not None
    assert worker.batches_done <= worker.batches_at_stop + 1  # Stop acts within one batch
    assert outcome.epochs_done == 0 and outcome.batches_done < batches_per_epoch
    assert outcome.model is None  # nothing of an unfinished first epoch is kept


def test_stop_before_the_first_epoch_ends_keeps_the_shown_model(
    qtbot: Any, make_config: Any, make_bars: Any
) -> None:
    """Issue 13, bug 2: Stop at a batch of epoch 1 must not replace the model on show with
    an untrained one; the outcome says that nothing was kept, and the run's folder goes."""
    from explorer.session import Origin
    from models.nets.trained import TrainedModel

    rec = Recorder()
    c = controller_with(rec)
    config = make_config("vae", batch_size=4, epochs=2)
    shown = TrainedModel.build(config.replace(image_size=(28, 28)))
    c.set_model(shown, Origin.LOADED)
    worker = c.start(config, make_bars(n=400))
    qtbot.waitUntil(lambda: len(rec.batches) > 0, timeout=60_000)
    with qtbot.waitSignal(c.finished, timeout=30_000):
        c.stop()
    (outcome,) = rec.outcomes
    assert outcome.stopped and outcome.error is None and outcome.batches_done > 0
    assert outcome.model is None and not outcome.kept and outcome.epochs_done == 0
    assert outcome.note == "Stopped before the first epoch ended; nothing was kept"
    assert c.model("vae") is shown  # the map and the images keep showing it
    assert not rec.epochs and worker.folder is not None and not worker.folder.exists()
    qtbot.waitUntil(lambda: not c.busy, timeout=30_000)  # its points, encoded meanwhile


def test_bad_data_spec_ends_with_the_engines_message(
    qtbot: Any, make_config: Any, tmp_path: Any
) -> None:
    rec = Recorder()
    c = controller_with(rec)
    missing = tmp_path / "nowhere.bin"
    with qtbot.waitSignal(c.finished, timeout=30_000):
        c.start(make_config("autoencoder", data=f"quickdraw:{missing}"))
    (outcome,) = rec.outcomes
    assert outcome.model is None and str(missing) in (outcome.error or "")


def test_offline_autoencoder_falls_back_to_doodles(
    qtbot: Any, make_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AE_EXPLORER_OFFLINE", "1")
    rec = Recorder()
    c = controller_with(rec)
    c.data_ready.connect(c.stop)  # this test is about the data: stop once it is in
    with qtbot.waitSignal(c.finished, timeout=60_000):
        c.start(make_config("autoencoder", data="quickdraw:cat"))
    (info,) = rec.infos
    outcome = rec.outcomes[0]
    assert outcome.error is None, outcome.error
    assert info.generated and info.name == "doodles" and "doodles" in info.note
    assert outcome.config.data == "doodles"
    assert info.val_images.shape[1:] == (32, 32)


def test_stop_before_training_starts_leaves_nothing_running(
    qtbot: Any, make_config: Any, digits: Dataset
) -> None:
    worker = TrainingWorker(make_config("vae"), digits)
    worker.request_stop()
    with qtbot.waitSignal(worker.signals.finished, timeout=30_000):
        worker.start()
    assert worker.outcome.model is None and worker.outcome.stopped


class TaskRecorder:
    def __init__(self) -> None:
        self.done: list[tuple[Any, Any]] = []
        self.failed: list[tuple[Any, str]] = []

    def on_done(self, tag: Any, result: Any) -> None:
        self.done.append((tag, result))

    def on_failed(self, tag: Any, message: str) -> None:
        self.failed.append((tag, message))


def _boom() -> None:
    raise DataFormatError("/x/cats.bin", "byte 12", "truncated stroke")


@pytest.mark.parametrize(
    ("fn", "expect_done"), [(lambda: 41 + 1, True), (_boom, False)], ids=["ok", "error"]
)
def test_task_worker_reports_results_and_errors(qtbot: Any, fn: Any, expect_done: bool) -> None:
    rec = TaskRecorder()
    worker = TaskWorker(("t", 1), fn)
    worker.task_done.connect(rec.on_done)
    worker.task_failed.connect(rec.on_failed)
    with qtbot.waitSignal(worker.signals.finished, timeout=10_000):
        worker.start()
    qtbot.waitUntil(lambda: bool(rec.done or rec.failed), timeout=5_000)
    if expect_done:
        assert rec.done == [(("t", 1), 42)]
    else:
        assert rec.failed == [(("t", 1), "/x/cats.bin, byte 12: truncated stroke")]
