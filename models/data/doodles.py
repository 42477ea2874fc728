"""Generated cat-like practice doodles, for when no Quick Draw file is at hand.

They are strokes in the simplified Quick Draw space (uint8 0..255, x right, y down), so
everything that reads, rasterizes or writes real drawings takes them too. Each one is
labelled ``word="cat (generated)"`` and ``countrycode="--"``: the GUI and the CLI must say
"generated" wherever they show them. They are not real data; they only let the app be
tried offline.

A doodle: a head outline (an open, wobbly ellipse), two pointed ears, two eyes, a nose,
a mouth, two or three whiskers a side, and sometimes a body with a tail. Position, size,
proportions, rotation and every point vary at random, seeded, so the same ``seed`` gives
the same doodles.
"""

from __future__ import annotations

import math

import numpy as np

from models.data.formats import Drawing

WORD = "cat (generated)"
COUNTRY = "--"
_EPOCH_2017 = 1483228800


def generate_doodles(n: int, seed: int = 0) -> list[Drawing]:
    """``n`` cat-like doodles as Drawings (uint8 strokes), reproducible from ``seed``."""
    if n < 0:
        raise ValueError(f"cannot generate {n} doodles")
    rng = np.random.default_rng(seed)
    return [_doodle(rng) for _ in range(n)]


def _doodle(rng: np.random.Generator) -> Drawing:
    strokes = _cat_strokes(rng)
    points = _place(strokes, rng)
    return Drawing(
        key_id=int(rng.integers(1 << 52, 1 << 53)),
        countrycode=COUNTRY,
        recognized=True,
        timestamp=_EPOCH_2017 + int(rng.integers(0, 365 * 86400)),
        strokes=points,
        word=WORD,
    )


def _arc(
    rng: np.random.Generator,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    start: float,
    sweep: float,
    n: int,
    wobble: float = 0.0,
) -> np.ndarray:
    """(2, n) points on an ellipse arc; ``wobble`` makes the radius drift like a hand."""
    t = start + sweep * np.linspace(0.0, 1.0, n)
    drift = 1.0 + wobble * np.cumsum(rng.normal(0.0, 1.0, n)) / math.sqrt(n)
    return np.stack((cx + rx * drift * np.cos(t), cy + ry * drift * np.sin(t)))


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.array(points, dtype=np.float64).T


