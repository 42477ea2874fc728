"""A layout that lays its widgets out in a row and wraps them onto more rows when narrow.

Why: a toolbar of spin boxes, check boxes and buttons is about 1,400 px wide at the
presenter's 150% zoom, wider than a 1280×720 projector; in a flow layout it takes two rows
instead of forcing the window wider. The layout answers ``heightForWidth`` so the layouts
around it give it the rows it needs (the idea of Qt's FlowLayout example).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items left to right, a new row when the next would not fit; rows as high as their
    tallest item, items centred in their row."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 6, centre: bool = False
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._centre = centre
        self.setContentsMargins(0, 0, 0, 0)

    # -- the QLayout protocol ------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def spacing(self) -> int:
        return self._gap

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """One row of everything (the width it would like)."""
        visible = self._visible()
        width = sum(i.sizeHint().width() for i in visible) + self._gap * max(0, len(visible) - 1)
        height = max((i.sizeHint().height() for i in visible), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:
        """As narrow as the widest item (then one item a row)."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    # -- placing -------------------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def rows(self, width: int) -> list[list[QLayoutItem]]:
        """The items in each row at ``width`` pixels (the layout's margins included)."""
        m: QMargins = self.contentsMargins()
        room = width - m.left() - m.right()
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if rows[-1] and used + self._gap + w > room:
                rows.append([])
                used = 0
            used += (self._gap if rows[-1] else 0) + w
            rows[-1].append(item)
        return [r for r in rows if r]

    @staticmethod
    def _height(item: QLayoutItem, room: int) -> int:
        """The item's height at the width it gets (a word-wrapped label wider than the row
        gets more lines)."""
        width = min(item.sizeHint().width(), room)
        if item.hasHeightForWidth():
            return max(item.heightForWidth(width), item.minimumSize().height())
        return item.sizeHint().height()

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in ``rect`` (if ``move``); the height they take."""
        m = self.contentsMargins()
        room = rect.width() - m.left() - m.right()
        y = rect.y() + m.top()
        for row in self.rows(rect.width()):
            heights = [self._height(i, room) for i in row]
            height = max(heights)
            x = rect.x() + m.left()
            if self._centre:
                used = sum(i.sizeHint().width() for i in row) + self._gap * (len(row) - 1)
                x += max(0, room - used) // 2
            for item, own in zip(row, heights, strict=True):
                w = min(item.sizeHint().width(), room)
                h = height if item.expandingDirections() & Qt.Orientation.Vertical else own
                if move:
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                x += w + self._gap
            y += height + self._gap
        return y - self._gap - rect.y() + m.bottom() if self._visible() else m.top() + m.bottom()


class FlowLabel(QLabel):
    """A word-wrapped label that asks for its one-line width: in a flow row it gets a row
    of its own before it wraps (a plain wrapped label asks for a narrow guess and wraps
    into three lines beside the buttons); it still wraps where even a row is too narrow."""

    def sizeHint(self) -> QSize:
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        if self.textFormat() == Qt.TextFormat.PlainText:
            doc.setPlainText(self.text())
        else:
            doc.setHtml(self.text())
        m = self.contentsMargins()
        width = math.ceil(doc.idealWidth()) + m.left() + m.right() + 2
        return QSize(width, self.heightForWidth(width))


def flow_row(*widgets: QWidget, spacing: int = 6, centre: bool = False) -> QWidget:
    """A widget holding ``widgets`` in a :class:`FlowLayout` (it grows rows as it narrows)."""
    holder = QWidget()
    layout = FlowLayout(holder, spacing, centre)
    for widget in widgets:
        layout.addWidget(widget)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder


__all__ = ["FlowLabel", "FlowLayout", "flow_row"]
