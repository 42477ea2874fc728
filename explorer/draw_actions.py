"""File-menu actions of the classroom features: open/save a drawing (the Draw tab) and
export codes for the TensorBoard Embedding Projector (a background task).

Kept apart from :mod:`explorer.actions` so the menus file only gains one call.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QMenu

from explorer.i18n import arg, kind_label
from explorer.widgets.common import add_action
from explorer.workers import TaskWorker
from models.errors import ExplorerError

if TYPE_CHECKING:
    from explorer.main_window import MainWindow
    from explorer.session import Slot
    from models.data.dataset import Dataset

log = logging.getLogger(__name__)

PROJECTOR_LIMIT = 10_000
"""Codes exported at most (the projector's own comfortable size)."""


def add_file_actions(window: MainWindow, menu: QMenu) -> None:
    """Open/Save drawing and the projector export, kept as ``window.*_action``."""
    w: Any = window
    menu.addSeparator()
    w.open_drawing_action = add_action(
        w,
        menu,
        QCoreApplication.translate("actions", "Open &drawing…"),
        lambda: _in_draw_tab(w, "choose_open"),
        "Ctrl+Shift+O",
    )
    w.save_drawing_action = add_action(
        w,
        menu,
        QCoreApplication.translate("actions", "Save d&rawing…"),
        lambda: _in_draw_tab(w, "choose_save"),
        "Ctrl+Shift+S",
    )
    w.projector_action = add_action(
        w,
        menu,
        QCoreApplication.translate("actions", "Export codes for the Embedding &Projector…"),
        lambda: choose_projector(w),
    )
    w.projector_export = ProjectorExport(w)


def _in_draw_tab(window: Any, method: str) -> None:
    window.tabs.setCurrentWidget(window.draw)
    getattr(window.draw, method)()


def choose_projector(window: MainWindow) -> None:
    directory = QFileDialog.getExistingDirectory(
        window,
        QCoreApplication.translate(
            "actions", "Export codes for the Embedding Projector into a folder"
        ),
    )
    if directory:
        window.projector_export.start(window.current_slot(), directory)  # type: ignore[attr-defined]


def validation_data(window: Any, slot: Slot) -> Dataset | None:
    """The run's own validation split when the slot holds the model that run trained."""
    outcome = window.controller.last_outcome
    if outcome is not None and outcome.model is slot.model and outcome.val_data is not None:
        return outcome.val_data  # type: ignore[no-any-return]
    return None


def load_validation(slot: Slot) -> Dataset:
    """The kind's default data (its test split when there is one), for a model loaded or
    shipped without its validation data (worker thread)."""
    from models.data.specs import load_dataset

    spec = slot.spec
    candidates = [f"{spec.default_data}:test", spec.default_data]
    if spec.offline_data:
        candidates.append(spec.offline_data)
    problems = []
    for candidate in candidates:
        try:
            return load_dataset(candidate, image_size=spec.input_size)
        except (ExplorerError, ValueError) as exc:
            problems.append(f"{candidate}: {exc}")
    text = QCoreApplication.translate("actions", "no %1 to encode (%2)")
    raise ExplorerError(arg(text, kind_label(spec.data_noun), "; ".join(problems)))


class ProjectorExport(QObject):
    """Runs the projector export in a background task and reports in the status bar."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.task: TaskWorker | None = None
        self.written: dict[str, Path] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, slot: Slot, directory: str | Path) -> TaskWorker | None:
        """Encode the slot model's validation data into ``directory`` (five files)."""
        window = self.window
        if self.task is not None:
            window.show_status(self.tr("The codes are still being exported…"))
            return None
        model = slot.model
        if model is None or slot.training:
            if slot.training:
                text = self.tr("The %1 cannot export codes now: it is training.")
            elif slot.empty:
                text = self.tr("The %1 cannot export codes now: there is none yet.")
            else:
                text = self.tr("The %1 cannot export codes now: TensorFlow is still loading.")
            name = kind_label(slot.spec.display_name)
            window.report_error(self.tr("Export codes"), arg(text, name))
            return None
        data = validation_data(window, slot)
        out = Path(directory)

        def work() -> dict[str, Path]:
            from models.inference.projector import encode, write_projector

            found = data if data is not None else load_validation(slot)
            found = model.fit_data(found)
            if len(found) > PROJECTOR_LIMIT:
                found = found.subset(slice(0, PROJECTOR_LIMIT))
            return write_projector(out, encode(model, found), found)  # type: ignore[no-any-return]

        text = self.tr("Exporting %1 codes to %2…")
        window.show_status(arg(text, kind_label(slot.spec.short_name), out))
        task = TaskWorker(("projector", str(out)), work)
        task.task_done.connect(self._on_done)
        task.task_failed.connect(self._on_failed)
        self.task = task
        task.start()
        return task

    def _on_done(self, tag: tuple[str, str], written: dict[str, Path]) -> None:
        self.task = None
        self.written = written
        count = len(written)
        text = self.tr("Wrote %n files for the Embedding Projector to %1", "", count)
        self.window.show_status(arg(text, tag[1]), 10_000)

    def _on_failed(self, _tag: object, message: str) -> None:
        self.task = None
        self.window.report_error(self.tr("Could not export the codes"), message)


__all__ = ["ProjectorExport", "add_file_actions", "choose_projector", "load_validation"]
