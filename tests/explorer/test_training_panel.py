"""The Training tab on its own: settings -> frozen config, curves from plain messages."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QImage

from explorer.panels.training import TrainingPanel
from models.messages import BatchProgress, EpochResult
from models.nets.config import DEFAULT_DATA


@pytest.fixture
def panel(qtbot: Any) -> TrainingPanel:
    p = TrainingPanel()
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    return p


def batch(epoch: int, b: int, batches: int = 10, epochs: int = 2, **losses: float) -> BatchProgress:
    values = losses or {"loss": 200.0 - b, "reconstruction": 190.0 - b, "kl": 10.0 + b / 10}
    return BatchProgress(epoch, epochs, b, batches, 1234.0, 42.0, values)


def test_config_copies_the_widgets_into_a_frozen_config(panel: TrainingPanel) -> None:
    panel.set_model_kind("cvae")
    panel.epochs_spin.setValue(3)
    panel.batch_spin.setValue(64)
    panel.latent_spin.setValue(4)
    panel.beta_spin.setValue(0.5)
    panel.hidden_spin.setValue(32)
    panel.seed_spin.setValue(7)
    config = panel.config()
    assert (config.model, config.epochs, config.batch_size, config.latent_dim) == ("cvae", 3, 64, 4)
    assert (config.beta, config.hidden_units, config.seed) == (0.5, 32, 7)
    assert config.data == DEFAULT_DATA["cvae"]
    assert config.noise == 0.0
    with pytest.raises(AttributeError):
        config.epochs = 5  # type: ignore[misc]


def test_each_model_gets_its_recipe_defaults(panel: TrainingPanel) -> None:
    panel.set_model_kind("autoencoder")
    assert panel.data_spec() == "quickdraw:cat"
    assert panel.batch_spin.value() == 128
    assert panel.noise_spin.isEnabled() and not panel.latent_spin.isEnabled()
    assert not panel.beta_spin.isEnabled()
    panel.noise_spin.setValue(0.3)
    config = panel.config()
    assert config.model == "autoencoder" and config.noise == pytest.approx(0.3)
    assert config.latent_dim is None
    panel.set_model_kind("vae")
    assert panel.data_spec() == "mnist"
    assert panel.latent_spin.value() == 2 and panel.latent_spin.isEnabled()
    assert not panel.noise_spin.isEnabled() and panel.config().noise == 0.0


def test_an_opened_file_stays_selected_when_the_model_changes(panel: TrainingPanel) -> None:
    panel.add_data_source("mnist:/data/digits.npz")
    panel.set_model_kind("cvae")
    assert panel.config().data == "mnist:/data/digits.npz"


def test_empty_data_is_refused_with_a_clear_message(panel: TrainingPanel) -> None:
    panel.data_combo.setEditText("  ")
    with pytest.raises(ValueError, match="data"):
        panel.config()


def test_buttons_follow_the_run_state(panel: TrainingPanel) -> None:
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    panel.set_state("running")
    assert not panel.start_button.isEnabled()
    assert panel.stop_button.isEnabled() and panel.pause_button.text() == "Pause"
    assert not panel.model_combo.isEnabled()
    panel.set_state("paused")
    assert panel.pause_button.text() == "Resume"
    panel.set_state("stopping")
    assert not panel.stop_button.isEnabled() and not panel.pause_button.isEnabled()
    panel.set_state("idle")
    assert panel.start_button.isEnabled() and panel.model_combo.isEnabled()


def test_buttons_emit_requests(panel: TrainingPanel, qtbot: Any) -> None:
    with qtbot.waitSignal(panel.start_requested, timeout=1000):
        panel.start_button.click()
    panel.set_state("running")
    with qtbot.waitSignal(panel.pause_requested, timeout=1000):
        panel.pause_button.click()
    with qtbot.waitSignal(panel.stop_requested, timeout=1000):
        panel.stop_button.click()


def test_messages_become_curves_made_once(panel: TrainingPanel) -> None:
    items = (panel.loss_plot.train["loss"], panel.loss_plot.val["loss"], panel.kl_plot.train["kl"])
    panel.reset_plots("vae")
    for b in (5, 10):
        panel.show_batch(batch(0, b))
    panel.show_epoch(
        EpochResult(0, 2, {"loss": 190.0}, {"loss": 185.0, "reconstruction": 170.0, "kl": 15.0})
    )
    panel.show_batch(batch(1, 5))
    x, y = panel.curve_data("train", "loss")
    np.testing.assert_allclose(x, [0.5, 1.0, 1.5])
    np.testing.assert_allclose(y, [195.0, 190.0, 195.0])
    x, y = panel.curve_data("val", "reconstruction")
    np.testing.assert_allclose(x, [1.0])
    np.testing.assert_allclose(y, [170.0])
    np.testing.assert_allclose(panel.curve_data("train", "kl")[1], [10.5, 11.0, 10.5])
    assert items == (
        panel.loss_plot.train["loss"],
        panel.loss_plot.val["loss"],
        panel.kl_plot.train["kl"],
    )
    assert panel.epoch_bar.value() == 500 and "Epoch 2 of 2" in panel.epoch_bar.format()
    assert panel.run_bar.value() == 750
    speed = f"{QLocale().toString(1234)} samples/s"  # "1,234" in en_US, "1234" in C
    shown = panel.speed_label.text().replace("\u00a0", " ")  # (no-break spaces)
    assert speed in shown and "42 s left" in shown


def test_the_autoencoder_shows_one_loss_and_no_kl(panel: TrainingPanel) -> None:
    panel.reset_plots("autoencoder")
    panel.show_batch(batch(0, 10, loss=0.21))
    assert panel.kl_plot.isHidden()
    assert not panel.loss_plot.train["reconstruction"].isVisible()
    np.testing.assert_allclose(panel.curve_data("train", "loss")[1], [0.21])
    assert panel.curve_data("train", "kl")[0].size == 0
    panel.reset_plots("vae")
    assert not panel.kl_plot.isHidden()
    assert panel.curve_data("train", "loss")[0].size == 0


def test_export_png_draws_the_curves(panel: TrainingPanel, tmp_path: Any) -> None:
    panel.show_batch(batch(0, 5))
    panel.show_batch(batch(0, 10))
    path = panel.export_png(tmp_path / "curves.png")
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 400 and image.height() > 300
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 10  # not a blank picture


def test_show_config_puts_a_config_in_the_widgets(panel: TrainingPanel, make_config: Any) -> None:
    config = make_config("cvae", epochs=4, beta=2.0, hidden_units=24, data="mnist:test")
    panel.show_config(config)
    again = panel.config()
    assert again == config.replace(latent_dim=2, val_fraction=again.val_fraction)
