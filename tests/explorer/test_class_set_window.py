"""The class set in the window, the way a class uses it: draw on the Draw tab's pad, type a
word, Add; Undo and Delete; then one click on "Train on the class set" trains a model on the
class's own drawings and the tabs show them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.controller import TrainingController
from explorer.main_window import MainWindow
from explorer.widgets.imaging import paper
from models.data.specs import load_dataset
from tests.explorer.test_draw import SEVEN, draw

FISH = [[(30, 100), (80, 60), (150, 100), (80, 140), (30, 100)],
        [(150, 100), (190, 70), (190, 130)]]  # fmt: skip
CAT = [[(60, 60), (80, 20), (100, 60), (140, 60), (160, 20), (180, 60)],
       [(60, 60), (60, 160), (180, 160), (180, 60)]]  # fmt: skip


@pytest.fixture
def window(qtbot: Any) -> Iterator[MainWindow]:
    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=False
    )
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    w.tabs.setCurrentWidget(w.draw)
    qtbot.waitExposed(w)
    yield w
    w.close()


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def add_drawing(qtbot: Any, window: MainWindow, strokes: Any, word: str, shift: int) -> None:
    """Clear the pad, draw (a little moved each time), type the word, click Add."""
    click(qtbot, window.draw.clear_button)
    moved = [[(x + shift, y + shift) for x, y in stroke] for stroke in strokes]
    draw(window.draw.canvas, moved)
    box = window.draw.class_set
    box.word_edit.selectAll()
    qtbot.keyClicks(box.word_edit, word)
    click(qtbot, box.add_button)


def test_add_undo_and_delete_by_clicks(qtbot: Any, window: MainWindow) -> None:
    box = window.draw.class_set
    folder = box.class_set.folder
    assert box.isVisible() and box.title() == "Class set"
    add_drawing(qtbot, window, SEVEN, "seven", 0)
    add_drawing(qtbot, window, FISH, "fish", 4)
    add_drawing(qtbot, window, FISH, "fish", 8)
    assert box.list.count() == 3 and "3 drawing" in box.folder_label.text()
    line = json.loads((folder / "seven.ndjson").read_text())
    assert line["word"] == "seven" and line["countrycode"] == "local"
    assert line["recognized"] is False  # no model of classes read it
    assert len(line["drawing"]) == len(SEVEN)

    click(qtbot, box.undo_button)  # the second fish goes
    assert box.list.count() == 2
    assert len((folder / "fish.ndjson").read_text().splitlines()) == 1

    row = next(i for i in range(box.list.count()) if box.list.item(i).text().startswith("seven"))
    item = box.list.item(row)
    qtbot.mouseClick(
        box.list.viewport(), Qt.MouseButton.LeftButton, pos=box.list.visualItemRect(item).center()
    )
    click(qtbot, box.delete_button)
    assert box.list.count() == 1 and box.list.item(0).text().startswith("fish")
    assert not (folder / "seven.ndjson").exists()


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_one_click_trains_a_cvae_on_the_class_set(qtbot: Any, window: MainWindow) -> None:
    window.class_set_settings = {"epochs": 1, "batch_size": 8, "latent_dim": 2}
    box = window.draw.class_set
    for i in range(6):
        add_drawing(qtbot, window, CAT, "cat", 3 * i)
        add_drawing(qtbot, window, FISH, "fish", 3 * i)
    assert box.list.count() == 12
    spec = box.class_set.spec()

    with qtbot.waitSignal(window.controller.finished, timeout=120_000):
        click(qtbot, box.train_button)
        assert window.tabs.currentWidget() is window.training  # the class sees it train
        assert window.training.kind == "cvae" and window.training.data_spec() == spec
    outcome = window.controller.last_outcome
    assert outcome is not None and outcome.error is None, outcome
    assert outcome.config.model == "cvae" and outcome.config.epochs == 1
    config = outcome.model.config  # the model's own config names the words
    assert tuple(config.class_names or ()) == ("cat", "fish")
    assert "Finished 1 epoch" in window.training.message_label.text()
    n_val = outcome.info.n_val
    assert f"{n_val} for validation" in window.training.data_label.text().replace(",", "")

    # The CVAE tab now offers the class's model, one slider per word.
    window.tabs.setCurrentWidget(window.cvae)
    combo = window.cvae.model_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    sketch = next(i for i, name in enumerate(names) if "sketch" in name.lower())
    combo.setCurrentIndex(sketch)
    assert tuple(window.cvae.names) == ("cat", "fish")

    # Its map's points are the class's validation drawings, encoded; the thumbnails' source
    # (the slot's data) is those drawings, as the engine rasterizes the class set.
    slot = window.session.slot_for(config.model, config.class_names)
    assert slot.points is not None and len(slot.points.z) == n_val
    assert slot.data is not None and slot.data.images is not None
    drawn = load_dataset(spec).images
    shown = slot.data.images[:n_val]
    assert len(shown) == n_val
    h, w = drawn.shape[1:]
    for image in shown:
        assert min(np.abs(image[:h, :w] - d).max() for d in drawn) < 1e-6

    # The Latent map switched to the class's model by itself: one click on its tab shows
    # the class's own drawings as thumbnails, each on its own point.
    bar = window.tabs.tabBar()
    tab = bar.tabRect(window.tabs.indexOf(window.latent)).center()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=tab)
    latent = window.latent
    assert window.tabs.currentWidget() is latent
    assert latent.model_combo.isVisible() and latent.model_combo.currentData() == slot.id
    qtbot.waitUntil(lambda: latent.stack.currentIndex() == 1, timeout=20_000)
    assert latent.legend_names() == ["cat", "fish"] and latent.sprites_check.isChecked()
    x, _y, _labels = latent.points_data()
    assert len(x) == n_val
    assert latent.sprites.visible and latent.sprites.count == n_val
    dx, dy = window.session.latent_view.dims
    np.testing.assert_allclose(latent.sprites.positions(), slot.points.z[:, [dx, dy]], atol=1e-4)
    for i, thumbnail in enumerate(latent.sprites.images()):
        np.testing.assert_array_equal(thumbnail, paper(slot.data.images[i]))
    qtbot.waitUntil(lambda: not latent.decodes.busy, timeout=60_000)  # its grid, decoded

    # Drawn again on the pad for the class's model, a drawing is "recognized" when the
    # model's most likely word is the word typed.
    window.tabs.setCurrentWidget(window.draw)
    pad = window.draw
    offered = [pad.model_combo.itemText(i) for i in range(pad.model_combo.count())]
    pad.model_combo.setCurrentIndex(offered.index(slot.spec.display_name))
    assert pad.slot is slot
    click(qtbot, pad.clear_button)
    with qtbot.waitSignal(pad.responded, timeout=20_000):
        draw(pad.canvas, CAT)
    qtbot.waitUntil(lambda: not pad.busy, timeout=20_000)
    posterior = pad.posterior()
    assert posterior is not None and posterior.shape == (2,)
    box.word_edit.selectAll()
    qtbot.keyClicks(box.word_edit, "Cat")
    click(qtbot, box.add_button)
    last = (box.class_set.folder / "cat.ndjson").read_text().splitlines()[-1]
    assert json.loads(last)["recognized"] is bool(np.argmax(posterior) == 0)


def test_recognized_is_the_conditional_models_best_word() -> None:
    from types import SimpleNamespace

    from explorer.panels.pad.class_set import recognizes

    config = SimpleNamespace(class_names=("cat", "fish"), num_classes=2)
    cvae = SimpleNamespace(
        spec=SimpleNamespace(conditional=True),
        model=SimpleNamespace(config=config),
        training=False,
    )
    fish = np.array([0.3, 0.7])
    assert recognizes(cvae, fish, " Fish ") and not recognizes(cvae, fish, "cat")
    assert not recognizes(cvae, None, "fish")
    vae = SimpleNamespace(spec=SimpleNamespace(conditional=False), model=cvae.model)
    assert not recognizes(vae, fish, "fish")
