"""Presenter mode: full screen (F11), a zoom for every font and image (Ctrl+= / Ctrl+- /
Ctrl+0), and a "Presenter" toggle that hides the advanced settings; and a first window
size that fits the screen (a 1280×720 projector included).

The zoom is one app-wide factor: each widget's font is its own base size times the factor
(the base is remembered on the widget the first time), and the panels' pyqtgraph items and
image captions follow through their ``set_scale`` methods; the plots' tick labels, axis
titles, titles and legends through :func:`explorer.widgets.plot_text.scale_plot`.

What keeps the layout whole at a zoom: each tab's page scrolls (its layout moved into a
scroll area inside the same page widget), so bigger text and pictures make the page longer,
never the window wider or taller than the screen; the window's minimum is set small and its
maximum to the screen's free area; and an image grid's minimum keeps its pictures at their
100% size at least (:meth:`explorer.widgets.imaging.ImageGrid.set_scale`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, QRect, QSize, Qt
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from explorer.i18n import arg, same_words
from explorer.widgets.zoom import scale_widgets

if TYPE_CHECKING:
    from explorer.main_window import MainWindow

ZOOM_STEP = 1.15
ZOOM_MIN, ZOOM_MAX = 0.6, 2.5
PREFERRED_SIZE = (1360, 860)
"""The window's first size where the screen allows (it shrinks to fit smaller screens)."""
SMALLEST = QSize(640, 400)
"""The window's own minimum (or the screen's, if smaller): the pages scroll below it."""
TAB_POINTS = 14.0
"""The tab titles' size at 100% (set on the tab bar, not in the style sheet, which a
``setFont`` cannot override: the titles stayed at 14 pt whatever the zoom)."""
PAGE_PROPERTY = "aeScrollPage"
"""Set on a tab's page once its content is in a scroll area."""


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
        limit_to_screen(self.window)  # the zoom never grows the window (see limit_to_screen)
        size = self.window.size()
        w = self.window
        w.session.set_zoom(factor)  # the one zoom value (the session's), for whoever follows it
        scale_widgets(w, factor)
        extra = (getattr(w, name, None) for name in ("training", "draw", "compare"))
        tabs = [*w.panels.values(), *extra]
        for panel in dict.fromkeys(t for t in tabs if t is not None):
            if hasattr(panel, "set_scale"):
                panel.set_scale(factor)
        for page in w.findChildren(ScrollPage):
            page.zoomed = factor != 1.0
            page.updateGeometry()
        if not (w.isFullScreen() or w.isMaximized()) and w.size() != size:
            w.resize(size)
        percent = QLocale().toString(round(factor * 100))
        w.show_status(arg(QCoreApplication.translate("Presenter", "Zoom %1%"), percent), 3000)

    # -- presenter toggle ----------------------------------------------------------------------
    def set_presenting(self, on: bool) -> None:
        """Hide (or show again) the settings a class need not see, and the status bar: the
        pictures get the room."""
        self.presenting = bool(on)
        limit_to_screen(self.window)
        for widget in self.advanced_widgets():
            widget.setVisible(not on)
        self.window.statusBar().setVisible(not on)
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


def limit_to_screen(window: QWidget) -> None:
    """Never larger than the screen's free area, and a minimum that never exceeds it (a
    layout could otherwise raise the window's minimum past the screen at a big zoom).

    A window already larger than the screen reported (a test's window on the 800×800
    offscreen screen, or one dragged across two monitors) keeps its size: it is not shrunk.
    """
    free = available_area(window)
    if free is None or free.isEmpty():
        return
    screen = free.size()
    window.setMinimumSize(SMALLEST.boundedTo(screen))
    window.setMaximumSize(screen.expandedTo(window.size()))


class ScrollPage(QWidget):
    """A tab page's content in its scroll area: as tall as the page, or as its layout's
    minimum if that is more.

    QScrollArea sizes content that has a height-for-width to its *preferred* height, which
    made every zoomed page scroll (the pictures under the Compare maps below the fold). So
    at 100% the minimum is the layout's plain one, as the page was laid out before it
    scrolled; while zoomed, its minimum for the width (wrapped text at its wrapped height:
    the plain one let a three-line heading push the Cats grids under the row below them)."""

    zoomed = False

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        if self.zoomed and layout is not None:
            return layout.totalMinimumHeightForWidth(width)
        return self.minimumSizeHint().height()


def scrolling_pages(tabs: QTabWidget) -> None:
    """Put each tab page's content in a scroll area inside the same page widget.

    The page stays the tab's widget (the window and the tests know the panels by it); its
    layout (and so its children) moves into the scroll area's widget. At 100% the content
    fits and no scroll bar shows; at a big zoom the page scrolls instead of the window
    growing past the screen."""
    for i in range(tabs.count()):
        page = tabs.widget(i)
        layout = page.layout() if page is not None else None
        if page is None or layout is None or page.property(PAGE_PROPERTY):
            continue
        content = ScrollPage()
        content.setLayout(layout)  # Qt moves a layout (and its widgets) from its old widget
        area = QScrollArea(page)
        area.setObjectName("pageScroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(content)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area)
        page.setProperty(PAGE_PROPERTY, True)


def zoomable_tab_titles(tabs: QTabWidget) -> None:
    """The tab titles in a font the zoom can scale (the style sheet no longer sizes them)."""
    bar = tabs.tabBar()
    title = QFont(bar.font())
    title.setPointSizeF(TAB_POINTS)
    bar.setFont(title)
    bar.setElideMode(Qt.TextElideMode.ElideNone)
    bar.setUsesScrollButtons(True)  # six titles at 200% on a 1280-px screen: arrows, not growth


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
    zoomable_tab_titles(window.tabs)
    scrolling_pages(window.tabs)
    fit_to_screen(window)
    free = available_area(window)
    if free is not None and not free.isEmpty():
        # Only the minimum now: the maximum is set when the zoom changes (limit_to_screen),
        # so a window sized later to a bigger screen than the one reported is left alone.
        window.setMinimumSize(SMALLEST.boundedTo(free.size()))
    return presenter
