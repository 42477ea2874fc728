"""Fixtures shared by the engine tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.data.mnist import write_idx


def bar_digits(n: int) -> Dataset:
    """n labelled 28x28 images, each a bar whose position encodes its digit (no noise):
    learnable at once, for tests that train the real loop briefly."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, n)
    images = np.zeros((n, 28, 28), np.float32)
    for i, d in enumerate(labels):
        images[i, 2 + 2 * d : 4 + 2 * d, 4:-4] = 1.0
    return Dataset(images, labels, "bars", "bars")


def _arc(
    cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 40
) -> np.ndarray:
    t = np.radians(np.linspace(a0, a1, n))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def _line(*pts: tuple[float, float]) -> np.ndarray:
    return np.asarray(pts, float).T


# Pen strokes of the ten digits on a 200x300 pad, as a person might draw them.
def _two() -> np.ndarray:
    top = _arc(100, 100, 55, 55, 200, 380)
    return np.concatenate([top, _line((45, 250), (165, 250))], axis=1)


def _six() -> np.ndarray:
    return np.concatenate([_line((140, 40), (80, 110)), _arc(100, 190, 55, 60, 180, 540)], axis=1)


_DIGITS: dict[int, list[np.ndarray]] = {
    0: [_arc(100, 150, 60, 100, 0, 360)],
    1: [_line((110, 40), (100, 260))],
    2: [_two()],
    3: [_arc(100, 95, 55, 50, 200, 450), _arc(100, 195, 60, 55, 270, 520)],
    4: [_line((120, 40), (40, 190), (170, 190)), _line((130, 110), (125, 260))],
    5: [_line((160, 40), (70, 40), (60, 130)), _arc(100, 185, 65, 65, 240, 500)],
    6: [_six()],
    7: [_line((40, 40), (170, 40), (80, 260))],
    8: [_arc(100, 90, 45, 50, 0, 360), _arc(100, 200, 55, 60, 0, 360)],
    9: [_arc(100, 90, 55, 50, 0, 360), _line((155, 90), (140, 260))],
}


@pytest.fixture
def drawn_digits() -> dict[int, list[np.ndarray]]:
    """Pen strokes of the digits 0-9 on a 200x300 pad (screen pixels, y down)."""
    return {d: [s.copy() for s in strokes] for d, strokes in _DIGITS.items()}


# A cat's head drawn on a 600x400 pad, as a person might draw it in the sketch pad.
_CAT: list[np.ndarray] = [
    _arc(300, 220, 120, 100, 0, 360, 90),  # head
    _line((200, 160), (215, 60), (260, 125), (340, 125), (385, 60), (400, 160)),  # ears
    _line((255, 200), (256, 201)),  # eyes
    _line((345, 200), (346, 201)),
    _line((180, 250), (280, 240), (283, 242.5), (420, 252)),  # whiskers
]


@pytest.fixture
def drawn_cat() -> list[np.ndarray]:
    """Pen strokes of a cat's head on a 600x400 pad (screen pixels as floats, y down)."""
    return [s.copy() for s in _CAT]


def _write_digit_bars(folder: Path, prefix: str, count: int) -> Path:
    rng = np.random.default_rng(0)
    labels = np.arange(count) % 10
    images = np.zeros((count, 28, 28), np.uint8)
    for i, d in enumerate(labels):
        images[i, 3 + 2 * d : 5 + 2 * d, 5:-5] = 255
    images |= (rng.random(images.shape) < 0.02).astype(np.uint8) * 255
    path = folder / f"{prefix}-images-idx3-ubyte.gz"
    write_idx(path, folder / f"{prefix}-labels-idx1-ubyte.gz", images, labels)
    return path


@pytest.fixture(scope="session")
def write_digit_bars() -> Callable[[Path, str, int], Path]:
    """``write(folder, prefix, count)``: ``count`` easy digits (digit d is a bar at row
    3 + 2d, with 2% noise pixels, the same for a given count) written as the gzipped MNIST
    IDX pair ``<prefix>-images/labels-idx?-ubyte.gz`` in ``folder``; the images path."""
    return _write_digit_bars


def _bar_dataset(n: int = 30, size: int = 28) -> Dataset:
    labels = np.arange(n) % 10
    images = np.zeros((n, size, size), np.float32)
    for i, digit in enumerate(labels):
        images[i, 2 + 2 * digit : 4 + 2 * digit, 4:-4] = 1.0
    return Dataset(images, labels, "bars", "bars")


@pytest.fixture(scope="session")
def bar_dataset() -> Callable[..., Dataset]:
    """``make(n=30, size=28)``: an in-memory Dataset of ``n`` noiseless bar digits (digit d
    is a bar at row 2 + 2d), for saving runs without reading a file."""
    return _bar_dataset
