"""Issue 8's networks and metrics: conv VAE/CVAE (--arch), the plain dense 2-D autoencoder,
category names in configs, and the lesson's metrics (tiny models, a few batches)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models.cli.main import main
from models.data.dataset import Dataset
from models.inference.classify import classification_accuracy
from models.inference.lesson import lesson_metrics, prior_judgement, prior_samples
from models.nets.codec import MLPCodec
from models.nets.config import TrainConfig
from models.nets.kinds import get_kind, kind_of_model
from models.nets.trained import TrainedModel
from models.training.loop import train
from tests.models.test_categories_data import write_npy


def _blocks(n: int, seed: int = 0) -> Dataset:
    """Two unmistakable categories of 32x32 images: a bar on top (0) or at the bottom (1)."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 32, 32), np.float32)
    labels = np.arange(n) % 2
    for i, label in enumerate(labels):
        row = 4 if label == 0 else 24
        images[i, row : row + 4, 4:28] = 1.0
        images[i] += rng.uniform(0, 0.05, (32, 32)).astype(np.float32)
    return Dataset(
        np.clip(images, 0, 1), labels, "bars", "bars", num_classes=2, class_names=("top", "bottom")
    )


def test_arch_defaults_follow_the_data_and_old_configs_keep_their_network() -> None:
    assert TrainConfig(model="vae").resolved_arch == "dense"
    assert TrainConfig(model="vae", data="quickdraw:cat").resolved_arch == "conv"
    assert TrainConfig(model="cvae", data="quickdraw:cat,dog").spec.numpy_codec is False
    assert TrainConfig(model="autoencoder").resolved_arch == "conv"
    assert TrainConfig(model="autoencoder", data="mnist").resolved_arch == "conv"
    dense_ae = TrainConfig(model="autoencoder", arch="dense")
    assert dense_ae.spec.has_map and dense_ae.spec.numpy_codec and not dense_ae.spec.variational
    assert dense_ae.spec.input_size is None and dense_ae.resolved_latent_dim == 2
    # A config.json written before archs existed: the book's pairing, whatever the data.
    old = TrainConfig.from_dict({"model": "vae", "data": "quickdraw:cat"})
    assert old.resolved_arch == "dense"
    with pytest.raises(ValueError, match="no 'sideways' network"):
        TrainConfig(model="autoencoder", arch="conv").spec.for_arch("sideways")
    with pytest.raises(ValueError, match="class names"):
        TrainConfig(model="cvae", class_names=("a", "b"))  # 10 classes, two names


def test_class_names_round_trip_through_config_json() -> None:
    config = TrainConfig(model="cvae", arch="conv", num_classes=2, class_names=("cat", "dog"))
    again = TrainConfig.from_dict(json.loads(config.to_json()))
    assert again == config and again.class_names == ("cat", "dog")
    assert again.label_names == ("cat", "dog")
    assert TrainConfig(model="cvae").label_names == tuple("0123456789")


@pytest.mark.slow
def test_conv_vae_and_cvae_train_save_and_load(tmp_path: Path) -> None:
    data = _blocks(40)
    train_data, val_data = data.split(0.25, seed=0)
    config = TrainConfig(
        model="cvae", arch="conv", latent_dim=3, hidden_units=8, epochs=1, batch_size=16
    )
    trained = train(config, train_data, val_data)
    assert trained.config.class_names == ("top", "bottom") and trained.config.num_classes == 2
    assert trained.codec() is None and set(trained.history[0]) >= {"loss", "kl", "val_neg_elbo"}
    trained.save(tmp_path / "m", preview=val_data)
    loaded = TrainedModel.load(tmp_path / "m")
    assert loaded.config.class_names == ("top", "bottom")
    z = np.zeros((2, 3), np.float32)
    np.testing.assert_allclose(loaded.decode(z, [0, 1]), trained.decode(z, [0, 1]), atol=1e-6)
    assert kind_of_model(loaded.model) == loaded.spec  # recognised, e.g. from a .keras file
    # The snapshot for the window: points for the map, decoded through the model.
    snap = loaded.snapshot(val_data)
    assert snap.val_z_mean is not None and snap.val_z_mean.shape == (len(val_data), 3)
    assert snap.reconstructions is not None


def test_conv_cvae_classifies_its_categories() -> None:
    data = _blocks(96)
    config = TrainConfig(
        model="cvae", arch="conv", latent_dim=2, hidden_units=16, epochs=6, batch_size=16
    )
    trained = train(config, data, _blocks(16, seed=1))
    test = _blocks(20, seed=2)
    assert test.labels is not None
    assert classification_accuracy(trained, test.images, test.labels, samples=2) >= 0.9


def test_dense_autoencoder_has_a_codec_and_no_kl(tmp_path: Path) -> None:
    config = TrainConfig(model="autoencoder", arch="dense", hidden_units=16, image_size=(8, 8))
    trained = TrainedModel.build(config)
    assert trained.spec.loss_terms == ("loss",)
    x = np.random.default_rng(0).uniform(0, 1, (5, 8, 8)).astype(np.float32)
    codec = trained.codec()
    assert codec is not None
    np.testing.assert_allclose(codec.encode_mean(x), trained.encode_mean(x), atol=1e-5)
    # Deterministic: the reconstruction is the decoded z_mean, every time.
    np.testing.assert_allclose(trained.reconstruct(x), trained.reconstruct(x))
    trained.save(tmp_path / "ae")
    read = MLPCodec.from_weights_file(tmp_path / "ae" / "model.weights.h5", (8, 8))
    np.testing.assert_allclose(read.decode(np.ones((1, 2))), codec.decode(np.ones((1, 2))))
    assert TrainedModel.load(tmp_path / "ae").spec == get_kind("autoencoder").for_arch("dense")


