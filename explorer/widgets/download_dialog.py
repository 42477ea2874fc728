"""File ▸ Download Quick Draw category…: a searchable list, a progress bar, and Cancel.

The download runs in a :class:`~explorer.workers.TaskWorker`; its progress callback posts
through a signal, and Cancel sets an event the download checks between chunks.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.i18n import arg, category_label
from explorer.workers import TaskWorker

NAME_ROLE = Qt.ItemDataRole.UserRole
"""Each list item keeps the category's own (English) name, which the download needs."""


def categories() -> tuple[str, ...]:
    from models.data import quickdraw

    return tuple(quickdraw.CATEGORIES)


def _name(item: QListWidgetItem) -> str:
    """The category an item stands for (its text may be the translated name)."""
    return str(item.data(NAME_ROLE) or item.text())


class _Progress(QObject):
    """Carries (done, total) from the download thread to the dialog's bound slot."""

    moved = Signal(object, object)


class DownloadDialog(QDialog):
    """Pick a category and download it into the cache; ``downloaded(category, path)`` at the end."""

    downloaded = Signal(str, object)

    def __init__(self, parent: QWidget | None = None, names: tuple[str, ...] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Download a Quick Draw category"))
        self.resize(520, 620)
        self._names = names if names is not None else categories()
        self._worker: TaskWorker | None = None
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.moved.connect(self._on_progress)
        self.path: Path | None = None
        self.error: str | None = None

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "%n categories from Google's Quick, Draw! data set (CC BY 4.0). Each download "
                "is tens to hundreds of MB; it is kept in the cache.",
                "",
                len(self._names),
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search, e.g. cat"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.list = QListWidget(self)
        for name in self._names:
            label = category_label(name)
            item = QListWidgetItem(name if label == name else f"{label} ({name})", self.list)
            item.setData(NAME_ROLE, name)
        self.list.itemDoubleClicked.connect(self._start)
        layout.addWidget(self.list, 1)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setTextVisible(True)
        self.bar.setFormat("")
        layout.addWidget(self.bar)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.download_button = QPushButton(self.tr("Download"), self)
        self.download_button.setDefault(True)
        self.buttons.addButton(self.download_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.download_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        layout.addWidget(self.buttons)
        self.select("cat")

    # -- choosing ---
    def _filter(self, text: str) -> None:
        """Hide what does not contain the text; select the exact match, else the first
        name that starts with it, else the first one shown."""
        wanted = text.strip().lower()
        shown = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            hide = bool(wanted) and wanted not in item.text().lower()  # either name
            item.setHidden(hide)
            if not hide:
                shown.append(item)
        if not shown:
            return
        best = next((it for it in shown if _name(it).lower() == wanted), None)
        best = best or next((it for it in shown if _name(it).lower().startswith(wanted)), None)
        best = best or next((it for it in shown if it.text().lower().startswith(wanted)), None)
        self.list.setCurrentItem(best or shown[0])
        self.list.scrollToItem(best or shown[0])

    def visible_names(self) -> list[str]:
        return [
            _name(self.list.item(i))
            for i in range(self.list.count())
            if not self.list.item(i).isHidden()
        ]

    def select(self, name: str) -> None:
        for i in range(self.list.count()):
            if _name(self.list.item(i)) == name:
                self.list.setCurrentItem(self.list.item(i))
                return

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else _name(item)

    # -- downloading ---
    @property
    def busy(self) -> bool:
        return self._worker is not None

    def _start(self, *_args: Any) -> None:
        name = self.chosen()
        if name is None or self._worker is not None:
            return
        self._cancel.clear()
        self.error = None
        self.bar.setValue(0)
        self.bar.setFormat(arg(self.tr("%1: starting…"), category_label(name)))
        self.status.setText("")
        self.download_button.setEnabled(False)
        self.list.setEnabled(False)
        self.search.setEnabled(False)
        worker = TaskWorker(name, lambda: self._download(name), on_quit=self._cancel.set)
        worker.task_done.connect(self._on_done)
        worker.task_failed.connect(self._on_failed)
        self._worker = worker
        worker.start()

    def _download(self, name: str) -> Path:
        """Runs in the worker thread."""
        from models.data import quickdraw

        return Path(
            quickdraw.download_category(
                name, progress=self._progress.moved.emit, cancel=self._cancel
            )
        )

    def _on_progress(self, done: Any, total: Any) -> None:
        done, total = int(done or 0), int(total or 0)
        name = category_label(self.chosen() or "")
        locale = QLocale()
        size = locale.formattedDataSize(done, 1, QLocale.DataSizeFormat.DataSizeSIFormat)
        if total > 0:
            self.bar.setValue(round(1000 * done / total))
            whole = locale.formattedDataSize(total, 1, QLocale.DataSizeFormat.DataSizeSIFormat)
            self.bar.setFormat(arg(self.tr("%1: %2 of %3"), name, size, whole))
        else:
            self.bar.setFormat(arg(self.tr("%1: %2"), name, size))

    def _finish(self) -> None:
        self._worker = None
        self.download_button.setEnabled(True)
        self.list.setEnabled(True)
        self.search.setEnabled(True)

    def _on_done(self, name: object, path: object) -> None:
        self._finish()
        self.path = Path(str(path))
        self.bar.setValue(1000)
        self.bar.setFormat(arg(self.tr("%1: done"), category_label(str(name))))
        self.downloaded.emit(str(name), self.path)
        self.accept()

    def _on_failed(self, name: object, message: str) -> None:
        self._finish()
        self.error = message
        cancelled = self._cancel.is_set()
        self.bar.setValue(0)
        self.bar.setFormat(self.tr("cancelled") if cancelled else self.tr("failed"))
        self.status.setText(self.tr("Download cancelled.") if cancelled else message)

    def _cancel_or_close(self) -> None:
        if self._worker is not None:
            self._cancel.set()
            self.status.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def cancel(self) -> None:
        """Cancel a running download (closing the window; its worker is awaited there)."""
        if self._worker is not None:
            self._cancel.set()

    def reject(self) -> None:
        if self._worker is not None:
            self._cancel.set()
            self.status.setText(self.tr("Cancelling…"))
            return
        super().reject()
