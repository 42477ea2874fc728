"""The latent view as a person uses it: Fit to data, a second run, Shift+clicks for A and B,
the map's top edge, and the Draw tab's mini map legend; plus the Qt-free view model."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QMouseEvent
from PySide6.QtWidgets import QApplication

from explorer.controller import TrainingController
from explorer.latent_view import LatentView
from explorer.main_window import MainWindow
from explorer.panels.draw import DrawPanel
from explorer.panels.latent_map import LatentMapPanel
from explorer.session import Points, Session
from models.inference.timeline import Timeline
from models.messages import EpochResult, Snapshot
from models.nets.codec import MLPCodec


@pytest.fixture
def panel(qtbot: Any) -> LatentMapPanel:
    w = LatentMapPanel(seed=0)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot: Any) -> Any:
    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=False
    )
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def spread(center: tuple[float, float], sd: float, n: int = 200, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.normal(0.0, sd, (n, 2)) + np.asarray(center)).astype(np.float32)


def to_pixel(panel: LatentMapPanel, x: float, y: float) -> QPointF:
    """Where latent point (x, y) is drawn, in the map widget's pixels."""
    return QPointF(panel.plot.mapFromScene(panel.view_box.mapViewToScene(QPointF(x, y))))


def shift_click(panel: LatentMapPanel, pos: QPoint) -> None:
    """A real Shift+click on the map's viewport, as pyqtgraph's own ui tests send one."""
    viewport = panel.plot.viewport()
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
    ):
        event = QMouseEvent(
            kind,
            QPointF(pos),
            QPointF(viewport.mapToGlobal(pos)),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.ShiftModifier,
        )
        QApplication.sendEvent(viewport, event)
        QApplication.processEvents()


def grid_rect(panel: LatentMapPanel) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) of the decoded grid image as drawn, in latent units."""
    r = panel.grid_item.mapRectToParent(panel.grid_item.boundingRect())
    return r.left(), r.right(), r.top(), r.bottom()


def set_range_box(qtbot: Any, panel: LatentMapPanel, text: str) -> None:
    """Type a value into the Range box and press Enter, as a person does."""
    box = panel.range_spin
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


# -- bug 1: Fit to data refits the view, not only the Range box ------------------------------
def test_fit_to_data_button_refits_the_grid_and_the_view(panel: LatentMapPanel, qtbot: Any) -> None:
    z = spread((1.0, -2.0), 1.2)
    panel.set_codec(MLPCodec.random(seed=1), z, np.arange(len(z)) % 10)
    set_range_box(qtbot, panel, "1")
    assert panel.range_spin.value() == pytest.approx(1.0)
    x0, x1, _, _ = grid_rect(panel)
    assert x1 - x0 == pytest.approx(2.0 * 10 / 9, rel=1e-3)  # ±1, tiles centred on their z

    qtbot.mouseClick(panel.fit_button, Qt.MouseButton.LeftButton)
    e = panel.range_spin.value()
    assert e > 2.0  # the box says the fitted range ...
    x0, x1, y0, y1 = grid_rect(panel)
    assert x1 - x0 == pytest.approx(2 * e * 10 / 9, rel=1e-3)  # ... and the grid has it
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    assert abs(cx - 1.0) < 0.5 and abs(cy + 2.0) < 0.5  # centred on the points
    (vx0, vx1), (vy0, vy1) = panel.view_box.viewRange()
    assert vx0 <= x0 and vx1 >= x1 and vy0 <= y0 and vy1 >= y1  # the view shows all of it
    assert min(vx1 - vx0, vy1 - vy0) < 1.3 * (x1 - x0)  # and frames it
    # Reset view frames the same grid: nothing half empty.
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert panel.view_box.viewRange()[0] == pytest.approx([vx0, vx1], abs=1e-6)


# -- bug 3: a second run's first epoch frames its own points ----------------------------------
def run_epochs(window: MainWindow, points: list[np.ndarray], seed: int) -> None:
    """One training run of the VAE as the controller reports it: training starts, a fresh
    timeline, then each epoch's snapshot (its decoder and the validation points)."""
    slot = window.session.slot_for_panel("latent")
    slot.set_training(True)
    slot.set_timeline(Timeline())
    labels = np.arange(len(points[0])) % 10
    for e, z in enumerate(points):
        codec = MLPCodec.random(seed=seed + e)
        snap = Snapshot(kind=slot.kind, codec=codec, val_z_mean=z, val_labels=labels)
        slot.record_epoch(EpochResult(e, len(points), {"loss": 5.0}, {"loss": 5.0}, snap))
        slot.set_snapshot(snap)
        QApplication.processEvents()
    slot.set_training(False)


