"""The mouse wheel scrolls the page; it changes a box only once that box has focus.

Qt's spin boxes, combo boxes and sliders take every wheel event that passes over them, so
scrolling the Training settings with the wheel changed Recipe or Batch size on the way
down. napari and superqt follow the convention of desktop apps: a value box reacts to the
wheel only after a click or Tab has given it focus. One application-wide event filter does
this for every such widget, also those built later (Compare's maps, dialogs).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)
"""Widgets whose value the wheel would change."""


def _guarded(obj: QObject) -> QWidget | None:
    """The value box ``obj`` is, or belongs to (a spin box's line edit), else None."""
    widget = obj if isinstance(obj, QWidget) else None
    for _ in range(2):  # the box itself, or its inner line edit
        if widget is None:
            return None
        if isinstance(widget, QScrollBar):
            return None  # what scrolls the page: never guarded
        if isinstance(widget, GUARDED):
            return widget
        widget = widget.parentWidget()
    return None


class WheelGuard(QObject):
    """Passes a wheel over an unfocused value box on to the scrollable page beneath it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is not QEvent.Type.Wheel:
            return False
        box = _guarded(watched)
        focused = QApplication.focusWidget()
        if box is None or box.hasFocus() or (focused is not None and box.isAncestorOf(focused)):
            return False
        if box.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus either
        # Qt does not pass a sent (not spontaneous) wheel event up by itself: offer it to each
        # ancestor in turn until one takes it (the scroll area's viewport scrolls the page).
        parent = box.parentWidget()
        while parent is not None:
            event.accept()
            QApplication.sendEvent(parent, event)
            if event.isAccepted():
                break
            parent = parent.parentWidget()
        return True


_guard: WheelGuard | None = None


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard on ``app`` once (make_app calls this)."""
    global _guard
    if _guard is None:
        _guard = WheelGuard(app)
        app.installEventFilter(_guard)
    return _guard


__all__ = ["WheelGuard", "install_wheel_guard"]
