"""``ae-explorer train | evaluate | bench`` end to end, on tiny fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from models.cli.main import main


@pytest.fixture
def digits_idx(tmp_path: Path, write_digit_bars: Callable[[Path, str, int], Path]) -> Path:
    return write_digit_bars(tmp_path, "tiny", 120)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["vae", "cvae"])
def test_train_writes_weights_metrics_and_figures(
    kind: str, digits_idx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    code = main(
        [
            "train",
            kind,
            "--data",
            f"mnist:{digits_idx}",
            "--epochs",
            "2",
            "--batch-size",
            "25",
            "--hidden-units",
            "16",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["epochs"] == 2
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics) == 2
    for key in ("loss", "reconstruction", "kl", "val_loss", "val_reconstruction", "val_kl"):
        assert key in metrics[-1]
    config = json.loads((out / "config.json").read_text())
    assert config["model"] == kind and config["image_size"] == [28, 28]
    # the sizes used, never null (the latent size was not given: the kind's default)
    assert config["batch_size"] == 25 and config["latent_dim"] == 2
    figures = (
        ["latent_grid.png", "samples.png"]
        if kind == "vae"
        else ["cvae_digit_grid.png", "cvae_mix_8_3.png"]
    )
    for name in [*figures, "reconstructions.png", "latent_scatter.png"]:
        with Image.open(out / name) as img:
            assert img.width > 100 and img.height > 100
    # 10x10 grid of 28x28 images at 2x, plus a title strip
    if kind == "vae":
        with Image.open(out / "latent_grid.png") as img:
            assert img.width == 560

    code = main(["evaluate", str(out), "--data", f"mnist:{digits_idx}"])
    assert code == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["samples"] == 18 and result["part"] == "held out"  # 15% of 120
    assert "held out for validation" in captured.err
    assert captured.out.count('"neg_elbo"') == 1  # the lesson does not repeat it
    assert result["neg_elbo"] == pytest.approx(result["reconstruction"] + result["kl"])
    assert 0 < result["neg_elbo"] < 784


def test_train_autoencoder_on_generated_doodles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ae"
    assert (
        main(
            [
                "train",
                "autoencoder",
                "--data",
                "doodles:60",
                "--epochs",
                "1",
                "--quiet",
                "--noise",
                "0.1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert (out / "preview.npz").is_file() and (out / "reconstructions.png").is_file()
    config = json.loads((out / "config.json").read_text())
    # 51 of the 60 doodles train: one batch of 51 (the recipe's 128 is more than there are);
    # the code of a 32x32 autoencoder holds 2x2x32 values.
    assert config["batch_size"] == 51 and config["latent_dim"] == 128
    assert config["data"] == "doodles:60"
    capsys.readouterr()
    assert main(["evaluate", str(out), "--data", "doodles:40"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert 0 < result["bce"] < 1


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["train", "vae", "--data", "nonsense:thing", "--out", "X"], "nonsense"),
        (["train", "vae", "--data", "mnist:/no/such/file.gz", "--out", "X"], "no/such"),
        (["evaluate", "/no/such/dir", "--data", "mnist"], "/no/such/dir"),
    ],
)
def test_errors_are_one_clear_line(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("X", str(tmp_path / "out")) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def test_corrupt_file_is_reported_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad-images-idx3-ubyte.gz"
    bad.write_bytes(b"\x1f\x8b garbage")
    (tmp_path / "bad-labels-idx1-ubyte.gz").write_bytes(b"junk")
    assert (
        main(["train", "vae", "--data", f"mnist:{bad}", "--out", str(tmp_path / "o"), "--quiet"])
        == 2
    )
    err = capsys.readouterr().err
    assert "bad-" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_bench_prints_one_json_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--quick"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    names = {m["measure"] for m in lines}
    for required in (
        "rasterize_per_s",
        "decode_point_p50_ms",
        "decode_point_p95_ms",
        "decode_grid20_ms",
        "train_vae_keras_fit_samples_per_s",
        "train_vae_samples_per_s",
        "train_vae_with_progress_samples_per_s",
    ):
        assert required in names
    assert all(m["value"] > 0 for m in lines if m["measure"] != "train_vae_progress_overhead")


def test_every_train_option_says_what_it_does_and_its_default() -> None:
    from models.cli.main import _parser

    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for command, sub_parser in sub.choices.items():  # type: ignore[attr-defined]
        for action in sub_parser._actions:
            if action.dest == "help":
                continue
            text = action.help or ""
            assert text, f"{command} {action.option_strings or action.dest}: no help"
            if action.option_strings:
                assert "default" in text or "required" in text, (
                    f"{command} {action.option_strings}: no default in {text!r}"
                )


def test_evaluate_warns_when_scores_say_the_pictures_are_unlike_the_training_data() -> None:
    """The stroke files drawn the old way scored 4.5x and 12x the shipped models' validation
    scores; a score near the validation score says nothing."""
    from types import SimpleNamespace

    from models.cli.main import unlike_training

    spec = SimpleNamespace(score_name="bce", short_name="autoencoder")
    model = SimpleNamespace(spec=spec, history=[{"epoch": 1.0, "val_loss": 0.2342}])
    message = unlike_training(model, {"bce": 1.047})
    assert message is not None and "4.5x" in message and "unlike its training data" in message
    assert unlike_training(model, {"bce": 0.2066}) is None
    assert unlike_training(SimpleNamespace(spec=spec, history=[]), {"bce": 9.0}) is None
    vae = SimpleNamespace(
        spec=SimpleNamespace(score_name="neg_elbo", short_name="CVAE"),
        history=[{"val_loss": 1.0, "val_neg_elbo": 215.7}],
    )
    assert unlike_training(vae, {"neg_elbo": 211.3}) is None  # val_neg_elbo, not val_loss
    assert "11.8x" in (unlike_training(vae, {"neg_elbo": 2550.2}) or "")


def _saved_vae(tmp_path: Path, **config: object) -> Path:
    from models.nets.config import TrainConfig
    from models.nets.trained import TrainedModel

    cfg = TrainConfig(model="vae", latent_dim=2, hidden_units=8, image_size=(28, 28), **config)
    return TrainedModel.build(cfg).save(tmp_path / "run")


def _evaluate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict, str]:
    assert main(["evaluate", *argv]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


@pytest.mark.slow
@pytest.mark.parametrize("split", ["random", "first"])
def test_evaluate_scores_the_part_the_run_held_out(
    split: str, digits_idx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from models.data.specs import load_dataset
    from models.inference.api import load_model

    spec = f"mnist:{digits_idx}"
    run = _saved_vae(tmp_path, data=spec, seed=3, val_split=split)
    result, err = _evaluate(capsys, str(run), "--data", spec)
    assert result["samples"] == 18 and result["part"] == "held out"
    assert "the 18 samples" in err and "--all scores all 120" in err
    assert len(err.strip().splitlines()) == 1
    # exactly the run's validation samples (KL has no sampling noise)
    data = load_dataset(spec)
    _, held_out = data.split(0.15, seed=None if split == "first" else 3)
    model = load_model(str(run))
    assert result["kl"] == pytest.approx(model.evaluate(held_out)["kl"], rel=1e-5)
    assert result["kl"] != pytest.approx(model.evaluate(data)["kl"], rel=1e-5)
    # the same data named by another path is recognised
    result, _ = _evaluate(capsys, str(run), "--data", f"mnist:{tmp_path}/../{tmp_path.name}/"
                          f"{digits_idx.relative_to(tmp_path)}")  # fmt: skip
    assert result["samples"] == 18

    result, err = _evaluate(capsys, str(run), "--data", spec, "--all")
    assert result["samples"] == 120 and result["part"] == "all, trained on included"
    assert "the 102 this VAE trained on included" in err


def test_evaluate_says_when_every_sample_was_trained_on(
    digits_idx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = f"mnist:{digits_idx}"
    run = _saved_vae(tmp_path, data=spec, val_data="mnist:elsewhere.gz")
    result, err = _evaluate(capsys, str(run), "--data", spec)
    assert result["samples"] == 120 and result["part"] == "all, trained on"
    assert "all 120 samples scored were trained on" in err


def test_evaluate_on_other_data_scores_all_of_it_without_a_note(
    digits_idx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _saved_vae(tmp_path, data="mnist")
    result, err = _evaluate(capsys, str(run), "--data", f"mnist:{digits_idx}")
    assert result["samples"] == 120 and "part" not in result
    assert "held out" not in err and "trained on" not in err


@pytest.mark.slow  # 3,000 doodles and a conv autoencoder: about 30 s on 2 cores
def test_offline_default_category_trains_on_doodles_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the window does: quickdraw:cat cannot be downloaded (the tests run offline)."""
    monkeypatch.setenv("AE_EXPLORER_OFFLINE", "1")
    out = tmp_path / "ae"
    code = main(["train", "autoencoder", "--data", "quickdraw:cat", "--epochs", "1",
                 "--max-steps", "1", "--quiet", "--out", str(out)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    notes = [line for line in captured.err.splitlines() if "could not be downloaded" in line]
    assert len(notes) == 1 and "training on doodles" in notes[0] and "offline" in notes[0]
    config = json.loads((out / "config.json").read_text())
    assert config["data"] == "doodles"  # what it really trained on
    assert "generated practice doodles" in captured.err  # the data line names them


def test_offline_other_category_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Doodles stand in for cats only: a dog model is not trained on cat doodles."""
    monkeypatch.setenv("AE_EXPLORER_OFFLINE", "1")
    code = main(["train", "autoencoder", "--data", "quickdraw:dog", "--epochs", "1",
                 "--quiet", "--out", str(tmp_path / "dog")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "cannot download 'dog': offline" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "dog").exists()


def test_bench_kinds_refuses_an_unknown_kind_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--kinds", "vae,cat"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "unknown kind 'cat'" in err[-1] and "conv_cvae" in err[-1]


@pytest.mark.slow
def test_bench_kinds_times_only_those_kinds_and_the_float32_loop_beside_bfloat16(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.nets import precision

    monkeypatch.setattr(precision, "native_bfloat16", lambda: True)
    assert main(["bench", "--quick", "--kinds", "dense_autoencoder"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    names = [
        "keras_fit_samples_per_s",  # in a second process, with TensorFlow's own threads
        "keras_fit_xla_samples_per_s",
        "samples_per_s",
        "speedup_vs_best_fit",
        "float32_samples_per_s",
        "float32_speedup_vs_best_fit",
    ]
    from models.nets.backend import tf

    if tf.config.threading.get_intra_op_parallelism_threads():  # the project set its own
        names.append("keras_fit_project_threads_samples_per_s")
    assert {m["measure"] for m in lines} == {f"train_dense_autoencoder_{n}" for n in names}
    assert all(m["value"] > 0 for m in lines)
