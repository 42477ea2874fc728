"""The CVAE as a classifier: importance-weighted label likelihoods, the posterior, accuracy."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.cli.main import main
from models.data.mnist import write_idx
from models.data.sketch import digit_image
from models.inference.classify import (
    classification_accuracy,
    label_log_likelihoods,
    label_posterior,
)
from models.inference.shipped import shipped_codec
from models.nets.codec import MLPCodec
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel


def _region_codec() -> MLPCodec:
    """A 4-label CVAE on 4x4 images whose decoder draws label j as row j, whatever z is."""
    codec = MLPCodec.random(latent=2, hidden=4, num_classes=4, image_shape=(4, 4), scale=0.1)
    dec_w = np.zeros((2 + 4, 4), np.float32)
    dec_w[2:] = np.eye(4)  # hidden unit j = [label == j]
    out_w = np.full((4, 16), -8.0, np.float32)
    for j in range(4):
        out_w[j, 4 * j : 4 * j + 4] = 8.0
    return replace(
        codec, dec_w=dec_w, dec_b=np.zeros(4, np.float32), out_w=out_w,
        out_b=np.zeros(16, np.float32),
    )  # fmt: skip


def test_posterior_picks_the_label_whose_decoder_explains_the_image() -> None:
    codec = _region_codec()
    images = np.zeros((4, 4, 4), np.float32)
    for j in range(4):
        images[j, j] = 1.0
    p = label_posterior(codec, images)
    assert p.shape == (4, 4) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    assert np.argmax(p, axis=1).tolist() == [0, 1, 2, 3]
    assert p.max(axis=1).min() > 0.99
    assert classification_accuracy(codec, images, np.arange(4)) == 1.0
    assert classification_accuracy(codec, images, np.array([1, 0, 2, 3])) == 0.5
    # An image half row 1, half row 2: the two labels share the belief.
    mixed = np.zeros((1, 4, 4), np.float32)
    mixed[0, 1, :2] = mixed[0, 2, 2:] = 1.0
    p = label_posterior(codec, mixed)[0]
    assert p[1] == pytest.approx(p[2], abs=0.05) and p[1] + p[2] > 0.99


def test_one_sample_is_the_elbo_and_more_samples_bound_it_from_above() -> None:
    trained = TrainedModel.build(
        TrainConfig(model="cvae", image_size=(28, 28), latent_dim=2, hidden_units=8, seed=1)
    )
    rng = np.random.default_rng(0)
    images = (rng.random((400, 28, 28)) < 0.15).astype(np.float32)
    labels = np.arange(400) % 10
    from models.data.dataset import Dataset

    neg_elbo = trained.evaluate(Dataset(images, labels, "test", "test"))["neg_elbo"]
    rows = np.arange(400)
    one = -label_log_likelihoods(trained, images, samples=1)[rows, labels]
    assert one.mean() == pytest.approx(neg_elbo, rel=0.01)  # same estimator, other noise
    many = -label_log_likelihoods(trained, images, samples=16)[rows, labels]
    assert many.mean() < one.mean()  # the IW bound is tighter
    # Reproducible, and independent of how the images are chunked.
    np.testing.assert_array_equal(
        label_log_likelihoods(trained, images[:3], seed=5),
        label_log_likelihoods(trained, images[:3], seed=5),
    )


def test_the_shipped_cvae_reads_digits_drawn_on_the_pad(
    drawn_digits: dict[int, list[np.ndarray]],
) -> None:
    codec = shipped_codec("cvae")
    assert codec is not None
    images = np.stack([digit_image(drawn_digits[d]) for d in range(10)])
    p = label_posterior(codec, images)
    assert np.argmax(p, axis=1).tolist() == list(range(10))


def test_only_a_cvae_classifies() -> None:
    with pytest.raises(ValueError, match="only a conditional VAE"):
        label_posterior(MLPCodec.random(), np.zeros((1, 28, 28)))
    with pytest.raises(ValueError, match="samples must be at least 1"):
        label_posterior(_region_codec(), np.zeros((1, 4, 4)), samples=0)


def test_evaluate_reports_classification_accuracy_for_a_cvae(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trained = TrainedModel.build(
        TrainConfig(model="cvae", image_size=(28, 28), latent_dim=2, hidden_units=8)
    )
    run = trained.save(tmp_path / "run")
    images = (np.random.default_rng(0).random((30, 28, 28)) < 0.2).astype(np.uint8) * 255
    labels = np.arange(30) % 10
    path = tmp_path / "d-images-idx3-ubyte.gz"
    write_idx(path, tmp_path / "d-labels-idx1-ubyte.gz", images, labels)
    assert main(["evaluate", str(run), "--data", f"mnist:{path}"]) == 0
    result = json.loads(capsys.readouterr().out)
    expected = classification_accuracy(trained, images / 255.0, labels)
    assert result["classification_accuracy"] == pytest.approx(expected)
    assert 0.0 <= result["classification_accuracy"] <= 1.0
