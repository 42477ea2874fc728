"""The convolutional autoencoder of the classic Quick Draw cat recipe.

Encoder: four blocks of parallel 3x3 and 2x2 convolutions (4, 8, 16, 32 channels per
branch), concatenated, then 2x2 max-pooling: 32x32 -> 2x2. A Dense layer on the 2x2 map
gives a 2x2x32 = 128-value code. Decoder: four blocks of 3x3 convolution and 2x2
upsampling (32, 16, 8, 4 channels), then a sigmoid 3x3 convolution. Loss: binary
cross-entropy per pixel. Optimizer: Adadelta(learning_rate=1.0) - Keras 3's default of
0.001 barely trains. Denoising: Gaussian noise on the input while training, the clean
image as the target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from models.nets.backend import keras
from models.nets.layers import paired_convolution
from models.nets.vae import pixelwise_bce

if TYPE_CHECKING:
    from models.nets.config import TrainConfig

ops = keras.ops


def _network(image_size: int, seed: int | None) -> Any:
    layers = keras.layers
    counter = iter(range(1, 100))

    def init() -> Any:
        return keras.initializers.GlorotUniform(None if seed is None else seed + next(counter))

    def conv(
        filters: int, kernel: int, name: str, activation: str | None = "relu", **kw: Any
    ) -> Any:
        return layers.Conv2D(
            filters, kernel, activation=activation, padding="same",
            kernel_initializer=init(), name=name, **kw,
        )  # fmt: skip

    inp = keras.Input(shape=(image_size, image_size, 1), name="image")
    x = inp
    channels = 2
    for i in range(4):
        channels *= 2
        left = conv(channels, 3, f"enc{i}_3x3")(x)
        right = conv(channels, 2, f"enc{i}_2x2")(x)
        x = layers.Concatenate(name=f"enc{i}_concat")([left, right])
        x = layers.MaxPooling2D(2, padding="same", name=f"enc{i}_pool")(x)
    code = layers.Dense(channels, kernel_initializer=init(), name="code")(x)
    x = code
    for i in range(4):
        x = conv(channels, 3, f"dec{i}_conv")(x)
        x = layers.UpSampling2D(2, name=f"dec{i}_up")(x)
        channels //= 2
    # The logits: ``ConvAutoencoder.forward`` turns them float32 and applies the sigmoid, so
    # under a mixed-precision policy the layer multiplies in bfloat16 (its largest gradient
    # op; 3.0 -> 2.2 ms a step) and the cross-entropy is still computed in float32.
    logits = conv(1, 3, "decoded", activation=None)(x)
    return keras.Model(inp, [logits, code], name="conv_autoencoder_net")


@keras.saving.register_keras_serializable(package="ae_explorer")
class ConvAutoencoder(keras.Model):
    """Wraps the functional network with the per-sample loss the training loop uses (it is
    trained by ``models.training.loop`` only, never by Keras ``fit``)."""

    def __init__(
        self, image_size: int = 32, noise: float = 0.0, seed: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if image_size % 16:
            raise ValueError("the autoencoder needs an image size divisible by 16 (e.g. 32)")
        self.image_size = int(image_size)
        self.image_shape = (self.image_size, self.image_size)
        self.noise = float(noise)
        self.seed = seed
        self.net = _network(self.image_size, seed)
        self.noise_seed = keras.random.SeedGenerator(None if seed is None else seed + 1000)

    def call(self, inputs: Any, training: bool = False) -> Any:
        out, _ = self.forward(ops.reshape(inputs, (-1, self.image_size, self.image_size, 1)))
        return ops.reshape(out, (-1, self.image_size * self.image_size))

    def forward(self, images: Any) -> tuple[Any, Any]:
        """The (reconstruction, code) of (N, H, W, 1) images: ``self.net``'s layers (which
        hold the weights, and so the saved files) run block by block, each block's two
        convolutions as one (``paired_convolution``), and the sigmoid on its logits."""
        net = self.net
        h = images
        for i in range(4):
            h = paired_convolution(h, net.get_layer(f"enc{i}_3x3"), net.get_layer(f"enc{i}_2x2"))
            h = net.get_layer(f"enc{i}_pool")(h)
        code = net.get_layer("code")(h)
        return self._decoder(code), code

    @property
    def code_shape(self) -> tuple[int, int, int]:
        """The bottleneck's (h, w, channels): 2x2x32 for 32x32 images."""
        side = self.image_size // 16
        return side, side, int(self.net.get_layer("code").units)

    @property
    def latent_dim(self) -> int:
        """Values in a code (128 for 32x32 images)."""
        h, w, c = self.code_shape
        return h * w * c

    def encode(self, inputs: Any) -> Any:
        _, code = self.forward(ops.reshape(inputs, (-1, self.image_size, self.image_size, 1)))
        return ops.reshape(code, (ops.shape(code)[0], -1))

    def encode_mean(self, inputs: Any, labels: Any = None) -> Any:
        """The code of each flattened image (the same interface as the VAE's)."""
        return self.encode(inputs)

    def decode(self, codes: Any, labels: Any = None) -> Any:
        """Flattened images from bottleneck codes (N, latent_dim): the decoder half of the
        network, run on its own layers (no second model, so the weights file is unchanged)."""
        x = self._decoder(ops.reshape(codes, (-1, *self.code_shape)))
        return ops.reshape(x, (-1, self.image_size * self.image_size))

    def _decoder(self, code: Any) -> Any:
        x = code
        for i in range(4):
            x = self.net.get_layer(f"dec{i}_conv")(x)
            x = self.net.get_layer(f"dec{i}_up")(x)
        return ops.sigmoid(ops.cast(self.net.get_layer("decoded")(x), "float32"))

    def config_fields(self) -> dict[str, Any]:
        """The TrainConfig fields this network fixes (to rebuild a config for a .keras file)."""
        return {
            "image_size": (self.image_size, self.image_size),
            "noise": self.noise,
            "latent_dim": self.latent_dim,
        }

    def corrupt(self, x: Any) -> Any:
        """The denoising option: Gaussian noise, clipped back to [0, 1]."""
        noise = keras.random.normal(ops.shape(x), stddev=self.noise, seed=self.noise_seed)
        return ops.clip(x + noise, 0.0, 1.0)

    def losses_per_sample(self, x: Any, y: Any = None, training: bool = False) -> dict[str, Any]:
        """Mean binary cross-entropy per pixel of each image (the recipe's loss)."""
        inp = self.corrupt(x) if training and self.noise > 0 else x
        shape = (-1, self.image_size, self.image_size, 1)
        # BCE on the network's own sigmoid output (not a reshaped copy), so Keras can use
        # the logits, as the recipe's fit() did.
        out, _ = self.forward(ops.reshape(inp, shape))
        bce = pixelwise_bce(ops.reshape(x, shape), out)
        return {"loss": ops.mean(ops.reshape(bce, (ops.shape(bce)[0], -1)), axis=-1)}

    def build_all(self) -> None:
        self(np.zeros((1, self.image_size * self.image_size), dtype="float32"))

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "image_size": self.image_size,
            "noise": self.noise,
            "seed": self.seed,
        }


def build_from_config(config: TrainConfig) -> ConvAutoencoder:
    """The registry's builder: the autoencoder for ``config`` (square images only), built."""
    assert config.image_size is not None
    h, w = config.image_size
    if h != w:
        raise ValueError("the autoencoder needs square images")
    model = ConvAutoencoder(image_size=h, noise=config.noise, seed=config.seed, name=config.model)
    model.build_all()
    return model
