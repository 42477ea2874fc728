"""The presenter zoom, driven by its shortcuts (Ctrl+= / Ctrl+0 / Ctrl+Shift+P) on the window
with the shipped models, on an emulated 1280×720 and 1920×1080 screen.

What a class sees is measured: each picture's size on screen (every image grid's first cell),
the tab titles, the window against the screen, and the layout after Ctrl+0 against the
layout before zooming. The offscreen platform has one 800×800 screen, so the screen the
window sees is emulated through :func:`explorer.presenter.available_area`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from explorer.main_window import MainWindow
from explorer.widgets.common import app_font
from explorer.widgets.imaging import ImageGrid
from models.paths import resource_path

SCREENS = [(1280, 720), (1920, 1080)]
CTRL = Qt.KeyboardModifier.ControlModifier
METRICS = {"neg_elbo": 150.0, "reconstruction": 140.0, "kl": 10.0, "kl_per_dim": [5.0, 5.0],
           "active_units": 2, "latent_dim": 2, "prior_recognizable": 0.5,
           "prior_coverage": 0.9}  # fmt: skip
"""What a real measurement shows under each Compare map (no TensorFlow in these tests)."""

Layout = dict[str, tuple[int, int, int, int]]
"""A tab's image grids: name -> (picture width, picture height, grid width, grid height)."""


