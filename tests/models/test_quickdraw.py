"""Rasterizing strokes (against the plain PIL loop), load_bitmaps for every format, its
cache, the category list and the cache folder."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from models.data import quickdraw
from models.data.doodles import generate_doodles
from models.data.quickdraw import (
    CATEGORIES,
    Drawing,
    cache_dir,
    load_bitmaps,
    quickdraw_rendering,
    rasterize,
    rasterize_pil_reference,
    word_from_filename,
    write_binary,
)
from models.errors import DataFormatError


def _drawing(*strokes: list[tuple[int, int]]) -> Drawing:
    arrays = [np.array(s, dtype=np.uint8).T for s in strokes]
    return Drawing(1, "US", True, 0, arrays)


@pytest.fixture(scope="module")
def doodles() -> list[Drawing]:
    return generate_doodles(300, seed=3)


def _as_loaded(drawings: list[Drawing], size: int = 32, antialias: bool = False) -> np.ndarray:
    """What ``load_bitmaps`` draws: the numpy-bitmap look (binarized unless anti-aliased)."""
    return rasterize(drawings, size=size, **quickdraw_rendering(size, antialias))


# --------------------------------------------------------------------------- rasterize


def test_classic_recipe_by_hand() -> None:
    """0..255 / 8 → 32×32, 2-pixel lines, ink 1.0 on 0.0."""
    across = _drawing([(0, 80), (255, 80)])  # y 80 / 8 = row 10
    down = _drawing([(40, 0), (40, 255)])  # x 40 / 8 = column 5
    images = rasterize([across, down])
    assert images.dtype == np.float32 and images.shape == (2, 32, 32)
    assert set(np.unique(images)) == {0.0, 1.0}
    assert np.array_equal(np.flatnonzero(images[0].any(axis=1)), [10, 11])  # 2 px wide
    assert images[0, 10].all() and images[0, 11].all()
    assert np.array_equal(np.flatnonzero(images[1].any(axis=0)), [5, 6])
    assert images[1, :, 5].all() and images[1, :, 6].all()


def test_same_as_the_pil_loop(doodles: list[Drawing]) -> None:
    fast, slow = rasterize(doodles), rasterize_pil_reference(doodles)
    assert fast.shape == slow.shape == (300, 32, 32) and fast.dtype == slow.dtype
    assert np.array_equal(fast, slow)


@pytest.mark.parametrize(
    ("size", "scale", "width"), [(28, 28 / 256, 2), (64, 0.25, 3), (32, 1 / 8, 1), (16, 2.0, 2)]
)
def test_other_options_agree_with_pil_closely(
    doodles: list[Drawing], size: int, scale: float, width: int
) -> None:
    """PIL's float rounding can move a rare edge pixel (see models/rasterize.py); the scale
    2.0 case also draws segments longer than the picture (those drawings go through PIL)."""
    fast = rasterize(doodles, size=size, scale=scale, line_width=width)
    slow = rasterize_pil_reference(doodles, size=size, scale=scale, line_width=width)
    assert fast.shape == (300, size, size)
    assert np.mean(fast != slow) < 1e-4
    assert abs(fast.sum() - slow.sum()) <= 0.001 * slow.sum()


def test_antialiased(doodles: list[Drawing]) -> None:
    aa = rasterize(doodles[:50], antialias=True)
    ref = rasterize_pil_reference(doodles[:50], antialias=True)
    assert aa.dtype == np.float32 and aa.min() == 0.0 and aa.max() == 1.0
    assert np.all(np.isin(aa, np.arange(17, dtype=np.float32) / 16))  # sixteenths
    assert np.mean((aa > 0) & (aa < 1)) > 0  # real grey edges
    assert np.abs(aa - ref).max() <= 1 / 16 + 1 / 255  # at most one sub-pixel apart
    assert np.abs(aa - ref).mean() < 1e-3


def test_single_point_stroke_is_a_dot_unlike_pil() -> None:
    tap = _drawing([(100, 100)])
    assert rasterize([tap])[0].sum() == 1.0 and rasterize([tap])[0, 12, 12] == 1.0
    assert rasterize_pil_reference([tap])[0].sum() == 0.0  # PIL's line() skips it


def test_edges_outside_and_empty() -> None:
    empty = Drawing(1, "US", True, 0, [])
    corner = _drawing([(255, 255), (255, 0)], [(0, 0), (0, 0)])
    raw = Drawing(1, "US", True, 0, [np.array([[-50.0, 300.0], [10.0, 10.0]])])
    fast = rasterize([empty, corner, raw])
    slow = rasterize_pil_reference([empty, corner, raw])
    assert np.array_equal(fast, slow)
    assert fast[0].sum() == 0 and fast[2, 1].all()
    assert rasterize([]).shape == (0, 32, 32)
    with pytest.raises(ValueError, match="finite"):
        rasterize([Drawing(1, "US", True, 0, [np.array([[np.nan, 1.0], [1.0, 1.0]])])])
    with pytest.raises(ValueError, match=r"shape \(2, n\)"):
        rasterize([Drawing(1, "US", True, 0, [np.zeros((3, 2))])])


def test_rasterize_from_threads_at_once(doodles: list[Drawing]) -> None:
    """The shape book is shared; a width nobody used yet makes the threads fill it together."""
    expected = rasterize_pil_reference(doodles[:100], line_width=5)
    results: list[np.ndarray] = []

    def work() -> None:
        results.append(rasterize(doodles[:100], line_width=5))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for r in results:
        assert np.mean(r != expected) < 1e-4
        assert np.array_equal(r, results[0])


# --------------------------------------------------------------------------- the numpy-bitmap look


@pytest.mark.parametrize("antialias", [False, True])
def test_quickdraw_rendering_same_as_the_pil_loop(doodles: list[Drawing], antialias: bool) -> None:
    """The offset, the centring and the binarizing are the reference's too."""
    fast = rasterize(doodles, **quickdraw_rendering(32, antialias))
    slow = rasterize_pil_reference(doodles, **quickdraw_rendering(32, antialias))
    with pytest.raises(ValueError, match="bad rasterization options"):
        rasterize(doodles[:1], offset=float("nan"))
    if antialias:
        assert np.abs(fast - slow).max() <= 1 / 16 + 1 / 255 and np.abs(fast - slow).mean() < 1e-3
    else:
        assert set(np.unique(fast)) == {0.0, 1.0} and np.array_equal(fast, slow)


