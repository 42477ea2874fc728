"""The wrapping flow layout (toolbars at the presenter's zoom) and the labels that shrink to fit."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget

from explorer.widgets.fit_label import FitLabel, fit_text
from explorer.widgets.flow_layout import FlowLayout, flow_row


def buttons(n: int = 4) -> list[QPushButton]:
    return [QPushButton(f"A rather long button {i}") for i in range(n)]


def test_a_row_narrower_than_its_buttons_wraps_onto_more_rows(qtbot: Any) -> None:
    row = buttons()
    holder = flow_row(*row)
    qtbot.addWidget(holder)
    layout = holder.layout()
    assert isinstance(layout, FlowLayout)
    widths = [b.sizeHint().width() for b in row]
    wide = sum(widths) + 6 * (len(row) - 1) + 10
    narrow = sum(widths[:2]) + 6 + 10  # two buttons a row
    assert len(layout.rows(wide)) == 1
    assert [len(r) for r in layout.rows(narrow)] == [2, 2]
    one_row = layout.heightForWidth(wide)
    assert one_row == max(b.sizeHint().height() for b in row)
    assert layout.heightForWidth(narrow) >= 2 * one_row  # heightForWidth grows with the rows
    assert layout.heightForWidth(max(widths)) >= 4 * one_row
    # It asks only for its widest item: the window is never made wider than a button.
    assert layout.minimumSize().width() == max(b.minimumSizeHint().width() for b in row)

    holder.resize(narrow, layout.heightForWidth(narrow))
    layout.setGeometry(holder.rect())
    tops = [b.geometry().top() for b in row]
    assert tops[0] == tops[1] < tops[2] == tops[3]
    assert all(b.geometry().right() < narrow for b in row)
    assert row[2].geometry().top() >= row[0].geometry().bottom()  # no overlap


def test_a_column_layout_gives_the_flow_its_rows(qtbot: Any) -> None:
    """In a plain column (as the Compare tab's toolbar is), the rows below move down."""
    page = QWidget()
    qtbot.addWidget(page)
    column = QVBoxLayout(page)
    row = buttons()
    holder = flow_row(*row)
    below = QPushButton("below")
    column.addWidget(holder)
    column.addWidget(below)
    column.addStretch(1)
    width = sum(b.sizeHint().width() for b in row[:2]) + 6 + 40
    page.resize(width, 600)
    page.show()
    QApplication.processEvents()
    assert holder.height() >= 2 * row[0].sizeHint().height()
    assert below.geometry().top() >= row[3].mapTo(page, row[3].rect().bottomLeft()).y()


def test_fit_text_shrinks_then_elides() -> None:
    font = QFont()
    font.setPointSizeF(30)
    text = "Autoencoder"
    full = QFontMetrics(font).horizontalAdvance(text)
    same, kept = fit_text(text, font, full + 2)
    assert kept == text and same.pointSizeF() == 30
    smaller, kept = fit_text(text, font, full * 0.75)
    assert kept == text and smaller.pointSizeF() < 30
    assert QFontMetrics(smaller).horizontalAdvance(kept) <= full * 0.75
    tiny, cut = fit_text(text, font, full * 0.2)
    assert cut.endswith("…") and QFontMetrics(tiny).horizontalAdvance(cut) <= full * 0.2


def test_fit_label_asks_for_little_width(qtbot: Any) -> None:
    label = FitLabel("VAE β=0.1 (a long title)")
    qtbot.addWidget(label)
    assert label.minimumSizeHint().width() < label.sizeHint().width() / 3
    label.resize(int(label.sizeHint().width() * 0.7), label.sizeHint().height())
    font, text = label.fitted()
    assert text == label.text() and font.pointSizeF() < label.font().pointSizeF()
