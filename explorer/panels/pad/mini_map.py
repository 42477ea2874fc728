"""The Draw tab's mini map: a small copy of the latent map (the points, no decoded grid)
where the drawing lands while you draw, with its 1σ and 2σ ellipses and a legend."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from explorer.panels.latent.plot import DRAWING_COLOR
from explorer.widgets.categories import class_color, class_symbol, digit_names
from explorer.widgets.plot_text import scale_legend

MINI_POINTS = 2000
"""Points drawn at most (the mini map is small)."""


class MiniMap(QWidget):
    """The points of a model's latent plane and where the drawing lands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setAspectLocked(True)
        self.plot.setMinimumHeight(110)  # its note below keeps its lines at 200% zoom
        self.plot.setTitle(
            self.tr("Where your drawing lands (1σ and 2σ)"), color="#1d1f23", size="12pt"
        )
        self.points = pg.ScatterPlotItem(size=4, pen=None)
        self.plot.addItem(self.points)
        pens = (pg.mkPen(DRAWING_COLOR, width=3),
                pg.mkPen(DRAWING_COLOR, width=2, style=Qt.PenStyle.DashLine))  # fmt: skip
        self.ellipses = tuple(pg.PlotCurveItem(pen=pen) for pen in pens)
        self.point = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(DRAWING_COLOR),
                                        pen=pg.mkPen("#ffffff", width=1))  # fmt: skip
        for item in (*self.ellipses, self.point):
            item.setZValue(10)
            self.plot.addItem(item)
        # The legend names the classes the colours stand for (it had none) and the drawing.
        self.legend = pg.LegendItem(
            offset=(-4, 4),
            labelTextSize="9pt",
            labelTextColor="#1d1f23",
            brush=pg.mkBrush(255, 255, 255, 215),
            pen=pg.mkPen("#8a9099"),
            verSpacing=-8,
        )
        self.legend.setParentItem(self.plot.getPlotItem().vb)
        self._names: tuple[str, ...] = ()
        self._for: Any = None
        self._z: tuple[np.ndarray, np.ndarray] | None = None
        self._dims = (0, 1)
        # A trained VAE is sure of a clear drawing: its σ is often 0.05 on a map 8 wide, so
        # the ellipses hide under the dot. Zooming in shows their size among the neighbours.
        self.zoom_check = QCheckBox(self.tr("Zoom to the drawing"))
        self.zoom_check.setToolTip(
            self.tr(
                "Show the few units around your drawing, where the 1σ and 2σ ellipses of "
                "q(z | drawing) are visible; off: the whole map"
            )
        )
        self.zoom_check.toggled.connect(self._on_zoom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.zoom_check)

    def legend_names(self) -> list[str]:
        """The legend's entries, as shown."""
        return [label.text for _sample, label in self.legend.items]

    def set_scale(self, factor: float) -> None:
        scale_legend(self.legend, factor)

    def _set_legend(self, names: tuple[str, ...]) -> None:
        if names == self._names:
            return
        self._names = names
        self.legend.clear()
        # The columns before the entries: pyqtgraph's re-layout of entries already placed put
        # names and symbols on different rows and columns.
        self.legend.setColumnCount(2 if len(names) <= 10 else 3)
        pen = pg.mkPen(0, 0, 0, 110, width=0.6)
        for d, name in enumerate(names):
            sample = pg.ScatterPlotItem(size=7, symbol=class_symbol(d),
                                        brush=pg.mkBrush(class_color(d)), pen=pen)  # fmt: skip
            self.legend.addItem(sample, name)
        if names:
            mark = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(DRAWING_COLOR), pen=None)
            self.legend.addItem(mark, self.tr("your drawing"))
        self.legend.setVisible(bool(names))

    def show_points(
        self, points: Any, dims: tuple[int, int], names: tuple[str, ...] | None = None
    ) -> None:
        """A model's validation points (``slot.points``) in dimensions ``dims``, coloured by
        class, with the classes' ``names`` in the legend (digits by default)."""
        self._dims = dims
        key = (id(points), dims)
        if key == self._for:
            return
        self._for = key
        if points is None or points.z.ndim != 2 or points.z.shape[1] <= max(dims):
            self.points.setData(x=[], y=[])
            self._set_legend(())
            return
        zz = points.z[:MINI_POINTS]
        labels = points.labels
        if labels is None or len(labels) < len(zz):
            self.points.setData(x=zz[:, dims[0]], y=zz[:, dims[1]], brush=pg.mkBrush("#8a9099"))
            self._set_legend(())
            return
        lab = np.asarray(labels[: len(zz)], np.int64)
        brushes = {c: pg.mkBrush(class_color(c)) for c in np.unique(lab)}
        self.points.setData(x=zz[:, dims[0]], y=zz[:, dims[1]], brush=[brushes[c] for c in lab])
        count = int(lab.max()) + 1 if len(lab) else 0
        shown = tuple(names) if names else digit_names(max(count, 10))
        self._set_legend(shown)

    def show_drawing(self, z: tuple[np.ndarray, np.ndarray] | None) -> None:
        """The drawing's (z_mean, z_log_var) with its ellipses, or nothing."""
        from models.inference.pad import sigma_ellipse

        self._z = z
        dims = self._dims
        if z is None or len(z[0]) <= max(dims):
            for item in (*self.ellipses, self.point):
                item.setVisible(False)
            return
        for k, item in enumerate(self.ellipses, start=1):
            x, y = sigma_ellipse(z[0], z[1], k=float(k), dims=dims)
            item.setData(x, y)
            item.setVisible(True)
        self.point.setData([float(z[0][dims[0]])], [float(z[0][dims[1]])])
        self.point.setVisible(True)
        self._frame()

    def zoom_range(self) -> tuple[float, float, float, float] | None:
        """(x0, x1, y0, y1) around the drawing: three times its 2σ ellipse, at least ±0.25;
        None when there is no drawing to zoom to."""
        z, dims = self._z, self._dims
        if z is None or len(z[0]) <= max(dims):
            return None
        mean, sd = np.asarray(z[0], float), np.exp(0.5 * np.asarray(z[1], float))
        half = max(0.25, 3 * 2 * float(max(sd[dims[0]], sd[dims[1]])))
        cx, cy = float(mean[dims[0]]), float(mean[dims[1]])
        return cx - half, cx + half, cy - half, cy + half

    def _on_zoom(self, _on: bool) -> None:
        self._frame()

    def _frame(self) -> None:
        box = self.zoom_range() if self.zoom_check.isChecked() else None
        if box is None:
            self.plot.enableAutoRange()
        else:
            self.plot.setRange(xRange=box[:2], yRange=box[2:], padding=0)


__all__ = ["MiniMap"]
