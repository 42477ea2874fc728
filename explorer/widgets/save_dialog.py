"""Save dialogs that open where pictures go: the folder last used, else the user's Pictures.

Qt's dialogs start in the process's working folder when given a bare file name, which for
a teacher who launched the app from its checkout was the source tree. Every "Export …"
dialog asks here instead; the folder chosen is remembered (QSettings) for the next one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

LAST_FOLDER_KEY = "export/last_folder"


def export_folder() -> Path:
    """The folder an export dialog opens in: the last one used, if it still exists; else
    the user's Pictures folder; else the home folder."""
    last = str(QSettings().value(LAST_FOLDER_KEY, "", str) or "")
    if last and Path(last).is_dir():
        return Path(last)
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    if pictures and Path(pictures).is_dir():
        return Path(pictures)
    return Path.home()


def remember_folder(path: str | Path) -> None:
    """Remember the folder of a file the user chose, for the next export dialog."""
    QSettings().setValue(LAST_FOLDER_KEY, str(Path(path).parent))


def ask_save_path(parent: QWidget | None, title: str, name: str, filter_: str) -> str:
    """The path the user chose for a new file called ``name`` by default ("" if cancelled)."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(export_folder() / name), filter_)
    if path:
        remember_folder(path)
    return str(path)


__all__ = ["ask_save_path", "export_folder", "remember_folder"]
