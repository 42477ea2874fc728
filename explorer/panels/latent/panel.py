"""The "Latent map" tab: the VAE's latent plane, clickable.

The background is the classic grid of decoded images (one ImageItem, placed over the grid's
extent in latent coordinates), the validation digits' z_mean are scattered on top, and a
click or drag anywhere decodes that point and shows it big beside the map. Left-drag moves
the marker instead of panning; the wheel zooms, middle-drag pans, and "Reset view" brings
the grid back.

What the map shows (grid centre and range, resolution, dimensions, marker, A and B) lives in
the session's :class:`explorer.latent_view.LatentView`: the widgets write it, and the panel
redraws on its events. Pictures come from the decode service, whichever model answers.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget
from superqt.utils import qthrottled, signals_blocked

from explorer.i18n import arg, kind_label
from explorer.latent_view import LatentView
from explorer.model_decoder import DecodeService, slot_decoder
from explorer.panels.base import FollowsSlot
from explorer.panels.latent.controls import MapControls, MapDims
from explorer.panels.latent.grid import MapGrid
from explorer.panels.latent.overlays import MapEnds, MapOverlays
from explorer.panels.latent.picker import MapModels
from explorer.panels.latent.plot import (
    AUTO_FIT_OUTSIDE,
    DRAG_THROTTLE_MS,
    EMPTY_MESSAGE,
    SLIDER_THROTTLE_MS,
    STRIP_HEIGHT,
    add_marker,
    latent_plot,
    pad_edges,
)
from explorer.panels.latent.points import MapPoints
from explorer.panels.latent.replay import MapReplay
from explorer.widgets.categories import label_names, slot_names
from explorer.widgets.common import scroll_column
from explorer.widgets.imaging import empty_message
from explorer.widgets.interpolation_strip import InterpolationStrip
from explorer.widgets.plot_text import scale_legend
from explorer.widgets.timeline_bar import TimelineBar
from models.inference.decoding import Decoder
from models.messages import Snapshot

log = logging.getLogger(__name__)

TICK_PT = 12
"""The map's tick labels at zoom 1."""


