"""The classic figures for any latent size, image size and number of classes (NumPy only)."""

from __future__ import annotations

from typing import Any

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


def _drawn_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every string the figures draw, in order."""
    from PIL import ImageDraw

    texts: list[str] = []
    original = ImageDraw.ImageDraw.text

    def record(self: Any, xy: Any, text: Any, *args: Any, **kwargs: Any) -> Any:
        texts.append(str(text))
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", record)
    return texts


def test_a_category_cvae_names_its_rows_and_legend(monkeypatch: pytest.MonkeyPatch) -> None:
    from models.cli.main import render_figures
    from models.data.dataset import Dataset
    from models.nets.config import TrainConfig
    from models.nets.trained import TrainedModel

    names = ("cat", "rainbow")
    config = TrainConfig(model="cvae", num_classes=2, class_names=names, hidden_units=8,
                         latent_dim=2, image_size=(28, 28))  # fmt: skip
    trained = TrainedModel.build(config)
    rng = np.random.default_rng(0)
    data = Dataset(rng.random((12, 28, 28), dtype=np.float32), np.arange(12) % 2, "test", "t",
                   num_classes=2, class_names=names)  # fmt: skip
    texts = _drawn_texts(monkeypatch)
    images = render_figures(trained, data)
    assert set(images) == {"cvae_digit_grid.png", "latent_scatter.png", "reconstructions.png"}
    joined = "\n".join(texts)
    assert "digit" not in joined, texts
    assert "rows: categories, columns: z[0] from -1.5 to 1.5" in texts
    assert texts.count("cat") == 2 and texts.count("rainbow") == 2  # the rows, the legend
    # The rows are named at the left: the figure is wider than its 10 columns.
    assert images["cvae_digit_grid.png"].width > 10 * 28 * 2
    assert images["latent_scatter.png"].size == (480, 504)


def test_digit_models_keep_digit_captions(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _drawn_texts(monkeypatch)
    codec = MLPCodec.random(latent=2, num_classes=10)
    figures.cvae_digit_grid_figure(codec)
    figures.cvae_mixture_figure(codec)
    figures.scatter_figure(np.zeros((4, 2), np.float32), np.array([0, 1, 2, 3]))
    assert texts[0].startswith("rows: digits 0-9")
    assert texts[1].startswith("label 0.5*'8' + 0.5*'3'")
    assert texts[-4:] == ["digit 0", "digit 1", "digit 2", "digit 3"]
    texts.clear()
    figures.cvae_mixture_figure(MLPCodec.random(latent=2, num_classes=2), {0: 0.5, 1: 0.5},
                                names=("cat", "rainbow"))  # fmt: skip
    assert texts[0].startswith("label 0.5*'cat' + 0.5*'rainbow'")
