"""Rasterizing in worker processes: the same pixels as in-process, progress as chunks land,
and small inputs never start a pool."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    landed: list[int] = []
    images = np.full(here.shape, np.nan, np.float32)

    def land(start: int, levels: np.ndarray, steps: int) -> None:
        landed.append(start)
        raster.levels_to_float(levels, steps, out=images[start : start + len(levels)])

    pooled, steps = raster.rasterize_levels(
        table, size=32, workers=2, progress=lambda d, n: seen.append((d, n)), on_chunk=land,
        **options,
    )  # fmt: skip
    assert steps == steps_here and pooled.dtype == np.uint8
    np.testing.assert_array_equal(pooled, here)
    # Each chunk handed over once as it landed: together, every drawing's picture.
    assert sorted(landed) == [0, 700, 1400, 2100]
    np.testing.assert_array_equal(images, raster.levels_to_float(here, steps_here))
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


def test_chunks_drawn_here_are_handed_over_as_they_are_drawn(
    table: StrokeTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(raster, "CHUNK", 1000)
    landed: list[tuple[int, int, int]] = []
    _levels, steps = raster.rasterize_levels(
        table, size=32, workers=1, on_chunk=lambda s, lv, k: landed.append((s, len(lv), k)),
        **quickdraw_rendering(32),
    )  # fmt: skip
    assert landed == [(0, 1000, steps), (1000, 1000, steps), (2000, 600, steps)]


def test_loaded_images_are_those_of_the_levels(tmp_path: Path) -> None:
    """``load_bitmaps`` turns each chunk into images as it lands (in the pool here): the
    images are the levels', drawing for drawing, and the cached load gives the same."""
    from models.data.quickdraw import load_bitmaps, write_binary

    drawings = generate_doodles(300, seed=4)
    path = tmp_path / "cat.bin"
    write_binary(path, [drawings[i % 300] for i in range(raster.POOL_MIN + 500)])
    loaded = load_bitmaps(path, cache_dir=tmp_path / "cache")
    table = StrokeTable.from_drawings([drawings[i % 300] for i in range(raster.POOL_MIN + 500)])
    levels, steps = raster.rasterize_levels(table, size=32, workers=1, **quickdraw_rendering(32))
    np.testing.assert_array_equal(loaded.images, raster.levels_to_float(levels, steps))
    again = load_bitmaps(path, cache_dir=tmp_path / "cache")
    assert again.from_cache
    np.testing.assert_array_equal(again.images, loaded.images)
