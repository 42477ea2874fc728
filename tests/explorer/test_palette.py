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
        # A figure with one point of this digit (and its legend entry): the colours of the
        # palette that it draws are this digit's, as the window shows it, and no other.
        figure = np.asarray(scatter_figure(np.zeros((1, 2)), np.array([digit]), extent=1.0))
        drawn = {tuple(int(v) for v in px) for px in figure.reshape(-1, 3)}
        palette = {colour for colour in shown.values() if colour != (0, 0, 0)}
        expected = {shown[str(digit)]} - {(0, 0, 0)}
        assert drawn & palette == expected, (
            f"digit {digit}: figure {drawn & palette}, window {shown}"
        )
    assert len(set(CLASS_COLORS)) == len(CLASS_COLORS)
    window.close()
