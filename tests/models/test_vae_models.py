"""The three Keras models: shapes, losses, NumPy codec equivalence, save/load."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models.errors import WeightsError
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel


def _config(kind: str, **kw: object) -> TrainConfig:
    size = (32, 32) if kind == "autoencoder" else (28, 28)
    base: dict[str, object] = {"model": kind, "epochs": 1, "hidden_units": 16, "image_size": size}
    base.update(kw)
    return TrainConfig(**base)  # type: ignore[arg-type]


def test_vae_codec_matches_keras_decoder_and_encoder() -> None:
    trained = TrainedModel.build(_config("vae", latent_dim=3, seed=1))
    codec = trained.codec()
    assert codec is not None and codec.latent_dim == 3
    z = np.random.default_rng(0).standard_normal((7, 3)).astype(np.float32)
    np.testing.assert_allclose(codec.decode(z), trained.decode(z), atol=1e-5)
    images = np.random.default_rng(1).random((5, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(codec.encode_mean(images), trained.encode_mean(images), atol=1e-4)


def test_cvae_decodes_label_mixtures() -> None:
    trained = TrainedModel.build(_config("cvae", seed=2))
    codec = trained.codec()
    assert codec is not None and codec.conditional
    z = np.zeros((1, 2), np.float32)
    mix = np.zeros(10, np.float32)
    mix[[3, 8]] = 0.5
    out = codec.decode(z, mix)
    np.testing.assert_allclose(out, trained.decode(z, mix[None]), atol=1e-5)
    assert not np.allclose(out, codec.decode(z, np.eye(10, dtype=np.float32)[3]))
    with pytest.raises(ValueError, match="label"):
        codec.decode(z)


def test_vae_losses_are_summed_over_pixels() -> None:
    trained = TrainedModel.build(_config("vae", seed=3))
    x = np.full((4, 784), 0.5, np.float32)
    losses = trained.model.losses_per_sample(x)
    rec = np.asarray(losses["reconstruction"])
    # BCE of target 0.5 is at least ln 2 per pixel, summed over 784 pixels.
    assert np.all(rec >= 784 * np.log(2) - 1e-2)
    assert np.all(np.asarray(losses["kl"]) >= 0)


def test_autoencoder_architecture_matches_the_recipe() -> None:
    trained = TrainedModel.build(_config("autoencoder", seed=4))
    net = trained.model.net
    assert net.get_layer("code").output.shape[1:] == (2, 2, 32)  # 128-value code
    assert [net.get_layer(f"enc{i}_3x3").filters for i in range(4)] == [4, 8, 16, 32]
    assert [net.get_layer(f"dec{i}_conv").filters for i in range(4)] == [32, 16, 8, 4]
    out = trained.reconstruct(np.zeros((2, 32, 32), np.float32))
    assert out.shape == (2, 32, 32) and np.all((out >= 0) & (out <= 1))
    assert trained.encode_mean(np.zeros((2, 32, 32), np.float32)).shape == (2, 128)


@pytest.mark.parametrize("kind", ["vae", "cvae", "autoencoder"])
def test_save_load_round_trip_gives_identical_outputs(kind: str, tmp_path) -> None:
    trained = TrainedModel.build(_config(kind, seed=5))
    # Move the weights away from the seeded initialisation, so loading must really load.
    rng = np.random.default_rng(9)
    trained.model.set_weights(
        [
            w + 0.1 * rng.standard_normal(w.shape).astype(w.dtype)
            for w in trained.model.get_weights()
        ]
    )
    trained.history.append({"epoch": 1.0, "loss": 1.0})
    size = trained.image_shape
    images = np.random.default_rng(2).random((3, *size)).astype(np.float32)
    labels = np.array([1, 2, 3]) if kind == "cvae" else None
    trained.save(tmp_path / "m")
    loaded = TrainedModel.load(tmp_path / "m")
    assert loaded.config == trained.config
    assert loaded.history == trained.history
    np.testing.assert_array_equal(
        loaded.reconstruct(images, labels), trained.reconstruct(images, labels)
    )
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_loading_weights_of_another_model_is_refused(tmp_path) -> None:
    TrainedModel.build(_config("vae", latent_dim=2, seed=6)).save(tmp_path / "two")
    other = TrainedModel.build(_config("vae", latent_dim=4, seed=6))
    before = [w.copy() for w in other.model.get_weights()]
    with pytest.raises(WeightsError, match="does not fit"):
        other.load_weights(tmp_path / "two" / "model.weights.h5")
    for a, b in zip(before, other.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    ae = TrainedModel.build(_config("autoencoder", seed=6))
    with pytest.raises(WeightsError):
        ae.load_weights(tmp_path / "two" / "model.weights.h5")


def test_load_reports_missing_and_corrupt_files(tmp_path) -> None:
    with pytest.raises(WeightsError, match="no such folder"):
        TrainedModel.load(tmp_path / "nowhere")
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "model.weights.h5").write_bytes(b"not an hdf5 file at all")
    with pytest.raises(WeightsError, match=r"config\.json"):
        TrainedModel.load(folder)
    (folder / "config.json").write_text(
        json.dumps({"model": "vae", "image_size": [28, 28], "hidden_units": 16})
    )
    with pytest.raises(WeightsError, match=r"model\.weights\.h5"):
        TrainedModel.load(folder)
    (folder / "config.json").write_text("{not json")
    with pytest.raises(WeightsError, match=r"config\.json"):
        TrainedModel.load(folder)


@pytest.mark.parametrize("kind", ["vae", "cvae"])
def test_codec_read_from_the_weights_file_without_tensorflow_decodes_like_keras(
    kind: str, tmp_path
) -> None:
    from models.inference.shipped import read_codec

    trained = TrainedModel.build(_config(kind, latent_dim=3, seed=7))
    rng = np.random.default_rng(5)
    trained.model.set_weights(
        [
            w + 0.1 * rng.standard_normal(w.shape).astype(w.dtype)
            for w in trained.model.get_weights()
        ]
    )
    trained.save(tmp_path / "m")
    assert not (tmp_path / "m" / "codec.npz").exists()  # the weights are stored once
    codec = read_codec(tmp_path / "m")
    assert codec is not None and codec.latent_dim == 3
    z = rng.standard_normal((4, 3)).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[[1, 2, 3, 4]] if kind == "cvae" else None
    np.testing.assert_allclose(codec.decode(z, labels), trained.decode(z, labels), atol=1e-5)
    images = rng.random((4, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(
        codec.encode_mean(images, labels), trained.encode_mean(images, labels), atol=1e-4
    )


def test_weights_files_that_are_not_a_dense_vae_are_refused(tmp_path) -> None:
    from models.nets.codec import MLPCodec

    (tmp_path / "junk.weights.h5").write_bytes(b"junk")
    with pytest.raises(WeightsError, match=r"junk\.weights\.h5: not a readable weights file"):
        MLPCodec.from_weights_file(tmp_path / "junk.weights.h5", (28, 28))
    ae = TrainedModel.build(_config("autoencoder"))
    ae.model.save_weights(str(tmp_path / "ae.weights.h5"))
    with pytest.raises(WeightsError, match="not the weights of a dense VAE"):
        MLPCodec.from_weights_file(tmp_path / "ae.weights.h5", (32, 32))
    vae = TrainedModel.build(_config("vae"))
    vae.model.save_weights(str(tmp_path / "vae.weights.h5"))
    with pytest.raises(WeightsError, match=r"vae\.weights\.h5: decoder weights"):
        MLPCodec.from_weights_file(tmp_path / "vae.weights.h5", (32, 32))


def test_decode_grid_orientation() -> None:
    codec = TrainedModel.build(_config("vae", seed=8)).codec()
    assert codec is not None
    grid = codec.decode_grid(n=3, extent=1.0)
    assert grid.shape == (84, 84)
    # top-left tile is z = (-1, +1): x grows to the right, y grows upwards
    np.testing.assert_allclose(grid[:28, :28], codec.decode(np.array([[-1.0, 1.0]]))[0], atol=1e-6)


@pytest.mark.parametrize("kind", ["vae", "autoencoder"])
def test_keras_file_round_trip_in_safe_mode(kind: str, tmp_path) -> None:
    trained = TrainedModel.build(_config(kind, seed=11))
    rng = np.random.default_rng(3)
    trained.model.set_weights(
        [
            w + 0.1 * rng.standard_normal(w.shape).astype(w.dtype)
            for w in trained.model.get_weights()
        ]
    )
    path = trained.save_keras_file(tmp_path / "m.keras")
    loaded = TrainedModel.load(path)
    assert loaded.kind == kind and loaded.image_shape == trained.image_shape
    images = rng.random((2, *trained.image_shape)).astype(np.float32)
    np.testing.assert_allclose(loaded.reconstruct(images), trained.reconstruct(images), atol=1e-6)


def test_unsafe_or_foreign_keras_files_are_refused(tmp_path) -> None:
    from models.nets.backend import keras

    inp = keras.Input((3,))
    lam = keras.Model(inp, keras.layers.Lambda(lambda t: t * 2)(inp))
    lam.save(tmp_path / "lambda.keras")
    with pytest.raises(WeightsError, match="arbitrary code"):
        TrainedModel.load(tmp_path / "lambda.keras")
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    plain.save(tmp_path / "plain.keras")
    with pytest.raises(WeightsError, match="not one of"):
        TrainedModel.load(tmp_path / "plain.keras")
    (tmp_path / "junk.keras").write_bytes(b"PK junk")
    with pytest.raises(WeightsError, match="junk"):
        TrainedModel.load(tmp_path / "junk.keras")


def test_saving_a_vae_with_validation_data_stores_its_latent_points(tmp_path) -> None:
    from models.data.dataset import Dataset
    from models.nets.trained import POINTS_FILE

    trained = TrainedModel.build(_config("cvae", seed=12))
    rng = np.random.default_rng(4)
    val = Dataset(rng.random((30, 28, 28)).astype(np.float32), np.arange(30) % 10, "v", "v")
    trained.save(tmp_path / "m", preview=val)
    with np.load(tmp_path / "m" / POINTS_FILE, allow_pickle=False) as f:
        np.testing.assert_allclose(
            f["z_mean"], trained.encode_mean(val.images, val.labels), atol=1e-4
        )
        np.testing.assert_array_equal(f["labels"], val.labels)


def test_compiled_functions_live_in_one_cache_on_the_trained_model() -> None:
    from models.nets.functions import compiled_functions

    trained = TrainedModel.build(_config("vae", seed=13))
    first = compiled_functions(trained)["evaluate"]
    assert compiled_functions(trained)["evaluate"] is first
    trained.reconstruct(np.zeros((2, 28, 28), np.float32))
    assert set(trained._compiled) == {"evaluate_losses", "reconstruct"}
    assert not hasattr(trained.model, "_ae_functions")


def test_a_blocks_two_convolutions_run_as_one_give_the_same_values_and_gradients() -> None:
    from models.nets.backend import keras, tf
    from models.nets.layers import paired_convolution

    keras.utils.set_random_seed(3)
    wide = keras.layers.Conv2D(
        5, 3, padding="same", activation="relu", bias_initializer="glorot_uniform"
    )
    narrow = keras.layers.Conv2D(
        5, 2, padding="same", activation="relu", bias_initializer="glorot_uniform"
    )
    h = tf.constant(np.random.default_rng(0).standard_normal((4, 9, 9, 3)).astype(np.float32))
    weights = lambda: [wide.kernel, wide.bias, narrow.kernel, narrow.bias]  # noqa: E731
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(h)
        apart = keras.ops.concatenate([wide(h), narrow(h)], axis=-1)
        joined = paired_convolution(h, wide, narrow)
        loss_apart = tf.reduce_sum(apart * tf.cos(apart))
        loss_joined = tf.reduce_sum(joined * tf.cos(joined))
    np.testing.assert_allclose(joined, apart, rtol=1e-5, atol=1e-6)
    assert float(tf.reduce_max(apart)) > 0 and float(tf.reduce_min(apart)) == 0  # ReLU at work
    for a, b in zip(
        tape.gradient(loss_apart, [h, *weights()]),
        tape.gradient(loss_joined, [h, *weights()]),
        strict=True,
    ):
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-5)


def test_the_autoencoders_forward_pass_is_its_saved_network() -> None:
    """``forward`` runs the layers of ``net`` (what the weights file holds) block by block;
    it must compute what ``net`` itself computes."""
    trained = TrainedModel.build(_config("autoencoder", seed=6))
    images = (np.random.default_rng(2).random((3, 32, 32, 1)) < 0.3).astype(np.float32)
    logits, code = trained.model.net(images)
    out = 1 / (1 + np.exp(-np.asarray(logits, np.float64)))
    mine_out, mine_code = trained.model.forward(images)
    np.testing.assert_allclose(mine_code, code, atol=1e-5)
    np.testing.assert_allclose(mine_out, out, atol=1e-5)
