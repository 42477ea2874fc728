"""Interpolation: latent paths, frames from the model's own decoder, PNG/GIF export, the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models.cli.main import main
from models.data.mnist import write_idx
from models.inference.figures import to_pil
from models.inference.interpolate import (
    export,
    gif_frames,
    interpolate,
    latent_path,
    slerp,
)
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel


def _model(kind: str, latent: int = 2) -> TrainedModel:
    size = (32, 32) if kind == "autoencoder" else (28, 28)
    options = {} if kind == "autoencoder" else {"latent_dim": latent, "hidden_units": 8}
    return TrainedModel.build(TrainConfig(model=kind, image_size=size, seed=3, **options))


@pytest.fixture(scope="module")
def vae() -> TrainedModel:
    return _model("vae")


@pytest.fixture(scope="module")
def cvae() -> TrainedModel:
    return _model("cvae")


@pytest.fixture
def digits_idx(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    labels = np.arange(20) % 10
    images = (rng.random((20, 28, 28)) < 0.2).astype(np.uint8) * 255
    path = tmp_path / "t-images-idx3-ubyte.gz"
    write_idx(path, tmp_path / "t-labels-idx1-ubyte.gz", images, labels)
    return path


# --------------------------------------------------------------------------- paths


def test_linear_path_is_evenly_spaced_with_both_ends() -> None:
    p = latent_path(np.array([-1.0, 2.0]), np.array([3.0, 0.0]), 5)
    assert p.shape == (5, 2)
    np.testing.assert_allclose(p[0], [-1, 2])
    np.testing.assert_allclose(p[-1], [3, 0])
    np.testing.assert_allclose(np.diff(p, axis=0), [[1.0, -0.5]] * 4, atol=1e-6)


def test_slerp_turns_at_an_even_rate_with_a_linear_norm() -> None:
    a, b = np.array([2.0, 0.0, 0.0]), np.array([0.0, 4.0, 0.0])
    p = latent_path(a, b, 7, "slerp").astype(np.float64)
    np.testing.assert_allclose(p[0], a, atol=1e-6)
    np.testing.assert_allclose(p[-1], b, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), np.linspace(2, 4, 7), rtol=1e-5)
    angles = np.arctan2(p[:, 1], p[:, 0])
    np.testing.assert_allclose(np.diff(angles), np.pi / 2 / 6, rtol=1e-5)
    # Not the straight line: the midpoint lies farther out than the chord's.
    assert np.linalg.norm(p[3]) > np.linalg.norm((a + b) / 2) + 0.5


def test_slerp_falls_back_to_the_line_where_it_is_undefined() -> None:
    t = np.linspace(0, 1, 4)
    for a, b in [([0.0, 0.0], [1.0, 1.0]), ([1.0, 0.0], [-2.0, 0.0]), ([1.0, 1.0], [2.0, 2.0])]:
        line = latent_path(np.array(a), np.array(b), 4, "linear")
        np.testing.assert_allclose(slerp(np.array(a), np.array(b), t), line, atol=1e-6)


def test_bad_paths_are_refused() -> None:
    with pytest.raises(ValueError, match="2 and 3 coordinates"):
        latent_path(np.zeros(2), np.zeros(3), 4)
    with pytest.raises(ValueError, match="at least 2 steps"):
        latent_path(np.zeros(2), np.ones(2), 1)
    with pytest.raises(ValueError, match="unknown method"):
        latent_path(np.zeros(2), np.ones(2), 3, "cubic")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- frames


def test_frames_are_the_decoders_images_not_a_cross_fade(vae: TrainedModel) -> None:
    a, b = np.array([-2.0, 1.0]), np.array([2.0, -1.5])
    result = interpolate(vae, a, b, steps=6, method="slerp")
    assert result.frames.shape == (6, 28, 28)
    np.testing.assert_allclose(result.points, latent_path(a, b, 6, "slerp"))
    np.testing.assert_allclose(result.frames, vae.decode(result.points), atol=1e-6)
    # An independent decoder (the NumPy copy of the weights) draws the same frames.
    codec = vae.codec()
    assert codec is not None
    np.testing.assert_allclose(result.frames, codec.decode(result.points), atol=1e-4)
    fade = (result.frames[0] + result.frames[-1]) / 2
    assert np.abs(result.frames[3] - fade).max() > 1e-3


def test_cvae_frames_use_the_label_and_can_morph_between_labels(cvae: TrainedModel) -> None:
    a, b = np.array([0.5, 0.5]), np.array([-1.0, 0.0])
    mix = np.zeros(10, np.float32)
    mix[[8, 3]] = 0.5
    fixed = interpolate(cvae, a, b, steps=4, label=mix)
    np.testing.assert_allclose(fixed.labels, np.tile(mix, (4, 1)))
    np.testing.assert_allclose(fixed.frames, cvae.decode(fixed.points, fixed.labels), atol=1e-6)
    three, seven = np.eye(10, dtype=np.float32)[[3, 7]]
    morph = interpolate(cvae, a, b, steps=5, label=three, label_to=seven)
    assert morph.labels is not None
    np.testing.assert_allclose(morph.labels[2], (three + seven) / 2)
    np.testing.assert_allclose(morph.frames, cvae.decode(morph.points, morph.labels), atol=1e-6)
    with pytest.raises(ValueError, match="needs a label"):
        interpolate(cvae, a, b)


def test_autoencoder_decodes_its_own_codes() -> None:
    ae = _model("autoencoder")
    images = (np.random.default_rng(1).random((2, 32, 32)) < 0.2).astype(np.float32)
    codes = ae.encode_mean(images)
    assert codes.shape == (2, 128)
    result = interpolate(ae, codes[0], codes[1], steps=3)
    # decode(encode(x)) is the network's own reconstruction of x.
    np.testing.assert_allclose(result.frames[[0, 2]], ae.reconstruct(images), atol=1e-5)


# --------------------------------------------------------------------------- export


def _gif(path: Path) -> list[np.ndarray]:
    out = []
    with Image.open(path) as img:
        for i in range(img.n_frames):
            img.seek(i)
            out.append(np.asarray(img.convert("L")))
    return out


def test_gif_has_one_frame_per_step_in_order(tmp_path: Path, vae: TrainedModel) -> None:
    frames = interpolate(vae, np.array([-3.0, -3.0]), np.array([3.0, 3.0]), steps=5).frames
    export(frames, tmp_path / "walk.gif")
    got = _gif(tmp_path / "walk.gif")
    assert len(got) == 5
    for i, image in enumerate(got):
        np.testing.assert_array_equal(image, np.asarray(to_pil(frames[i], scale=4)))
    export(frames, tmp_path / "bounce.gif", bounce=True)
    got = _gif(tmp_path / "bounce.gif")
    expected = [0, 1, 2, 3, 4, 3, 2, 1]  # and the loop starts again at 0
    assert len(got) == len(expected)
    for image, i in zip(got, expected, strict=True):
        np.testing.assert_array_equal(image, np.asarray(to_pil(frames[i], scale=4)))
    assert len(gif_frames(frames, bounce=True)) == 8


def test_png_strip_holds_the_frames_side_by_side(tmp_path: Path, vae: TrainedModel) -> None:
    frames = interpolate(vae, np.array([-1.0, 0.0]), np.array([1.0, 0.0]), steps=4).frames
    export(frames, tmp_path / "strip.png")
    with Image.open(tmp_path / "strip.png") as img:
        strip = np.asarray(img.convert("L"))
    assert strip.shape == (28 * 3, (4 * 28 + 3 * 2) * 3)
    third = strip[:, 2 * 30 * 3 : 2 * 30 * 3 + 28 * 3]
    np.testing.assert_array_equal(third, np.asarray(to_pil(frames[2], scale=3)))
    with pytest.raises(ValueError, match=r"\.png strip or a \.gif"):
        export(frames, tmp_path / "strip.jpg")


# --------------------------------------------------------------------------- CLI


def test_cli_interpolates_between_two_images_of_a_data_set(
    tmp_path: Path, cvae: TrainedModel, digits_idx: Path
) -> None:
    run = cvae.save(tmp_path / "run")
    spec = f"mnist:{digits_idx}"
    out = tmp_path / "morph.gif"
    code = main(
        ["interpolate", str(run), "--from", f"{spec}@3", "--to", f"{spec}@7", "--steps", "4",
         "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    got = _gif(out)
    assert len(got) == 4
    # The ends are the two images' z_mean decoded with their own labels (3 and 7).
    from models.data.specs import load_dataset

    data = load_dataset(spec)
    labels = np.eye(10, dtype=np.float32)[data.labels[[3, 7]]]
    z = cvae.encode_mean(data.images[[3, 7]], labels)
    ends = cvae.decode(z, labels)
    np.testing.assert_array_equal(got[0], np.asarray(to_pil(ends[0], scale=4)))
    np.testing.assert_array_equal(got[-1], np.asarray(to_pil(ends[1], scale=4)))


def test_cli_interpolates_the_shipped_vae(tmp_path: Path) -> None:
    out = tmp_path / "walk.png"
    code = main(["interpolate", "vae", "--from=-1.2,0.5", "--to=1,1", "--steps", "3",
                 "--method", "slerp", "--out", str(out)])  # fmt: skip
    assert code == 0
    from models.inference.shipped import load_shipped

    frames = load_shipped("vae").decode(latent_path(np.array([-1.2, 0.5]), np.ones(2), 3, "slerp"))
    with Image.open(out) as img:
        strip = np.asarray(img.convert("L"))
    np.testing.assert_array_equal(strip[:, : 28 * 3], np.asarray(to_pil(frames[0], scale=3)))


@pytest.mark.parametrize(
    ("start", "end"),
    [("-1,0", "1,0"), ("-1.5,-.5", "-2e-1,1"), ("-1", "0")],
)
def test_cli_takes_negative_coordinates_without_an_equals_sign(
    tmp_path: Path, start: str, end: str
) -> None:
    """``--from -1,0`` as a person types it (argparse took -1,0 for an option)."""
    latent = start.count(",") + 1
    trained = _model("vae", latent)
    run = trained.save(tmp_path / "run")
    out = tmp_path / "walk.gif"
    code = main(["interpolate", str(run), "--from", start, "--to", end, "--steps", "3",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    a, b = (np.array([float(v) for v in t.split(",")], np.float32) for t in (start, end))
    frames = trained.decode(latent_path(a, b, 3))
    got = _gif(out)
    assert len(got) == 3
    np.testing.assert_array_equal(got[0], np.asarray(to_pil(frames[0], scale=4)))
    np.testing.assert_array_equal(got[-1], np.asarray(to_pil(frames[-1], scale=4)))


def test_cli_still_refuses_an_option_where_coordinates_belong(
    tmp_path: Path, vae: TrainedModel, capsys: pytest.CaptureFixture[str]
) -> None:
    run = vae.save(tmp_path / "run")
    with pytest.raises(SystemExit) as exit_:
        main(["interpolate", str(run), "--from", "--steps", "--to", "1,0", "--out", "x.gif"])
    assert exit_.value.code == 2
    assert "--from: expected one argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from=1,2,3", "--to=0,0"], "3 coordinates, but the model's latent points have 2"),
        (["--from=a,b", "--to=0,0"], "expected latent coordinates"),
        (["--from=0,0", "--to=0,0", "--label", "3"], "--label is for the conditional VAE"),
        (["--from=0,0", "--to=0,0", "--steps", "1"], "--steps 1: at least 2"),
        (["--from=0,0", "--to=doodles@x"], "INDEX must be a whole number"),
        (["--from=0,0", "--to=mnist:/no/such.gz@1"], "no such file"),
    ],
)
def test_cli_bad_arguments_are_one_line_and_exit_2(
    tmp_path: Path,
    vae: TrainedModel,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    run = vae.save(tmp_path / "run")
    code = main(["interpolate", str(run), *extra, "--out", str(tmp_path / "x.gif")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.gif").exists()


def test_cli_bad_model_label_and_out_are_one_line(
    tmp_path: Path, cvae: TrainedModel, capsys: pytest.CaptureFixture[str]
) -> None:
    run = cvae.save(tmp_path / "run")
    cases = [
        ([str(tmp_path / "nothing"), "--from=0,0", "--to=1,1"], "no such file or folder"),
        ([str(run), "--from=0,0", "--to=1,1"], "needs --label"),
        ([str(run), "--from=0,0", "--to=1,1", "--label", "12"], "labels 0-9"),
        ([str(run), "--from=0,0", "--to=1,1", "--label", "3:x"], "expected a digit"),
    ]
    for args, message in cases:
        assert main(["interpolate", *args, "--out", str(tmp_path / "x.png")]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, err
    assert main(["interpolate", str(run), "--from=0,0", "--to=1,1", "--out", "x.jpg"]) == 2
    assert ".png strip or a .gif" in capsys.readouterr().err


def test_cli_takes_a_keras_file(tmp_path: Path, vae: TrainedModel) -> None:
    path = vae.save_keras_file(tmp_path / "model.keras")
    out = tmp_path / "walk.gif"
    assert main(["interpolate", str(path), "--from=0,0", "--to=2,2", "--steps", "3",
                 "--out", str(out)]) == 0  # fmt: skip
    frames = vae.decode(latent_path(np.zeros(2), np.full(2, 2.0), 3))
    got = _gif(out)
    assert len(got) == 3
    np.testing.assert_array_equal(got[1], np.asarray(to_pil(frames[1], scale=4)))
