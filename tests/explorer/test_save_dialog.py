"""Export dialogs open in the user's Pictures folder or the last folder used, never in the
folder the app was launched from (the source checkout, for a teacher)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from explorer.widgets import save_dialog


class Opened(list[tuple[str, str]]):
    """Where each save dialog opened (title, start path); ``answers`` are the paths chosen."""

    answers: list[str]


@pytest.fixture
def dialog(monkeypatch: pytest.MonkeyPatch) -> Opened:
    """Records where each save dialog opened, and answers with the queued paths."""
    opened = Opened()
    answers: list[str] = []

    def fake(_parent: Any, title: str, start: str, _filter: str) -> tuple[str, str]:
        opened.append((title, start))
        return (answers.pop(0) if answers else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    opened.answers = answers
    return opened


def test_first_export_opens_in_pictures_or_home_then_the_last_folder(
    qapp: Any, dialog: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    QSettings().remove(save_dialog.LAST_FOLDER_KEY)
    monkeypatch.chdir(tmp_path)  # the launch folder: never where the dialog opens
    assert save_dialog.ask_save_path(None, "Export", "replay.gif", "GIF (*.gif)") == ""
    first = Path(dialog[0][1])
    assert first.name == "replay.gif" and first.parent != tmp_path
    assert first.parent.is_dir()

    chosen = tmp_path / "lesson" / "a.gif"
    chosen.parent.mkdir()
    dialog.answers.append(str(chosen))
    assert save_dialog.ask_save_path(None, "Export", "replay.gif", "GIF (*.gif)") == str(chosen)
    save_dialog.ask_save_path(None, "Export", "strip.png", "PNG (*.png)")
    assert Path(dialog[2][1]) == chosen.parent / "strip.png"  # the last folder used
