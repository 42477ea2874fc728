"""The window's decode service: a panel asks for pictures of points and gets them.

Behind it is a :class:`models.inference.decoding.Decoder`: the NumPy codec (answers at once,
on the GUI thread, in microseconds) or a Keras model (:class:`ModelDecoder`), which must not
run on the GUI thread (a grid of 180 sketches takes a good fraction of a second on two
cores). :meth:`DecodeService.request` hides the difference: the answer is handed to the
caller's ``deliver`` either before ``request`` returns or later, from a worker. Requests for
the same key coalesce: while one runs only the newest waiting one is kept (a dragged slider
never queues a backlog), and a superseded answer is never delivered.

How a panel adopts it::

    self.decodes = DecodeService(self)
    decoder = slot_decoder(slot)            # codec or model, the panel does not care
    self.decodes.decode_grid("grid", decoder, n, extent, dims, base, labels, center,
                             deliver=self._show_grid)
    self.decodes.request("point", decoder, lambda d: d.decode(z, labels)[0],
                         self.preview_show)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from explorer.workers import TaskWorker
from models.inference.decoding import Decoder, decode_grid, model_decoder

Job = Callable[[Decoder], Any]
Deliver = Callable[[Any], None]


def slot_decoder(slot: Any) -> Decoder | None:
    """What a panel decodes a slot with: its NumPy codec, else (a live model with no NumPy
    twin, e.g. the conv CVAE) the model's one :class:`ModelDecoder`; else None."""
    if slot.codec is not None:
        return slot.codec  # type: ignore[no-any-return]
    model = slot.model
    if model is None or slot.training or model.codec() is not None:
        return None
    if not (model.spec.has_map or model.spec.conditional):
        return None
    return model_decoder(model)


class DecodeService(QObject):
    """Runs decode jobs; sync decoders answer at once, the others from a worker per key."""

    failed = Signal(str, str)
    """(key, message) when a worker's decode raised."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[str, tuple[TaskWorker, Deliver | None]] = {}
        """Each key's worker and where its answer goes (None: superseded, dropped)."""
        self._waiting: dict[str, tuple[Decoder, Job, Deliver]] = {}

    @property
    def busy(self) -> bool:
        """A worker decode is running or waiting."""
        return bool(self._running or self._waiting)

    def request(self, key: str, decoder: Decoder, job: Job, deliver: Deliver) -> bool:
        """Compute ``job(decoder)`` and hand the result to ``deliver``.

        Returns True when it was delivered already (a NumPy decoder), False when it comes
        later from a worker."""
        if not getattr(decoder, "needs_worker", False):
            # Any worker answer for this key still to come is stale now: never delivered.
            self._waiting.pop(key, None)
            if key in self._running:
                self._running[key] = (self._running[key][0], None)
            deliver(job(decoder))
            return True
        if key in self._running:
            self._waiting[key] = (decoder, job, deliver)  # the newest wins
            return False
        worker = TaskWorker(key, lambda: job(decoder))
        worker.task_done.connect(self._on_done)
        worker.task_failed.connect(self._on_failed)
        self._running[key] = (worker, deliver)
        worker.start()
        return False

    def decode(
        self,
        key: str,
        decoder: Decoder,
        points: np.ndarray,
        labels: np.ndarray | None,
        deliver: Deliver,
    ) -> bool:
        """Images (N, H, W) of ``points`` to ``deliver``."""
        pts = np.array(points, np.float32)
        lab = None if labels is None else np.array(labels, np.float32)
        return self.request(key, decoder, lambda d: d.decode(pts, lab), deliver)

    def decode_grid(
        self,
        key: str,
        decoder: Decoder,
        n: int,
        extent: float,
        dims: tuple[int, int],
        base: np.ndarray | None,
        labels: np.ndarray | None,
        center: tuple[float, float],
        deliver: Deliver,
    ) -> bool:
        """The latent grid mosaic to ``deliver``."""
        args = (n, extent, dims, base, labels, center)
        return self.request(key, decoder, lambda d: decode_grid(d, *args), deliver)

    def _finish(self, key: str) -> Deliver | None:
        deliver: Deliver | None
        _worker, deliver = self._running.pop(key, (None, None))
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            self.request(key, *waiting)
            return None  # superseded: the newer one answers
        return deliver

    def _on_done(self, key: object, result: object) -> None:
        deliver = self._finish(str(key))
        if deliver is not None:
            deliver(result)

    def _on_failed(self, key: object, message: str) -> None:
        self._finish(str(key))
        self.failed.emit(str(key), message)


__all__ = ["DecodeService", "slot_decoder"]
