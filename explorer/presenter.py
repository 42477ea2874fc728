"""Presenter mode: full screen (F11), a zoom for every font and image (Ctrl+= / Ctrl+- /
Ctrl+0), and a "Presenter" toggle that hides the advanced settings; and a first window
size that fits the screen (a 1280×720 projector included).

The zoom is one app-wide factor: each widget's font is its own base size times the factor
(the base is remembered on the widget the first time), and the panels' pyqtgraph items and
image captions follow through their ``set_scale`` methods; the plots' tick labels, axis
titles, titles and legends through :func:`explorer.widgets.plot_text.scale_plot`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, QRect
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QWidget

from explorer.i18n import arg, same_words
from explorer.widgets.zoom import scale_widgets

if TYPE_CHECKING:
    from explorer.main_window import MainWindow

ZOOM_STEP = 1.15
ZOOM_MIN, ZOOM_MAX = 0.6, 2.5
PREFERRED_SIZE = (1360, 860)
"""The window's first size where the screen allows (it shrinks to fit smaller screens)."""


class Presenter:
    """The window's presenter state: zoom factor, presenter toggle, full screen."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.scale = 1.0
        self.presenting = False

    # -- zoom ----------------------------------------------------------------------------------
    def zoom_in(self) -> None:
        self.set_scale(self.scale * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_scale(self.scale / ZOOM_STEP)

    def zoom_reset(self) -> None:
        self.set_scale(1.0)

    def set_scale(self, factor: float) -> None:
        """Scale every font (and the plots' points and captions) by ``factor`` of its base."""
        factor = min(ZOOM_MAX, max(ZOOM_MIN, float(factor)))
        if abs(factor - 1.0) < 1e-3:
            factor = 1.0
        self.scale = factor
        w = self.window
        w.session.set_zoom(factor)  # the one zoom value (the session's), for whoever follows it
        scale_widgets(w, factor)
        extra = (getattr(w, name, None) for name in ("training", "draw", "compare"))
        tabs = [*w.panels.values(), *extra]
        for panel in dict.fromkeys(t for t in tabs if t is not None):
            if hasattr(panel, "set_scale"):
                panel.set_scale(factor)
        percent = QLocale().toString(round(factor * 100))
        w.show_status(arg(QCoreApplication.translate("Presenter", "Zoom %1%"), percent), 3000)

    # -- presenter toggle ----------------------------------------------------------------------
    def set_presenting(self, on: bool) -> None:
        """Hide (or show again) the settings a class need not see."""
        self.presenting = bool(on)
        for widget in self.advanced_widgets():
            widget.setVisible(not on)
        action = getattr(self.window, "presenter_action", None)
        if action is not None and action.isChecked() != on:
            action.setChecked(on)

    def advanced_widgets(self) -> list[QWidget]:
        w = self.window
        found: list[Any] = [getattr(w.training, "more_settings", None)]
        found.append(getattr(w.cats, "noise_help", None))
        found.append(getattr(w.latent, "auto_fit_check", None))
        return [x for x in found if x is not None]

    # -- full screen ---------------------------------------------------------------------------
    def toggle_full_screen(self) -> None:
        w = self.window
        if w.isFullScreen():
            w.showNormal()
        else:
            w.showFullScreen()
        action = getattr(w, "full_screen_action", None)
        if action is not None:
            action.setChecked(w.isFullScreen())


def available_area(window: QWidget) -> QRect | None:
    """The free area of the window's screen (None: no screen, e.g. some test platforms)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.availableGeometry()


def first_size(free: QRect | None) -> tuple[int, int]:
    """The preferred size, or most of a big screen (92%), never more than the screen's free
    area (less room for the title bar and frame, which that area still includes)."""
    width, height = PREFERRED_SIZE
    if free is None:
        return width, height
    room_w, room_h = free.width(), free.height() - 40
    width = min(room_w, max(width, round(0.92 * free.width())))
    height = min(room_h, max(height, round(0.92 * free.height()) - 40))
    return width, height


def fit_to_screen(window: QWidget) -> None:
    """The first size: the preferred one on a middling screen, most of a big one, shrunk
    to a small one's free area."""
    window.resize(*first_size(available_area(window)))


def install(window: MainWindow) -> Presenter:
    """Add the View menu's presenter entries and shortcuts; returns the window's Presenter."""
    presenter = Presenter(window)
    w: Any = window
    w.presenter = presenter
    view = next(
        (a.menu() for a in window.menuBar().actions() if same_words(a.text(), "View")),
        None,
    )
    view_title = QCoreApplication.translate("actions", "&View")
    menu: Any = view if view is not None else window.menuBar().addMenu(view_title)
    menu.addSeparator()

    def action(text: str, slot: Any, *keys: str | QKeySequence.StandardKey) -> QAction:
        act = QAction(text, window)
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    full = QCoreApplication.translate("Presenter", "&Full screen")
    w.full_screen_action = action(full, presenter.toggle_full_screen, "F11")
    w.full_screen_action.setCheckable(True)
    zoom_in = QCoreApplication.translate("Presenter", "Zoom &in")
    w.zoom_in_action = action(zoom_in, presenter.zoom_in, "Ctrl+=", "Ctrl++")
    zoom_out = QCoreApplication.translate("Presenter", "Zoom &out")
    w.zoom_out_action = action(zoom_out, presenter.zoom_out, "Ctrl+-")
    actual = QCoreApplication.translate("Presenter", "&Actual size")
    w.zoom_reset_action = action(actual, presenter.zoom_reset, "Ctrl+0")
    presenting = QCoreApplication.translate("Presenter", "&Presenter mode (hide advanced settings)")
    w.presenter_action = QAction(presenting, window)
    w.presenter_action.setCheckable(True)
    w.presenter_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
    w.presenter_action.toggled.connect(presenter.set_presenting)
    menu.addAction(w.presenter_action)
    fit_to_screen(window)
    return presenter
