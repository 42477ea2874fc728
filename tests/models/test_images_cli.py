"""``images:FOLDER`` through the CLI: train (also --stream), evaluate, encode, interpolate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models.cli.main import main
from tests.models.photo_digits import make_folder


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Photo-like pictures of the shipped CVAE's own digits (3 of each), and one bad file."""
    from models.inference.shipped import shipped_codec

    codec = shipped_codec("cvae")
    assert codec is not None
    labels = np.repeat(np.arange(10), 3)
    digits = codec.decode(np.zeros((30, codec.latent_dim)), np.eye(10, dtype=np.float32)[labels])
    folder = tmp_path_factory.mktemp("photos")
    make_folder(digits, labels, folder)
    (folder / "4" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut off")
    return folder


def test_evaluate_a_cvae_on_photos(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "cvae", "--data", f"images:{photos}"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["samples"] == 30
    assert result["classification_accuracy"] >= 0.85
    warning = [line for line in err.splitlines() if "skipped" in line]
    assert len(warning) == 1 and "Traceback" not in err
    assert warning[0].startswith(f"ae-explorer: warning: images:{photos}: skipped 1 of 31 files")
    assert "(1 corrupt; first: broken.jpg: corrupt" in warning[0]


def test_strict_refuses_in_one_line(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "cvae", "--data", f"images:{photos}", "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "broken.jpg" in err and "--strict" in err
    assert err.startswith("ae-explorer: error: ")


def test_encode_photos(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "codes"
    assert main(["encode", "vae", "--data", f"images:{photos}", "--out", str(out)]) == 0
    with np.load(out / "codes.npz") as f:
        assert f["z_mean"].shape == (30, 2)
    meta = (out / "metadata.tsv").read_text().splitlines()
    assert meta[1].split("\t")[0] == "0" and meta[-1].split("\t")[0] == "9"


def test_interpolate_between_two_photos(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "walk.png"
    spec = f"images:{photos}"
    code = main(["interpolate", "cvae", f"--from={spec}@0", f"--to={spec}@29", "--steps", "4",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    with Image.open(out) as strip:
        assert strip.size[0] > strip.size[1] > 0


@pytest.mark.slow
@pytest.mark.parametrize("stream", [False, True])
def test_a_cvae_trains_on_photos(photos: Path, tmp_path: Path, stream: bool) -> None:
    out = tmp_path / "run"
    args = ["train", "cvae", "--data", f"images:{photos}", "--epochs", "1", "--batch-size", "10",
            "--hidden-units", "16", "--quiet", "--out", str(out)]  # fmt: skip
    assert main(args + (["--stream"] if stream else [])) == 0
    config = json.loads((out / "config.json").read_text())
    assert config["data"] == f"images:{photos}" and config["num_classes"] == 10


def test_a_sketch_model_reads_photos_of_sketches_as_it_reads_the_strokes(
    tmp_path: Path, drawn_cat: list[np.ndarray], capsys: pytest.CaptureFixture[str]
) -> None:
    """The same cats, as strokes (a class set's .ndjson) and as photos of their pictures
    (images:FOLDER/cat): the shipped sketch CVAE, which knows "cat" among 18 words,
    matches the folder's name to its own and reads both alike."""
    from models.data.class_set import ClassSet
    from models.data.sketch import rasterize_sketch

    rng = np.random.default_rng(0)
    cats = [[s * rng.uniform(0.7, 1.3, (2, 1)) for s in drawn_cat] for _ in range(6)]
    drawings = ClassSet(tmp_path / "strokes")
    for cat in cats:
        drawings.add(cat, "cat")
    pictures = np.stack([rasterize_sketch(c, 32, antialias=True)[2:30, 2:30] for c in cats])
    make_folder(pictures, np.zeros(6, int), tmp_path / "photos")
    (tmp_path / "photos" / "0").rename(tmp_path / "photos" / "cat")
    scores = []
    for spec in (drawings.spec(), f"images:{tmp_path / 'photos'}"):
        assert main(["evaluate", "sketch_cvae", "--data", spec]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["samples"] == 6
        scores.append(result["classification_accuracy"])
    assert abs(scores[0] - scores[1]) <= 0.34
