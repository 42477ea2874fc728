"""The sketch CVAE screenshots (README and guide), from the running app (offscreen).

Loads the shipped sketch CVAE (18 Quick Draw categories) through the window, as File > Load
weights would, then writes ``docs/cat_fish.png`` (the CVAE tab asked for half a cat, half a
fish, at 1280×720) and ``docs/sketch_cvae_grid.png`` (its category × style grid, from a larger
window so all 18 rows show). The folder is given relative to the repository root, so the
status bar reads ``resources/weights/sketch_cvae`` and no machine's own path.
Run from the repository root: ``python docs/make_sketch_screenshots.py`` (TensorFlow: a minute).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AE_EXPLORER_OFFLINE", "1")

from make_screenshots import open_window, pump, save  # docs/ is this script's own folder

from explorer.app import make_app

OUT = Path(__file__).resolve().parent
ROOT = OUT.parent
WEIGHTS = Path("resources/weights/sketch_cvae")  # relative: no machine path on screen


def main() -> int:
    os.chdir(ROOT)
    app = make_app()
    window = open_window(app, 1.0)
    cvae = window.cvae
    window.tabs.setCurrentWidget(cvae)
    window.load_weights(WEIGHTS)
    deadline = time.monotonic() + 120
    while "cat" not in getattr(cvae, "names", ()) and time.monotonic() < deadline:
        pump(app, 0.2)
    pump(app, 3.0)  # the grid's column dimension is measured in the background
    cvae.apply_preset("Half cat, half fish")
    pump(app, 2.0)
    save(window, "cat_fish")
    window.resize(1700, 1000)  # wide enough that the row names fit beside square cells
    pump(app, 2.0)
    save(cvae.grid_view.parentWidget(), "sketch_cvae_grid")
    window.close()
    pump(app, 0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
