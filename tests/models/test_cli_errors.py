"""``ae-explorer`` with bad input: one clear line on stderr, exit 2, no traceback, and no
half-written output folder; odd but valid settings (1-D or 5-D latents, 32x32 VAEs) work;
a NaN mid-training keeps, and saves, the last good epoch."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from models.cli.main import main, save_run
from models.data.dataset import Dataset
from models.data.doodles import generate_doodles
from models.data.quickdraw import write_binary
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel
from models.training import loop as training

TINY = ["--epochs", "1", "--hidden-units", "16", "--batch-size", "85", "--quiet"]
"""One batch an epoch (85 of the 100 digits train): one XLA compilation per model."""


@pytest.fixture(scope="module")
def files(
    tmp_path_factory: pytest.TempPathFactory, write_digit_bars: Callable[[Path, str, int], Path]
) -> dict[str, Path]:
    """Good and bad data files, written with the project's own writers."""
    d = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    write_digit_bars(d, "ok", 100)
    write_digit_bars(d, "one", 1)
    write_digit_bars(d, "alone", 100)
    (d / "alone-labels-idx1-ubyte.gz").unlink()
    write_binary(d / "cats.bin", generate_doodles(20, seed=1))
    whole = (d / "cats.bin").read_bytes()
    (d / "cut.bin").write_bytes(whole[: len(whole) // 2 + 3])
    (d / "empty.bin").write_bytes(b"")
    (d / "garbage.bin").write_bytes(bytes(range(256)) * 4)
    np.save(d / "floats.npy", rng.random((10, 784)))
    np.save(d / "shape.npy", np.zeros((10, 100), np.uint8))
    (d / "wrong.ndjson").write_text(json.dumps({"word": "cat", "drawing": 5}) + "\n")
    (d / "a-file").write_text("not a folder")
    return {p.name: p for p in d.iterdir()}


def _fails_cleanly(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str], out: Path | None = None
) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ae-explorer: error: ") and "Traceback" not in err
    assert needle in err, err
    if out is not None:
        assert not out.exists(), "a failed run left an output folder"
        assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]
    return err


# -- before any training: bad files, bad specs, bad settings, bad --out ----------------------


