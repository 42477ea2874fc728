"""One palette (models.inference.palette) for the window and the figures and GIFs."""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.main_window import MainWindow
from models.inference.figures import scatter_figure
from models.inference.palette import CLASS_COLORS


def test_the_latent_maps_legend_and_the_exported_figure_draw_each_digit_alike(
    qtbot: Any,
) -> None:
    window = MainWindow(load_tensorflow=False)  # the shipped VAE and its digits
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.latent)
    shown = {}
    for sample, label in window.latent.legend.items:  # what the person reads beside the map
        shown[label.text] = sample.item.opts["brush"].color().getRgb()[:3]
    assert len(shown) == 10
    for digit in range(10):
        # A figure with one point of this digit, in the middle of the plane.
        figure = np.asarray(scatter_figure(np.zeros((1, 2)), np.array([digit]), extent=1.0))
        size = figure.shape[1]
        centre = figure[24 + size // 2 - 1 : 24 + size // 2 + 1, size // 2 - 1 : size // 2 + 1]
        drawn = tuple(int(v) for v in centre.reshape(-1, 3)[0])
        assert drawn == shown[str(digit)], f"digit {digit}: figure {drawn}, window {shown}"
    assert len(set(CLASS_COLORS)) == len(CLASS_COLORS)
    window.close()
