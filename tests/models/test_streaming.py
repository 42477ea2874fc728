"""Streaming from the disk cache: chunked, resumable rasterizing; the tf.data pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models.cli.main import main
from models.data import quickdraw
from models.data.doodles import generate_doodles
from models.data.formats import write_binary
from models.errors import DataFormatError
from models.nets.config import TrainConfig
from models.training import streaming
from models.training.loop import train
from models.training.streaming import stream_cache


@pytest.fixture
def doodles_bin(tmp_path: Path) -> Path:
    path = tmp_path / "doodles.bin"
    write_binary(path, generate_doodles(300, seed=1))
    return path


def test_stream_cache_matches_load_bitmaps_and_resumes(
    doodles_bin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quickdraw, "STREAM_CHUNK_BYTES", 4096)  # many chunks
    expected = quickdraw.load_bitmaps(doodles_bin, use_cache=False).images
    real = quickdraw.rasterize_levels
    calls = {"n": 0}

    def dies_on_third_chunk(*args: object, **kw: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as if interrupted part-way
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(quickdraw, "rasterize_levels", dies_on_third_chunk)
    seen: list[tuple[int, int]] = []
    with pytest.raises(KeyboardInterrupt):
        stream_cache(
            doodles_bin, cache_dir=tmp_path / "c", progress=lambda d, t: seen.append((d, t))
        )
    assert len(seen) == 2 and seen[-1][0] < seen[-1][1]
    monkeypatch.setattr(quickdraw, "rasterize_levels", real)
    source = stream_cache(
        doodles_bin, cache_dir=tmp_path / "c", progress=lambda d, t: seen.append((d, t))
    )
    assert seen[2][0] > seen[1][0]  # it went on from where it stopped, not from byte 0
    assert seen[-1][0] == seen[-1][1] == doodles_bin.stat().st_size
    assert isinstance(source.rows, np.memmap) and len(source) == 300
    decoded = streaming.decode_rows(np.asarray(source.rows), (32, 32), source.steps)
    np.testing.assert_array_equal(decoded, expected)


def test_stream_cache_reports_a_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quickdraw, "STREAM_CHUNK_BYTES", 4096)
    path = tmp_path / "cut.bin"
    write_binary(path, generate_doodles(100, seed=2))
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(DataFormatError, match=r"cut\.bin, byte \d+: drawing 100 is cut off"):
        stream_cache(path, cache_dir=tmp_path / "c")


def test_pipeline_unpacks_bits_exactly_and_holds_out_validation() -> None:
    rng = np.random.default_rng(0)
    images = (rng.random((3000, 28, 28)) < 0.3).astype(np.float32)
    from models.data.dataset import Dataset

    source = streaming.from_dataset(Dataset(images, None, "x", "x"))
    train_part, val = source.split(0.1)
    assert len(val) == 300 and len(train_part) == 2700
    np.testing.assert_array_equal(val.images, images[:: 3000 // 300][:300])
    batches = train_part.dataset(100, seed=0)
    seen = []
    for i, b in enumerate(batches):
        seen.append(b.numpy())
        if i == 26:
            break
    got = np.concatenate(seen).reshape(-1, 28, 28)
    assert got.shape == (2700, 28, 28)
    # one pass: every training image exactly once, no validation image
    key = {im.tobytes(): i for i, im in enumerate(images)}
    index = sorted(key[g.tobytes()] for g in got)
    assert len(set(index)) == 2700 and not set(index) & set(range(0, 3000, 10))


def test_streamed_training_and_the_cli(
    doodles_bin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = stream_cache(doodles_bin, cache_dir=tmp_path / "c")
    tr, va = source.split(0.15)
    trained = train(
        TrainConfig("vae", epochs=2, batch_size=25, hidden_units=16, steps_per_epoch=6),
        tr,
        va,
        snapshots=False,
    )
    assert len(trained.history) == 2 and trained.history[-1]["loss"] < trained.history[0]["loss"]
    out = tmp_path / "run"
    code = main(
        ["train", "autoencoder", "--data", f"quickdraw:{doodles_bin}", "--stream",
         "--max-steps", "3", "--batch-size", "16", "--quiet", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics) == 1 and np.isfinite(metrics[0]["val_loss"])
    assert "streamed" in capsys.readouterr().err


def test_a_streamed_run_resumes_from_its_checkpoint(doodles_bin: Path, tmp_path: Path) -> None:
    from models.training.checkpoint import CheckpointStore

    source = stream_cache(doodles_bin, cache_dir=tmp_path / "c")
    tr, va = source.split(0.15)
    config = TrainConfig("vae", epochs=3, batch_size=25, hidden_units=16, steps_per_epoch=4)
    store = CheckpointStore(tmp_path / "run")

    def crash(r: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(config, tr, va, checkpoints=store, on_epoch=crash, snapshots=False)
    resumed = train(config, tr, va, checkpoints=store, resume=True, snapshots=False)
    assert [r["epoch"] for r in resumed.history] == [1.0, 2.0, 3.0]


def test_a_category_streams_from_its_cached_download(doodles_bin: Path) -> None:
    import argparse

    from models.cli import scale

    cached = quickdraw.category_path("cat")
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(doodles_bin.read_bytes())  # as if downloaded (tests are offline)
    args = argparse.Namespace(val_data=None, stream=True)
    source = scale.load_stream(args, "quickdraw:cat", 32, None)
    assert isinstance(source, streaming.StreamSource) and len(source) == 300
    assert scale.wants_stream(args, "quickdraw:cat")
    with pytest.raises(Exception, match="--val-data"):
        scale.load_stream(
            argparse.Namespace(val_data="mnist", stream=True), "quickdraw:cat", 32, None
        )
