"""The Draw tab, the sketch canvas and the interpolation strips, driven by QTest strokes.

Tiny random NumPy codecs (MLPCodec.random) and a NumPy stand-in for the Keras autoencoder
keep these fast: no TensorFlow.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from explorer.panels.draw import SOURCES, DrawPanel
from explorer.panels.latent_map import LatentMapPanel
from explorer.session import DataDescription, Origin, Session
from explorer.widgets.interpolation_strip import InterpolationStrip
from explorer.widgets.sketch_canvas import PAD_UNITS, SketchCanvas
from models.data import sketch
from models.data.dataset import Dataset
from models.inference.classify import label_posterior
from models.inference.interpolate import latent_path
from models.inference.pad import encode_stats, every_digit, nearest_by_code, sigma_ellipse
from models.nets.codec import MLPCodec
from models.nets.kinds import get_kind

SEVEN = [[(40, 40), (160, 40), (150, 60), (120, 110), (90, 170)], [(70, 100), (140, 100)]]
"""A "7" with a bar, in canvas pixels."""


def draw(canvas: SketchCanvas, strokes: list[list[tuple[int, int]]]) -> None:
    """Press, move and release the left button along each stroke, as a person would."""
    for stroke in strokes:
        first, *rest = stroke
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(*first))  # fmt: skip
        for x, y in rest:
            QTest.mouseMove(canvas, QPoint(x, y))
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(*rest[-1]))  # fmt: skip


def pad_points(canvas: SketchCanvas, stroke: list[tuple[int, int]]) -> np.ndarray:
    r = canvas.square()
    k = PAD_UNITS / r.width()
    return np.array(
        [[(x - r.left()) * k for x, _ in stroke], [(y - r.top()) * k for _, y in stroke]]
    )


class FakeAutoencoder:
    """NumPy stand-in for a loaded autoencoder: the panel only calls these."""

    image_shape = (32, 32)
    config = SimpleNamespace(resolved_latent_dim=16, num_classes=0)
    spec = SimpleNamespace(conditional=False, numpy_codec=False)

    def reconstruct(self, images: np.ndarray) -> np.ndarray:
        return np.clip(np.asarray(images) * 0.5 + 0.1, 0, 1)

    def encode_mean(self, images: np.ndarray) -> np.ndarray:
        x = np.asarray(images, np.float32).reshape(len(images), -1)
        return x[:, ::64] * 3.0  # a 16-number "code"

    def decode(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, np.float32)
        return np.tile(z.mean(axis=1)[:, None, None], (1, 32, 32))


class WorkerCodec:
    """A NumPy codec seen as a decoder that must run off the GUI thread (like a Keras one)."""

    needs_worker = True

    def __init__(self, codec: MLPCodec) -> None:
        self.codec, self.calls = codec, 0
        self.latent_dim, self.num_classes = codec.latent_dim, codec.num_classes
        self.image_shape = codec.image_shape
        self.conditional = codec.conditional

    def decode(self, points: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        self.calls += 1
        return self.codec.decode(points, labels)

    def encode(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        return self.codec.encode(images, labels)


@pytest.fixture
def session() -> Session:
    s = Session()
    s.slot("vae").set_shipped(codec=MLPCodec.random(latent=2, hidden=16, seed=1))
    s.slot("cvae").set_shipped(codec=MLPCodec.random(latent=2, hidden=16, num_classes=10, seed=2))
    return s


@pytest.fixture
def panels(qtbot: Any, session: Session) -> tuple[DrawPanel, LatentMapPanel]:
    latent = LatentMapPanel(seed=0)
    qtbot.addWidget(latent)
    latent.follow(session.slot("vae"))
    panel = DrawPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    latent.use_view(session.latent_view)
    panel.attach(session)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, latent


@pytest.fixture
def latent(qtbot: Any, panels: tuple[DrawPanel, LatentMapPanel]) -> LatentMapPanel:
    """The Draw panel's latent map, shown (for shift-click and shift-drag)."""
    _, latent = panels
    latent.show()
    qtbot.waitExposed(latent)
    return latent


def shown_canvas(qtbot: Any) -> SketchCanvas:
    """An empty 300×300 canvas, on screen (mouse, touch and tablet events need that)."""
    canvas = SketchCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(300, 300)
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas


def test_canvas_records_strokes_and_undoes(qtbot: Any) -> None:
    canvas = shown_canvas(qtbot)
    with qtbot.waitSignals([canvas.stroke_finished, canvas.changed]):
        draw(canvas, SEVEN[:1])
    draw(canvas, SEVEN[1:])
    strokes = canvas.strokes()
    assert len(strokes) == 2
    np.testing.assert_allclose(strokes[0], pad_points(canvas, SEVEN[0]))
    np.testing.assert_allclose(strokes[1], pad_points(canvas, SEVEN[1]))
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes()) == 1
    canvas.clear()
    assert canvas.is_empty() and canvas.strokes() == []
    assert not canvas.undo()


def test_digit_input_is_the_mnist_image_and_lands_on_the_map(
    panels: tuple[DrawPanel, LatentMapPanel],
) -> None:
    panel, latent = panels
    draw(panel.canvas, SEVEN)
    image = panel.input_image()
    assert image.shape == (28, 28)
    np.testing.assert_array_equal(image, sketch.digit_image(panel.canvas.strokes()))
    np.testing.assert_array_equal(panel.input_view.image(0), image)  # what the model sees
    codec = panel.slot.codec  # type: ignore[union-attr]
    mean, log_var = encode_stats(codec, image[None])
    z = panel.latent_point()
    assert z is not None
    np.testing.assert_allclose(z[0], mean[0], rtol=1e-5)
    np.testing.assert_allclose(panel.reconstruction(), codec.decode(mean)[0], rtol=1e-5)
    # "your drawing" on the latent map (drawn when its tab shows): point, 1σ and 2σ ellipses.
    latent.show()
    assert latent.drawing_point.isVisible() and latent.drawing_label.isVisible()
    assert "your drawing" in latent.drawing_label.textItem.toPlainText()
    for k, item in enumerate(latent.drawing_ellipses, start=1):
        x, y = item.getData()
        ex, ey = sigma_ellipse(mean[0], log_var[0], k=float(k))
        np.testing.assert_allclose(x, ex, rtol=1e-5)
        np.testing.assert_allclose(y, ey, rtol=1e-5)
    px, py = latent.drawing_point.getData()
    assert (px[0], py[0]) == pytest.approx((float(mean[0, 0]), float(mean[0, 1])), rel=1e-5)
    panel.clear()
    assert not latent.drawing_point.isVisible()
    assert not latent.drawing_ellipses[0].isVisible()


def test_zoom_to_the_drawing_frames_its_ellipses(
    panels: tuple[DrawPanel, LatentMapPanel],
) -> None:
    panel, _ = panels
    assert panel.zoom_range() is None  # nothing drawn: nothing to zoom to
    slot = panel.slot
    assert slot is not None and slot.codec is not None
    # A sure model, as trained VAEs are: σ = e^-3 ≈ 0.05 whatever the drawing.
    sure = dataclasses.replace(
        slot.codec,
        log_var_w=np.zeros_like(slot.codec.log_var_w),
        log_var_b=np.full_like(slot.codec.log_var_b, -6.0),
    )
    slot.set_shipped(codec=sure)
    draw(panel.canvas, SEVEN)
    box = panel.zoom_range()
    z = panel.latent_point()
    assert box is not None and z is not None
    mean, sd = z[0], np.exp(0.5 * z[1])
    x0, x1, y0, y1 = box
    assert x0 < mean[0] < x1 and y0 < mean[1] < y1
    assert x1 - x0 == pytest.approx(max(0.5, 12 * float(max(sd[0], sd[1]))))  # 3 × the 2σ one
    panel.zoom_check.setChecked(True)
    (vx0, vx1), (vy0, vy1) = panel.mini_map.getPlotItem().viewRange()
    assert vx0 <= x0 + 1e-6 and vx1 >= x1 - 1e-6 and vx1 - vx0 < 4 * (x1 - x0)
    assert vy0 <= y0 + 1e-6 and vy1 >= y1 - 1e-6
    panel.zoom_check.setChecked(False)  # the whole map again
    assert all(panel.mini_map.getPlotItem().getViewBox().autoRangeEnabled())


