"""The "Draw" tab: draw a sketch or a digit and see what the model makes of it.

The pad's strokes become the model's input by the engine's own code
(:mod:`models.data.sketch`): the simplified Quick Draw form rasterized like the training
data for sketch models, an MNIST-style 28×28 image for the digit models; the tab shows that
input. While the pen moves the answer is throttled (and cheaper); after each stroke it is
exact. What each kind answers is in :mod:`explorer.panels.pad.answers`, the strip's ends in
:mod:`explorer.panels.pad.ends`, the mini map in :mod:`explorer.panels.pad.mini_map`.

Which of these a model gets is read from its kind spec (``pad_input``, ``numpy_codec``,
``conditional``), never from its name. The tab reads the session only: its slots, and its
latent view for what the Latent map shows (never the Latent map panel itself).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qthrottled

from explorer.i18n import kind_label
from explorer.latent_view import LatentView
from explorer.model_decoder import DecodeService
from explorer.panels.pad.answers import DIGIT_QUESTION, DrawAnswers
from explorer.panels.pad.class_set import recognizer
from explorer.panels.pad.ends import SOURCES, DrawEnds, PairSource
from explorer.panels.pad.files import DrawFiles, fit_picture
from explorer.panels.pad.mini_map import MiniMap
from explorer.session import Session, Slot
from explorer.widgets.categories import label_names, slot_names
from explorer.widgets.class_set import ClassSetBox
from explorer.widgets.imaging import ImageGrid, font, save_widget_png
from explorer.widgets.plot_text import set_title
from explorer.widgets.sketch_canvas import SketchCanvas
from models.data.formats import Drawing
from models.nets.kinds import DEFAULT_KIND

log = logging.getLogger(__name__)

LIVE_THROTTLE_MS = 80
"""While the pen moves, the model answers at most this often."""
PAIR_MAX = 250
"""The input and reconstruction stay this small, leaving room for the model's answer."""


def draw_slots(session: Session) -> list[Slot]:
    """Every slot the Draw tab offers: ``Session.slots_for_panel("draw")`` where the session
    has it (each loaded model side by side), else every kind's slot."""
    slots_for_panel = getattr(session, "slots_for_panel", None)
    if slots_for_panel is not None:
        return list(slots_for_panel("draw"))
    return list(session)


