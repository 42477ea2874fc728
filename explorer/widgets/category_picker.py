"""Choosing several Quick Draw categories: completion in the data field, and a pick list.

Both produce the engine's spec form ``quickdraw:cat,dog,pig`` (one labelled data set,
label i = the i-th category). The completer completes the name being typed after the last
comma; the dialog is a filterable multi-select list of the 345 official categories.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.i18n import arg, category_label
from models.data.categories import CATEGORIES

PREFIX = "quickdraw:"


def categories_spec(names: Sequence[str]) -> str:
    """``quickdraw:cat,dog,pig`` for these category names (order kept, repeats dropped)."""
    unique = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    return PREFIX + ",".join(unique)


def spec_categories(spec: str) -> list[str]:
    """The official category names a ``quickdraw:a,b`` spec names (files and unknown names
    are left out)."""
    if not spec.startswith(PREFIX):
        return []
    known = {c.lower(): c for c in CATEGORIES}
    parts = [p.strip().replace("_", " ").lower() for p in spec[len(PREFIX) :].split(",")]
    return [known[p] for p in parts if p in known]


class CategoryCompleter(QCompleter):
    """Completes the Quick Draw category typed after ``quickdraw:`` or the last comma."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(list(CATEGORIES), self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)

    def splitPath(self, path: str) -> list[str]:
        if not path.startswith(PREFIX):
            return ["\x00"]  # not a Quick Draw spec: nothing to complete
        return [path[len(PREFIX) :].rsplit(",", 1)[-1].lstrip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        name = str(self.model().data(index, Qt.ItemDataRole.DisplayRole))
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = text[len(PREFIX) :].rsplit(",", 1)[0] if "," in text else ""
        return PREFIX + (f"{head},{name}" if head else name)


NAME_ROLE = Qt.ItemDataRole.UserRole
"""Each list item keeps the category's own (English) name here; its text is the name in the
window's language."""


def _shown(name: str) -> str:
    """A category as the list shows it: "猫 (cat)" in Chinese (the spec keeps the English)."""
    label = category_label(name)
    return name if label == name else f"{label} ({name})"


class CategoryDialog(QDialog):
    """A filterable list of the 345 categories; several can be ticked."""

    def __init__(self, chosen: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quick Draw categories"))
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter (e.g. ca)"))
        self.filter_edit.textChanged.connect(self._filter)
        self.list = QListWidget()
        wanted = set(chosen)
        for name in CATEGORIES:
            item = QListWidgetItem(_shown(name))
            item.setData(NAME_ROLE, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if name in wanted else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self.list.itemChanged.connect(self._count)
        self._order = [n for n in chosen if n in CATEGORIES]
        self.count_label = QLabel("")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tick the categories to train on together:")))
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self.resize(360, 520)
        self._count()

    def set_checked(self, name: str, checked: bool = True) -> None:
        item = self.list.item(CATEGORIES.index(name))
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        """The ticked categories, in the order they were ticked."""
        return list(self._order)

    def spec(self) -> str:
        return categories_spec(self.chosen())

    def _count(self, item: QListWidgetItem | None = None) -> None:
        if item is not None:
            name = str(item.data(NAME_ROLE))
            if item.checkState() == Qt.CheckState.Checked and name not in self._order:
                self._order.append(name)
            elif item.checkState() != Qt.CheckState.Checked and name in self._order:
                self._order.remove(name)
        n = len(self._order)
        shown = ", ".join(category_label(c) for c in self._order[:8]) + (" …" if n > 8 else "")
        self.count_label.setText(arg(self.tr("%n chosen: %1", "", n), shown))

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().lower())  # both names


__all__ = ["CategoryCompleter", "CategoryDialog", "categories_spec", "spec_categories"]
