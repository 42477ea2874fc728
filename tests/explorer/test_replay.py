"""The replay in the window: timeline bars, the loss marker, GIF export, slow motion, Fit to
data, presenter mode and the small-screen layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from explorer import replay_links
from explorer.controller import TrainingController, read_timeline, save_timeline
from explorer.main_window import MainWindow
from explorer.panels.latent_map import LatentMapPanel
from explorer.widgets.imaging import paper
from models.data.dataset import Dataset
from models.inference.timeline import TIMELINE_FILE, Timeline
from models.messages import EpochResult, Snapshot
from models.nets.codec import MLPCodec


@pytest.fixture
def window(qtbot: Any) -> Any:
    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=False
    )
    qtbot.addWidget(w)
    w.resize(1280, 680)
    w.show()
    yield w
    w.close()


def map_epochs(window: MainWindow, n: int = 3) -> Timeline:
    """``n`` epochs of a VAE run recorded in the slot: each epoch's points shifted by 0.3."""
    slot = window.session.slot_for_panel("latent")
    rng = np.random.default_rng(0)
    base = rng.normal(0, 0.5, (40, 2)).astype(np.float32)
    labels = np.arange(40) % 10
    for e in range(n):
        codec = MLPCodec.random(seed=e)
        snap = Snapshot(kind=slot.kind, codec=codec, val_z_mean=base + 0.3 * e, val_labels=labels)
        result = EpochResult(e, n, {"loss": 10.0 - e}, {"loss": 11.0 - e}, snap)
        slot.record_epoch(result)
        slot.set_snapshot(snap)
    assert slot.timeline is not None
    return slot.timeline


def sketch_epochs(window: MainWindow, n: int = 3) -> Timeline:
    slot = window.session.slot_for_panel("cats")
    rng = np.random.default_rng(1)
    originals = (rng.random((30, 32, 32)) > 0.8).astype(np.float32)
    for e in range(n):
        recons = np.full_like(originals, (e + 1) / (n + 1))
        snap = Snapshot(kind=slot.kind, originals=originals, reconstructions=recons)
        slot.record_epoch(EpochResult(e, n, {"loss": 1.0}, {"loss": 1.0}, snap))
        slot.set_snapshot(snap)
    assert slot.timeline is not None
    return slot.timeline


def test_the_map_slider_shows_that_epochs_points_and_grid(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.latent)
    timeline = map_epochs(window)
    bar = window.latent.timeline_bar
    assert bar.isVisible() and bar.count == 3 and bar.shown() is None
    assert "epoch 3 of 3 (now)" in bar.label.text()
    bar.show_index(0)
    x, y, _ = window.latent.points_data()
    np.testing.assert_allclose(x, timeline.points[0][:, 0])
    np.testing.assert_allclose(y, timeline.points[0][:, 1])
    grid = timeline.grids[0].astype(np.float32) / 255.0
    np.testing.assert_array_equal(window.latent.grid_item.image, paper(grid[::-1]))
    assert window.latent.replay_index() == 0 and bar.label.text() == "epoch 1 of 3"
    bar.show_index(1)
    x, _, _ = window.latent.points_data()
    np.testing.assert_allclose(x, timeline.points[1][:, 0])
    bar.show_index(2)  # the end: the live map again
    assert window.latent.replay_index() is None


def test_the_cats_slider_shows_that_epochs_reconstructions(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.cats)
    timeline = sketch_epochs(window)
    bar = window.cats.timeline_bar
    assert bar.isVisible() and bar.count == 3
    bar.show_index(0)
    assert window.cats.mode == "snapshot"
    idx = window.cats.sample_indices()
    want = timeline.reconstructions[0][idx].astype(np.float32) / 255.0
    np.testing.assert_allclose(window.cats.shown_reconstructions(), want)
    assert "epoch 1" in window.cats.mode_label.text()
    bar.show_index(2)
    np.testing.assert_allclose(window.cats.shown_reconstructions(), 0.75, atol=1e-6)


