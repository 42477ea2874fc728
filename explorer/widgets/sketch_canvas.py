"""A sketch pad: strokes from the mouse, a pen (tablet events) or a finger (touch events).

The pad records each stroke as points in its own square "pad units" (0..PAD_UNITS across the
drawing square, y down), so a drawing keeps its shape when the window is resized. What the
strokes mean to a model (the Quick Draw form, an MNIST-style digit) is the engine's business:
:mod:`models.data.sketch` turns ``strokes()`` into the model's input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from explorer.widgets.imaging import FRAME, PAPER, TEXT, to_qimage

PAD_UNITS = 1000.0
"""The drawing square is PAD_UNITS wide in the coordinates ``strokes()`` returns."""
INK_WIDTH = 0.055
"""Pen width on screen as a share of the square (looks like a thick marker, as MNIST's)."""
HINT: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "SketchCanvas", "Draw here (mouse, pen or finger)"
)
"""Painted on the empty pad, translated when painted."""


class SketchCanvas(QWidget):
    """A square drawing area that records strokes; Ctrl+Z undoes a stroke."""

    stroke_started = Signal()
    stroke_moved = Signal()
    """The pen moved during a stroke (many times a second: throttle what it triggers)."""
    stroke_finished = Signal()
    changed = Signal()
    """The finished strokes changed: a stroke ended, or undo, clear, or a drawing was set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[tuple[float, float]]] = []
        self._current: list[tuple[float, float]] | None = None
        self._picture: QImage | None = None
        self._picture_array: np.ndarray | None = None
        self._opened: list[list[tuple[float, float]]] = []
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(200, 200)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setSizePolicy(policy)
        self.setToolTip(self.tr("Draw with the mouse, a pen or a finger. Ctrl+Z undoes a stroke."))

    # -- the drawing -------------------------------------------------------------------------
    def strokes(self) -> list[np.ndarray]:
        """The finished strokes and the one being drawn, as float (2, n) arrays (x, y)."""
        out = [np.asarray(s, np.float64).T.reshape(2, -1) for s in self._strokes if s]
        if self._current:
            out.append(np.asarray(self._current, np.float64).T.reshape(2, -1))
        return out

    def finished_strokes(self) -> list[np.ndarray]:
        return [np.asarray(s, np.float64).T.reshape(2, -1) for s in self._strokes if s]

    def is_empty(self) -> bool:
        return not self._strokes and not self._current and self._picture is None

    @property
    def drawing(self) -> bool:
        """True while a stroke is being drawn."""
        return self._current is not None

    def picture(self) -> np.ndarray | None:
        """An opened picture (ink 1.0) shown instead of strokes, or None."""
        return self._picture_array

    def undo(self) -> bool:
        """Remove the last stroke; False if there was none."""
        if self._current is not None or not self._strokes:
            return False
        self._strokes.pop()
        self.update()
        self.changed.emit()
        return True

    def clear(self) -> None:
        self._strokes, self._current = [], None
        self._picture = self._picture_array = None
        self.update()
        self.changed.emit()

    def set_strokes(self, strokes: Sequence[np.ndarray], extent: float = 255.0) -> None:
        """Show these strokes ((2, n) arrays in 0..extent, e.g. a saved Quick Draw drawing)."""
        k = PAD_UNITS / extent
        self._strokes = [
            [(float(x) * k, float(y) * k) for x, y in np.asarray(s, np.float64).T]
            for s in strokes
            if np.asarray(s).size
        ]
        self._current = None
        self._picture = self._picture_array = None
        self._opened = list(self._strokes)
        self.update()
        self.changed.emit()

    def unchanged_since_set(self) -> bool:
        """True while the pad shows exactly the strokes :meth:`set_strokes` gave it (no stroke
        added or undone since), so the opened drawing itself can be used, not a copy."""
        return (
            bool(self._opened)
            and self._current is None
            and len(self._strokes) == len(self._opened)
            and all(a is b for a, b in zip(self._strokes, self._opened, strict=True))
        )

    def set_picture(self, image: np.ndarray) -> None:
        """Show an opened picture (H, W), ink 1.0, instead of strokes."""
        self._strokes, self._current = [], None
        self._picture_array = np.asarray(image, np.float32)
        self._picture = to_qimage(self._picture_array)
        self.update()
        self.changed.emit()

    # -- geometry ----------------------------------------------------------------------------
    def square(self) -> QRectF:
        """The drawing square in widget pixels (centred, as large as fits)."""
        side = max(1.0, min(self.width(), self.height()) - 2.0)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_pad(self, pos: QPointF) -> tuple[float, float]:
        r = self.square()
        k = PAD_UNITS / r.width()
        return ((pos.x() - r.left()) * k, (pos.y() - r.top()) * k)

    def to_widget(self, x: float, y: float) -> QPointF:
        r = self.square()
        k = r.width() / PAD_UNITS
        return QPointF(r.left() + x * k, r.top() + y * k)

    def sizeHint(self) -> QSize:
        return QSize(360, 360)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    # -- input: one path for mouse, pen and touch --------------------------------------------
    def begin_stroke(self, pos: QPointF) -> None:
        if self._picture is not None:  # drawing over an opened picture starts afresh
            self._picture = self._picture_array = None
        self._current = [self.to_pad(pos)]
        self.update()
        self.stroke_started.emit()
        self.stroke_moved.emit()

    def extend_stroke(self, pos: QPointF) -> None:
        if self._current is None:
            return
        p = self.to_pad(pos)
        if p != self._current[-1]:
            self._current.append(p)
            self.update()
            self.stroke_moved.emit()

    def end_stroke(self, pos: QPointF | None = None) -> None:
        if self._current is None:
            return
        if pos is not None:
            p = self.to_pad(pos)
            if p != self._current[-1]:
                self._current.append(p)
        self._strokes.append(self._current)
        self._current = None
        self.update()
        self.stroke_finished.emit()
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.begin_stroke(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current is not None:
            self.extend_stroke(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self.end_stroke(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: handled here, so Qt does not also synthesize mouse events for it."""
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self.begin_stroke(event.position())
        elif kind == QEvent.Type.TabletMove:
            self.extend_stroke(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self.end_stroke(event.position())
        else:
            return super().tabletEvent(event)
        event.accept()

    def event(self, event: QEvent) -> bool:
        """A finger: the first touch point draws (a second finger is ignored)."""
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self.begin_stroke(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self.extend_stroke(pos)
                else:
                    self.end_stroke(pos)
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self._current = None
            self.update()
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            event.accept()
        else:
            super().keyPressEvent(event)

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.square()
        painter.fillRect(r, PAPER)
        painter.setPen(QPen(FRAME, 1))
        painter.drawRect(r)
        if self._picture is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(r, self._picture)
        pen = QPen(QColor("#111111"), max(2.0, INK_WIDTH * r.width()))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        strokes = [*self._strokes, *([self._current] if self._current else [])]
        for stroke in strokes:
            path = QPainterPath(self.to_widget(*stroke[0]))
            for x, y in stroke[1:]:
                path.lineTo(self.to_widget(x, y))
            if len(stroke) == 1:
                painter.drawPoint(self.to_widget(*stroke[0]))
            else:
                painter.drawPath(path)
        if not strokes and self._picture is None:
            painter.setPen(QPen(TEXT))
            # Wrapped inside the pad: at a big zoom the hint is wider than a narrow pad.
            flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
            painter.drawText(r.adjusted(8, 8, -8, -8), flags, self.tr(HINT))
        painter.end()


__all__ = ["PAD_UNITS", "SketchCanvas"]
