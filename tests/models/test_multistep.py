"""Several batches per compiled call (``loop.multi_step``): the same training as one batch
per call, and Stop still acts between calls."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.messages import BatchProgress
from models.nets.config import TrainConfig
from models.training import loop
from models.training.control import TrainingControl
from models.training.loop import train
from tests.models.conftest import bar_digits


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every multi-batch call's k, recorded; calls are sized to 4 batches."""
    made: list[int] = []
    real = loop.multi_step

    def spy(trained: Any, optimizer: Any, k: int) -> Any:
        fn = real(trained, optimizer, k)

        def counted(*args: Any) -> Any:
            made.append(k)
            return fn(*args)

        return counted

    monkeypatch.setattr(loop, "multi_step", spy)
    monkeypatch.setattr(loop, "CALL_SECONDS", 1e6)
    monkeypatch.setattr(loop, "MAX_STEPS_PER_CALL", 4)
    monkeypatch.setattr(loop, "MULTI_ON_CPU", True)  # as on a GPU
    # float32, so XLA compiles the steps (XLA's CPU dots are slow in bfloat16: a bfloat16
    # model's steps are not XLA-compiled, and take one batch per call).
    from models.nets import precision

    monkeypatch.setattr(precision, "native_bfloat16", lambda: False)
    # One branch per step, as on a GPU (on a small CPU a step splits its batch by core, and
    # each branch draws its own sampling noise: another random stream than the k-batch call's).
    from models.nets import threads

    monkeypatch.setattr(threads, "step_branches", lambda tf, on_gpu: 1)
    return made


@pytest.mark.parametrize("model", ["vae", "cvae"])
def test_several_batches_per_call_train_as_one_batch_per_call(
    model: str, calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    tr, va = bar_digits(200).split(0.2, seed=0)  # 160 samples: 16 batches of 10 per epoch
    config = TrainConfig(model=model, epochs=2, batch_size=10, hidden_units=16)
    several = train(config, tr, va, snapshots=False)
    assert calls and set(calls) == {4}  # the multi-batch call really ran
    monkeypatch.setattr(loop, "MAX_STEPS_PER_CALL", 1)
    calls.clear()
    single = train(config, tr, va, snapshots=False)
    assert not calls
    for a, b in zip(several.history, single.history, strict=True):
        assert a.keys() == b.keys()
        for key in a:
            assert a[key] == pytest.approx(b[key], rel=1e-4, abs=1e-5), key
    for wa, wb in zip(several.model.get_weights(), single.model.get_weights(), strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-3, atol=1e-5)


def test_stop_acts_between_multi_batch_calls(calls: list[int]) -> None:
    tr, va = bar_digits(200).split(0.2, seed=0)
    config = TrainConfig(model="vae", epochs=3, batch_size=10, hidden_units=16)
    control = TrainingControl()
    seen: list[int] = []
    epochs: list[object] = []

    def on_batch(p: BatchProgress) -> None:
        seen.append(p.batch)
        if p.batch >= 8:
            control.stop()

    train(config, tr, va, control=control, on_batch=on_batch, on_epoch=epochs.append,
          report_every=1, snapshots=False)  # fmt: skip
    # One batch per call while the step is timed (1 compiling + 3 timed), then 4 per call;
    # each batch of a call is still reported; Stop, asked for after batch 8 (the end of a
    # call), ends the loop before the next call.
    assert seen == list(range(1, 9))
    assert calls == [4] and not epochs


def test_stepping_batch_by_batch_runs_one_batch_per_call(calls: list[int]) -> None:
    """Slow motion (any delay) reports, and trains, every batch on its own."""
    tr, va = bar_digits(100).split(0.2, seed=0)
    config = TrainConfig(model="vae", epochs=1, batch_size=10, hidden_units=16)
    control = TrainingControl()
    control.set_delay(0.001)
    seen: list[int] = []
    train(config, tr, va, control=control, on_batch=lambda p: seen.append(p.batch),
          report_every=5, snapshots=False)  # fmt: skip
    assert seen == list(range(1, 9)) and not calls


def test_conv_kinds_keep_one_batch_per_call(calls: list[int]) -> None:
    """Without XLA (the conv kinds) the in-graph loop measured slower: never used."""
    rng = np.random.default_rng(0)
    data = Dataset((rng.random((60, 32, 32)) < 0.2).astype(np.float32), rng.integers(0, 10, 60),
                   "dots", "dots")  # fmt: skip
    config = TrainConfig(model="autoencoder", epochs=1, batch_size=5)
    seen: list[int] = []
    train(config, data, data.subset(slice(0, 10)), on_batch=lambda p: seen.append(p.batch),
          report_every=1, snapshots=False)  # fmt: skip
    assert seen == list(range(1, 13)) and not calls


def test_on_a_cpu_one_batch_per_call_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measured no faster on a CPU: off there unless asked for."""
    from models.training import device

    made: list[int] = []
    monkeypatch.setattr(loop, "multi_step", lambda *a: made.append(1))
    monkeypatch.setattr(loop, "CALL_SECONDS", 1e6)
    monkeypatch.setattr(device, "on_gpu", lambda: False)
    tr, va = bar_digits(120).split(0.2, seed=0)
    train(TrainConfig(model="vae", epochs=1, batch_size=10, hidden_units=8), tr, va,
          snapshots=False)  # fmt: skip
    assert not made
