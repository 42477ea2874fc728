"""The latent map: what a click or drag shows is exactly the codec's decode at that point."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from explorer.panels.latent_map import LatentMapPanel
from explorer.widgets.imaging import paper
from models.errors import ExplorerError
from models.messages import Snapshot
from models.nets.codec import MLPCodec


def random_codec(latent: int = 2, num_classes: int = 0, seed: int = 0) -> MLPCodec:
    """A small MLP codec with random weights (hidden 16, 28x28 images)."""
    return MLPCodec.random(latent=latent, num_classes=num_classes, seed=seed)


def points(n: int = 60, latent: int = 2, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(-1.2, 1.2, (n, latent)).astype(np.float32), np.arange(n) % 10


@pytest.fixture
def panel(qtbot) -> LatentMapPanel:  # type: ignore[no-untyped-def]
    w = LatentMapPanel(seed=3)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    return w


@pytest.fixture
def no_mouse_rate_limit() -> Iterator[None]:
    """pyqtgraph drops mouse moves closer than 10 ms apart; a test sends them at once."""
    old = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOptions(mouseRateLimit=-1)
    yield
    pg.setConfigOptions(mouseRateLimit=old)


def viewport_pos(panel: LatentMapPanel, x: float, y: float) -> QPoint:
    scene = panel.view_box.mapViewToScene(QPointF(x, y))
    return panel.plot.mapFromScene(scene)


def send(panel: LatentMapPanel, kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
    """A real QMouseEvent to the view's viewport, as pyqtgraph's own ui tests do."""
    viewport = panel.plot.viewport()
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    local = QPointF(pos)
    event = QMouseEvent(
        kind,
        local,
        QPointF(viewport.mapToGlobal(pos)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def data_pixel(panel: LatentMapPanel) -> float:
    """Size of one screen pixel in latent units (aspect is locked: same both ways)."""
    return float(panel.view_box.viewPixelSize()[0])


def test_empty_panel_says_what_to_do(panel: LatentMapPanel) -> None:
    assert panel.stack.currentIndex() == 0
    assert "train" in panel.empty_label.text().lower()
    assert panel.decode_at(0.0, 0.0).size == 0
    assert panel.sample().size == 0


def test_decode_at_shows_exactly_the_codec_decode(panel: LatentMapPanel) -> None:
    codec = random_codec()
    z, labels = points()
    panel.set_codec(codec, z, labels)
    assert panel.stack.currentIndex() == 1
    image = panel.decode_at(0.3, -0.4)
    expected = codec.decode(np.array([0.3, -0.4]))[0]
    np.testing.assert_allclose(image, expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(panel.preview.image(), expected, rtol=0, atol=1e-6)
    mx, my = panel.marker.getData()
    assert (mx[0], my[0]) == pytest.approx((0.3, -0.4))
    assert "+0.30" in panel.coord_label.text() and "-0.40" in panel.coord_label.text()
    assert panel.last_update_ms > 0


def test_real_click_on_a_data_point_decodes_there(panel: LatentMapPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    codec = random_codec()
    z, labels = points()
    panel.set_codec(codec, z, labels)
    panel.show()
    qtbot.waitExposed(panel)
    target = z[7]  # a validation point, drawn in the scatter: the click must not stop there
    pos = viewport_pos(panel, float(target[0]), float(target[1]))
    send(panel, QEvent.Type.MouseButtonPress, pos, Qt.MouseButton.LeftButton)
    send(panel, QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
    x, y = panel.point()
    assert abs(x - target[0]) <= 2 * data_pixel(panel)
    assert abs(y - target[1]) <= 2 * data_pixel(panel)
    expected = codec.decode(np.array([x, y]))[0]
    np.testing.assert_allclose(panel.preview.image(), expected, rtol=0, atol=1e-6)


def test_drag_moves_the_marker_live_without_panning(  # type: ignore[no-untyped-def]
    panel: LatentMapPanel, qtbot, no_mouse_rate_limit: None
) -> None:
    codec = random_codec()
    panel.set_codec(codec, *points())
    panel.show()
    qtbot.waitExposed(panel)
    view_before = panel.view_box.viewRange()
    path = [(-1.0, -1.0), (-0.5, -0.2), (0.2, 0.4), (0.9, 1.0)]
    send(
        panel,
        QEvent.Type.MouseButtonPress,
        viewport_pos(panel, *path[0]),
        Qt.MouseButton.LeftButton,
    )
    seen = []
    for x, y in path[1:]:
        send(panel, QEvent.Type.MouseMove, viewport_pos(panel, x, y), Qt.MouseButton.LeftButton)
        panel.flush()  # drags decode at most once a frame; the latest position lands
        px, py = panel.point()
        assert abs(px - x) <= 2 * data_pixel(panel) and abs(py - y) <= 2 * data_pixel(panel)
        np.testing.assert_allclose(
            panel.preview.image(), codec.decode(np.array([px, py]))[0], rtol=0, atol=1e-6
        )
        seen.append((px, py))
    send(
        panel,
        QEvent.Type.MouseButtonRelease,
        viewport_pos(panel, *path[-1]),
        Qt.MouseButton.NoButton,
    )
    assert len(set(seen)) == 3  # every move updated the preview, not only the release
    np.testing.assert_allclose(panel.view_box.viewRange(), view_before)


def test_grid_background_lies_where_its_points_are(panel: LatentMapPanel) -> None:
    codec = random_codec()
    panel.set_codec(codec)
    panel.resolution_spin.setValue(5)
    panel.range_spin.setValue(2.0)
    image = panel.grid_item.image
    assert image.shape == (5 * 28, 5 * 28)
    values = np.linspace(-2.0, 2.0, 5)
    for x, y in [(values[0], values[4]), (values[3], values[1]), (values[2], values[2])]:
        # The tile whose centre is at (x, y): map its centre to image pixels.
        centre = panel.grid_item.mapFromView(QPointF(x, y))
        col, row = round(centre.x()) - 14, round(centre.y()) - 14
        tile = image[row : row + 28, col : col + 28][::-1]  # plot y points up
        np.testing.assert_array_equal(tile, paper(codec.decode(np.array([x, y]))[0]))


def test_resolution_and_range_spin_boxes(panel: LatentMapPanel) -> None:
    panel.set_codec(random_codec())
    panel.resolution_spin.setValue(7)
    assert panel.grid_item.image.shape == (7 * 28, 7 * 28)
    panel.range_spin.setValue(3.0)
    rect = panel.grid_item.mapRectToView(panel.grid_item.boundingRect())
    step = 6.0 / 6
    assert rect.left() == pytest.approx(-3.0 - step / 2)
    assert rect.width() == pytest.approx(7 * step)
    assert rect.height() == pytest.approx(7 * step)


def test_layers_toggle(panel: LatentMapPanel) -> None:
    panel.set_codec(random_codec(), *points())
    assert panel.grid_item.isVisible() and panel.legend.isVisible()
    panel.grid_check.setChecked(False)
    assert not panel.grid_item.isVisible()
    panel.points_check.setChecked(False)
    assert not panel.points_item.isVisible()
    assert not panel.legend.isVisible()
    panel.points_check.setChecked(True)
    assert panel.points_item.isVisible() and panel.legend.isVisible()


def test_scatter_is_coloured_by_digit(panel: LatentMapPanel) -> None:
    z, labels = points(55)
    panel.set_codec(random_codec(), z, labels)
    x, y, shown_labels = panel.points_data()
    np.testing.assert_allclose(x, z[:, 0])
    np.testing.assert_allclose(y, z[:, 1])
    assert shown_labels is not None
    np.testing.assert_array_equal(shown_labels, labels)
    brushes = panel.points_item.data["brush"]
    colour_of = {d: {b.color().name() for b in brushes[labels == d]} for d in range(10)}
    assert all(len(c) == 1 for c in colour_of.values())  # one colour per digit
    assert len(set().union(*colour_of.values())) == 10  # and ten different ones
    # The legend has one entry per digit, in the same colours.
    legend_colours = [s.item.opts["brush"].color().name() for s, _ in panel.legend.items]
    assert legend_colours == [next(iter(colour_of[d])) for d in range(10)]


def test_sample_decodes_a_normal_draw_and_shows_it(panel: LatentMapPanel) -> None:
    codec = random_codec()
    panel.set_codec(codec)
    image = panel.sample()
    x, y = panel.point()
    np.testing.assert_allclose(image, codec.decode(np.array([x, y]))[0], rtol=0, atol=1e-6)
    assert panel.coord_label.text().startswith("Sample")
    (x0, x1), (y0, y1) = panel.view_box.viewRange()
    assert x0 <= x <= x1 and y0 <= y <= y1
    assert panel.sample() is not image and panel.point() != (x, y)


def test_latent_3_chooses_dimensions_and_sets_the_others(panel: LatentMapPanel) -> None:
    codec = random_codec(latent=3)
    z, labels = points(latent=3)
    panel.set_codec(codec, z, labels)
    assert panel.dims_box.isVisibleTo(panel)
    sliders = panel.sliders()
    assert len(sliders) == 3
    assert [s.isVisibleTo(panel) for s in sliders] == [False, False, True]
    grid_before = panel.grid_item.image.copy()
    sliders[2].setValue(0.7)
    assert not np.array_equal(grid_before, panel.grid_item.image)
    np.testing.assert_allclose(
        panel.decode_at(0.1, 0.2), codec.decode(np.array([0.1, 0.2, 0.7]))[0], atol=1e-6
    )
    panel.y_combo.setCurrentIndex(2)  # show z[0] across, z[2] up; z[1] gets its slider
    assert panel.dims() == (0, 2)
    assert [s.isVisibleTo(panel) for s in sliders] == [False, True, False]
    sliders[1].setValue(-0.5)
    np.testing.assert_allclose(
        panel.decode_at(0.1, 0.2), codec.decode(np.array([0.1, -0.5, 0.2]))[0], atol=1e-6
    )
    x, y, _ = panel.points_data()
    np.testing.assert_allclose(x, z[:, 0])
    np.testing.assert_allclose(y, z[:, 2])
    assert panel.plot.getPlotItem().getAxis("left").labelText == "z[2]"
    # Choosing the same dimension on both axes swaps them instead.
    panel.x_combo.setCurrentIndex(2)
    assert panel.dims() == (2, 0)


def test_sample_in_3d_sets_the_hidden_dimension(panel: LatentMapPanel) -> None:
    codec = random_codec(latent=3)
    panel.set_codec(codec)
    image = panel.sample()
    x, y = panel.point()
    third = panel.sliders()[2].value()
    assert third != 0.0
    np.testing.assert_allclose(image, codec.decode(np.array([x, y, third]))[0], atol=1e-6)


def test_cvae_decodes_with_the_chosen_digit(panel: LatentMapPanel) -> None:
    codec = random_codec(num_classes=10)
    z, labels = points()
    panel.set_codec(codec, z, labels)
    assert panel.digit_row.isVisibleTo(panel)
    panel.digit_combo.setCurrentIndex(7)
    one_hot = np.eye(10, dtype=np.float32)[7]
    np.testing.assert_array_equal(panel.label_vector(), one_hot)
    np.testing.assert_allclose(
        panel.decode_at(-0.2, 0.6), codec.decode(np.array([-0.2, 0.6]), one_hot)[0], atol=1e-6
    )
    grid = codec.decode_grid(10, 1.5, labels=one_hot)
    np.testing.assert_array_equal(panel.grid_item.image, paper(grid[::-1]))


def test_plain_vae_hides_the_digit_selector(panel: LatentMapPanel) -> None:
    panel.set_codec(random_codec())
    assert not panel.digit_row.isVisibleTo(panel)
    assert not panel.dims_box.isVisibleTo(panel)
    assert panel.label_vector() is None


def test_snapshot_updates_the_map_and_keeps_the_view(panel: LatentMapPanel) -> None:
    first, second = random_codec(seed=0), random_codec(seed=5)
    z, labels = points()
    panel.set_codec(first, z, labels)
    panel.decode_at(0.5, 0.5)
    panel.view_box.setRange(xRange=(-0.5, 1.0), yRange=(-0.5, 1.0), padding=0)
    view = panel.view_box.viewRange()
    new_z = z + 0.25
    panel.show_snapshot(Snapshot(kind="vae", codec=second, val_z_mean=new_z, val_labels=labels))
    np.testing.assert_allclose(
        panel.preview.image(), second.decode(np.array([0.5, 0.5]))[0], atol=1e-6
    )
    np.testing.assert_allclose(panel.view_box.viewRange(), view)
    x, _, _ = panel.points_data()
    np.testing.assert_allclose(x, new_z[:, 0])
    # An autoencoder snapshot (no codec) leaves the map alone.
    panel.show_snapshot(Snapshot(kind="autoencoder"))
    assert panel.codec() is second


def test_bad_validation_points_are_ignored(panel: LatentMapPanel) -> None:
    panel.set_codec(random_codec(), np.zeros((5, 3)), np.arange(5))
    assert len(panel.points_data()[0]) == 0
    z, _ = points(12)
    panel.set_codec(random_codec(), z, None)  # no labels: one neutral colour, no legend
    assert len(panel.points_data()[0]) == 12
    assert not panel.legend.isVisible()


def test_export_png(panel: LatentMapPanel, tmp_path) -> None:  # type: ignore[no-untyped-def]
    panel.set_codec(random_codec(), *points())
    out = panel.export_png(tmp_path / "map.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ExplorerError, match="missing"):
        panel.export_png(tmp_path / "missing" / "map.png")