def test_play_advances_to_the_end_and_stops(window: MainWindow, qtbot: Any) -> None:
    window.tabs.setCurrentWidget(window.latent)
    map_epochs(window, 4)
    bar = window.latent.timeline_bar
    bar.timer.setInterval(20)
    seen: list[object] = []
    bar.scrubbed.connect(seen.append)
    bar.play()
    assert bar.playing and bar.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: not bar.playing, timeout=5000)
    assert seen == [0, 1, 2, None]
    assert bar.play_button.text() == "Play"


def test_the_loss_marker_follows_the_slider(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.latent)
    timeline = map_epochs(window)
    bar = window.latent.timeline_bar
    assert window.training.epoch_marker() is None
    bar.show_index(0)
    assert window.training.epoch_marker() == timeline.epochs[0] == 1
    bar.show_index(1)
    assert window.training.epoch_marker() == 2
    bar.show_index(2)
    assert window.training.epoch_marker() is None


def test_every_replay_bar_marks_the_epoch_on_its_own_loss_sparkline(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.latent)
    timeline = map_epochs(window)  # validation loss 11, 10, 9
    spark = window.latent.timeline_bar.sparkline
    assert spark.isVisible() and spark.key == "val_loss"
    x, y = spark.curve.getData()
    np.testing.assert_allclose(x, timeline.epochs)
    np.testing.assert_allclose(y, [11.0, 10.0, 9.0])
    assert spark.marker() == (3.0, 9.0)  # at "now": the last epoch
    window.latent.timeline_bar.show_index(0)
    assert spark.marker() == (1.0, 11.0)
    window.latent.timeline_bar.show_index(1)
    assert spark.marker() == (2.0, 10.0)
    assert "epoch 2: 10" in spark.toolTip()

    window.tabs.setCurrentWidget(window.cats)
    sketch_epochs(window, 2)
    cats_spark = window.cats.timeline_bar.sparkline
    assert cats_spark.isVisible()
    window.cats.timeline_bar.show_index(0)
    assert cats_spark.marker() == (1.0, 1.0)


def test_the_sparkline_hides_without_losses(qtbot: Any) -> None:
    from explorer.widgets.timeline_bar import TimelineBar

    bar = TimelineBar()
    qtbot.addWidget(bar)
    bar.show()
    timeline = Timeline(epochs=[1, 2], losses={"val_loss": [float("nan"), float("nan")]})
    bar.set_timeline(timeline)
    assert not bar.sparkline.isVisible()
    bar.set_timeline(None)
    assert not bar.sparkline.isVisible() and bar.sparkline.marker() is None


def test_gif_export_writes_one_frame_per_epoch(
    window: MainWindow, tmp_path: Path, message_boxes: Any
) -> None:
    timeline = map_epochs(window, 4)
    out = replay_links.export_replay(window, timeline, tmp_path / "replay.gif")
    assert out is not None
    with Image.open(out) as gif:
        assert gif.n_frames == 4
    (tmp_path / "file").write_text("")
    bad = replay_links.export_replay(window, timeline, tmp_path / "file" / "r.gif")
    assert bad is None and "r.gif" in window.errors[-1]


def test_timeline_saved_with_the_run_and_shown_when_loaded(
    window: MainWindow, tmp_path: Path
) -> None:
    timeline = map_epochs(window)
    slot = window.session.slot_for_panel("latent")
    slot.training = True  # the run's model is not in the slot yet
    save_timeline(slot, object(), tmp_path)
    assert (tmp_path / TIMELINE_FILE).is_file()
    loaded = read_timeline(tmp_path)
    assert loaded is not None and loaded.epochs == timeline.epochs
    assert read_timeline(tmp_path / "nothing") is None
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / TIMELINE_FILE).write_bytes(b"not a zip")
    assert read_timeline(tmp_path / "bad") is None
    slot.training = False
    slot.set_timeline(None)
    assert not window.latent.timeline_bar.count
    slot.set_timeline(loaded)
    window.tabs.setCurrentWidget(window.latent)
    assert window.latent.timeline_bar.isVisible() and window.latent.timeline_bar.count == 3


