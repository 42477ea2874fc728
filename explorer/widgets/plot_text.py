"""Text in pyqtgraph plots at the presenter's zoom: tick labels, axis titles, plot titles and
(where a panel asks) legends.

pyqtgraph draws these with its own fonts and CSS sizes, not the widget font the presenter
scales, so they stayed small on a projector. Each plot item keeps its zoom, and each text its
base size (the size at zoom 1, remembered the first time it is scaled); :func:`scale_plot`
redraws them at base × zoom. A panel that sets an axis title or plot title later (a new
model, other latent dimensions) goes through :func:`set_axis_label` / :func:`set_title`, so
the new text comes at the current zoom too.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

TEXT_COLOR = "#1d1f23"
AXES = ("left", "bottom", "right", "top")
TITLE_ROW_PX = 30
"""pyqtgraph's own height for the title row (at zoom 1)."""
TITLE_MIN = 0.65
"""How small (of its 100% size) a zoomed title may shrink to fit its plot's width."""

_ZOOM = "ae_zoom"
_TICK_PT = "ae_tick_pt"
_LABEL_PT = "ae_label_pt"
_TITLE_PT = "ae_title_pt"
_WIDTH = "ae_fixed_width"
_HEIGHT = "ae_fixed_height"
_LEGEND_PT = "ae_legend_pt"
_DENSITY = "ae_tick_density"
_FITTED = "ae_ticks_fitted"


def _item(plot: Any) -> Any:
    """The PlotItem of a PlotWidget (or the PlotItem itself)."""
    return plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot


def zoom_of(plot: Any) -> float:
    """The zoom this plot's text is drawn at (1.0 until the presenter zooms)."""
    return float(getattr(_item(plot), _ZOOM, 1.0))


def _points(css: object) -> float | None:
    """``"15pt"`` -> 15.0 (None for other units or none given)."""
    found = re.fullmatch(r"\s*([0-9.]+)\s*pt\s*", str(css)) if css is not None else None
    return float(found.group(1)) if found else None


def _size(points: float) -> str:
    return f"{points:.1f}pt"


def _base(obj: Any, key: str, first: float | None) -> float | None:
    """The size ``obj`` had at zoom 1: remembered under ``key`` the first time it is seen."""
    base = getattr(obj, key, None)
    if base is None and first is not None:
        base = float(first)
        setattr(obj, key, base)
    return base


# -- what panels call ---------------------------------------------------------------------------
def set_axis_label(plot: Any, name: str, text: str, points: float, color: str = TEXT_COLOR) -> None:
    """An axis title of ``points`` (at zoom 1), drawn at the plot's current zoom."""
    item = _item(plot)
    axis = item.getAxis(name)
    setattr(axis, _LABEL_PT, float(points))
    axis.setLabel(text, **{"color": color, "font-size": _size(points * zoom_of(item))})


def set_title(plot: Any, text: str, points: float, color: str = TEXT_COLOR) -> None:
    """A plot title of ``points`` (at zoom 1), drawn at the plot's current zoom."""
    item = _item(plot)
    setattr(item, _TITLE_PT, float(points))
    item.setTitle(text, color=color)
    _draw_title(item)


# -- what the presenter calls -------------------------------------------------------------------
def scale_plot(plot: Any, factor: float) -> None:
    """Draw the plot's tick labels, axis titles and title at ``factor`` × their base size;
    fixed axis widths and the title row grow with them so nothing is clipped."""
    item = _item(plot)
    setattr(item, _ZOOM, float(factor))
    for name in AXES:
        axis = item.getAxis(name)
        _scale_ticks(axis, factor)
        _scale_label(axis, factor)
        width = _base(axis, _WIDTH, axis.fixedWidth)
        if width is not None:
            axis.setWidth(round(width * factor))
        height = _base(axis, _HEIGHT, axis.fixedHeight)
        if height is not None:
            axis.setHeight(round(height * factor))
    title = item.titleLabel
    if title.isVisible() and title.text:
        first = _points(title.opts.get("size")) or title.item.font().pointSizeF()
        if _base(item, _TITLE_PT, first):
            _draw_title(item)
    if getattr(item, "legend", None) is not None:
        _fit_legend(item)
        if not getattr(item, "_ae_legend_follows", False):
            item._ae_legend_follows = True  # and again whenever the plot resizes
            item.vb.sigResized.connect(lambda _vb: _fit_legend(item))


def _fit_legend(item: Any) -> None:
    """While zoomed, a legend placed from the plot's left edge that would run past its right
    edge (the loss plot, narrower beside the zoomed settings) is placed from the right edge
    instead; at 100% it goes back where the panel put it."""
    legend = item.legend
    offset = legend.opts.get("offset")
    if legend.parentItem() is None or offset is None:
        return
    x, y = offset
    right = zoom_of(item) != 1.0 and x >= 0 and x + legend.width() > item.vb.width()
    if right == getattr(legend, "_ae_from_right", False):
        return  # placed so already (no re-anchoring inside the view's resize)
    legend._ae_from_right = right
    if right:
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-4, y))
    else:
        legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(x, y))


