"""The VAE and CVAE for 32x32 sketches: the conv autoencoder's blocks around a variational
bottleneck, at any latent size (``--arch conv``).

Encoder: four blocks of parallel 3x3 and 2x2 convolutions (concatenated) and 2x2
max-pooling, 32x32 -> 2x2, then (with the one-hot category beside the features) a Dense
layer and z_mean / z_log_var. Decoder: z (and the category) -> Dense -> 2x2 map -> four
blocks of 3x3 convolution and 2x2 upsampling -> a sigmoid 3x3 convolution. The loss is the
dense VAE's: binary cross-entropy summed over the pixels plus beta * KL, nats per image.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from models.nets.backend import keras
from models.nets.layers import Sampling, paired_convolution, split_inputs
from models.nets.vae import kl_divergence, network_fields, pixelwise_bce, size_config

if TYPE_CHECKING:
    from models.nets.config import TrainConfig

ops = keras.ops
BASE_CHANNELS = 8
"""Channels of each branch in the first block (doubling per block: 8, 16, 32, 64). Twice the
autoencoder's: a 16-D bottleneck must carry what the autoencoder's 128 values did."""


@keras.saving.register_keras_serializable(package="ae_explorer")
class ConvVAE(keras.Model):
    """A convolutional (conditional) VAE with per-sample losses for the training loop."""

    variational = True

    def __init__(
        self,
        image_size: int = 32,
        latent_dim: int = 16,
        hidden_units: int = 256,
        num_classes: int = 0,
        beta: float = 1.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if image_size % 16:
            raise ValueError("the conv VAE needs an image size divisible by 16 (e.g. 32)")
        self.image_size = int(image_size)
        self.image_shape = (self.image_size, self.image_size)
        self.latent_dim = int(latent_dim)
        self.hidden_units = int(hidden_units)
        self.num_classes = int(num_classes)
        self.beta_value = float(beta)
        self.seed = seed
        counter = iter(range(1, 1000))

        def init() -> Any:
            return keras.initializers.GlorotUniform(None if seed is None else seed + next(counter))

        layers = keras.layers
        self.side = self.image_size // 16
        self.enc_blocks: list[tuple[Any, Any]] = []
        channels = BASE_CHANNELS
        for i in range(4):
            self.enc_blocks.append(
                (
                    layers.Conv2D(channels, 3, padding="same", activation="relu",
                                  kernel_initializer=init(), name=f"enc{i}_3x3"),
                    layers.Conv2D(channels, 2, padding="same", activation="relu",
                                  kernel_initializer=init(), name=f"enc{i}_2x2"),
                )
            )  # fmt: skip
            channels *= 2
        self.top_channels = channels // 2
        self.pool = layers.MaxPooling2D(2, padding="same", name="pool")
        self.enc_hidden = layers.Dense(
            hidden_units, activation="relu", kernel_initializer=init(), name="enc_hidden"
        )
        # The bottleneck stays float32 under a mixed-precision policy, so the KL is computed
        # in float32 (``models.nets.precision``).
        self.z_mean_layer = layers.Dense(
            latent_dim, kernel_initializer=init(), name="z_mean", dtype="float32"
        )
        self.z_log_var_layer = layers.Dense(
            latent_dim, kernel_initializer=init(), name="z_log_var", dtype="float32"
        )
        self.sampling = Sampling(seed=seed, name="sampling")
        self.dec_hidden = layers.Dense(
            hidden_units, activation="relu", kernel_initializer=init(), name="dec_hidden"
        )
        self.dec_map = layers.Dense(
            self.side * self.side * self.top_channels,
            activation="relu",
            kernel_initializer=init(),
            name="dec_map",
        )
        self.dec_blocks = []
        channels = self.top_channels
        for i in range(4):
            self.dec_blocks.append(
                layers.Conv2D(channels, 3, padding="same", activation="relu",
                              kernel_initializer=init(), name=f"dec{i}_conv")
            )  # fmt: skip
            channels //= 2
        self.up = layers.UpSampling2D(2, name="up")
        # It multiplies in the policy's dtype (bfloat16 under mixed precision: its gradient
        # is the step's largest op); its logits turn float32 before the cross-entropy.
        self.dec_out = layers.Conv2D(
            1, 3, padding="same", kernel_initializer=init(), name="dec_logits"
        )
        self.kl_weight = keras.Variable(
            float(beta), trainable=False, name="kl_weight", dtype="float32"
        )

    # -- network ------------------------------------------------------------------------
    def _features(self, x: Any) -> Any:
        h = ops.reshape(x, (-1, self.image_size, self.image_size, 1))
        for left, right in self.enc_blocks:
            h = self.pool(paired_convolution(h, left, right))
        return ops.reshape(h, (-1, self.side * self.side * 2 * self.top_channels))

    def encode(self, x: Any, y: Any = None) -> tuple[Any, Any]:
        f = self._features(x)
        if y is not None and self.num_classes:
            f = ops.concatenate([f, ops.cast(y, f.dtype)], axis=-1)
        h = self.enc_hidden(f)
        return self.z_mean_layer(h), self.z_log_var_layer(h)

    def encode_mean(self, x: Any, y: Any = None) -> Any:
        return self.encode(x, y)[0]

    def decode_logits(self, z: Any, y: Any = None) -> Any:
        """Flattened pixel logits (N, H*W) of latent points (and categories)."""
        inp = z if y is None or not self.num_classes else ops.concatenate([z, y], axis=-1)
        h = self.dec_map(self.dec_hidden(inp))
        h = ops.reshape(h, (-1, self.side, self.side, self.top_channels))
        for conv in self.dec_blocks:
            h = self.up(conv(h))
        out = ops.cast(self.dec_out(h), "float32")
        return ops.reshape(out, (-1, self.image_size * self.image_size))

    def decode(self, z: Any, y: Any = None) -> Any:
        return ops.sigmoid(self.decode_logits(z, y))

    def call(self, inputs: Any, training: bool = False) -> Any:
        x, y = split_inputs(inputs)
        z_mean, z_log_var = self.encode(x, y)
        z = self.sampling([z_mean, z_log_var]) if training else z_mean
        return self.decode(z, y)

    def losses_per_sample(self, x: Any, y: Any = None, training: bool = False) -> dict[str, Any]:
        """Per-image reconstruction (summed BCE from the logits), KL, and rec + beta * KL."""
        z_mean, z_log_var = self.encode(x, y)
        z = self.sampling([z_mean, z_log_var])
        logits = self.decode_logits(z, y)
        rec = ops.sum(_bce_logits(x, logits), axis=-1)
        kl = kl_divergence(z_mean, z_log_var)
        return {"loss": rec + self.kl_weight * kl, "reconstruction": rec, "kl": kl}

    def build_all(self) -> None:
        pixels = self.image_size * self.image_size
        x = np.zeros((1, pixels), np.float32)
        y = np.zeros((1, self.num_classes), np.float32) if self.num_classes else None
        self.decode(self.encode(x, y)[0], y)
        self.built = True

    def config_fields(self) -> dict[str, Any]:
        """The TrainConfig fields this network fixes (to rebuild a config for a .keras file)."""
        return network_fields(self, "conv")

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "image_size": self.image_size,
            **size_config(self),
        }


def _bce_logits(target: Any, logits: Any) -> Any:
    """Binary cross-entropy per pixel from logits (stable: max(l,0) - l*t + log(1+e^-|l|))."""
    return ops.relu(logits) - logits * target + ops.softplus(-ops.abs(logits))


def build_from_config(config: TrainConfig) -> ConvVAE:
    """The registry's builder for ``--arch conv``: the VAE (or CVAE) for 32x32 sketches."""
    assert config.image_size is not None
    h, w = config.image_size
    if h != w:
        raise ValueError("the conv VAE needs square images")
    classes = config.num_classes if config.spec.conditional else 0
    model = ConvVAE(
        h,
        config.resolved_latent_dim,
        config.hidden_units,
        classes,
        config.beta,
        config.seed,
        name=config.model,
    )
    model.build_all()
    return model


__all__ = ["ConvVAE", "build_from_config", "pixelwise_bce"]