class DrawPanel(DrawFiles, DrawAnswers, DrawEnds, QWidget):
    """A sketch pad with the chosen model's live answer and an interpolation strip."""

    responded = Signal()
    """The model's answer to the current drawing is shown (exact or live)."""
    train_requested = Signal(str, str)
    """"Train on the class set": (data spec, model kind); the window starts the run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self.view = LatentView()
        """The session's latent view once attached (what the Latent map shows)."""
        self.pair_source: PairSource | None = None
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
        self.last_response_ms = 0.0
        self._seen: tuple[Any, ...] = ()
        self._opened: Drawing | None = None
        self._dirty = False
        self.decodes = DecodeService(self)
        self.decodes.failed.connect(self._on_answer_failed)

        # -- the pad -------------------------------------------------------------------------
        self.canvas = SketchCanvas(self)
        self.model_combo = QComboBox()
        self.model_combo.setToolTip(self.tr("The model that reads your drawing"))
        self.word_edit = QLineEdit("drawing")
        self.word_edit.setToolTip(
            self.tr("The word saved with the drawing (Quick Draw's category)")
        )
        self.word_edit.setMaximumWidth(140)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Remove the last stroke (Ctrl+Z)"))
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Start a new drawing (Delete)"))
        self.open_button = QPushButton(self.tr("Open…"))
        self.open_button.setToolTip(self.tr("Open a saved drawing (.ndjson) or a picture (.png)"))
        self.save_button = QPushButton(self.tr("Save…"))
        self.save_button.setToolTip(self.tr("Save the drawing as a simplified .ndjson or a .png"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Model")))
        top.addWidget(self.model_combo, 1)
        top.addWidget(QLabel(self.tr("Word")))
        top.addWidget(self.word_edit)
        for b in (self.undo_button, self.clear_button, self.open_button, self.save_button):
            top.addWidget(b)
        self.input_view = ImageGrid(1, 1, title=self.tr("What the model sees"), square=True,
                                    caption_pt=11, title_pt=12)  # fmt: skip
        self.input_view.setMinimumSize(130, 130)
        self.recon_view = ImageGrid(1, 1, title=self.tr("Reconstruction"), square=True,
                                    caption_pt=11, title_pt=12)  # fmt: skip
        self.recon_view.setMinimumSize(130, 130)
        for view in (self.input_view, self.recon_view):
            view.setMaximumSize(PAIR_MAX, PAIR_MAX + 40)
        pair = QVBoxLayout()
        pair.addWidget(self.input_view)
        pair.addWidget(self.recon_view)
        # The class set: the pad's drawings kept word by word, trained on in one click.
        self.class_set = ClassSetBox(self.canvas.finished_strokes, recognized=recognizer(self),
                                     parent=self)  # fmt: skip
        self.class_set.train_requested.connect(self.train_requested)
        # Never squeezed below its rows (at 720 px they overlapped): the page scrolls.
        self.class_set.setMinimumHeight(self.class_set.sizeHint().height())
        pair.addWidget(self.class_set, 1)
        self.info_label = QLabel("")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- per kind: the nearest sketches, the map note, the CVAE's chart and digits -------
        nearest_title = self.tr("Nearest validation sketches by code")
        self.nearest_view = ImageGrid(None, None, title=nearest_title,
                                      caption_pt=10, title_pt=12)  # fmt: skip
        self.map_note = QLabel("")
        self.map_note.setWordWrap(True)
        self.map_note.setFont(font(10))  # a side note: the mini map keeps its room when zoomed
        self.chart = pg.PlotWidget(background="w")
        self.chart.setMenuEnabled(False)
        self.chart.setMouseEnabled(x=False, y=False)
        set_title(self.chart, QCoreApplication.translate("DrawPanel", DIGIT_QUESTION), 12)
        self.chart.setYRange(0.0, 1.0, padding=0.02)
        self.chart.setXRange(-0.6, 9.6, padding=0)
        axis = self.chart.getPlotItem().getAxis("bottom")
        axis.setTicks([[(d, str(d)) for d in range(10)]])
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7,
                                    brush=pg.mkBrush("#0072B2"))  # fmt: skip
        self.chart.addItem(self.bars)
        self.chart.setMinimumHeight(130)  # the Draw tab fits 720 px at 200% zoom
        every_title = self.tr("Your drawing as every digit (its own style)")
        self.every_view = ImageGrid(1, 10, title=every_title,
                                    caption_pt=10, title_pt=12)  # fmt: skip
        self.every_view.setMinimumHeight(90)
        ae_page = QWidget()
        QVBoxLayout(ae_page).addWidget(self.nearest_view)
        self.mini = MiniMap()
        self.mini_map, self.zoom_check = self.mini.plot, self.mini.zoom_check
        vae_page = QWidget()
        vae_layout = QVBoxLayout(vae_page)
        vae_layout.addWidget(self.mini, 1)
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
        strip_box = self._build_strip(self)

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
        for keys, slot in (
            (QKeySequence.StandardKey.Undo, self.canvas.undo),
            (QKeySequence(Qt.Key.Key_Delete), self.clear),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._on_source()

    # -- wiring ------------------------------------------------------------------------------
    def attach(self, session: Session, pair_source: PairSource | None = None) -> None:
        """Offer the session's models and follow its latent view (the drawing is marked
        there, the Latent map's A and B come from there). ``pair_source`` gives the Cats
        tab's selected pair, as (the kind it shows, the clean image or None)."""
        self.session, self.pair_source = session, pair_source
        self.view = session.latent_view
        self.view.events.kind.connect(self._on_map_view)
        self.view.events.dims.connect(self._on_map_view)
        changed = getattr(session, "slots_changed", None)
        if changed is not None:
            changed.connect(self._list_models)
        self._list_models()

    def _list_models(self, *_: Any) -> None:
        """Offer every slot the session has for this tab (keeping the chosen one)."""
        if self.session is None or not shiboken6.isValid(self):
            return
        chosen = self.slot
        for slot in self._slots:
            slot.changed.disconnect(self._on_slot_changed)
        self._slots = draw_slots(self.session)
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for slot in self._slots:
            self.model_combo.addItem(kind_label(slot.spec.display_name))
            slot.changed.connect(self._on_slot_changed)
        default = next((i for i, s in enumerate(self._slots) if s.kind == DEFAULT_KIND), 0)
        if chosen in self._slots:
            default = self._slots.index(chosen)  # type: ignore[arg-type]
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
        self._update_mini_map()
        self._show_map_drawing(None)
        self.strip.clear_ends()
        self.strip.set_decoder(self._strip_decoder())
        self._on_source()
        self.update_response()

    def _state(self) -> tuple[Any, ...]:
        slot = self.slot
        if slot is None:
            return ()
        return (id(slot), id(slot.model), id(slot.codec), id(slot.data), id(slot.points),
                slot.training)  # fmt: skip

    def _on_slot_changed(self) -> None:
        """Some slot changed (psygnal names no sender): redo what the chosen one changed."""
        if not shiboken6.isValid(self) or self._state() == self._seen:
            return
        self._seen = self._state()
        self.strip.set_decoder(self._strip_decoder())
        self._on_source()
        self._update_mini_map()
        if self.isVisible():
            self.update_response()
        else:
            self._dirty = True

    def _on_map_view(self, *_: Any) -> None:
        """The Latent map shows another model or other dimensions."""
        if not shiboken6.isValid(self):
            return
        self._on_source()
        self._update_mini_map()
        vae = self.pages.currentWidget() is self.vae_page
        self._show_map_drawing(self._z if vae else None)

    def _map_dims(self) -> tuple[int, int]:
        """The dimensions the Latent map shows when it shows this model, else (0, 1)."""
        dx, dy = self.view.dims
        return (int(dx), int(dy)) if self._map_shows_slot() and dx != dy else (0, 1)

    def _update_mini_map(self) -> None:
        slot = self.slot
        points = None if slot is None else slot.points
        names = None
        if slot is not None and points is not None and points.labels is not None:
            codec = slot.codec
            count = codec.num_classes if codec is not None and codec.conditional else None
            names = label_names(slot_names(slot), count)
        self.mini.show_points(points, self._map_dims(), names)
        self.mini.show_drawing(self._z)

    def set_scale(self, factor: float) -> None:
        """Presenter zoom: the mini map's legend grows with the text."""
        self.mini.set_scale(factor)

    def zoom_range(self) -> tuple[float, float, float, float] | None:
        """(x0, x1, y0, y1) the mini map's zoom shows around the drawing, or None."""
        return self.mini.zoom_range()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._dirty = False
            self.update_response()

    # -- the model's answer ------------------------------------------------------------------
    def _respond_live(self) -> None:
        if self.canvas.drawing:
            self.respond(exact=False)

    def update_response(self) -> None:
        """The exact answer now (after a stroke, undo, clear, open, or a new model)."""
        self._live.cancel()
        self.respond(exact=True)

    @property
    def busy(self) -> bool:
        """A background answer (or strip) is still being computed."""
        return self.decodes.busy or self.strip.busy

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


__all__ = ["SOURCES", "DrawPanel", "draw_slots", "fit_picture"]