# -- Fit to data ---------------------------------------------------------------------------------
def test_fit_to_data_follows_points_that_leave_the_grid(qtbot: Any) -> None:
    panel = LatentMapPanel(seed=0)
    qtbot.addWidget(panel)
    rng = np.random.default_rng(0)
    codec = MLPCodec.random()
    near = rng.normal(0, 0.4, (200, 2)).astype(np.float32)
    panel.set_codec(codec, near)
    assert panel.center() == (0.0, 0.0) and panel.range_spin.value() == 1.5
    far = rng.normal(0, 0.5, (200, 2)).astype(np.float32) + np.float32([6.0, -4.0])
    panel.set_codec(codec, far)  # a new epoch: the digits left the grid
    cx, cy = panel.center()
    assert abs(cx - 6.0) < 0.5 and abs(cy + 4.0) < 0.5
    assert panel.outside_share() < 0.05
    r = panel.grid_extent()
    assert r.left() < 6.0 < r.right()
    # Off: the range stays; the button fits by hand.
    panel.auto_fit_check.setChecked(False)
    panel.set_codec(codec, near)
    assert panel.center() == (cx, cy) and panel.outside_share() > 0.9
    panel.fit_button.click()
    assert abs(panel.center()[0]) < 0.3 and panel.outside_share() < 0.05


def test_grid_size_label_follows_the_value(qtbot: Any) -> None:
    panel = LatentMapPanel()
    qtbot.addWidget(panel)
    assert panel.resolution_spin.text() == "10 × 10"
    panel.resolution_spin.setValue(12)
    assert panel.resolution_spin.text() == "12 × 12"


def test_the_legend_moves_away_from_the_marker(qtbot: Any) -> None:
    panel = LatentMapPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    z = np.random.default_rng(0).normal(0, 0.5, (100, 2)).astype(np.float32)
    panel.set_codec(MLPCodec.random(), z, np.arange(100) % 10)
    QApplication.processEvents()
    assert panel.legend.isVisible() and panel.legend_corner() == "right"
    centre = panel.legend.sceneBoundingRect().center()
    p = panel.view_box.mapSceneToView(centre)
    panel.decode_at(p.x(), p.y())
    assert panel.legend_corner() == "left"
    assert not panel.legend.sceneBoundingRect().contains(centre)


# -- presenter mode and small screens ---------------------------------------------------------
def test_f11_and_zoom_shortcuts_change_the_window(window: MainWindow) -> None:
    label = window.latent.coord_label
    before = label.font().pointSizeF()
    window.zoom_in_action.trigger()
    assert window.presenter.scale > 1.0
    assert label.font().pointSizeF() > before
    assert window.latent.points_item.opts["size"] > 7
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert window.presenter.scale < 1.0
    window.zoom_reset_action.trigger()
    assert window.presenter.scale == 1.0 and label.font().pointSizeF() == before
    shortcuts = {a.shortcut().toString() for a in window.findChildren(type(window.zoom_in_action))}
    assert {"F11", "Ctrl+=", "Ctrl+-", "Ctrl+0"} <= shortcuts
    window.full_screen_action.trigger()
    assert window.isFullScreen()
    window.full_screen_action.trigger()
    assert not window.isFullScreen()
    window.presenter_action.setChecked(True)
    assert window.training.more_settings.isHidden()
    window.presenter_action.setChecked(False)
    assert not window.training.more_settings.isHidden()


