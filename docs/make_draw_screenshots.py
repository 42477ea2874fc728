"""The guide's Draw and interpolation screenshots, from the running app (offscreen).

Uses the shipped VAE (its NumPy codec: no TensorFlow needed) and draws a "3" on the pad with
QTest mouse strokes, as a person would. Writes ``docs/draw.png`` (the Draw tab beside the
Latent map tab, where "your drawing" and its 1σ/2σ ellipses are marked; the Draw tab's
mini map is zoomed to the drawing so its ellipses show) and
``docs/interpolation.png`` (the Latent map with two Shift+clicked ends and the strip).
Run from the repository root: ``python docs/make_draw_screenshots.py`` (a few seconds).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AE_EXPLORER_OFFLINE", "1")

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, Qt  # noqa: TID251 (a window script)
from PySide6.QtTest import QTest  # noqa: TID251

from explorer.app import make_app
from explorer.main_window import MainWindow
from explorer.widgets.sketch_canvas import SketchCanvas

OUT = Path(__file__).resolve().parent
SIZE = (1280, 720)


def stroke(canvas: SketchCanvas, points: list[tuple[float, float]]) -> None:
    """Press, move, release along ``points`` (fractions of the drawing square)."""
    r = canvas.square()
    at = [QPoint(int(r.left() + x * r.width()), int(r.top() + y * r.height())) for x, y in points]
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[0])
    for p in at[1:]:
        QTest.mouseMove(canvas, p)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[-1])


def three() -> list[tuple[float, float]]:
    top = [(0.5 + 0.22 * np.cos(a), 0.32 + 0.15 * np.sin(a)) for a in np.linspace(-2.5, 1.6, 20)]
    bottom = [(0.5 + 0.25 * np.cos(a), 0.64 + 0.17 * np.sin(a)) for a in np.linspace(-1.6, 2.5, 20)]
    return top + bottom


def seven() -> list[tuple[float, float]]:
    return [(0.25, 0.2), (0.75, 0.2), (0.6, 0.45), (0.45, 0.8)]


def main() -> int:
    app = make_app()
    window = MainWindow(load_tensorflow=False)
    window.resize(*SIZE)
    window.show()
    app.processEvents()
    draw = window.draw
    window.tabs.setCurrentWidget(draw)
    app.processEvents()
    stroke(draw.canvas, seven())  # a first drawing: end A of the Draw tab's strip
    draw.set_end("A", 0)
    draw.clear()
    stroke(draw.canvas, three())
    draw.set_end("B", 0)
    draw.zoom_check.setChecked(True)  # a trained VAE's ellipses are tiny at the whole map's scale
    draw.strip.flush()
    app.processEvents()
    left = window.grab()
    window.tabs.setCurrentWidget(window.latent)
    app.processEvents()
    z = draw.latent_point()
    if z is not None:  # the marker on the drawing: the Latent map decodes a "3" there too
        window.latent.decode_at(float(z[0][0]), float(z[0][1]))
        app.processEvents()
    right = window.grab()
    tmp = OUT / ".draw-parts"
    tmp.mkdir(exist_ok=True)
    left.save(str(tmp / "left.png"))
    right.save(str(tmp / "right.png"))
    with Image.open(tmp / "left.png") as a, Image.open(tmp / "right.png") as b:
        both = Image.new("RGB", (a.width + b.width + 12, max(a.height, b.height)), "white")
        both.paste(a, (0, 0))
        both.paste(b, (a.width + 12, 0))
        both.save(OUT / "draw.png", optimize=True)
        if (OUT / "draw.png").stat().st_size > 300_000:  # the repository ships it: 256 colours
            both.quantize(256, method=Image.Quantize.MEDIANCUT).save(
                OUT / "draw.png", optimize=True
            )
    print("wrote", OUT / "draw.png")
    draw.clear()  # no "your drawing" label over the path
    app.processEvents()
    latent = window.latent
    latent.decode_at(-0.1, 0.0)  # the marker at the path's middle
    latent.pick_end(-1.6, 0.9)
    latent.pick_end(1.4, -0.9)
    latent.strip.steps_spin.setValue(10)
    latent.strip.flush()
    app.processEvents()
    window.grab().save(str(OUT / "interpolation.png"))
    print("wrote", OUT / "interpolation.png")
    for part in tmp.iterdir():
        part.unlink()
    tmp.rmdir()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
