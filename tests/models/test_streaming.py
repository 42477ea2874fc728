"""Streaming from the disk cache: chunked, resumable rasterizing; the tf.data pipeline."""

from __future__ import annotations

import json
from collections.abc import Callable
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


@pytest.mark.slow
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


def write_ndjson(path: Path, n: int, word: str, seed: int = 0) -> Path:
    import dataclasses

    from models.data.sketch import ndjson_line

    drawings = [dataclasses.replace(d, word=word) for d in generate_doodles(n, seed=seed)]
    path.write_text("".join(ndjson_line(d) + "\n" for d in drawings))
    return path


def write_npy(path: Path, n: int, seed: int = 0) -> Path:
    """``n`` doodles in the official numpy-bitmap layout: uint8 (N, 784), ink 255."""
    images = np.asarray(quickdraw.rasterize(generate_doodles(n, seed=seed), size=28))
    np.save(path, (images.reshape(n, 784) * 255).round().astype(np.uint8))
    return path


def _forbidden(*args: object, **kw: object) -> None:
    raise AssertionError("the whole file was loaded")


def test_ndjson_streams_line_by_line_in_chunks_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ndjson(tmp_path / "things.ndjson", 300, "cat")
    expected = quickdraw.load_bitmaps(path, use_cache=False).images
    monkeypatch.setattr(quickdraw, "STREAM_CHUNK_BYTES", 8192)  # about 15 drawings a chunk
    monkeypatch.setattr(quickdraw, "read_ndjson", _forbidden)
    monkeypatch.setattr(quickdraw, "load_bitmaps", _forbidden)
    real = quickdraw.rasterize_levels
    sizes: list[int] = []

    def counting(table: object, **kw: object) -> object:
        sizes.append(table.n_drawings)  # type: ignore[attr-defined]
        if len(sizes) == 3:
            raise KeyboardInterrupt  # as if interrupted part-way
        return real(table, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(quickdraw, "rasterize_levels", counting)
    with pytest.raises(KeyboardInterrupt):
        stream_cache(path, cache_dir=tmp_path / "c")
    source = stream_cache(path, cache_dir=tmp_path / "c")
    assert len(sizes) > 10 and max(sizes) < 30  # chunk by chunk, never the whole file
    assert sum(sizes[3:]) == 300 - sum(sizes[:2])  # resumed after the two chunks written
    assert isinstance(source.rows, np.memmap) and len(source) == 300
    assert source.class_names == ("cat",) and source.labels is None
    decoded = streaming.decode_rows(np.asarray(source.rows), (32, 32), source.steps)
    np.testing.assert_array_equal(decoded, expected)


def test_ndjson_stream_names_the_bad_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quickdraw, "STREAM_CHUNK_BYTES", 4096)
    path = write_ndjson(tmp_path / "bad.ndjson", 40, "cat")
    lines = path.read_text().splitlines()
    lines[33] = '{"word": "cat", "drawing": 5}'
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFormatError, match=r"bad\.ndjson, line 34: 'drawing' must be a list"):
        stream_cache(path, cache_dir=tmp_path / "c")