def test_undo_shortcut_and_live_answer_during_a_stroke(
    qtbot: Any, panels: tuple[DrawPanel, LatentMapPanel]
) -> None:
    panel, _ = panels
    draw(panel.canvas, SEVEN)
    exact = panel.input_image()
    QTest.keyClick(panel.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(panel.canvas.strokes()) == 1
    np.testing.assert_array_equal(panel.input_image(), sketch.digit_image(panel.canvas.strokes()))
    assert not np.array_equal(panel.input_image(), exact)
    # During a stroke the answer comes, throttled, before the release.
    canvas = panel.canvas
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(60, 150))  # fmt: skip
    with qtbot.waitSignal(panel.responded, timeout=2000):
        QTest.mouseMove(canvas, QPoint(150, 160))
        QTest.mouseMove(canvas, QPoint(160, 60))
    assert canvas.drawing
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(160, 60))  # fmt: skip
    assert len(canvas.strokes()) == 2


def test_cvae_chart_and_every_digit(panels: tuple[DrawPanel, LatentMapPanel]) -> None:
    panel, latent = panels
    panel.choose_model("cvae")
    assert panel.pages.currentWidget() is panel.cvae_page
    draw(panel.canvas, SEVEN)
    bars = panel.bar_values()
    assert bars.shape == (10,)
    assert bars.sum() == pytest.approx(1.0, abs=1e-5)
    codec = panel.slot.codec  # type: ignore[union-attr]
    image = panel.input_image()
    np.testing.assert_allclose(bars, label_posterior(codec, image[None])[0], rtol=1e-5)
    expected = every_digit(codec, image)
    np.testing.assert_allclose(panel.every_digit_images(), expected.images, rtol=1e-5)
    assert len(panel.every_view.images()) == 10
    assert not latent.drawing_point.isVisible()  # the map shows the VAE, not this model


def test_sketch_drawing_saves_and_reopens_with_identical_pixels(
    qtbot: Any, panels: tuple[DrawPanel, LatentMapPanel], tmp_path: Path
) -> None:
    panel, _ = panels
    panel.choose_model("autoencoder")
    draw(panel.canvas, SEVEN)
    image = panel.input_image()
    assert image.shape == (32, 32)
    drawing = panel.drawing()
    assert all(s.dtype == np.uint8 and s.max() <= 255 for s in drawing.strokes)
    assert max(int(s.max()) for s in drawing.strokes) == 255  # the longer side is 255
    np.testing.assert_array_equal(image, sketch.rasterize_sketch(drawing))
    saved = panel.save_drawing(tmp_path / "seven.ndjson")
    lines = saved.read_text().splitlines()
    assert len(lines) == 1 and '"word":"cat"' in lines[0]
    png = panel.save_drawing(tmp_path / "seven.png")
    with Image.open(png) as img:
        assert img.format == "PNG"
    np.testing.assert_array_equal(sketch.rasterize_sketch(sketch.open_drawing(saved)), image)
    panel.clear()
    panel.open_drawing(saved)
    np.testing.assert_array_equal(panel.input_image(), image)  # identical pixels
    panel.open_drawing(png)  # a picture: shown and read, no strokes
    assert panel.canvas.picture() is not None and panel.input_image().shape == (32, 32)


def test_autoencoder_answers_in_the_background(
    qtbot: Any, panels: tuple[DrawPanel, LatentMapPanel], session: Session
) -> None:
    panel, _ = panels
    slot = session.slot("autoencoder")
    pool = np.random.default_rng(0).random((20, 32, 32)).astype(np.float32)
    model = FakeAutoencoder()
    slot.set_model(model, Origin.LOADED, data=DataDescription("test", images=pool, count=20))
    panel.choose_model("autoencoder")
    draw(panel.canvas, SEVEN)
    qtbot.waitUntil(lambda: not panel.busy and panel.reconstruction() is not None, timeout=5000)
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    image = panel.input_image()
    np.testing.assert_allclose(panel.reconstruction(), model.reconstruct(image[None])[0])
    expected = nearest_by_code(model.encode_mean(pool), model.encode_mean(image[None])[0], 6)
    np.testing.assert_array_equal(panel.nearest(), expected)
    np.testing.assert_array_equal(panel.nearest_view.images(), pool[expected])
    # Two validation sketches' codes as the strip's ends; frames are the decoder's.
    panel.source_combo.setCurrentIndex(SOURCES.index("validation image #"))
    panel.set_end("A", index=0)
    panel.set_end("B", index=5)
    panel.strip.flush()
    qtbot.waitUntil(lambda: not panel.busy and len(panel.strip.frames()) == 8, timeout=5000)
    points = latent_path(model.encode_mean(pool[:1])[0], model.encode_mean(pool[5:6])[0], 8)
    np.testing.assert_allclose(panel.strip.frames(), model.decode(points), rtol=1e-5)