def test_plot_axis_titles_and_ticks_follow_the_zoom(window: MainWindow) -> None:
    """pyqtgraph ignores the widget fonts the presenter scales: its axis titles, tick labels
    and plot titles follow the zoom too, also those a panel sets after the zoom (other
    latent dimensions, another model kind), and come back to their size at 100 %."""
    latent, training = window.latent, window.training
    # Room for the title to grow: at 200% on 1280 px the settings column widens and the
    # loss plot's long title is held to the plot's width instead (checked below too).
    window.resize(1600, 900)
    latent.set_codec(MLPCodec.random(latent=3, seed=0))
    z_axis = latent.plot.getPlotItem().getAxis("bottom")
    loss = training.loss_plot.getPlotItem()
    epoch_axis, unit_axis = loss.getAxis("bottom"), loss.getAxis("left")

    def sizes() -> list[float]:
        return [
            z_axis.label.boundingRect().height(),
            epoch_axis.label.boundingRect().height(),
            unit_axis.label.boundingRect().height(),
            z_axis.style["tickFont"].pointSizeF(),
            epoch_axis.style["tickFont"].pointSizeF(),
        ]

    def title() -> tuple[float, float]:
        return loss.titleLabel.itemRect().height(), loss.titleLabel.itemRect().width()

    before, title_before = sizes(), title()
    window.presenter.set_scale(2.0)
    latent.set_dims(2, 0)  # new axis titles, set after the zoom
    training.reset_plots("autoencoder")
    QApplication.processEvents()  # the plots lay out again
    assert z_axis.labelText == "z[2]" and unit_axis.labelText == "BCE per pixel"
    for was, now in zip(before, sizes(), strict=True):
        assert now > 1.6 * was
    # The title grows as far as the plot's width allows (a long one is held to it).
    room = training.loss_plot.width() - unit_axis.width()
    assert title()[0] > 1.2 * title_before[0] and title()[1] <= room
    # The left axis keeps its fixed width for steady layout, grown to hold the bigger labels.
    assert unit_axis.width() >= 1.9 * int(13 * 6.5)
    window.presenter.set_scale(1.0)
    QApplication.processEvents()
    assert sizes() == pytest.approx(before, rel=0.02)
    assert title()[0] == pytest.approx(title_before[0], rel=0.02)


def inside(window: QWidget, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(QPoint(0, 0), window.size()).contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)])
def test_the_window_fits_small_screens(window: MainWindow, size: tuple[int, int]) -> None:
    hint = window.minimumSizeHint()
    width, height = size[0], size[1] - 40  # the title bar and a task bar
    assert hint.width() <= width and hint.height() <= height
    window.resize(width, height)
    sketch_epochs(window)
    for panel, widgets in (
        (window.training, ("epoch_bar", "run_bar", "start_button")),
        (window.cats, ("resample_button", "noise_slider", "timeline_bar")),
    ):
        window.tabs.setCurrentWidget(panel)
        QApplication.processEvents()
        for name in widgets:
            widget = getattr(panel, name)
            assert widget.isVisible() and inside(window, widget), name


def test_sample_button_stays_put_after_a_press(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.latent)
    map_epochs(window, 1)
    QApplication.processEvents()
    button = window.latent.sample_button
    before = (button.mapTo(window, QPoint(0, 0)), button.size(), window.latent.plot.size())
    button.click()
    QApplication.processEvents()
    assert window.latent.coord_label.text().startswith("Sample:")
    after = (button.mapTo(window, QPoint(0, 0)), button.size(), window.latent.plot.size())
    assert after == before


def test_the_model_combo_shows_whole_names(window: MainWindow) -> None:
    combo = window.training.model_combo
    metrics = combo.fontMetrics()
    widest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.width() >= widest + 20


