"""View ▸ Language: System, English, 简体中文. The choice is remembered and applied at the
next start (see :mod:`explorer.i18n` for why not live); the menu says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from explorer import i18n


def view_menu(window: QMainWindow) -> QMenu:
    """The window's View menu (found by its title in any language), made if missing."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and i18n.same_words(action.text(), "View"):
            return menu
    return window.menuBar().addMenu(QCoreApplication.translate("actions", "&View"))


def install(window: QMainWindow) -> QMenu:
    """Add View ▸ Language to ``window``; returns the submenu (kept as
    ``window.language_menu``, its actions as ``window.language_actions[code]``)."""
    menu = view_menu(window).addMenu(QCoreApplication.translate("LanguageMenu", "&Language"))
    note = QCoreApplication.translate(
        "LanguageMenu", "The language changes at the next start of the app."
    )
    menu.setToolTip(note)
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    group.setExclusive(True)
    chosen = i18n.saved_choice()
    actions: dict[str, QAction] = {}
    for code, name in i18n.CHOICES.items():
        text = QCoreApplication.translate("LanguageMenu", "System") if code == i18n.SYSTEM else name
        action = QAction(text, menu)
        action.setCheckable(True)
        action.setChecked(code == chosen)
        action.setToolTip(note)
        action.setStatusTip(note)
        action.triggered.connect(lambda _=False, c=code: choose(window, c))
        group.addAction(action)
        menu.addAction(action)
        actions[code] = action
    w: Any = window
    w.language_menu = menu
    w.language_actions = actions
    return menu


def choose(window: QMainWindow, code: str) -> None:
    """Remember ``code`` and say when it applies (in the status bar, or a box on error)."""
    try:
        i18n.save_choice(code)
    except OSError as exc:
        from PySide6.QtWidgets import QMessageBox

        message = i18n.arg(
            QCoreApplication.translate("LanguageMenu", "Could not keep the choice: %1"), exc
        )
        QMessageBox.warning(window, QCoreApplication.translate("LanguageMenu", "Language"), message)
        return
    now = i18n.language()
    after = i18n.resolve(code)
    if after == now:
        message = i18n.arg(QCoreApplication.translate("LanguageMenu", "Language: %1."), _name(code))
    else:
        message = i18n.arg(
            QCoreApplication.translate(
                "LanguageMenu", "Language: %1. It applies at the next start of the app."
            ),
            _name(code),
        )
    window.statusBar().showMessage(message, 10_000)


def _name(code: str) -> str:
    return (
        QCoreApplication.translate("LanguageMenu", "System")
        if code == i18n.SYSTEM
        else i18n.CHOICES[code]
    )


__all__ = ["choose", "install", "view_menu"]
