"""The Compare view: maps side by side, one shared marker, prior samples, metrics, retraining."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from explorer import compare_models
from explorer.compare_models import CompareEntry, format_metrics, prior_images, read_run
from explorer.panels.compare import MAX_MAPS, ComparePanel
from explorer.session import Points
from models.nets.codec import MLPCodec


def entry(seed: int, title: str = "", latent: int = 2, **kw: Any) -> CompareEntry:
    codec = MLPCodec.random(latent=latent, seed=seed)
    rng = np.random.default_rng(seed)
    points = Points(rng.normal(size=(50, latent)).astype(np.float32), np.arange(50) % 10)
    return CompareEntry(title=title or f"model {seed}", codec=codec, points=points,
                        names=tuple("0123456789"), **kw)  # fmt: skip


@pytest.fixture
def panel(qtbot, monkeypatch: pytest.MonkeyPatch) -> ComparePanel:  # type: ignore[no-untyped-def]
    measured: list[str] = []

    def fake_metrics(e: CompareEntry) -> dict[str, Any]:
        measured.append(e.title)
        return {"neg_elbo": 150.0 + len(e.title), "reconstruction": 140.0, "kl": 10.0,
                "kl_per_dim": [5.0, 5.0], "active_units": 2, "latent_dim": 2,
                "prior_recognizable": 0.5, "prior_coverage": 0.9}  # fmt: skip

    monkeypatch.setattr("explorer.panels.compare.panel.compute_metrics", fake_metrics)
    w = ComparePanel(load_shipped=False)
    w.measured_titles = measured  # type: ignore[attr-defined]
    qtbot.addWidget(w)
    w.resize(1280, 720)
    return w


def test_click_in_one_map_decodes_the_same_point_in_every_map(panel: ComparePanel) -> None:
    entries = [entry(s) for s in range(3)]
    for i, e in enumerate(entries):
        panel.set_entry(i, e)
    images = panel.pick(0.7, -1.1)
    assert panel.point() == (0.7, -1.1)
    for e, image, m in zip(entries, images, panel.maps, strict=False):
        expected = e.codec.decode(np.array([0.7, -1.1], np.float32))[0]
        np.testing.assert_allclose(image, expected, atol=1e-6)
        np.testing.assert_allclose(m.point_view.image(0), expected, atol=1e-6)
        x, y = m.marker.getData()
        assert (float(x[0]), float(y[0])) == (0.7, -1.1)
    assert images[3] is None  # the fourth map is empty and says so
    assert panel.maps[3].stack.currentIndex() == 0
    # Different models draw different images at the same coordinates.
    assert not np.allclose(images[0], images[1])


def test_a_click_through_the_view_box_reaches_every_map(panel: ComparePanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.set_entry(0, entry(0))
    panel.set_entry(1, entry(1))
    panel.maps[1].view_box.sigPicked.emit(-0.5, 0.25)
    panel.flush()
    assert panel.point() == (-0.5, 0.25)
    x, _y = panel.maps[0].marker.getData()
    assert float(x[0]) == -0.5


def test_prior_samples_are_the_same_z_in_every_map(panel: ComparePanel) -> None:
    a, b = entry(0), entry(1)
    panel.set_entry(0, a)
    panel.set_entry(1, b)
    shown = np.stack(panel.maps[0].prior_view.images())
    np.testing.assert_allclose(shown, prior_images(a.codec, 16, seed=0), atol=1e-6)
    z = np.random.default_rng(0).standard_normal((16, 2)).astype(np.float32)
    np.testing.assert_allclose(np.stack(panel.maps[1].prior_view.images()), b.codec.decode(z),
                               atol=1e-6)  # fmt: skip
    panel.resample()
    assert not np.allclose(np.stack(panel.maps[0].prior_view.images()), shown)


def test_points_are_scattered_in_the_first_two_dimensions(panel: ComparePanel) -> None:
    e = entry(2)
    panel.set_entry(0, e)
    x, y = panel.maps[0].points_data()
    z = e.points.z  # type: ignore[union-attr]
    shown = np.sort(np.stack([x, y], axis=1), axis=0)
    np.testing.assert_allclose(shown, np.sort(z, axis=0), atol=1e-6)
    item = panel.maps[0].point_items[3]  # the 3s: one colour, one shape
    np.testing.assert_allclose(item.getData()[0], z[e.points.labels == 3, 0])  # type: ignore[union-attr]
    assert "9" in panel.legend_label.text()
    panel.points_check.setChecked(False)
    assert not any(i.isVisible() for i in panel.maps[0].point_items.values())


def test_metrics_are_measured_in_the_background_and_shown(panel: ComparePanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.set_entry(0, entry(0, "VAE β=1"))
    panel.set_entry(1, entry(1, "Autoencoder"))
    panel.measure()
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    qtbot.waitUntil(lambda: "ELBO" in panel.maps[1].metrics_label.text(), timeout=5000)
    text = panel.maps[0].metrics_label.text()
    assert "157.0" in text and "active units" in text and "0.50" in text
    assert sorted(panel.measured_titles) == ["Autoencoder", "VAE β=1"]  # type: ignore[attr-defined]
    # A model put in later is measured at once.
    panel.set_entry(2, entry(2, "VAE β=4"))
    qtbot.waitUntil(lambda: "ELBO" in panel.maps[2].metrics_label.text(), timeout=5000)


def test_failed_metrics_say_why_without_a_crash(panel: ComparePanel, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from models.errors import ExplorerError

    def broken(_e: CompareEntry) -> dict[str, Any]:
        raise ExplorerError("no classifier here")

    monkeypatch.setattr("explorer.panels.compare.panel.compute_metrics", broken)
    panel.set_entry(0, entry(0))
    panel.measure()
    qtbot.waitUntil(lambda: "no classifier" in panel.maps[0].metrics_label.text(), timeout=5000)


def test_missing_shipped_models_are_named_not_a_crash(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(compare_models, "compare_dir", lambda name: tmp_path / name)
    w = ComparePanel(load_shipped=False)
    qtbot.addWidget(w)
    missing = w.show_shipped()
    assert len(missing) == MAX_MAPS
    assert "resources/weights/compare/vae_beta1" in w.maps[2].empty_label.text()
    assert "missing" in w.status_label.text()
    assert all(m.stack.currentIndex() == 0 for m in w.maps)


def save_codec_run(directory: Path, codec: MLPCodec, **config: Any) -> None:
    """A model folder as `train` writes it, made with h5py (no TensorFlow)."""
    import h5py

    directory.mkdir(parents=True)
    layers = {"enc_hidden": ("enc_w", "enc_b"), "z_mean": ("mean_w", "mean_b"),
              "z_log_var": ("log_var_w", "log_var_b"), "dec_hidden": ("dec_w", "dec_b"),
              "dec_out": ("out_w", "out_b")}  # fmt: skip
    with h5py.File(directory / "model.weights.h5", "w") as f:
        for layer, (w, b) in layers.items():
            g = f.create_group(f"layers/{layer}/vars")
            g.attrs["name"] = layer
            g["0"], g["1"] = getattr(codec, w), getattr(codec, b)
    cfg = {"model": "vae", "hidden_units": 16, "latent_dim": codec.latent_dim,
           "image_size": [28, 28], **config}  # fmt: skip
    (directory / "config.json").write_text(json.dumps(cfg))
    rng = np.random.default_rng(0)
    np.savez(directory / "points.npz", z_mean=rng.normal(size=(30, codec.latent_dim)),
             labels=np.arange(30) % 10)  # fmt: skip


def test_load_run_shows_a_model_folder(panel: ComparePanel, tmp_path: Path) -> None:
    codec = MLPCodec.random(latent=2, seed=5)
    save_codec_run(tmp_path / "run", codec, beta=4.0)
    loaded = panel.load_run(3, tmp_path / "run")
    assert loaded is not None and loaded.title == "VAE β=4"
    assert panel.maps[3].title_label.text() == "VAE β=4"
    image = panel.pick(0.3, 0.3)[3]
    np.testing.assert_allclose(image, codec.decode(np.array([0.3, 0.3]))[0], atol=1e-5)
    assert len(panel.maps[3].points_data()[0]) == 30
    # Not a model: one line naming the folder, the map keeps its model.
    (tmp_path / "empty").mkdir()
    assert panel.load_run(3, tmp_path / "empty") is None
    assert str(tmp_path / "empty") in panel.errors[-1]
    assert panel.maps[3].entry is loaded


def test_read_run_refuses_a_one_dimensional_model(tmp_path: Path) -> None:
    from models.errors import WeightsError

    save_codec_run(tmp_path / "run", MLPCodec.random(latent=1, seed=1))
    with pytest.raises(WeightsError, match="1-D"):
        read_run(tmp_path / "run")


def test_format_metrics_leaves_out_what_a_model_lacks() -> None:
    text = format_metrics({"reconstruction": 120.5, "active_units": 2, "latent_dim": 2})
    assert "ELBO" not in text and "120.5" in text and "2 of 2" in text
    assert format_metrics(None) == ""


def test_comparison_configs_share_data_and_seed() -> None:
    runs = compare_models.comparison_configs(epochs=3, hidden_units=16)
    assert len(runs) >= 3
    assert {c.seed for _, _, c in runs} == {0}
    assert {c.resolved_data for _, _, c in runs} == {"mnist"}
    betas = sorted(c.beta for _, _, c in runs if c.spec.variational)
    assert betas == [0.1, 1.0, 4.0]
    assert all(c.epochs == 3 and c.resolved_latent_dim == 2 for _, _, c in runs)


@pytest.mark.usefixtures("tensorflow_loaded")
def test_train_this_comparison_fills_the_maps(panel: ComparePanel, qtbot, make_bars) -> None:  # type: ignore[no-untyped-def]
    started = panel.train_comparison(epochs=1, data=make_bars(160), hidden_units=16,
                                     batch_size=32, only=("vae_beta0.1", "vae_beta4"))  # fmt: skip
    assert started and not panel.train_button.isEnabled()
    assert not panel.train_comparison(epochs=1)  # one comparison at a time
    qtbot.waitUntil(lambda: panel.train_button.isEnabled(), timeout=120_000)
    assert not panel.errors, panel.errors
    trained = [m.entry for m in panel.maps if m.entry is not None and m.entry.ready]
    assert len(trained) == len(panel.trainer.runs)
    assert [m.entry.title if m.entry else None for m in panel.maps] == [
        None, "VAE β=0.1", None, "VAE β=4"]  # each in its own map
    for e in trained:
        assert e.model is not None and e.points is not None
        assert e.path is not None and (e.path / "model.weights.h5").is_file()
    assert panel.progress_bar.value() == 1000


def test_a_stopped_run_ends_the_comparison(qtbot, make_bars) -> None:  # type: ignore[no-untyped-def]
    """The window closing stops the worker directly: no next run may start after it."""
    from explorer.compare_trainer import ComparisonTrainer

    runs = compare_models.comparison_configs(epochs=1, only=("vae_beta1", "vae_beta4"))
    trainer = ComparisonTrainer(runs, data=make_bars(64))
    ended: list[str] = []
    trainer.finished.connect(ended.append)
    trainer.start()
    worker = trainer.worker
    assert worker is not None
    worker.quit()  # what WorkerBase.await_workers does at close
    qtbot.waitUntil(lambda: bool(ended), timeout=60_000)
    assert "stopped" in ended[0] and trainer.index == 0 and trainer.worker is None


def test_the_maps_wait_until_the_tab_is_shown(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Four plots and four models cost the window's start a second: made on first show."""
    read: list[int] = []
    real = compare_models.shipped_entries

    def counting() -> list[CompareEntry]:
        read.append(1)
        return real()

    monkeypatch.setattr("explorer.panels.compare.panel.shipped_entries", counting)
    monkeypatch.setattr(compare_models, "compare_dir", lambda name: tmp_path / name)
    w = ComparePanel()
    qtbot.addWidget(w)
    assert not w.built and not read
    w.show()
    assert w.built  # the maps at once, the models read in a worker
    qtbot.waitUntil(lambda: read == [1] and not w.busy, timeout=5000)
    qtbot.waitUntil(lambda: "resources/weights/compare/ae" in w.maps[0].empty_label.text(),
                    timeout=5000)  # fmt: skip
