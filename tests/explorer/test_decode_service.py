"""The one decode service: a NumPy codec answers at once, a model from a worker, and an
answer that a newer request for the same picture overtook is never shown."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from explorer.model_decoder import DecodeService


class _Decoder:
    """Decodes every point to an image filled with ``value``."""

    latent_dim, num_classes, image_shape, conditional = 2, 0, (2, 2), False

    def __init__(self, value: float, needs_worker: bool, gate: threading.Event | None = None):
        self.value, self.needs_worker, self.gate = value, needs_worker, gate

    def decode(self, points: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        if self.gate is not None:
            self.gate.wait(5)
        return np.full((len(points), 2, 2), self.value, np.float32)

    encode = decode


def test_a_newer_numpy_answer_is_never_overwritten_by_a_slower_worker(qtbot: Any) -> None:
    service = DecodeService()
    shown: list[float] = []
    gate = threading.Event()
    model = _Decoder(1.0, needs_worker=True, gate=gate)  # a conv model, still decoding
    codec = _Decoder(2.0, needs_worker=False)  # the NumPy codec chosen meanwhile
    point = np.zeros((1, 2))
    assert not service.decode("grid", model, point, None, lambda im: shown.append(im[0, 0, 0]))
    assert service.decode("grid", codec, point, None, lambda im: shown.append(im[0, 0, 0]))
    assert shown == [2.0]  # at once
    gate.set()
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)
    qtbot.wait(50)
    assert shown == [2.0]  # the model's late answer was dropped


def test_worker_answers_arrive_and_the_newest_waiting_one_wins(qtbot: Any) -> None:
    service = DecodeService()
    shown: list[float] = []
    gate = threading.Event()
    first = _Decoder(1.0, needs_worker=True, gate=gate)
    point = np.zeros((1, 2))
    service.decode("grid", first, point, None, lambda im: shown.append(im[0, 0, 0]))
    for value in (3.0, 4.0):  # dragged on: only the newest waits
        later = _Decoder(value, needs_worker=True)
        service.decode("grid", later, point, None, lambda im: shown.append(im[0, 0, 0]))
    gate.set()
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)
    assert shown == [4.0]