def test_npy_streams_from_a_memory_map_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_npy(tmp_path / "rainbow.npy", 300)
    expected = quickdraw.load_bitmaps(path).images  # padded to 32x32
    monkeypatch.setattr(quickdraw, "STREAM_CHUNK_BYTES", 784 * 50)
    monkeypatch.setattr(quickdraw, "read_numpy_bitmap", _forbidden)
    modes: list[object] = []
    real_load = np.load

    def spy(*args: object, **kw: object) -> object:
        modes.append(kw.get("mmap_mode"))
        return real_load(*args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(np, "load", spy)
    seen: list[int] = []
    source = stream_cache(path, cache_dir=tmp_path / "c", progress=lambda d, t: seen.append(d))
    assert modes == ["r"]
    assert len(seen) == 6 and seen[-1] == path.stat().st_size  # six chunks of 50
    assert source.class_names == ("rainbow",) and len(source) == 300
    decoded = streaming.decode_rows(np.asarray(source.rows), (32, 32), source.steps)
    np.testing.assert_allclose(decoded, expected, atol=1e-6)


def test_row_parts_read_as_one_array() -> None:
    a = np.arange(7 * 3, dtype=np.uint8).reshape(7, 3)
    b = np.arange(100, 100 + 5 * 3, dtype=np.uint8).reshape(5, 3)
    parts, whole = streaming.RowParts([a, b]), np.concatenate([a, b])
    assert parts.shape == (12, 3)
    for index in (slice(0, 12), slice(3, 10), slice(0, 12, 5), slice(2, 11, 4), slice(8, 9)):
        np.testing.assert_array_equal(parts[index], whole[index])


def test_several_files_make_one_labelled_stream(tmp_path: Path) -> None:
    cat = tmp_path / "cat.bin"
    write_binary(cat, generate_doodles(120, seed=1))
    dog = write_ndjson(tmp_path / "dog.ndjson", 80, "dog", seed=2)
    source = streaming.stream_files([(cat, None), (dog, None)], "two", cache_dir=tmp_path / "c")
    assert source.class_names == ("cat", "dog") and len(source) == 200
    assert source.labels is not None and source.labels.dtype == np.uint8
    np.testing.assert_array_equal(source.labels, [0] * 120 + [1] * 80)
    # every streamed image comes with its own file's label
    images = {}
    for label, path in enumerate((cat, dog)):
        for im in quickdraw.load_bitmaps(path, use_cache=False).images:
            images[im.tobytes()] = label
    tr, va = source.split(0.1)
    assert va.class_names == ("cat", "dog")
    assert [images[im.tobytes()] for im in va.images] == va.labels.tolist()  # type: ignore[union-attr]
    x, y = next(iter(tr.dataset(60, seed=0, classes=2)))
    got = [images[im.astype(np.float32).tobytes()] for im in x.numpy().reshape(-1, 32, 32)]
    assert y.numpy().shape == (60, 2) and got == y.numpy().argmax(1).tolist()
    assert 0 < sum(got) < 60  # shuffled across the two files


@pytest.mark.slow
def test_the_cvae_streams_labelled_data_through_the_cli(
    tmp_path: Path,
    write_digit_bars: Callable[[Path, str, int], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    cat = tmp_path / "cat.bin"
    write_binary(cat, generate_doodles(150, seed=1))
    dog = write_ndjson(tmp_path / "dog.ndjson", 150, "dog", seed=2)
    digits = write_digit_bars(tmp_path, "tiny", 120)
    base = ["--stream", "--epochs", "1", "--batch-size", "25", "--hidden-units", "16", "--quiet"]
    for data, names in ((f"quickdraw:{cat},{dog}", ["cat", "dog"]), (f"mnist:{digits}", None)):
        out = tmp_path / f"run-{len(names or ())}"
        assert main(["train", "cvae", "--data", data, *base, "--out", str(out)]) == 0
        config = json.loads((out / "config.json").read_text())
        assert config.get("class_names") == names
        metrics = json.loads((out / "metrics.json").read_text())
        assert len(metrics) == 1 and np.isfinite(metrics[0]["val_loss"])
        assert "streamed" in capsys.readouterr().err


def test_an_unlabelled_stream_says_so_for_the_cvae(
    doodles_bin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    code = main(["train", "cvae", "--data", str(doodles_bin), "--stream", "--out", str(out)])
    err = capsys.readouterr().err
    assert code != 0 and "has no labels (one category); the CVAE needs labelled data" in err
    assert len(err.strip().splitlines()) == 1  # said at once: nothing rasterized first
    code = main(["train", "cvae", "--data", "doodles:40", "--stream", "--out", str(out)])
    assert code != 0 and "'doodles:40' has no labels" in capsys.readouterr().err