def test_draw_strip_between_two_drawings_exports(
    panels: tuple[DrawPanel, LatentMapPanel], tmp_path: Path
) -> None:
    panel, _ = panels
    draw(panel.canvas, SEVEN)
    panel.set_end("A", SOURCES.index("this drawing"))
    panel.clear()
    draw(panel.canvas, [[(50, 50), (150, 50), (150, 150), (50, 150), (50, 50)]])
    panel.set_end("B", SOURCES.index("this drawing"))
    panel.set_end("A", SOURCES.index("previous drawing"))
    panel.strip.steps_spin.setValue(6)
    panel.strip.set_method("slerp")
    panel.strip.flush()
    codec = panel.slot.codec  # type: ignore[union-attr]
    a, b = panel.strip.end("A"), panel.strip.end("B")
    assert a is not None and b is not None
    np.testing.assert_allclose(a, codec.encode_mean(sketch.digit_image(
        [pad_points(panel.canvas, s) for s in SEVEN])[None])[0], rtol=1e-5)  # fmt: skip
    points = latent_path(a, b, 6, "slerp")
    np.testing.assert_allclose(panel.strip.frames(), codec.decode(points), rtol=1e-5)
    png = panel.strip.export(tmp_path / "strip.png")
    with Image.open(png) as img:
        assert img.format == "PNG" and img.width > 5 * img.height
    panel.strip.bounce_check.setChecked(True)
    gif = panel.strip.export(tmp_path / "strip.gif")
    with Image.open(gif) as img:
        assert img.format == "GIF" and img.n_frames == 2 * 6 - 2


def test_latent_map_shift_click_sets_ends_and_strip_follows(
    panels: tuple[DrawPanel, LatentMapPanel], latent: LatentMapPanel
) -> None:
    picked: list[tuple[str, np.ndarray]] = []
    latent.end_picked.connect(lambda w, z: picked.append((w, z)))

    class Click:
        def __init__(self, modifiers: Qt.KeyboardModifier) -> None:
            self._mod = modifiers

        def button(self) -> Qt.MouseButton:
            return Qt.MouseButton.LeftButton

        def modifiers(self) -> Qt.KeyboardModifier:
            return self._mod

        def scenePos(self) -> Any:
            return latent.view_box.mapViewToScene(pg_point(-1.0, 0.5))

        def accept(self) -> None:
            pass

    from pyqtgraph import Point as pg_point

    latent.view_box.mouseClickEvent(Click(Qt.KeyboardModifier.ShiftModifier))
    assert [w for w, _ in picked] == ["A"]
    np.testing.assert_allclose(picked[0][1], [-1.0, 0.5], atol=1e-4)
    latent.pick_end(1.0, -0.5)
    assert [w for w, _ in picked] == ["A", "B"]
    assert latent.strip.isVisibleTo(latent)
    latent.strip.flush()
    codec = latent.codec()
    points = latent_path(picked[0][1], np.array([1.0, -0.5]), latent.strip.steps())
    np.testing.assert_allclose(latent.strip.frames(), codec.decode(points), rtol=1e-5)
    # A plain click still probes (no end).
    latent.view_box.mouseClickEvent(Click(Qt.KeyboardModifier.NoModifier))
    assert len(picked) == 2
    # Live: moving end A redraws the strip.
    latent.pick_end(0.0, 0.0, which="A")
    latent.strip.flush()
    points = latent_path(np.zeros(2), np.array([1.0, -0.5]), latent.strip.steps())
    np.testing.assert_allclose(latent.strip.frames(), codec.decode(points), rtol=1e-5)
    # The drawing's "Latent map" source copies both ends into the Draw tab's strip.
    panel = panels[0]
    panel.set_end("A", SOURCES.index("Latent map: its A and B"))
    np.testing.assert_allclose(panel.strip.end("B"), [1.0, -0.5])