# -- slow motion through the window (real training) ------------------------------------------
@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_slow_motion_and_steps_in_the_window(
    window: MainWindow, qtbot: Any, make_config: Any, digits: Dataset, tmp_path: Path
) -> None:
    speed = window.training.speed
    speed.set_delay_ms(50)
    batches: list[Any] = []
    epochs: list[Any] = []
    window.controller.batch.connect(batches.append)
    window.controller.epoch.connect(epochs.append)
    window.train(make_config("vae", epochs=2), digits)
    worker = window.controller.worker
    assert worker is not None and worker.control.delay == pytest.approx(0.05)
    assert speed.step_batch_button.isEnabled()
    speed.step_batch()  # pause, then exactly one batch
    assert window.training.pause_button.text() == "Resume"
    qtbot.waitUntil(lambda: len(batches) >= 1, timeout=60_000)
    qtbot.wait(300)
    assert len(batches) == 1 and batches[0].batch == 1
    speed.step_epoch()  # the rest of epoch 1, then a pause
    qtbot.waitUntil(lambda: len(epochs) == 1, timeout=60_000)
    qtbot.wait(300)
    # (The worker may merge fast batch messages; the last of an epoch is always sent.)
    last = batches[-1]
    assert (last.epoch, last.batch) == (0, last.batches) and len(epochs) == 1
    seen = len(batches)
    qtbot.wait(300)
    assert len(batches) == seen  # paused before epoch 2
    speed.set_delay_ms(0)
    assert worker.control.delay == 0
    with qtbot.waitSignal(window.controller.finished, timeout=60_000):
        window.controller.resume()
    assert len(epochs) == 2
    slot = window.session.slot("vae")
    assert slot.timeline is not None and slot.timeline.epochs == [1, 2]
    out = window.save_weights("vae", tmp_path / "run")
    assert out is not None and (out / TIMELINE_FILE).is_file()


def live_cats_panel(qtbot: Any) -> Any:
    """A shown Cats panel with a live (halving) reconstructor on random sketches."""
    from explorer.panels.cats import ReconstructionPanel

    panel = ReconstructionPanel(seed=0)
    qtbot.addWidget(panel)
    panel.set_originals((np.random.default_rng(0).random((60, 32, 32)) > 0.8).astype(np.float32))
    panel.set_reconstructor(lambda x: x * 0.5)
    panel.resize(1280, 600)
    panel.show()
    return panel


def test_detail_captions_fit_their_cells_with_noise(qtbot: Any) -> None:
    from PySide6.QtGui import QFontMetrics

    panel = live_cats_panel(qtbot)
    panel.noise_slider.setValue(0.3)
    panel.flush()
    QApplication.processEvents()
    detail = panel.detail
    assert detail.captions() == ["noisy input", "reconstruction", "clean original"]
    assert "σ 0.30" in detail.title()
    for caption, rect in zip(detail.captions(), detail.cell_rects(), strict=True):
        font, text = detail.caption_fit(caption, rect.width() + 6)
        assert text == caption  # whole, not elided
        assert QFontMetrics(font).horizontalAdvance(text) <= rect.width() + 6


def test_detail_images_keep_their_size_when_noise_adds_the_third(qtbot: Any) -> None:
    panel = live_cats_panel(qtbot)
    panel.flush()
    QApplication.processEvents()
    quiet = [r.width() for r in panel.detail.cell_rects()]
    panel.noise_slider.setValue(0.3)
    panel.flush()
    QApplication.processEvents()
    noisy = [r.width() for r in panel.detail.cell_rects()]
    assert len(quiet) == 2 and len(noisy) == 3
    assert noisy[:2] == pytest.approx(quiet)  # the same size, one more picture beside


def test_the_preview_shows_the_replayed_epochs_tile(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.latent)
    timeline = map_epochs(window)
    window.latent.timeline_bar.show_index(0)
    x0, x1, _y0, y1 = timeline.bounds[0]
    n = timeline.grid_n
    # The top-left tile of epoch 1's stored grid, at its centre.
    image = window.latent.decode_at(x0, y1)
    np.testing.assert_allclose(image, timeline.grids[0][:28, :28] / 255.0, atol=1e-6)
    assert window.latent.coord_label.text().startswith("Epoch 1: ")
    off = window.latent.decode_at(x1 + 10 * (x1 - x0) / n, y1)
    assert not off.any()
    window.latent.timeline_bar.show_index(2)
    live = window.latent.decode_at(x0, y1)
    codec = window.latent.codec()
    assert codec is not None
    np.testing.assert_allclose(live, codec.decode(np.float32([[x0, y1]]))[0], atol=1e-6)
