"""``from models import load_model``: every way of naming a model, and what it returns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.cli.main import main
from models.data.dataset import Dataset
from models.data.mnist import write_idx
from models.errors import DataMismatchWarning, DataSpecError, WeightsError
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel

ROOT = Path(__file__).resolve().parents[2]


def _digits(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    labels = np.arange(n) % 10
    images = np.zeros((n, 28, 28), np.float32)
    for i, d in enumerate(labels):
        images[i, 3 + 2 * d : 5 + 2 * d, 5:-5] = 1.0
    return images, labels


@pytest.fixture
def digits_idx(tmp_path: Path) -> Path:
    images, labels = _digits(60)
    path = tmp_path / "few-images-idx3-ubyte.gz"
    write_idx(path, tmp_path / "few-labels-idx1-ubyte.gz", (images * 255).astype(np.uint8), labels)
    return path


def test_importing_load_model_does_not_import_tensorflow() -> None:
    code = (
        "import sys; from models import load_model; import models.inference.api; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_a_folder_its_weights_file_and_a_keras_file_load_the_same_model(tmp_path: Path) -> None:
    from models import load_model

    config = TrainConfig(model="cvae", hidden_units=8, latent_dim=3, image_size=(28, 28), seed=2)
    trained = TrainedModel.build(config)
    trained.save(tmp_path / "run")
    keras_file = trained.save_keras_file(tmp_path / "run.keras")
    images, labels = _digits(6)
    z = np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32)
    for source in (tmp_path / "run", str(tmp_path / "run" / "model.weights.h5"), keras_file):
        model = load_model(source)
        assert model.kind == "cvae" and model.config.latent_dim == 3, source
        np.testing.assert_allclose(
            model.encode_mean(images, labels), trained.encode_mean(images, labels), atol=1e-5
        )
        np.testing.assert_allclose(model.decode(z, labels), trained.decode(z, labels), atol=1e-5)
        assert model.reconstruct(images, labels).shape == (6, 28, 28)


def test_a_cut_short_or_garbled_weights_file_says_so(tmp_path: Path) -> None:
    """Not "does not fit this model": the file itself is damaged, and the message says so."""
    config = TrainConfig(model="vae", hidden_units=64, image_size=(28, 28))
    TrainedModel.build(config).save(tmp_path / "run")
    weights = tmp_path / "run" / "model.weights.h5"
    whole = weights.read_bytes()
    garbled = bytearray(whole)
    middle = len(whole) // 2
    garbled[middle : middle + 4000] = np.random.default_rng(1).bytes(4000)
    for damaged in (whole[: len(whole) // 2], bytes(garbled)):
        weights.write_bytes(damaged)
        with pytest.raises(WeightsError, match="damaged or cut short") as info:
            TrainedModel.load(tmp_path / "run")
        assert str(weights) in str(info.value) and "does not fit" not in str(info.value)


def test_a_shipped_model_by_name_encodes_decodes_and_evaluates(digits_idx: Path) -> None:
    from models import load_model

    vae = load_model("vae")
    assert vae.kind == "vae" and vae.config.image_size == (28, 28)
    images, _ = _digits(20)
    z = vae.encode_mean(images)
    assert z.shape == (20, 2)
    np.testing.assert_allclose(vae.decode(z), vae.reconstruct(images), atol=1e-5)
    from_spec = vae.evaluate(f"mnist:{digits_idx}")
    from_data = vae.evaluate(Dataset(*_digits(60), "the same digits", "mnist"))
    assert from_spec["neg_elbo"] == pytest.approx(from_data["neg_elbo"], rel=0.05)
    assert 0 < from_spec["neg_elbo"] < 784


def test_the_autoencoder_decodes_its_bottleneck_codes() -> None:
    from models import load_model

    ae = load_model("autoencoder")
    images = ae.spec.fit_images(_digits(5)[0])
    codes = ae.encode_mean(images)
    assert codes.shape == (5, 128)
    np.testing.assert_allclose(ae.decode(codes), ae.reconstruct(images), atol=1e-5)
    with pytest.raises(ValueError, match=r"\(N, 128\)"):
        ae.decode(np.zeros((1, 2), np.float32))


def test_a_name_that_is_neither_a_path_nor_a_shipped_model_is_one_clear_error() -> None:
    from models import load_model

    with pytest.raises(WeightsError, match="no such file or folder; name a shipped model's"):
        load_model("gan")


def test_cli_evaluate_takes_a_shipped_name(
    digits_idx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "cvae", "--data", f"mnist:{digits_idx}"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["model"] == "cvae" and result["samples"] == 60 and captured.err == ""


def test_evaluate_warns_when_the_data_is_not_what_the_model_learnt(
    digits_idx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The cat autoencoder on MNIST digits used to answer without a word."""
    assert main(["evaluate", "autoencoder", "--data", f"mnist:{digits_idx}"]) == 0
    captured = capsys.readouterr()
    assert "bce" in json.loads(captured.out)
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("ae-explorer: warning: mnist") and "trained on sketches" in line

    from models import load_model

    with pytest.warns(DataMismatchWarning, match="trained on sketches"):
        load_model("autoencoder").evaluate(f"mnist:{digits_idx}")


def test_evaluate_refuses_images_of_another_size() -> None:
    from models import load_model

    vae = load_model("vae")
    with pytest.raises(DataSpecError, match="32x32 but the model takes 28x28"):
        vae.evaluate(Dataset(np.zeros((3, 32, 32), np.float32), None, "x", "doodles"))
