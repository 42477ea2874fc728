"""The classic figures as PNG, drawn with Pillow (no matplotlib, no Qt).

Images follow the data convention (ink = 1.0); figures show ink black on white paper,
each pixel enlarged with nearest-neighbour scaling so sketches stay crisp.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from models.inference.palette import CLASS_RGB, class_rgb
from models.nets.codec import MLPCodec

DIGIT_COLOURS = list(CLASS_RGB[:10])
"""The digits' colours (the window's: models.inference.palette)."""
CLASS_COLOURS = list(CLASS_RGB)

Font = ImageFont.ImageFont | ImageFont.FreeTypeFont


@functools.lru_cache(maxsize=16)
def font(size: int) -> Font:
    """Pillow's own scalable font at ``size`` px (no font file needed), so figures read on a
    projector; the tiny bitmap font where Pillow is older than 10.1 or lacks FreeType."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):
        return ImageFont.load_default()


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
    texts = [names[r] if r < len(names) else str(r) for r in range(rows)]
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
        return f"'{names[label]}'"
    return f"'{label}'"


def reconstructions_figure(originals: np.ndarray, reconstructions: np.ndarray) -> Image.Image:
    """The recipe's figure: 25 originals in the top row, their reconstructions below."""
    n = min(25, len(originals))
    both = np.concatenate([originals[:n], reconstructions[:n]])
    return _titled(
        to_pil(mosaic(both, 2, n, gap=1), scale=3), "top: originals   bottom: reconstructions"
    )


def _latent_sweep(
    codec: MLPCodec, n: int, extent: float, labels: np.ndarray | None
) -> tuple[np.ndarray, str]:
    """Decoded latent points over [-extent, extent]: an n x n grid over z[0], z[1] (other
    dimensions 0), or one row of n points for a 1-D latent space; and a caption."""
    if codec.latent_dim == 1:
        z = np.linspace(-extent, extent, n, dtype=np.float32)[:, None]
        row = mosaic(codec.decode(z, labels), 1, n)
        return row, f"z from -{extent} to {extent}"
    others = ", other dims 0" if codec.latent_dim > 2 else ""
    return codec.decode_grid(n, extent, labels=labels), (
        f"{n}x{n} over [-{extent}, {extent}]^2{others}"
    )


def latent_grid_figure(
    codec: MLPCodec, n: int = 10, extent: float = 1.5, labels: np.ndarray | None = None
) -> Image.Image:
    """The n x n grid of decoded latent points over [-extent, extent]^2 (a row if 1-D)."""
    grid, caption = _latent_sweep(codec, n, extent, labels)
    return _titled(to_pil(grid, scale=2), f"decoded latent grid, {caption}")


def samples_figure(codec: MLPCodec, n: int = 10, seed: int = 0) -> Image.Image:
    """Images decoded from z ~ N(0, I)."""
    z = np.random.default_rng(seed).standard_normal((n * n, codec.latent_dim))
    return _titled(to_pil(mosaic(codec.decode(z), n, n), scale=2), "samples from N(0, I)")


def cvae_digit_grid_figure(
    codec: MLPCodec,
    values: int = 10,
    extent: float = 1.5,
    dim: int = 0,
    names: Sequence[str] | None = None,
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
    columns = f"columns: z[{dim}] from -{extent} to {extent}"
    if not names:
        return _titled(body, f"rows: digits 0-{codec.num_classes - 1}, {columns}")
    return _titled(_row_names(body, names, codec.num_classes), f"rows: categories, {columns}")


def cvae_mixture_figure(
    codec: MLPCodec,
    mix: dict[int, float] | None = None,
    n: int = 10,
    extent: float = 1.5,
    names: Sequence[str] | None = None,
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
    return _titled(to_pil(grid, scale=2), f"label {title}, {caption}")


def scatter_figure(
    z: np.ndarray,
    labels: np.ndarray | None,
    size: int = 480,
    extent: float | None = None,
    names: Sequence[str] | None = None,
) -> Image.Image:
    """Encoded images' z_mean scattered in the plane (z[0], z[1]), one colour per class,
    the legend naming each class by ``names`` (a category model's) or as "digit d".

    A 1-D latent space is drawn along the horizontal axis; non-finite points are left out.
    """
    z = np.asarray(z, dtype=np.float64).reshape(len(z), -1)[:, :2]
    square = "^2"
    if z.shape[1] == 1:
        z = np.concatenate([z, np.zeros_like(z)], axis=1)
        square = " (1-D latent, drawn across)"
    keep = np.isfinite(z).all(axis=1)
    z = z[keep]
    labels = None if labels is None else np.asarray(labels)[keep]
    auto = float(np.ceil(np.percentile(np.abs(z), 99.5) * 10) / 10) if len(z) else 0.0
    ext = float(extent or auto or 1.0)
    img = Image.new("RGB", (size, size + 24), "white")
    draw = ImageDraw.Draw(img)
    title = f"validation z_mean over [-{ext:g}, {ext:g}]{square}"
    draw.text((6, 3), title, fill="black", font=font(TITLE_PX))
    to_px = (z / ext * 0.5 + 0.5) * (size - 1)
    for i, (px, py) in enumerate(to_px):
        colour = class_colour(int(labels[i])) if labels is not None else (0, 0, 0)
        x0, y0 = px, size - 1 - py + 24
        draw.ellipse((x0 - 1.5, y0 - 1.5, x0 + 1.5, y0 + 1.5), fill=colour)
    if labels is not None:
        f = font(13)
        for row, d in enumerate(np.unique(labels)[: len(CLASS_COLOURS)]):
            named = names is not None and 0 <= int(d) < len(names)
            text = names[int(d)] if named and names is not None else f"digit {d}"
            x = size - 8 - draw.textlength(text, font=f)
            draw.rectangle((x - 3, 30 + 17 * row, size - 5, 46 + 17 * row), fill="white")
            draw.text((x, 31 + 17 * row), text, fill=class_colour(int(d)), font=f)
    return img
