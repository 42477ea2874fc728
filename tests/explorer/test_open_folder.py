"""A folder opened or dropped on the window: ``images:FOLDER``, or a class set's drawings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from explorer.controller import TrainingController
from explorer.main_window import MainWindow
from explorer.widgets.common import spec_for_file
from tests.models.photo_digits import make_folder


def _photos(folder: Path) -> Path:
    digits = np.zeros((4, 28, 28), np.float32)
    for i, d in enumerate(digits):
        d[6:22, 8 + i : 12 + i] = 1.0  # a bar, a little further right each time
    make_folder(digits, np.array([1, 1, 7, 7]), folder)
    return folder


def test_a_folder_is_a_spec(tmp_path: Path) -> None:
    pictures = _photos(tmp_path / "pictures")
    assert spec_for_file(pictures) == f"images:{pictures}"
    drawings = tmp_path / "class set"
    drawings.mkdir()
    for word in ("fish", "cat"):
        (drawings / f"{word}.ndjson").write_text('{"word":"x","drawing":[[[0,9],[0,9]]]}\n')
    (drawings / "notes.txt").write_text("not data")
    assert spec_for_file(drawings) == (
        f"quickdraw:{drawings / 'cat.ndjson'},{drawings / 'fish.ndjson'}"
    )
    Image.new("L", (9, 9)).save(drawings / "photo.png")  # pictures too: read the pictures
    assert spec_for_file(drawings) == f"images:{drawings}"


@pytest.fixture
def window(qtbot: Any) -> Any:
    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=False
    )
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def test_drop_a_folder_of_pictures_on_the_window(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    folder = _photos(tmp_path / "digits")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    spec = f"images:{folder}"
    qtbot.waitUntil(lambda: spec in window.opened, timeout=20_000)
    data = window.opened[spec]
    assert len(data) == 4 and data.labels is not None
    assert sorted(data.labels.tolist()) == [1, 1, 7, 7]
    assert "4 pictures" in window.statusBar().currentMessage()


def test_file_menu_opens_a_folder_of_pictures(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File ▸ Open folder of pictures… asks for a folder and reads it as ``images:FOLDER``."""
    from PySide6.QtWidgets import QFileDialog

    folder = _photos(tmp_path / "my digits")
    asked: list[str] = []

    def pick(_parent: Any, caption: str, *_args: Any) -> str:
        asked.append(caption)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(pick))
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu is not None
    entry = next(a for a in file_menu.actions() if "folder of pictures" in a.text())
    assert entry is window.open_folder_action and entry.isEnabled()
    entry.trigger()
    assert asked == ["Open a folder of pictures"]
    spec = f"images:{folder}"
    qtbot.waitUntil(lambda: spec in window.opened, timeout=20_000)
    assert len(window.opened[spec]) == 4
    assert "4 pictures" in window.statusBar().currentMessage()
