"""The classic figures as PNG, drawn with Pillow (no matplotlib, no Qt).

Images follow the data convention (ink = 1.0); figures show ink black on white paper,
each pixel enlarged with nearest-neighbour scaling so sketches stay crisp.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from models.inference import words
from models.inference.palette import CLASS_RGB, class_rgb
from models.nets.codec import MLPCodec

DIGIT_COLOURS = list(CLASS_RGB[:10])
"""The digits' colours (the window's: models.inference.palette)."""
CLASS_COLOURS = list(CLASS_RGB)

Font = ImageFont.ImageFont | ImageFont.FreeTypeFont
P = ParamSpec("P")
R = TypeVar("R")
say = words.say


def in_language(draw: Callable[P, R]) -> Callable[P, R]:
    """Run a figure function inside ``words.speaking(lang)`` for its ``lang`` keyword (so a
    figure's titles follow the window's language; English by default, as the CLI)."""

    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        lang = kwargs.get("lang")
        with words.speaking(lang if isinstance(lang, str) else None):
            return draw(*args, **kwargs)

    return drawn


def font(size: int) -> Font:
    """The font pictures are drawn with at ``size`` px: a CJK font while drawing in Chinese
    (:func:`models.inference.words.speaking`), Pillow's own otherwise."""
    return _font(size, words.current())


@functools.lru_cache(maxsize=32)
def _font(size: int, lang: str) -> Font:
    """Pillow's own scalable font at ``size`` px (no font file needed), so figures read on a
    projector; the tiny bitmap font where Pillow is older than 10.1 or lacks FreeType."""
    cjk = words.cjk_font_path() if lang != words.ENGLISH else None
    if cjk is not None:
        try:
            return ImageFont.truetype(str(cjk), size, index=simplified_face(str(cjk)))
        except OSError:
            pass
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):
        return ImageFont.load_default()


SIMPLIFIED_TAGS = (" SC", "GB", "Simplified", "Hans")
"""How a face's family name says it is drawn the Simplified Chinese way."""


@functools.cache
def simplified_face(path: str) -> int:
    """The face of a font collection (``.ttc``) drawn the Simplified Chinese way, 0 if none
    says so. Noto Sans CJK's collection opens on its Japanese face, which draws 骨, 直, 关
    and many more as Japanese writes them; a plain font file has just face 0."""
    for index in range(32):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:  # past the last face (or not a font: truetype will say so)
            break
        if any(tag in family for tag in SIMPLIFIED_TAGS):
            return index
    return 0


def class_colour(label: int) -> tuple[int, int, int]:
    """The colour of class ``label`` in figures: the window's (one palette)."""
    return class_rgb(label)


def mosaic(images: np.ndarray, rows: int, cols: int, gap: int = 0) -> np.ndarray:
    """Tile (rows*cols, H, W) images into one (rows*H + gaps, cols*W + gaps) array."""
    n, h, w = images.shape
    out = np.zeros((rows * h + (rows - 1) * gap, cols * w + (cols - 1) * gap), np.float32)
    for i in range(min(n, rows * cols)):
        r, c = divmod(i, cols)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = images[i]
    return out


def to_pil(array: np.ndarray, scale: int = 4, paper: bool = True) -> Image.Image:
    """A float [0, 1] image as an 8-bit PIL image, enlarged ``scale`` times."""
    a = np.clip(np.nan_to_num(array), 0.0, 1.0)
    if paper:
        a = 1.0 - a
    img = Image.fromarray((a * 255 + 0.5).astype(np.uint8), mode="L")
    return img.resize((img.width * scale, img.height * scale), Image.Resampling.NEAREST)


TITLE_PX = 15


def _titled(body: Image.Image, title: str) -> Image.Image:
    pad = 24
    draw = ImageDraw.Draw(body)
    f = font(TITLE_PX)
    width = max(body.width, int(draw.textlength(title, font=f)) + 12)  # a narrow body keeps it
    out = Image.new("RGB", (width, body.height + pad), "white")
    out.paste(body.convert("RGB"), (0, pad))
    ImageDraw.Draw(out).text((6, 3), title, fill="black", font=f)
    return out


