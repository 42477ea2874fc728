"""Fixtures shared by the engine tests."""

from __future__ import annotations

import numpy as np
import pytest


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