def _edges(image: np.ndarray) -> tuple[int, int, int, int]:
    """Where a box's four sides are: the most inked row/column in each half of the frame."""
    rows, cols = image.sum(axis=1), image.sum(axis=0)
    half = image.shape[0] // 2
    return (int(np.argmax(rows[:half])), half + int(np.argmax(rows[half:])),
            int(np.argmax(cols[:half])), half + int(np.argmax(cols[half:])))  # fmt: skip


@pytest.mark.parametrize("antialias", [False, True])
def test_strokes_land_where_the_numpy_bitmaps_have_their_drawings(
    tmp_path: Path, antialias: bool
) -> None:
    """Google drew each 0..255 drawing centred in 24..280 of 304 units across 28 pixels
    (lines 16 units): rows/cols 2.2..25.8 of a .npy picture, 4.2..27.8 once padded to 32.
    Strokes spanning 0..255 must land there, not across the whole frame."""
    box = _drawing([(0, 0), (255, 0), (255, 255), (0, 255), (0, 0)])
    image = load_bitmaps(_write(tmp_path, [box], "box.ndjson"), antialias=antialias).images[0]
    assert _edges(image) == (4, 27, 4, 27)
    assert image[:3].sum() == 0 and image[29:].sum() == 0  # the .npy margin stays empty
    assert image[:, :3].sum() == 0 and image[:, 29:].sum() == 0
    assert image[4, 4:28].all() and image[4:28, 27].all()
    # a .npy picture of the same box (1-pixel sides at 2 and 25), padded as 28x28 bitmaps are
    npy = np.zeros((1, 28, 28), np.uint8)
    npy[0, 2:26, 2:26] = 255
    npy[0, 3:25, 3:25] = 0
    np.save(tmp_path / "box.npy", npy)
    assert _edges(load_bitmaps(tmp_path / "box.npy").images[0]) == _edges(image)


def test_narrow_drawings_are_centred_like_the_bitmaps(tmp_path: Path) -> None:
    """Simplified strokes start at the top-left; the bitmaps centre each drawing."""
    tall = _drawing([(0, 0), (0, 255)], [(60, 0), (60, 255)])  # 60 units wide, 255 high
    wide = _drawing([(0, 0), (255, 0)], [(0, 60), (255, 60)])
    images = load_bitmaps(_write(tmp_path, [tall, wide], "narrow.ndjson")).images
    cols, rows = np.flatnonzero(images[0].any(axis=0)), np.flatnonzero(images[1].any(axis=1))
    assert abs((cols[0] + cols[-1]) / 2 - 15.5) <= 0.5
    assert abs((rows[0] + rows[-1]) / 2 - 15.5) <= 0.5
    assert np.array_equal(images[0].T, images[1])
    # two 1.5-pixel lines 24 pixels long, each 1 or 2 pixels wide once binarized
    assert 2 * 24 <= images[0].sum() <= 2 * 2 * 24


