"""The "Latent map" tab: the VAE's latent plane, clickable.

The background is the classic grid of decoded images (one ImageItem, placed over the grid's
extent in latent coordinates), the validation digits' z_mean are scattered on top, and a
click or drag anywhere decodes that point with the NumPy codec (tens of microseconds) and
shows it big beside the map. Left-drag moves the marker instead of panning; the wheel
zooms, middle-drag pans, and "Reset view" brings the grid back.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from superqt import QLabeledDoubleSlider
from superqt.utils import qthrottled, signals_blocked

from explorer.model_decoder import AsyncDecoder, is_async, panel_codec
from explorer.panels.base import FollowsSlot
from explorer.widgets.categories import (
    CLASS_COLORS,
    class_color,
    class_symbol,
    digit_names,
    label_names,
    slot_names,
)
from explorer.widgets.common import scroll_column
from explorer.widgets.flow_layout import flow_row
from explorer.widgets.imaging import (
    ImageGrid,
    empty_message,
    font,
    paper,
    set_font_size,
)
from explorer.widgets.plot_text import scale_legend, set_axis_label
from explorer.widgets.sprites import MAX_SPRITES, SpriteLayer
from explorer.widgets.timeline_bar import TimelineBar
from models.inference.timeline import Timeline, fit_range
from models.messages import Snapshot
from models.nets.codec import MLPCodec

log = logging.getLogger(__name__)

# One colour per digit. Okabe-Ito's eight colour-blind-safe colours plus two of Paul Tol's,
# each digit also gets its own marker shape so no one has to tell colours apart.
DIGIT_COLORS = (
    "#0072B2",  # 0 blue
    "#E69F00",  # 1 orange
    "#009E73",  # 2 bluish green
    "#CC79A7",  # 3 reddish purple
    "#56B4E9",  # 4 sky blue
    "#D55E00",  # 5 vermillion
    "#F0E442",  # 6 yellow
    "#332288",  # 7 indigo (Tol)
    "#999933",  # 8 olive (Tol)
    "#000000",  # 9 black
)
DIGIT_SYMBOLS = ("o", "s", "t", "d", "h", "star", "t1", "p", "x", "+")
MAX_POINTS = 5000
"""Scatter at most this many validation points: more only hides the map under dots."""
SLIDER_RANGE = 3.0
MARKER_COLOR = "#e8003c"
AXIS_LABEL_PT = 15
"""The map's axis titles (z[0], z[1]) at zoom 1."""
DRAG_THROTTLE_MS = 16
"""A drag decodes at most once a frame (60 Hz); the last position always wins."""
SLIDER_THROTTLE_MS = 40
"""A latent slider redraws the whole decoded grid at most this often."""
DRAWING_COLOR = "#e6007e"
"""The Draw tab's drawing on the map (magenta: no digit has it), with its 1σ and 2σ ellipses."""
ENDS_COLOR = "#0b6e4f"
STRIP_HEIGHT = 170
"""The interpolation strip under the map stays short (the map needs the height)."""
AUTO_FIT_OUTSIDE = 0.15
"""New points refit the range ("Fit to data") when more than this share lies off the grid."""
MAX_RANGE = 50.0

EMPTY_MESSAGE = (
    "No VAE yet.\n\nThe latent map needs a trained VAE or CVAE: train one in the Training tab "
    "or load weights from the File menu."
)


class _PassiveScatter(pg.ScatterPlotItem):
    """A scatter that never takes the mouse, so clicks on points reach the map."""

    def mouseClickEvent(self, ev: Any) -> None:
        ev.ignore()


class LatentViewBox(pg.ViewBox):
    """ViewBox where a left click or left drag picks a latent point instead of panning."""

    sigPicked = Signal(float, float)
    """(x, y) in latent coordinates."""
    sigEndPicked = Signal(float, float)
    """Shift+click: (x, y) for an end of the interpolation."""
    sigEndDragged = Signal(float, float, float, float)
    """Shift+drag: (x0, y0) where the drag began, (x, y) where it is now."""

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.sigEndPicked.emit(float(p.x()), float(p.y()))
                return
            self.sigPicked.emit(float(p.x()), float(p.y()))
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and axis is None:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                start = self.mapSceneToView(ev.buttonDownScenePos())
                self.sigEndDragged.emit(
                    float(start.x()), float(start.y()), float(p.x()), float(p.y())
                )
                return
            self.sigPicked.emit(float(p.x()), float(p.y()))
        else:
            super().mouseDragEvent(ev, axis)


def latent_plot(
    tick_pt: int, tick_offset: int
) -> tuple[LatentViewBox, pg.PlotWidget, pg.ImageItem]:
    """A latent map's plot, the same in the Latent map and Compare tabs: a square view that
    picks on click (no pyqtgraph menu), dark axes, and a grid image under the points."""
    view_box = LatentViewBox()
    view_box.setAspectLocked(True)
    view_box.setMenuEnabled(False)
    plot = pg.PlotWidget(viewBox=view_box, background="w")
    plot.setCursor(Qt.CursorShape.CrossCursor)
    for name in ("bottom", "left"):
        axis = plot.getPlotItem().getAxis(name)
        axis.setStyle(tickFont=font(tick_pt), tickTextOffset=tick_offset)
        axis.setPen(pg.mkPen("#1d1f23"))
        axis.setTextPen(pg.mkPen("#1d1f23"))
    grid_item = pg.ImageItem()
    grid_item.setZValue(-10)
    plot.addItem(grid_item)
    return view_box, plot, grid_item


def add_marker(plot: pg.PlotWidget, size: float) -> _PassiveScatter:
    """The red cross at the picked point, above the points, deaf to the mouse."""
    marker = _PassiveScatter(
        size=size, symbol="+", brush=pg.mkBrush(MARKER_COLOR), pen=pg.mkPen("#ffffff", width=1.5)
    )
    marker.setZValue(20)
    plot.addItem(marker)
    return marker


