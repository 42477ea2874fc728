"""The Latent map's side column: the decoded point, the grid's settings, the dimensions.

The widgets hold no state of their own: the panel writes what they say into the session's
:class:`explorer.latent_view.LatentView` and sets them back from its events.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
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
    QVBoxLayout,
    QWidget,
)
from superqt import QLabeledDoubleSlider
from superqt.utils import signals_blocked

from explorer.latent_view import MAX_RANGE, MIN_RANGE, LatentView
from explorer.panels.latent.plot import AXIS_LABEL_PT, SLIDER_RANGE
from explorer.widgets.flow_layout import flow_row
from explorer.widgets.imaging import ImageGrid, font, set_font_size
from explorer.widgets.plot_text import set_axis_label


class MapControls(QWidget):
    """The preview, its coordinates, the buttons, the grid's settings and the sliders."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sliders: list[QLabeledDoubleSlider] = []
        self._slider_rows: list[QWidget] = []
        # Not square-by-width: it takes the height the controls below leave, so they stay in
        # view on a 1280x720 projector (a square as wide as the column pushed them off).
        self.preview = ImageGrid(1, 1, title=self.tr("Decoded at the marker"))
        self.preview.setMinimumSize(200, 200)
        self.preview.set_size_hint(200, 200)
        self.coord_label = QLabel(self.tr("Click or drag on the map"))
        self.coord_label.setFont(font(16, bold=True))
        self.coord_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.coord_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A fixed height and no say in the width: a longer text ("Sample: ...") must not move
        # the buttons below it or widen the column (the map would rescale).
        self.coord_label.setWordWrap(True)
        self.coord_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.fit_label_height()
        self.sample_button = QPushButton(self.tr("Sample z ~ N(0, I)"))
        self.sample_button.setToolTip(
            self.tr("Draw a random latent vector, decode it, show where it fell")
        )
        self.reset_button = QPushButton(self.tr("Reset view"))
        self.reset_button.setToolTip(
            self.tr("Zoom back to the decoded grid (the wheel zooms, middle-drag pans)")
        )
        buttons = flow_row(self.sample_button, self.reset_button)  # two rows when zoomed

        self.digit_combo = QComboBox()
        self.digit_combo.addItems([str(d) for d in range(10)])
        self.digit_row = QWidget()
        digit_layout = QHBoxLayout(self.digit_row)
        digit_layout.setContentsMargins(0, 0, 0, 0)
        self.digit_title = QLabel(self.tr("Decode as digit"))
        digit_layout.addWidget(self.digit_title)
        digit_layout.addWidget(self.digit_combo)
        digit_layout.addStretch(1)

        self.resolution_spin = QSpinBox()
        self.resolution_spin.setRange(5, 30)
        self.resolution_spin.setValue(10)
        self.resolution_spin.setSuffix(" × 10")
        self.resolution_spin.valueChanged.connect(self._on_resolution_text)
        self.resolution_spin.setToolTip(self.tr("Images per side of the background grid"))
        self.range_spin = QDoubleSpinBox()
        self.range_spin.setRange(MIN_RANGE, MAX_RANGE)
        self.range_spin.setSingleStep(0.25)
        self.range_spin.setDecimals(2)
        self.range_spin.setValue(1.5)
        self.range_spin.setPrefix("± ")
        self.range_spin.setToolTip(
            self.tr("The grid covers ± range around its centre (0, 0 unless fitted to the data)")
        )
        self.fit_button = QPushButton(self.tr("Fit to data"))
        self.fit_button.setToolTip(
            self.tr("Centre and size the grid on where the validation points lie")
        )
        self.auto_fit_check = QCheckBox(self.tr("follow the data"))
        self.auto_fit_check.setChecked(True)
        self.auto_fit_check.setToolTip(
            self.tr("Fit to data by itself when a new run starts or its points leave the grid")
        )
        self.grid_check = QCheckBox(self.tr("decoded grid"))
        self.grid_check.setChecked(True)
        self.points_check = QCheckBox(self.tr("validation digits"))
        self.points_check.setChecked(True)
        self.sprites_check = QCheckBox(self.tr("thumbnails"))
        self.sprites_check.setToolTip(self.tr("Thumbnails of validation drawings at their codes"))
        grid_box = QGroupBox(self.tr("Map"))
        grid_layout = QVBoxLayout(grid_box)
        grid_form = QFormLayout()
        grid_form.setContentsMargins(0, 0, 0, 0)
        grid_form.addRow(self.tr("Grid size"), self.resolution_spin)
        grid_form.addRow(self.tr("Range"), self.range_spin)
        grid_layout.addLayout(grid_form)
        # Rows that wrap (a form does not give them the height): the check boxes were cut
        # off at the column's edge at 200% zoom.
        grid_layout.addWidget(flow_row(self.fit_button, self.auto_fit_check))
        grid_layout.addWidget(flow_row(QLabel(self.tr("Show")), self.grid_check,
                                       self.points_check, self.sprites_check))  # fmt: skip

        self.x_combo = QComboBox()
        self.y_combo = QComboBox()
        self.dims_box = QGroupBox(self.tr("Latent dimensions"))
        dims_layout = QVBoxLayout(self.dims_box)
        axes = QHBoxLayout()
        axes.addWidget(QLabel(self.tr("across")))
        axes.addWidget(self.x_combo)
        axes.addWidget(QLabel(self.tr("up")))
        axes.addWidget(self.y_combo)
        axes.addStretch(1)
        dims_layout.addLayout(axes)
        dims_layout.addWidget(QLabel(self.tr("The other dimensions:")))
        self._slider_host = QWidget()
        self._slider_grid = QGridLayout(self._slider_host)
        self._slider_grid.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._slider_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        dims_layout.addWidget(scroll, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.coord_label)
        layout.addWidget(buttons)
        layout.addWidget(self.digit_row)
        layout.addWidget(grid_box)
        layout.addWidget(self.dims_box, 1)
        set_font_size(self, 13)
        self.coord_label.setFont(font(16, bold=True))
        self.preview.setFont(font(15))
        self.setMinimumWidth(360)
        self.setMaximumWidth(520)

    def fit_label_height(self) -> None:
        """The coordinates' two lines get their height (again after a presenter zoom)."""
        self.coord_label.setFixedHeight(2 * self.coord_label.fontMetrics().lineSpacing() + 6)

    def _on_resolution_text(self, n: int) -> None:
        self.resolution_spin.setSuffix(f" × {n}")

    # -- following the view ----------------------------------------------------------------
    def show_grid_settings(self, view: LatentView) -> None:
        """The boxes say what the view holds (without telling the panel back)."""
        with signals_blocked(self.range_spin), signals_blocked(self.resolution_spin):
            self.range_spin.setValue(view.range)
            self.resolution_spin.setValue(view.resolution)
            self._on_resolution_text(view.resolution)

    def build_dims(self, latent: int, on_slider: object) -> None:
        """One row per latent dimension: a combo entry each, and a slider for the others."""
        for row in self._slider_rows:
            # Qt keeps owning the old row until it deletes it: given back to Python
            # (setParent(None)), a row the collector freed later crashed in ~QWidget.
            self._slider_grid.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.sliders, self._slider_rows = [], []
        with signals_blocked(self.x_combo), signals_blocked(self.y_combo):
            self.x_combo.clear()
            self.y_combo.clear()
            names = [f"z[{k}]" for k in range(latent)]
            self.x_combo.addItems(names)
            self.y_combo.addItems(names)
        for k in range(latent):
            label = QLabel(f"z[{k}]")
            slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
            set_font_size(slider, 13)
            slider.setRange(-SLIDER_RANGE, SLIDER_RANGE)
            slider.setDecimals(2)
            slider.setValue(0.0)
            slider.valueChanged.connect(on_slider)
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(label)
            row_layout.addWidget(slider, 1)
            set_font_size(label, 13)
            self._slider_grid.addWidget(row, k, 0)
            self.sliders.append(slider)
            self._slider_rows.append(row)
        self.dims_box.setVisible(latent > 2)

    def show_dims(self, dims: tuple[int, int]) -> None:
        """The combos name the shown dimensions; their sliders hide."""
        with signals_blocked(self.x_combo), signals_blocked(self.y_combo):
            self.x_combo.setCurrentIndex(dims[0])
            self.y_combo.setCurrentIndex(dims[1])
        for k, row in enumerate(self._slider_rows):
            row.setVisible(k not in dims)

    def slider_values(self) -> np.ndarray:
        return np.array([s.value() for s in self.sliders], dtype=np.float32)

    def set_slider_values(self, z: np.ndarray, skip: tuple[int, int]) -> None:
        """Move the sliders of the other dimensions to ``z`` (clipped), silently."""
        for k, slider in enumerate(self.sliders):
            if k not in skip and k < len(z):
                with signals_blocked(slider):
                    slider.setValue(float(np.clip(z[k], -SLIDER_RANGE, SLIDER_RANGE)))


