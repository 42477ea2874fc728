"""The Latent map shows any loaded model with a map: a picker of the session's slots, the
chosen model's points, legend, thumbnails and grid, "decode as" one class of a CVAE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.controller import TrainingController
from explorer.main_window import MainWindow
from explorer.panels.latent_map import LatentMapPanel
from explorer.session import DataDescription, Points, RunPhase, RunState, Session
from explorer.widgets.imaging import paper
from models.messages import Snapshot
from models.nets.codec import MLPCodec


def choose(combo: Any, text: str) -> None:
    """Pick an entry of a combo box by its text, as the keyboard does."""
    combo.setFocus()
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def entries(combo: Any) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def click_tab(qtbot: Any, window: MainWindow, panel: Any) -> None:
    bar = window.tabs.tabBar()
    rect = bar.tabRect(window.tabs.indexOf(panel))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is panel


# -- the session: which slots have a map, and which images are their points ---------------------
def test_the_map_lists_the_vae_and_each_loaded_model_with_a_map() -> None:
    session = Session()
    assert [s.id for s in session.slots_for_map()] == ["vae"]  # the map's own, even empty
    session.slot("cvae").set_shipped(codec=MLPCodec.random(latent=2, num_classes=10, seed=0))
    session.slot("autoencoder").set_shipped(snapshot=Snapshot(kind="autoencoder"))
    assert [s.id for s in session.slots_for_map()] == ["vae", "cvae"]  # a conv AE: no map
    sketch = session.slot("sketch_cvae")
    sketch.set_shipped(snapshot=Snapshot(kind="cvae"))
    assert [s.id for s in session.slots_for_map()] == ["vae", "cvae", "sketch_cvae"]


def test_a_runs_points_are_the_codes_of_its_validation_drawings() -> None:
    slot = Session().slot("vae")
    images = np.random.default_rng(0).random((6, 28, 28)).astype(np.float32)
    z = np.arange(16, dtype=np.float32).reshape(8, 2)
    slot.set_shipped(codec=MLPCodec.random(latent=2, seed=1), points=Points(z[:4]))
    slot.set_data(DataDescription("opened file", False, images, 6))
    assert slot.drawings_at_codes() is None  # another file's images, the shipped points
    slot.set_training(True)
    slot.set_data(DataDescription("the run's", False, images, 6))
    assert slot.drawings_at_codes() is None  # no epoch yet: the points are the old model's
    slot.set_snapshot(Snapshot(kind="vae", val_z_mean=z))
    pairs = slot.drawings_at_codes()
    assert pairs is not None
    np.testing.assert_array_equal(pairs[0], z[:6])
    np.testing.assert_array_equal(pairs[1], images)
    slot.set_training(False)
    assert slot.drawings_at_codes() is not None  # the run's end keeps them
    slot.set_data(DataDescription("opened again", False, images[::-1].copy(), 6))
    assert slot.drawings_at_codes() is None


# -- the panel with a session: the picker, "decode as", thumbnails -----------------------------
@pytest.fixture
def session_panel(qtbot: Any) -> Iterator[tuple[Session, LatentMapPanel]]:
    session = Session()
    session.slot("vae").set_shipped(
        codec=MLPCodec.random(latent=2, seed=2),
        points=Points(np.random.default_rng(2).normal(size=(30, 2)).astype(np.float32)),
    )
    panel = LatentMapPanel(seed=0)
    qtbot.addWidget(panel)
    panel.resize(1280, 720)
    panel.use_view(session.latent_view)  # as the window does
    panel.attach(session)
    panel.show()
    yield session, panel


def test_the_picker_shows_a_just_loaded_cvae_and_decodes_one_chosen_class(
    session_panel: tuple[Session, LatentMapPanel],
) -> None:
    session, panel = session_panel
    assert not panel.model_combo.isVisible() and panel.slot is session.slot("vae")
    assert not panel.digit_row.isVisible()
    cvae = session.slot("cvae")
    codec = MLPCodec.random(latent=2, num_classes=3, seed=3)
    labels = np.arange(45) % 3
    z = np.random.default_rng(3).normal(size=(45, 2)).astype(np.float32)
    cvae.set_shipped(codec=codec, points=Points(z, labels))
    assert panel.model_combo.isVisible()  # two models now: the new one is shown
    assert entries(panel.model_combo) == ["VAE (digits)", "Conditional VAE (digits)"]
    assert panel.model_combo.currentText() == "Conditional VAE (digits)"
    assert panel.codec() is codec and session.latent_view.kind == "cvae"
    x, y, _shown = panel.points_data()
    np.testing.assert_allclose(np.stack([x, y], 1), z)
    assert panel.legend_names() == ["0", "1", "2"]
    assert panel.digit_row.isVisible() and entries(panel.digit_combo) == ["0", "1", "2"]
    assert panel.digit_combo.currentIndex() == 0  # decode as the first class

    def grid_for(label: int) -> np.ndarray:
        from models.inference.decoding import decode_grid

        view = session.latent_view
        y_vec = np.eye(3, dtype=np.float32)[label]
        mosaic = decode_grid(
            codec, view.resolution, view.range, view.dims, None, y_vec, view.center
        )
        return paper(mosaic[::-1])

    np.testing.assert_array_equal(panel.grid_item.image, grid_for(0))
    choose(panel.digit_combo, "2")
    np.testing.assert_array_equal(panel.grid_item.image, grid_for(2))

    choose(panel.model_combo, "VAE (digits)")  # and back: the VAE's map, no "decode as"
    assert panel.codec() is session.slot("vae").codec and not panel.digit_row.isVisible()
    assert len(panel.points_data()[0]) == 30 and session.latent_view.kind == "vae"


def test_a_cvae_encodes_its_drawings_with_their_labels_for_thumbnails(
    session_panel: tuple[Session, LatentMapPanel],
) -> None:
    session, panel = session_panel
    codec = MLPCodec.random(latent=2, num_classes=3, seed=4)
    images = np.random.default_rng(4).random((12, 28, 28)).astype(np.float32)
    labels = np.arange(12) % 3
    data = DataDescription("preview", False, images, 12, labels)
    session.slot("cvae").set_shipped(codec=codec, data=data)
    assert panel.slot is session.slot("cvae")
    panel.sprites_check.setChecked(True)
    assert panel.sprites.count == 12
    expected = codec.encode_mean(images, labels)
    np.testing.assert_allclose(panel.sprites.positions(), expected, atol=1e-4)


def test_a_conv_cvae_in_training_is_shown_and_says_when_its_map_comes(
    session_panel: tuple[Session, LatentMapPanel],
) -> None:
    session, panel = session_panel
    sketch = session.slot("sketch_cvae")
    sketch.set_training(True)
    z = np.zeros((5, 2), np.float32)
    sketch.set_snapshot(Snapshot(kind="cvae", val_z_mean=z, val_labels=np.zeros(5, np.int64)))
    assert panel.slot is sketch and panel.model_combo.currentText() == sketch.title
    assert panel.stack.currentIndex() == 0
    assert "is training" in panel.empty_label.text() and "ends" in panel.empty_label.text()


def test_the_map_shows_what_a_run_trains_when_it_starts_and_when_it_ends(
    session_panel: tuple[Session, LatentMapPanel],
) -> None:
    session, panel = session_panel
    session.slot("cvae").set_shipped(codec=MLPCodec.random(latent=2, num_classes=10, seed=5))
    choose(panel.model_combo, "Conditional VAE (digits)")
    vae = session.slot("vae")
    session.set_run(RunState(RunPhase.TRAINING, "vae", 0, 3, "VAE (digits)"))
    assert panel.slot is vae and panel.model_combo.currentText() == "VAE (digits)"
    choose(panel.model_combo, "Conditional VAE (digits)")  # the teacher looks elsewhere
    session.set_run(epoch=1)
    assert panel.slot is session.slot("cvae")  # an epoch does not pull the map back
    session.set_run(phase=RunPhase.IDLE, epoch=3, kept=True)
    assert panel.slot is vae and panel.model_combo.currentText() == "VAE (digits)"
    choose(panel.model_combo, "Conditional VAE (digits)")
    session.set_run(RunState(RunPhase.TRAINING, "autoencoder", 0, 3, "Autoencoder"))
    session.set_run(phase=RunPhase.IDLE, epoch=3, kept=True)
    assert panel.slot is session.slot("cvae")  # a conv autoencoder has no map


# -- the window: the shipped sketch CVAE on the map ---------------------------------------------
@pytest.fixture
def window(qtbot: Any) -> Iterator[MainWindow]:
    w = MainWindow(controller=TrainingController(report_every=1), load_tensorflow=False)
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


@pytest.mark.usefixtures("tensorflow_loaded")
def test_the_map_offers_the_shipped_sketch_cvae_with_its_points_and_categories(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AE_EXPLORER_WARMUP", "0")  # TensorFlow is imported: ready at once
    window.tf_loader.start()
    qtbot.waitUntil(lambda: window.tf_loader.is_ready, timeout=30_000)
    latent = window.latent
    click_tab(qtbot, window, latent)
    assert "Sketch" not in " ".join(entries(latent.model_combo))

    window.shipped_actions["sketch_cvae"].trigger()  # Model ▸ Sketch CVAE
    sketch = window.session.slot("sketch_cvae")
    qtbot.waitUntil(lambda: sketch.model is not None, timeout=120_000)
    click_tab(qtbot, window, latent)
    title = "Conditional VAE (sketches)"
    assert latent.model_combo.isVisible() and title in entries(latent.model_combo)
    assert latent.model_combo.currentText() == title  # the model just loaded is shown
    names = tuple(sketch.model.config.class_names)
    qtbot.waitUntil(lambda: latent.stack.currentIndex() == 1, timeout=10_000)
    assert latent.legend.isVisible() and latent.legend_names() == list(names)
    assert sketch.points is not None
    x, _y, labels = latent.points_data()
    assert len(x) == len(sketch.points.z) == 3000
    np.testing.assert_allclose(x, sketch.points.z[:, 0])
    assert labels is not None and set(np.unique(labels)) == set(range(len(names)))
    assert latent.digit_title.text() == "Decode as"
    assert entries(latent.digit_combo) == list(names) and latent.digit_combo.currentIndex() == 0
    # The conv model's grid comes from the decode service's worker: 32x32 sketches.
    n = latent.resolution_spin.value()
    qtbot.waitUntil(
        lambda: (
            latent.grid_item.image is not None and latent.grid_item.image.shape == (n * 32,) * 2
        ),
        timeout=60_000,
    )
    qtbot.waitUntil(lambda: not latent.decodes.busy, timeout=60_000)