def test_a_second_run_frames_its_own_points(window: MainWindow, qtbot: Any) -> None:
    latent = window.latent
    bar = window.tabs.tabBar()
    tab = bar.tabRect(window.tabs.indexOf(latent)).center()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=tab)
    assert window.tabs.currentWidget() is latent
    assert latent.auto_fit_check.isChecked()
    run_epochs(window, [spread((0, 0), 3.0, seed=1), spread((0, 0), 3.0, seed=2)], seed=0)
    (wx0, wx1), _ = latent.view_box.viewRange()
    assert wx1 - wx0 > 10  # the first run spread wide

    second = spread((0.5, 0.5), 0.1, seed=3)  # well inside the first run's grid
    run_epochs(window, [second], seed=10)
    x0, x1, y0, y1 = grid_rect(latent)
    (vx0, vx1), (vy0, vy1) = latent.view_box.viewRange()
    assert x1 - x0 < 4.0  # the grid was fitted to this run's points (at least ±1.5) ...
    assert (x0 + x1) / 2 == pytest.approx(0.5, abs=0.1)
    assert (y0 + y1) / 2 == pytest.approx(0.5, abs=0.1)
    assert min(vx1 - vx0, vy1 - vy0) < 4.5  # ... and the view frames them
    for x, y in second[:, :2]:
        assert vx0 <= x <= vx1 and vy0 <= y <= vy1


# -- bug 8: A and B land where they were clicked ----------------------------------------------
def test_shift_clicks_set_a_and_b_where_they_were_clicked(panel: LatentMapPanel) -> None:
    z = spread((0, 0), 0.8)
    panel.set_codec(MLPCodec.random(seed=2), z, np.arange(len(z)) % 10)
    QApplication.processEvents()
    size = panel.plot.viewport().size()
    a_px = QPoint(int(size.width() * 0.4), int(size.height() * 0.35))
    b_px = QPoint(int(size.width() * 0.6), int(size.height() * 0.65))
    shift_click(panel, a_px)
    shift_click(panel, b_px)
    a, b = panel.view.end("A"), panel.view.end("B")
    assert a is not None and b is not None
    shown = panel.overlays.ends_shown()
    assert len(shown) == 2
    for (x, y), clicked in zip(shown, (a_px, b_px), strict=True):
        at = to_pixel(panel, x, y)
        assert abs(at.x() - clicked.x()) <= 2 and abs(at.y() - clicked.y()) <= 2
    # The strip walks from the A to the B the person sees.
    panel.strip.flush()
    np.testing.assert_allclose(panel.strip.end("A"), a)
    np.testing.assert_allclose(panel.strip.end("B"), b)
    assert len(panel.strip.frames()) == panel.strip.steps()


# -- issue 14: the map's top edge cuts no tick label ------------------------------------------
def test_the_top_tick_label_and_points_are_not_cut(panel: LatentMapPanel, qtbot: Any) -> None:
    z = np.array([[0.0, 4.0], [2.0, -4.0], [-3.0, 1.0]], np.float32)
    panel.set_codec(MLPCodec.random(seed=3), z, np.arange(3))
    # As a wheel zoom can leave it: the top edge exactly at a tick.
    panel.view_box.setRange(xRange=(-1.0, 1.0), yRange=(-4.0, 4.0), padding=0.0)
    QApplication.processEvents()
    axis = panel.plot.getPlotItem().getAxis("left")
    metrics = QFontMetricsF(axis.style["tickFont"])
    _, (vy0, vy1) = panel.view_box.viewRange()
    assert vy1 == pytest.approx(4.0)
    ticks = [v for _spacing, values in axis.tickValues(vy0, vy1, axis.height()) for v in values]
    top = max(v for v in ticks if v <= vy1 + 1e-9)
    assert top == pytest.approx(4.0)
    label_y = to_pixel(panel, 0.0, top).y()
    assert label_y - metrics.height() / 2 >= 0  # the "4" is whole
    point_y = to_pixel(panel, 0.0, 4.0).y()
    assert point_y - panel.points_item.opts["size"] / 2 >= 0  # the point on the edge too


