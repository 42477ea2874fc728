"""The Class set box, driven by clicks and keys on its own buttons and a real sketch pad."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QVBoxLayout, QWidget

from explorer.widgets.class_set import ClassSetBox
from explorer.widgets.sketch_canvas import SketchCanvas

SEVEN = [[(40, 40), (160, 40), (150, 60), (120, 110), (90, 170)], [(70, 100), (140, 100)]]
FISH = [
    [(30, 100), (80, 60), (150, 100), (80, 140), (30, 100)],
    [(150, 100), (190, 70), (190, 130)],
]


def draw(canvas: SketchCanvas, strokes: list[list[tuple[int, int]]]) -> None:
    for stroke in strokes:
        first, *rest = stroke
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(*first))  # fmt: skip
        for x, y in rest:
            QTest.mouseMove(canvas, QPoint(x, y))
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(*rest[-1]))  # fmt: skip


@pytest.fixture
def pad(qtbot: Any, tmp_path: Path) -> Iterator[tuple[SketchCanvas, ClassSetBox]]:
    window = QWidget()
    canvas = SketchCanvas(window)
    canvas.setFixedSize(240, 240)
    box = ClassSetBox(
        canvas.finished_strokes, recognized=lambda word: word == "seven", folder=tmp_path / "set"
    )
    layout = QVBoxLayout(window)
    layout.addWidget(canvas)
    layout.addWidget(box)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield canvas, box  # the window lives until the test ends


def _type_word(qtbot: Any, box: ClassSetBox, word: str) -> None:
    box.word_edit.clear()
    qtbot.keyClicks(box.word_edit, word)


def test_add_undo_delete_and_train(qtbot: Any, pad: tuple[SketchCanvas, ClassSetBox]) -> None:
    canvas, box = pad
    folder = box.class_set.folder
    assert box.title() == "Class set"
    assert not box.add_button.isEnabled() and not box.train_button.isEnabled()
    assert not box.undo_button.isEnabled()

    draw(canvas, SEVEN)
    _type_word(qtbot, box, "seven")
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    assert box.list.count() == 1 and box.list.item(0).text().startswith("seven")
    assert "1 drawing" in box.folder_label.text() and str(folder) in box.folder_label.text()
    line = json.loads((folder / "seven.ndjson").read_text())
    assert line["word"] == "seven" and line["recognized"] is True
    assert line["countrycode"] == "local" and len(line["drawing"]) == 2

    with qtbot.waitSignal(box.train_requested) as one_word:
        qtbot.mouseClick(box.train_button, Qt.MouseButton.LeftButton)
    assert one_word.args == [f"quickdraw:{folder / 'seven.ndjson'}", "autoencoder"]

    canvas.clear()
    draw(canvas, FISH)
    _type_word(qtbot, box, "fish")
    qtbot.keyClick(box.word_edit, Qt.Key.Key_Return)  # Enter adds too
    assert box.list.count() == 2
    assert json.loads((folder / "fish.ndjson").read_text())["recognized"] is False
    with qtbot.waitSignal(box.train_requested) as two_words:
        qtbot.mouseClick(box.train_button, Qt.MouseButton.LeftButton)
    files = f"{folder / 'fish.ndjson'},{folder / 'seven.ndjson'}"
    assert two_words.args == [f"quickdraw:{files}", "cvae"]

    qtbot.mouseClick(box.undo_button, Qt.MouseButton.LeftButton)
    assert box.list.count() == 1 and not (folder / "fish.ndjson").exists()
    assert "Took back" in box.message.text()

    assert not box.delete_button.isEnabled()
    rect = box.list.visualItemRect(box.list.item(0))
    qtbot.mouseClick(box.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert box.delete_button.isEnabled()
    qtbot.mouseClick(box.delete_button, Qt.MouseButton.LeftButton)
    assert box.list.count() == 0 and not (folder / "seven.ndjson").exists()
    assert not box.train_button.isEnabled()


def test_an_empty_pad_says_so(qtbot: Any, pad: tuple[SketchCanvas, ClassSetBox]) -> None:
    _, box = pad
    _type_word(qtbot, box, "cat")
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    assert box.message.text() == "the pad is empty: draw something first"
    assert box.list.count() == 0


def test_choose_folder(
    qtbot: Any, pad: tuple[SketchCanvas, ClassSetBox], tmp_path: Path, monkeypatch: Any
) -> None:
    canvas, box = pad
    other = tmp_path / "other"
    other.mkdir()
    (other / "cat.ndjson").write_text(
        '{"word":"cat","countrycode":"local","recognized":false,"key_id":"7",'
        '"timestamp":0,"drawing":[[[0,255],[0,255]]]}\n'
    )
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(other))
    qtbot.mouseClick(box.folder_button, Qt.MouseButton.LeftButton)
    assert box.class_set.folder == other
    assert box.list.count() == 1 and box.list.item(0).text().startswith("cat")
    assert str(other) in box.folder_label.text()
    draw(canvas, SEVEN)
    _type_word(qtbot, box, "Cat")
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    assert box.list.count() == 2 and len((other / "cat.ndjson").read_text().splitlines()) == 2