def _row_names(body: Image.Image, names: Sequence[str], rows: int) -> Image.Image:
    """``body`` with each of its ``rows`` equal rows named at its left, in the class colour."""
    px = max(8, min(TITLE_PX, body.height // max(1, rows) - 2))
    f = font(px)
    probe = ImageDraw.Draw(body)
    texts = [words.category(names[r]) if r < len(names) else str(r) for r in range(rows)]
    label_w = 10 + int(max(probe.textlength(t, font=f) for t in texts))
    out = Image.new("RGB", (label_w + body.width, body.height), "white")
    out.paste(body.convert("RGB"), (label_w, 0))
    draw = ImageDraw.Draw(out)
    for r, text in enumerate(texts):
        cy = (r + 0.5) * body.height / rows
        x = label_w - 6 - draw.textlength(text, font=f)
        draw.text((x, cy - px / 2 - 2), text, fill=class_colour(r), font=f)
    return out


def _class_name(label: int, names: Sequence[str] | None) -> str:
    if names is not None and 0 <= label < len(names):
        return say("'%1'", words.category(names[label]))
    return say("'%1'", label)


@in_language
def reconstructions_figure(
    originals: np.ndarray, reconstructions: np.ndarray, lang: str | None = None
) -> Image.Image:
    """The recipe's figure: 25 originals in the top row, their reconstructions below."""
    n = min(25, len(originals))
    both = np.concatenate([originals[:n], reconstructions[:n]])
    title = say("top: originals   bottom: reconstructions")
    return _titled(to_pil(mosaic(both, 2, n, gap=1), scale=3), title)


def _span(center: float, extent: float) -> str:
    return f"[{center - extent:g}, {center + extent:g}]"


def _latent_sweep(
    codec: MLPCodec,
    n: int,
    extent: float,
    labels: np.ndarray | None,
    center: tuple[float, float] = (0.0, 0.0),
) -> tuple[np.ndarray, str]:
    """Decoded latent points over ``center`` ± ``extent``: an n x n grid over z[0], z[1]
    (other dimensions 0), or one row of n points for a 1-D latent space; and a caption."""
    cx, cy = (float(c) for c in center)
    if codec.latent_dim == 1:
        z = np.linspace(cx - extent, cx + extent, n, dtype=np.float32)[:, None]
        row = mosaic(codec.decode(z, labels), 1, n)
        return row, say("z from %1 to %2", f"{cx - extent:g}", f"{cx + extent:g}")
    square = (
        f"[-{extent:g}, {extent:g}]^2"
        if cx == cy == 0.0
        else f"{_span(cx, extent)} x {_span(cy, extent)}"
    )
    grid = codec.decode_grid(n, extent, labels=labels, center=(cx, cy))
    if codec.latent_dim > 2:
        return grid, say("%1x%1 over %2, other dims 0", n, square)
    return grid, say("%1x%1 over %2", n, square)


@in_language
def latent_grid_figure(
    codec: MLPCodec,
    n: int = 10,
    extent: float = 1.5,
    labels: np.ndarray | None = None,
    center: tuple[float, float] = (0.0, 0.0),
    lang: str | None = None,
) -> Image.Image:
    """The n x n grid of decoded latent points over ``center`` ± ``extent`` (a row if 1-D);
    ``train`` fits the square to the validation codes (:func:`fitted_square`)."""
    grid, caption = _latent_sweep(codec, n, extent, labels, center)
    return _titled(to_pil(grid, scale=2), say("decoded latent grid, %1", caption))


def fitted_square(z: np.ndarray) -> tuple[tuple[float, float], float]:
    """(centre, half-width) of the square that holds the codes ``z``, as the window's Fit to
    data frames them (:func:`models.inference.timeline.fit_range`): a grid over the fixed
    ±1.5 is all one grey blur when the codes sit around (1, -5)."""
    from models.inference.timeline import fit_range

    x0, x1, y0, y1 = fit_range(z)
    return ((x0 + x1) / 2, (y0 + y1) / 2), (x1 - x0) / 2


@in_language
def samples_figure(
    codec: MLPCodec, n: int = 10, seed: int = 0, lang: str | None = None
) -> Image.Image:
    """Images decoded from z ~ N(0, I)."""
    z = np.random.default_rng(seed).standard_normal((n * n, codec.latent_dim))
    return _titled(to_pil(mosaic(codec.decode(z), n, n), scale=2), say("samples from N(0, I)"))


@in_language
def cvae_digit_grid_figure(
    codec: MLPCodec,
    values: int = 10,
    extent: float = 1.5,
    dim: int = 0,
    names: Sequence[str] | None = None,
    lang: str | None = None,
) -> Image.Image:
    """Each row a class, each column a value of one latent dimension (others 0). With
    ``names`` (a category model's) each row is named at its left; digits otherwise."""
    lat = np.linspace(-extent, extent, values, dtype=np.float32)
    rows = []
    for d in range(codec.num_classes):
        z = np.zeros((values, codec.latent_dim), np.float32)
        z[:, dim] = lat
        label = np.zeros(codec.num_classes, np.float32)
        label[d] = 1.0
        rows.append(codec.decode(z, label))
    imgs = np.concatenate(rows)
    body = to_pil(mosaic(imgs, codec.num_classes, values), scale=2)
    columns = say("columns: z[%1] from -%2 to %2", dim, extent)
    if not names:
        return _titled(body, say("rows: digits 0-%1, %2", codec.num_classes - 1, columns))
    named = _row_names(body, names, codec.num_classes)
    return _titled(named, say("rows: categories, %1", columns))


@in_language
def cvae_mixture_figure(
    codec: MLPCodec,
    mix: dict[int, float] | None = None,
    n: int = 10,
    extent: float = 1.5,
    names: Sequence[str] | None = None,
    lang: str | None = None,
) -> Image.Image:
    """A latent grid decoded with a mixed label, e.g. half "8" and half "3" (the classes
    called by ``names`` when the model has them)."""
    mix = mix or {8: 0.5, 3: 0.5}
    if any(not 0 <= d < codec.num_classes for d in mix):
        raise ValueError(f"the model knows classes 0-{codec.num_classes - 1}, not {sorted(mix)}")
    label = np.zeros(codec.num_classes, np.float32)
    for digit, weight in mix.items():
        label[digit] = weight
    title = " + ".join(f"{w:g}*{_class_name(d, names)}" for d, w in mix.items())
    grid, caption = _latent_sweep(codec, n, extent, label)
    return _titled(to_pil(grid, scale=2), say("label %1, %2", title, caption))


def _ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """About ``target`` round values (steps of 1, 2, 2.5 or 5 times a power of ten) in
    [lo, hi], for an axis."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0):
        return [lo]
    magnitude = 10 ** math.floor(math.log10(span / target))
    # the finest round step that leaves at most target + 1 intervals
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if span / (m * magnitude) <= target + 1)
    first = math.ceil(lo / step - 1e-9)
    count = math.floor(hi / step + 1e-9) - first + 1
    return [round((first + i) * step, 10) + 0.0 for i in range(count)]


SCATTER_LEFT, SCATTER_BOTTOM = 46, 22
"""The margins that hold the scatter's tick labels."""


@in_language
def scatter_figure(
    z: np.ndarray,
    labels: np.ndarray | None,
    size: int = 480,
    extent: float | None = None,
    names: Sequence[str] | None = None,
    lang: str | None = None,
) -> Image.Image:
    """Encoded images' z_mean scattered in the plane (z[0], z[1]), one colour per class,
    the legend naming each class by ``names`` (a category model's) or as "digit d", with
    ticks on both axes.

    The square shown is ±``extent`` if given, else fitted to the points like the window's
    Fit to data (99.5% of them inside). A 1-D latent space is drawn along the horizontal
    axis; non-finite points are left out.
    """
    from models.inference.timeline import fit_range

    z = np.asarray(z, dtype=np.float64).reshape(len(z), -1)[:, :2]
    one_d = z.shape[1] == 1
    if one_d:
        z = np.concatenate([z, np.zeros_like(z)], axis=1)
    keep = np.isfinite(z).all(axis=1)
    z = z[keep]
    labels = None if labels is None else np.asarray(labels)[keep]
    if extent:
        x0, x1, y0, y1 = -extent, extent, -extent, extent
    else:
        x0, x1, y0, y1 = fit_range(z, quantile=0.0025)
    img = Image.new("RGB", (size, size + 24), "white")
    draw = ImageDraw.Draw(img)
    title = say("validation z_mean (1-D latent, drawn across)" if one_d else "validation z_mean")
    draw.text((6, 3), title, fill="black", font=font(TITLE_PX))
    # the plot square: tick labels at its left and below it
    side = size - SCATTER_LEFT - 8
    left, top = SCATTER_LEFT, 24 + max(4, (size - SCATTER_BOTTOM - side) // 3)
    right, bottom = left + side, top + side
    f = font(12)

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * side

    def py(y: float) -> float:
        return bottom - (y - y0) / (y1 - y0) * side

    for t in _ticks(x0, x1):
        draw.line((px(t), top, px(t), bottom), fill=(235, 235, 235))
        text = f"{t:g}"
        draw.line((px(t), bottom, px(t), bottom + 4), fill="black")
        draw.text(
            (px(t) - draw.textlength(text, font=f) / 2, bottom + 5), text, fill="black", font=f
        )
    for t in _ticks(y0, y1):
        draw.line((left, py(t), right, py(t)), fill=(235, 235, 235))
        text = f"{t:g}"
        draw.line((left - 4, py(t), left, py(t)), fill="black")
        draw.text((left - 6 - draw.textlength(text, font=f), py(t) - 7), text, fill="black", font=f)
    draw.rectangle((left, top, right, bottom), outline="black")
    draw.text((right - 28, bottom - 17), "z[0]", fill=(90, 90, 90), font=f)
    draw.text((left + 4, top + 3), "z[1]", fill=(90, 90, 90), font=f)
    inside = (z[:, 0] >= x0) & (z[:, 0] <= x1) & (z[:, 1] >= y0) & (z[:, 1] <= y1)
    for i in np.flatnonzero(inside):
        colour = class_colour(int(labels[i])) if labels is not None else (0, 0, 0)
        cx, cy = px(float(z[i, 0])), py(float(z[i, 1]))
        draw.ellipse((cx - 1.5, cy - 1.5, cx + 1.5, cy + 1.5), fill=colour)
    if labels is not None:
        f = font(13)
        for row, d in enumerate(np.unique(labels)[: len(CLASS_COLOURS)]):
            named = names is not None and 0 <= int(d) < len(names)
            shown = names[int(d)] if named and names is not None else None
            text = words.category(shown) if shown is not None else say("digit %1", d)
            x = right - 6 - draw.textlength(text, font=f)
            draw.rectangle(
                (x - 3, top + 5 + 17 * row, right - 2, top + 21 + 17 * row), fill="white"
            )
            draw.text((x, top + 6 + 17 * row), text, fill=class_colour(int(d)), font=f)
    return img