# -- issue 14: the Draw tab's mini map has a legend ------------------------------------------
def test_the_mini_map_has_a_legend(qtbot: Any) -> None:
    session = Session()
    slot = session.slot("vae")
    slot.set_shipped(codec=MLPCodec.random(seed=1))
    slot.set_points(Points(spread((0, 0), 1.0, n=50), np.arange(50) % 10))
    draw = DrawPanel()
    qtbot.addWidget(draw)
    draw.resize(1100, 700)
    draw.attach(session)
    draw.show()
    qtbot.waitExposed(draw)
    draw.choose_model("vae")
    legends = [i for i in draw.mini_map.scene().items() if isinstance(i, pg.LegendItem)]
    assert legends and legends[0].isVisible()
    names = [label.text for _sample, label in legends[0].items]
    assert names[:10] == [str(d) for d in range(10)] and names[-1] == "your drawing"


# -- the view model itself (no Qt) -------------------------------------------------------------
def test_the_view_tells_what_changed_and_fits_points() -> None:
    view = LatentView()
    seen: list[str] = []
    view.events.connect(lambda info: seen.append(info.signal.name))
    assert view.fit(spread((3.0, -1.0), 0.5))
    assert view.center[0] == pytest.approx(3.0, abs=0.3)
    assert view.center[1] == pytest.approx(-1.0, abs=0.3)
    assert 0.5 <= view.range < 3.0
    assert {"center", "range"} <= set(seen)
    seen.clear()
    view.set_end("A", np.array([1.0, 2.0]))
    view.set_end("A", np.array([1.0, 2.0]))  # the same value: no event
    assert seen == ["end_a"]
    np.testing.assert_allclose(view.end("A"), [1.0, 2.0])
    with pytest.raises(ValueError, match="A and B"):
        view.set_end("C", np.zeros(2))
    assert not view.fit(np.zeros((0, 2)))


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_two_real_runs_through_the_start_button_each_frame_their_points(
    window: MainWindow, qtbot: Any, make_config: Any, digits: Any
) -> None:
    """Bug 3 end to end: train, widen the map by hand, train again in the same window; the
    second run's first epoch is framed on its own points (follow the data is on)."""
    latent = window.latent
    window.tabs.setCurrentWidget(latent)
    spec = "mnist:/in/memory.npz"
    window.opened[spec] = digits
    window.training.show_config(make_config("vae", data=spec, epochs=1))
    with qtbot.waitSignal(window.controller.finished, timeout=120_000):
        qtbot.mouseClick(window.training.start_button, Qt.MouseButton.LeftButton)
    set_range_box(qtbot, latent, "20")  # the user widens the map after the first run
    assert grid_rect(latent)[1] - grid_rect(latent)[0] > 40
    with qtbot.waitSignal(window.controller.finished, timeout=120_000):
        qtbot.mouseClick(window.training.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: latent.codec() is not None, timeout=20_000)
    x, y, _labels = latent.points_data()
    assert len(x) > 0
    x0, x1, y0, y1 = grid_rect(latent)
    e = latent.range_spin.value()
    assert e < 20  # refitted to this run's points
    inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    assert inside.mean() > 0.9
    (vx0, vx1), (vy0, vy1) = latent.view_box.viewRange()
    assert min(vx1 - vx0, vy1 - vy0) < 1.3 * (x1 - x0)  # the view frames the grid
