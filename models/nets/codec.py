"""Fast decoding for a live GUI: a NumPy copy of the VAE/CVAE's dense weights.

``model.predict`` costs about 50 ms per call and the classic 10x10 grid made 100 of them
(6.5 s). A 2 -> 512 -> 784 MLP in NumPy decodes one point in tens of microseconds and a
whole grid in one matrix product, with no TensorFlow on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 0.5 * (1 + tanh(x / 2)) is the logistic function exactly, never overflows, and is
    # about 25x faster than masking positive/negative parts (a 30x30 grid: 30 ms -> 1 ms).
    return (0.5 * (1.0 + np.tanh(0.5 * x))).astype(x.dtype, copy=False)


def grid_points(
    n: int,
    latent_dim: int,
    extent: float = 1.5,
    dims: tuple[int, int] = (0, 1),
    base: np.ndarray | None = None,
    center: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """The (n*n, latent_dim) float32 points of a latent grid, row by row from the top (the
    highest z[dims[1]]): ``center`` ± ``extent`` in the two shown dimensions, ``base`` (zeros
    by default) in the others. Shared by every codec's ``decode_grid``."""
    values = np.linspace(-extent, extent, n, dtype=np.float32)
    z = np.zeros((n * n, latent_dim), dtype=np.float32)
    if base is not None:
        z[:] = np.asarray(base, dtype=np.float32)
    gx, gy = np.meshgrid(values + np.float32(center[0]), values[::-1] + np.float32(center[1]))
    z[:, dims[0]] = gx.ravel()
    z[:, dims[1]] = gy.ravel()
    return z


def grid_mosaic(images: np.ndarray, n: int, image_shape: tuple[int, int]) -> np.ndarray:
    """The n*n decoded images of :func:`grid_points` as one (n*H, n*W) mosaic."""
    h, w = image_shape
    return np.asarray(images).reshape(n, n, h, w).transpose(0, 2, 1, 3).reshape(n * h, n * w)