class LatentMapPanel(
    MapGrid, MapDims, MapEnds, MapReplay, MapPoints, MapModels, FollowsSlot, QWidget
):
    """The latent plane of a VAE/CVAE with its decoded grid, the data on top, and a probe.

    Used alone through ``set_codec``, given a slot with :meth:`follow`, or given the
    session with :meth:`attach` (a picker of every model with a map). Its view state is a
    :class:`LatentView` (its own, or the session's through :meth:`use_view`).
    """

    end_picked = Signal(str, object)
    """("A" or "B", the full latent vector) when Shift+click sets an end of the strip."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        seed: int | None = None,
        view: LatentView | None = None,
    ) -> None:
        super().__init__(parent)
        self._rng = np.random.default_rng(seed)
        self._codec: Any = None
        self._replay: int | None = None
        """The timeline epoch shown instead of the live map, or None."""
        self._scale = 1.0
        self._shown_points: object = None
        self._quiet = False
        self._new_run = False
        """A run started: its first points are framed (when "follow the data" is on)."""
        self._switched = False
        """Another slot was chosen: its model gets a fresh view, framed on its points."""
        self._image = np.zeros((0, 0), np.float32)
        self.last_update_ms = 0.0
        """Time the last decode_at took (decode, preview, marker, label), in ms."""
        self.last_grid_ms = 0.0
        self.decodes = DecodeService(self)

        # -- the map -------------------------------------------------------------------------
        self.view_box, self.plot, self.grid_item = latent_plot(tick_pt=TICK_PT, tick_offset=6)
        self._build_points()
        self.marker = add_marker(self.plot, 30)
        self.overlays = MapOverlays(self.plot)
        self._pick_later = qthrottled(self.decode_at, timeout=DRAG_THROTTLE_MS)
        self.view_box.sigPicked.connect(self._pick_later)
        self._grid_later = qthrottled(self._on_slider, timeout=SLIDER_THROTTLE_MS)

        # -- the side column (its widgets are the panel's too: the window and tests use them)
        self.controls = c = MapControls()
        self.preview, self.coord_label = c.preview, c.coord_label
        self.sample_button, self.reset_button = c.sample_button, c.reset_button
        self.digit_combo, self.digit_row, self.digit_title = (
            c.digit_combo,
            c.digit_row,
            c.digit_title,
        )
        self.resolution_spin, self.range_spin = c.resolution_spin, c.range_spin
        self.fit_button, self.auto_fit_check = c.fit_button, c.auto_fit_check
        self.grid_check, self.points_check, self.sprites_check = (
            c.grid_check,
            c.points_check,
            c.sprites_check,
        )
        self.x_combo, self.y_combo, self.dims_box = c.x_combo, c.y_combo, c.dims_box
        self.sample_button.clicked.connect(self._on_sample_clicked)
        self.reset_button.clicked.connect(self.reset_view)
        self.fit_button.clicked.connect(self._on_fit_clicked)
        self.digit_combo.currentIndexChanged.connect(self._on_condition)
        self.resolution_spin.valueChanged.connect(self._on_resolution_box)
        self.range_spin.valueChanged.connect(self._on_range_box)
        self.grid_check.toggled.connect(self._show_layers)
        self.points_check.toggled.connect(self._show_layers)
        self.sprites_check.toggled.connect(self._on_sprites_box)
        self.x_combo.currentIndexChanged.connect(self._on_x_combo)
        self.y_combo.currentIndexChanged.connect(self._on_y_combo)

        self.timeline_bar = TimelineBar()
        self.timeline_bar.scrubbed.connect(self.show_epoch)
        map_page = QWidget()
        map_layout = QHBoxLayout(map_page)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_column = QVBoxLayout()
        map_column.addWidget(self.plot, 1)
        map_column.addWidget(self.timeline_bar)
        # The strip keeps its place under the map whenever the map shows: appearing at the
        # first Shift+click, it rescaled the map and the second click landed elsewhere.
        self.strip = InterpolationStrip(
            self, hint=self.tr("Shift+click two points on the map: A, then B.")
        )
        self.strip.setFixedHeight(STRIP_HEIGHT)
        # Its frames must not widen the map's column either (the map would rescale).
        self.strip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        map_column.addWidget(self.strip)
        map_layout.addLayout(map_column, 1)
        map_layout.addWidget(scroll_column(c))
        self.empty_label = empty_message(self.tr(EMPTY_MESSAGE))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(map_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._build_picker())
        layout.addWidget(self.stack)
        self.view_box.sigEndPicked.connect(self.pick_end)
        self.view_box.sigEndDragged.connect(self.drag_end)
        self.digit_combo.currentIndexChanged.connect(self.strip.update_frames)
        self.strip.updated.connect(self._show_ends)
        self.view = view if view is not None else LatentView()
        self.view.events.connect(self._on_view_event)
        self._show_layers()

    # -- the view's state ------------------------------------------------------------------
    def use_view(self, view: LatentView) -> None:
        """Follow ``view`` (the session's) instead of the panel's own."""
        self.view.events.disconnect(self._on_view_event)
        view.kind = self.view.kind
        self.view = view
        view.events.connect(self._on_view_event)
        with signals_blocked(self.sprites_check):
            self.sprites_check.setChecked(view.thumbnails)

    @contextmanager
    def _batch(self) -> Any:
        """Change several of the view's fields, then redraw once (the caller does)."""
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    def _on_view_event(self, info: Any) -> None:
        if not shiboken6.isValid(self):  # the window is gone; psygnal outlives it
            return
        name = info.signal.name
        if name in ("center", "range", "resolution"):
            self.controls.show_grid_settings(self.view)
            if not self._quiet and self._codec is not None and self._replay is None:
                self._update_grid()
                self.reset_view()
        elif name == "dims":
            if not self._quiet:
                self._on_dims_changed()
        elif name == "marker":
            if not self._quiet:
                self._render_point()
        elif name in ("end_a", "end_b"):
            which = "A" if name == "end_a" else "B"
            self.strip.set_end(which, self.view.end(which))
            self._show_ends()
        elif name == "drawing":
            self.overlays.show_drawing(self.view)
        elif name == "thumbnails":
            with signals_blocked(self.sprites_check):
                self.sprites_check.setChecked(self.view.thumbnails)
            self._update_sprites()

    def _on_range_box(self, value: float) -> None:
        self.view.range = float(value)

    def _on_resolution_box(self, value: int) -> None:
        self.view.resolution = int(value)

    def _on_sprites_box(self, checked: bool) -> None:
        if self.view.thumbnails != checked:
            self.view.thumbnails = bool(checked)  # its event draws them
        else:
            self._update_sprites()

    # -- public API -------------------------------------------------------------------------
    def set_codec(
        self,
        codec: Decoder | None,
        val_z: np.ndarray | None = None,
        val_labels: np.ndarray | None = None,
    ) -> None:
        """Show this model's latent plane (None: the friendly empty page).

        A model of the same shape as the last one (a new epoch) keeps the view, the chosen
        dimensions, the sliders and the marker, so a class can watch the map organize itself.
        A new run's first epoch is framed on its own points ("follow the data").
        """
        old = self._codec
        self._codec = codec
        if codec is None or codec.latent_dim < 2:
            text = (
                self.tr(EMPTY_MESSAGE)
                if codec is None
                else self.tr(
                    "This model has a 1-D latent space; the map needs at least 2 dimensions."
                )
            )
            self.empty_label.setText(text)
            self.stack.setCurrentIndex(0)
            self._strip_follow(False, old is not None)
            return
        same_shape = (
            old is not None
            and not self._switched
            and old.latent_dim == codec.latent_dim
            and old.num_classes == codec.num_classes
            and self.stack.currentIndex() == 1
        )
        self._set_points(val_z, val_labels, codec.latent_dim)
        self._switched = False
        self.stack.setCurrentIndex(1)
        self._strip_follow(same_shape, old is not None)
        with self._batch():
            if not same_shape:
                self._build_dims(codec.latent_dim)
                self.digit_row.setVisible(codec.conditional)
                self.view.center = (0.0, 0.0)
            new_run = self._new_run and self._val_z is not None
            outside = self.outside_share() > AUTO_FIT_OUTSIDE
            if self.auto_fit_check.isChecked() and (new_run or outside):
                self.view.fit(self._val_z)  # type: ignore[arg-type]
                same_shape = False  # a new range: show all of it
            if self._val_z is not None:
                self._new_run = False
            if not same_shape:
                self.view.marker = self.view.center
        self._update_grid()
        if not same_shape:
            self.reset_view()
        self._render_point()
        self._update_scatter()
        self._redraw_overlays()
        if self._replay is not None:
            self.show_epoch(self._replay)

    def center(self) -> tuple[float, float]:
        return self.view.center

    def follow(self, slot: Any) -> None:
        """Show ``slot``'s model; the view says which slot the map shows (the Draw tab asks).

        Another slot than before (the picker) gets a fresh view framed on its points, and
        its first class in "decode as"."""
        old = self.slot
        if old is slot:
            return
        if old is not None:
            old.training_changed.disconnect(self._on_training_changed)
            self._switched = self._new_run = True
            with signals_blocked(self.digit_combo):
                self.digit_combo.setCurrentIndex(0)
        self.view.kind = slot.id
        slot.training_changed.connect(self._on_training_changed)
        super().follow(slot)

    def _on_training_changed(self, training: bool) -> None:
        if training and shiboken6.isValid(self):
            self._new_run = True

    def set_scale(self, factor: float) -> None:
        """Presenter zoom: point and marker sizes and the legend follow the app's scale factor
        (the presenter scales the axes' text)."""
        self._scale = factor
        self.controls.fit_label_height()  # its fonts were scaled by the presenter
        self.points_item.setSize(7 * factor)
        self.marker.setSize(30 * factor)
        for sample in self._legend_samples:
            sample.setSize(9 * factor)
        scale_legend(self.legend, factor)  # the digits beside the symbols grow with them
        pad_edges(self.plot, TICK_PT * factor)  # the top tick label's room grows with it

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """After an epoch: the new decoder, and the validation set's new z_mean."""
        if snapshot.codec is not None:
            self.set_codec(snapshot.codec, snapshot.val_z_mean, snapshot.val_labels)

    def flush(self) -> None:
        """Apply a drag or slider move still waiting in its throttle now."""
        self._pick_later.flush()
        self._grid_later.flush()

    def refresh(self) -> None:
        """Show the slot's model and points (a new epoch keeps the view and the marker)."""
        slot = self.slot
        if slot is None:
            return
        points = slot.points
        codec = slot_decoder(slot)  # the NumPy codec, or the model (decoded in a worker)
        if codec is self._codec and points is self._shown_points and codec is not None:
            return  # the final model of a run: the last epoch already shows it
        self._shown_points = points
        count = codec.num_classes if codec is not None and codec.conditional else None
        names = label_names(slot_names(slot), count)
        if names != self.names:
            self.set_class_names(names)
        data = slot.data
        self._sprite_images = data.images if data is not None else None
        self._sprite_labels = data.labels if data is not None else None
        self._sprite_pairs = slot.drawings_at_codes()
        if points is None:
            self.set_codec(codec)
        else:
            self.set_codec(codec, points.z, points.labels)
        if codec is None and slot.training and not slot.spec.numpy_codec:
            # A conv model decodes only with its Keras model, which the run holds till it ends.
            training = self.tr("The %1 is training: its map shows when the run ends.")
            self.empty_label.setText(arg(training, kind_label(slot.title)))
        elif codec is None and not slot.empty:
            # Its points are here, its network still loading (TensorFlow, in a worker).
            self.empty_label.setText(arg(self.tr("Loading the %1…"), kind_label(slot.title)))
        self._update_sprites()

    def decode_at(self, x: float, y: float) -> np.ndarray:
        """Decode latent point (x, y) in the shown dimensions; big preview, label, marker.

        Returns the image shown, or an empty (0, 0) array when no model is loaded or the
        image comes later from a worker.
        """
        point = (float(x), float(y))
        if self.view.marker != point:
            self.view.marker = point  # its event draws it
        else:
            self._render_point()
        return self._image

    def _render_point(self) -> None:
        codec = self._codec
        self._image = np.zeros((0, 0), dtype=np.float32)
        if codec is None or codec.latent_dim < 2:
            return
        t0 = time.perf_counter()
        x, y = self.view.marker
        dx, dy = self.dims()
        z = self.base_vector()
        z[dx], z[dy] = x, y
        if self._replay is not None:  # the replayed epoch's own image there, not today's
            self._show_point_image(codec, self.replay_tile(x, y))
        else:
            label = self.label_vector()
            self.decodes.request(
                "point",
                codec,
                lambda d: d.decode(z, label)[0],
                lambda image: self._show_point_image(codec, image),
            )
        self.marker.setData([x], [y])
        self._avoid_legend()
        epoch = self.timeline_bar.epoch() if self._replay is not None else None
        if epoch is not None:  # short enough for one line beside the replay's own image
            self.coord_label.setText(
                self.tr("Epoch %1: z = (%2, %3)")
                .replace("%1", str(epoch))
                .replace("%2", f"{x:+.2f}")
                .replace("%3", f"{y:+.2f}")
            )
        else:
            # One line per coordinate (the label has two): side by side, a zoomed font
            # wrapped "z[1] =" away from its value.
            self.coord_label.setText(f"z[{dx}] = {x:+.2f}\nz[{dy}] = {y:+.2f}")
        self.last_update_ms = (time.perf_counter() - t0) * 1000.0

    def _show_point_image(self, codec: Any, image: np.ndarray) -> None:
        if codec is self._codec:
            self._image = np.asarray(image, np.float32)
            self.preview.set_images([self._image])

    # -- state the window and the tests read --------------------------------------------------
    def codec(self) -> Decoder | None:
        return self._codec  # type: ignore[no-any-return]

    def point(self) -> tuple[float, float]:
        return self.view.marker

    # -- slots -------------------------------------------------------------------------------
    def sample(self) -> np.ndarray:
        """z ~ N(0, I): sets the other dimensions' sliders, decodes, shows where it fell."""
        codec = self._codec
        if codec is None or codec.latent_dim < 2:
            return np.zeros((0, 0), dtype=np.float32)
        z = self._rng.standard_normal(codec.latent_dim).astype(np.float32)
        dx, dy = self.dims()
        if codec.latent_dim > 2:
            self.controls.set_slider_values(z, (dx, dy))
            self._update_grid()
        image = self.decode_at(float(z[dx]), float(z[dy]))
        self.coord_label.setText(self.tr("Sample: ") + self.coord_label.text())
        self._ensure_visible(float(z[dx]), float(z[dy]))
        return image

    def _on_sample_clicked(self) -> None:
        self.sample()

    def _on_condition(self) -> None:
        if self._codec is not None and self._codec.conditional:
            self._update_grid()
            self._render_point()

    def _on_slider(self) -> None:
        if self._codec is not None:
            self._update_grid()
            self._render_point()

    # -- internals ---------------------------------------------------------------------------
    def _ensure_visible(self, x: float, y: float) -> None:
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        if x0 <= x <= x1 and y0 <= y <= y1:
            return
        r = QRectF(min(x0, x - 0.3), min(y0, y - 0.3), 0, 0)
        r.setRight(max(x1, x + 0.3))
        r.setBottom(max(y1, y + 0.3))
        self.view_box.setRange(rect=r, padding=0.0)


__all__ = ["LatentMapPanel"]
