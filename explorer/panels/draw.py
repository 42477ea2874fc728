"""The "Draw" tab: draw a sketch or a digit and see what the model makes of it.

The pad's strokes become the model's input by the engine's own code
(:mod:`models.data.sketch`): the simplified Quick Draw form rasterized like the training
data for sketch models, an MNIST-style 28×28 image for the digit models; the tab shows that
input. While the pen moves the answer is throttled (and cheaper); after each stroke it is
exact:

- autoencoder: the reconstruction and the validation sketches with the nearest codes (the
  Keras model runs in a background task, never on the GUI thread);
- VAE: the reconstruction, and the drawing's z_mean with its 1σ/2σ ellipse on the Latent
  map tab ("your drawing");
- CVAE: "Which digit is this?" (p(label | drawing)) and the drawing written as every digit.

The VAEs answer from their NumPy codec. Which of these a model gets is read from its kind
spec (``pad_input``, ``numpy_codec``, ``conditional``), never from its name.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
import shiboken6
from PIL import Image
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qthrottled

from explorer.session import Session, Slot
from explorer.widgets.imaging import ImageGrid, font, save_widget_png
from explorer.widgets.interpolation_strip import InterpolationStrip
from explorer.widgets.sketch_canvas import SketchCanvas
from explorer.workers import TaskWorker
from models.data import sketch
from models.data.formats import Drawing
from models.errors import ExplorerError
from models.inference.classify import IW_SAMPLES
from models.inference.pad import encode_stats, every_digit, nearest_by_code
from models.nets.kinds import DEFAULT_KIND

log = logging.getLogger(__name__)

LIVE_THROTTLE_MS = 80
"""While the pen moves, the model answers at most this often."""
PAIR_MAX = 250
"""The input and reconstruction stay this small, leaving room for the model's answer."""
LIVE_SAMPLES = 4
"""Importance samples for the CVAE's chart while the pen moves (exact after the stroke)."""
NEAREST = 6
"""Validation sketches shown by nearest code."""
DRAWING_FILTER = "Quick Draw drawing (*.ndjson);;Picture (*.png)"
OPEN_FILTER = "Drawings (*.ndjson *.png);;All files (*)"
SOURCES = ("this drawing", "previous drawing", "validation image #", "Cats tab: selected pair",
           "Latent map: its A and B")  # fmt: skip
WAIT_MODEL = "The {what} answers once its model has loaded (TensorFlow is loading)."
WAIT_TRAINING = "The {what} answers after training (the model is busy learning)."


