"""The variational autoencoder of the classic recipe, and its conditional variant's core.

Dense 512 (relu) -> z_mean, z_log_var -> sampled z -> Dense 512 (relu) -> Dense 784 (sigmoid).
Loss per image: binary cross-entropy *summed* over the pixels plus beta * KL divergence,
so reconstruction and KL are in nats per image and are tracked separately.
With ``num_classes > 0`` the one-hot label is concatenated to the pixels and to z (the CVAE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from models.nets.backend import keras
from models.nets.codec import MLPCodec
from models.nets.layers import Sampling, split_inputs

if TYPE_CHECKING:
    from models.nets.config import TrainConfig

ops = keras.ops


def pixelwise_bce(target: Any, output: Any) -> Any:
    """Binary cross-entropy per pixel, as Keras computes it.

    ``keras.ops.binary_crossentropy`` sees that ``output`` came out of a sigmoid and works
    from its logits (numerically stable, no clipping), exactly as the recipes' ``fit``
    with ``loss="binary_crossentropy"`` did.
    """
    return ops.binary_crossentropy(target, output)


def kl_divergence(z_mean: Any, z_log_var: Any) -> Any:
    """KL(N(z_mean, exp(z_log_var)) || N(0, I)) per sample, in nats (every VAE's KL term)."""
    return -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)


def network_fields(model: Any, arch: str) -> dict[str, Any]:
    """The TrainConfig fields a (dense or conv) VAE fixes, to rebuild a config for a
    ``.keras`` file (a plain VAE's ``num_classes`` is the config default, 10)."""
    return {
        "image_size": model.image_shape,
        "latent_dim": model.latent_dim,
        "hidden_units": model.hidden_units,
        "num_classes": model.num_classes or 10,
        "beta": model.beta_value,
        "arch": arch,
    }


def size_config(model: Any) -> dict[str, Any]:
    """The constructor arguments every VAE's ``get_config`` holds beside its image size."""
    return {
        "latent_dim": model.latent_dim,
        "hidden_units": model.hidden_units,
        "num_classes": model.num_classes,
        "beta": model.beta_value,
        "seed": model.seed,
    }


