"""The latent map's plot: a square view where a click or drag picks a point, its colours
and its marker. Shared by the Latent map and Compare tabs."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal

from explorer.latent_view import MAX_RANGE
from explorer.widgets.imaging import font

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

EMPTY_MESSAGE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "LatentMapPanel",
    "No VAE yet.\n\nThe latent map needs a trained VAE or CVAE: train one in the Training tab "
    "or load weights from the File menu.",
)
"""The Latent map's empty page (shown through ``LatentMapPanel.tr``)."""


class PassiveScatter(pg.ScatterPlotItem):
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
    pad_edges(plot, tick_pt)
    grid_item = pg.ImageItem()
    grid_item.setZValue(-10)
    plot.addItem(grid_item)
    return view_box, plot, grid_item


def pad_edges(plot: pg.PlotWidget, tick_pt: float) -> None:
    """Room above and right of the view for half a tick label: the top tick's label ("4")
    and the last one across were cut at the widget's edge."""
    from PySide6.QtGui import QFontMetricsF

    metrics = QFontMetricsF(font(round(tick_pt)))
    top = int(metrics.height() / 2 + 3)
    right = int(metrics.horizontalAdvance("-0.0") / 2 + 3)
    plot.getPlotItem().layout.setContentsMargins(1, top, right, 1)


def add_marker(plot: pg.PlotWidget, size: float) -> PassiveScatter:
    """The red cross at the picked point, above the points, deaf to the mouse."""
    marker = PassiveScatter(
        size=size, symbol="+", brush=pg.mkBrush(MARKER_COLOR), pen=pg.mkPen("#ffffff", width=1.5)
    )
    marker.setZValue(20)
    plot.addItem(marker)
    return marker


__all__ = [
    "AUTO_FIT_OUTSIDE", "AXIS_LABEL_PT", "DIGIT_COLORS", "DIGIT_SYMBOLS", "DRAG_THROTTLE_MS",
    "DRAWING_COLOR", "EMPTY_MESSAGE", "ENDS_COLOR", "MARKER_COLOR", "MAX_POINTS", "MAX_RANGE",
    "SLIDER_RANGE", "SLIDER_THROTTLE_MS", "STRIP_HEIGHT", "LatentViewBox", "PassiveScatter",
    "add_marker", "latent_plot", "pad_edges",
]  # fmt: skip
