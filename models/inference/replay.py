"""Replay a run from its timeline: one picture per epoch, exported as an animated GIF.

Each frame shows the latent map (validation points over the decoded grid, in the range fitted
to that epoch's points), or for a conditional model the points beside its digit × z grid, or
for the autoencoder the preview sketches above their reconstructions; under it the
validation loss curve with this epoch marked.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from models.inference.figures import DIGIT_COLOURS, mosaic, to_pil
from models.inference.interpolate import save_gif
from models.inference.timeline import Timeline

MAP_SIZE = 360
TITLE_H = 22
CURVE_H = 70
REPLAY_FRAME_MS = 400
PREVIEW_PAIRS = 16


def loss_key(t: Timeline) -> str | None:
    """The loss a replay plots: the validation ELBO or loss, else the first one recorded."""
    for key in ("val_neg_elbo", "val_loss", "train_loss"):
        if key in t.losses:
            return key
    return next(iter(t.losses), None)


def _curve(t: Timeline, i: int, width: int) -> Image.Image:
    """The validation loss over the epochs, this epoch's point marked."""
    img = Image.new("RGB", (width, CURVE_H), "white")
    draw = ImageDraw.Draw(img)
    key = loss_key(t)
    if key is None:
        return img
    values = np.asarray(t.losses[key], np.float64)
    ok = np.isfinite(values)
    draw.text((6, 2), f"{key.replace('_', ' ')}: {values[i]:.4g}", fill="black")
    if ok.sum() < 1:
        return img
    lo, hi = float(values[ok].min()), float(values[ok].max())
    span = hi - lo or 1.0
    n = len(values)

    def xy(j: int) -> tuple[float, float]:
        x = 8 + (width - 16) * (j / max(1, n - 1))
        y = CURVE_H - 8 - (CURVE_H - 26) * (values[j] - lo) / span
        return x, y

    pts = [xy(j) for j in range(n) if ok[j]]
    if len(pts) > 1:
        draw.line(pts, fill=(0, 114, 178), width=2)
    if ok[i]:
        x, y = xy(i)
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(213, 94, 0))
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
    for j, (x, y) in enumerate(px.tolist()):
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        if not (0 <= x < size and 0 <= y < size):
            continue
        colour = DIGIT_COLOURS[int(labels[j]) % 10] if labels is not None else (0, 0, 0)
        y = size - 1 - y
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=colour)
    draw.rectangle((0, 0, size - 1, size - 1), outline=(150, 150, 150))
    return panel


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


def replay_frame(t: Timeline, i: int, size: int = MAP_SIZE) -> Image.Image:
    """The picture of epoch ``i`` (0-based index into the timeline)."""
    if t.has_map:
        body = _map_panel(t, i, size)
        if t.conditional:
            grid = to_pil(t.grids[i].astype(np.float32) / 255.0, scale=1).convert("RGB")
            grid = grid.resize(
                (round(grid.width * size / grid.height), size), Image.Resampling.BILINEAR
            )
            both = Image.new("RGB", (body.width + 8 + grid.width, size), "white")
            both.paste(body, (0, 0))
            both.paste(grid, (body.width + 8, 0))
            body = both
        x0, x1, y0, y1 = t.bounds[i]
        caption = f"z0 {x0:.1f}..{x1:.1f}, z1 {y0:.1f}..{y1:.1f}"
    elif t.reconstructions:
        body = _sketch_panel(t, i)
        caption = "top: sketches   bottom: reconstructions"
    else:
        raise ValueError("the timeline holds no map and no reconstructions")
    width = max(body.width, 320)
    frame = Image.new("RGB", (width, TITLE_H + body.height + CURVE_H), "white")
    ImageDraw.Draw(frame).text(
        (6, 5), f"epoch {t.epochs[i]} of {t.epochs[-1]}   {caption}", fill="black"
    )
    frame.paste(body, ((width - body.width) // 2, TITLE_H))
    frame.paste(_curve(t, i, width), (0, TITLE_H + body.height))
    return frame


def replay_frames(t: Timeline, size: int = MAP_SIZE) -> list[Image.Image]:
    """One picture per epoch, in order."""
    return [replay_frame(t, i, size) for i in range(len(t))]


def save_replay(
    t: Timeline, path: str | Path, frame_ms: int = REPLAY_FRAME_MS, size: int = MAP_SIZE
) -> Path:
    """Write the replay as an animated GIF (one frame per epoch)."""
    if not len(t):
        raise ValueError("the timeline holds no epochs")
    return save_gif(replay_frames(t, size), path, frame_ms)
