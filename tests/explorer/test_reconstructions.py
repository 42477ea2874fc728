"""The Cats tab: originals next to what the reconstructor returns, noise, resample, detail."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.panels.cats import ReconstructionPanel
from models.errors import ExplorerError
from models.messages import Snapshot


class Recorder:
    """A reconstructor that remembers its inputs: a fixed, visible transform of them."""

    def __init__(self) -> None:
        self.calls: list[np.ndarray] = []

    def __call__(self, images: np.ndarray) -> np.ndarray:
        self.calls.append(images.copy())
        return np.clip(images[:, ::-1, :] * 0.5 + 0.25, 0.0, 1.0)  # flipped, greyed

    @staticmethod
    def expected(images: np.ndarray) -> np.ndarray:
        return np.clip(images[:, ::-1, :] * 0.5 + 0.25, 0.0, 1.0)


def sketches(n: int = 120, size: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.random((n, size, size)) > 0.8).astype(np.float32)


@pytest.fixture
def panel(qtbot) -> ReconstructionPanel:  # type: ignore[no-untyped-def]
    w = ReconstructionPanel(seed=1)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    return w


def test_friendly_message_without_a_model(panel: ReconstructionPanel) -> None:
    assert panel.mode == "empty"
    assert not panel.splitter.isVisibleTo(panel)
    assert "Train" in panel.empty_label.text()
    panel.set_originals(sketches())
    assert panel.mode == "empty"  # data alone: still nothing to reconstruct with
    assert not panel.resample_button.isEnabled()


def test_shows_originals_and_reconstructions(panel: ReconstructionPanel) -> None:
    data = sketches()
    fn = Recorder()
    panel.set_originals(data)
    panel.set_reconstructor(fn)
    assert panel.mode == "live"
    assert panel.splitter.isVisibleTo(panel) and not panel.empty_label.isVisibleTo(panel)
    idx = panel.sample_indices()
    assert len(idx) == 25 and len(set(idx.tolist())) == 25
    np.testing.assert_array_equal(fn.calls[-1], data[idx])
    np.testing.assert_array_equal(np.stack(panel.originals_grid.images()), data[idx])
    np.testing.assert_allclose(np.stack(panel.recon_grid.images()), Recorder.expected(data[idx]))
    assert panel.originals_grid.title() == "Originals"


def test_resample_changes_the_selection(panel: ReconstructionPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    data = sketches()
    fn = Recorder()
    panel.set_originals(data)
    panel.set_reconstructor(fn)
    first = panel.sample_indices()
    qtbot.mouseClick(panel.resample_button, Qt.MouseButton.LeftButton)
    second = panel.sample_indices()
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(fn.calls[-1], data[second])
    np.testing.assert_array_equal(np.stack(panel.originals_grid.images()), data[second])


def test_noise_slider_corrupts_the_inputs_given_to_the_model(panel: ReconstructionPanel) -> None:
    data = sketches()
    fn = Recorder()
    panel.set_originals(data)
    panel.set_reconstructor(fn)
    clean = data[panel.sample_indices()]
    panel.noise_slider.setValue(0.5)
    panel.flush()  # slider moves are throttled; the last one always lands
    noisy = fn.calls[-1]
    assert not np.array_equal(noisy, clean)
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    # Gaussian noise of std 0.5, clipped: the residual spread is large but bounded.
    assert 0.2 < float(np.std(noisy - clean)) < 0.5
    np.testing.assert_array_equal(panel.shown_inputs(), noisy)
    np.testing.assert_array_equal(panel.shown_originals(), clean)
    np.testing.assert_allclose(np.stack(panel.recon_grid.images()), Recorder.expected(noisy))
    assert "0.50" in panel.originals_grid.title()
    # The detail view shows noisy input, reconstruction and the clean original.
    detail = panel.detail.images()
    assert len(detail) == 3
    i = panel.selected()
    np.testing.assert_array_equal(detail[0], noisy[i])
    np.testing.assert_allclose(detail[1], Recorder.expected(noisy)[i])
    np.testing.assert_array_equal(detail[2], clean[i])
    # More noise scales the same pattern; back to 0 gives the clean sketches again.
    panel.noise_slider.setValue(0.8)
    panel.flush()
    assert float(np.abs(fn.calls[-1] - clean).sum()) > float(np.abs(noisy - clean).sum())
    panel.noise_slider.setValue(0.0)
    panel.flush()
    np.testing.assert_array_equal(fn.calls[-1], clean)
    assert len(panel.detail.images()) == 2


def test_click_a_pair_to_see_it_big(panel: ReconstructionPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    data = sketches()
    panel.set_originals(data)
    panel.set_reconstructor(Recorder())
    panel.show()
    qtbot.waitExposed(panel)
    rect = panel.recon_grid.cell_rects()[7]
    qtbot.mouseClick(panel.recon_grid, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert panel.selected() == 7
    assert panel.originals_grid.selected() == panel.recon_grid.selected() == 7
    clean = data[panel.sample_indices()]
    big = panel.detail.images()
    np.testing.assert_array_equal(big[0], clean[7])
    np.testing.assert_allclose(big[1], Recorder.expected(clean)[7])
    rect = panel.originals_grid.cell_rects()[12]
    qtbot.mouseClick(panel.originals_grid, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert panel.selected() == 12
    # Each sketch is drawn large: at least 3x its pixels at this window size.
    assert panel.detail.cell_rects()[0].width() >= 3 * 32


def test_snapshots_during_training_then_live_again(panel: ReconstructionPanel) -> None:
    orig = sketches(40, seed=3)
    rec = np.clip(orig * 0.7, 0, 1)
    panel.show_snapshot(Snapshot(kind="autoencoder", originals=orig, reconstructions=rec))
    assert panel.mode == "snapshot"
    idx = panel.sample_indices()
    np.testing.assert_array_equal(np.stack(panel.originals_grid.images()), orig[idx])
    np.testing.assert_array_equal(np.stack(panel.recon_grid.images()), rec[idx])
    assert not panel.noise_slider.isEnabled()
    # The next epoch: same sketches, sharper reconstructions.
    rec2 = orig.copy()
    panel.show_snapshot(Snapshot(kind="autoencoder", originals=orig, reconstructions=rec2))
    np.testing.assert_array_equal(panel.sample_indices(), idx)
    np.testing.assert_array_equal(np.stack(panel.recon_grid.images()), rec2[idx])
    # Training over: a live reconstructor takes over again.
    panel.set_originals(sketches())
    fn = Recorder()
    panel.set_reconstructor(fn)
    assert panel.mode == "live" and panel.noise_slider.isEnabled()
    assert fn.calls
    # A VAE snapshot carries no pairs: the tab keeps what it shows.
    panel.show_snapshot(Snapshot(kind="vae"))
    assert panel.mode == "live"


def test_source_is_shown_plainly(panel: ReconstructionPanel) -> None:
    panel.set_source("Quick Draw 'cat' (downloaded)", generated=False)
    assert "Quick Draw 'cat'" in panel.source_label.text()
    assert not panel.generated_badge.isVisibleTo(panel)
    panel.set_source("generated practice doodles", generated=True)
    assert "generated practice doodles" in panel.source_label.text()
    assert panel.generated_badge.isVisibleTo(panel)
    assert "GENERATED" in panel.generated_badge.text()


def test_a_failing_or_mismatched_model_shows_a_message(panel: ReconstructionPanel) -> None:
    panel.set_originals(sketches())

    def broken(images: np.ndarray) -> np.ndarray:
        raise RuntimeError("weights do not fit")

    panel.set_reconstructor(broken)
    assert "weights do not fit" in panel.empty_label.text()
    assert panel.empty_label.isVisibleTo(panel) and not panel.splitter.isVisibleTo(panel)
    panel.set_reconstructor(lambda images: images[:, :28, :28])
    assert "28" in panel.empty_label.text() and "32" in panel.empty_label.text()
    panel.set_reconstructor(Recorder())
    assert panel.splitter.isVisibleTo(panel)


def test_few_sketches_and_bad_shapes(panel: ReconstructionPanel) -> None:
    panel.set_originals(sketches(9))
    panel.set_reconstructor(Recorder())
    assert len(panel.sample_indices()) == 9
    assert not panel.resample_button.isEnabled()
    with pytest.raises(ValueError, match="N, H, W"):
        panel.set_originals(np.zeros((4, 4)))


def test_export_png(panel: ReconstructionPanel, tmp_path) -> None:  # type: ignore[no-untyped-def]
    panel.set_originals(sketches())
    panel.set_reconstructor(Recorder())
    out = panel.export_png(tmp_path / "cats.png")
    assert out.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ExplorerError, match="does not exist"):
        panel.export_png(tmp_path / "nope" / "cats.png")


def test_following_a_slot_keeps_the_same_sketches_epoch_after_epoch(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Snapshots of one run show the same 25 sketches sharpening; new data, a new 25."""
    from explorer.session import DataDescription, Origin, Session

    slot = Session().slot("autoencoder")
    panel = ReconstructionPanel(seed=2)
    qtbot.addWidget(panel)
    panel.show()
    panel.follow(slot)
    assert panel.mode == "empty"
    pool = sketches()
    slot.set_training(True)
    assert "first reconstructions appear after epoch 1" in panel.empty_label.text()
    slot.set_data(DataDescription("validation cats", False, pool, len(pool)))
    shown = []
    for epoch in range(3):
        rec = np.full_like(pool, 0.1 * epoch)
        slot.set_snapshot(Snapshot(kind="autoencoder", originals=pool, reconstructions=rec))
        assert panel.mode == "snapshot"
        shown.append(panel.sample_indices())
        np.testing.assert_array_equal(panel.shown_reconstructions(), rec[shown[-1]])
    assert all(np.array_equal(shown[0], s) for s in shown)
    fn = Recorder()

    class Model:
        image_shape = (32, 32)
        reconstruct = fn

    slot.set_model(Model(), Origin.TRAINED, training=False)
    assert panel.mode == "live" and len(fn.calls) == 1
    other = sketches(seed=5)
    slot.set_data(DataDescription("another file", False, other, len(other)))
    np.testing.assert_array_equal(panel.shown_originals(), other[panel.sample_indices()])
    assert panel.source_label.text() == "Data: another file"
