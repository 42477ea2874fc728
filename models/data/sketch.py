"""Drawings made on a sketch pad: the Quick Draw form for sketch models, MNIST's for digits.

A pad records strokes as ``(xs, ys)`` in its own screen coordinates (any scale, y down).

- **Sketches** are turned into the official *simplified* Quick Draw form by the same code
  that normalizes raw ``.ndjson`` files (``formats.normalize_strokes``: aligned to the
  top-left, scaled uniformly so the longer side is 255, resampled, Ramer–Douglas–Peucker at
  epsilon 2, integers 0..255) and rasterized by the same code as the training data
  (``quickdraw.rasterize_quickdraw``, as ``quickdraw.load_bitmaps`` renders), so a drawing and
  the same strokes read back from a saved ``.ndjson`` give identical pixels.
- **Digits** become an MNIST-style 28×28 image the way MNIST was made from NIST: the ink is
  fitted into a 20×20 box keeping its aspect, anti-aliased, and the image is placed in 28×28
  with its centre of mass at the centre.

Drawings are saved as one-line simplified ``.ndjson`` (with ``word``) and as ``.png``.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from models.data.formats import Drawing, StrokeTable, normalize_strokes, read_ndjson
from models.data.rasterize import levels_to_float
from models.errors import DataFormatError
from models.files import save_png as save_image_png
from models.files import write_atomic

Strokes = Sequence[tuple[Sequence[float], Sequence[float]] | np.ndarray]
"""What a pad records: one ``(xs, ys)`` pair (or a (2, n) array) per pen stroke."""

MNIST_SIZE = 28
MNIST_BOX = 20
"""MNIST fitted each digit's ink into a 20×20 box, then centred it in 28×28."""
DIGIT_SUPERSAMPLE = 8
"""Digits are drawn this many times larger, then shrunk with a box filter (anti-aliasing)."""
DIGIT_STROKE = 2.4
"""Pen width in final 28×28 pixels (of the 20-pixel box). With it, the drawn digits' mean
ink and stroke width fall in MNIST's ranges (see tests/models/test_sketch.py)."""


