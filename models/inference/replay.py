"""Replay a run from its timeline: one picture per epoch, exported as an animated GIF.

Each frame is titled "Epoch k of N" with that epoch's validation loss, and shows the latent
map (validation points over the decoded grid, in the range fitted to that epoch's points, with
its axes labelled and a legend of the classes), or for a conditional model the points beside
its class × z[0] grid (each row named), or for the autoencoder the preview sketches above
their reconstructions; under it the validation loss curve with this epoch marked. The text is
Pillow's scalable font at sizes that read on a projector.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from models.inference.figures import class_colour, font, mosaic, to_pil
from models.inference.interpolate import save_gif
from models.inference.timeline import Timeline
from models.inference.words import WORDS, category, current, say, speaking

MAP_SIZE = 400
TITLE_PX = 24
TEXT_PX = 17
TICK_PX = 15
TITLE_H = 40
CAPTION_H = 28
LEFT = 70
"""Room left of a plot for its vertical axis title and tick labels."""
BOTTOM = 48
"""Room under a plot for its tick labels and axis title."""
CURVE_H = 120
REPLAY_FRAME_MS = 400
PREVIEW_PAIRS = 16
INK = (29, 31, 35)
GREY = (110, 116, 124)
MARK = (213, 94, 0)


def loss_key(t: Timeline) -> str | None:
    """The loss a replay plots: the validation ELBO or loss, else the first one recorded."""
    for key in ("val_neg_elbo", "val_loss", "train_loss"):
        if key in t.losses:
            return key
    return next(iter(t.losses), None)


def loss_name(key: str, lang: str | None = None) -> str:
    """``val_loss`` -> "validation loss", ``train_kl`` -> "training kl" (in ``lang`` where
    given and drawable, else in the language being drawn)."""
    if lang is not None:
        with speaking(lang):
            return loss_name(key)
    head, _, rest = key.partition("_")
    word = {"val": "validation", "train": "training"}.get(head)
    if word is None:
        return say(key.replace("_", " "))
    whole = f"{word} {rest.replace('_', ' ')}"
    if whole in WORDS.get(current(), {}):  # the language's own phrase ("验证损失")
        return say(whole)
    return f"{say(word)} {say(rest.replace('_', ' '))}"


def run_class_names(run_dir: str | Path) -> tuple[str, ...] | None:
    """The class names in a run folder's ``config.json`` (None: digits, or no readable config)."""
    try:
        names = json.loads((Path(run_dir) / "config.json").read_text()).get("class_names")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
        return tuple(names)
    return None


def _name(label: int, names: Sequence[str] | None) -> str:
    known = names is not None and 0 <= label < len(names)
    return category(names[label]) if names is not None and known else str(label)


def _fmt(v: float) -> str:
    return f"{v:.1f}" if round(v, 1) else "0.0"  # never "-0.0"


