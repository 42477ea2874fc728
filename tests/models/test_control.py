"""Slow motion and stepping in TrainingControl, without Qt: a fake loop, and the real one."""

from __future__ import annotations

import threading
import time

import pytest

from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig
from models.training.control import TrainingControl
from models.training.loop import train
from tests.models.conftest import bar_digits


class FakeLoop:
    """``epochs`` × ``batches`` calls of wait_while_paused in a thread, counting batches run."""

    def __init__(self, control: TrainingControl, epochs: int = 3, batches: int = 4) -> None:
        self.control = control
        self.done: list[tuple[int, int]] = []
        self.waited = 0.0
        self.epochs, self.batches = epochs, batches
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        for e in range(self.epochs):
            for b in range(self.batches):
                self.waited += self.control.wait_while_paused(b == 0)
                if self.control.stopped:
                    return
                self.done.append((e, b))

    def settle(self, count: int, timeout: float = 5.0) -> None:
        """Wait until ``count`` batches ran, then a little longer to see that no more do."""
        end = time.monotonic() + timeout
        while len(self.done) < count and time.monotonic() < end:
            time.sleep(0.005)
        time.sleep(0.1)


def test_off_costs_nothing_and_never_waits() -> None:
    control = TrainingControl()
    t0 = time.perf_counter()
    for _ in range(100_000):
        control.wait_while_paused()
    per_call = (time.perf_counter() - t0) / 100_000
    assert per_call < 5e-6
    assert control.wait_while_paused(True) == 0.0


def test_delay_waits_between_batches_and_can_be_turned_off() -> None:
    control = TrainingControl()
    control.set_delay(0.05)
    t0 = time.perf_counter()
    for _ in range(4):
        control.wait_while_paused()
    assert time.perf_counter() - t0 >= 0.19
    control.set_delay(0)
    assert control.wait_while_paused() == 0.0
    with pytest.raises(ValueError, match="0 or more"):
        control.set_delay(-1)


def test_stop_interrupts_a_long_delay() -> None:
    control = TrainingControl()
    control.set_delay(30)
    threading.Timer(0.05, control.stop).start()
    t0 = time.perf_counter()
    control.wait_while_paused()
    assert time.perf_counter() - t0 < 5


def test_step_batch_runs_exactly_one_batch() -> None:
    control = TrainingControl()
    control.pause()
    loop = FakeLoop(control)
    loop.thread.start()
    loop.settle(0)
    assert loop.done == []
    control.step_batch()
    loop.settle(1)
    assert loop.done == [(0, 0)]
    control.step_batch()
    control.step_batch()
    loop.settle(3)
    assert loop.done == [(0, 0), (0, 1), (0, 2)]
    assert control.paused
    control.stop()
    loop.thread.join(5)
    assert not loop.thread.is_alive()


def test_step_epoch_runs_to_the_end_of_the_epoch() -> None:
    control = TrainingControl()
    control.pause()
    loop = FakeLoop(control)
    loop.thread.start()
    control.step_epoch()  # paused before the first batch: one whole epoch
    loop.settle(4)
    assert loop.done == [(0, b) for b in range(4)]
    control.step_batch()  # mid-way through epoch 1, then the rest of it
    loop.settle(5)
    assert loop.done[-1] == (1, 0)
    control.step_epoch()
    loop.settle(8)
    assert loop.done[-1] == (1, 3) and len(loop.done) == 8
    assert control.paused
    control.resume()
    loop.thread.join(5)
    assert len(loop.done) == 12


def test_step_on_a_running_loop_pauses_it_after_the_step() -> None:
    control = TrainingControl()
    control.step_batch()
    assert control.paused
    control.wait_while_paused()  # the granted batch
    blocker = threading.Thread(target=control.wait_while_paused, daemon=True)
    blocker.start()
    blocker.join(0.1)
    assert blocker.is_alive()  # paused now
    control.resume()
    blocker.join(5)
    assert not blocker.is_alive()


@pytest.mark.slow
def test_the_real_loop_steps_one_epoch_at_a_time() -> None:
    tr, va = bar_digits(80).split(0.25, seed=0)
    config = TrainConfig(model="vae", epochs=3, batch_size=20, hidden_units=16)  # 3 batches
    control = TrainingControl()
    control.pause()
    batches: list[BatchProgress] = []
    epochs: list[EpochResult] = []
    thread = threading.Thread(
        target=lambda: train(
            config, tr, va, control=control, on_batch=batches.append,
            on_epoch=epochs.append, report_every=1, snapshots=False,
        ),
        daemon=True,
    )  # fmt: skip
    thread.start()
    control.step_epoch()
    end = time.monotonic() + 60
    while len(epochs) < 1 and time.monotonic() < end:
        time.sleep(0.01)
    time.sleep(0.2)
    assert len(epochs) == 1 and len(batches) == 3
    control.step_batch()
    end = time.monotonic() + 30
    while len(batches) < 4 and time.monotonic() < end:
        time.sleep(0.01)
    time.sleep(0.2)
    assert len(batches) == 4 and batches[-1].epoch == 1 and batches[-1].batch == 1
    control.resume()
    thread.join(60)
    assert not thread.is_alive() and len(epochs) == 3
