"""The training timeline (timeline.npz after each epoch) and ``ae-explorer replay``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models.cli.main import main
from models.inference.replay import replay_frames
from models.inference.timeline import (
    TIMELINE_FILE,
    Timeline,
    decoded_grid,
    fit_range,
    to_uint8,
)
from models.messages import EpochResult, Snapshot
from models.nets.codec import MLPCodec
from models.nets.trained import TrainedModel


def _result(epoch: int, codec: MLPCodec, z: np.ndarray, labels: np.ndarray | None) -> EpochResult:
    snap = Snapshot(kind="vae", codec=codec, val_z_mean=z, val_labels=labels)
    return EpochResult(
        epoch=epoch,
        epochs=3,
        train={"loss": 10.0 - epoch, "kl": 1.0},
        val={"loss": 12.0 - epoch, "kl": 1.5},
        snapshot=snap,
    )


def _gif(path: Path) -> list[np.ndarray]:
    with Image.open(path) as img:
        frames = []
        for i in range(img.n_frames):
            img.seek(i)
            frames.append(np.asarray(img.convert("RGB")))
    return frames


# --------------------------------------------------------------------------- fitting


def test_fit_range_holds_the_bulk_in_a_square() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal([4.0, -2.0], [3.0, 0.5], size=(2000, 2))
    x0, x1, y0, y1 = fit_range(z)
    assert x1 - x0 == pytest.approx(y1 - y0)  # square: the map keeps its aspect
    inside = (z[:, 0] > x0) & (z[:, 0] < x1) & (z[:, 1] > y0) & (z[:, 1] < y1)
    assert inside.mean() > 0.97
    assert (x0 + x1) / 2 == pytest.approx(4.0, abs=0.3)
    assert (y0 + y1) / 2 == pytest.approx(-2.0, abs=0.3)
    assert x1 - x0 < 2 * 2.4 * 3.0 * 1.15  # the 1%-99% spread of z[0], plus 10%
    # Points packed near 0 (the start of training) show the classic ±1.5 map.
    assert fit_range(rng.normal(0, 0.01, (100, 2))) == pytest.approx((-1.5, 1.5, -1.5, 1.5))
    assert fit_range(np.zeros((0, 2))) == (-1.5, 1.5, -1.5, 1.5)
    assert fit_range(np.full((5, 2), np.nan)) == (-1.5, 1.5, -1.5, 1.5)


def test_decoded_grid_covers_the_bounds() -> None:
    codec = MLPCodec.random(latent=2, hidden=8)
    grid = decoded_grid(codec, (1.0, 3.0, -2.0, 0.0), n=3)
    assert grid.shape == (3 * 28, 3 * 28)
    # Top-left is (x0, y1); bottom-right is (x1, y0).
    np.testing.assert_allclose(grid[:28, :28], codec.decode(np.array([1.0, 0.0]))[0], atol=1e-6)
    np.testing.assert_allclose(grid[-28:, -28:], codec.decode(np.array([3.0, -2.0]))[0], atol=1e-6)
    cvae = MLPCodec.random(latent=2, hidden=8, num_classes=10)
    rows = decoded_grid(cvae, (-1.0, 1.0, -1.0, 1.0), n=4)
    assert rows.shape == (10 * 28, 4 * 28)
    label = np.eye(10, dtype=np.float32)[7]
    np.testing.assert_allclose(
        rows[7 * 28 : 8 * 28, -28:], cvae.decode(np.array([1.0, 0.0]), label)[0], atol=1e-6
    )


# --------------------------------------------------------------------------- recording


def test_timeline_writes_the_file_after_each_epoch(tmp_path: Path) -> None:
    codec = MLPCodec.random(latent=2, hidden=8)
    rng = np.random.default_rng(1)
    labels = np.arange(50) % 10
    timeline = Timeline(tmp_path / "run", points_limit=40)
    path = tmp_path / "run" / TIMELINE_FILE
    for epoch in range(3):
        z = rng.normal(size=(50, 2)) * (epoch + 1)
        timeline(_result(epoch, codec, z, labels))
        saved = Timeline.load(path)  # written now, not only at the end
        assert saved.epochs == list(range(1, epoch + 2))
        np.testing.assert_allclose(saved.points[-1], z[:40].astype(np.float32))
        assert saved.bounds[-1] == pytest.approx(fit_range(z[:40]))
    assert saved.losses["train_loss"] == [10.0, 9.0, 8.0]
    assert saved.losses["val_kl"] == [1.5, 1.5, 1.5]
    assert saved.labels is not None and saved.labels.tolist() == labels[:40].tolist()
    np.testing.assert_array_equal(
        saved.grids[2], to_uint8(decoded_grid(codec, saved.bounds[2], saved.grid_n))
    )
    frames = replay_frames(saved)
    assert len(frames) == 3 and len({f.size for f in frames}) == 1
    assert np.abs(np.asarray(frames[0], float) - np.asarray(frames[2], float)).mean() > 1


def test_a_continued_run_keeps_the_epochs_before_its_checkpoint(tmp_path: Path) -> None:
    codec = MLPCodec.random(latent=2, hidden=8)
    rng = np.random.default_rng(2)
    labels = np.arange(30) % 10
    first = Timeline(tmp_path)
    for epoch in range(3):  # saved through epoch 3, but the checkpoint holds only 2
        first(_result(epoch, codec, rng.normal(size=(30, 2)), labels))
    again = Timeline.continued(tmp_path, 2, run_dir=tmp_path / "next")
    assert again.epochs == [1, 2] and len(again.points) == len(again.grids) == 2
    assert again.losses["train_loss"] == [10.0, 9.0]
    again(_result(2, codec, rng.normal(size=(30, 2)), labels))  # the run trains epoch 3 anew
    assert Timeline.load(tmp_path / "next").epochs == [1, 2, 3]
    assert Timeline.continued(tmp_path / "none", 2).epochs == []  # nothing saved: a fresh one


def test_timeline_needs_snapshots_and_refuses_other_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="snapshots=True"):
        Timeline()(EpochResult(0, 1, {"loss": 1.0}, {"loss": 1.0}))
    from models.errors import WeightsError

    with pytest.raises(WeightsError, match="no training timeline"):
        Timeline.load(tmp_path)
    (tmp_path / TIMELINE_FILE).write_bytes(b"junk")
    with pytest.raises(WeightsError, match="not a training timeline"):
        Timeline.load(tmp_path)


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def digits_idx(tmp_path: Path, write_digit_bars: Callable[[Path, str, int], Path]) -> Path:
    return write_digit_bars(tmp_path, "tl", 80)


def _train(args: list[str]) -> None:
    assert main(["train", *args, "--epochs", "2", "--quiet"]) == 0


@pytest.mark.slow
def test_two_epoch_vae_run_keeps_a_timeline_and_replays(
    tmp_path: Path, digits_idx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    _train(["vae", "--data", f"mnist:{digits_idx}", "--batch-size", "20", "--hidden-units", "16",
            "--out", str(run)])  # fmt: skip
    t = Timeline.load(run)
    assert t.epochs == [1, 2] and t.has_map and not t.conditional
    metrics = json.loads((run / "metrics.json").read_text())
    assert t.losses["val_loss"] == pytest.approx([m["val_loss"] for m in metrics])
    assert t.losses["train_kl"] == pytest.approx([m["kl"] for m in metrics])
    # The last epoch's map is the saved model's: its points and its decoded grid.
    trained = TrainedModel.load(run)
    with np.load(run / "points.npz") as f:
        np.testing.assert_allclose(t.points[-1], f["z_mean"][: len(t.points[-1])], atol=1e-5)
    codec = trained.codec()
    assert codec is not None
    expected = to_uint8(decoded_grid(codec, t.bounds[-1], t.grid_n))
    assert np.abs(t.grids[-1].astype(int) - expected).max() <= 1
    capsys.readouterr()
    assert main(["replay", str(run), "--out", str(tmp_path / "replay.gif")]) == 0
    frames = _gif(tmp_path / "replay.gif")
    assert len(frames) == 2
    assert "2 frames" in capsys.readouterr().err


@pytest.mark.slow
def test_two_epoch_autoencoder_run_replays_its_reconstructions(tmp_path: Path) -> None:
    run = tmp_path / "run"
    _train(["autoencoder", "--data", "doodles:40", "--batch-size", "16", "--out", str(run)])
    t = Timeline.load(run)
    assert t.epochs == [1, 2] and not t.has_map
    assert t.originals is not None and t.originals.shape[1:] == (32, 32)
    assert len(t.reconstructions) == 2
    trained = TrainedModel.load(run)
    again = to_uint8(trained.reconstruct(t.originals.astype(np.float32) / 255))
    assert np.abs(t.reconstructions[-1].astype(int) - again).max() <= 1
    assert main(["replay", str(run), "--out", str(tmp_path / "r.gif")]) == 0
    assert len(_gif(tmp_path / "r.gif")) == 2


def test_replay_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        ([str(tmp_path / "none"), "--out", str(tmp_path / "a.gif")], "no such run folder"),
        ([str(tmp_path), "--out", str(tmp_path / "a.gif")], "no training timeline"),
        ([str(tmp_path), "--out", str(tmp_path / "a.png")], "animated .gif"),
        ([str(tmp_path), "--out", str(tmp_path / "no" / "a.gif")], "no folder"),
    ]
    for args, message in cases:
        assert main(["replay", *args]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, err


# --------------------------------------------------------------------------- frames


def _map_timeline(num_classes: int = 0, epochs: int = 3) -> Timeline:
    codec = MLPCodec.random(latent=2, hidden=8, num_classes=num_classes)
    rng = np.random.default_rng(3)
    labels = np.arange(60) % max(num_classes, 10)
    timeline = Timeline()
    for epoch in range(epochs):
        timeline(_result(epoch, codec, rng.normal(size=(60, 2)) * (epoch + 1), labels))
    return timeline


def _ink_rows(image: Image.Image, box: tuple[int, int, int, int]) -> np.ndarray:
    return np.flatnonzero((np.asarray(image.convert("L").crop(box)) < 128).any(axis=1))


def test_replay_frames_are_readable_on_a_projector() -> None:
    from models.inference.replay import CAPTION_H, TITLE_H

    t = _map_timeline()
    frame = replay_frames(t)[1]
    assert frame.width >= 480 and frame.height >= 560
    # "Epoch 2 of 3" in a large font: its capitals stand over 14 px tall (the old bitmap
    # font's were 8).
    title = _ink_rows(frame, (0, 0, 200, TITLE_H))
    assert title.max() - title.min() >= 14
    # The axes carry their ranges: ink in the margin left of the map (z[1]'s labels) and
    # under it (z[0]'s), where the old frame had none.
    top = TITLE_H + CAPTION_H
    assert len(_ink_rows(frame, (0, top, 60, top + 400))) > 20
    assert len(_ink_rows(frame, (70, top + 402, 470, top + 440))) > 8
    # The title names the epoch's loss: frames of the same run differ in it.
    a, b = (np.asarray(f.crop((frame.width - 220, 0, frame.width, TITLE_H))) for f in
            (replay_frames(t)[0], frame))  # fmt: skip
    assert (a != b).any()


def test_replay_frames_name_the_categories(tmp_path: Path) -> None:
    from models.inference.replay import replay_frame, run_class_names

    names = ("cat", "rainbow")
    t = _map_timeline(num_classes=2)
    assert t.conditional
    digits, named = replay_frame(t, 0), replay_frame(t, 0, names=names)
    assert digits.size != named.size or (np.asarray(digits) != np.asarray(named)).any()
    (tmp_path / "config.json").write_text(json.dumps({"class_names": list(names)}))
    assert run_class_names(tmp_path) == names
    (tmp_path / "config.json").write_text(json.dumps({"class_names": None}))
    assert run_class_names(tmp_path) is None
    assert run_class_names(tmp_path / "missing") is None
    # A plain map gets a legend column beside it: wider than the map with its axes.
    plain = replay_frame(_map_timeline(), 0)
    assert plain.width > 70 + 400 + 40
