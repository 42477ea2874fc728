"""Photo-like pictures of digits, for the ``images:`` tests and the guide's example.

Each 28x28 digit (ink 1 on 0) is enlarged and laid, dark, somewhere on a larger sheet of
noisy light paper (uneven lighting, grain), then saved as a greyscale PNG, an RGB JPEG or a
transparent RGBA PNG, one subfolder per digit: what a phone photo of handwriting is like.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

FORMATS = ("png", "jpg", "rgba")


def sheet(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Grey levels (0 = black) of one digit photographed on paper, any size."""
    scale = rng.uniform(2.5, 6.0)
    side = max(28, round(28 * scale))
    big = (
        np.asarray(
            Image.fromarray((digit * 255).astype(np.uint8)).resize((side, side), Image.BICUBIC),
            np.float32,
        )
        / 255.0
    )
    h = side + int(rng.integers(10, 3 * side))
    w = side + int(rng.integers(10, 3 * side))
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    paper = rng.uniform(0.78, 0.95) + rng.uniform(-0.06, 0.06) * (yy - xx)  # uneven light
    paper = paper + rng.normal(0.0, rng.uniform(0.01, 0.04), (h, w))  # grain
    ink_level = rng.uniform(0.05, 0.3)
    top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
    out = paper.copy()
    region = out[top : top + side, left : left + side]
    region[:] = region * (1 - big) + ink_level * big
    return np.clip(out, 0, 1).astype(np.float32)


def save(grey: np.ndarray, path: Path, form: str, rng: np.random.Generator) -> Path:
    """``grey`` as ``form``: "png" (mode L), "jpg" (RGB, tinted paper), "rgba" (the paper
    transparent, the ink opaque)."""
    levels = (grey * 255).astype(np.uint8)
    if form == "png":
        out = path.with_suffix(".png")
        Image.fromarray(levels, "L").save(out)
    elif form == "jpg":
        tint = rng.uniform(0.9, 1.0, 3)
        rgb = np.clip(grey[..., None] * tint * 255, 0, 255).astype(np.uint8)
        out = path.with_suffix(".jpg")
        Image.fromarray(rgb, "RGB").save(out, quality=85)
    else:
        paper = float(np.median(grey))
        alpha = np.clip((paper - grey) / max(paper - float(grey.min()), 1e-3), 0, 1)
        rgba = np.zeros((*grey.shape, 4), np.uint8)
        rgba[..., :3] = np.uint8(rng.integers(0, 60))  # dark ink, any colour under alpha 0
        rgba[..., 3] = (alpha * 255).astype(np.uint8)
        out = path.with_suffix(".png")
        Image.fromarray(rgba, "RGBA").save(out)
    return out


def make_folder(
    images: np.ndarray,
    labels: np.ndarray,
    folder: Path,
    seed: int = 0,
    forms: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """One subfolder per digit; picture i in ``forms[i % len(forms)]``. Returns the files
    in the order of ``images``."""
    rng = np.random.default_rng(seed)
    files = []
    for i, (digit, label) in enumerate(zip(images, labels, strict=True)):
        sub = folder / str(int(label))
        sub.mkdir(parents=True, exist_ok=True)
        grey = sheet(np.asarray(digit, np.float32), rng)
        files.append(save(grey, sub / f"{i:05d}", forms[i % len(forms)], rng))
    return files
