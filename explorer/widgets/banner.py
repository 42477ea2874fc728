"""A slim, non-modal message bar above the tabs, with a few buttons (like a browser's)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QFrame):
    """Text and buttons; ``chosen(name)`` when one is pressed, after which it hides."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(
            "#banner { background:#fff4d6; border-bottom:1px solid #e0c27a; }"
            " #banner QLabel { color:#1d1f23; }"
        )
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 6, 12, 6)
        self._layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def offer(self, text: str, *names: str) -> None:
        """Show ``text`` with one button per name (the first is the default)."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        self.label.setText(text)
        for name in names:
            button = QPushButton(name, self)
            button.clicked.connect(self._on_clicked)
            self._layout.addWidget(button)
            self.buttons[name] = button
        if names:
            self.buttons[names[0]].setDefault(True)
        self.show()

    def _on_clicked(self) -> None:
        for name, button in self.buttons.items():
            if button is self.sender():
                self.hide()
                self.chosen.emit(name)
                return
