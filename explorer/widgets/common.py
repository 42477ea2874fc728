"""Small helpers shared by the window and the training tab: look, numbers, files, dialogs.

Picture helpers (NumPy -> crisp QImage, PNG export of a widget) live in
:mod:`explorer.widgets.imaging` so every panel draws sketches the same way; this module
re-exports the PNG export for the panels that only need that.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QFrame, QMenu, QMessageBox, QScrollArea, QWidget

from explorer.i18n import arg
from explorer.widgets.imaging import save_widget_png

__all__ = [
    "BASE_POINT_SIZE",
    "COLORS",
    "add_action",
    "configure_pyqtgraph",
    "format_duration",
    "format_rate",
    "resource",
    "save_widget_png",
    "scroll_column",
    "show_error",
    "spec_for_file",
]

BASE_POINT_SIZE = 13
"""Default font size: readable from the back of a classroom on a projector."""

COLORS: dict[str, QColor] = {
    # Okabe-Ito: distinguishable by colour-blind viewers and on a washed-out projector.
    "total": QColor("#0072b2"),
    "reconstruction": QColor("#d55e00"),
    "kl": QColor("#009e73"),
    "muted": QColor("#5f6670"),
}

_configured = False


def configure_pyqtgraph() -> None:
    """Options every view relies on, set once at start-up (``make_app`` and the window call
    this; it does nothing the second time).

    Row-major images (pyqtgraph's default is column-major, which transposes them) and
    antialiased curves (thick lines look ragged on a projector without it).
    """
    global _configured
    if _configured:
        return
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
    _configured = True


def app_font() -> QFont:
    """The application's base font at :data:`BASE_POINT_SIZE`."""
    font = QFont(QApplication.font())
    font.setPointSize(BASE_POINT_SIZE)
    return font


def format_duration(seconds: float) -> str:
    """``75`` -> ``"1 min 15 s"``: short, and without misleading precision."""
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    s = round(seconds)
    if s < 60:
        return arg(QCoreApplication.translate("common", "%1 s"), s)
    m, s = divmod(s, 60)
    if m < 60:
        return arg(QCoreApplication.translate("common", "%1 min %2 s"), m, f"{s:02d}")
    h, m = divmod(m, 60)
    return arg(QCoreApplication.translate("common", "%1 h %2 min"), h, f"{m:02d}")


def format_rate(samples_per_s: float) -> str:
    if not math.isfinite(samples_per_s) or samples_per_s <= 0:
        return "–"
    rate = QLocale().toString(round(samples_per_s))
    return arg(QCoreApplication.translate("common", "%1 samples/s"), rate)


def resource(relative: str) -> Path | None:
    """A file shipped in the ``resources`` package (icons, styles), or None if absent."""
    from models.paths import resource_path

    path = resource_path(*relative.split("/"))
    return path if path.is_file() else None


MNIST_SUFFIXES = (".npz", ".gz", ".csv", ".idx", ".ubyte")
QUICKDRAW_SUFFIXES = (".bin", ".ndjson", ".npy")


def spec_for_file(path: str | Path) -> str:
    """The data SPEC for a file the user opened: Quick Draw formats or an MNIST file; a
    folder is ``images:FOLDER`` (the user's pictures), or its Quick Draw files as one set
    when it holds those and no pictures (a class set's folder).

    Raises ValueError for a file type neither reader takes (the caller shows it).
    """
    p = Path(path)
    if p.is_dir():
        return _spec_for_folder(p)
    name = p.name.lower()
    if p.suffix.lower() in QUICKDRAW_SUFFIXES:
        return f"quickdraw:{p}"
    if p.suffix.lower() in MNIST_SUFFIXES or "ubyte" in name or "idx" in name:
        return f"mnist:{p}"
    text = QCoreApplication.translate(
        "common",
        "%1: unsupported file type %2; open a Quick Draw file "
        "(.bin, .ndjson, .npy) or an MNIST file (.npz, IDX .gz/ubyte, .csv)",
    )
    none = QCoreApplication.translate("common", "(none)")
    raise ValueError(arg(text, p, p.suffix or none))


def _spec_for_folder(folder: Path) -> str:
    from models.data.images import IMAGE_EXTENSIONS

    try:
        files = sorted(f for f in folder.iterdir() if f.is_file())
    except OSError:
        files = []
    drawings = [f for f in files if f.suffix.lower() in QUICKDRAW_SUFFIXES]
    if drawings and not any(f.suffix.lower() in IMAGE_EXTENSIONS for f in files):
        return "quickdraw:" + ",".join(str(f) for f in drawings)
    return f"images:{folder}"


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A plain warning box with the engine's one-line message (never a traceback)."""
    QMessageBox.warning(parent, title, message)


def scroll_column(column: QWidget) -> QScrollArea:
    """``column`` in a vertical scroll area: a side column of controls scrolls on a short
    screen (a 1280x720 projector) instead of making the window taller than the screen."""
    area = QScrollArea()
    area.setWidget(column)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(column.minimumWidth() + bar)
    if column.maximumWidth() < 16_777_215:
        area.setMaximumWidth(column.maximumWidth() + bar)
    return area


def add_action(
    window: QWidget,
    menu: QMenu,
    text: str,
    slot: Callable[..., Any],
    shortcut: QKeySequence.StandardKey | str | None = None,
) -> QAction:
    """A menu entry owned by the window (the menus and the Draw/projector entries alike)."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action
