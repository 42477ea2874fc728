"""The "Class set" box of the Draw tab: the class's own drawings, collected word by word.

Self-contained: it reads the pad's strokes through a callable, keeps them with
:class:`models.data.class_set.ClassSet` (plain Quick Draw ``.ndjson``, one file per word)
and asks for training with :attr:`ClassSetBox.train_requested` ``(data spec, kind)``: a
CVAE across two or more words, else the autoencoder. It never trains by itself, so the
window decides how a run starts (the same path as the Training tab's Start).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.widgets.flow_layout import flow_row
from models.data.class_set import ClassSet, Entry
from models.errors import ExplorerError

StrokesSource = Callable[[], Sequence[np.ndarray]]
Recognizer = Callable[[str], bool]
"""Whether the current model recognised the pad's drawing as this word (Quick Draw's
``recognized``)."""


class ClassSetBox(QGroupBox):
    """Word field, Add to class set, Undo last added, the set's drawings (select one and
    Delete), Choose folder..., and Train on the class set."""

    train_requested = Signal(str, str)
    """(data spec ``quickdraw:DIR/a.ndjson,DIR/b.ndjson``, model kind "cvae"/"autoencoder")"""
    changed = Signal()
    """A drawing was added, undone or deleted, or another folder chosen."""

    def __init__(
        self,
        strokes: StrokesSource,
        recognized: Recognizer | None = None,
        folder: str | Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Class set"))
        self._strokes = strokes
        self._recognized = recognized
        self.class_set = ClassSet(folder)

        self.word_edit = QLineEdit(self)
        self.word_edit.setPlaceholderText(self.tr("word, e.g. cat"))
        self.word_edit.setToolTip(self.tr("What the drawing shows: one file of drawings a word"))
        self.add_button = QPushButton(self.tr("Add to class set"), self)
        self.undo_button = QPushButton(self.tr("Undo last added"), self)
        self.list = QListWidget(self)
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(80)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setToolTip(self.tr("Delete the selected drawing from the class set"))
        self.folder_label = QLabel(self)
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_button = QPushButton(self.tr("Choose folder…"), self)
        self.train_button = QPushButton(self.tr("Train on the class set"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(self.word_edit, 1)
        row.addWidget(self.add_button)
        # Flowing: in the Draw tab's narrow column the two buttons take two lines rather
        # than cutting their words off.
        edit = flow_row(self.undo_button, self.delete_button)
        where = QHBoxLayout()
        where.addWidget(self.folder_label, 1)
        where.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(edit)
        layout.addLayout(where)
        layout.addWidget(self.train_button)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add)
        self.word_edit.returnPressed.connect(self.add)
        self.word_edit.textChanged.connect(self._update_buttons)
        self.undo_button.clicked.connect(self.undo)
        self.delete_button.clicked.connect(self.delete_selected)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.folder_button.clicked.connect(self.choose_folder)
        self.train_button.clicked.connect(self.request_training)
        self.refresh()

    # -- actions -----------------------------------------------------------------------
    def add(self) -> None:
        """Keep the pad's drawing under the word typed."""
        word = self.word_edit.text()
        try:
            recognized = bool(self._recognized(word)) if self._recognized else False
            drawing = self.class_set.add(list(self._strokes()), word, recognized)
        except (ExplorerError, OSError, ValueError) as exc:
            self._say(str(exc))
            return
        self._say(self.tr("Added a drawing of “%1”.").replace("%1", drawing.word or word))
        self._changed()

    def undo(self) -> None:
        try:
            entry = self.class_set.undo()
        except (ExplorerError, OSError) as exc:
            self._say(str(exc))
            return
        if entry is not None:
            self._say(self.tr("Took back the drawing of “%1”.").replace("%1", entry.word))
        self._changed()

    def delete_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return
        word, key_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            entry = self.class_set.delete(word, key_id)
        except (ExplorerError, OSError) as exc:
            self._say(str(exc))
            return
        if entry is not None:
            self._say(self.tr("Deleted a drawing of “%1”.").replace("%1", entry.word))
        self._changed()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Folder of the class set"), str(self.class_set.folder)
        )
        if chosen:
            self.set_folder(chosen)

    def set_folder(self, folder: str | Path) -> None:
        self.class_set = ClassSet(folder)
        self._say("")
        self._changed()

    def request_training(self) -> None:
        try:
            spec, kind = self.class_set.spec(), self.class_set.kind()
        except (ExplorerError, OSError) as exc:
            self._say(str(exc))
            return
        self.train_requested.emit(spec, kind)

    # -- showing -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the folder: the list, the counts and the buttons."""
        self.list.clear()
        try:
            entries = self.class_set.entries()
        except (ExplorerError, OSError) as exc:
            entries = []
            self._say(str(exc))
        for entry in entries:
            item = QListWidgetItem(self._describe(entry))
            item.setData(Qt.ItemDataRole.UserRole, (entry.word, entry.key_id))
            self.list.addItem(item)
        words = len({e.word.lower() for e in entries})
        self.folder_label.setText(
            self.tr("%n drawing(s)", "", len(entries))
            + ", "
            + self.tr("%n word(s)", "", words)
            + " "
            + self.tr("in %1").replace("%1", str(self.class_set.folder))
        )
        self._count = len(entries)
        self._update_buttons()

    def _describe(self, entry: Entry) -> str:
        when = datetime.datetime.fromtimestamp(entry.timestamp).strftime("%H:%M:%S")
        return f"{entry.word}  ·  " + self.tr("%n stroke(s)", "", entry.strokes) + f"  ·  {when}"

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(bool(self.word_edit.text().strip()))
        self.undo_button.setEnabled(self.class_set.can_undo())
        item = self.list.currentItem()
        self.delete_button.setEnabled(item is not None and item.isSelected())
        self.train_button.setEnabled(self._count > 0)

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def _say(self, text: str) -> None:
        self.message.setText(text)
