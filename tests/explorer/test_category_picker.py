"""Several Quick Draw categories in the Training tab: completion, the pick list, the cap."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from explorer.panels.training import TrainingPanel
from explorer.widgets.category_picker import (
    CategoryCompleter,
    CategoryDialog,
    categories_spec,
    spec_categories,
)


@pytest.fixture
def panel(qtbot: Any) -> TrainingPanel:
    w = TrainingPanel()
    qtbot.addWidget(w)
    return w


def test_specs_round_trip() -> None:
    assert categories_spec(["cat", "dog", "cat", " pig "]) == "quickdraw:cat,dog,pig"
    assert spec_categories("quickdraw:cat,house_plant,nonsense,The Eiffel Tower") == [
        "cat",
        "house plant",
        "The Eiffel Tower",
    ]
    assert spec_categories("mnist") == []


def test_completion_completes_the_name_after_the_last_comma(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    qtbot.addWidget(edit)
    completer = CategoryCompleter(edit)
    edit.setCompleter(completer)
    edit.setText("quickdraw:cat,fi")
    assert completer.splitPath(edit.text()) == ["fi"]
    completer.setCompletionPrefix(edit.text())  # what typing does: the whole text
    found = []
    for row in range(completer.completionCount()):
        completer.setCurrentRow(row)
        found.append(completer.currentCompletion())
    # Each completion keeps what was typed before the comma.
    assert "quickdraw:cat,fish" in found
    assert all(f.startswith("quickdraw:cat,fi") for f in found)
    assert completer.splitPath("mnist") == ["\x00"]  # other specs: nothing offered


def test_the_data_field_completes_categories(panel: TrainingPanel) -> None:
    assert isinstance(panel.data_combo.completer(), CategoryCompleter)


def test_dialog_ticks_give_the_spec_in_tick_order(qtbot: Any) -> None:
    dialog = CategoryDialog(["dog"])
    qtbot.addWidget(dialog)
    dialog.set_checked("pig")
    dialog.set_checked("cat")
    assert dialog.chosen() == ["dog", "pig", "cat"]
    dialog.set_checked("dog", False)
    assert dialog.spec() == "quickdraw:pig,cat"
    assert "2 chosen" in dialog.count_label.text()
    dialog.filter_edit.setText("fi")
    visible = [dialog.list.item(i).text() for i in range(dialog.list.count())
               if not dialog.list.item(i).isHidden()]  # fmt: skip
    assert "fish" in visible and "cat" not in visible


def test_categories_button_puts_the_spec_in_the_data_field(panel: TrainingPanel) -> None:
    panel.set_data_spec("quickdraw:cat")
    dialog = panel.choose_categories()
    assert dialog.chosen() == ["cat"]
    dialog.set_checked("fish")
    dialog.done(QDialog.DialogCode.Accepted)
    assert panel.data_spec() == "quickdraw:cat,fish"


def test_max_per_category_reaches_the_data_loader(panel: TrainingPanel, monkeypatch: Any) -> None:
    from explorer.workers import TrainingWorker
    from models.nets.config import TrainConfig

    assert panel.max_per_category() is None  # "all"
    panel.per_category_spin.setValue(500)
    assert panel.max_per_category() == 500
    seen: dict[str, Any] = {}

    def fake_load(spec: str, **kwargs: Any) -> Any:
        seen.update(kwargs, spec=spec)
        raise RuntimeError("stop here")

    monkeypatch.setattr("models.data.specs.load_dataset", fake_load)
    config = TrainConfig(model="vae", data="quickdraw:cat,dog")
    worker = TrainingWorker(config, max_per_category=500)
    with pytest.raises(RuntimeError):
        worker.training_run.load_spec("quickdraw:cat,dog")  # what the worker's Run loads
    assert seen["max_per_category"] == 500 and seen["spec"] == "quickdraw:cat,dog"


def test_request_start_passes_the_cap(panel: TrainingPanel) -> None:
    started: list[Any] = []

    class FakeController:
        is_running = False

        def start(self, config: Any, **kwargs: Any) -> None:
            started.append((config, kwargs))

    panel._controller = FakeController()  # type: ignore[assignment]
    panel.set_data_spec("quickdraw:cat,dog")
    panel.per_category_spin.setValue(1000)
    panel.request_start()
    config, kwargs = started[0]
    assert config.data == "quickdraw:cat,dog" and kwargs == {"max_per_category": 1000}


def test_start_waits_while_the_compare_tab_trains(panel: TrainingPanel) -> None:
    errors: list[str] = []
    started: list[Any] = []

    class FakeController:
        is_running = False
        other_run = "The Compare tab is training its models"

        class error:  # the shape of a signal
            @staticmethod
            def emit(_title: str, text: str) -> None:
                errors.append(text)

        def start(self, config: Any, **kwargs: Any) -> None:
            started.append(config)

    panel._controller = FakeController()  # type: ignore[assignment]
    panel.request_start()
    assert not started and "Compare tab" in errors[0]