class MapDims:
    """The shown dimensions and the others' sliders, kept in the view; a mixin of
    :class:`LatentMapPanel` (the combos and sliders are :class:`MapControls`')."""

    view: LatentView
    controls: MapControls
    plot: Any
    digit_combo: Any
    _codec: Any
    _batch: Any
    _grid_later: Any

    def dims(self) -> tuple[int, int]:
        """The latent dimensions shown across and up."""
        return self.view.dims

    def set_dims(self, x_dim: int, y_dim: int) -> None:
        """Show latent dimensions x_dim across and y_dim up (they must differ)."""
        if x_dim == y_dim:
            raise ValueError("choose two different latent dimensions")
        self.view.dims = (int(x_dim), int(y_dim))

    def sliders(self) -> list[Any]:
        """One slider per latent dimension (those of the shown dimensions are hidden)."""
        return list(self.controls.sliders)

    def base_vector(self) -> np.ndarray:
        """The full latent vector the map is a slice of: slider values, shown dims at 0."""
        z = self.controls.slider_values()
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

    def _on_x_combo(self, index: int) -> None:
        self._choose_dims(index, self.view.dims[1], self.view.dims[0], across=True)

    def _on_y_combo(self, index: int) -> None:
        self._choose_dims(self.view.dims[0], index, self.view.dims[1], across=False)

    def _choose_dims(self, dx: int, dy: int, previous: int, across: bool) -> None:
        """One dimension on both axes says nothing: the other axis takes the old one."""
        codec = self._codec
        if codec is None or dx < 0 or dy < 0:
            return
        if dx == dy:
            other = previous if previous != dx else (dx + 1) % codec.latent_dim
            dx, dy = (dx, other) if across else (other, dy)
        self.view.dims = (dx, dy)

    def _on_dims_changed(self) -> None:
        with self._batch():
            self.view.center = (0.0, 0.0)
        self.controls.show_dims(self.dims())
        self._set_axis_labels()
        if self._codec is None:
            return
        self._update_grid()  # type: ignore[attr-defined]
        self._update_scatter()  # type: ignore[attr-defined]
        self._update_sprites()  # type: ignore[attr-defined]
        self._render_point()  # type: ignore[attr-defined]
        self._redraw_overlays()  # type: ignore[attr-defined]

    def _build_dims(self, latent: int) -> None:
        self.controls.build_dims(latent, self._grid_later)
        self.view.dims = (0, 1)
        self.controls.show_dims((0, 1))
        self._set_axis_labels()

    def _set_axis_labels(self) -> None:
        dx, dy = self.dims()
        set_axis_label(self.plot, "bottom", f"z[{dx}]", AXIS_LABEL_PT)
        set_axis_label(self.plot, "left", f"z[{dy}]", AXIS_LABEL_PT)


__all__ = ["MapControls", "MapDims"]