def test_strip_alone(qtbot: Any) -> None:
    strip = InterpolationStrip()
    qtbot.addWidget(strip)
    codec = MLPCodec.random(latent=3, hidden=8, seed=3)
    strip.set_decoder(codec)
    assert not strip.png_button.isEnabled()
    strip.set_ends(np.zeros(3), np.ones(3))
    strip.steps_spin.setValue(4)
    strip.flush()
    assert strip.frames().shape == (4, 28, 28)
    assert strip.png_button.isEnabled()
    with pytest.raises(ValueError, match="A and B"):
        strip.set_end("C", np.zeros(3))
    # A decoder that runs in a worker (as a Keras model does): while one path decodes, the
    # ends move twice; the strip shows the last path's frames, never an older one's.
    slow = WorkerCodec(codec)
    strip.set_decoder(slow)
    strip.flush()
    strip.set_end("B", np.full(3, 3.0))
    strip.flush()
    strip.set_end("B", np.full(3, 2.0))
    strip.flush()
    qtbot.waitUntil(lambda: not strip.busy, timeout=5000)
    np.testing.assert_allclose(
        strip.frames(), codec.decode(latent_path(np.zeros(3), np.full(3, 2.0), 4))
    )
    assert slow.calls <= 3  # the middle request may be skipped, none is queued twice


def test_projector_export_runs_in_the_background(
    qtbot: Any, tmp_path: Path, session: Session
) -> None:
    from explorer.draw_actions import ProjectorExport
    from models.inference.projector import FILES

    class FakeTrained(FakeAutoencoder):
        config = SimpleNamespace(spec=get_kind("autoencoder"))

        def fit_data(self, data: Dataset) -> Dataset:
            return data

    model = FakeTrained()
    slot = session.slot("autoencoder")
    slot.set_model(model, Origin.LOADED)
    images = np.random.default_rng(1).random((12, 32, 32)).astype(np.float32)
    data = Dataset(images, None, "test sketches", "quickdraw:cat")
    messages: list[str] = []
    window = SimpleNamespace(
        controller=SimpleNamespace(last_outcome=SimpleNamespace(model=model, val_data=data)),
        show_status=lambda text, ms=0: messages.append(text),
        report_error=lambda title, text: messages.append("error: " + text),
    )
    export = ProjectorExport(None)
    export.window = window
    task = export.start(slot, tmp_path / "codes")
    assert task is not None and export.running
    qtbot.waitUntil(lambda: not export.running, timeout=10_000)
    assert task.finished_work.wait(5)
    written = sorted(p.name for p in (tmp_path / "codes").iterdir())
    assert written == sorted([*FILES, "manifest.json"])  # committed as one set (runfolder)
    assert len((tmp_path / "codes" / "codes.tsv").read_text().splitlines()) == 12
    assert "Wrote 5 files" in messages[-1]
    session.slot("vae").set_training(True)
    assert export.start(session.slot("vae"), tmp_path / "x") is None
    assert "training" in messages[-1]


def test_window_has_the_draw_tab_and_file_actions(qtbot: Any) -> None:
    from explorer.main_window import MainWindow

    w = MainWindow(load_tensorflow=False, load_shipped=False)
    qtbot.addWidget(w)
    titles = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    assert "Draw" in titles
    assert w.open_drawing_action.shortcut().toString() == "Ctrl+Shift+O"
    assert w.save_drawing_action.shortcut().toString() == "Ctrl+Shift+S"
    assert "Projector" in w.projector_action.text()
    w.tabs.setCurrentWidget(w.draw)
    assert w.current_slot() is w.draw.slot