@pytest.mark.slow
def test_cli_trains_the_plain_2d_autoencoder_and_a_sketch_cvae(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_npy(tmp_path / "apple_20.npy", 20)
    b = write_npy(tmp_path / "moon_20.npy", 20, seed=4)
    out = tmp_path / "cvae"
    code = main([
        "train", "cvae", "--data", f"quickdraw:{a},{b}", "--max-per-category", "12",
        "--epochs", "1", "--latent-dim", "2", "--hidden-units", "8", "--quiet",
        "--out", str(out),
    ])  # fmt: skip
    assert code == 0
    config = json.loads((out / "config.json").read_text())
    assert config["class_names"] == ["apple", "moon"] and config["arch"] == "conv"
    capsys.readouterr()
    # Evaluated on the moons alone: matched to the model's "moon" by name.
    assert main(["evaluate", str(out), "--data", f"quickdraw:{b}"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["samples"] == 20 and 0 <= result["classification_accuracy"] <= 1
    assert main(["evaluate", str(out), "--data", f"quickdraw:{tmp_path / 'x_3.npy'}"]) != 0
    code = main([
        "train", "autoencoder", "--data", f"quickdraw:{a}", "--arch", "dense",
        "--latent-dim", "2", "--hidden-units", "8", "--epochs", "1", "--quiet",
        "--out", str(tmp_path / "ae"),
    ])  # fmt: skip
    assert code == 0 and (tmp_path / "ae" / "points.npz").is_file()
    assert main(["train", "autoencoder", "--arch", "dense", "--beta", "2", "--out", "x"]) != 0


class _FakeClassifier:
    """Recognises a digit by the row of its brightest pixel (10 rows, one per digit)."""

    def predict_proba(self, images: np.ndarray) -> np.ndarray:
        rows = np.argmax(images.reshape(len(images), 10, -1).sum(axis=2), axis=1)
        confident = images.reshape(len(images), -1).max(axis=1) > 0.5
        probs = np.full((len(images), 10), 0.05 / 9, np.float32)
        probs[np.arange(len(images)), rows] = np.where(confident, 0.95, 0.05)
        return probs


def test_prior_judgement_counts_confident_classes_and_their_spread() -> None:
    images = np.zeros((20, 10, 10), np.float32)
    for i in range(10):
        images[i, i] = 1.0  # ten different recognisable digits
    judged = prior_judgement(images, _FakeClassifier())  # type: ignore[arg-type]
    assert judged["prior_recognizable"] == pytest.approx(0.5)
    assert judged["prior_coverage"] == pytest.approx(1.0)
    images[:10] = 0
    images[:10, 3] = 1.0  # all the same digit
    judged = prior_judgement(images, _FakeClassifier())  # type: ignore[arg-type]
    assert judged["prior_coverage"] == pytest.approx(0.0)


def test_lesson_metrics_for_a_vae_and_a_plain_autoencoder() -> None:
    rng = np.random.default_rng(0)
    data = Dataset(rng.uniform(0, 1, (30, 10, 10)).astype(np.float32), None, "n", "noise")
    vae = TrainedModel.build(
        TrainConfig(model="vae", latent_dim=3, hidden_units=8, image_size=(10, 10))
    )
    m = lesson_metrics(vae, data, _FakeClassifier(), samples=40)  # type: ignore[arg-type]
    assert m["neg_elbo"] == pytest.approx(m["reconstruction"] + m["kl"])
    assert len(m["kl_per_dim"]) == 3 and m["kl"] == pytest.approx(sum(m["kl_per_dim"]), rel=0.2)
    assert 0 <= m["active_units"] <= 3 and 0 <= m["prior_recognizable"] <= 1
    ae = TrainedModel.build(
        TrainConfig(model="autoencoder", arch="dense", hidden_units=8, image_size=(10, 10))
    )
    m = lesson_metrics(ae, data, _FakeClassifier(), samples=40)  # type: ignore[arg-type]
    assert "neg_elbo" not in m and "kl_per_dim" not in m and m["latent_dim"] == 2
    assert m["reconstruction"] > 0 and "prior_coverage" in m
    assert prior_samples(ae, 7, seed=1).shape == (7, 10, 10)
    np.testing.assert_array_equal(prior_samples(ae, 3, seed=1), prior_samples(ae, 3, seed=1))


@pytest.mark.slow
def test_the_cli_prints_no_tensorflow_chatter_while_a_conv_cvae_trains(tmp_path: Path) -> None:
    """On an AVX-512 CPU TensorFlow logged "E0000 … oneDNN supports DT_INT32 only on
    platforms with AVX-512" mid-training, between the CLI's own lines. A fresh process, as
    a user's shell starts it (no TF_CPP_MIN_LOG_LEVEL of its own)."""
    import os
    import subprocess
    import sys

    a = write_npy(tmp_path / "apple_20.npy", 20)
    b = write_npy(tmp_path / "moon_20.npy", 20, seed=4)
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    done = subprocess.run(
        [sys.executable, "-m", "models.cli.main", "train", "cvae", "--data",
         f"quickdraw:{a},{b}", "--epochs", "1", "--quiet", "--out", str(tmp_path / "out")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert [line.split(" ")[0] for line in lines] == ["training", "training"], lines
