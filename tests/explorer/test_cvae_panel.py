"""The CVAE tab: the sliders make the label vector and the style, the images follow exactly."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.panels.cvae import GRID_COLUMNS, NUM_DIGITS, CVAEPanel, describe_mix
from models.errors import ExplorerError
from models.messages import Snapshot
from models.nets.codec import MLPCodec


def random_codec(latent: int = 2, num_classes: int = 10, seed: int = 0) -> MLPCodec:
    """A small MLP codec with random weights (hidden 16, 28x28 images)."""
    return MLPCodec.random(latent=latent, num_classes=num_classes, seed=seed)


@pytest.fixture
def panel(qtbot) -> CVAEPanel:  # type: ignore[no-untyped-def]
    w = CVAEPanel()
    qtbot.addWidget(w)
    w.resize(1200, 800)
    return w


def expected_image(codec: MLPCodec, panel: CVAEPanel) -> np.ndarray:
    z = np.array([s.value() for s in panel.style_sliders[: codec.latent_dim]])
    label = np.array([s.value() for s in panel.digit_sliders])
    return codec.decode(z, label)[0]


def test_empty_panel_says_what_to_do(panel: CVAEPanel) -> None:
    assert panel.stack.currentIndex() == 0
    assert "CVAE" in panel.empty_label.text()
    panel.set_codec(random_codec(num_classes=0))  # a plain VAE cannot be conditioned
    assert panel.stack.currentIndex() == 0
    assert panel.codec() is None


def test_moving_a_digit_slider_regenerates_live(panel: CVAEPanel) -> None:
    codec = random_codec()
    panel.set_codec(codec)
    assert panel.stack.currentIndex() == 1
    before = panel.generated_image()
    assert before is not None
    np.testing.assert_allclose(before, expected_image(codec, panel), atol=1e-6)
    panel.digit_sliders[3].setValue(0.6)
    after = panel.generated_image()
    assert after is not None and not np.allclose(before, after)
    label = np.zeros(10, dtype=np.float32)
    label[4], label[3] = 1.0, 0.6  # starts as a pure 4
    np.testing.assert_allclose(panel.label_vector(), label)
    np.testing.assert_allclose(after, codec.decode(np.zeros(2), label)[0], atol=1e-6)
    assert panel.image_view.captions() == [describe_mix(label)]
    assert panel.sum_label.text() == "sum 1.60"


def test_presets_set_the_classic_label_vectors(panel: CVAEPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    codec = random_codec()
    panel.set_codec(codec)
    qtbot.mouseClick(panel.preset_buttons["Half 8, half 3"], Qt.MouseButton.LeftButton)
    half = np.zeros(10, dtype=np.float32)
    half[8] = half[3] = 0.5
    np.testing.assert_array_equal(panel.label_vector(), half)
    np.testing.assert_allclose(
        panel.generated_image(), codec.decode(np.zeros(2), half)[0], atol=1e-6
    )
    assert panel.mix_text() == "0.50 × 3 + 0.50 × 8"
    qtbot.mouseClick(panel.preset_buttons["Pure 4"], Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(panel.label_vector(), np.eye(10, dtype=np.float32)[4])
    assert panel.mix_text() == "a pure 4"


def test_only_normalize_and_reset(panel: CVAEPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    codec = random_codec()
    panel.set_codec(codec)
    qtbot.mouseClick(panel.only_buttons[7], Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(panel.label_vector(), np.eye(10, dtype=np.float32)[7])
    panel.digit_sliders[1].setValue(0.6)
    panel.digit_sliders[7].setValue(0.2)
    qtbot.mouseClick(panel.normalize_button, Qt.MouseButton.LeftButton)
    label = panel.label_vector()
    assert label.sum() == pytest.approx(1.0, abs=0.011)  # two decimals per slider
    assert label[1] == pytest.approx(0.75, abs=0.006) and label[7] == pytest.approx(0.25, abs=0.006)
    np.testing.assert_allclose(panel.generated_image(), expected_image(codec, panel), atol=1e-6)
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(panel.label_vector(), np.zeros(10))
    assert panel.mix_text().startswith("no digit")
    panel.normalize()  # nothing to scale: stays at zero, no division by zero
    np.testing.assert_array_equal(panel.label_vector(), np.zeros(10))


def test_style_sliders_and_the_digit_by_latent_grid(panel: CVAEPanel) -> None:
    codec = random_codec()
    panel.set_codec(codec)
    assert [s.isVisibleTo(panel) for s in panel.style_sliders[:3]] == [True, True, False]
    grid_before = panel.grid_images().copy()
    panel.style_sliders[1].setValue(1.2)
    panel.flush()
    np.testing.assert_allclose(
        panel.generated_image(),
        codec.decode(np.array([0.0, 1.2]), panel.label_vector())[0],
        atol=1e-6,
    )
    grid = panel.grid_images()
    assert grid.shape == (10, GRID_COLUMNS, 28, 28)
    assert not np.allclose(grid, grid_before)
    values = panel.grid_values()
    for digit, col in [(0, 0), (3, 4), (9, GRID_COLUMNS - 1)]:
        z = np.array([values[col], 1.2])
        np.testing.assert_allclose(
            grid[digit, col], codec.decode(z, np.eye(10)[digit])[0], atol=1e-6
        )
    panel.dim_combo.setCurrentIndex(1)  # columns now vary z[1]; z[0] comes from its slider
    panel.style_sliders[0].setValue(-0.8)
    panel.flush()  # grid redraws are throttled; the last slider value always lands
    grid = panel.grid_images()
    z = np.array([-0.8, values[2]])
    np.testing.assert_allclose(grid[5, 2], codec.decode(z, np.eye(10)[5])[0], atol=1e-6)
    panel.reset_style()
    np.testing.assert_array_equal(panel.style_vector(), np.zeros(2))


def test_many_latent_dimensions_show_the_first_eight(panel: CVAEPanel) -> None:
    codec = random_codec(latent=10)
    panel.set_codec(codec)
    assert all(s.isVisibleTo(panel) for s in panel.style_sliders)
    assert panel.style_note.isVisibleTo(panel)
    panel.style_sliders[7].setValue(0.5)
    z = panel.style_vector()
    assert z.shape == (10,) and z[7] == pytest.approx(0.5) and z[8] == z[9] == 0.0
    np.testing.assert_allclose(
        panel.generated_image(), codec.decode(z, panel.label_vector())[0], atol=1e-6
    )


def test_snapshot_keeps_the_sliders(panel: CVAEPanel) -> None:
    panel.set_codec(random_codec(seed=0))
    panel.apply_preset("Half 8, half 3")
    panel.style_sliders[0].setValue(0.4)
    newer = random_codec(seed=9)
    panel.show_snapshot(Snapshot(kind="cvae", codec=newer))
    assert panel.codec() is newer
    np.testing.assert_allclose(panel.generated_image(), expected_image(newer, panel), atol=1e-6)
    assert panel.style_sliders[0].value() == pytest.approx(0.4)
    panel.show_snapshot(Snapshot(kind="vae", codec=random_codec(num_classes=0)))
    assert panel.codec() is newer  # a plain VAE's snapshot is not for this tab


def test_export_png(panel: CVAEPanel, tmp_path) -> None:  # type: ignore[no-untyped-def]
    panel.set_codec(random_codec())
    out = panel.export_png(tmp_path / "cvae")
    assert out.suffix == ".png" and out.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ExplorerError):
        panel.export_png(tmp_path / "nowhere" / "cvae.png")


def test_a_dragged_style_slider_redraws_the_grid_throttled(panel: CVAEPanel, qtbot: Any) -> None:
    """Twenty slider steps in a burst: the generated digit follows each, the 100-image grid
    is decoded a few times only, and ends on the last value."""
    grids: list[int] = []

    class Counting(MLPCodec):
        def decode(self, z: Any, labels: Any = None) -> np.ndarray:
            if len(np.atleast_2d(z)) == NUM_DIGITS * GRID_COLUMNS:
                grids.append(1)
            return super().decode(z, labels)

    real = random_codec()
    codec = Counting(**{f.name: getattr(real, f.name) for f in dataclasses.fields(real)})
    panel.set_codec(codec)
    grids.clear()
    for v in np.linspace(-1.0, 1.0, 20):
        panel.style_sliders[0].setValue(float(v))
        np.testing.assert_allclose(
            panel.generated_image(),
            real.decode(np.array([panel.style_sliders[0].value(), 0.0]), panel.label_vector())[0],
            atol=1e-6,
        )
    assert 1 <= len(grids) < 5
    qtbot.waitUntil(lambda: len(grids) >= 2, timeout=2000)  # the trailing redraw lands
    values = panel.grid_values()
    z = np.array([values[3], 0.0])  # columns vary z[0]
    grid = panel.grid_images()
    np.testing.assert_allclose(grid[6, 3], real.decode(z, np.eye(10)[6])[0], atol=1e-6)
    assert panel.style_sliders[0].value() == 1.0
