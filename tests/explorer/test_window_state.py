"""Issue 13's failures where features meet, driven as a person would (clicks and keys on
visible widgets), each checked by what the window shows: the session is the only truth."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget

from explorer.controller import TrainingController
from explorer.main_window import MainWindow
from explorer.session import same_codec
from explorer.workers import TrainingWorker

SPEC = "mnist:/in/memory.npz"
"""Data as an opened file is named (the window finds it among its opened files)."""


def shown_within(widget: QWidget, window: QWidget) -> bool:
    """The widget is visible and wholly inside the window, not scrolled out of its column."""
    if not widget.isVisibleTo(window):
        return False
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    if not window.rect().contains(rect):
        return False
    parent = widget.parentWidget()
    while parent is not None and parent is not window:  # a scroll area's viewport clips
        clip = QRect(parent.mapTo(window, QPoint(0, 0)), parent.size())
        if not clip.contains(rect):
            return False
        parent = parent.parentWidget()
    return True


def slow_pace() -> str:
    """The Pace entry for 1000 ms as the window writes it (1,000 in an English locale)."""
    from PySide6.QtCore import QLocale

    return f"{QLocale().toString(1000)} ms between batches"


def choose(combo: Any, text: str) -> None:
    """Pick an entry of a combo box by its text, with the keyboard."""
    combo.setFocus()
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


@pytest.fixture
def window(qtbot: Any, make_bars: Any) -> Any:
    w = MainWindow(controller=TrainingController(report_every=1), load_tensorflow=False)
    qtbot.addWidget(w)
    w.opened[SPEC] = make_bars(n=240)
    w.training.add_data_source(SPEC)
    w.show()
    yield w
    w.close()


def start_with_widgets(window: MainWindow, qtbot: Any, epochs: int, batch: int = 4) -> None:
    """Settings typed into the Training tab, then Start clicked."""
    panel = window.training
    window.tabs.setCurrentWidget(panel)
    choose(panel.model_combo, "VAE (digits)")
    panel.set_data_spec(SPEC)
    panel.epochs_spin.setValue(epochs)
    panel.batch_spin.setValue(batch)
    panel.hidden_spin.setValue(16)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)


# -- bug 2: Stop before the first epoch ends ------------------------------------------------------
@pytest.mark.usefixtures("tensorflow_loaded")
def test_stop_before_the_first_epoch_keeps_the_previous_model_and_says_so(
    window: MainWindow, qtbot: Any
) -> None:
    shipped = window.session.slot("vae").codec
    assert shipped is not None
    window.tabs.setCurrentWidget(window.latent)
    assert same_codec(window.latent.codec(), shipped)
    choose(window.training.speed.delay_combo, slow_pace())
    start_with_widgets(window, qtbot, epochs=2)
    qtbot.waitUntil(lambda: window.controller.batches_received > 0, timeout=60_000)
    with qtbot.waitSignal(window.controller.finished, timeout=30_000):
        qtbot.mouseClick(window.training.stop_button, Qt.MouseButton.LeftButton)
    status = window.statusBar().currentMessage()
    assert "nothing was kept" in status and "previous model" in status
    assert "nothing was kept" in window.training.message_label.text()
    assert "0 epochs" not in status
    window.tabs.setCurrentWidget(window.latent)  # the map shows the shipped VAE, not noise
    assert same_codec(window.latent.codec(), shipped)
    assert window.session.slot("vae").model is None
    assert window.training.start_button.isEnabled()


# -- bug 4: the sketch CVAE beside the digit CVAE -------------------------------------------------
@pytest.mark.usefixtures("tensorflow_loaded")
def test_opening_the_sketch_cvae_keeps_the_digit_cvae_in_cvae_and_draw(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AE_EXPLORER_WARMUP", "0")  # TensorFlow is imported: ready at once
    window.tf_loader.start()
    qtbot.waitUntil(lambda: window.tf_loader.is_ready, timeout=30_000)
    cvae = window.cvae
    window.tabs.setCurrentWidget(cvae)
    assert cvae.mix_box.title() == "Digit mix" and not cvae.model_combo.isVisibleTo(window)
    digit_codec = cvae.codec()
    assert digit_codec is not None

    window.shipped_actions["sketch_cvae"].trigger()  # Model ▸ Sketch CVAE
    sketch = window.session.slot("sketch_cvae")
    qtbot.waitUntil(lambda: sketch.model is not None, timeout=120_000)
    assert window.tabs.currentWidget() is cvae
    assert cvae.model_combo.isVisibleTo(window) and cvae.model_combo.count() == 2
    qtbot.waitUntil(lambda: cvae.mix_box.title() == "Category mix", timeout=10_000)
    names = sketch.model.config.class_names
    assert cvae.names == tuple(names)
    # While the conv model draws in a worker, no digit pictures beside the category names.
    assert cvae.grid_view.images() == [] or len(cvae.grid_view.images()) == len(names) * 10
    qtbot.waitUntil(lambda: len(cvae.grid_view.images()) == len(names) * 10, timeout=60_000)

    choose(cvae.model_combo, "Conditional VAE (digits)")  # the digit CVAE is still there
    assert cvae.mix_box.title() == "Digit mix" and cvae.stack.currentIndex() == 1
    assert same_codec(cvae.codec(), digit_codec)
    assert len(cvae.grid_view.images()) == 100
    assert window.session.slot("cvae").codec is digit_codec

    draw = window.draw
    window.tabs.setCurrentWidget(draw)
    entries = [draw.model_combo.itemText(i) for i in range(draw.model_combo.count())]
    assert "Conditional VAE (digits)" in entries
    assert any("sketches" in e and "Conditional" in e for e in entries)
    choose(draw.model_combo, "Conditional VAE (digits)")
    from tests.explorer.test_draw import SEVEN
    from tests.explorer.test_draw import draw as draw_strokes

    draw_strokes(draw.canvas, SEVEN)
    qtbot.waitUntil(lambda: "No CVAE" not in draw.info_label.text(), timeout=5_000)
    assert "No CVAE" not in draw.info_label.text()
    title = draw.chart.getPlotItem().titleLabel  # what the chart's heading says
    assert title.text.startswith("Which digit is this?")

    sketch_entry = next(e for e in entries if "sketches" in e and "Conditional" in e)
    choose(draw.model_combo, sketch_entry)  # the sketch CVAE asks for a category, not a digit
    draw_strokes(draw.canvas, SEVEN)

    def best() -> str:  # "Most likely a cat (p = 0.71)." -> "cat"
        return draw.info_label.text().partition("Most likely a ")[2].partition(" (p =")[0]

    qtbot.waitUntil(lambda: best() in names, timeout=60_000)  # the sketch model's answer
    assert title.text.startswith("Which category is this?")


# -- bug 5: a reopened interrupted run -------------------------------------------------------------
@pytest.fixture
def pause_after_first_epoch(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Training workers pause themselves after their first epoch (a class watching)."""
    paused = threading.Event()
    original = TrainingWorker._on_epoch

    def on_epoch(self: TrainingWorker, result: Any) -> None:
        original(self, result)
        if result.epoch == 0:
            self.control.pause()
            paused.set()

    monkeypatch.setattr(TrainingWorker, "_on_epoch", on_epoch)
    return paused


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_a_reopened_run_shows_its_curves_its_total_and_continue_at_720p(
    qtbot: Any, make_bars: Any, pause_after_first_epoch: threading.Event
) -> None:
    data = make_bars(n=240)
    first = MainWindow(controller=TrainingController(report_every=1), load_tensorflow=False)
    qtbot.addWidget(first)
    first.opened[SPEC] = data
    first.training.add_data_source(SPEC)
    first.show()
    start_with_widgets(first, qtbot, epochs=100, batch=32)
    qtbot.waitUntil(pause_after_first_epoch.is_set, timeout=60_000)
    first.close()  # mid-run: the model so far and its checkpoint are kept
    assert first.saved_session is not None
    pause_after_first_epoch.clear()

    again = MainWindow(controller=TrainingController(report_every=1), load_tensorflow=False)
    qtbot.addWidget(again)
    again.opened[SPEC] = data
    again.resize(1280, 720)
    again.show()
    qtbot.waitExposed(again)
    assert again.width() <= 1280 and again.height() <= 720
    assert "Reopen" in again.banner.buttons
    qtbot.mouseClick(again.banner.buttons["Reopen"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.session.slot("vae").model is not None, timeout=60_000)
    panel = again.training
    again.tabs.setCurrentWidget(panel)
    assert panel.epochs_spin.value() == 100  # its own total, not the default 20
    vx, vy = panel.curve_data("val", "loss")
    assert list(vx) == [1.0] and np.isfinite(vy).all()  # its curves
    assert len(panel.curve_data("train", "loss")[0]) == 1
    button = panel.continue_button
    qtbot.waitUntil(lambda: button.isVisibleTo(again), timeout=5_000)
    assert button.text() == "Continue (epoch 1 of 100)"
    assert shown_within(button, again)
    # The speed row and the data line are in view too (issue 14).
    assert shown_within(panel.speed.delay_combo, again)
    assert shown_within(panel.data_label, again)
    again.close()


# -- bug 6: the status bar tells the current state -------------------------------------------------
def test_loading_tensorflow_is_said_once(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("explorer.tf_loader.TensorFlowLoader.start", lambda self: None)
    w = MainWindow(load_tensorflow=True)
    qtbot.addWidget(w)
    w.show()
    said = [w.statusBar().currentMessage(), w.tf_label.text(), w.origin_label.text()]
    assert sum("Loading TensorFlow" in text for text in said) == 1
    w.close()


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_the_status_bar_follows_pause_resume_and_the_pace(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AE_EXPLORER_WARMUP", "0")
    window.tf_loader.start()
    qtbot.waitUntil(lambda: window.tf_loader.is_ready, timeout=30_000)
    assert window.tf_label.text() == "Ready"
    bar = window.statusBar()
    panel = window.training
    choose(panel.speed.delay_combo, "50 ms between batches")
    start_with_widgets(window, qtbot, epochs=3, batch=4)
    qtbot.waitUntil(lambda: window.controller.batches_received > 2, timeout=60_000)
    assert bar.currentMessage().startswith("Training VAE (digits)")
    assert window.tf_label.text() == "Training"  # not "Ready" while it trains

    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert "paused" in bar.currentMessage() and window.tf_label.text() == "Paused"
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)  # Resume
    assert "paused" not in bar.currentMessage().lower()
    assert bar.currentMessage().startswith("Training") and window.tf_label.text() == "Training"

    # A slower pace chosen mid-run: the time left counts it at once.
    choose(panel.speed.delay_combo, slow_pace())
    seen = window.controller.batches_received
    qtbot.waitUntil(lambda: window.controller.batches_received > seen, timeout=30_000)
    progress = window.controller.last_batch
    done = progress.epoch * progress.batches + progress.batch
    left_batches = progress.epochs * progress.batches - done
    text = panel.speed_label.text().replace("\u00a0", " ")  # (no-break spaces)
    minutes = left_batches * 1.0 / 60
    assert "left" in text
    from models.training.device import cpu_cores

    cores = cpu_cores()  # where it trains (no GPU here)
    assert f"samples/s on {'1 CPU core' if cores == 1 else f'{cores} CPU cores'}" in text
    if minutes >= 1:
        assert " min" in text or " h" in text, text
    with qtbot.waitSignal(window.controller.finished, timeout=30_000):
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert "Stopp" in bar.currentMessage() or "nothing was kept" in bar.currentMessage()
    assert window.tf_label.text() == "Ready"


def test_the_cvae_mix_sums_what_the_sliders_show(qtbot: Any) -> None:
    """Two sliders reading 0.50 sum to 1.00, however the hand left them (0.504)."""
    w = MainWindow(load_tensorflow=False)
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentWidget(w.cvae)
    cvae = w.cvae
    qtbot.mouseClick(cvae.reset_button, Qt.MouseButton.LeftButton)
    for digit in (3, 8):
        edit = cvae.digit_sliders[digit]._label  # the number box beside the slider
        edit.selectAll()
        qtbot.keyClicks(edit, "0.504")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert [cvae.digit_sliders[d]._label.text() for d in (3, 8)] == ["0.50", "0.50"]
    assert cvae.sum_label.text() == "sum 1.00"
    np.testing.assert_allclose(w.session.mix[[3, 8]], [0.5, 0.5])
    w.close()


def test_the_window_uses_a_big_screen_and_never_exceeds_a_small_one(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer import presenter

    for size, expect_bigger in (((1920, 1080), True), ((1280, 720), False)):
        monkeypatch.setattr(presenter, "available_area", lambda _w, s=size: QRect(0, 0, *s))
        w = MainWindow(load_tensorflow=False, load_shipped=False)
        qtbot.addWidget(w)
        if expect_bigger:
            assert w.width() > 1360 and w.height() > 860
        assert w.width() <= size[0] and w.height() <= size[1]
        w.close()


def test_kl_legend_covers_no_curve(window: MainWindow, qtbot: Any) -> None:
    from models.messages import BatchProgress

    panel = window.training
    window.tabs.setCurrentWidget(panel)
    panel.reset_plots("vae")
    for b in range(1, 41):  # KL climbs steeply, then levels off: into the legend's corner
        kl = 20.0 * (1 - np.exp(-b / 4))
        losses = {"loss": 200.0 - b, "reconstruction": 180.0 - b - kl, "kl": kl}
        panel.show_batch(BatchProgress(b // 20, 2, b % 20 or 20, 20, 100.0, 1.0, losses))
    qtbot.wait(50)
    plot = panel.kl_plot
    legend = plot.legend_rect_in_view()
    x, y = panel.curve_data("train", "kl")
    inside = [(a, b) for a, b in zip(x, y, strict=True) if legend.contains(float(a), float(b))]
    assert not inside, f"{len(inside)} KL points under the legend"


@pytest.mark.slow
def test_the_model_menu_lists_every_shipped_model_and_opens_each_beside_the_others(
    window: MainWindow, qtbot: Any
) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Model")
    texts = [a.text() for a in menu.actions()]
    for name in ("Digit VAE", "Digit CVAE", "Autoencoder (sketches)", "Sketch CVAE"):
        assert name in texts
    submenus = {a.text(): a.menu() for a in menu.actions() if a.menu() is not None}
    compare = [a.text() for a in submenus["Comparison models"].actions()]
    assert compare == ["Autoencoder", "VAE β=0.1", "VAE β=1", "VAE β=4"]
    assert "Recent runs" in submenus
    vae = window.session.slot("vae").codec
    window.shipped_actions["cvae"].trigger()  # the digit CVAE again: the VAE stays
    assert window.tabs.currentWidget() is window.cvae
    assert window.session.slot("vae").codec is vae
    submenus["Comparison models"].actions()[2].trigger()  # VAE β=1, into its own map
    assert window.tabs.currentWidget() is window.compare
    qtbot.waitUntil(lambda: "VAE β=1" in window.compare.status_label.text(), timeout=30_000)
    qtbot.waitUntil(lambda: not window.compare.busy, timeout=120_000)
