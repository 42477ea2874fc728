"""Generated practice doodles: labelled as generated, reproducible, valid Quick Draw strokes,
and shaped like a cat (ears above a head, whiskers across it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.data.doodles import COUNTRY, WORD, generate_doodles
from models.data.quickdraw import Drawing, rasterize, read_binary, write_binary


@pytest.fixture(scope="module")
def doodles() -> list[Drawing]:
    return generate_doodles(200, seed=11)


def test_labelled_as_generated(doodles: list[Drawing]) -> None:
    assert WORD == "cat (generated)" and COUNTRY == "--"
    assert all(d.word == WORD and d.countrycode == COUNTRY and d.recognized for d in doodles)
    assert len({d.key_id for d in doodles}) == 200


def test_reproducible_and_varied(doodles: list[Drawing]) -> None:
    assert generate_doodles(200, seed=11) == doodles
    other = generate_doodles(200, seed=12)
    assert all(a != b for a, b in zip(doodles, other, strict=True))
    images = rasterize(doodles)
    flat = images.reshape(200, -1)
    assert len({row.tobytes() for row in flat}) == 200  # no two pictures alike
    assert generate_doodles(0) == []
    with pytest.raises(ValueError, match="-1"):
        generate_doodles(-1)


def test_valid_strokes_in_the_simplified_space(doodles: list[Drawing], tmp_path: Path) -> None:
    for d in doodles:
        assert all(s.dtype == np.uint8 and s.ndim == 2 and s.shape[0] == 2 for s in d.strokes)
        assert all(s.shape[1] >= 2 for s in d.strokes)
        allp = np.concatenate(d.strokes, axis=1).astype(int)
        span = (allp.max(axis=1) - allp.min(axis=1)).max()
        assert 0.78 * 255 <= span <= 255  # fills most of the frame, like real drawings
    write_binary(tmp_path / "doodles.bin", doodles)
    back = read_binary(tmp_path / "doodles.bin")
    for a, b in zip(back, doodles, strict=True):
        assert a.key_id == b.key_id and len(a.strokes) == len(b.strokes)
        assert all(np.array_equal(x, y) for x, y in zip(a.strokes, b.strokes, strict=True))


def test_cat_parts(doodles: list[Drawing]) -> None:
    """Head, two ears, two eyes, nose, mouth, 2-3 whiskers a side; a body sometimes."""
    bodies = 0
    for d in doodles:
        body = _has_body(d)
        bodies += body
        whiskers = len(d.strokes) - 7 - (2 if body else 0)
        assert whiskers in (4, 6)
        assert all(w.shape[1] == 2 for w in d.strokes[7 : 7 + whiskers])  # straight lines
        head, ear_l, ear_r = d.strokes[:3]
        assert head.shape[1] >= 10  # an outline, not a dash
        assert ear_l.shape[1] == ear_r.shape[1] == 3  # base, tip, base
        # one ear tip each side, both above the middle of the head, one near its top
        assert int(ear_l[0, 1]) < int(ear_r[0, 1])
        assert max(ear_l[1, 1], ear_r[1, 1]) < np.median(head[1])
        assert min(ear_l[1, 1], ear_r[1, 1]) <= head[1].min() + 10
    assert 0.1 * 200 < bodies < 0.4 * 200


def _has_body(d: Drawing) -> bool:
    """A body is an outline stroke drawn after the whiskers; whiskers have two points."""
    return d.strokes[-2].shape[1] > 4


def test_ink_like_real_sketches(doodles: list[Drawing]) -> None:
    ink = rasterize(doodles).mean(axis=(1, 2))
    # The 8,600 real sketches in the shared samples ink 21 % of 32×32 pixels on average.
    assert ink.min() > 0.1 and ink.max() < 0.4