def _vertical_label(img: Image.Image, text: str, x: int, cy: int) -> None:
    """``text`` turned 90° (reading upwards), its centre at height ``cy``, its left at ``x``."""
    f = font(TEXT_PX)
    probe = ImageDraw.Draw(img)
    w = int(probe.textlength(text, font=f)) + 4
    strip = Image.new("RGB", (w, TEXT_PX + 6), "white")
    ImageDraw.Draw(strip).text((2, 1), text, fill=INK, font=f)
    strip = strip.rotate(90, expand=True)
    img.paste(strip, (x, cy - strip.height // 2))


def _x_axis(draw: ImageDraw.ImageDraw, left: int, top: int, width: int, x0: float, x1: float,
            title: str) -> None:  # fmt: skip
    """Tick labels at both ends and the middle of a horizontal span, the title under them."""
    f = font(TICK_PX)
    for frac in (0.0, 0.5, 1.0):
        x = left + frac * (width - 1)
        label = _fmt(x0 + frac * (x1 - x0))
        draw.line((x, top, x, top + 5), fill=GREY, width=1)
        w = draw.textlength(label, font=f)
        tx = min(max(x - w / 2, left - 4), left + width - w + 4)
        draw.text((tx, top + 7), label, fill=INK, font=f)
    tw = draw.textlength(title, font=font(TEXT_PX))
    draw.text((left + (width - tw) / 2, top + 7 + TICK_PX + 4), title, fill=INK, font=font(TEXT_PX))


def _y_axis(img: Image.Image, left: int, top: int, height: int, y0: float, y1: float,
            title: str) -> None:  # fmt: skip
    """Tick labels (y1 at the top) right-aligned against ``left``, the title turned beside."""
    draw = ImageDraw.Draw(img)
    f = font(TICK_PX)
    for frac in (0.0, 0.5, 1.0):
        y = top + frac * (height - 1)
        label = _fmt(y1 - frac * (y1 - y0))
        draw.line((left - 5, y, left, y), fill=GREY, width=1)
        w = draw.textlength(label, font=f)
        ty = min(max(y - TICK_PX / 2 - 2, top - 2), top + height - TICK_PX - 2)
        draw.text((left - 8 - w, ty), label, fill=INK, font=f)
    _vertical_label(img, title, 2, top + height // 2)


def _curve(t: Timeline, i: int, width: int) -> Image.Image:
    """The validation loss over the epochs, this epoch's point marked, with labelled axes."""
    img = Image.new("RGB", (width, CURVE_H), "white")
    draw = ImageDraw.Draw(img)
    key = loss_key(t)
    if key is None:
        return img
    values = np.asarray(t.losses[key], np.float64)
    ok = np.isfinite(values)
    draw.text((LEFT, 4), loss_name(key), fill=INK, font=font(TEXT_PX))
    if ok.sum() < 1:
        return img
    lo, hi = float(values[ok].min()), float(values[ok].max())
    span = hi - lo or 1.0
    n = len(values)
    top, bottom = 10 + TEXT_PX, CURVE_H - 12 - TICK_PX
    left, right = LEFT, width - 16

    def xy(j: int) -> tuple[float, float]:
        x = left + (right - left) * (j / max(1, n - 1))
        y = bottom - (bottom - top) * (values[j] - lo) / span
        return x, y

    f = font(TICK_PX)
    draw.line((left, top, left, bottom), fill=GREY)
    draw.line((left, bottom, right, bottom), fill=GREY)
    for value, y in ((hi, top), (lo, bottom)) if hi > lo else ((lo, bottom),):
        label = f"{value:.4g}"
        label_x = left - 6 - draw.textlength(label, font=f)
        draw.text((label_x, y - TICK_PX / 2 - 2), label, fill=INK, font=f)
    first, last = say("epoch %1", t.epochs[0]), say("epoch %1", t.epochs[-1])
    draw.text((left, bottom + 3), first, fill=INK, font=f)
    draw.text((right - draw.textlength(last, font=f), bottom + 3), last, fill=INK, font=f)
    pts = [xy(j) for j in range(n) if ok[j]]
    if len(pts) > 1:
        draw.line(pts, fill=(0, 114, 178), width=3)
    if ok[i]:
        mx, my = xy(i)
        draw.line((mx, top, mx, bottom), fill=MARK, width=1)
        draw.ellipse((mx - 6, my - 6, mx + 6, my + 6), fill=MARK, outline="white")
    return img


def _map_panel(t: Timeline, i: int, size: int) -> Image.Image:
    """Validation points over the decoded latent grid, in this epoch's fitted range."""
    z = np.asarray(t.points[i], np.float64)
    x0, x1, y0, y1 = t.bounds[i]
    if not t.conditional and z.shape[1] >= 2:
        grid = 1.0 - t.grids[i].astype(np.float32) / 255.0
        panel = Image.fromarray((grid * 255 + 0.5).astype(np.uint8), "L").convert("RGB")
        panel = panel.resize((size, size), Image.Resampling.BILINEAR)
        # Lighten the grid so the points read on top of it.
        panel = Image.blend(panel, Image.new("RGB", panel.size, "white"), 0.45)
    else:
        panel = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(panel)
    zz = z[:, :2] if z.shape[1] >= 2 else np.concatenate([z, np.zeros_like(z)], axis=1)
    px = (zz - [x0, y0]) / [x1 - x0, y1 - y0] * (size - 1)
    labels = t.labels
    r = max(2.0, size / 140)
    for j, (x, y) in enumerate(px.tolist()):
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        if not (0 <= x < size and 0 <= y < size):
            continue
        colour = class_colour(int(labels[j])) if labels is not None else (0, 0, 0)
        y = size - 1 - y
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    draw.rectangle((0, 0, size - 1, size - 1), outline=(150, 150, 150))
    return panel


def _legend(t: Timeline, names: Sequence[str] | None, height: int) -> Image.Image | None:
    """A column naming each class's colour (the classes among the points), None unlabelled."""
    if t.labels is None or not len(t.labels):
        return None
    present = [int(c) for c in np.unique(t.labels)]
    px = TEXT_PX
    while px > 11 and len(present) * (px + 7) > height - 4:
        px -= 1  # 18 categories still fit beside a 400 px map
    f = font(px)
    row = px + 7
    fits = max(1, (height - 4) // row)
    shown = present if len(present) <= fits else present[: fits - 1]
    texts = [_name(c, names) for c in shown]
    more = say("+%1 more", len(present) - len(shown)) if len(shown) < len(present) else None
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    width = 26 + int(max(probe.textlength(s, font=f) for s in [*texts, more or ""])) + 6
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    for k, (c, text) in enumerate(zip(shown, texts, strict=True)):
        y = 2 + k * row
        draw.ellipse((6, y + px / 2 - 4, 18, y + px / 2 + 8), fill=class_colour(c))
        draw.text((24, y), text, fill=INK, font=f)
    if more:
        draw.text((24, 2 + len(shown) * row), more, fill=GREY, font=f)
    return img


def _class_grid(t: Timeline, i: int, size: int, names: Sequence[str] | None) -> Image.Image:
    """The conditional grid (a row per class over z[0]), each row named in its colour."""
    grid = to_pil(t.grids[i].astype(np.float32) / 255.0, scale=1).convert("RGB")
    grid = grid.resize((round(grid.width * size / grid.height), size), Image.Resampling.BILINEAR)
    rows = max(1, t.grids[i].shape[0] // max(1, t.grids[i].shape[1] // t.grid_n))
    rows = min(rows, 40)
    px = TICK_PX if size / rows >= TICK_PX + 2 else max(8, int(size / rows) - 2)
    f = font(px)
    probe = ImageDraw.Draw(grid)
    texts = [_name(r, names) for r in range(rows)]
    label_w = 8 + int(max(probe.textlength(s, font=f) for s in texts))
    out = Image.new("RGB", (label_w + grid.width + 16, size + BOTTOM), "white")
    out.paste(grid, (label_w, 0))
    draw = ImageDraw.Draw(out)
    for r, text in enumerate(texts):
        cy = (r + 0.5) * size / rows
        x = label_w - 6 - draw.textlength(text, font=f)
        draw.text((x, cy - px / 2 - 2), text, fill=class_colour(r), font=f)
    x0, x1, _, _ = t.bounds[i]
    _x_axis(draw, label_w, size + 2, grid.width, x0, x1, say("z[0] (other dimensions 0)"))
    return out


def _with_axes(panel: Image.Image, t: Timeline, i: int) -> Image.Image:
    """The map with its latent ranges written along the axes (z[1] only in 2-D and up)."""
    x0, x1, y0, y1 = t.bounds[i]
    size = panel.height
    out = Image.new("RGB", (LEFT + panel.width + 6, size + BOTTOM), "white")
    out.paste(panel, (LEFT, 0))
    _x_axis(ImageDraw.Draw(out), LEFT, size + 2, panel.width, x0, x1, "z[0]")
    if t.points and np.asarray(t.points[i]).shape[1] >= 2:
        _y_axis(out, LEFT, 0, size, y0, y1, "z[1]")
    return out


def _beside(*parts: Image.Image, gap: int = 14) -> Image.Image:
    height = max(p.height for p in parts)
    out = Image.new("RGB", (sum(p.width for p in parts) + gap * (len(parts) - 1), height), "white")
    x = 0
    for p in parts:
        out.paste(p, (x, 0))
        x += p.width + gap
    return out


def _sketch_panel(t: Timeline, i: int) -> Image.Image:
    """Preview sketches (top two rows) above their reconstructions at this epoch."""
    assert t.originals is not None
    n = min(PREVIEW_PAIRS, len(t.originals))
    cols = max(1, math.ceil(n / 2))
    originals = t.originals[:n].astype(np.float32) / 255.0
    recons = t.reconstructions[i][:n].astype(np.float32) / 255.0
    top = mosaic(originals, 2, cols, gap=1)
    bottom = mosaic(recons, 2, cols, gap=1)
    gap = np.zeros((4, top.shape[1]), np.float32)
    return to_pil(np.concatenate([top, gap, bottom]), scale=3).convert("RGB")


def replay_frame(
    t: Timeline,
    i: int,
    size: int = MAP_SIZE,
    names: Sequence[str] | None = None,
    lang: str | None = None,
) -> Image.Image:
    """The picture of epoch ``i`` (0-based index into the timeline); ``names`` name the
    classes (digits when None); its words in ``lang`` (``zh_CN``) where a font can draw
    them, English otherwise."""
    with speaking(lang):
        return _frame(t, i, size, names)


def _frame(t: Timeline, i: int, size: int, names: Sequence[str] | None) -> Image.Image:
    if t.has_map:
        body = _with_axes(_map_panel(t, i, size), t, i)
        if t.conditional:
            body = _beside(body, _class_grid(t, i, size, names))
            caption = say(
                "validation codes (left); decoded, one row per category (right)"
                if names
                else "validation codes (left); decoded, one row per digit (right)"
            )
        else:
            legend = _legend(t, names, size)
            body = body if legend is None else _beside(body, legend, gap=4)
            caption = say("validation codes over the decoded latent grid")
    elif t.reconstructions:
        body = _sketch_panel(t, i)
        caption = say("top two rows: sketches    bottom two rows: their reconstructions")
    else:
        raise ValueError("the timeline holds no map and no reconstructions")
    probe = ImageDraw.Draw(body)
    key = loss_key(t)
    value = t.losses[key][i] if key is not None else math.nan
    loss = f"{loss_name(key)} {value:.4g}" if key is not None and math.isfinite(value) else ""
    title = say("Epoch %1 of %2", t.epochs[i], t.epochs[-1])
    title_w = probe.textlength(title, font=font(TITLE_PX))
    title_w += probe.textlength(loss, font=font(TEXT_PX)) + 40
    width = int(max(body.width, 480, title_w, probe.textlength(caption, font=font(TEXT_PX)) + 16))
    frame = Image.new("RGB", (width, TITLE_H + CAPTION_H + body.height + CURVE_H), "white")
    draw = ImageDraw.Draw(frame)
    draw.text((8, 6), title, fill=INK, font=font(TITLE_PX))
    if loss:
        lw = draw.textlength(loss, font=font(TEXT_PX))
        draw.text((width - 10 - lw, 12), loss, fill=INK, font=font(TEXT_PX))
    draw.text((8, TITLE_H), caption, fill=GREY, font=font(TEXT_PX))
    frame.paste(body, ((width - body.width) // 2, TITLE_H + CAPTION_H))
    frame.paste(_curve(t, i, width), (0, TITLE_H + CAPTION_H + body.height))
    return frame


def replay_frames(
    t: Timeline, size: int = MAP_SIZE, names: Sequence[str] | None = None, lang: str | None = None
) -> list[Image.Image]:
    """One picture per epoch, in order (words in ``lang``, as :func:`replay_frame`)."""
    return [replay_frame(t, i, size, names, lang) for i in range(len(t))]


def save_replay(
    t: Timeline,
    path: str | Path,
    frame_ms: int = REPLAY_FRAME_MS,
    size: int = MAP_SIZE,
    names: Sequence[str] | None = None,
    lang: str | None = None,
) -> Path:
    """Write the replay as an animated GIF (one frame per epoch; words in ``lang``)."""
    if not len(t):
        raise ValueError("the timeline holds no epochs")
    return save_gif(replay_frames(t, size, names, lang), path, frame_ms)
