"""View ▸ Language: System, English, 简体中文. The choice is remembered and applied at the
next start (see :mod:`explorer.i18n` for why not live); the menu says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from explorer import i18n

CONTEXT = "LanguageMenu"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


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
    menu = view_menu(window).addMenu(_tr("&Language"))
    note = _tr("The language changes at the next start of the app.")
    menu.setToolTip(note)
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    group.setExclusive(True)
    chosen = i18n.saved_choice()
    actions: dict[str, QAction] = {}
    for code, name in i18n.CHOICES.items():
        text = _tr("System") if code == i18n.SYSTEM else name
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

        message = _tr("Could not keep the choice: %1").replace("%1", str(exc))
        QMessageBox.warning(window, _tr("Language"), message)
        return
    now = i18n.language()
    after = i18n.resolve(code)
    if after == now:
        message = _tr("Language: %1.").replace("%1", _name(code))
    else:
        message = _tr("Language: %1. It applies at the next start of the app.").replace(
            "%1", _name(code)
        )
    window.statusBar().showMessage(message, 10_000)


def _name(code: str) -> str:
    return _tr("System") if code == i18n.SYSTEM else i18n.CHOICES[code]


__all__ = ["choose", "install", "view_menu"]
