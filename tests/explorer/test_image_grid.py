"""The picture grid's row names have room: a category's name, not only a digit's."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtGui import QFontMetrics

from explorer.widgets.imaging import ImageGrid


def test_row_names_of_categories_are_not_cut(qtbot: Any) -> None:
    grid = ImageGrid(2, 3)
    qtbot.addWidget(grid)
    grid.resize(600, 400)
    grid.set_images(list(np.zeros((6, 28, 28), np.float32)))
    grid.set_axis_labels(["house plant", "cat"], ["a", "b", "c"])
    name_w = QFontMetrics(grid._caption_font).horizontalAdvance("house plant")
    assert grid.cell_rects()[0].left() >= name_w + 6  # the name fits left of its row
    grid.set_axis_labels([str(d) for d in range(2)], ["a", "b", "c"])
    assert grid.cell_rects()[0].left() < name_w  # digits keep their narrow margin