@dataclass(frozen=True)
class MLPCodec:
    """Encoder and decoder weights of a (conditional) VAE as float32 NumPy arrays.

    Encoder: h = relu([x, y] @ enc_w + enc_b); z_mean = h @ mean_w + mean_b.
    Decoder: h = relu([z, y] @ dec_w + dec_b); x = sigmoid(h @ out_w + out_b).
    ``num_classes`` is 0 for a plain VAE and 10 for the digit CVAE.
    """

    enc_w: np.ndarray
    enc_b: np.ndarray
    mean_w: np.ndarray
    mean_b: np.ndarray
    log_var_w: np.ndarray
    log_var_b: np.ndarray
    dec_w: np.ndarray
    dec_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    image_shape: tuple[int, int]
    num_classes: int = 0
    needs_worker: ClassVar[bool] = False
    """NumPy only: a :class:`models.inference.decoding.Decoder` that answers at once."""

    @classmethod
    def random(
        cls,
        latent: int = 2,
        hidden: int = 16,
        num_classes: int = 0,
        image_shape: tuple[int, int] = (28, 28),
        scale: float = 0.5,
        seed: int = 0,
    ) -> MLPCodec:
        """A codec with random weights: for tests, and for timing (speed does not depend
        on the values)."""
        rng = np.random.default_rng(seed)
        pixels = image_shape[0] * image_shape[1]

        def w(*shape: int) -> np.ndarray:
            return rng.normal(0.0, scale, shape).astype(np.float32)

        return cls(
            enc_w=w(pixels + num_classes, hidden),
            enc_b=w(hidden),
            mean_w=w(hidden, latent),
            mean_b=w(latent),
            log_var_w=w(hidden, latent),
            log_var_b=w(latent),
            dec_w=w(latent + num_classes, hidden),
            dec_b=w(hidden),
            out_w=w(hidden, pixels),
            out_b=w(pixels),
            image_shape=image_shape,
            num_classes=num_classes,
        )

    @property
    def latent_dim(self) -> int:
        return int(self.mean_w.shape[1])

    @property
    def conditional(self) -> bool:
        return self.num_classes > 0

    def _labels(self, labels: np.ndarray | None, n: int) -> np.ndarray | None:
        if not self.conditional:
            return None
        if labels is None:
            raise ValueError("a conditional model needs a label vector")
        y = np.asarray(labels, dtype=np.float32)
        if y.ndim == 1:
            y = np.broadcast_to(y, (n, y.shape[0]))
        if y.shape != (n, self.num_classes):
            raise ValueError(f"labels must have shape ({n}, {self.num_classes}), got {y.shape}")
        return y

    def decode(self, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """Decode (N, latent) points (or one (latent,) point) to (N, H, W) images in [0, 1].

        For a CVAE, ``labels`` is one label vector (10,) for all points or (N, 10); any
        mixture such as 0.5 * "8" + 0.5 * "3" works.
        """
        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        y = self._labels(labels, z.shape[0])
        inp = z if y is None else np.concatenate([z, y], axis=1)
        h = np.maximum(inp @ self.dec_w + self.dec_b, 0.0)
        x = _sigmoid(h @ self.out_w + self.out_b)
        return x.reshape(-1, *self.image_shape)

    def encode_mean(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """z_mean (N, latent) of (N, H, W) images; ``labels`` (N,) ints or (N, 10) for a CVAE."""
        x = np.asarray(images, dtype=np.float32).reshape(len(images), -1)
        y = None
        if self.conditional:
            if labels is None:
                raise ValueError("a conditional model needs labels to encode")
            lab = np.asarray(labels)
            y = np.eye(self.num_classes, dtype=np.float32)[lab] if lab.ndim == 1 else lab
        inp = x if y is None else np.concatenate([x, y.astype(np.float32)], axis=1)
        h = np.maximum(inp @ self.enc_w + self.enc_b, 0.0)
        return h @ self.mean_w + self.mean_b

    def encode(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """z_mean, under the :class:`models.inference.decoding.Decoder` protocol's name."""
        return self.encode_mean(images, labels)

    def decode_grid(
        self,
        n: int = 10,
        extent: float = 1.5,
        dims: tuple[int, int] = (0, 1),
        base: np.ndarray | None = None,
        labels: np.ndarray | None = None,
        center: tuple[float, float] = (0.0, 0.0),
    ) -> np.ndarray:
        """The classic latent grid as one mosaic image (n*H, n*W), top row = highest z[dims[1]].

        ``base`` sets the other latent dimensions (zeros by default); the grid spans
        ``center`` ± ``extent`` in the two shown dimensions.
        """
        z = grid_points(n, self.latent_dim, extent, dims, base, center)
        return grid_mosaic(self.decode(z, labels), n, self.image_shape)

    # Each array's Keras layer name (the ``name`` attribute of the layer's ``vars`` group in
    # a ``.weights.h5``) and index (0 = kernel, 1 = bias).
    _LAYERS: ClassVar[dict[str, tuple[str, int]]] = {
        "enc_w": ("enc_hidden", 0),
        "enc_b": ("enc_hidden", 1),
        "mean_w": ("z_mean", 0),
        "mean_b": ("z_mean", 1),
        "log_var_w": ("z_log_var", 0),
        "log_var_b": ("z_log_var", 1),
        "dec_w": ("dec_hidden", 0),
        "dec_b": ("dec_hidden", 1),
        "out_w": ("dec_out", 0),
        "out_b": ("dec_out", 1),
    }

    @classmethod
    def from_weights_file(
        cls, path: str | Path, image_shape: tuple[int, int], num_classes: int = 0
    ) -> MLPCodec:
        """The codec of a VAE/CVAE's Keras ``model.weights.h5``, read with h5py: no
        TensorFlow, so the window shows the shipped models before it has loaded, and the
        weights are stored once.

        Layers are found by their Keras names (``enc_hidden``, ``z_mean``...), wherever
        Keras filed them in the file. WeightsError for a file that is not such a model.
        """
        import h5py

        from models.errors import WeightsError

        found: dict[str, Any] = {}

        def collect(name: str, item: Any) -> None:
            layer = item.attrs.get("name") if name.rsplit("/", 1)[-1] == "vars" else None
            if isinstance(layer, bytes):
                layer = layer.decode()
            if isinstance(layer, str) and "0" in item and "1" in item:
                found.setdefault(layer, (item["0"][()], item["1"][()]))

        try:
            with h5py.File(path, "r") as f:
                f.visititems(collect)
        except (OSError, ValueError) as exc:
            raise WeightsError(f"{path}: not a readable weights file ({exc})") from exc
        if "z_log_var" not in found and "z_mean" in found:
            # The plain dense autoencoder: no variance, so a zero log-variance (z = z_mean).
            w, b = found["z_mean"]
            found["z_log_var"] = (np.zeros_like(w), np.zeros_like(b))
        missing = sorted({layer for layer, _ in cls._LAYERS.values()} - set(found))
        if missing:
            raise WeightsError(f"{path}: not the weights of a dense VAE (no {', '.join(missing)})")
        arrays = {
            name: np.asarray(found[layer][i], dtype=np.float32)
            for name, (layer, i) in cls._LAYERS.items()
        }
        codec = cls(image_shape=image_shape, num_classes=num_classes, **arrays)
        try:
            codec.check()
        except WeightsError as exc:
            raise WeightsError(f"{path}: {exc}") from None
        return codec

    def check(self) -> None:
        """Raise WeightsError if the arrays do not fit together."""
        from models.errors import WeightsError

        pixels = self.image_shape[0] * self.image_shape[1]
        hidden, latent = self.enc_w.shape[1], self.mean_w.shape[1]
        expected = {
            "enc_w": (pixels + self.num_classes, hidden),
            "mean_w": (hidden, latent),
            "log_var_w": (hidden, latent),
            "dec_w": (latent + self.num_classes, self.dec_w.shape[1]),
            "out_w": (self.dec_w.shape[1], pixels),
        }
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise WeightsError(
                    f"decoder weights {name} have shape {getattr(self, name).shape}, "
                    f"expected {shape}"
                )
