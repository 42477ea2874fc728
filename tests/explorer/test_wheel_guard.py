"""The mouse wheel over the Training settings scrolls the column; it changes a box only
once that box has focus (a new user's wheel changed Recipe from classic to improved)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea

from explorer.app import make_app
from explorer.main_window import MainWindow


def _wheel(widget: Any, steps: int = -1) -> None:
    """One notch of the wheel (down for ``steps`` < 0) over the middle of ``widget``."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _recipe_box(window: MainWindow) -> QComboBox:
    boxes = [
        box
        for box in window.training.findChildren(QComboBox)
        if [box.itemText(i) for i in range(box.count())][:2] == ["classic", "improved"]
    ]
    assert len(boxes) == 1, "the Training tab shows one Recipe box"
    return boxes[0]


def test_the_wheel_scrolls_the_settings_and_leaves_recipe_alone(qtbot: Any) -> None:
    make_app()  # installs the guard, as at start-up
    window = MainWindow(load_tensorflow=False, load_shipped=False)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    recipe = _recipe_box(window)
    assert recipe.currentText() == "classic" and not recipe.hasFocus()
    # The innermost scroll area: the settings column (the whole page scrolls too, at a zoom).
    areas = [a for a in window.training.findChildren(QScrollArea) if a.isAncestorOf(recipe)]
    column = next(a for a in areas if not any(a.isAncestorOf(b) for b in areas if b is not a))
    bar = column.verticalScrollBar()
    window.training.setMinimumHeight(0)
    column.widget().setMinimumHeight(column.viewport().height() + 400)  # room to scroll
    bar.setValue(0)

    _wheel(recipe, -1)
    assert recipe.currentText() == "classic"  # unchanged: the box had no focus
    assert bar.value() > 0  # the column scrolled instead

    window.activateWindow()
    recipe.setFocus(Qt.FocusReason.TabFocusReason)  # Tab to it, as a keyboard user would
    qtbot.waitUntil(recipe.hasFocus)
    _wheel(recipe, -1)
    assert recipe.currentText() == "improved"  # focused: the wheel is the box's
    window.close()
