"""A one-line label that shrinks its font (then elides) to fit its width.

Why: a heading set in a big bold font (a map's title at the presenter's 200% zoom) would
otherwise make the window wider than a 1280×720 projector, or be cut off at both ends. This
label asks for little width, and draws its text as large as the room allows, down to
``MIN_FACTOR`` of its font; set a tooltip where
the full text matters.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MIN_FACTOR = 0.55
FACTORS = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)


def fit_text(
    text: str, font: QFont, width: float, min_factor: float = MIN_FACTOR
) -> tuple[QFont, str]:
    """The font (down to ``min_factor`` of ``font``) and text (elided if it must be) that fit
    ``text`` into ``width`` pixels."""
    fitted = QFont(font)
    base = font.pointSizeF()
    for factor in [f for f in FACTORS if f >= min_factor]:
        fitted.setPointSizeF(base * factor)
        if QFontMetrics(fitted).horizontalAdvance(text) <= width:
            return fitted, text
    metrics = QFontMetrics(fitted)
    return fitted, metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, int(width)))


class FitLabel(QWidget):
    """``text`` on one line, as big as fits (see the module's note)."""

    def __init__(
        self, text: str = "", parent: QWidget | None = None, min_factor: float = MIN_FACTOR
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._min_factor = min_factor
        self._align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # Qt's name, as QLabel
        self._text = text
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        return self._text

    def setAlignment(self, align: Qt.AlignmentFlag) -> None:  # Qt's name, as QLabel
        self._align = align
        self.update()

    def fitted(self) -> tuple[QFont, str]:
        """The font and text drawn at the label's present width."""
        return fit_text(self._text, self.font(), self.contentsRect().width(), self._min_factor)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._text) + 4, metrics.height() + 4)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("…") * 3, metrics.height() + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        font, text = self.fitted()
        painter = QPainter(self)
        try:
            painter.setFont(font)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(self.contentsRect(), self._align, text)
        finally:
            painter.end()


__all__ = ["FitLabel", "fit_text"]
