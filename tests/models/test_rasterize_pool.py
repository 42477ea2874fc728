"""Rasterizing in worker processes: the same pixels as in-process, progress as chunks land,
and small inputs never start a pool."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from models.data import rasterize as raster
from models.data.doodles import generate_doodles
from models.data.formats import StrokeTable
from models.data.quickdraw import quickdraw_rendering


@pytest.fixture(autouse=True)
def _no_pool_left() -> Iterator[None]:
    yield
    raster.close_pool()


@pytest.fixture(scope="module")
def table() -> StrokeTable:
    base = generate_doodles(500, seed=3)
    return StrokeTable.from_drawings([base[i % len(base)] for i in range(2_600)])


@pytest.mark.parametrize("antialias", [False, True])
def test_the_pool_draws_the_same_pixels_as_this_process(
    table: StrokeTable, antialias: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(raster, "POOL_CHUNK", 700)  # 4 chunks, the last one short
    options = quickdraw_rendering(32, antialias)
    here, steps_here = raster.rasterize_levels(table, size=32, workers=1, **options)
    seen: list[tuple[int, int]] = []
    pooled, steps = raster.rasterize_levels(
        table, size=32, workers=2, progress=lambda d, n: seen.append((d, n)), **options
    )
    assert steps == steps_here and pooled.dtype == np.uint8
    np.testing.assert_array_equal(pooled, here)
    # One report per chunk as it lands, in whatever order the workers finish.
    done = [d for d, _ in seen]
    assert here.any() and done == sorted(done) and done[-1] == 2600
    assert sorted(np.diff([0, *done]).tolist()) == [500, 700, 700, 700]
    assert {n for _, n in seen} == {2600}


def test_small_inputs_stay_in_this_process(
    table: StrokeTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(workers: int) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(raster, "_pool", no_pool)
    small = table.slice(0, 300)
    levels, _ = raster.rasterize_levels(small, size=32, **quickdraw_rendering(32))
    assert levels.shape == (300, 32, 32)
    monkeypatch.setattr(raster, "POOL_CHUNK", 100)
    raster.rasterize_levels(small, size=32, workers=1)  # one worker: never a pool


def test_bad_options_from_the_pool_are_the_same_one_line_error(
    table: StrokeTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(raster, "POOL_CHUNK", 700)
    with pytest.raises(ValueError, match="bad rasterization options"):
        raster.rasterize_levels(table, size=32, line_width=-1, workers=2)
