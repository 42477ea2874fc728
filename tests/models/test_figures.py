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


def test_ticks_are_round_values_inside_the_range() -> None:
    assert figures._ticks(-1.5, 1.5) == [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
    assert figures._ticks(-0.5, 2.5) == [-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    assert figures._ticks(-7.4, -2.6) == [-7.0, -6.0, -5.0, -4.0, -3.0]
    assert figures._ticks(0.0, 0.0) == [0.0]


def test_scatter_has_ticks_on_both_axes_around_its_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _drawn_texts(monkeypatch)
    rng = np.random.default_rng(0)
    z = rng.normal(size=(200, 2)) * 0.3 + np.array([1.0, -5.0])  # far from the origin
    image = figures.scatter_figure(z, np.arange(200) % 3)
    assert image.size == (480, 504)
    numbers = [float(t) for t in texts if t.lstrip("-").replace(".", "", 1).isdigit()]
    assert -5.0 in numbers and 1.0 in numbers  # both axes are labelled where the points are
    assert min(numbers) > -8 and max(numbers) < 3  # fitted, not a symmetric ±5.x square
    assert "z[0]" in texts and "z[1]" in texts
    # the points are drawn in the plot, coloured by class, not under the tick labels
    pixels = np.asarray(image)
    assert (np.abs(pixels[:, :, 0].astype(int) - pixels[:, :, 2]) > 100).sum() > 50


def _vae_with_codes_near(center: tuple[float, float]) -> Any:
    from models.nets.config import TrainConfig
    from models.nets.trained import TrainedModel

    config = TrainConfig(model="vae", latent_dim=2, hidden_units=8, image_size=(28, 28))
    trained = TrainedModel.build(config)
    layer = trained.model.z_mean_layer
    kernel, _ = layer.get_weights()
    layer.set_weights([kernel * 0.01, np.asarray(center, np.float32)])  # codes ≈ center
    return trained


def test_train_fits_the_latent_grid_to_the_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    from models.cli.main import render_figures
    from models.data.dataset import Dataset
    from models.inference.timeline import fit_range

    trained = _vae_with_codes_near((1.0, -5.0))
    rng = np.random.default_rng(0)
    data = Dataset(rng.random((40, 28, 28), dtype=np.float32), np.arange(40) % 10, "t", "t")
    texts = _drawn_texts(monkeypatch)
    images = render_figures(trained, data)
    codec = trained.codec()
    z = codec.encode_mean(data.images)
    x0, x1, y0, y1 = fit_range(z)
    assert x0 < 1.0 < x1 and y0 < -5.0 < y1 and y1 < -1.5  # not the classic ±1.5
    title = next(t for t in texts if t.startswith("decoded latent grid"))
    assert f"[{x0:g}, {x1:g}] x [{y0:g}, {y1:g}]" in title
    # the figure holds the decoder's images over that square
    grid = codec.decode_grid(10, (x1 - x0) / 2, center=((x0 + x1) / 2, (y0 + y1) / 2))
    body = np.asarray(images["latent_grid.png"].convert("L"))[24:]
    np.testing.assert_array_equal(body, np.asarray(figures.to_pil(grid, scale=2)))


def test_the_classic_square_keeps_its_caption() -> None:
    codec = MLPCodec.random(latent=2)
    center, extent = figures.fitted_square(np.zeros((5, 2)))
    assert center == (0.0, 0.0) and extent == 1.5  # never narrower than the classic map
    _, caption = figures._latent_sweep(codec, 10, extent, None, center)
    assert caption == "10x10 over [-1.5, 1.5]^2"