class LatentMapPanel(FollowsSlot, QWidget):
    """The latent plane of a VAE/CVAE with its decoded grid, the data on top, and a probe.

    Used alone through ``set_codec``, or given a slot with :meth:`follow`.
    """

    end_picked = Signal(str, object)
    """("A" or "B", the full latent vector) when Shift+click sets an end of the strip."""

    def __init__(self, parent: QWidget | None = None, *, seed: int | None = None) -> None:
        super().__init__(parent)
        self._rng = np.random.default_rng(seed)
        self._codec: MLPCodec | None = None
        self._val_z: np.ndarray | None = None
        self._val_labels: np.ndarray | None = None
        self._point = (0.0, 0.0)
        self._center = (0.0, 0.0)
        """Centre of the decoded grid in the shown dimensions ("Fit to data" moves it)."""
        self._replay: int | None = None
        """The timeline epoch shown instead of the live map, or None."""
        self._scale = 1.0
        self._shown_points: object = None
        self._last_dims = (0, 1)
        self._sliders: list[QLabeledDoubleSlider] = []
        self._slider_rows: list[QWidget] = []
        self.last_update_ms = 0.0
        """Time the last decode_at took (decode, preview, marker, label), in ms."""
        self.last_grid_ms = 0.0

        # -- the map -------------------------------------------------------------------------
        self.view_box, self.plot, self.grid_item = latent_plot(tick_pt=12, tick_offset=6)
        # All points in one item (one paint per frame while dragging, and no digit hidden
        # under another drawn after it); the legend gets its own sample items.
        point_pen = pg.mkPen(0, 0, 0, 110, width=0.6)  # keeps yellow and sky blue visible
        self._digit_brushes = [pg.mkBrush(c) for c in DIGIT_COLORS]
        self._plain_brush = pg.mkBrush(DIGIT_COLORS[0])
        self.points_item = _PassiveScatter(size=7, symbol="o", pen=point_pen)
        self.plot.addItem(self.points_item)
        self.legend = pg.LegendItem(
            offset=(-8, 8),
            labelTextSize="13pt",
            labelTextColor="#1d1f23",
            colCount=2,
            brush=pg.mkBrush(255, 255, 255, 225),
            pen=pg.mkPen("#8a9099"),
            verSpacing=-4,
        )
        self.legend.setParentItem(self.view_box)
        self._legend_samples = []
        for d in range(10):
            sample = pg.ScatterPlotItem(
                size=9, symbol=DIGIT_SYMBOLS[d], brush=self._digit_brushes[d], pen=point_pen
            )
            self._legend_samples.append(sample)
            self.legend.addItem(sample, str(d))
        self.marker = add_marker(self.plot, 30)
        self._legend_corner = 0
        self._pick_later = qthrottled(self.decode_at, timeout=DRAG_THROTTLE_MS)
        self.view_box.sigPicked.connect(self._pick_later)
        self._grid_later = qthrottled(self._on_slider, timeout=SLIDER_THROTTLE_MS)
        self._build_drawing_items()

        # -- the side column -----------------------------------------------------------------
        # Not square-by-width: it takes the height the controls below leave, so they stay in
        # view on a 1280x720 projector (a square as wide as the column pushed them off).
        self.preview = ImageGrid(1, 1, title="Decoded at the marker")
        self.preview.setMinimumSize(200, 200)
        self.preview.set_size_hint(200, 200)
        self.coord_label = QLabel("Click or drag on the map")
        self.coord_label.setFont(font(16, bold=True))
        self.coord_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.coord_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A fixed height and no say in the width: a longer text ("Sample: ...") must not move
        # the buttons below it or widen the column (the map would rescale).
        self.coord_label.setWordWrap(True)
        self.coord_label.setFixedHeight(2 * self.coord_label.fontMetrics().lineSpacing() + 6)
        self.coord_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.sample_button = QPushButton("Sample z ~ N(0, I)")
        self.sample_button.setToolTip("Draw a random latent vector, decode it, show where it fell")
        self.sample_button.clicked.connect(self.sample)
        self.reset_button = QPushButton("Reset view")
        self.reset_button.setToolTip(
            "Zoom back to the decoded grid (the wheel zooms, middle-drag pans)"
        )
        self.reset_button.clicked.connect(self.reset_view)
        buttons = flow_row(self.sample_button, self.reset_button)  # two rows when zoomed

        self.digit_combo = QComboBox()
        self.digit_combo.addItems([str(d) for d in range(10)])
        self.digit_combo.currentIndexChanged.connect(self._on_condition)
        self.digit_row = QWidget()
        digit_layout = QHBoxLayout(self.digit_row)
        digit_layout.setContentsMargins(0, 0, 0, 0)
        digit_title = QLabel("Decode as digit")
        self.digit_title = digit_title
        digit_layout.addWidget(digit_title)
        digit_layout.addWidget(self.digit_combo)
        digit_layout.addStretch(1)

        self.resolution_spin = QSpinBox()
        self.resolution_spin.setRange(5, 30)
        self.resolution_spin.setValue(10)
        self.resolution_spin.setSuffix(" × 10")
        self.resolution_spin.valueChanged.connect(
            lambda n: self.resolution_spin.setSuffix(f" × {n}")
        )
        self.resolution_spin.setToolTip("Images per side of the background grid")
        self.range_spin = QDoubleSpinBox()
        self.range_spin.setRange(0.5, MAX_RANGE)
        self.range_spin.setSingleStep(0.25)
        self.range_spin.setDecimals(2)
        self.range_spin.setValue(1.5)
        self.range_spin.setPrefix("± ")
        self.range_spin.setToolTip(
            "The grid covers ± range around its centre (0, 0 unless fitted to the data)"
        )
        self.fit_button = QPushButton("Fit to data")
        self.fit_button.setToolTip("Centre and size the grid on where the validation points lie")
        self.fit_button.clicked.connect(self.fit_to_data)
        self.auto_fit_check = QCheckBox("follow the data")
        self.auto_fit_check.setChecked(True)
        self.auto_fit_check.setToolTip(
            "Fit to data by itself when a new epoch's points leave the grid"
        )
        self.resolution_spin.valueChanged.connect(self._on_grid_settings)
        self.range_spin.valueChanged.connect(self._on_grid_settings)
        self.grid_check = QCheckBox("decoded grid")
        self.grid_check.setChecked(True)
        self.grid_check.toggled.connect(self._on_layers)
        self.points_check = QCheckBox("validation digits")
        self.points_check.setChecked(True)
        self.points_check.toggled.connect(self._on_layers)
        # Category names, thumbnails of the drawings, and worker decoding for conv models.
        self.names: tuple[str, ...] = digit_names()
        self.sprites_check = QCheckBox("thumbnails")
        self.sprites_check.setToolTip("Thumbnails of validation drawings at their codes")
        self.sprites_check.toggled.connect(self._on_sprites)
        self.sprites = SpriteLayer(self.plot)
        self._sprite_images: np.ndarray | None = None
        self.decoder = AsyncDecoder(self)
        self.decoder.ready.connect(self._on_decoded)
        grid_box = QGroupBox("Map")
        grid_layout = QVBoxLayout(grid_box)
        grid_form = QFormLayout()
        grid_form.setContentsMargins(0, 0, 0, 0)
        grid_form.addRow("Grid size", self.resolution_spin)
        grid_form.addRow("Range", self.range_spin)
        grid_layout.addLayout(grid_form)
        # Rows that wrap (a form does not give them the height): the check boxes were cut
        # off at the column's edge at 200% zoom.
        grid_layout.addWidget(flow_row(self.fit_button, self.auto_fit_check))
        grid_layout.addWidget(flow_row(QLabel("Show"), self.grid_check, self.points_check,
                                       self.sprites_check))  # fmt: skip

        self.x_combo = QComboBox()
        self.y_combo = QComboBox()
        self.x_combo.currentIndexChanged.connect(self._on_dims)
        self.y_combo.currentIndexChanged.connect(self._on_dims)
        self.dims_box = QGroupBox("Latent dimensions")
        dims_layout = QVBoxLayout(self.dims_box)
        axes = QHBoxLayout()
        axes.addWidget(QLabel("across"))
        axes.addWidget(self.x_combo)
        axes.addWidget(QLabel("up"))
        axes.addWidget(self.y_combo)
        axes.addStretch(1)
        dims_layout.addLayout(axes)
        dims_layout.addWidget(QLabel("The other dimensions:"))
        self._slider_host = QWidget()
        self._slider_grid = QGridLayout(self._slider_host)
        self._slider_grid.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._slider_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        dims_layout.addWidget(scroll, 1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        side_layout.addWidget(self.preview, 1)
        side_layout.addWidget(self.coord_label)
        side_layout.addWidget(buttons)
        side_layout.addWidget(self.digit_row)
        side_layout.addWidget(grid_box)
        side_layout.addWidget(self.dims_box, 1)
        set_font_size(side, 13)
        self.coord_label.setFont(font(16, bold=True))
        self.preview.setFont(font(15))
        side.setMinimumWidth(360)
        side.setMaximumWidth(520)

        self.timeline_bar = TimelineBar()
        self.timeline_bar.scrubbed.connect(self.show_epoch)
        map_page = QWidget()
        map_layout = QHBoxLayout(map_page)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_column = QVBoxLayout()
        map_column.addWidget(self.plot, 1)
        map_column.addWidget(self.timeline_bar)
        map_layout.addLayout(map_column, 1)
        map_layout.addWidget(scroll_column(side))
        self.empty_label = empty_message(EMPTY_MESSAGE)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(map_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)
        self._build_strip(layout)
        self._show_layers()

    # -- public API -------------------------------------------------------------------------
    def set_codec(
        self,
        codec: MLPCodec | None,
        val_z: np.ndarray | None = None,
        val_labels: np.ndarray | None = None,
    ) -> None:
        """Show this model's latent plane (None: the friendly empty page).

        A model of the same shape as the last one (a new epoch) keeps the view, the chosen
        dimensions, the sliders and the marker, so a class can watch the map organize itself.
        """
        old = self._codec
        self._codec = codec
        if codec is None:
            self.empty_label.setText(EMPTY_MESSAGE)
            self.stack.setCurrentIndex(0)
            self._strip_follow(False, old is not None)
            return
        if codec.latent_dim < 2:
            self.empty_label.setText(
                "This model has a 1-D latent space; the map needs at least 2 dimensions."
            )
            self.stack.setCurrentIndex(0)
            return
        same_shape = (
            old is not None
            and old.latent_dim == codec.latent_dim
            and old.num_classes == codec.num_classes
            and self.stack.currentIndex() == 1
        )
        self._set_points(val_z, val_labels, codec.latent_dim)
        self.stack.setCurrentIndex(1)
        self._strip_follow(same_shape, old is not None)
        if not same_shape:
            self._build_dims(codec.latent_dim)
            self.digit_row.setVisible(codec.conditional)
            self._center = (0.0, 0.0)
        if self.auto_fit_check.isChecked() and self.outside_share() > AUTO_FIT_OUTSIDE:
            self.fit_to_data(redraw=False)
            same_shape = False  # a new range: show all of it
        if not same_shape:
            self._update_grid()
            self.reset_view()
            self.decode_at(*self._center)
        else:
            self._update_grid()
            self.decode_at(*self._point)
        self._update_scatter()
        self._redraw_overlays()
        if self._replay is not None:
            self.show_epoch(self._replay)

    def fit_to_data(self, redraw: bool = True) -> None:
        """"Fit to data": centre the grid on the points' bulk and size it to hold them."""
        z = self._val_z
        if z is None or not len(z):
            return
        x0, x1, y0, y1 = fit_range(z[:, list(self.dims())])
        self._center = ((x0 + x1) / 2, (y0 + y1) / 2)
        with signals_blocked(self.range_spin):
            self.range_spin.setValue(min(MAX_RANGE, max(x1 - x0, y1 - y0) / 2))
        if redraw and self._codec is not None:
            self._update_grid()
            self.reset_view()
            if self.outside_view(*self._point):
                self.decode_at(*self._center)

    def outside_share(self) -> float:
        """The share of the validation points (shown dimensions) that lie off the grid."""
        z = self._val_z
        if z is None or not len(z) or z.shape[1] < 2:
            return 0.0
        dx, dy = self.dims()
        r = self.grid_extent()
        x, y = z[:, dx], z[:, dy]
        inside = (x >= r.left()) & (x <= r.right()) & (y >= r.top()) & (y <= r.bottom())
        return float(1.0 - inside.mean())

    def outside_view(self, x: float, y: float) -> bool:
        r = self.grid_extent()
        return not (r.left() <= x <= r.right() and r.top() <= y <= r.bottom())

    def center(self) -> tuple[float, float]:
        return self._center

    # -- the replay ----------------------------------------------------------------------------
    def set_timeline(self, timeline: Timeline | None) -> None:
        """The run's timeline for the replay bar (None or empty hides the bar)."""
        usable = timeline is not None and timeline.has_map
        self.timeline_bar.set_timeline(timeline if usable else None)

    def replay_index(self) -> int | None:
        return self._replay

    def show_epoch(self, index: int | None) -> None:
        """Show the timeline's epoch ``index`` (its points and decoded grid, z[0] across and
        z[1] up), or the live map again (None)."""
        timeline = self.timeline_bar.timeline
        if index is None or timeline is None or not timeline.has_map or index >= len(timeline):
            was = self._replay
            self._replay = None
            if was is not None and self._codec is not None:
                self._set_axis_labels()
                self._update_grid()
                self._update_scatter()
                self.reset_view()
                self.decode_at(*self._point)
            return
        self._replay = index
        x0, x1, y0, y1 = timeline.bounds[index]
        n = timeline.grid_n
        if timeline.conditional:
            self.grid_item.setVisible(False)  # its grid is digit × z[0]: not this plane
        else:
            grid = timeline.grids[index].astype(np.float32) / 255.0
            self.grid_item.setImage(paper(grid[::-1]), levels=(0, 255), autoLevels=False)
            sx, sy = (x1 - x0) / max(1, n - 1), (y1 - y0) / max(1, n - 1)
            self.grid_item.setRect(QRectF(x0 - sx / 2, y0 - sy / 2, n * sx, n * sy))
            self.grid_item.setVisible(self.grid_check.isChecked())
        z = np.asarray(timeline.points[index], np.float32)
        labels = timeline.labels
        if labels is not None and len(labels) == len(z):
            digit = np.asarray(labels, np.int64) % 10
            self.points_item.setData(
                x=z[:, 0], y=z[:, 1], brush=[self._digit_brushes[d] for d in digit],
                symbol=np.array(DIGIT_SYMBOLS, dtype=object)[digit],
            )  # fmt: skip
        else:
            self.points_item.setData(x=z[:, 0], y=z[:, 1], brush=self._plain_brush, symbol="o")
        set_axis_label(self.plot, "bottom", "z[0]", AXIS_LABEL_PT)
        set_axis_label(self.plot, "left", "z[1]", AXIS_LABEL_PT)
        self.view_box.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.04)
        self.decode_at(*self._point)

    def replay_tile(self, x: float, y: float) -> np.ndarray:
        """The replayed epoch's decoded grid tile nearest to (x, y), blank off its grid."""
        timeline, i = self.timeline_bar.timeline, self._replay
        assert timeline is not None and i is not None
        n = timeline.grid_n
        grid = timeline.grids[i]
        h, w = grid.shape[0] // (10 if timeline.conditional else n), grid.shape[1] // n
        x0, x1, y0, y1 = timeline.bounds[i]
        col = round((x - x0) / max(1e-9, x1 - x0) * (n - 1))
        row = round((y1 - y) / max(1e-9, y1 - y0) * (n - 1))
        if timeline.conditional or not (0 <= col < n and 0 <= row < n):
            return np.zeros((h, w), np.float32)
        return grid[row * h : (row + 1) * h, col * w : (col + 1) * w].astype(np.float32) / 255.0

    def set_scale(self, factor: float) -> None:
        """Presenter zoom: point and marker sizes and the legend follow the app's scale factor
        (the presenter scales the axes' text)."""
        self._scale = factor
        # Fonts were scaled by the presenter: the label's two lines need their new height.
        self.coord_label.setFixedHeight(2 * self.coord_label.fontMetrics().lineSpacing() + 6)
        self.points_item.setSize(7 * factor)
        self.marker.setSize(30 * factor)
        for sample in self._legend_samples:
            sample.setSize(9 * factor)
        scale_legend(self.legend, factor)  # the digits beside the symbols grow with them

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """After an epoch: the new decoder, and the validation set's new z_mean."""
        if snapshot.codec is None:
            return
        self.set_codec(snapshot.codec, snapshot.val_z_mean, snapshot.val_labels)

    def flush(self) -> None:
        """Apply a drag or slider move still waiting in its throttle now."""
        self._pick_later.flush()
        self._grid_later.flush()

    def refresh(self) -> None:
        """Show the slot's codec and points (a new epoch keeps the view and the marker)."""
        slot = self.slot
        if slot is None:
            return
        points = slot.points
        codec = panel_codec(slot)  # a conv model: decoded in a worker
        if codec is self._codec and points is self._shown_points and codec is not None:
            return  # the final model of a run: the last epoch already shows it
        self._shown_points = points
        count = codec.num_classes if codec is not None and codec.conditional else None
        names = label_names(slot_names(slot), count)
        if names != self.names:
            self.set_class_names(names)
        data = slot.data
        self._sprite_images = data.images if data is not None else None
        if points is None:
            self.set_codec(codec)
        else:
            self.set_codec(codec, points.z, points.labels)
        self._update_sprites()

    def decode_at(self, x: float, y: float) -> np.ndarray:
        """Decode latent point (x, y) in the shown dimensions; big preview, label, marker.

        Returns the image shown, or an empty (0, 0) array when no model is loaded.
        """
        codec = self._codec
        if codec is None or codec.latent_dim < 2:
            return np.zeros((0, 0), dtype=np.float32)
        t0 = time.perf_counter()
        dx, dy = self.dims()
        z = self.base_vector()
        z[dx], z[dy] = x, y
        if is_async(codec) and self._replay is None:  # a conv model: decoded in a worker
            label = self.label_vector()
            self.decoder.request("point", lambda: codec.decode(z, label)[0])
            image = np.zeros((0, 0), dtype=np.float32)
        else:
            image = codec.decode(z, self.label_vector())[0]
            if self._replay is not None:  # the replayed epoch's own image there, not today's
                image = self.replay_tile(x, y)
            self.preview.set_images([image])
        self.marker.setData([x], [y])
        self._point = (float(x), float(y))
        self._avoid_legend()
        epoch = self.timeline_bar.epoch() if self._replay is not None else None
        if epoch is not None:  # short enough for one line beside the replay's own image
            self.coord_label.setText(f"Epoch {epoch}: z = ({x:+.2f}, {y:+.2f})")
        else:
            self.coord_label.setText(f"z[{dx}] = {x:+.2f}    z[{dy}] = {y:+.2f}")
        self.last_update_ms = (time.perf_counter() - t0) * 1000.0
        return image

    # -- state the window and the tests read --------------------------------------------------
    def codec(self) -> MLPCodec | None:
        return self._codec

    def dims(self) -> tuple[int, int]:
        """The latent dimensions shown across and up."""
        return max(0, self.x_combo.currentIndex()), max(0, self.y_combo.currentIndex())

    def set_dims(self, x_dim: int, y_dim: int) -> None:
        """Show latent dimensions x_dim across and y_dim up (they must differ)."""
        if x_dim == y_dim:
            raise ValueError("choose two different latent dimensions")
        with signals_blocked(self.x_combo), signals_blocked(self.y_combo):
            self.x_combo.setCurrentIndex(x_dim)
            self.y_combo.setCurrentIndex(y_dim)
        self._on_dims()

    def sliders(self) -> list[QLabeledDoubleSlider]:
        """One slider per latent dimension (those of the shown dimensions are hidden)."""
        return list(self._sliders)

    def base_vector(self) -> np.ndarray:
        """The full latent vector the map is a slice of: slider values, shown dims at 0."""
        z = np.array([s.value() for s in self._sliders], dtype=np.float32)
        if self._codec is not None and len(z) != self._codec.latent_dim:
            z = np.zeros(self._codec.latent_dim, dtype=np.float32)
        dx, dy = self.dims()
        if len(z) > max(dx, dy):
            z[dx] = z[dy] = 0.0
        return z

    def label_vector(self) -> np.ndarray | None:
        """One-hot label the CVAE decodes with (None for a plain VAE)."""
        codec = self._codec
        if codec is None or not codec.conditional:
            return None
        y = np.zeros(codec.num_classes, dtype=np.float32)
        y[min(self.digit_combo.currentIndex(), codec.num_classes - 1)] = 1.0
        return y

    def point(self) -> tuple[float, float]:
        return self._point

    def grid_extent(self) -> QRectF:
        """Where the grid image lies, in latent coordinates (each tile centred on its z)."""
        n = self.resolution_spin.value()
        e = self.range_spin.value()
        cx, cy = self._center
        step = 2 * e / (n - 1)
        return QRectF(cx - e - step / 2, cy - e - step / 2, n * step, n * step)

    # -- slots -------------------------------------------------------------------------------
    def sample(self) -> np.ndarray:
        """z ~ N(0, I): sets the other dimensions' sliders, decodes, shows where it fell."""
        codec = self._codec
        if codec is None or codec.latent_dim < 2:
            return np.zeros((0, 0), dtype=np.float32)
        z = self._rng.standard_normal(codec.latent_dim).astype(np.float32)
        dx, dy = self.dims()
        if codec.latent_dim > 2:
            for k, slider in enumerate(self._sliders):
                if k not in (dx, dy):
                    with signals_blocked(slider):
                        slider.setValue(float(np.clip(z[k], -SLIDER_RANGE, SLIDER_RANGE)))
            self._update_grid()
        image = self.decode_at(float(z[dx]), float(z[dy]))
        self.coord_label.setText("Sample: " + self.coord_label.text())
        self._ensure_visible(float(z[dx]), float(z[dy]))
        return image

    def reset_view(self) -> None:
        self.view_box.setRange(rect=self.grid_extent(), padding=0.02)

    def _on_grid_settings(self) -> None:
        if self._codec is not None and self._replay is None:
            self._update_grid()
            self.reset_view()

    def _on_layers(self) -> None:
        self._show_layers()

    def _on_condition(self) -> None:
        if self._codec is not None and self._codec.conditional:
            self._update_grid()
            self.decode_at(*self._point)

    def _on_dims(self) -> None:
        codec = self._codec
        if codec is None:
            return
        dx, dy = self.x_combo.currentIndex(), self.y_combo.currentIndex()
        if dx == dy:  # one dimension on both axes says nothing: swap instead
            if self.sender() is self.y_combo:
                combo, other = self.x_combo, self._last_dims[1]
            else:
                combo, other = self.y_combo, self._last_dims[0]
            if other == dx:
                other = (dx + 1) % codec.latent_dim
            with signals_blocked(combo):
                combo.setCurrentIndex(other)
        self._last_dims = self.dims()
        self._center = (0.0, 0.0)
        self._show_sliders()
        self._set_axis_labels()
        self._update_grid()
        self._update_scatter()
        self._update_sprites()
        self.decode_at(*self._point)
        self._redraw_overlays()

    def _on_slider(self) -> None:
        if self._codec is not None:
            self._update_grid()
            self.decode_at(*self._point)

    # -- internals ---------------------------------------------------------------------------
    def _build_dims(self, latent: int) -> None:
        for row in self._slider_rows:
            row.setParent(None)
            row.deleteLater()
        self._sliders, self._slider_rows = [], []
        with signals_blocked(self.x_combo), signals_blocked(self.y_combo):
            self.x_combo.clear()
            self.y_combo.clear()
            names = [f"z[{k}]" for k in range(latent)]
            self.x_combo.addItems(names)
            self.y_combo.addItems(names)
            self.x_combo.setCurrentIndex(0)
            self.y_combo.setCurrentIndex(1)
        self._last_dims = (0, 1)
        for k in range(latent):
            label = QLabel(f"z[{k}]")
            slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
            set_font_size(slider, 13)
            slider.setRange(-SLIDER_RANGE, SLIDER_RANGE)
            slider.setDecimals(2)
            slider.setValue(0.0)
            slider.valueChanged.connect(self._grid_later)
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(label)
            row_layout.addWidget(slider, 1)
            set_font_size(label, 13)
            self._slider_grid.addWidget(row, k, 0)
            self._sliders.append(slider)
            self._slider_rows.append(row)
        self.dims_box.setVisible(latent > 2)
        self._show_sliders()
        self._set_axis_labels()

    def _show_sliders(self) -> None:
        dx, dy = self.dims()
        for k, row in enumerate(self._slider_rows):
            row.setVisible(k not in (dx, dy))

    def _set_axis_labels(self) -> None:
        dx, dy = self.dims()
        set_axis_label(self.plot, "bottom", f"z[{dx}]", AXIS_LABEL_PT)
        set_axis_label(self.plot, "left", f"z[{dy}]", AXIS_LABEL_PT)

    def _update_grid(self) -> None:
        codec = self._codec
        if codec is None:
            return
        t0 = time.perf_counter()
        n = self.resolution_spin.value()
        e = float(self.range_spin.value())
        args = (n, e, self.dims(), self.base_vector(), self.label_vector(), self._center)
        if is_async(codec):
            self.decoder.request("grid", lambda: codec.decode_grid(*args))
            return
        mosaic = codec.decode_grid(*args)
        self._show_grid(mosaic)
        self.last_grid_ms = (time.perf_counter() - t0) * 1000.0

    def _show_grid(self, mosaic: np.ndarray) -> None:
        # decode_grid puts the highest z at the top row; the plot's y axis points up and
        # draws image row 0 at the bottom, hence the flip.
        self.grid_item.setImage(paper(mosaic[::-1]), levels=(0, 255), autoLevels=False)
        self.grid_item.setRect(self.grid_extent())

    def _set_points(self, val_z: np.ndarray | None, labels: np.ndarray | None, latent: int) -> None:
        z = None if val_z is None else np.asarray(val_z, dtype=np.float32)
        if z is not None and (z.ndim != 2 or z.shape[1] != latent):
            log.warning("ignoring validation points %s for latent size %d", z.shape, latent)
            z = None
        lab = None if labels is None or z is None else np.asarray(labels).reshape(-1)
        if lab is not None and len(lab) != len(z):  # type: ignore[arg-type]
            lab = None
        if z is not None and len(z) > MAX_POINTS:
            keep = np.random.default_rng(0).choice(len(z), MAX_POINTS, replace=False)
            z = z[keep]
            lab = None if lab is None else lab[keep]
        self._val_z, self._val_labels = z, lab

    def _update_scatter(self) -> None:
        z, lab = self._val_z, self._val_labels
        if z is None:
            self.points_item.setData(x=np.zeros(0), y=np.zeros(0))
        elif lab is None:
            dx, dy = self.dims()
            self.points_item.setData(x=z[:, dx], y=z[:, dy], brush=self._plain_brush, symbol="o")
        else:
            dx, dy = self.dims()
            digit = np.asarray(lab, dtype=np.int64) % len(CLASS_COLORS)
            brushes = {c: pg.mkBrush(class_color(c)) for c in np.unique(digit)}
            self.points_item.setData(
                x=z[:, dx],
                y=z[:, dy],
                brush=[brushes[d] for d in digit],
                symbol=[class_symbol(d) for d in digit],
            )
        self._show_layers()

    # -- category names, drawings on the map, worker decoding (conv models) -------------------
    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Legend entries, the "decode as" list and the points' colours by class name."""
        self.names = tuple(names)
        digits = self.names == digit_names(len(self.names))
        self.legend.clear()
        self._legend_samples = []
        pen = pg.mkPen(0, 0, 0, 110, width=0.6)
        for d, name in enumerate(self.names):
            sample = pg.ScatterPlotItem(
                size=9, symbol=class_symbol(d), brush=pg.mkBrush(class_color(d)), pen=pen
            )
            self._legend_samples.append(sample)
            self.legend.addItem(sample, name)
        self.legend.setColumnCount(2 if len(self.names) <= 10 else 3)
        with signals_blocked(self.digit_combo):
            index = self.digit_combo.currentIndex()
            self.digit_combo.clear()
            self.digit_combo.addItems(list(self.names))
            self.digit_combo.setCurrentIndex(min(max(index, 0), len(self.names) - 1))
        self.digit_title.setText("Decode as digit" if digits else "Decode as")
        self.points_check.setText("validation digits" if digits else "points")

    def legend_names(self) -> list[str]:
        return [label.text for _sample, label in self.legend.items]

    def _on_sprites(self) -> None:
        self._update_sprites()

    def _update_sprites(self) -> None:
        """Thumbnails of the validation drawings at their codes (when the box is ticked)."""
        show = self.sprites_check.isChecked()
        self.sprites.set_visible(show)
        codec, images = self._codec, self._sprite_images
        if not show or codec is None or images is None or not len(images):
            return
        if codec.conditional or tuple(images.shape[1:]) != tuple(codec.image_shape):
            return  # a CVAE needs each drawing's label to encode it
        images = images[:MAX_SPRITES]
        if is_async(codec):
            self.decoder.request("sprites", lambda: (codec.encode_mean(images), images))
            return
        self._show_sprites(codec.encode_mean(images), images)

    def _show_sprites(self, z: np.ndarray, images: np.ndarray) -> None:
        dx, dy = self.dims()
        size = 2 * float(self.range_spin.value()) / 12
        self.sprites.set_sprites(np.stack([z[:, dx], z[:, dy]], axis=1), images, size)
        self.sprites.set_visible(self.sprites_check.isChecked())

    def _on_decoded(self, key: str, result: Any) -> None:
        """Images of a conv model, decoded in a worker."""
        if self._codec is None or not is_async(self._codec):
            return
        if key == "grid":
            self._show_grid(result)
        elif key == "point":
            self.preview.set_images([result])
        elif key == "sprites":
            self._show_sprites(*result)

    def points_data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The scattered validation points in the shown dimensions, and their digits."""
        x, y = self.points_item.getData()
        return np.asarray(x), np.asarray(y), self._val_labels

    def _show_layers(self) -> None:
        show_points = self.points_check.isChecked()
        self.grid_item.setVisible(self.grid_check.isChecked())
        # Under the dots the grid is dimmed a little, so the colours stay readable.
        self.grid_item.setOpacity(0.7 if show_points and self._val_z is not None else 1.0)
        self.points_item.setVisible(show_points)
        self.legend.setVisible(show_points and self._val_labels is not None)

    def _avoid_legend(self) -> None:
        """The legend moves to the other top corner when the marker goes under it."""
        if not self.legend.isVisible():
            return
        pos = self.view_box.mapViewToScene(pg.Point(*self._point))
        if not self.legend.sceneBoundingRect().contains(pos):
            return
        self._legend_corner = 1 - self._legend_corner
        if self._legend_corner:
            self.legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(8, 8))
        else:
            self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-8, 8))

    def legend_corner(self) -> str:
        return "left" if self._legend_corner else "right"

    def _ensure_visible(self, x: float, y: float) -> None:
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        if x0 <= x <= x1 and y0 <= y <= y1:
            return
        r = QRectF(min(x0, x - 0.3), min(y0, y - 0.3), 0, 0)
        r.setRight(max(x1, x + 0.3))
        r.setBottom(max(y1, y + 0.3))
        self.view_box.setRange(rect=r, padding=0.0)

    # -- "your drawing" (the Draw tab) and the interpolation strip ---------------------------
    def _build_drawing_items(self) -> None:
        """The drawing's z_mean with its 1σ and 2σ ellipses, and the strip's A/B marks."""
        pen1 = pg.mkPen(DRAWING_COLOR, width=3)
        pen2 = pg.mkPen(DRAWING_COLOR, width=2, style=Qt.PenStyle.DashLine)
        self.drawing_ellipses = (pg.PlotCurveItem(pen=pen1), pg.PlotCurveItem(pen=pen2))
        self.drawing_point = _PassiveScatter(
            size=9, symbol="o", brush=pg.mkBrush(DRAWING_COLOR), pen=pg.mkPen("#ffffff", width=1.5)
        )
        self.drawing_label = pg.TextItem(
            "your drawing", color=DRAWING_COLOR, anchor=(0, 1), fill=pg.mkBrush(255, 255, 255, 210)
        )
        self.drawing_label.setFont(font(14, bold=True))
        self.ends_item = _PassiveScatter(
            size=18, symbol="s", brush=pg.mkBrush("#ffffff"), pen=pg.mkPen(ENDS_COLOR, width=3)
        )
        self.ends_text = [pg.TextItem(w, color=ENDS_COLOR, anchor=(-0.3, 1.2)) for w in "AB"]
        self.ends_path = pg.PlotDataItem(
            pen=pg.mkPen(ENDS_COLOR, width=3),
            symbol="o",
            symbolSize=8,
            symbolBrush=pg.mkBrush("#ffffff"),
            symbolPen=pg.mkPen(ENDS_COLOR, width=2),
        )
        # A white halo under the path: it stays visible over points of its own colour.
        self.ends_halo = pg.PlotDataItem(pen=pg.mkPen("#ffffff", width=7))
        for item in (*self.drawing_ellipses, self.drawing_point, self.drawing_label,
                     self.ends_item, *self.ends_text, self.ends_halo, self.ends_path):  # fmt: skip
            item.setZValue(25)
            item.setVisible(False)
            self.plot.addItem(item)
        self.ends_halo.setZValue(24)
        for text in self.ends_text:
            text.setFont(font(14, bold=True))
        self._drawing: tuple[np.ndarray, np.ndarray] | None = None
        self._ends: dict[str, np.ndarray] = {}
        self._next_end = "A"

    def _build_strip(self, layout: QVBoxLayout) -> None:
        from explorer.widgets.interpolation_strip import InterpolationStrip

        self.strip = InterpolationStrip(self, hint="Shift+click two points on the map: A, then B.")
        self.strip.setMaximumHeight(STRIP_HEIGHT)
        self.strip.setVisible(False)
        layout.addWidget(self.strip)
        self.view_box.sigEndPicked.connect(self.pick_end)
        self.view_box.sigEndDragged.connect(self.drag_end)
        self.digit_combo.currentIndexChanged.connect(self.strip.update_frames)
        self.strip.updated.connect(self._show_path)

    def show_drawing(self, z_mean: np.ndarray, z_log_var: np.ndarray) -> None:
        """Mark a drawing's z_mean with its 1σ and 2σ ellipses (from z_log_var) on the map."""
        from models.inference.pad import sigma_ellipse

        mean = np.asarray(z_mean, np.float64).ravel()
        log_var = np.asarray(z_log_var, np.float64).ravel()
        self._drawing = (mean, log_var)
        dims = self.dims()
        if len(mean) <= max(dims) or dims[0] == dims[1]:
            return  # not drawn yet (a hidden tab): drawn when the map is built
        for k, item in enumerate(self.drawing_ellipses, start=1):
            x, y = sigma_ellipse(mean, log_var, k=float(k), dims=dims)
            item.setData(x, y)
            item.setVisible(True)
        x0, y0 = float(mean[dims[0]]), float(mean[dims[1]])
        self.drawing_point.setData([x0], [y0])
        self.drawing_label.setPos(x0, y0 + 2 * float(np.exp(0.5 * log_var[dims[1]])))
        self.drawing_point.setVisible(True)
        self.drawing_label.setVisible(True)

    def clear_drawing(self) -> None:
        """Remove "your drawing" from the map."""
        self._drawing = None
        for item in (*self.drawing_ellipses, self.drawing_point, self.drawing_label):
            item.setVisible(False)

    def drawing(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(z_mean, z_log_var) of the drawing shown, or None."""
        return self._drawing

    def pick_end(self, x: float, y: float, which: str | None = None) -> np.ndarray:
        """Set an end of the strip at (x, y) in the shown dimensions: A, then B, then A...

        The other dimensions come from the sliders. Returns the full latent vector.
        """
        which = which or self._next_end
        dx, dy = self.dims()
        z = self.base_vector()
        if len(z) > max(dx, dy):
            z[dx], z[dy] = x, y
        self._ends[which] = z
        self._next_end = "B" if which == "A" else "A"
        self._show_ends()
        self.strip.setVisible(True)
        self.strip.set_end(which, z)
        self.end_picked.emit(which, z)
        return z

    def drag_end(self, x0: float, y0: float, x: float, y: float) -> np.ndarray | None:
        """Shift+drag: move the end nearest to where the drag began (the strip follows, live).

        With no end yet, the drag sets one, as a Shift+click would.
        """
        dx, dy = self.dims()
        near = [
            (float(np.hypot(z[dx] - x0, z[dy] - y0)), which)
            for which, z in self._ends.items()
            if len(z) > max(dx, dy)
        ]
        if not near:
            return self.pick_end(x, y)
        which = min(near)[1]
        z = self._ends[which].copy()
        z[dx], z[dy] = x, y
        self._ends[which] = z
        self._show_ends()
        self.strip.set_end(which, z)
        self.end_picked.emit(which, z)
        return z

    def _show_ends(self) -> None:
        dx, dy = self.dims()
        xs, ys = [], []
        for text, which in zip(self.ends_text, "AB", strict=True):
            z = self._ends.get(which)
            text.setVisible(z is not None)
            if z is not None and len(z) > max(dx, dy):
                text.setPos(float(z[dx]), float(z[dy]))
                xs.append(float(z[dx]))
                ys.append(float(z[dy]))
        self.ends_item.setData(xs, ys)
        self.ends_item.setVisible(bool(xs))
        self._show_path()

    def _show_path(self) -> None:
        """The strip's points on the map, one dot per frame, between A and B."""
        points = self.strip.points()
        dx, dy = self.dims()
        ok = bool(self._ends) and points.ndim == 2 and points.shape[1] > max(dx, dy)
        if ok:
            self.ends_path.setData(points[:, dx], points[:, dy])
            self.ends_halo.setData(points[:, dx], points[:, dy])
        self.ends_path.setVisible(ok)
        self.ends_halo.setVisible(ok)

    def _redraw_overlays(self) -> None:
        """The drawing and the ends in newly chosen dimensions."""
        if self._drawing is not None:
            self.show_drawing(*self._drawing)
        self._show_ends()

    def _strip_decode(self, points: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
        codec = self._codec
        if codec is None:
            raise ValueError("no model to decode with")
        if codec.conditional and labels is None:
            labels = self.label_vector()
        return codec.decode(points, labels)

    def _strip_follow(self, same_shape: bool, had_model: bool) -> None:
        """A new epoch redraws the strip; another model forgets its ends and the drawing."""
        if self._codec is None or (had_model and not same_shape):
            self._ends = {}
            self._next_end = "A"
            self._show_ends()
            self.strip.clear_ends()
            self.strip.setVisible(False)
            self.clear_drawing()
        self.strip.set_decoder(self._strip_decode if self._codec is not None else None)