def test_shift_drag_moves_the_nearest_end_live(latent: LatentMapPanel) -> None:
    latent.pick_end(-1.0, 0.0)
    latent.pick_end(1.0, 0.0)
    latent.drag_end(0.9, 0.1, 0.5, 0.5)  # begun near B: B moves, A stays
    latent.drag_end(0.9, 0.1, 0.2, 0.4)
    latent.strip.flush()
    np.testing.assert_allclose(latent.strip.end("A"), [-1.0, 0.0])
    np.testing.assert_allclose(latent.strip.end("B"), [0.2, 0.4])
    points = latent_path(np.array([-1.0, 0.0]), np.array([0.2, 0.4]), latent.strip.steps())
    np.testing.assert_allclose(latent.strip.frames(), latent.codec().decode(points), rtol=1e-5)
    # One dot per frame, over a white halo.
    for item in (latent.overlays.ends_path, latent.overlays.ends_halo):
        px, py = item.getData()
        np.testing.assert_allclose(np.stack([px, py], axis=1), points, rtol=1e-5)
        assert item.isVisible()


def test_ends_from_validation_points_and_the_cats_tab(
    qtbot: Any, panels: tuple[DrawPanel, LatentMapPanel], session: Session
) -> None:
    from explorer.session import Points

    panel, _ = panels
    panel.choose_model("cvae")
    slot = session.slot("cvae")
    z = np.random.default_rng(0).normal(size=(30, 2)).astype(np.float32)
    slot.set_points(Points(z, np.arange(30) % 10))
    panel.source_combo.setCurrentIndex(SOURCES.index("validation image #"))
    assert panel.index_spin.maximum() == 29
    panel.set_end("A", index=3)
    panel.set_end("B", index=12)
    panel.strip.flush()
    eye = np.eye(10, dtype=np.float32)
    t = np.linspace(0, 1, 8, dtype=np.float32)[:, None]
    labels = (1 - t) * eye[3] + t * eye[2]  # each end decoded with its own digit
    expected = slot.codec.decode(latent_path(z[3], z[12], 8), labels)
    np.testing.assert_allclose(panel.strip.frames(), expected, rtol=1e-5)
    # The autoencoder's ends from the pairs selected on the Cats tab.
    model = FakeAutoencoder()
    ae = session.slot("autoencoder")
    ae.set_model(model, Origin.LOADED)
    pool = np.random.default_rng(2).random((4, 32, 32)).astype(np.float32)
    chosen = {"i": 1}
    panel.pair_source = lambda: ("autoencoder", pool[chosen["i"]])
    panel.choose_model("autoencoder")
    panel.set_end("A", SOURCES.index("Cats tab: selected pair"))
    chosen["i"] = 3
    panel.set_end("B", SOURCES.index("Cats tab: selected pair"))
    np.testing.assert_allclose(panel.strip.end("A"), model.encode_mean(pool[1:2])[0])
    np.testing.assert_allclose(panel.strip.end("B"), model.encode_mean(pool[3:4])[0])
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)


def test_canvas_takes_touch_and_pen(qtbot: Any) -> None:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QPointingDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication

    canvas = shown_canvas(qtbot)
    touch = QTest.createTouchDevice()
    QTest.touchEvent(canvas, touch).press(0, QPoint(50, 50)).commit()
    QTest.touchEvent(canvas, touch).move(0, QPoint(120, 90)).commit()
    QTest.touchEvent(canvas, touch).release(0, QPoint(200, 200)).commit()
    assert len(canvas.strokes()) == 1
    got, want = canvas.strokes()[0], pad_points(canvas, [(50, 50), (120, 90), (200, 200)])
    # Offscreen touch points may carry the window frame's offset: the shape must match.
    np.testing.assert_allclose(np.diff(got, axis=1), np.diff(want, axis=1), atol=1e-6)
    np.testing.assert_allclose(got, want, atol=15.0)

    def pen(kind: QEvent.Type, x: float, y: float) -> None:
        pos = QPointF(x, y)
        event = QTabletEvent(kind, QPointingDevice.primaryPointingDevice(), pos,
                             canvas.mapToGlobal(pos), 0.5, 0.0, 0.0, 0.0, 0.0, 0.0,
                             Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
                             Qt.MouseButton.LeftButton)  # fmt: skip
        QApplication.sendEvent(canvas, event)

    pen(QEvent.Type.TabletPress, 60, 200)
    pen(QEvent.Type.TabletMove, 100, 150)
    pen(QEvent.Type.TabletRelease, 160, 100)
    assert len(canvas.strokes()) == 2
    np.testing.assert_allclose(
        canvas.strokes()[1], pad_points(canvas, [(60, 200), (100, 150), (160, 100)])
    )
