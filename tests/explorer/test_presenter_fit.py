"""Presenter zoom on a classroom projector: at 125%, 150% and 200% every tab of the window
fits 1280×720, and what the class reads is not cut off."""

from __future__ import annotations

import math
from typing import Any

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from explorer.main_window import MainWindow
from explorer.panels.compare import CompareEntry

SCREEN = (1280, 720)
METRICS = {"neg_elbo": 150.0, "reconstruction": 140.0, "kl": 10.0, "kl_per_dim": [5.0, 5.0],
           "active_units": 2, "latent_dim": 2, "prior_recognizable": 0.5,
           "prior_coverage": 0.9}  # fmt: skip
"""Five lines of metrics under each Compare map, as a real measurement shows."""


@pytest.fixture
def window(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    def fake_metrics(_entry: CompareEntry) -> dict[str, Any]:
        return dict(METRICS)  # no TensorFlow in this test

    monkeypatch.setattr("explorer.panels.compare.panel.compute_metrics", fake_metrics)
    w = MainWindow(load_tensorflow=False)  # the shipped models: what a class sees first
    qtbot.addWidget(w)
    w.resize(*SCREEN)
    w.show()
    yield w
    w.close()


def show_every_tab(window: MainWindow, qtbot: Any) -> None:
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        QApplication.processEvents()
    window.tabs.setCurrentWidget(window.compare)
    qtbot.waitUntil(lambda: not window.compare.busy, timeout=10_000)
    QApplication.processEvents()


@pytest.mark.parametrize("zoom", [1.25, 1.5, 2.0])
def test_every_tab_fits_a_720p_projector(window: MainWindow, qtbot: Any, zoom: float) -> None:
    show_every_tab(window, qtbot)  # the tabs' widgets exist (Compare builds its maps late)
    window.presenter.set_scale(zoom)
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        name = window.tabs.tabText(i)
        pages = [window.tabs.widget(j).minimumSizeHint().toTuple() for j in range(6)]
        assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], (name, hint, pages)
    assert window.size().toTuple() == SCREEN  # nothing made the window grow

    # Compare: the toolbar wraps onto rows the layout makes room for, with the metrics shown.
    compare = window.compare
    window.tabs.setCurrentWidget(compare)
    QApplication.processEvents()
    assert all("ELBO" in m.metrics_label.text() for m in compare.maps)
    rows = compare.toolbar.layout().rows(compare.toolbar.width())
    assert len(rows) >= 2 or zoom < 1.5
    needed = compare.layout().totalMinimumHeightForWidth(compare.width())
    assert needed <= compare.height()
    for m in compare.maps:
        assert m.plot.height() >= m.plot.minimumHeight()

    # Draw: the headings over the pad's answer are whole, not cut off at both ends.
    window.tabs.setCurrentWidget(window.draw)
    QApplication.processEvents()
    for view in (window.draw.input_view, window.draw.recon_view):
        _font, text = view.fitted_title()
        assert text == view.title()


@pytest.mark.parametrize("zoom", [1.5, 2.0])
def test_the_kl_plots_tick_labels_do_not_pile_up(window: MainWindow, zoom: float) -> None:
    window.presenter.set_scale(zoom)
    window.tabs.setCurrentWidget(window.training)
    QApplication.processEvents()
    kl = window.training.kl_plot
    assert kl.isVisible() and kl.height() >= kl.minimumHeight()
    axis = kl.getPlotItem().getAxis("left")
    size = kl.getPlotItem().getViewBox().height()
    major = axis.tickSpacing(0.0, 1.0, size)[0][0]
    labels = math.floor(1.0 / major + 1e-9) + 1
    text_height = QFontMetrics(axis.style["tickFont"]).height()
    assert labels * text_height <= size, (labels, text_height, size)


def test_zooming_before_the_other_tabs_were_shown_keeps_the_window(
    window: MainWindow, qtbot: Any
) -> None:
    """The teacher zooms at once, on the Training tab: tabs not yet shown (the CVAE's, its
    model put in when first shown) must not make the window taller than the screen."""
    QApplication.processEvents()
    window.presenter.set_scale(2.0)
    QApplication.processEvents()
    assert window.size().toTuple() == SCREEN
    show_every_tab(window, qtbot)
    hint = window.minimumSizeHint()
    assert window.size().toTuple() == SCREEN
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1]


def test_the_latent_maps_controls_are_in_view_at_720p(window: MainWindow, qtbot: Any) -> None:
    """At 100% on 1280×720 the Latent map's column needs no scrolling: its preview takes the
    height the controls leave (a square preview as wide as the column pushed Sample, the
    grid size and the layers below the fold)."""
    from PySide6.QtWidgets import QScrollArea

    window.tabs.setCurrentWidget(window.latent)
    qtbot.waitUntil(lambda: not window.busy, timeout=20_000)
    QApplication.processEvents()
    latent = window.latent
    column = latent.preview.parentWidget()
    area = column.parentWidget().parentWidget()
    assert isinstance(area, QScrollArea)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() == 0, timeout=3_000)
    for widget in (latent.sample_button, latent.resolution_spin, latent.preview):
        bottom = widget.mapTo(column, widget.rect().bottomLeft()).y()
        assert widget.isVisible() and bottom <= area.viewport().height(), widget
    assert latent.preview.height() >= 200