def scale_legend(legend: pg.LegendItem, factor: float) -> None:
    """The legend's entries at ``factor`` × their base size, the frame resized to fit.

    Not done by :func:`scale_plot`: a legend over a short plot (the loss curves) would hide
    the curves; a panel whose legend has room (the latent map) calls this itself."""
    base = _base(legend, _LEGEND_PT, _points(legend.opts.get("labelTextSize")) or 9.0)
    assert base is not None
    size = _size(base * factor)
    legend.opts["labelTextSize"] = size
    for _sample, label in legend.items:
        label.setText(label.text, size=size)
    legend.layout.invalidate()
    legend.layout.activate()
    legend.updateSize()


def _scale_ticks(axis: Any, factor: float) -> None:
    current = axis.style.get("tickFont")
    base = _base(axis, _TICK_PT, current.pointSizeF() if current is not None else 11.0)
    assert base is not None
    tick = QFont(current) if current is not None else QFont()
    tick.setPointSizeF(base * factor)
    axis.setTickFont(tick)
    # Bigger labels need more room each: fewer ticks, so they do not overlap on a short axis.
    density = _base(axis, _DENSITY, axis._tickDensity)
    assert density is not None
    axis.setTickDensity(density / max(1.0, factor))
    if axis.orientation in ("left", "right") and not getattr(axis, _FITTED, False):
        _fit_vertical_ticks(axis)


def _fit_vertical_ticks(axis: Any) -> None:
    """Never more major ticks than the axis has room for labels: pyqtgraph keeps at least
    2.25 intervals whatever the size, so a short axis (the KL plot at 150% on a 720-px
    projector) piled "0.2 0.4 0.6 0.8" on top of each other."""
    spacing = axis.tickSpacing  # pyqtgraph's own (bound) method

    def fitted(low: float, high: float, size: float) -> Any:
        levels = spacing(low, high, size)
        if not levels or axis._tickSpacing is not None:
            return levels
        font = axis.style.get("tickFont") or QFont()
        room = max(1, int(size // (QFontMetrics(font).height() * 1.15)))
        major = levels[0][0]
        low, high = min(low, high), max(low, high)

        def labels(step: float) -> int:  # the major ticks inside the range
            return math.floor(high / step + 1e-9) - math.ceil(low / step - 1e-9) + 1

        steps = 0
        while major > 0 and labels(major) > room and steps < 12:
            mantissa = major / 10 ** math.floor(math.log10(major) + 1e-9)
            major *= 2.5 if round(mantissa) == 2 else 2.0  # 1 → 2 → 5 → 10 …
            steps += 1
        return [(major, 0), *[lv for lv in levels[1:] if lv[0] < major]]

    axis.tickSpacing = fitted
    setattr(axis, _FITTED, True)


def _scale_label(axis: Any, factor: float) -> None:
    if not axis.labelText:
        return
    first = _points(axis.labelStyle.get("font-size")) or axis.label.font().pointSizeF()
    base = _base(axis, _LABEL_PT, first)
    if not base:
        return
    style = {**axis.labelStyle, "font-size": _size(base * factor)}
    axis.setLabel(axis.labelText, axis.labelUnits or None, axis.labelUnitPrefix or None, **style)


def _draw_title(item: Any) -> None:
    """The title at base × zoom, but no wider than the view under it (a long title on a
    narrow plot would push the plot out of its widget), in a row that grows with it."""
    title = item.titleLabel
    base = getattr(item, _TITLE_PT, None)
    if base is None or getattr(item, "_ae_fitting", False):
        return
    item._ae_fitting = True
    try:
        zoom = zoom_of(item)
        points = base * zoom
        title.setText(title.text, size=_size(points))
        room, wide = _title_room(item), title.itemRect().width()
        if zoom > 1.0 and room > 0 and wide > room:
            # Down to TITLE_MIN of its base: a narrower plot beside a zoomed column cut it off.
            points = max(base * TITLE_MIN, points * room / wide)
            title.setText(title.text, size=_size(points))
        height = round(TITLE_ROW_PX * points / base)
        title.setMaximumHeight(height)
        item.layout.setRowFixedHeight(0, height)
    finally:
        item._ae_fitting = False
    if zoom > 1.0 and not getattr(item, "_ae_title_follows", False):
        item._ae_title_follows = True  # fit again whenever the plot resizes
        item.vb.sigResized.connect(lambda _vb: _refit_title(item))


def _title_room(item: Any) -> float:
    """The width the title may take: the widget's, less the side axes (not the view box's,
    which the title's own minimum width would widen)."""
    view = item.getViewWidget()
    if view is None:
        return 0.0
    sides = sum(item.getAxis(n).width() for n in ("left", "right") if item.getAxis(n).isVisible())
    return float(view.width() - sides) * 0.94  # HTML text draws a little wider than measured


def _refit_title(item: Any) -> None:
    if zoom_of(item) > 1.0 and item.titleLabel.isVisible():
        _draw_title(item)


__all__ = [
    "TEXT_COLOR",
    "scale_legend",
    "scale_plot",
    "set_axis_label",
    "set_title",
    "zoom_of",
]
