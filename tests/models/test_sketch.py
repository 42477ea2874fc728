"""Sketch-pad drawings: the simplified Quick Draw form, the same pixels as the training data,
saving and opening drawings, and MNIST-style digits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models.data.formats import normalize_strokes, rdp
from models.data.quickdraw import load_bitmaps
from models.data.sketch import (
    digit_image,
    make_drawing,
    ndjson_line,
    open_drawing,
    open_png,
    rasterize_sketch,
    save_ndjson,
    save_png,
    simplify,
)
from models.errors import DataFormatError

# --------------------------------------------------------------------------- simplified form


def test_simplified_form_is_aligned_scaled_and_integer(drawn_cat: list[np.ndarray]) -> None:
    strokes = simplify(drawn_cat)
    allp = np.concatenate(strokes, axis=1)
    assert all(s.dtype == np.uint8 for s in strokes)
    assert allp.min(axis=1).tolist() == [0, 0]  # aligned to the top-left
    # Uniform scale: the longer side (y: 60..320 px on the pad) spans 255, and x
    # (180..420 px) keeps the aspect.
    assert int(allp[1].max()) == 255
    assert int(allp[0].max()) == pytest.approx(255 * 240 / 260, abs=2)


def test_simplify_uses_rdp_at_epsilon_2() -> None:
    # A straight stroke sampled at 100 points becomes its two ends; a bend under 2 units
    # (in 0..255 space) vanishes, one above it stays as one corner.
    xs = np.linspace(0, 255, 100)
    assert simplify([(xs, np.zeros(100))])[0].shape[1] == 2
    tent = 1 - np.abs(xs - 127.5) / 127.5
    small, big = 1.5 * tent, 6.0 * tent
    flat = simplify([(xs, small), (xs, np.full(100, 40.0))])
    bent = simplify([(xs, big), (xs, np.full(100, 40.0))])
    assert flat[0].shape[1] == 2
    assert bent[0].shape[1] == 3


def test_rdp_keeps_points_farther_than_epsilon() -> None:
    pts = np.array([[0, 1, 2, 3, 4], [0, 0.5, 3.0, 0.5, 0]], float)
    assert rdp(pts, 2.0)[0].tolist() == [0, 2, 4]
    assert rdp(pts, 3.5)[0].tolist() == [0, 4]


def test_pad_scale_and_offset_do_not_matter(drawn_cat: list[np.ndarray]) -> None:
    strokes = drawn_cat
    moved = [s * 2.5 + np.array([[40.0], [-7.0]]) for s in strokes]
    a, b = simplify(strokes), simplify(moved)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_empty_strokes_are_dropped_and_bad_ones_refused() -> None:
    assert simplify([]) == []
    assert len(simplify([(np.zeros(0), np.zeros(0)), (np.arange(5.0), np.arange(5.0))])) == 1
    with pytest.raises(ValueError, match="stroke 0"):
        simplify([np.zeros((3, 4))])
    with pytest.raises(ValueError, match="finite"):
        simplify([(np.array([0.0, np.nan]), np.zeros(2))])


# --------------------------------------------------------------------------- same pixels


@pytest.mark.parametrize(("size", "antialias"), [(32, False), (28, False), (64, False), (32, True)])
def test_drawing_and_its_saved_ndjson_give_identical_pixels(
    tmp_path: Path, size: int, antialias: bool, drawn_cat: list[np.ndarray]
) -> None:
    drawing = make_drawing(drawn_cat, word="cat")
    path = save_ndjson(drawing, tmp_path / "mine.ndjson")
    assert len(path.read_text().splitlines()) == 1
    from_file = load_bitmaps(path, size=size, antialias=antialias, use_cache=False)
    mine = rasterize_sketch(drawing, size=size, antialias=antialias)
    assert mine.shape == (size, size) and mine.dtype == np.float32
    assert mine.sum() > 20  # real ink, not two empty images
    np.testing.assert_array_equal(from_file.images[0], mine)
    assert from_file.word == "cat"


def test_raw_pad_strokes_in_a_raw_ndjson_read_back_the_same(
    tmp_path: Path, drawn_cat: list[np.ndarray]
) -> None:
    # The pad's own float coordinates written as a raw ndjson line (with times): the
    # project's reader normalizes them to the very same drawing and pixels.
    strokes = drawn_cat
    raw = {
        "word": "cat",
        "drawing": [[s[0].tolist(), s[1].tolist(), list(range(s.shape[1]))] for s in strokes],
    }
    path = tmp_path / "raw.ndjson"
    path.write_text(json.dumps(raw) + "\n")
    drawing = make_drawing(strokes, word="cat")
    np.testing.assert_array_equal(
        load_bitmaps(path, use_cache=False).images[0], rasterize_sketch(drawing)
    )
    np.testing.assert_array_equal(rasterize_sketch(strokes), rasterize_sketch(drawing))
    assert all(
        np.array_equal(a, b)
        for a, b in zip(normalize_strokes(strokes), drawing.strokes, strict=True)
    )


# --------------------------------------------------------------------------- files


def test_save_and_open_a_drawing(tmp_path: Path, drawn_cat: list[np.ndarray]) -> None:
    drawing = make_drawing(drawn_cat, word="cat", countrycode="FR", key_id=42)
    save_ndjson(drawing, tmp_path / "d.ndjson")
    obj = json.loads((tmp_path / "d.ndjson").read_text())
    assert obj["word"] == "cat" and obj["key_id"] == "42" and obj["recognized"] is True
    assert obj["timestamp"].endswith(" UTC")
    again = open_drawing(tmp_path / "d.ndjson")
    assert again == drawing
    assert json.loads(ndjson_line(again)) == obj


def test_png_of_a_drawing_opens_as_an_ink_image(
    tmp_path: Path, drawn_cat: list[np.ndarray]
) -> None:
    drawing = make_drawing(drawn_cat)
    path = save_png(drawing, tmp_path / "d.png")
    image = open_png(path)
    assert image.shape == (256, 256)
    assert 0.01 < image.mean() < 0.2  # ink (1.0) on background (0.0), not inverted
    assert image[0, 0] == 0.0
    with pytest.raises(DataFormatError, match=r"d\.png.*pixels, not strokes"):
        open_drawing(path)
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with pytest.raises(DataFormatError, match=r"bad\.png"):
        open_png(tmp_path / "bad.png")


def test_saving_unsimplified_strokes_is_refused(
    tmp_path: Path, drawn_cat: list[np.ndarray]
) -> None:
    drawing = make_drawing(drawn_cat)
    drawing.strokes[0] = drawing.strokes[0].astype(np.float64)
    with pytest.raises(ValueError, match="not simplified"):
        save_ndjson(drawing, tmp_path / "x.ndjson")


# --------------------------------------------------------------------------- digits


def _stroke_width(images: np.ndarray) -> np.ndarray:
    """2 * area / perimeter of the ink above 0.5: the width of a long thin stroke."""
    b = images > 0.5
    area = b.sum(axis=(1, 2))
    edges = (b[:, 1:] != b[:, :-1]).sum(axis=(1, 2)) + (b[:, :, 1:] != b[:, :, :-1]).sum(
        axis=(1, 2)
    )
    return 2 * area / edges


def test_digits_look_like_mnist(drawn_digits: dict[int, list[np.ndarray]]) -> None:
    images = np.stack([digit_image(drawn_digits[d]) for d in range(10)])
    assert images.shape == (10, 28, 28) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1
    # Measured once on the first 5,000 MNIST test digits (../shared/data, not shipped):
    # mean ink 0.122 (5th-95th percentile per digit 0.058-0.193), stroke width by
    # _stroke_width 1.93 (1.23-2.87), centre of mass at row 13.99 and column 14.01
    # (std 0.29), and 97% of inked pixels are partial (anti-aliased). Drawn here: mean ink
    # 0.114 and width 1.88.
    assert 0.09 < images.mean() < 0.15
    assert 1.6 < _stroke_width(images).mean() < 2.3
    assert np.all((images.mean(axis=(1, 2)) > 0.04) & (images.mean(axis=(1, 2)) < 0.2))
    ys, xs = np.indices((28, 28))
    mass = images.sum(axis=(1, 2))
    cy = (images * ys).sum(axis=(1, 2)) / mass
    cx = (images * xs).sum(axis=(1, 2)) / mass
    assert np.all(np.abs(cy - 14) <= 0.5) and np.all(np.abs(cx - 14) <= 0.5)
    inked = images > 0
    assert ((images > 0) & (images < 1)).sum() / inked.sum() > 0.3  # anti-aliased edges


def test_digit_ink_fits_a_20_pixel_box_keeping_aspect(
    drawn_digits: dict[int, list[np.ndarray]],
) -> None:
    for d in range(10):
        image = digit_image(drawn_digits[d])
        rows = np.flatnonzero(image.max(axis=1) > 0)
        cols = np.flatnonzero(image.max(axis=0) > 0)
        h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
        assert max(h, w) in (20, 21)  # 20, or 21 when the box straddles a pixel edge
    one = digit_image(drawn_digits[1])
    cols = np.flatnonzero(one.max(axis=0) > 0.1)
    assert len(cols) < 8  # a "1" stays narrow: the aspect is kept, not stretched


def test_digit_does_not_depend_on_pad_size_or_position(
    drawn_digits: dict[int, list[np.ndarray]],
) -> None:
    a = digit_image(drawn_digits[7])
    b = digit_image([s * 3 + 100 for s in drawn_digits[7]])
    np.testing.assert_allclose(a, b, atol=2 / 255)


def test_digit_of_nothing_and_of_a_dot() -> None:
    assert not digit_image([]).any()
    dot = digit_image([(np.array([5.0]), np.array([5.0]))])
    assert dot.any() and abs(float(np.argmax(dot.max(axis=0))) - 14) <= 10
