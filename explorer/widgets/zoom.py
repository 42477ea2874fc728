"""The presenter zoom applied to a tree of widgets: each font at its own base size × factor.

Here (not in :mod:`explorer.presenter`) so a panel that builds widgets later (the Compare
tab's maps, built when first shown) can bring them to the zoom already chosen.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from explorer.widgets.imaging import ImageGrid
from explorer.widgets.plot_text import scale_plot

BASE_PROPERTY = "aeBasePointSize"
"""Where a widget remembers its font's size at 100% (set the first time it is scaled)."""


def scale_widgets(root: QWidget, factor: float) -> None:
    """``root`` and every widget in it: fonts, image captions and plots' text at ``factor``.

    The bases are all read before any font is set: a widget without a font of its own
    inherits its parent's, so reading them as we went took each from an already zoomed
    parent, and the zoom compounded down the tree (a 9-pt label at 130 pt)."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget.property(BASE_PROPERTY) is None and widget.font().pointSizeF() > 0:
            widget.setProperty(BASE_PROPERTY, widget.font().pointSizeF())
    for widget in widgets:
        base = widget.property(BASE_PROPERTY)
        if base is None:
            continue
        font = QFont(widget.font())
        font.setPointSizeF(float(base) * factor)
        widget.setFont(font)
        if isinstance(widget, ImageGrid):
            widget.set_scale(factor)
        elif isinstance(widget, pg.PlotWidget):
            scale_plot(widget, factor)


__all__ = ["BASE_PROPERTY", "scale_widgets"]