@pytest.mark.parametrize(
    "data, needle",
    [
        ("quickdraw:@empty.bin", "empty.bin, byte 0"),
        ("quickdraw:@garbage.bin", "garbage.bin, byte 0"),
        ("quickdraw:@cut.bin", "cut.bin, byte"),
        ("quickdraw:@floats.npy", "floats.npy, header: dtype is float64"),
        ("quickdraw:@shape.npy", "shape.npy, header: shape (10, 100)"),
        ("quickdraw:@wrong.ndjson", "wrong.ndjson, line 1"),
        ("mnist:@alone-images-idx3-ubyte.gz", "alone-labels-idx1-ubyte.gz"),
        ("quickdraw:unknowncategory", "'unknowncategory' is not a Quick Draw category"),
        ("mnist:@one-images-idx3-ubyte.gz", "too few samples"),
        ("mnist:/", "/ is not a file"),
    ],
)
def test_bad_data_is_one_line_naming_the_file(
    data: str,
    needle: str,
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "run"
    prefix, _, name = data.partition("@")
    spec = f"{prefix}{files[name]}" if name else data
    _fails_cleanly(["train", "vae", "--data", spec, "--out", str(out), *TINY], needle, capsys, out)


@pytest.mark.parametrize(
    "option, needle",
    [
        (["--epochs", "0"], "epochs must be an integer of at least 1, got 0"),
        (["--batch-size", "-1"], "batch size must be an integer of at least 1, got -1"),
        (["--latent-dim", "0"], "latent size"),
        (["--hidden-units", "0"], "hidden units"),
        (["--beta", "nan"], "beta must be a number >= 0, got nan"),
        (["--noise", "-1", "autoencoder"], "noise must be a number >= 0"),
        (["--seed", "-1"], "seed"),
    ],
)
def test_bad_settings_are_refused_before_loading_anything(
    option: list[str],
    needle: str,
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "run"
    spec = f"mnist:{files['ok-images-idx3-ubyte.gz']}"
    model = "autoencoder" if "autoencoder" in option else "vae"
    option = [o for o in option if o != model]
    argv = ["train", model, "--data", spec, "--out", str(out), *TINY, *option]
    _fails_cleanly(argv, needle, capsys, out)


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["train", "vae", "--epochs", "abc", "--out", "x"], "invalid int value: 'abc'"),
        (["train", "gan", "--out", "x"], "invalid choice: 'gan'"),
        (["train", "vae"], "required: --out"),
    ],
)
def test_usage_mistakes_are_one_line_too(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "--help" in err


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["autoencoder", "--latent-dim", "8"], "--latent-dim"),
        (["autoencoder", "--beta", "2"], "--beta"),
        (
            ["vae", "--noise", "0.2"],
            "--noise sets noise on the inputs (denoising), which the VAE does not have",
        ),
    ],
)
def test_options_the_model_would_ignore_are_refused(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    _fails_cleanly(["train", *argv, "--data", "doodles:30", "--out", str(out)], needle, capsys, out)


def test_out_must_be_a_writable_folder(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec = f"mnist:{files['ok-images-idx3-ubyte.gz']}"
    a_file = files["a-file"]
    base = ["train", "vae", "--data", spec, *TINY, "--out"]
    _fails_cleanly([*base, str(a_file)], "exists and is not a folder", capsys)
    _fails_cleanly([*base, str(a_file / "run")], f"{a_file} is a file", capsys)
    assert a_file.read_text() == "not a folder"
    if Path("/proc/self").is_dir():  # a place nobody, not even root, can create folders in
        _fails_cleanly([*base, "/proc/no-such/run"], "cannot write in /proc", capsys)


def test_cvae_refuses_unlabelled_or_mismatched_data_before_training(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    base = ["--out", str(out), *TINY]
    _fails_cleanly(["train", "cvae", "--data", "doodles:30", *base], "needs labelled data", capsys)
    spec = f"mnist:{files['ok-images-idx3-ubyte.gz']}"
    _fails_cleanly(
        ["train", "vae", "--data", spec, "--val-data", "doodles:10", *base],
        "validation images are 32x32 but the training images",
        capsys,
        out,
    )


@pytest.mark.parametrize(
    "config, needle",
    [
        ('{"model": "vae", "latent_dim": -3, "image_size": [28, 28]}', "latent size"),
        ("[1, 2, 3]", "expected a JSON object, found list"),
        ("null", "expected a JSON object"),
        ('{"latent_dim": 2}', "no 'model' entry"),
        ('{"model": "gan", "image_size": [28, 28]}', "unknown model 'gan'"),
        ('{"model": "vae", "image_size": "abc"}', "image size must be two positive integers"),
        ('{"model": "vae", "image_size": [28]}', "image size"),
        ('{"model": "vae", "image_size": [28, 28], "hidden_units": 1e9}', "hidden units"),
        ('{"model": "cvae", "image_size": [28, 28], "num_classes": 0}', "number of classes"),
        ("{not json", "not a valid model description"),
    ],
)
def test_nonsense_config_json_is_refused_naming_it(
    config: str, needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.weights.h5").write_bytes(b"never read: the description is checked first")
    (model / "config.json").write_text(config)
    err = _fails_cleanly(["evaluate", str(model), "--data", "doodles:5"], needle, capsys)
    assert str(model / "config.json") in err


def test_evaluate_on_a_file_that_is_not_a_model(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = files["a-file"]
    _fails_cleanly(
        ["evaluate", str(a_file), "--data", "doodles:5"], f"{a_file}: not a model", capsys
    )


def test_config_accepts_numpy_integers_and_refuses_bools() -> None:
    config = TrainConfig(model="vae", epochs=np.int64(3), image_size=(28, 28))
    assert TrainConfig.from_dict(json.loads(config.to_json())) == config
    with pytest.raises(ValueError, match="epochs"):
        TrainConfig(model="vae", epochs=True)
    with pytest.raises(ValueError, match="validation fraction"):
        TrainConfig(model="vae", val_fraction=1.0)


# -- with TensorFlow: tiny models --------------------------------------------------------------


def _train(kind: str, data: str, out: Path, *extra: str) -> int:
    return main(["train", kind, "--data", data, "--out", str(out), *TINY, *extra])


@pytest.mark.slow
def test_one_dimensional_latent_spaces_get_every_figure(
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bar_dataset: Callable[..., Dataset],
) -> None:
    out = tmp_path / "cvae"
    spec = f"mnist:{files['ok-images-idx3-ubyte.gz']}"
    assert _train("cvae", spec, out, "--latent-dim", "1") == 0, capsys.readouterr().err
    names = ["cvae_digit_grid.png", "cvae_mix_8_3.png", "latent_scatter.png"]
    for name in [*names, "reconstructions.png"]:
        with Image.open(out / name) as img:
            assert img.width >= 280, name  # at least 10 digits side by side at 1x
    with Image.open(out / "cvae_mix_8_3.png") as img:
        assert img.size == (10 * 28 * 2, 28 * 2 + 24)  # one row of 10, not a 10x10 grid

    vae = TrainedModel.build(
        TrainConfig(model="vae", latent_dim=1, hidden_units=8, image_size=(28, 28))
    )
    save_run(vae, bar_dataset(), tmp_path / "vae")
    with Image.open(tmp_path / "vae" / "latent_grid.png") as img:
        assert img.size == (10 * 28 * 2, 28 * 2 + 24)


@pytest.mark.slow
def test_vae_on_32_pixel_sketches_and_weights_of_another_latent_size(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vae32"
    # The dense VAE (sketches default to the conv one since issue 8).
    spec = f"quickdraw:{files['cats.bin']}"
    assert _train("vae", spec, out, "--latent-dim", "5", "--arch", "dense") == 0
    config = json.loads((out / "config.json").read_text())
    assert config["image_size"] == [32, 32] and config["latent_dim"] == 5
    with Image.open(out / "latent_grid.png") as img:
        assert img.size == (10 * 32 * 2, 10 * 32 * 2 + 24)
    capsys.readouterr()
    assert main(["evaluate", str(out), "--data", "doodles:12"]) == 0
    assert json.loads(capsys.readouterr().out)["samples"] == 12
    # A 32x32 VAE refuses 28x28 digits, with both sizes in the message.
    digits = f"mnist:{files['ok-images-idx3-ubyte.gz']}"
    _fails_cleanly(
        ["evaluate", str(out), "--data", digits], "28x28 but the model takes 32x32", capsys
    )

    config["latent_dim"] = 2
    (out / "config.json").write_text(json.dumps(config))
    err = _fails_cleanly(["evaluate", str(out), "--data", "doodles:5"], "latent size 2", capsys)
    assert "model.weights.h5" in err
    assert "the file holds a vae with 1024 pixels, latent size 5, 16 hidden units" in err
    config.update(model="autoencoder")
    (out / "config.json").write_text(json.dumps(config))
    _fails_cleanly(
        ["evaluate", str(out), "--data", "doodles:5"], "does not fit this autoencoder", capsys
    )


def test_another_kind_of_model_in_the_same_folder_replaces_every_file(
    tmp_path: Path, bar_dataset: Callable[..., Dataset]
) -> None:
    out = tmp_path / "run"
    cvae = TrainedModel.build(TrainConfig(model="cvae", hidden_units=8, image_size=(28, 28)))
    save_run(cvae, bar_dataset(), out)
    (out / "codec.npz").write_bytes(b"left by an earlier version")
    assert {"points.npz", "cvae_mix_8_3.png"} <= {p.name for p in out.iterdir()}
    ae = TrainedModel.build(TrainConfig(model="autoencoder", image_size=(32, 32)))
    save_run(ae, bar_dataset(size=32), out)
    assert {p.name for p in out.iterdir()} == {
        "model.weights.h5",
        "config.json",
        "metrics.json",
        "preview.npz",
        "reconstructions.png",
        "manifest.json",
    }


def _nan_after(steps: int) -> Callable[..., Any]:
    """A training step that reports NaN losses from its ``steps``-th call on."""
    real = training.train_step

    def make(trained: Any, optimizer: Any) -> Callable[..., Any]:
        step = real(trained, optimizer)
        calls = [0]

        def poisoned(*args: Any) -> Any:
            calls[0] += 1
            out = np.asarray(step(*args))
            return out * np.nan if calls[0] > steps else out

        return poisoned

    return make


@pytest.mark.slow
def test_nan_mid_training_saves_the_last_good_epoch(
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One step an epoch: NaN from the second step, in epoch 2.
    monkeypatch.setattr(training, "train_step", _nan_after(1))
    out = tmp_path / "run"
    spec = f"mnist:{files['ok-images-idx3-ubyte.gz']}"
    argv = ["train", "vae", "--data", spec, "--out", str(out), *TINY, "--epochs", "3"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert err[-1].startswith("ae-explorer: error: training stopped: the loss became NaN")
    assert f"epoch 1, saved in {out}" in err[-1] and "Traceback" not in captured.err
    summary = json.loads(captured.out.strip().splitlines()[-1])
    assert summary["epochs"] == 1 and "NaN" in summary["stopped"]
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics) == 1 and np.isfinite(metrics[0]["val_loss"])
    assert (out / "latent_grid.png").is_file() and (out / "points.npz").is_file()
    capsys.readouterr()
    monkeypatch.undo()
    assert main(["evaluate", str(out), "--data", spec]) == 0
    assert np.isfinite(json.loads(capsys.readouterr().out)["neg_elbo"])


def test_nan_before_any_epoch_saves_nothing(
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(training, "train_step", _nan_after(0))
    out = tmp_path / "run"
    spec = f"mnist:{files['ok-images-idx3-ubyte.gz']}"
    assert main(["train", "vae", "--data", spec, "--out", str(out), *TINY]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "NaN" in err and "nothing was saved" in err
    assert not out.exists()


def test_data_containing_nan_is_named_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    images = np.zeros((40, 28, 28), np.float32)
    images[7, 3, 3] = np.nan

    def load(spec: str, **_: Any) -> Dataset:
        return Dataset(images, np.arange(40) % 10, "in-memory digits", "poisoned")

    monkeypatch.setattr("models.data.specs.load_dataset", load)
    out = tmp_path / "run"
    assert main(["train", "vae", "--data", "mnist", "--out", str(out), *TINY]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "poisoned: the images contain NaN" in err
    assert not out.exists()
