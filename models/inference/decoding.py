"""One way to ask for pictures of latent points, whatever the model.

A panel holds a :class:`Decoder` and calls ``decode(points, labels)`` (and ``encode``). Two
things answer it:

- the NumPy codec (:class:`models.nets.codec.MLPCodec`, dense VAE/CVAE): tens of
  microseconds, TensorFlow-free, safe on any thread;
- :class:`ModelDecoder`, a trained Keras model (the conv VAE/CVAE on sketches, the
  autoencoder): TensorFlow, so it must run off the GUI thread.

``needs_worker`` is the one fact that tells them apart; the window's decode service
(``explorer.model_decoder.DecodeService``) reads it so that no panel has to.
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np

from models.nets.codec import grid_mosaic, grid_points


@runtime_checkable
class Decoder(Protocol):
    """Latent points to images (N, H, W) in [0, 1], and images back to z_mean."""

    @property
    def latent_dim(self) -> int: ...

    @property
    def num_classes(self) -> int: ...

    @property
    def image_shape(self) -> tuple[int, int]: ...

    needs_worker: ClassVar[bool]
    """True when ``decode``/``encode`` run TensorFlow (keep them off the GUI thread)."""

    @property
    def conditional(self) -> bool: ...

    def decode(self, points: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray: ...

    def encode(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray: ...


def decode_grid(
    decoder: Decoder,
    n: int,
    extent: float,
    dims: tuple[int, int] = (0, 1),
    base: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    center: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """The latent grid mosaic (n*H, n*W) of any decoder, top row = highest z[dims[1]]."""
    z = grid_points(n, decoder.latent_dim, extent, dims, base, center)
    return grid_mosaic(decoder.decode(z, labels), n, tuple(decoder.image_shape))  # type: ignore[arg-type]


def uniform_labels(decoder: Decoder) -> np.ndarray | None:
    """An even mixture of every class for a conditional decoder (None for the others)."""
    if not decoder.conditional:
        return None
    return np.full(decoder.num_classes, 1.0 / decoder.num_classes, np.float32)


class ModelDecoder:
    """A trained Keras model (``models.nets.trained.TrainedModel``) as a :class:`Decoder`."""

    needs_worker: ClassVar[bool] = True

    def __init__(self, model: Any) -> None:
        self.model = model
        config = model.config
        self.latent_dim = int(config.resolved_latent_dim)
        self.num_classes = int(config.num_classes) if model.spec.conditional else 0
        self.image_shape: tuple[int, int] = tuple(model.image_shape)  # type: ignore[assignment]

    @property
    def conditional(self) -> bool:
        return self.num_classes > 0

    def _labels(self, labels: np.ndarray | None, n: int) -> np.ndarray | None:
        """One label vector (a mixture) for every point, or one row per point (the model
        itself would read a 1-D array as class indices)."""
        if labels is None or not self.conditional:
            return None
        y = np.asarray(labels, np.float32)
        if y.ndim == 1:
            y = np.broadcast_to(y, (n, self.num_classes))
        return np.ascontiguousarray(y)

    def decode(self, points: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        z = np.atleast_2d(np.asarray(points, np.float32))
        y = self._labels(labels, len(z))
        out = self.model.decode(z) if y is None else self.model.decode(z, y)
        return np.asarray(out, np.float32)

    def encode(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        x = np.asarray(images, np.float32)
        out = self.model.encode_mean(x) if labels is None else self.model.encode_mean(x, labels)
        return np.asarray(out, np.float32)

    encode_mean = encode

    def decode_grid(
        self,
        n: int = 10,
        extent: float = 1.5,
        dims: tuple[int, int] = (0, 1),
        base: np.ndarray | None = None,
        labels: np.ndarray | None = None,
        center: tuple[float, float] = (0.0, 0.0),
    ) -> np.ndarray:
        """As :meth:`models.nets.codec.MLPCodec.decode_grid` (TensorFlow: a worker only)."""
        return decode_grid(self, n, extent, dims, base, labels, center)


_MODEL_DECODERS: dict[int, weakref.ref[ModelDecoder]] = {}
"""Each model's decoder while something holds it, by the model's id. Not a WeakKeyDictionary:
a TrainedModel is a dataclass, so it cannot be hashed; and the decoder holds its model, so a
weak key would never die. The decoder holds the model; the cache only the decoder, weakly."""


def model_decoder(model: Any) -> ModelDecoder:
    """The one :class:`ModelDecoder` of ``model`` while any panel or job still holds it."""
    key = id(model)
    ref = _MODEL_DECODERS.get(key)
    found = ref() if ref is not None else None
    if found is None or found.model is not model:  # none yet, or an older model's id
        found = ModelDecoder(model)
        _MODEL_DECODERS[key] = weakref.ref(
            found, lambda dead, key=key: _forget(key, dead)  # type: ignore[misc]
        )
    return found


def _forget(key: int, dead: weakref.ref[ModelDecoder]) -> None:
    if _MODEL_DECODERS.get(key) is dead:
        del _MODEL_DECODERS[key]


__all__ = ["Decoder", "ModelDecoder", "decode_grid", "model_decoder", "uniform_labels"]
