"""Each compiled function of a model is traced once, whatever the batch sizes (issue 14).

TensorFlow traces a ``tf.function`` again for every new input shape unless its signature
leaves the batch open; the last partial batch of a validation set, another data set, or
another number of importance samples then cost a new trace (and, under XLA, a new
compilation) and fill the terminal with "retracing" warnings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.inference.classify import label_log_likelihoods
from models.nets.config import TrainConfig
from models.nets.functions import compiled_functions, per_sample_losses
from models.nets.trained import TrainedModel


def _model(kind: str, size: int, **extra: Any) -> TrainedModel:
    config = TrainConfig(model=kind, image_size=(size, size), latent_dim=2, hidden_units=8, **extra)
    return TrainedModel.build(config)


def _data(n: int, size: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    images = (rng.random((n, size, size)) < 0.2).astype(np.float32)
    return Dataset(images, np.arange(n) % 3, "tracing", "tracing")


@pytest.mark.parametrize(
    ("kind", "size", "extra"),
    [
        ("vae", 28, {}),  # dense, XLA
        ("cvae", 28, {"num_classes": 3}),  # dense with labels, XLA
        ("autoencoder", 32, {}),  # conv, no XLA
    ],
)
def test_evaluate_is_traced_once_for_every_batch_size(
    kind: str, size: int, extra: dict[str, Any]
) -> None:
    trained = _model(kind, size, **extra)
    data = _data(7, size)
    split = per_sample_losses(trained, data, batch_size=3)  # batches of 3, 3 and 1
    whole = per_sample_losses(trained, data, batch_size=7)
    per_sample_losses(trained, _data(5, size, seed=1), batch_size=1000)  # another data set
    fn = compiled_functions(trained)["evaluate"]
    assert fn.experimental_get_tracing_count() == 1
    assert set(split) == set(trained.spec.loss_terms)
    # The deterministic terms agree however the images are batched (XLA included).
    same = "kl" if trained.spec.variational else "loss"
    assert split[same].shape == (7,) and np.isfinite(split[same]).all()
    np.testing.assert_allclose(split[same], whole[same], rtol=1e-4, atol=1e-4)


def test_the_network_classifier_is_traced_once_for_any_chunk_and_sample_count() -> None:
    """The conv CVAE (no NumPy codec) scores labels through one traced function."""
    trained = _model("cvae", 32, num_classes=3, arch="conv")
    images = _data(5, 32).images
    many = label_log_likelihoods(trained, images, samples=512)  # chunks of 2, 2 and 1
    few = label_log_likelihoods(trained, images, samples=4)  # one chunk, fewer samples
    assert many.shape == few.shape == (5, 3)
    assert np.isfinite(many).all() and np.isfinite(few).all()
    assert trained.compiled("label_log_weights", dict).experimental_get_tracing_count() == 1
    # The same noise for the first chunk gives the same estimate, chunked or not.
    again = label_log_likelihoods(trained, images[:2], samples=512)
    np.testing.assert_allclose(again, many[:2], rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize(
    ("kind", "size", "extra"), [("vae", 28, {}), ("cvae", 28, {"num_classes": 3})]
)
def test_the_training_step_is_traced_once_for_the_last_smaller_batch(
    kind: str, size: int, extra: dict[str, Any]
) -> None:
    """An epoch of 7 samples in batches of 3 ends with a batch of 1: the trace made for the
    full batches serves it (the first call traces twice, as any step that creates the
    optimizer's variables does; no call after it may trace again)."""
    from models.nets.backend import keras_module
    from models.nets.functions import arrays, train_step

    keras = keras_module()
    trained = _model(kind, size, **extra)
    x, y = arrays(trained, _data(7, size))
    step = train_step(trained, keras.optimizers.Adam(1e-3))
    counts = []
    for start in (0, 3, 6):
        xb = x[start : start + 3]
        out = step(xb) if y is None else step(xb, y[start : start + 3])
        assert np.isfinite(np.asarray(out)).all()
        counts.append(step.compiled[0].experimental_get_tracing_count())
    assert counts[0] == counts[1] == counts[2]


def test_many_runs_in_one_process_never_warn_of_retracing(caplog: pytest.LogCaptureFixture) -> None:
    """A lesson trains run after run in one window, and each new model traces its step and
    its evaluation once. TensorFlow counts traces by Python code, so five short runs (one
    validation batch each) made it warn of "excessive retracing" in the terminal."""
    import logging

    from models.training.loop import train

    config = TrainConfig(
        model="vae", image_size=(28, 28), latent_dim=2, hidden_units=8, epochs=1, batch_size=3
    )
    data = _data(7, 28)
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        for _ in range(6):
            train(config, data, data, snapshots=False)
    assert not [r for r in caplog.records if "retracing" in r.getMessage()]