def _cat_strokes(rng: np.random.Generator) -> list[np.ndarray]:
    """The strokes of one cat in head units: head centre (0, 0), radius about 1, y down."""
    u = rng.uniform
    rx, ry = u(0.9, 1.15), u(0.75, 0.95)
    strokes: list[np.ndarray] = []

    # Head: an open loop, started near the top like most people draw it.
    start = -math.pi / 2 + u(-0.6, 0.6)
    strokes.append(_arc(rng, 0, 0, rx, ry, start, 2 * math.pi * u(0.92, 1.04), 22, 0.04))

    # Ears: base points on the head outline, tips up and out.
    tip_x, tip_y, spread = u(0.45, 0.8), -ry - u(0.35, 0.7), u(0.3, 0.5)
    lean = u(-0.15, 0.15)
    for side in (-1, 1):
        inner = side * u(0.1, 0.3)
        outer = side * min(rx * 0.95, abs(inner) + spread + u(0.2, 0.4))
        y_in = -ry * math.sqrt(max(0.0, 1 - (inner / rx) ** 2))
        y_out = -ry * math.sqrt(max(0.0, 1 - (outer / rx) ** 2))
        tip = (side * tip_x + lean, tip_y + u(-0.08, 0.08))
        strokes.append(_line((inner, y_in), tip, (outer, y_out)))

    # Eyes: small circles (sometimes just a short dash: a sleepy cat).
    eye_x, eye_y, eye_r = u(0.3, 0.45), u(-0.3, -0.05), u(0.05, 0.11)
    sleepy = rng.random() < 0.15
    for side in (-1, 1):
        cx = side * eye_x + u(-0.03, 0.03)
        if sleepy:
            strokes.append(_arc(rng, cx, eye_y, eye_r * 1.3, eye_r * 0.6, 0.2, math.pi - 0.4, 5))
        else:
            strokes.append(_arc(rng, cx, eye_y, eye_r, eye_r * u(0.9, 1.3), 0, 2 * math.pi, 9))

    # Nose: a small triangle pointing down; mouth: a "w" under it.
    nose_y, nose_w = u(0.08, 0.22), u(0.06, 0.12)
    strokes.append(
        _line(
            (-nose_w, nose_y),
            (nose_w, nose_y),
            (0.0, nose_y + nose_w * 1.2),
            (-nose_w, nose_y),
        )
    )
    mouth_y, mouth_w = nose_y + nose_w * 1.2, u(0.15, 0.3)
    drop = u(0.08, 0.16)
    strokes.append(
        _line(
            (-mouth_w, mouth_y + drop * 0.3),
            (-mouth_w / 2, mouth_y + drop),
            (0.0, mouth_y),
            (mouth_w / 2, mouth_y + drop),
            (mouth_w, mouth_y + drop * 0.3),
        )
    )

    # Whiskers: two or three a side, fanning out past the head.
    count = 3 if rng.random() < 0.3 else 2
    length, fan = u(0.6, 1.1), u(0.1, 0.2)
    for side in (-1, 1):
        for k in range(count):
            offset = (k - (count - 1) / 2) * fan
            x0, y0 = side * u(0.25, 0.45), nose_y + 0.08 + offset * 0.4
            x1, y1 = side * (abs(x0) + length), y0 + offset * 1.6 + u(-0.05, 0.05)
            strokes.append(_line((x0, y0), (x1, y1)))

    # Sometimes a body below the head, and a tail.
    if rng.random() < 0.25:
        bw, bh = u(0.8, 1.2), u(0.8, 1.3)
        top = ry * 0.85
        body = _arc(rng, 0, top + bh, bw, bh, -math.pi / 2 + 0.55, 2 * math.pi - 1.1, 18, 0.03)
        strokes.append(body)
        side = 1 if rng.random() < 0.5 else -1
        tail_y = top + bh * u(1.3, 1.8)
        strokes.append(
            _line(
                (side * bw * 0.9, tail_y),
                (side * (bw + u(0.4, 0.7)), tail_y - u(0.1, 0.3)),
                (side * (bw + u(0.6, 1.0)), tail_y - u(0.6, 1.1)),
                (side * (bw + u(0.4, 0.8)), tail_y - u(1.0, 1.5)),
            )
        )
    return strokes


def _place(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """Rotate, stretch and jitter in head units, then fit into 0..255 at a random size/place.

    All strokes are moved as one array (NumPy calls per stroke are what costs time here).
    """
    angle = rng.normal(0.0, math.radians(8))
    c, s = math.cos(angle), math.sin(angle)
    stretch = np.diag([rng.uniform(0.9, 1.1), rng.uniform(0.9, 1.1)])
    transform = np.array([[c, -s], [s, c]]) @ stretch
    lengths = [p.shape[1] for p in strokes]
    allp = transform @ np.concatenate(strokes, axis=1)
    allp += rng.normal(0.0, 0.025, allp.shape)
    low, high = allp.min(axis=1), allp.max(axis=1)
    factor = 255.0 * rng.uniform(0.8, 1.0) / float(np.max(high - low))
    room = 255.0 - (high - low) * factor
    offset = rng.uniform(0.0, 1.0, 2) * room
    q = np.clip(np.round((allp - low[:, None]) * factor + offset[:, None]), 0, 255)
    q = q.astype(np.uint8)
    first = np.zeros(q.shape[1], dtype=bool)
    first[np.cumsum([0, *lengths[:-1]])] = True
    keep = first.copy()
    keep[1:] |= np.any(q[:, 1:] != q[:, :-1], axis=0)  # drop repeated points
    counts = np.add.reduceat(keep, np.flatnonzero(first))
    out = np.split(q[:, keep], np.cumsum(counts)[:-1], axis=1)
    return [p if p.shape[1] > 1 else np.repeat(p, 2, axis=1) for p in out]