def test_old_caches_are_not_reused(
    tmp_path: Path, doodles: list[Drawing], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pictures cached with another rendering (another CACHE_VERSION) are drawn again."""
    path = tmp_path / "cat.bin"
    write_binary(path, doodles[:10])
    monkeypatch.setattr(quickdraw, "CACHE_VERSION", quickdraw.CACHE_VERSION - 1)
    load_bitmaps(path, cache_dir=tmp_path / "c")
    assert load_bitmaps(path, cache_dir=tmp_path / "c").from_cache
    monkeypatch.undo()
    fresh = load_bitmaps(path, cache_dir=tmp_path / "c")
    assert not fresh.from_cache and np.array_equal(fresh.images, _as_loaded(doodles[:10]))


def _write(folder: Path, drawings: list[Drawing], name: str) -> Path:
    _write_ndjson(folder / name, drawings)
    return folder / name


# --------------------------------------------------------------------------- load_bitmaps


def _write_ndjson(path: Path, drawings: list[Drawing], word: str = "cat") -> None:
    lines = [
        json.dumps(
            {
                "word": word,
                "countrycode": d.countrycode,
                "timestamp": d.timestamp,
                "recognized": d.recognized,
                "key_id": str(d.key_id),
                "drawing": [[s[0].tolist(), s[1].tolist()] for s in d.strokes],
            }
        )
        for d in drawings
    ]
    path.write_text("\n".join(lines) + "\n")


def test_load_bin_and_ndjson_alike(tmp_path: Path, doodles: list[Drawing]) -> None:
    write_binary(tmp_path / "full_binary_cat.bin", doodles[:40])
    _write_ndjson(tmp_path / "sketches.ndjson", doodles[:40])
    a = load_bitmaps(tmp_path / "full_binary_cat.bin")
    b = load_bitmaps(tmp_path / "sketches.ndjson")
    assert a.images.dtype == np.float32 and a.images.shape == (40, 32, 32)
    assert np.array_equal(a.images, _as_loaded(doodles[:40]))
    assert np.array_equal(a.images, b.images)
    assert a.word == "cat" and b.word == "cat"
    for key in ("key_id", "countrycode", "recognized", "timestamp"):
        assert np.array_equal(a.metadata[key], b.metadata[key]), key
    assert a.metadata["key_id"].dtype == np.uint64
    assert a.metadata["key_id"][0] == doodles[0].key_id
    assert a.metadata["countrycode"][0] == "--"
    assert len(a) == 40


def test_load_numpy_bitmaps_padded(tmp_path: Path) -> None:
    rows = np.random.default_rng(0).integers(0, 256, (6, 1, 784), dtype=np.uint8)
    np.save(tmp_path / "cat_3000.npy", rows)
    bitmaps = load_bitmaps(tmp_path / "cat_3000.npy")
    assert bitmaps.images.shape == (6, 32, 32) and bitmaps.images.dtype == np.float32
    assert np.array_equal(bitmaps.images[:, 2:30, 2:30] * 255, rows.reshape(6, 28, 28))
    assert bitmaps.images[:, :2].sum() == 0 and bitmaps.images[:, :, 30:].sum() == 0
    assert bitmaps.metadata == {} and bitmaps.word == "cat"
    assert load_bitmaps(tmp_path / "cat_3000.npy", size=28).images.shape == (6, 28, 28)
    with pytest.raises(ValueError, match="must be >= 28"):
        load_bitmaps(tmp_path / "cat_3000.npy", size=16)


def test_load_refuses_unknown_types_and_reports_bad_files(tmp_path: Path) -> None:
    (tmp_path / "cat.png").write_bytes(b"\x89PNG")
    with pytest.raises(DataFormatError, match=r"unsupported file type \.png"):
        load_bitmaps(tmp_path / "cat.png")
    (tmp_path / "cut.bin").write_bytes(b"\x01" * 10)
    with pytest.raises(DataFormatError, match=r"cut\.bin, byte 0"):
        load_bitmaps(tmp_path / "cut.bin")


def test_progress_counts_drawings(tmp_path: Path, doodles: list[Drawing]) -> None:
    many = (doodles * 10)[:2500]  # more than one chunk
    write_binary(tmp_path / "cat.bin", many)
    calls: list[tuple[int, int]] = []
    load_bitmaps(tmp_path / "cat.bin", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2500, 2500) and len(calls) >= 2
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_second_load_comes_from_the_cache(
    tmp_path: Path, doodles: list[Drawing], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cat.bin"
    write_binary(path, doodles)
    first = load_bitmaps(path)
    assert not first.from_cache
    entries = list((cache_dir() / "rasterized").glob("*.npz"))
    assert len(entries) == 1 and entries[0].stat().st_size < 300 * 32 * 32 / 8 + 20_000  # bits

    def no_rasterizing(*args: object, **kwargs: object) -> None:
        raise AssertionError("rasterized again instead of using the cache")

    monkeypatch.setattr(quickdraw, "rasterize_levels", no_rasterizing)
    calls: list[tuple[int, int]] = []
    again = load_bitmaps(path, progress=lambda d, t: calls.append((d, t)))
    assert again.from_cache and calls == [(300, 300)]
    assert np.array_equal(again.images, first.images) and again.images.dtype == np.float32
    assert again.word == first.word
    for key, value in first.metadata.items():
        assert (
            np.array_equal(again.metadata[key], value) and again.metadata[key].dtype == value.dtype
        )


def test_cache_follows_the_file_and_the_options(tmp_path: Path, doodles: list[Drawing]) -> None:
    path = tmp_path / "cat.bin"
    write_binary(path, doodles[:10])
    assert len(load_bitmaps(path)) == 10
    write_binary(path, doodles[:12])  # changed file (size and mtime): not the old entry
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    fresh = load_bitmaps(path)
    assert len(fresh) == 12 and not fresh.from_cache
    assert len(list((cache_dir() / "rasterized").glob("*.npz"))) == 1  # replaced, not piled up
    aa = load_bitmaps(path, antialias=True)
    big = load_bitmaps(path, size=48)
    assert not aa.from_cache and not big.from_cache and big.images.shape == (12, 48, 48)
    aa_again = load_bitmaps(path, antialias=True)
    assert aa_again.from_cache and np.array_equal(aa_again.images, aa.images)
    assert np.array_equal(aa.images, _as_loaded(doodles[:12], antialias=True))
    tiny = load_bitmaps(path, size=5)  # 12 × 25 pixels: not a whole number of bytes
    tiny_again = load_bitmaps(path, size=5)
    assert tiny_again.from_cache and np.array_equal(tiny_again.images, tiny.images)
    assert tiny.images.shape == (12, 5, 5) and tiny.images.sum() > 0
    assert len(list((cache_dir() / "rasterized").glob("*.npz"))) == 4


def test_damaged_or_unwritable_cache_is_only_a_detour(
    tmp_path: Path, doodles: list[Drawing], caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cat.bin"
    write_binary(path, doodles[:20])
    first = load_bitmaps(path, cache_dir=tmp_path / "c")
    (entry,) = (tmp_path / "c" / "rasterized").glob("*.npz")
    entry.write_bytes(entry.read_bytes()[:100])
    again = load_bitmaps(path, cache_dir=tmp_path / "c")
    assert not again.from_cache and np.array_equal(again.images, first.images)
    assert "damaged cache file" in caplog.text
    assert load_bitmaps(path, cache_dir=tmp_path / "c").from_cache  # rewritten whole
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    third = load_bitmaps(path, cache_dir=blocked)
    assert np.array_equal(third.images, first.images)
    assert not load_bitmaps(path, use_cache=False).from_cache
    leftovers = [p.name for p in (tmp_path / "c" / "rasterized").iterdir()]
    assert len(leftovers) == 1 and leftovers[0].endswith(".npz")  # no temporary files


def test_keep_partial_passes_through(tmp_path: Path, doodles: list[Drawing]) -> None:
    path = tmp_path / "cat.bin"
    write_binary(path, doodles[:5])
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(DataFormatError):
        load_bitmaps(path)
    with pytest.warns(quickdraw.TruncatedFileWarning):
        assert len(load_bitmaps(path, keep_partial=True)) == 4


# --------------------------------------------------------------------------- names and folders


def test_categories() -> None:
    assert len(CATEGORIES) == 345 and len(set(CATEGORIES)) == 345
    for name in ("cat", "The Eiffel Tower", "t-shirt", "teddy-bear", "zigzag", "aircraft carrier"):
        assert name in CATEGORIES
    assert all(c == c.strip() and "  " not in c and "/" not in c for c in CATEGORIES)


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("cat.bin", "cat"),
        ("full_binary_cat.bin", "cat"),
        ("full_numpy_bitmap_the eiffel tower.npy", "The Eiffel Tower"),
        ("hot_dog.ndjson", "hot dog"),
        ("cat_3000.npy", "cat"),
        ("t-shirt.bin", "t-shirt"),
        ("my sketches.bin", None),
    ],
)
def test_word_from_filename(name: str, word: str | None) -> None:
    assert word_from_filename(Path(name)) == word


def test_cache_dir_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("AE_EXPLORER_CACHE")
    if not sys.platform.startswith("linux"):  # platformdirs' own rules elsewhere
        return
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "ae-explorer"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "ae-explorer"
