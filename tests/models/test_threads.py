"""TensorFlow's threads on a small CPU (``models.nets.threads``), and the training step and
evaluation that split a batch into one branch per core: the same numbers as one branch."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.nets import threads
from models.nets.backend import keras, tf
from models.nets.config import TrainConfig
from models.nets.functions import arrays, per_sample_losses, train_step
from models.nets.trained import TrainedModel
from tests.models.conftest import bar_digits


@pytest.mark.parametrize(
    ("cores", "setting", "expected"),
    [
        (2, "auto", 1),  # a small CPU: one thread per op
        (4, "auto", 1),
        (1, "auto", 0),  # one core: nothing to share out
        (16, "auto", 0),  # a big one keeps TensorFlow's choice
        (2, "tf", 0),
        (2, " TF ", 0),
        (2, "3", 3),
        (2, "lots", 1),  # unreadable: as unset
    ],
)
def test_op_threads_follow_the_cores_and_the_environment(
    cores: int, setting: str, expected: int
) -> None:
    assert threads.op_threads(cores, setting) == expected


def test_this_process_runs_with_the_threads_chosen_for_it() -> None:
    import os

    wanted = threads.op_threads(threads.cpu_cores(), os.environ.get(threads.ENV, "auto"))
    assert tf.config.threading.get_intra_op_parallelism_threads() == wanted


def _tf(intra: int) -> Any:
    return SimpleNamespace(
        config=SimpleNamespace(
            threading=SimpleNamespace(get_intra_op_parallelism_threads=lambda: intra)
        )
    )


@pytest.mark.parametrize(
    ("cores", "intra", "on_gpu", "expected"),
    [(2, 1, False, 2), (3, 1, False, 3), (8, 1, False, 4), (2, 0, False, 1), (2, 2, False, 1),
     (1, 1, False, 1), (2, 1, True, 1)],
)  # fmt: skip
def test_a_step_branches_by_core_only_where_each_op_has_one_thread(
    cores: int, intra: int, on_gpu: bool, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threads, "cpu_cores", lambda: cores)
    assert threads.step_branches(_tf(intra), on_gpu) == expected


def _model(kind: str, branches: int, monkeypatch: pytest.MonkeyPatch) -> TrainedModel:
    monkeypatch.setattr(threads, "step_branches", lambda tf, on_gpu: branches)
    extra = {"arch": "dense", "hidden_units": 16} if kind == "dense" else {}
    side = 32 if kind == "conv" else 28
    config = TrainConfig(model="autoencoder", seed=3, image_size=(side, side), **extra)
    keras.utils.set_random_seed(3)
    return TrainedModel.build(config)


def _data(kind: str, n: int) -> Dataset:
    data = bar_digits(n)
    if kind == "conv":  # the conv autoencoder takes 32x32 pictures
        images = np.pad(data.images, ((0, 0), (2, 2), (2, 2)))
        data = Dataset(images, data.labels, data.source, data.name)
    return data


@pytest.mark.parametrize("kind", ["dense", "conv"])
def test_a_branched_step_trains_as_one_branch(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two branches' summed gradients are the batch's gradient: after three steps (full
    batches of 12, then a batch of 1, where one branch has no row of its own) the weights
    and the loss sums are those of the one-branch step, up to float32 rounding."""
    results = []
    for branches in (1, 2):
        trained = _model(kind, branches, monkeypatch)
        optimizer = keras.optimizers.Adam(1e-2)
        optimizer.build(trained.model.trainable_variables)
        step = train_step(trained, optimizer)
        x, _ = arrays(trained, _data(kind, 25))
        sums = [np.asarray(step(x[i : i + 12])) for i in (0, 12, 24)]
        results.append((sums, [w.copy() for w in trained.model.get_weights()]))
    (sums_1, weights_1), (sums_2, weights_2) = results
    assert [len(s) for s in sums_2] == [1, 1, 1] and sums_2[2][0] > 0
    np.testing.assert_allclose(np.concatenate(sums_2), np.concatenate(sums_1), rtol=1e-4)
    for a, b in zip(weights_2, weights_1, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("kind", ["dense", "conv"])
def test_branched_evaluation_gives_each_sample_its_loss(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _data(kind, 7)
    one = per_sample_losses(_model(kind, 1, monkeypatch), data, batch_size=3)
    two = per_sample_losses(_model(kind, 2, monkeypatch), data, batch_size=3)  # 3, 3, then 1
    assert one.keys() == two.keys() and len(two["loss"]) == 7
    for key in one:
        np.testing.assert_allclose(two[key], one[key], rtol=1e-5)
