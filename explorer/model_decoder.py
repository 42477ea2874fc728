"""Decoding for models the NumPy codec cannot mirror (the conv VAE/CVAE on sketches).

Dense models decode in NumPy on the GUI thread in microseconds. A conv decoder needs
TensorFlow, which must not run on the GUI thread (a grid of 180 sketches takes a good
fraction of a second on two cores). :class:`ModelCodec` gives such a model the codec's
shape (``latent_dim``, ``num_classes``, ``image_shape``, ``decode``) with
``asynchronous = True``; panels then ask an :class:`AsyncDecoder`, which decodes in a
worker and hands the images back. Requests for the same key coalesce: while one runs, only
the newest waiting one is kept (a dragged slider never queues a backlog).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from explorer.workers import TaskWorker
from models.nets.codec import grid_mosaic, grid_points


class ModelCodec:
    """A TrainedModel seen as a codec; ``decode`` calls TensorFlow (worker threads only)."""

    asynchronous = True

    def __init__(self, model: Any) -> None:
        self.model = model
        config = model.config
        self.latent_dim = int(config.resolved_latent_dim)
        self.num_classes = int(config.num_classes) if model.spec.conditional else 0
        self.image_shape = tuple(model.image_shape)

    @property
    def conditional(self) -> bool:
        return self.num_classes > 0

    def decode(self, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """As the codec: ``labels`` is one label vector (a mixture) for every point, or one
        row per point (the model itself reads a 1-D array as class indices)."""
        z = np.atleast_2d(np.asarray(z, np.float32))
        if labels is not None and self.conditional:
            y = np.asarray(labels, np.float32)
            if y.ndim == 1:
                y = np.broadcast_to(y, (len(z), self.num_classes))
            labels = np.ascontiguousarray(y)
        return np.asarray(self.model.decode(z, labels), np.float32)

    def encode_mean(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        return np.asarray(self.model.encode_mean(images, labels), np.float32)

    def decode_grid(
        self,
        n: int = 10,
        extent: float = 1.5,
        dims: tuple[int, int] = (0, 1),
        base: np.ndarray | None = None,
        labels: np.ndarray | None = None,
        center: tuple[float, float] = (0.0, 0.0),
    ) -> np.ndarray:
        """The latent grid mosaic, as :meth:`models.nets.codec.MLPCodec.decode_grid`."""
        z = grid_points(n, self.latent_dim, extent, dims, base, center)
        return grid_mosaic(self.decode(z, labels), n, self.image_shape)


def panel_codec(slot: Any) -> Any:
    """What a panel decodes with: the slot's NumPy codec, else (a live model with no NumPy
    twin, e.g. the conv CVAE) a :class:`ModelCodec`, made once per model; else None."""
    if slot.codec is not None:
        return slot.codec
    model = slot.model
    if model is None or slot.training or model.codec() is not None:
        return None
    if not (model.spec.has_map or model.spec.conditional):
        return None
    cached = getattr(model, "_explorer_codec", None)
    if cached is None:
        cached = ModelCodec(model)
        model._explorer_codec = cached
    return cached


def is_async(codec: Any) -> bool:
    return bool(getattr(codec, "asynchronous", False))


class AsyncDecoder(QObject):
    """Runs ``fn()`` (a decode) in a worker per key; ``ready(key, result)`` on the GUI thread."""

    ready = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[str, TaskWorker] = {}
        self._waiting: dict[str, Callable[[], Any]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._running or self._waiting)

    def request(self, key: str, fn: Callable[[], Any]) -> None:
        if key in self._running:
            self._waiting[key] = fn  # the newest wins
            return
        worker = TaskWorker(key, fn)
        worker.task_done.connect(self._on_done)
        worker.task_failed.connect(self._on_failed)
        self._running[key] = worker
        worker.start()

    def _finish(self, key: str) -> None:
        self._running.pop(key, None)
        fn = self._waiting.pop(key, None)
        if fn is not None:
            self.request(key, fn)

    def _on_done(self, key: object, result: object) -> None:
        k = str(key)
        waiting = k in self._waiting
        self._finish(k)
        if not waiting:  # an answer already superseded is not shown
            self.ready.emit(k, result)

    def _on_failed(self, key: object, message: str) -> None:
        k = str(key)
        self._finish(k)
        self.failed.emit(k, message)


__all__ = ["AsyncDecoder", "ModelCodec", "is_async", "panel_codec"]
