"""What the map draws over its points: the Draw tab's drawing with its 1σ and 2σ ellipses,
and the interpolation's ends A and B with the path between them. Each is drawn from the
session's :class:`explorer.latent_view.LatentView` in the dimensions shown."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt

from explorer.latent_view import LatentView
from explorer.panels.latent.plot import DRAWING_COLOR, ENDS_COLOR, PassiveScatter
from explorer.widgets.imaging import font


class MapOverlays:
    """The drawing and the A/B items of one plot (created once, then only ``setData``)."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        pen1 = pg.mkPen(DRAWING_COLOR, width=3)
        pen2 = pg.mkPen(DRAWING_COLOR, width=2, style=Qt.PenStyle.DashLine)
        self.drawing_ellipses = (pg.PlotCurveItem(pen=pen1), pg.PlotCurveItem(pen=pen2))
        self.drawing_point = PassiveScatter(
            size=9, symbol="o", brush=pg.mkBrush(DRAWING_COLOR), pen=pg.mkPen("#ffffff", width=1.5)
        )
        self.drawing_label = pg.TextItem(
            QCoreApplication.translate("LatentMapPanel", "your drawing"),
            color=DRAWING_COLOR,
            anchor=(0, 1),
            fill=pg.mkBrush(255, 255, 255, 210),
        )
        self.drawing_label.setFont(font(14, bold=True))
        self.ends_item = PassiveScatter(
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
            plot.addItem(item)
        self.ends_halo.setZValue(24)
        for text in self.ends_text:
            text.setFont(font(14, bold=True))

    def show_drawing(self, view: LatentView) -> None:
        """The view's drawing (z_mean with its 1σ and 2σ ellipses), or nothing."""
        from models.inference.pad import sigma_ellipse

        drawing, dims = view.drawing, view.dims
        shown = drawing is not None and len(drawing[0]) > max(dims) and dims[0] != dims[1]
        for item in (*self.drawing_ellipses, self.drawing_point, self.drawing_label):
            item.setVisible(shown)
        if not shown or drawing is None:
            return
        mean, log_var = np.asarray(drawing[0]), np.asarray(drawing[1])
        for k, item in enumerate(self.drawing_ellipses, start=1):
            x, y = sigma_ellipse(mean, log_var, k=float(k), dims=dims)
            item.setData(x, y)
        x0, y0 = float(mean[dims[0]]), float(mean[dims[1]])
        self.drawing_point.setData([x0], [y0])
        self.drawing_label.setPos(x0, y0 + 2 * float(np.exp(0.5 * log_var[dims[1]])))

    def drawing_shown(self) -> tuple[float, float] | None:
        """Where the drawing's dot is on the map, or None."""
        if not self.drawing_point.isVisible():
            return None
        x, y = self.drawing_point.getData()
        return float(x[0]), float(y[0])

    def show_ends(self, view: LatentView, path: np.ndarray) -> None:
        """The A and B squares and the strip's points between them (``path``: (N, latent))."""
        dx, dy = view.dims
        xs, ys = [], []
        for text, which in zip(self.ends_text, "AB", strict=True):
            z = view.end(which)
            ok = z is not None and len(z) > max(dx, dy)
            text.setVisible(ok)
            if z is not None and ok:
                text.setPos(float(z[dx]), float(z[dy]))
                xs.append(float(z[dx]))
                ys.append(float(z[dy]))
        self.ends_item.setData(xs, ys)
        self.ends_item.setVisible(bool(xs))
        ok = bool(xs) and path.ndim == 2 and len(path) > 0 and path.shape[1] > max(dx, dy)
        if ok:
            self.ends_path.setData(path[:, dx], path[:, dy])
            self.ends_halo.setData(path[:, dx], path[:, dy])
        self.ends_path.setVisible(ok)
        self.ends_halo.setVisible(ok)

    def ends_shown(self) -> list[tuple[float, float]]:
        """Where the A and B squares are on the map (A first)."""
        if not self.ends_item.isVisible():
            return []
        x, y = self.ends_item.getData()
        return [(float(a), float(b)) for a, b in zip(x, y, strict=True)]


class MapEnds:
    """The panel's side of the overlays: the strip's ends A/B (Shift+click, Shift+drag) and
    the Draw tab's drawing, both kept in the view; a mixin of :class:`LatentMapPanel`."""

    view: LatentView
    overlays: MapOverlays
    strip: Any
    end_picked: Any
    _codec: Any

    def drawing(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(z_mean, z_log_var) of the drawing shown, or None."""
        d = self.view.drawing
        return None if d is None else (np.asarray(d[0]), np.asarray(d[1]))

    def show_drawing(self, z_mean: np.ndarray, z_log_var: np.ndarray) -> None:
        """Mark a drawing's z_mean with its 1σ and 2σ ellipses (from z_log_var) on the map."""
        self.view.show_drawing(z_mean, z_log_var)

    def clear_drawing(self) -> None:
        self.view.show_drawing(None)

    def pick_end(self, x: float, y: float, which: str | None = None) -> np.ndarray:
        """Set an end of the strip at (x, y) in the shown dimensions: A, then B, then A...

        The other dimensions come from the sliders. Returns the full latent vector.
        """
        which = which or self._next_end
        dx, dy = self.dims()  # type: ignore[attr-defined]
        z = self.base_vector()  # type: ignore[attr-defined]
        if len(z) > max(dx, dy):
            z[dx], z[dy] = x, y
        self._next_end = "B" if which == "A" else "A"
        self.view.set_end(which, z)
        self.end_picked.emit(which, z)
        return z

    _next_end = "A"

    def drag_end(self, x0: float, y0: float, x: float, y: float) -> np.ndarray | None:
        """Shift+drag: move the end nearest to where the drag began (the strip follows, live).

        With no end yet, the drag sets one, as a Shift+click would.
        """
        dx, dy = self.dims()  # type: ignore[attr-defined]
        ends = [(w, self.view.end(w)) for w in "AB"]
        near = [
            (float(np.hypot(z[dx] - x0, z[dy] - y0)), w)
            for w, z in ends
            if z is not None and len(z) > max(dx, dy)
        ]
        if not near:
            return self.pick_end(x, y)
        which = min(near)[1]
        z = self.view.end(which)
        assert z is not None
        z = z.copy()
        z[dx], z[dy] = x, y
        self.view.set_end(which, z)
        self.end_picked.emit(which, z)
        return z

    def _show_ends(self) -> None:
        self.overlays.show_ends(self.view, self.strip.points())

    def _redraw_overlays(self) -> None:
        """The drawing and the ends in newly chosen dimensions."""
        self.overlays.show_drawing(self.view)
        self._show_ends()

    def _strip_follow(self, same_shape: bool, had_model: bool) -> None:
        """A new epoch redraws the strip; another model forgets its ends and the drawing."""
        if self._codec is None or (had_model and not same_shape):
            self.view.clear_ends()
            self._next_end = "A"
            self.strip.clear_ends()
            self.view.show_drawing(None)
        self.strip.set_decoder(self._codec, labels=self.label_vector)  # type: ignore[attr-defined]

    # Old names, read by tests and Compare.
    @property
    def drawing_point(self) -> pg.ScatterPlotItem:
        return self.overlays.drawing_point

    @property
    def drawing_label(self) -> pg.TextItem:
        return self.overlays.drawing_label

    @property
    def drawing_ellipses(self) -> tuple[pg.PlotCurveItem, pg.PlotCurveItem]:
        return self.overlays.drawing_ellipses


__all__ = ["MapEnds", "MapOverlays"]
