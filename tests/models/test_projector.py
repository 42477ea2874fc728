"""``ae-explorer encode``: codes in the TensorBoard Embedding Projector layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models.cli.main import main
from models.data.dataset import Dataset
from models.data.mnist import write_idx
from models.inference.projector import encode, sprite
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel


def _model(kind: str) -> TrainedModel:
    if kind == "autoencoder":
        return TrainedModel.build(TrainConfig(model=kind, image_size=(32, 32), seed=2))
    return TrainedModel.build(
        TrainConfig(model=kind, image_size=(28, 28), latent_dim=3, hidden_units=8, seed=2)
    )


@pytest.fixture
def digits(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    labels = np.arange(23) % 10
    images = (rng.random((23, 28, 28)) < 0.2).astype(np.uint8) * 255
    path = tmp_path / "e-images-idx3-ubyte.gz"
    write_idx(path, tmp_path / "e-labels-idx1-ubyte.gz", images, labels)
    return path, images / np.float32(255), labels


@pytest.mark.parametrize("kind", ["vae", "cvae"])
def test_encode_writes_the_projector_layout(
    kind: str, tmp_path: Path, digits: tuple[Path, np.ndarray, np.ndarray]
) -> None:
    path, images, labels = digits
    trained = _model(kind)
    run = trained.save(tmp_path / "run")
    out = tmp_path / "codes"
    assert main(["encode", str(run), "--data", f"mnist:{path}", "--out", str(out)]) == 0

    y = labels if kind == "cvae" else None
    z_mean = trained.encode_mean(images, y)
    rows = [line.split("\t") for line in (out / "codes.tsv").read_text().splitlines()]
    assert len(rows) == 23 and all(len(r) == 3 for r in rows)
    np.testing.assert_allclose(np.array(rows, float), z_mean, rtol=1e-4, atol=1e-5)

    meta = (out / "metadata.tsv").read_text().splitlines()
    assert meta[0] == "label\tindex" and len(meta) == 24
    assert [int(m.split("\t")[0]) for m in meta[1:]] == labels.tolist()

    with np.load(out / "codes.npz") as f:
        np.testing.assert_allclose(f["z_mean"], z_mean, rtol=1e-5, atol=1e-6)
        assert f["z_log_var"].shape == (23, 3)
        assert f["labels"].tolist() == labels.tolist()
        # z_log_var is the encoder's own: the NumPy codec computes the same numbers.
        codec = trained.codec()
        assert codec is not None
        x = images.reshape(23, -1)
        if kind == "cvae":
            x = np.concatenate([x, np.eye(10, dtype=np.float32)[labels]], axis=1)
        h = np.maximum(x @ codec.enc_w + codec.enc_b, 0)
        np.testing.assert_allclose(
            f["z_log_var"], h @ codec.log_var_w + codec.log_var_b, rtol=1e-4, atol=1e-5
        )

    config = (out / "projector_config.pbtxt").read_text()
    for name in ("codes.tsv", "metadata.tsv", "sprite.png"):
        assert f'"{name}"' in config
    assert config.count("single_image_dim: 28") == 2
    with Image.open(out / "sprite.png") as img:
        sheet = np.asarray(img.convert("L"))
    assert sheet.shape == (5 * 28, 5 * 28)  # 23 images: a 5 x 5 grid
    # Image 7 at row 1, column 2, ink dark on white.
    np.testing.assert_array_equal(
        sheet[28:56, 56:84], np.round((1 - images[7]) * 255).astype(np.uint8)
    )


def test_autoencoder_codes_are_its_bottleneck(tmp_path: Path) -> None:
    trained = _model("autoencoder")
    run = trained.save(tmp_path / "run")
    out = tmp_path / "codes"
    assert main(["encode", str(run), "--data", "doodles:12", "--out", str(out)]) == 0
    from models.data.specs import load_dataset

    data = load_dataset("doodles:12", image_size=32)
    with np.load(out / "codes.npz") as f:
        assert set(f.files) == {"z_mean"}
        np.testing.assert_allclose(f["z_mean"], trained.encode_mean(data.images), atol=1e-5)
        assert f["z_mean"].shape == (12, 128)
    meta = (out / "metadata.tsv").read_text().splitlines()
    assert meta[:2] == ["label\tindex", "doodles\t0"]


def test_limit_and_errors(
    tmp_path: Path, digits: tuple[Path, np.ndarray, np.ndarray], capsys: pytest.CaptureFixture[str]
) -> None:
    path = digits[0]
    run = _model("cvae").save(tmp_path / "run")
    out = tmp_path / "codes"
    assert (
        main(["encode", str(run), "--data", f"mnist:{path}", "--limit", "5", "--out", str(out)])
        == 0
    )
    assert len((out / "codes.tsv").read_text().splitlines()) == 5
    capsys.readouterr()
    cases = [
        (["--data", "doodles:5"], "images are 32x32 but the model takes 28x28"),
        (["--data", f"mnist:{path}", "--limit", "0"], "--limit 0"),
        (["--data", "mnist:/no/such/file.gz"], "no such file"),
    ]
    for extra, message in cases:
        assert main(["encode", str(run), *extra, "--out", str(tmp_path / "x")]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, err
    (tmp_path / "file").write_text("")
    assert (
        main(["encode", str(run), "--data", f"mnist:{path}", "--out", str(tmp_path / "file")]) == 2
    )
    assert "not a folder" in capsys.readouterr().err


def test_limit_takes_a_seeded_sample_with_every_class(tmp_path: Path) -> None:
    """MNIST files are sorted by label: the first 30 would all be zeros."""
    rng = np.random.default_rng(1)
    labels = np.repeat(np.arange(10), 12)  # 120 digits, label-sorted
    images = (rng.random((120, 28, 28)) < 0.2).astype(np.uint8) * 255
    path = tmp_path / "s-images-idx3-ubyte.gz"
    write_idx(path, tmp_path / "s-labels-idx1-ubyte.gz", images, labels)
    trained = _model("vae")
    run = trained.save(tmp_path / "run")
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert main(["encode", str(run), "--data", f"mnist:{path}", "--limit", "30",
                     "--out", str(out)]) == 0  # fmt: skip
    meta = [line.split("\t") for line in (outs[0] / "metadata.tsv").read_text().splitlines()[1:]]
    got_labels = [int(m[0]) for m in meta]
    index = np.array([int(m[1]) for m in meta])
    assert sorted(set(got_labels)) == list(range(10)) and len(got_labels) == 30
    assert np.bincount(got_labels).tolist() == [3] * 10  # as balanced as 30 allows
    assert index.tolist() != list(range(30)) and np.all(np.diff(index) > 0)  # data order
    assert got_labels == labels[index].tolist()  # the index column finds each image
    z = np.array(
        [line.split("\t") for line in (outs[0] / "codes.tsv").read_text().splitlines()], float
    )
    np.testing.assert_allclose(
        z, trained.encode_mean(images[index] / np.float32(255)), rtol=1e-4, atol=1e-5
    )
    # seeded: the same sample every time
    assert (outs[1] / "metadata.tsv").read_text() == (outs[0] / "metadata.tsv").read_text()


def test_limit_help_says_how_the_sample_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["encode", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "random sample of N images" in text and "every class" in text


def test_encode_function_refuses_unlabelled_data_for_a_cvae() -> None:
    data = Dataset(np.zeros((2, 28, 28), np.float32), None, "x", "x")
    with pytest.raises(ValueError, match="labelled data only"):
        encode(_model("cvae"), data)


def test_sprite_shrinks_thumbnails_to_fit_the_projectors_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from models.inference import projector

    images = np.zeros((50, 32, 32), np.float32)
    images[7, 3:5, :] = 1.0
    sheet, side = sprite(images)
    assert side == 32 and sheet.size == (8 * 32, 8 * 32)  # 50 images: 8 x 8
    monkeypatch.setattr(projector, "SPRITE_MAX", 100)  # the real limit is 8192 pixels
    sheet, side = sprite(images)
    assert side == 100 // 8 and sheet.size == (8 * side, 8 * side)
    # Image 7 (row 0, column 7) still shows its dark band.
    assert np.asarray(sheet)[:, 7 * side : 8 * side].min() < 128