@pytest.fixture(params=SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def window(request: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    width, height = request.param
    monkeypatch.setattr("explorer.presenter.available_area", lambda _w: QRect(0, 0, width, height))
    fake_metrics(monkeypatch)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, font = app.styleSheet(), app.font()
    # The app's own style sheet (its font sizes once beat the zoom: the tab titles) and its
    # own font, as make_app sets them: without them the text measured here was smaller than
    # a user's, and whether it fitted depended on which test had called make_app first.
    app.setStyleSheet(resource_path("styles", "explorer.qss").read_text(encoding="utf-8"))
    app.setFont(app_font())
    w = MainWindow(load_tensorflow=False, load_shipped=True)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitExposed(w)
    visit_every_tab(w, qtbot)
    yield w
    w.close()
    app.setStyleSheet(style)
    app.setFont(font)


def fake_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compare's metrics without TensorFlow, where its panel module imports them (the
    module, or since the panels' refactor the package's ``panel`` module)."""
    for name in ("explorer.panels.compare.panel", "explorer.panels.compare"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "compute_metrics"):
            monkeypatch.setattr(module, "compute_metrics", lambda _e: dict(METRICS))
            return
    raise AssertionError("Compare's compute_metrics not found")


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def visit_every_tab(window: MainWindow, qtbot: Any) -> None:
    """Every tab shown once at 100% (Compare builds its maps when first shown)."""
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle()
    window.tabs.setCurrentWidget(window.compare)
    qtbot.waitUntil(lambda: not window.compare.busy, timeout=15_000)
    window.tabs.setCurrentIndex(0)
    settle()


def press(window: MainWindow, key: Qt.Key, times: int = 1, mods: Any = CTRL) -> None:
    """The shortcut as a person types it, on the window."""
    for _ in range(times):
        QTest.keyClick(window, key, mods)
        settle()


def grids(page: QWidget) -> list[ImageGrid]:
    return [g for g in page.findChildren(ImageGrid) if g.isVisible() and g.cell_rects()]


def grid_name(page: QWidget, grid: ImageGrid, index: int) -> str:
    return f"{type(page).__name__}/{grid.title() or type(grid.parentWidget()).__name__}/{index}"


def measure(window: MainWindow) -> dict[str, Layout]:
    """Each tab's image grids, shown one tab at a time."""
    found: dict[str, Layout] = {}
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle()
        page = window.tabs.widget(i)
        layout: Layout = {}
        for n, grid in enumerate(grids(page)):
            cell = grid.cell_rects()[0]
            size = (round(cell.width()), round(cell.height()), grid.width(), grid.height())
            layout[grid_name(page, grid, n)] = size
        found[window.tabs.tabText(i)] = layout
    window.tabs.setCurrentIndex(0)
    settle()
    return found


def screen_of(window: MainWindow) -> QRect:
    from explorer import presenter

    area = presenter.available_area(window)
    assert area is not None
    return area


@pytest.mark.parametrize("presses", [2, 3, 5], ids=["132%", "152%", "201%"])
def test_zooming_in_never_shrinks_a_picture_nor_grows_the_window(
    window: MainWindow, presses: int
) -> None:
    before = measure(window)
    assert sum(len(tab) for tab in before.values()) >= 8, before  # the shipped models show
    size = window.size()
    press(window, Qt.Key.Key_Equal, presses)
    assert window.presenter.scale == pytest.approx(1.15**presses)
    after = measure(window)
    screen = screen_of(window)
    assert window.width() <= screen.width() and window.height() <= screen.height()
    assert window.size() == size
    for tab, layout in before.items():
        for name, (pic_w, pic_h, _gw, _gh) in layout.items():
            assert name in after[tab], (tab, name)
            new_w, new_h, _w, _h = after[tab][name]
            assert new_w >= pic_w and new_h >= pic_h, (name, (pic_w, pic_h), (new_w, new_h))


@pytest.mark.parametrize("presses", [3, 5], ids=["152%", "201%"])
def test_titles_are_whole_and_grids_overlap_nothing(window: MainWindow, presses: int) -> None:
    press(window, Qt.Key.Key_Equal, presses)
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle()
        page = window.tabs.widget(i)
        others = [
            w
            for w in page.findChildren(QWidget)
            if isinstance(w, QLabel | QAbstractButton) and w.isVisible()
        ]
        for grid in grids(page):
            _font, title = grid.fitted_title()
            assert title == grid.title(), (window.tabs.tabText(i), title)
            box = QRect(grid.mapTo(page, grid.rect().topLeft()), grid.size())
            for other in others:
                if other.isAncestorOf(grid) or grid.isAncestorOf(other):
                    continue
                rect = QRect(other.mapTo(page, other.rect().topLeft()), other.size())
                assert not box.intersects(rect), (grid.title(), other, box, rect)


def test_tab_titles_follow_the_zoom(window: MainWindow) -> None:
    bar = window.tabs.tabBar()
    height, width = bar.tabRect(0).height(), bar.tabRect(0).width()
    points = bar.font().pointSizeF()
    press(window, Qt.Key.Key_Equal, 3)
    assert bar.font().pointSizeF() == pytest.approx(points * 1.15**3)
    assert bar.tabRect(0).height() > height and bar.tabRect(0).width() > width
    screen = screen_of(window)
    assert bar.width() <= screen.width()


def test_ctrl_0_restores_the_layout_exactly(window: MainWindow) -> None:
    before = measure(window)
    size = window.size()
    tab_rect = window.tabs.tabBar().tabRect(1)
    press(window, Qt.Key.Key_Equal, 3)
    press(window, Qt.Key.Key_0)
    assert window.presenter.scale == 1.0
    assert window.size() == size
    assert window.tabs.tabBar().tabRect(1) == tab_rect
    assert measure(window) == before


def test_presenter_mode_hides_settings_and_gives_pictures_room(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.cats)
    settle()
    before = measure(window)
    press(window, Qt.Key.Key_P, mods=CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.presenter.presenting
    assert not window.statusBar().isVisible()
    assert all(not w.isVisible() for w in window.presenter.advanced_widgets())
    after = measure(window)
    for tab, layout in before.items():
        for name, (w, h, _gw, _gh) in layout.items():
            assert after[tab][name][0] >= w and after[tab][name][1] >= h, name
    press(window, Qt.Key.Key_P, mods=CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().isVisible() and not window.presenter.presenting


def test_the_window_opens_to_fit_the_screen_and_uses_a_big_one(window: MainWindow) -> None:
    screen = screen_of(window)
    assert window.width() <= screen.width() and window.height() <= screen.height()
    if screen.width() >= 1920:
        assert window.width() >= 0.85 * screen.width() and window.height() >= 0.8 * screen.height()


@pytest.mark.parametrize("presses", [3, 5], ids=["152%", "201%"])
def test_no_page_scrolls_sideways(window: MainWindow, presses: int) -> None:
    """The CVAE tab's columns (mix, picture, digit grid) needed more than 1280 px at 152%."""
    from PySide6.QtWidgets import QScrollArea

    press(window, Qt.Key.Key_Equal, presses)
    wide = []
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle()
        area = window.tabs.widget(i).findChild(QScrollArea, "pageScroll")
        if area is not None and area.horizontalScrollBar().maximum() > 0:
            wide.append(window.tabs.tabText(i))
    assert wide == []


def test_compare_metrics_grow_with_the_zoom(window: MainWindow) -> None:
    """Compare caps its metrics at 115% (METRICS_MAX_ZOOM): they barely grow at 152%."""
    label = window.compare.maps[0].metrics_label
    points = label.font().pointSizeF()
    press(window, Qt.Key.Key_Equal, 3)
    assert label.font().pointSizeF() >= 1.4 * points


def test_compare_marker_coordinates_are_whole(window: MainWindow) -> None:
    """The coordinates at the marker, "(+0.00, +0.00)", are whole at 152%: in the title above
    the picture (a caption in the small picture's narrow cell was elided)."""
    press(window, Qt.Key.Key_Equal, 3)
    window.tabs.setCurrentWidget(window.compare)
    settle()
    for m in window.compare.maps:
        view = m.point_view
        assert re.search(r"\([+-]\d\.\d\d, [+-]\d\.\d\d\)$", view.title()), view.title()
        assert view.fitted_title()[1] == view.title()
        assert all(view.caption_fit(c, view.cell_rects()[0].width() + 6)[1] == c
                   for c in view.captions())  # fmt: skip


def shown_text(widget: QWidget) -> str:
    """A label's or button's text as drawn (no mnemonic ampersand); '' for rich text."""
    if isinstance(widget, QLabel):
        if widget.textFormat() == Qt.TextFormat.RichText or "<" in widget.text():
            return ""
        return "" if widget.wordWrap() else widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return ""


def clipped_on_the_right(page: QWidget) -> list[str]:
    """What on ``page`` is cut off at its right: a label, button or progress bar whose text
    is wider than the widget, a widget hidden past its parent's right edge, a plot's title
    or legend past the plot's right edge."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QProgressBar

    found = []
    for w in page.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0:
            continue
        text = shown_text(w)
        if isinstance(w, QProgressBar):
            text = w.text()
        if text and "\n" not in text:
            room = w.contentsRect().width() - (8 if isinstance(w, QAbstractButton) else 0)
            if isinstance(w, QAbstractButton) and not w.icon().isNull():
                room -= w.iconSize().width()
            wide = w.fontMetrics().horizontalAdvance(text)
            if wide > room:
                found.append(f"{type(w).__name__} {text!r}: {wide}px of text in {room}px")
        visible = w.visibleRegion().boundingRect()
        shown = not visible.isEmpty() and (text or isinstance(w, pg.PlotWidget))
        if shown and visible.right() < w.rect().right() - 2:
            found.append(f"{type(w).__name__} {text!r}: cut off at x={visible.right()}")
        if isinstance(w, pg.PlotWidget):
            item = w.getPlotItem()
            edge = item.sceneBoundingRect().right() + 1
            title = item.titleLabel
            if title.isVisible() and title.text:
                right = title.item.sceneBoundingRect().right()
                if right > edge:
                    found.append(f"plot title {title.text!r} ends at {right:.0f} > {edge:.0f}")
            legend = getattr(item, "legend", None)
            if legend is not None and legend.isVisible() and legend.items:
                right = legend.sceneBoundingRect().right()
                if right > edge:
                    found.append(f"legend ends at {right:.0f} > {edge:.0f}")
    return found


def vae_timeline() -> Any:
    """Eight epochs of a VAE run, as a run's timeline holds them: falling losses, a KL
    that grows."""
    from models.inference.timeline import Frame, Timeline

    timeline = Timeline()
    for epoch in range(1, 9):
        losses = {"loss": 150 + 200 / epoch, "reconstruction": 140 + 190 / epoch, "kl": 5.0 + epoch}
        timeline.append(
            Frame(epoch, {f"{s}_{k}": v for s in ("train", "val") for k, v in losses.items()})
        )
    return timeline


@pytest.mark.parametrize("presses", [0, 2, 3, 5], ids=["100%", "132%", "152%", "201%"])
def test_no_title_legend_or_progress_text_is_cut_off_at_the_right(
    window: MainWindow, presses: int
) -> None:
    """Issue 14: "Titles, legends and progress text are cut off at the right" (the Training
    tab's curves and progress mid-run especially)."""
    from models.messages import BatchProgress

    timeline = vae_timeline()
    training = window.training
    training.show_timeline(timeline)  # what a run's epochs show
    training.show_batch(BatchProgress(8, 20, 150, 200, 5200.0, 125.0, {"loss": 151.2}))
    press(window, Qt.Key.Key_Equal, presses)
    cut = {}
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle()
        found = clipped_on_the_right(window.tabs.widget(i))
        if found:
            cut[window.tabs.tabText(i)] = found
    assert not cut, "\n".join(f"{k}: {v}" for k, vs in cut.items() for v in vs)


def test_latent_map_coordinates_keep_one_line_each_at_201_percent(window: MainWindow) -> None:
    """Side by side, "z[1] =" wrapped away from its value at 152%: one line per coordinate,
    each whole at the zoomed font, within the label's two lines."""
    press(window, Qt.Key.Key_Equal, 5)
    window.tabs.setCurrentWidget(window.latent)
    settle()
    label = window.latent.coord_label
    lines = label.text().split("\n")
    assert [line.split(" =")[0] for line in lines] == ["z[0]", "z[1]"], label.text()
    metrics = label.fontMetrics()
    assert all(metrics.horizontalAdvance(line) <= label.contentsRect().width() for line in lines)
    assert label.height() >= 2 * metrics.lineSpacing()


@pytest.mark.parametrize("presses", [3, 5], ids=["152%", "201%"])
def test_the_chosen_model_shows_whole_in_the_training_settings(
    window: MainWindow, presses: int
) -> None:
    """At 201% on 1280x720 the Model box beside its label showed "VAE (digits" cut short:
    from 150% it goes under its label, and what it says fits its box."""
    press(window, Qt.Key.Key_Equal, presses)
    window.tabs.setCurrentWidget(window.training)
    settle()
    combo = window.training.model_combo
    for index in range(combo.count()):
        combo.setCurrentIndex(index)
        settle()
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = QStyle.SubControl.SC_ComboBoxEditField
        text_room = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                                 field, combo).width()  # fmt: skip
        if combo.currentText().startswith(("VAE", "Conditional VAE")):  # the digit models
            assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= text_room, (
                combo.currentText(),
                combo.width(),
            )
    press(window, Qt.Key.Key_0)
    settle()
    label = window.training.settings.form.labelForField(combo)
    assert label.y() == pytest.approx(combo.y(), abs=combo.height())  # beside it again at 100%


def drawn_tick_labels(axis: Any) -> list[str]:
    """The numbers an axis draws now (pyqtgraph drops those it has no room for)."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else [text for _rect, _flags, text in specs[2]]


@pytest.mark.parametrize("presses", [0, 5], ids=["100%", "201%"])
def test_the_loss_axis_shows_its_numbers_and_the_whole_legend(
    window: MainWindow, presses: int
) -> None:
    """At 201% on a 720-px projector the VAE's loss plot showed no number on its axis and
    two of its four legend lines: its own epoch axis took the room (the KL plot under it
    shows the same epochs)."""
    timeline = vae_timeline()
    window.training.show_timeline(timeline)
    press(window, Qt.Key.Key_Equal, presses)
    window.tabs.setCurrentWidget(window.training)
    settle()
    loss_plot = window.training.curves.loss_plot
    item = loss_plot.getPlotItem()
    assert len(drawn_tick_labels(item.getAxis("left"))) >= 2
    view = item.vb.sceneBoundingRect()
    legend = loss_plot.legend.sceneBoundingRect()
    assert len(loss_plot.legend.items) == 4 and legend.bottom() <= view.bottom() + 1
    kl_axis = window.training.curves.kl_plot.getPlotItem().getAxis("bottom")
    assert kl_axis.isVisible() and drawn_tick_labels(kl_axis)  # the epochs, under both


def test_a_short_kl_plot_gives_its_title_room_to_its_numbers(window: MainWindow) -> None:
    """At 201% on a 720-px projector the KL plot showed one number and half its legend:
    where it is that short it drops its title (its legend says "training KL"), and the
    title comes back at 100%."""
    timeline = vae_timeline()
    window.training.show_timeline(timeline)
    window.tabs.setCurrentWidget(window.training)
    kl_plot = window.training.curves.kl_plot
    item = kl_plot.getPlotItem()

    def shown() -> tuple[int, bool, bool]:
        for _ in range(3):
            settle()  # the title is fitted after the resize
        view = item.vb.sceneBoundingRect()
        legend = kl_plot.legend.sceneBoundingRect()
        numbers = len(drawn_tick_labels(item.getAxis("left")))
        return numbers, legend.bottom() <= view.bottom() + 1, item.titleLabel.isVisible()

    numbers, legend_whole, title = shown()
    assert numbers >= 2 and legend_whole and title  # 100%: all of it
    press(window, Qt.Key.Key_Equal, 5)
    numbers, legend_whole, _title = shown()
    assert numbers >= 2 and legend_whole
    press(window, Qt.Key.Key_0)
    numbers, legend_whole, title = shown()
    assert numbers >= 2 and legend_whole and title