@keras.saving.register_keras_serializable(package="ae_explorer")
class VAE(keras.Model):
    """A (conditional) VAE with a custom train_step/test_step and separate loss trackers."""

    def __init__(
        self,
        image_shape: tuple[int, int] = (28, 28),
        latent_dim: int = 2,
        hidden_units: int = 512,
        num_classes: int = 0,
        beta: float = 1.0,
        seed: int | None = None,
        variational: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.variational = bool(variational)
        """False: the plain dense autoencoder (no z_log_var layer, no sampling, no KL)."""
        self.image_shape = (int(image_shape[0]), int(image_shape[1]))
        self.pixels = self.image_shape[0] * self.image_shape[1]
        self.latent_dim = int(latent_dim)
        self.hidden_units = int(hidden_units)
        self.num_classes = int(num_classes)
        self.beta_value = float(beta)
        self.seed = seed

        def init_for(i: int) -> dict[str, Any]:
            # Distinct seeds per layer: one GlorotUniform(seed) everywhere would repeat weights.
            seeded = None if seed is None else seed + i
            return {"kernel_initializer": keras.initializers.GlorotUniform(seeded)}

        dense = keras.layers.Dense
        self.enc_hidden = dense(hidden_units, activation="relu", name="enc_hidden", **init_for(1))
        # The bottleneck and the output stay float32 under a mixed-precision policy, so
        # the KL and the cross-entropy are computed in float32 (``models.nets.precision``).
        f32 = {"dtype": "float32"}
        self.z_mean_layer = dense(latent_dim, name="z_mean", **init_for(2), **f32)
        self.z_log_var_layer = (
            dense(latent_dim, name="z_log_var", **init_for(3), **f32)
            if self.variational
            else None
        )
        self.sampling = Sampling(seed=seed, name="sampling")
        self.dec_hidden = dense(hidden_units, activation="relu", name="dec_hidden", **init_for(4))
        # The output layer multiplies in the policy's type (half the network's work) and
        # its logits turn float32 before the sigmoid, so the cross-entropy is float32.
        self.dec_out = dense(self.pixels, name="dec_out", **init_for(5))
        # The KL weight is a variable so a warm-up schedule can change it without retracing.
        self.kl_weight = keras.Variable(
            float(beta), trainable=False, name="kl_weight", dtype="float32"
        )
        self.total_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")

    # -- network ------------------------------------------------------------------------
    def encode(self, x: Any, y: Any = None) -> tuple[Any, Any]:
        inp = x if y is None or not self.num_classes else ops.concatenate([x, y], axis=-1)
        h = self.enc_hidden(inp)
        z_mean = self.z_mean_layer(h)
        if self.z_log_var_layer is None:
            return z_mean, ops.zeros_like(z_mean)
        return z_mean, self.z_log_var_layer(h)

    def encode_mean(self, x: Any, y: Any = None) -> Any:
        """z_mean only (what ``TrainedModel.encode_mean`` shows)."""
        return self.encode(x, y)[0]

    def config_fields(self) -> dict[str, Any]:
        """The TrainConfig fields this network fixes (to rebuild a config for a .keras file)."""
        return network_fields(self, "dense")

    def decode(self, z: Any, y: Any = None) -> Any:
        inp = z if y is None or not self.num_classes else ops.concatenate([z, y], axis=-1)
        return ops.sigmoid(ops.cast(self.dec_out(self.dec_hidden(inp)), "float32"))

    def call(self, inputs: Any, training: bool = False) -> Any:
        x, y = split_inputs(inputs)
        z_mean, z_log_var = self.encode(x, y)
        z = self.sampling([z_mean, z_log_var]) if training and self.variational else z_mean
        return self.decode(z, y)

    def losses_per_sample(self, x: Any, y: Any = None, training: bool = False) -> dict[str, Any]:
        """Per-image reconstruction (summed BCE), KL, and the objective rec + beta * KL
        (the plain autoencoder: the reconstruction of z_mean alone)."""
        z_mean, z_log_var = self.encode(x, y)
        if not self.variational:
            rec = ops.sum(pixelwise_bce(x, self.decode(z_mean, y)), axis=-1)
            return {"loss": rec}
        z = self.sampling([z_mean, z_log_var])
        out = self.decode(z, y)
        rec = ops.sum(pixelwise_bce(x, out), axis=-1)
        kl = kl_divergence(z_mean, z_log_var)
        return {"loss": rec + self.kl_weight * kl, "reconstruction": rec, "kl": kl}

    def build(self, input_shape: Any = None) -> None:
        """Create every weight from the known sizes (the input shape adds nothing)."""
        self.enc_hidden.build((None, self.pixels + self.num_classes))
        self.z_mean_layer.build((None, self.hidden_units))
        if self.z_log_var_layer is not None:
            self.z_log_var_layer.build((None, self.hidden_units))
        self.dec_hidden.build((None, self.latent_dim + self.num_classes))
        self.dec_out.build((None, self.hidden_units))
        self.built = True

    def build_all(self) -> None:
        self.build()

    # -- Keras fit() support (used by the plain-fit baseline in `ae-explorer bench`) -----
    @property
    def metrics(self) -> list[Any]:
        return [self.total_tracker, self.reconstruction_tracker, self.kl_tracker]

    def train_step(self, data: Any) -> dict[str, Any]:
        import tensorflow as tf

        x, y = split_inputs(data)
        with tf.GradientTape() as tape:
            losses = self.losses_per_sample(x, y, training=True)
            objective = ops.mean(losses["loss"])
        grads = tape.gradient(objective, self.trainable_weights)
        self.optimizer.apply(grads, self.trainable_weights)
        return self._track(losses)

    def test_step(self, data: Any) -> dict[str, Any]:
        x, y = split_inputs(data)
        return self._track(self.losses_per_sample(x, y))

    def _track(self, losses: dict[str, Any]) -> dict[str, Any]:
        self.total_tracker.update_state(losses["loss"])
        self.reconstruction_tracker.update_state(losses["reconstruction"])
        self.kl_tracker.update_state(losses["kl"])
        return {m.name: m.result() for m in self.metrics}

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "image_shape": self.image_shape,
            **size_config(self),
            "variational": self.variational,
        }

    # -- NumPy copy for the GUI ------------------------------------------------------------
    def to_codec(self) -> MLPCodec:
        def wb(layer: Any) -> tuple[np.ndarray, np.ndarray]:
            w, b = layer.get_weights()
            return np.asarray(w, np.float32), np.asarray(b, np.float32)

        enc_w, enc_b = wb(self.enc_hidden)
        mean_w, mean_b = wb(self.z_mean_layer)
        if self.z_log_var_layer is None:  # the plain autoencoder: z = z_mean
            lv_w, lv_b = np.zeros_like(mean_w), np.zeros_like(mean_b)
        else:
            lv_w, lv_b = wb(self.z_log_var_layer)
        dec_w, dec_b = wb(self.dec_hidden)
        out_w, out_b = wb(self.dec_out)
        return MLPCodec(
            enc_w=enc_w,
            enc_b=enc_b,
            mean_w=mean_w,
            mean_b=mean_b,
            log_var_w=lv_w,
            log_var_b=lv_b,
            dec_w=dec_w,
            dec_b=dec_b,
            out_w=out_w,
            out_b=out_b,
            image_shape=self.image_shape,
            num_classes=self.num_classes,
        )


def build_from_config(config: TrainConfig) -> VAE:
    """The registry's builder: the VAE (or, with ``spec.conditional``, the CVAE) for
    ``config``, built (all weights created)."""
    assert config.image_size is not None
    classes = config.num_classes if config.spec.conditional else 0
    model = VAE(
        config.image_size,
        config.resolved_latent_dim,
        config.hidden_units,
        classes,
        config.beta,
        config.seed,
        variational=config.spec.variational,
        name=config.model,
    )
    model.build_all()
    return model