def _arrays(strokes: Strokes) -> list[np.ndarray]:
    """The strokes as float64 (2, n) arrays; ValueError for anything else."""
    out = []
    for k, stroke in enumerate(strokes):
        a = np.asarray(stroke, dtype=np.float64)
        if a.ndim != 2 or a.shape[0] != 2:
            raise ValueError(f"stroke {k}: expected (xs, ys), got an array of shape {a.shape}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"stroke {k}: coordinates must be finite numbers")
        if a.shape[1]:
            out.append(a)
    return out


# --------------------------------------------------------------------------- sketches


def simplify(strokes: Strokes) -> list[np.ndarray]:
    """Pad strokes in the official simplified Quick Draw form: uint8 (2, n) arrays, 0..255.

    Empty strokes are dropped. The same code normalizes raw ``.ndjson`` files, so a drawing
    saved raw or simplified reads back the same.
    """
    arrays = _arrays(strokes)
    return normalize_strokes(arrays) if arrays else []


def make_drawing(
    strokes: Strokes, word: str = "drawing", countrycode: str = "", key_id: int | None = None
) -> Drawing:
    """A :class:`Drawing` of pad strokes, simplified, with a fresh ``key_id`` and timestamp."""
    return Drawing(
        key_id=secrets.randbits(63) if key_id is None else int(key_id),
        countrycode=countrycode,
        recognized=True,
        timestamp=int(time.time()),
        strokes=simplify(strokes),
        word=word,
    )


def rasterize_sketch(
    drawing: Drawing | Strokes, size: int = 32, antialias: bool = False
) -> np.ndarray:
    """The (size, size) float32 bitmap (ink 1.0) a sketch model sees, as the training data.

    Exactly ``quickdraw.load_bitmaps``' rendering (``quickdraw.quickdraw_rendering``: the
    look of Google's numpy bitmaps, the drawing centred in rows/cols 4..27 of 32).
    """
    from models.data.quickdraw import rasterize_quickdraw

    if not isinstance(drawing, Drawing):
        drawing = Drawing(0, "", True, 0, simplify(drawing))
    levels, steps = rasterize_quickdraw(StrokeTable.from_drawings([drawing]), size, antialias)
    return levels_to_float(levels, steps)[0]


def ndjson_line(drawing: Drawing) -> str:
    """The drawing as one line of the official simplified ``.ndjson`` format."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S.00000 UTC", time.gmtime(drawing.timestamp))
    obj = {
        "word": drawing.word or "drawing",
        "countrycode": drawing.countrycode,
        "timestamp": stamp,
        "recognized": bool(drawing.recognized),
        "key_id": str(drawing.key_id),
        "drawing": [[s[0].tolist(), s[1].tolist()] for s in drawing.strokes],
    }
    return json.dumps(obj, separators=(",", ":"))


def save_ndjson(drawing: Drawing, path: str | Path) -> Path:
    """Write the drawing as a one-line simplified ``.ndjson`` (atomically)."""
    path = Path(path)
    for k, s in enumerate(drawing.strokes):
        if s.dtype != np.uint8:
            raise ValueError(f"stroke {k} is not simplified (uint8 0..255): use make_drawing")
    write_atomic(path, (ndjson_line(drawing) + "\n").encode())
    return path


def open_drawing(path: str | Path) -> Drawing:
    """The first drawing of a ``.ndjson`` file (one saved here, or any Quick Draw file).

    Raises DataFormatError for a file that holds no drawing (or is no ``.ndjson``).
    """
    path = Path(path)
    if path.suffix.lower() != ".ndjson":
        raise DataFormatError(
            path, None, "a drawing is opened from its .ndjson (a .png holds pixels, not strokes)"
        )
    return read_ndjson(path)[0]


def drawing_image(drawing: Drawing, size: int = 256, width: int = 3) -> Image.Image:
    """The drawing as a picture for people: black ink on white, ``size`` pixels square."""
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    s = (size - width - 1) / 255.0
    off = (width + 1) / 2
    for stroke in drawing.strokes:
        pts = [(off + x * s, off + y * s) for x, y in zip(*stroke.tolist(), strict=True)]
        if len(pts) == 1:
            pts = pts * 2
        draw.line(pts, fill=0, width=width, joint="curve")
    return image


def save_png(drawing: Drawing, path: str | Path, size: int = 256) -> Path:
    """Write the drawing as a PNG picture (see :func:`drawing_image`)."""
    return save_image_png(drawing_image(drawing, size), path)


def open_png(path: str | Path) -> np.ndarray:
    """A PNG (a saved drawing or any picture) as a float32 image, ink 1.0 on 0.0.

    Pictures with a light background (ink dark, like paper) are inverted to the convention.
    """
    path = Path(path)
    try:
        with Image.open(path) as img:
            a = np.asarray(img.convert("L"), dtype=np.float32) / 255.0
    except (OSError, ValueError) as exc:
        raise DataFormatError(path, None, f"not a readable image ({exc})") from None
    return 1.0 - a if float(np.median(a)) > 0.5 else a


# --------------------------------------------------------------------------- digits


def digit_image(
    strokes: Strokes | Drawing,
    *,
    stroke_width: float = DIGIT_STROKE,
    size: int = MNIST_SIZE,
    box: int = MNIST_BOX,
) -> np.ndarray:
    """An MNIST-style (size, size) float32 image (ink 1.0) of pad strokes.

    The ink, pen width included, is scaled uniformly so its longer side fills ``box`` pixels,
    drawn with round pen ends at 8× and shrunk with a box filter (the anti-aliasing), then
    shifted so its centre of mass lies at the image centre, as MNIST did. No ink: all zeros.
    """
    arrays = _arrays(strokes.strokes if isinstance(strokes, Drawing) else strokes)
    out = np.zeros((size, size), np.float32)
    if not arrays:
        return out
    f = DIGIT_SUPERSAMPLE
    pen = stroke_width * f
    allp = np.concatenate(arrays, axis=1)
    low = allp.min(axis=1, keepdims=True)
    extent = float(np.max(allp.max(axis=1) - low[:, 0]))
    scale = (box * f - pen) / extent if extent > 0 else 0.0
    span = (allp.max(axis=1) - low[:, 0]) * scale + pen
    w, h = (int(np.ceil(v)) + 2 for v in span)
    big = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(big)
    r = pen / 2
    for a in arrays:
        pts = [(1 + r + x, 1 + r + y) for x, y in ((a - low) * scale).T.tolist()]
        if len(pts) > 1:
            draw.line(pts, fill=255, width=max(1, round(pen)), joint="curve")
        for x, y in (pts[0], pts[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    bbox = big.getbbox()
    if bbox is None:
        return out
    ink = big.crop(bbox)
    k = box / max(ink.size)
    small = ink.resize(
        (max(1, round(ink.width * k)), max(1, round(ink.height * k))), Image.Resampling.BOX
    )
    a = np.asarray(small, dtype=np.float32) / 255.0
    return _centre_of_mass_paste(a, size)


def _centre_of_mass_paste(a: np.ndarray, size: int) -> np.ndarray:
    """Place ``a`` in a (size, size) image with its centre of mass at the centre (MNIST: 14)."""
    out = np.zeros((size, size), np.float32)
    mass = float(a.sum())
    if mass <= 0:
        return out
    ys, xs = np.indices(a.shape)
    cy, cx = float((ys * a).sum() / mass), float((xs * a).sum() / mass)
    top, left = round(size / 2 - cy), round(size / 2 - cx)
    h, w = a.shape
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(size, top + h), min(size, left + w)
    if y1 > y0 and x1 > x0:
        out[y0:y1, x0:x1] = a[y0 - top : y1 - top, x0 - left : x1 - left]
    return out