def fit_picture(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """An opened picture (ink 1.0) resized to the model's input (box filter)."""
    h, w = shape
    a = np.clip(np.asarray(image, np.float32), 0.0, 1.0)
    if a.shape == (h, w):
        return a
    img = Image.fromarray((a * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BOX)
    return np.asarray(img, np.float32) / 255.0


class DrawPanel(QWidget):
    """A sketch pad with the chosen model's live answer and an interpolation strip."""

    responded = Signal()
    """The model's answer to the current drawing is shown (exact or live)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self.latent: Any = None
        self.cats: Any = None
        self._slots: list[Slot] = []
        self._input = np.zeros((0, 0), np.float32)
        self._previous: np.ndarray | None = None
        self._previous_strokes: list[np.ndarray] = []
        self._posterior: np.ndarray | None = None
        self._every: np.ndarray | None = None
        self._recon: np.ndarray | None = None
        self._z: tuple[np.ndarray, np.ndarray] | None = None
        self._code: np.ndarray | None = None
        self._nearest = np.zeros(0, np.int64)
        self._val_codes: tuple[int, int, np.ndarray] | None = None
        self._task: TaskWorker | None = None
        self._strip_task: TaskWorker | None = None
        self._strip_next: np.ndarray | None = None
        self._pending = False
        self._request = 0
        self.last_response_ms = 0.0
        self._seen: tuple[Any, ...] = ()
        self._opened: Drawing | None = None
        self._dirty = False

        # -- the pad -------------------------------------------------------------------------
        self.canvas = SketchCanvas(self)
        self.model_combo = QComboBox()
        self.model_combo.setToolTip("The model that reads your drawing")
        self.word_edit = QLineEdit("drawing")
        self.word_edit.setToolTip("The word saved with the drawing (Quick Draw's category)")
        self.word_edit.setMaximumWidth(140)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Remove the last stroke (Ctrl+Z)")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Start a new drawing (Delete)")
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Open a saved drawing (.ndjson) or a picture (.png)")
        self.save_button = QPushButton("Save…")
        self.save_button.setToolTip("Save the drawing as a simplified .ndjson or a .png")
        top = QHBoxLayout()
        top.addWidget(QLabel("Model"))
        top.addWidget(self.model_combo, 1)
        top.addWidget(QLabel("Word"))
        top.addWidget(self.word_edit)
        for b in (self.undo_button, self.clear_button, self.open_button, self.save_button):
            top.addWidget(b)
        self.input_view = ImageGrid(1, 1, title="What the model sees", square=True,
                                    caption_pt=11, title_pt=12)  # fmt: skip
        self.input_view.setMinimumSize(130, 130)
        self.recon_view = ImageGrid(1, 1, title="Reconstruction", square=True,
                                    caption_pt=11, title_pt=12)  # fmt: skip
        self.recon_view.setMinimumSize(130, 130)
        for view in (self.input_view, self.recon_view):
            view.setMaximumSize(PAIR_MAX, PAIR_MAX + 40)
        pair = QVBoxLayout()
        pair.addWidget(self.input_view)
        pair.addWidget(self.recon_view)
        pair.addStretch(1)
        self.info_label = QLabel("")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- per kind: the nearest sketches, the map note, the CVAE's chart and digits -------
        self.nearest_view = ImageGrid(None, None, title="Nearest validation sketches by code",
                                      caption_pt=10, title_pt=12)  # fmt: skip
        self.map_note = QLabel("")
        self.map_note.setWordWrap(True)
        self.map_note.setFont(font(10))  # a side note: the mini map keeps its room when zoomed
        self.chart = pg.PlotWidget(background="w")
        self.chart.setMenuEnabled(False)
        self.chart.setMouseEnabled(x=False, y=False)
        self.chart.setTitle(
            "Which digit is this?  p(label | drawing)", color="#1d1f23", size="12pt"
        )
        self.chart.setYRange(0.0, 1.0, padding=0.02)
        self.chart.setXRange(-0.6, 9.6, padding=0)
        axis = self.chart.getPlotItem().getAxis("bottom")
        axis.setTicks([[(d, str(d)) for d in range(10)]])
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7,
                                    brush=pg.mkBrush("#0072B2"))  # fmt: skip
        self.chart.addItem(self.bars)
        self.chart.setMinimumHeight(130)  # the Draw tab fits 720 px at 200% zoom
        self.every_view = ImageGrid(1, 10, title="Your drawing as every digit (its own style)",
                                    caption_pt=10, title_pt=12)  # fmt: skip
        self.every_view.setMinimumHeight(90)
        ae_page = QWidget()
        QVBoxLayout(ae_page).addWidget(self.nearest_view)
        self._build_mini_map()
        vae_page = QWidget()
        vae_layout = QVBoxLayout(vae_page)
        vae_layout.addWidget(self.mini_map, 1)
        vae_layout.addWidget(self.zoom_check)
        vae_layout.addWidget(self.map_note)
        cvae_page = QWidget()
        cvae_layout = QVBoxLayout(cvae_page)
        cvae_layout.setContentsMargins(0, 0, 0, 0)
        cvae_layout.addWidget(self.chart, 3)
        cvae_layout.addWidget(self.every_view, 2)
        for page in (ae_page, vae_page):
            page.layout().setContentsMargins(0, 0, 0, 0)  # type: ignore[union-attr]
        self.pages = QStackedWidget()
        self.ae_page, self.vae_page, self.cvae_page = ae_page, vae_page, cvae_page
        for page in (ae_page, vae_page, cvae_page):
            self.pages.addWidget(page)

        answer = QVBoxLayout()
        answer.addWidget(self.info_label)
        answer.addWidget(self.pages, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.canvas, 5)
        middle.addLayout(pair, 0)
        middle.addLayout(answer, 5)

        # -- interpolation -------------------------------------------------------------------
        self.strip = InterpolationStrip(self, hint="Set ends A and B below to walk between them.")
        self.source_combo = QComboBox()
        self.source_combo.addItems(list(SOURCES))
        self.source_combo.setToolTip("Where the next end comes from")
        self.index_spin = QSpinBox()
        self.index_spin.setRange(0, 0)
        self.index_spin.setPrefix("#")
        self.index_spin.setToolTip("Which validation image")
        self.set_a_button = QPushButton("Set A")
        self.set_b_button = QPushButton("Set B")
        self.follow_check = QCheckBox("B follows the pen")
        self.follow_check.setToolTip("End B is always the drawing on the pad (updated live)")
        ends = QHBoxLayout()
        ends.addWidget(QLabel("Ends from"))
        ends.addWidget(self.source_combo)
        ends.addWidget(self.index_spin)
        ends.addWidget(self.set_a_button)
        ends.addWidget(self.set_b_button)
        ends.addWidget(self.follow_check)
        ends.addStretch(1)
        strip_box = QGroupBox()
        strip_layout = QVBoxLayout(strip_box)
        strip_layout.setContentsMargins(6, 2, 6, 4)
        strip_layout.addWidget(self.strip, 1)
        strip_layout.addLayout(ends)
        strip_box.setMaximumHeight(230)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(strip_box)
        self.info_label.setFont(font(12))

        self._live = qthrottled(self._respond_live, timeout=LIVE_THROTTLE_MS)
        self.canvas.stroke_moved.connect(self._live)
        self.canvas.changed.connect(self.update_response)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button.clicked.connect(self.clear)
        self.open_button.clicked.connect(self.choose_open)
        self.save_button.clicked.connect(self.choose_save)
        self.model_combo.currentIndexChanged.connect(self._on_model)
        self.source_combo.currentIndexChanged.connect(self._on_source)
        self.set_a_button.clicked.connect(self._set_a)
        self.set_b_button.clicked.connect(self._set_b)
        self.follow_check.toggled.connect(self._on_follow)
        for keys, slot in (
            (QKeySequence.StandardKey.Undo, self.canvas.undo),
            (QKeySequence(Qt.Key.Key_Delete), self.clear),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._on_source()

    # -- wiring ------------------------------------------------------------------------------
    def attach(self, session: Session, latent: Any = None, cats: Any = None) -> None:
        """Offer the session's models; show drawings on ``latent``, take pairs from ``cats``."""
        self.session, self.latent, self.cats = session, latent, cats
        self._slots = list(session)
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for slot in self._slots:
            self.model_combo.addItem(slot.spec.display_name)
            slot.changed.connect(self._on_slot_changed)
        default = next((i for i, s in enumerate(self._slots) if s.kind == DEFAULT_KIND), 0)
        self.model_combo.setCurrentIndex(default)
        self.model_combo.blockSignals(False)
        self._on_model()

    @property
    def slot(self) -> Slot | None:
        """The slot of the chosen model (the window's status bar reads it)."""
        i = self.model_combo.currentIndex()
        return self._slots[i] if 0 <= i < len(self._slots) else None

    def choose_model(self, kind: str) -> None:
        """Choose the model of kind ``kind`` (its registry name)."""
        for i, slot in enumerate(self._slots):
            if slot.kind == kind:
                self.model_combo.setCurrentIndex(i)
                return
        raise ValueError(f"no {kind!r} model here")

    def _on_model(self) -> None:
        slot = self.slot
        if slot is None:
            return
        spec = slot.spec
        self._val_codes = None
        self._seen = self._state()
        # The word saved with a drawing: the category of the kind's data ("quickdraw:cat").
        word = spec.default_data.rpartition(":")[2] if spec.pad_input == "sketch" else "digit"
        self.word_edit.setText(word or "drawing")
        if spec.conditional:
            self.pages.setCurrentWidget(self.cvae_page)
        elif spec.numpy_codec:
            self.pages.setCurrentWidget(self.vae_page)
        else:
            self.pages.setCurrentWidget(self.ae_page)
        self._show_map_drawing(None)
        self.strip.clear_ends()
        self.strip.set_decoder(self._strip_decoder())
        self._on_source()
        self.update_response()

    def _state(self) -> tuple[Any, ...]:
        slot = self.slot
        if slot is None:
            return ()
        return (id(slot), id(slot.model), id(slot.codec), id(slot.data), slot.training)

    def _on_slot_changed(self) -> None:
        """Some slot changed (psygnal names no sender): redo what the chosen one changed."""
        if not shiboken6.isValid(self) or self._state() == self._seen:
            return
        self._seen = self._state()
        self.strip.set_decoder(self._strip_decoder())
        self._on_source()
        if self.isVisible():
            self.update_response()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._dirty = False
            self.update_response()

    # -- the drawing -------------------------------------------------------------------------
    def clear(self) -> None:
        """Keep the drawing as "previous drawing", then empty the pad."""
        if not self.canvas.is_empty() and self._input.size:
            self._previous = self._input.copy()
            self._previous_strokes = self.canvas.finished_strokes()
        self.canvas.clear()

    def drawing(self) -> Drawing:
        """The pad's strokes in the simplified Quick Draw form, with the word (an opened
        drawing, untouched since, is itself: simplifying it again could move a point)."""
        opened = self._opened
        if opened is not None and self.canvas.unchanged_since_set():
            return dataclasses.replace(opened, word=self.word_edit.text() or opened.word)
        return sketch.make_drawing(
            self.canvas.finished_strokes(), self.word_edit.text() or "drawing"
        )

    def model_input(self, strokes: list[np.ndarray] | None = None) -> np.ndarray:
        """The image the chosen model sees for the pad's strokes (or an opened picture)."""
        slot = self.slot
        if slot is None:
            return np.zeros((0, 0), np.float32)
        spec = slot.spec
        shape = self._input_shape(slot)
        picture = self.canvas.picture()
        if picture is not None:
            return fit_picture(picture, shape)
        strokes = self.canvas.strokes() if strokes is None else strokes
        if spec.pad_input == "sketch":
            if self._opened is not None and self.canvas.unchanged_since_set():
                drawing = self._opened
            else:
                drawing = sketch.make_drawing(strokes, key_id=0)
            image = sketch.rasterize_sketch(drawing, size=shape[0])
        else:
            image = sketch.digit_image(strokes)
            if image.shape != shape:
                image = spec.fit_images(image[None])[0] if spec.input_size else image
        return np.asarray(image, np.float32)

    def _input_shape(self, slot: Slot) -> tuple[int, int]:
        if slot.codec is not None:
            return tuple(slot.codec.image_shape)  # type: ignore[return-value]
        if slot.model is not None:
            return tuple(slot.model.image_shape)  # type: ignore[no-any-return]
        size = slot.spec.input_size or sketch.MNIST_SIZE
        return (size, size)

    # -- the model's answer ------------------------------------------------------------------
    def _respond_live(self) -> None:
        if self.canvas.drawing:
            self.respond(exact=False)

    def update_response(self) -> None:
        """The exact answer now (after a stroke, undo, clear, open, or a new model)."""
        self._live.cancel()
        self.respond(exact=True)

    def respond(self, exact: bool = True) -> None:
        slot = self.slot
        if slot is None:
            return
        t0 = time.perf_counter()
        image = self.model_input()
        self._input = image
        self.input_view.set_images([image], [f"{image.shape[1]}×{image.shape[0]}"])
        empty = not float(image.sum()) > 0
        spec = slot.spec
        if empty:
            self._clear_answer("Draw something: the model answers as you draw.")
        elif spec.numpy_codec:
            self._respond_codec(slot, image, exact)
        else:
            self._respond_model(slot, image)
        self.last_response_ms = (time.perf_counter() - t0) * 1000.0
        if self.follow_check.isChecked() and not empty:
            self._set_end_from_drawing("B")
        self.responded.emit()

    def _clear_answer(self, text: str) -> None:
        self._posterior = self._every = self._recon = self._code = None
        self._z = None
        self._nearest = np.zeros(0, np.int64)
        self.recon_view.clear("")
        self.nearest_view.clear("")
        self.every_view.clear("")
        self.bars.setOpts(height=np.zeros(10))
        self.info_label.setText(text)
        self._show_map_drawing(None)

    def _respond_codec(self, slot: Slot, image: np.ndarray, exact: bool) -> None:
        codec = slot.codec
        if codec is None:
            self._clear_answer(f"No {slot.spec.short_name} yet: train one or load weights.")
            return
        if tuple(codec.image_shape) != image.shape:
            self._clear_answer(f"This model takes {codec.image_shape} images.")
            return
        if codec.conditional:
            result = every_digit(codec, image, IW_SAMPLES if exact else LIVE_SAMPLES)
            self._posterior = result.posterior
            self._every = result.images
            self.bars.setOpts(height=result.posterior)
            self.every_view.set_images(result.images, [str(d) for d in range(len(result.images))])
            label = np.eye(codec.num_classes, dtype=np.float32)[result.best]
            mean, log_var = encode_stats(codec, image[None], label[None])
            self._z = (mean[0], log_var[0])
            self._recon = codec.decode(mean, label)[0]
            p = float(result.posterior[result.best])
            self.info_label.setText(f"Most likely a {result.best} (p = {p:.2f}).")
        else:
            mean, log_var = encode_stats(codec, image[None])
            self._z = (mean[0], log_var[0])
            self._recon = codec.decode(mean)[0]
            sd = np.exp(0.5 * log_var[0])
            zs = ", ".join(f"{v:+.2f}" for v in mean[0][:4])
            ss = ", ".join(f"{v:.2f}" for v in sd[:4])
            self.info_label.setText(f"z_mean = ({zs}{', …' if len(sd) > 4 else ''})   "
                                    f"σ = ({ss}{', …' if len(sd) > 4 else ''})")  # fmt: skip
            self._show_map_drawing(self._z)
        self.recon_view.set_images([self._recon])

    def _build_mini_map(self) -> None:
        """A small copy of the latent map (the points, no decoded grid) where the drawing
        lands while you draw; the Latent map tab shows it too."""
        from explorer.panels.latent_map import DIGIT_COLORS, DRAWING_COLOR

        self.mini_map = pg.PlotWidget(background="w")
        self.mini_map.setMenuEnabled(False)
        self.mini_map.setAspectLocked(True)
        self.mini_map.setMinimumHeight(110)  # its note below keeps its lines at 200% zoom
        self.mini_map.setTitle("Where your drawing lands (1σ and 2σ)", color="#1d1f23", size="12pt")
        self._mini_brushes = [pg.mkBrush(c) for c in DIGIT_COLORS]
        self.mini_points = pg.ScatterPlotItem(size=4, pen=None)
        self.mini_map.addItem(self.mini_points)
        pens = (pg.mkPen(DRAWING_COLOR, width=3),
                pg.mkPen(DRAWING_COLOR, width=2, style=Qt.PenStyle.DashLine))  # fmt: skip
        self.mini_ellipses = tuple(pg.PlotCurveItem(pen=pen) for pen in pens)
        self.mini_point = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(DRAWING_COLOR),
                                             pen=pg.mkPen("#ffffff", width=1))  # fmt: skip
        for item in (*self.mini_ellipses, self.mini_point):
            item.setZValue(10)
            self.mini_map.addItem(item)
        self._mini_for: Any = None
        # A trained VAE is sure of a clear drawing: its σ is often 0.05 on a map 8 wide, so
        # the ellipses hide under the dot. Zooming in shows their size among the neighbours.
        self.zoom_check = QCheckBox("Zoom to the drawing (see its ellipses)")
        self.zoom_check.setToolTip(
            "Show the few units around your drawing, where the 1σ and 2σ ellipses of "
            "q(z | drawing) are visible; off: the whole map"
        )
        self.zoom_check.toggled.connect(lambda _on: self._frame_mini_map())

    def _map_dims(self) -> tuple[int, int]:
        latent, slot = self.latent, self.slot
        if latent is not None and slot is not None and getattr(latent, "slot", None) is slot:
            dx, dy = latent.dims()
            if dx != dy:
                return int(dx), int(dy)
        return 0, 1

    def _update_mini_map(self, z: tuple[np.ndarray, np.ndarray] | None) -> None:
        from models.inference.pad import sigma_ellipse

        slot = self.slot
        dims = self._map_dims()
        points = None if slot is None else slot.points
        key = (id(points), dims)
        if key != self._mini_for:
            self._mini_for = key
            if points is not None and points.z.ndim == 2 and points.z.shape[1] > max(dims):
                zz = points.z[:2000]
                brush: Any = pg.mkBrush("#8a9099")
                if points.labels is not None and len(points.labels) >= len(zz):
                    lab = np.asarray(points.labels[: len(zz)], np.int64) % 10
                    brush = [self._mini_brushes[d] for d in lab]
                self.mini_points.setData(x=zz[:, dims[0]], y=zz[:, dims[1]], brush=brush)
            else:
                self.mini_points.setData(x=[], y=[])
        if z is None or len(z[0]) <= max(dims):
            for item in (*self.mini_ellipses, self.mini_point):
                item.setVisible(False)
            return
        for k, item in enumerate(self.mini_ellipses, start=1):
            x, y = sigma_ellipse(z[0], z[1], k=float(k), dims=dims)
            item.setData(x, y)
            item.setVisible(True)
        self.mini_point.setData([float(z[0][dims[0]])], [float(z[0][dims[1]])])
        self.mini_point.setVisible(True)
        self._frame_mini_map()

    def zoom_range(self) -> tuple[float, float, float, float] | None:
        """(x0, x1, y0, y1) around the drawing: three times its 2σ ellipse, at least ±0.25;
        None when there is no drawing to zoom to."""
        z = self._z
        dims = self._map_dims()
        if z is None or len(z[0]) <= max(dims):
            return None
        mean, sd = np.asarray(z[0], float), np.exp(0.5 * np.asarray(z[1], float))
        half = max(0.25, 3 * 2 * float(max(sd[dims[0]], sd[dims[1]])))
        cx, cy = float(mean[dims[0]]), float(mean[dims[1]])
        return cx - half, cx + half, cy - half, cy + half

    def _frame_mini_map(self) -> None:
        box = self.zoom_range() if self.zoom_check.isChecked() else None
        if box is None:
            self.mini_map.enableAutoRange()
        else:
            self.mini_map.setRange(xRange=box[:2], yRange=box[2:], padding=0)

    def _show_map_drawing(self, z: tuple[np.ndarray, np.ndarray] | None) -> None:
        self._update_mini_map(z)
        latent, slot = self.latent, self.slot
        if latent is None:
            return
        ours = slot is not None and getattr(latent, "slot", None) is slot
        if z is None or not ours:
            latent.clear_drawing()
            self.map_note.setText(
                "Your drawing is marked on the Latent map tab, with its 1σ and 2σ ellipse."
                if ours
                else ""
            )
            return
        latent.show_drawing(*z)
        self.map_note.setText(
            'Your drawing is marked on the Latent map tab ("your drawing"), with the 1σ and '
            "2σ ellipses of q(z | drawing)."
        )

    # -- the autoencoder: the Keras model answers in a background task ------------------------
    def _respond_model(self, slot: Slot, image: np.ndarray) -> None:
        what = slot.spec.short_name
        if slot.model is None or not slot.live:
            text = WAIT_TRAINING if slot.training else WAIT_MODEL
            self._clear_answer(text.format(what=what))
            return
        if self._task is not None:
            self._pending = True  # answered when the running task is done
            return
        self._pending = False
        self._request += 1
        model = slot.model
        pool = slot.data.images if slot.data is not None else None
        cached = self._val_codes
        need_codes = pool is not None and (
            cached is None or cached[0] != id(model) or cached[1] != id(pool)
        )
        task_image = image.copy()

        def work() -> tuple[Any, ...]:
            recon = np.asarray(model.reconstruct(task_image[None]), np.float32)[0]
            code = np.asarray(model.encode_mean(task_image[None]), np.float32)[0]
            codes = None
            if need_codes and pool is not None:
                codes = np.asarray(model.encode_mean(pool), np.float32)
            return recon, code, codes

        task = TaskWorker(("draw", self._request, id(model), id(pool)), work)
        task.task_done.connect(self._on_task_done)
        task.task_failed.connect(self._on_task_failed)
        self._task = task
        task.start()

    def _on_task_done(self, tag: tuple[Any, ...], result: tuple[Any, ...]) -> None:
        self._task = None
        recon, code, codes = result
        if codes is not None:
            self._val_codes = (tag[2], tag[3], codes)
        slot = self.slot
        if slot is not None and slot.model is not None and id(slot.model) == tag[2]:
            self._recon, self._code = recon, code
            self.recon_view.set_images([recon])
            self._show_nearest(slot)
            self.info_label.setText(f"Code: {code.size} numbers (the bottleneck).")
            if self.follow_check.isChecked():
                self._set_end_from_drawing("B")
            self.responded.emit()
        if self._pending:
            self.respond(exact=True)

    def _on_task_failed(self, _tag: object, message: str) -> None:
        self._task = None
        self.info_label.setText(f"The model could not read the drawing: {message}")
        if self._pending:
            self.respond(exact=True)

    def _show_nearest(self, slot: Slot) -> None:
        cached, pool = self._val_codes, slot.data.images if slot.data is not None else None
        if cached is None or pool is None or self._code is None or cached[1] != id(pool):
            self.nearest_view.clear("No validation sketches to compare with.")
            return
        self._nearest = nearest_by_code(cached[2], self._code, NEAREST)
        self.nearest_view.set_images(pool[self._nearest], [f"#{i}" for i in self._nearest])

    @property
    def busy(self) -> bool:
        """A background answer (or strip) is still being computed."""
        return self._task is not None or self._strip_task is not None

    # -- what tests and the window read -------------------------------------------------------
    def input_image(self) -> np.ndarray:
        return self._input.copy()

    def posterior(self) -> np.ndarray | None:
        return None if self._posterior is None else self._posterior.copy()

    def bar_values(self) -> np.ndarray:
        return np.asarray(self.bars.opts["height"], np.float64)

    def every_digit_images(self) -> np.ndarray | None:
        return None if self._every is None else self._every.copy()

    def reconstruction(self) -> np.ndarray | None:
        return None if self._recon is None else self._recon.copy()

    def latent_point(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(z_mean, z_log_var) of the drawing (VAEs), or None."""
        return self._z

    def nearest(self) -> np.ndarray:
        return self._nearest.copy()

    def export_png(self, path: str | Path) -> Path:
        self._live.flush()
        return save_widget_png(self, path)

    # -- files ---------------------------------------------------------------------------------
    def save_drawing(self, path: str | Path) -> Path:
        """Save as one-line simplified ``.ndjson`` (with the word) or as ``.png``, by suffix."""
        path = Path(path)
        if not self.canvas.finished_strokes():
            raise ExplorerError(
                f"{path}: there is no drawing to save (an opened picture has no strokes)"
            )
        drawing = self.drawing()
        if path.suffix.lower() == ".png":
            return sketch.save_png(drawing, path)
        if path.suffix.lower() != ".ndjson":
            path = path.with_suffix(".ndjson")
        return sketch.save_ndjson(drawing, path)

    def open_drawing(self, path: str | Path) -> None:
        """Open a saved ``.ndjson`` drawing (its strokes) or a ``.png`` picture."""
        path = Path(path)
        previous = self._input.copy() if self._input.size and float(self._input.sum()) else None
        if path.suffix.lower() == ".png":
            picture = sketch.open_png(path)
            self.canvas.set_picture(picture)
        else:
            drawing = sketch.open_drawing(path)
            if drawing.word:
                self.word_edit.setText(drawing.word)
            self._opened = drawing
            self.canvas.set_strokes(drawing.strokes)
        if previous is not None:
            self._previous = previous

    def choose_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the drawing", f"{self.word_edit.text() or 'drawing'}.ndjson", DRAWING_FILTER
        )
        if path:
            self._try(lambda: self.save_drawing(path), "Could not save the drawing")

    def choose_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a drawing", "", OPEN_FILTER)
        if path:
            self._try(lambda: self.open_drawing(path), "Could not open the drawing")

    def _try(self, fn: Any, title: str) -> None:
        from explorer.widgets.common import show_error

        try:
            fn()
        except (ExplorerError, OSError, ValueError) as exc:
            show_error(self, title, str(exc))

    # -- interpolation -------------------------------------------------------------------------
    def _strip_decoder(self) -> Any:
        slot = self.slot
        if slot is None:
            return None
        if slot.spec.numpy_codec:
            return self._decode_codec if slot.codec is not None else None
        return self._decode_model if slot.live else None

    def _decode_codec(self, points: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
        slot = self.slot
        codec = None if slot is None else slot.codec
        if codec is None:
            raise ValueError("no model to decode with")
        if codec.conditional and labels is None:
            labels = np.full(codec.num_classes, 1.0 / codec.num_classes, np.float32)
        return codec.decode(points, labels)

    def _decode_model(self, points: np.ndarray, _labels: np.ndarray | None) -> None:
        """The Keras decoder draws the strip in a background task (tens of ms a strip);
        the frames come back through ``strip.deliver``."""
        slot = self.slot
        if slot is None or not slot.live:
            raise ValueError("the model is not ready")
        if self._strip_task is not None:
            self._strip_next = points  # asked again when the running one is done
            return
        model = slot.model
        task = TaskWorker(("strip", points), lambda: np.asarray(model.decode(points), np.float32))
        task.task_done.connect(self._on_strip_done)
        task.task_failed.connect(self._on_strip_failed)
        self._strip_task = task
        task.start()

    def _on_strip_done(self, tag: tuple[str, np.ndarray], frames: np.ndarray) -> None:
        self._strip_task = None
        self.strip.deliver(tag[1], frames)
        self._next_strip()

    def _on_strip_failed(self, _tag: object, message: str) -> None:
        self._strip_task = None
        self.strip.grid.clear(f"Could not decode: {message}")
        self._next_strip()

    def _next_strip(self) -> None:
        points, self._strip_next = self._strip_next, None
        if points is not None and self._strip_decoder() is not None:
            self._decode_model(points, None)

    def encode_end(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(latent point or code, CVAE label vector) of an image, for an end of the strip."""
        slot = self.slot
        if slot is None:
            raise ValueError("no model chosen")
        codec = slot.codec if slot.spec.numpy_codec else None
        if codec is not None:
            if codec.conditional:
                best = int(np.argmax(every_digit(codec, image, LIVE_SAMPLES).posterior))
                label = np.eye(codec.num_classes, dtype=np.float32)[best]
                return encode_stats(codec, image[None], label[None])[0][0], label
            return encode_stats(codec, image[None])[0][0], None
        if slot.model is None or not slot.live:
            raise ValueError("the model is not loaded yet")
        return np.asarray(slot.model.encode_mean(image[None]), np.float32)[0], None

    def set_end(self, which: str, source: int | None = None, index: int | None = None) -> None:
        """Set end A or B from a source (see SOURCES; default: the combo's choice)."""
        source = self.source_combo.currentIndex() if source is None else source
        name = SOURCES[source]
        slot = self.slot
        if name == "Latent map: its A and B":
            strip = getattr(self.latent, "strip", None)
            if strip is None or strip.end("A") is None or strip.end("B") is None:
                raise ValueError("Shift+click two points on the Latent map first")
            self.strip.set_ends(strip.end("A"), strip.end("B"))
            return
        if name == "this drawing":
            image = self._input
        elif name == "previous drawing":
            if self._previous is None:
                raise ValueError("there is no previous drawing yet (Clear keeps the last one)")
            image = self._previous
        elif name == "validation image #":
            i = self.index_spin.value() if index is None else index
            pool = slot.data.images if slot is not None and slot.data is not None else None
            points = slot.points if slot is not None and slot.spec.numpy_codec else None
            if (pool is None or not len(pool)) and points is not None and len(points.z) > i:
                # The VAEs' validation points are these images' z_mean already (the shipped
                # models bring the points, not the images).
                self.strip.set_end(which, points.z[i], self._label_of(points, i))
                return
            if pool is None or not len(pool):
                raise ValueError("this model has no validation images here")
            cached = self._val_codes
            if cached is not None and slot is not None and cached[:2] == (id(slot.model), id(pool)):
                self.strip.set_end(which, cached[2][i])  # encoded already, in the background
                return
            image = pool[i]
        else:
            cats = self.cats
            if cats is None or not len(cats.shown_originals()):
                raise ValueError("the Cats tab shows no pairs yet")
            image = cats.shown_originals()[cats.selected()]
        if not image.size or not float(np.sum(image)) > 0:
            raise ValueError("that end is an empty picture: draw something first")
        if (
            self._code is not None
            and name == "this drawing"
            and not (slot and slot.spec.numpy_codec)
        ):
            point, label = self._code, None
        else:
            point, label = self.encode_end(np.asarray(image, np.float32))
        self.strip.set_end(which, point, label)

    def _label_of(self, points: Any, i: int) -> np.ndarray | None:
        slot = self.slot
        codec = None if slot is None else slot.codec
        if codec is None or not codec.conditional or points.labels is None:
            return None
        return np.eye(codec.num_classes, dtype=np.float32)[int(points.labels[i])]

    def _set_end_from_drawing(self, which: str) -> None:
        try:
            self.set_end(which, SOURCES.index("this drawing"))
        except ValueError as exc:
            log.debug("no end from the drawing: %s", exc)

    def _set_a(self) -> None:
        self._set_end_checked("A")

    def _set_b(self) -> None:
        self._set_end_checked("B")

    def _set_end_checked(self, which: str) -> None:
        try:
            self.set_end(which)
        except ValueError as exc:
            self.strip.grid.clear(str(exc))

    def _on_follow(self, on: bool) -> None:
        if on:
            self._set_end_from_drawing("B")

    def _on_source(self) -> None:
        slot = self.slot
        name = SOURCES[self.source_combo.currentIndex()]
        pool = slot.data.images if slot is not None and slot.data is not None else None
        if pool is None and slot is not None and slot.points is not None:
            pool = slot.points.z
        self.index_spin.setVisible(name == "validation image #")
        self.index_spin.setRange(0, max(0, (len(pool) if pool is not None else 1) - 1))
        both = name == "Latent map: its A and B"
        self.set_b_button.setVisible(not both)
        self.set_a_button.setText("Use them" if both else "Set A")
        model = self.source_combo.model()
        map_ok = self.latent is not None and getattr(self.latent, "slot", None) is slot
        cats_ok = self.cats is not None and getattr(self.cats, "slot", None) is slot
        for i, ok in ((3, cats_ok), (4, map_ok)):
            item = model.item(i)  # type: ignore[attr-defined]
            if item is not None:
                item.setEnabled(ok)


__all__ = ["DrawPanel", "fit_picture"]
