"""Every keyboard shortcut of the window does one thing: an ambiguous one does nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtGui import QAction

from explorer.main_window import MainWindow


def test_no_two_actions_share_a_shortcut(qtbot: Any) -> None:
    window = MainWindow(load_tensorflow=False, load_shipped=False)
    qtbot.addWidget(window)
    keys = Counter(
        shortcut.toString()
        for action in window.findChildren(QAction)
        for shortcut in action.shortcuts()
        if not shortcut.isEmpty()
    )
    assert [key for key, n in keys.items() if n > 1] == []
    window.close()
