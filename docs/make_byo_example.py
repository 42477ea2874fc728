"""The guide's "Bring your own drawings" example: ``docs/byo_digits.png``.

Builds the same photo-like digit pictures the tests build (``tests/models/photo_digits.py``:
the shipped CVAE's own digits, dark on noisy uneven paper, anywhere on a larger sheet, as
greyscale PNG, RGB JPEG and transparent RGBA PNG, one subfolder per digit), reads the
folder as ``images:FOLDER`` and draws a contact sheet: each picture as saved (top), what
the model sees (middle), and the shipped CVAE's reading of it (bottom). NumPy only, no
TensorFlow. Run from the repository root: ``python docs/make_byo_example.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.data.specs import load_dataset
from models.inference.classify import label_posterior
from models.inference.shipped import shipped_codec
from tests.models.photo_digits import make_folder

OUT = Path(__file__).resolve().parent / "byo_digits.png"
CELL = 88
FORMS = {".png": "PNG", ".jpg": "JPEG"}


def main() -> None:
    codec = shipped_codec("cvae")
    assert codec is not None
    labels = np.arange(10)
    digits = codec.decode(
        np.random.default_rng(5).normal(0, 0.5, (10, codec.latent_dim)),
        np.eye(10, dtype=np.float32)[labels],
    )
    with tempfile.TemporaryDirectory() as tmp:
        files = make_folder(digits, labels, Path(tmp), seed=4)
        data = load_dataset(f"images:{tmp}", family="digits")
        order = [str(f) for f in files]
        seen = {str(f): i for i, f in enumerate(data.metadata["file"])}
        images = data.images[[seen[f] for f in order]]
        guess = np.argmax(label_posterior(codec, images), axis=1)
        sheet = Image.new("RGB", (10 * CELL, 2 * CELL + 56), "white")
        draw = ImageDraw.Draw(sheet)
        for i, path in enumerate(files):
            with Image.open(path) as photo:
                mode = photo.mode
                shown = photo.convert("RGBA")
            paper = Image.new("RGBA", shown.size, (205, 205, 205, 255))  # shows transparency
            thumb = ImageOps.contain(Image.alpha_composite(paper, shown).convert("RGB"),
                                     (CELL - 8, CELL - 8))  # fmt: skip
            sheet.paste(thumb, (i * CELL + (CELL - thumb.width) // 2, 4))
            seen_28 = Image.fromarray((images[i] * 255).astype(np.uint8)).resize((84, 84))
            sheet.paste(seen_28, (i * CELL + 2, CELL + 2))
            kind = "RGBA PNG" if mode == "RGBA" else f"{mode} {FORMS[path.suffix]}"
            draw.text((i * CELL + 6, 2 * CELL + 6), kind, fill="black")
            mark = "ok" if guess[i] == labels[i] else "no"
            draw.text((i * CELL + 6, 2 * CELL + 26), f"{labels[i]} -> {guess[i]} {mark}",
                      fill="black")  # fmt: skip
    sheet.save(OUT, optimize=True)
    print(f"{OUT}: {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
