"""The classic figures for any latent size, image size and number of classes (NumPy only)."""

from __future__ import annotations

import numpy as np
import pytest

from models.inference import figures
from models.nets.codec import MLPCodec


@pytest.mark.parametrize("latent, shape", [(1, (28, 28)), (2, (32, 32)), (5, (32, 32))])
def test_latent_grid_for_any_latent_size_and_image_size(
    latent: int, shape: tuple[int, int]
) -> None:
    codec = MLPCodec.random(latent=latent, image_shape=shape)
    image = figures.latent_grid_figure(codec)
    rows = 1 if latent == 1 else 10
    assert image.size == (10 * shape[1] * 2, rows * shape[0] * 2 + 24)
    assert figures.samples_figure(codec).size == (10 * shape[1] * 2, 10 * shape[0] * 2 + 24)


def test_cvae_figures_with_a_1d_latent_and_other_class_counts() -> None:
    codec = MLPCodec.random(latent=1, num_classes=10)
    assert figures.cvae_mixture_figure(codec).size == (10 * 28 * 2, 28 * 2 + 24)
    five = MLPCodec.random(latent=2, num_classes=5)
    assert figures.cvae_digit_grid_figure(five).size == (10 * 28 * 2, 5 * 28 * 2 + 24)
    with pytest.raises(ValueError, match="classes 0-4"):
        figures.cvae_mixture_figure(five)  # no "8" to mix
    assert figures.cvae_mixture_figure(five, {1: 0.5, 4: 0.5}).height == 10 * 28 * 2 + 24


def test_scatter_handles_1d_nan_and_labels_above_nine() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(50, 1)).astype(np.float32)
    z[3] = np.nan
    labels = np.arange(50) % 12
    image = figures.scatter_figure(z, labels)
    assert image.size == (480, 504)
    dots = np.asarray(image.convert("L"))[30:]
    assert (dots < 250).any()

    empty = figures.scatter_figure(np.full((4, 2), np.nan, np.float32), None)
    assert empty.size == (480, 504)


def test_a_single_reconstruction_keeps_its_whole_title() -> None:
    one = np.zeros((1, 28, 28), np.float32)
    image = figures.reconstructions_figure(one, one)
    title = np.asarray(image.convert("L"))[:24]
    ink_columns = np.flatnonzero((title < 128).any(axis=0))
    assert image.width > 28 * 3  # widened for the title, not cut after one image
    assert ink_columns.max() < image.width - 4  # the title ends inside the figure
