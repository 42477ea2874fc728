"""The faults of issue 18, each as a user meets it: one line on stderr, a non-zero exit,
and no output folder left changed or half-written."""

from __future__ import annotations

import errno
import io
import os
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from models.cli.main import main
from models.inference.timeline import TIMELINE_FILE, Timeline
from models.messages import EpochResult, Snapshot
from models.nets.codec import MLPCodec


def _one_line(capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ae-explorer: error: ") and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err
    return err


# -- replay of a damaged timeline.npz (cases 13, 14) -----------------------------------------


def _timeline_arrays() -> dict[str, np.ndarray]:
    codec = MLPCodec.random(latent=2, hidden=8)
    rng = np.random.default_rng(0)
    t = Timeline(run_dir=None)
    for epoch in range(2):
        snap = Snapshot(
            kind="vae", codec=codec, val_z_mean=rng.normal(size=(20, 2)), val_labels=None
        )
        t(EpochResult(epoch, 2, {"loss": 3.0 - epoch}, {"loss": 4.0 - epoch}, snapshot=snap))
    return t.arrays()


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())


def test_replay_of_a_truncated_timeline_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_npz(tmp_path / TIMELINE_FILE, _timeline_arrays())
    whole = (tmp_path / TIMELINE_FILE).read_bytes()
    for cut in (len(whole) // 2, len(whole) - 30, 40):
        (tmp_path / TIMELINE_FILE).write_bytes(whole[:cut])
        out = tmp_path / "r.gif"
        assert main(["replay", str(tmp_path), "--out", str(out)]) == 2
        _one_line(capsys, str(tmp_path / TIMELINE_FILE), "damaged")
        assert not out.exists() and not list(tmp_path.glob(".r.gif*"))


@pytest.mark.parametrize(
    "change, needle",
    [
        ({"epochs": np.asarray(3)}, "epochs"),  # 0-d: iterating it was a TypeError
        ({"epochs": np.asarray(["a", "b"])}, "epochs"),
        ({"grid": np.zeros((2, 5), np.uint8)}, "grid"),
        ({"points": np.zeros((2, 20), np.float32)}, "points"),
        ({"bounds": np.zeros((2, 3))}, "do not fit"),
        ({"bounds": np.zeros((1, 4))}, "bounds holds 1 epochs"),
        ({"points": None}, "no points array"),
        ({"conditional": np.asarray([1, 2])}, "conditional"),
        ({"labels": np.zeros(7, np.int64)}, "labels"),
    ],
)
def test_replay_of_malformed_timeline_arrays_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, np.ndarray | None],
    needle: str,
) -> None:
    arrays = _timeline_arrays()
    for key, value in change.items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    _write_npz(tmp_path / TIMELINE_FILE, arrays)
    assert main(["replay", str(tmp_path), "--out", str(tmp_path / "r.gif")]) == 2
    _one_line(capsys, "malformed training timeline", needle)
    assert not (tmp_path / "r.gif").exists()


def test_a_good_timeline_still_replays(tmp_path: Path) -> None:
    _write_npz(tmp_path / TIMELINE_FILE, _timeline_arrays())
    assert main(["replay", str(tmp_path), "--out", str(tmp_path / "r.gif")]) == 0
    assert zipfile.is_zipfile(tmp_path / TIMELINE_FILE) and (tmp_path / "r.gif").stat().st_size


# -- interpolate and replay: an --out that cannot be written (also found), case 12 ----------


def _disk_fills_in_pil_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """PIL's save writes part of the file, then the disk is full."""
    from PIL import Image

    def save(self: Image.Image, fp: object, *args: object, **kwargs: object) -> None:
        with open(str(fp), "wb") as f:
            f.write(b"GIF89a partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(fp))

    monkeypatch.setattr(Image.Image, "save", save)


def _no_model_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(arg: str) -> None:
        raise AssertionError("the model (and TensorFlow) loaded before --out was checked")

    monkeypatch.setattr("models.cli.classroom._load_model_arg", refuse)


def test_interpolate_refuses_an_unwritable_out_before_loading_the_model(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _no_model_loaded(monkeypatch)
    out = Path("/sys/ae-explorer-test.gif")  # not writable, even by root
    argv = ["interpolate", "vae", "--from=0,0", "--to=1,1", "--out", str(out)]
    assert main(argv) == 2
    err = _one_line(capsys, f"--out {out}", "permission denied")
    assert "Errno" not in err and ".ae-explorer" not in err


def test_replay_refuses_an_unwritable_out_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_npz(tmp_path / TIMELINE_FILE, _timeline_arrays())
    out = Path("/sys/ae-explorer-test.gif")
    assert main(["replay", str(tmp_path), "--out", str(out)]) == 2
    err = _one_line(capsys, f"--out {out}", "permission denied")
    assert "Errno" not in err and ".ae-explorer" not in err


def test_replay_on_a_full_disk_names_out_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "run").mkdir()
    _write_npz(tmp_path / "run" / TIMELINE_FILE, _timeline_arrays())
    out = tmp_path / "r.gif"
    out.write_bytes(b"an earlier replay")
    _disk_fills_in_pil_save(monkeypatch)
    assert main(["replay", str(tmp_path / "run"), "--out", str(out)]) == 2
    err = _one_line(capsys, f"--out {out}", "the disk is full")
    assert "Errno" not in err and ".r.gif" not in err
    assert out.read_bytes() == b"an earlier replay"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.gif", "run"]


def test_interpolate_on_a_full_disk_names_out_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "walk.png"
    _disk_fills_in_pil_save(monkeypatch)
    assert main(["interpolate", "vae", "--from=0,0", "--to=1,1", "--out", str(out)]) == 2
    err = _one_line(capsys, f"--out {out}", "the disk is full")
    assert "Errno" not in err and ".walk" not in err
    assert list(tmp_path.iterdir()) == []


def test_interpolate_with_huge_coordinates_is_one_line_without_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "walk.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NumPy's overflow warning was printed before
        assert (
            main(["interpolate", "vae", "--from=1e308,-1e308", "--to=0,0", "--out", str(out)]) == 2
        )
    _one_line(capsys, "--from 1e308,-1e308", "finite")
    assert not out.exists()


# -- encode --out on a full disk, fresh or over an earlier export (cases 2, 3) -----------------


def _disk_fills_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The staged write of ``name`` gets half its bytes out, then the disk is full."""
    import models.inference.projector as projector

    real = projector.write_file

    def write_file(path: Path, data: bytes | str) -> None:
        if Path(path).name != name:
            return real(path, data)
        with open(path, "wb") as f:
            f.write(bytes(data, "utf-8") if isinstance(data, str) else data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(projector, "write_file", write_file)


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def digits(tmp_path: Path, write_digit_bars: Callable[[Path, str, int], Path]) -> str:
    return f"mnist:{write_digit_bars(tmp_path, 'enc', 30)}"


def test_encode_on_a_full_disk_leaves_no_folder_and_names_the_file(
    tmp_path: Path,
    digits: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "codes"
    _disk_fills_at(monkeypatch, "sprite.png")
    assert main(["encode", "vae", "--data", digits, "--out", str(out)]) == 2
    _one_line(capsys, str(out), "the disk is full", "sprite.png")
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".codes")]


def test_encode_over_an_earlier_export_on_a_full_disk_keeps_the_earlier_one_whole(
    tmp_path: Path,
    digits: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "codes"
    assert main(["encode", "vae", "--data", digits, "--limit", "10", "--out", str(out)]) == 0
    before = _folder_bytes(out)
    assert {"codes.tsv", "metadata.tsv", "sprite.png", "codes.npz"} <= set(before)
    capsys.readouterr()
    _disk_fills_at(monkeypatch, "codes.npz")  # the last file: the others were written
    assert main(["encode", "vae", "--data", digits, "--out", str(out)]) == 2
    _one_line(capsys, str(out), "the disk is full", "codes.npz", "previous contents are intact")
    assert _folder_bytes(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".codes")]


# -- an unusable cache folder: a file, or not writable (cases 4, 5) ---------------------------


@pytest.fixture
def bad_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], Path]:
    """``use("file" | "unwritable")``: point AE_EXPLORER_CACHE at such a cache; the
    process-wide "run without the cache" switch is put back after the test."""
    monkeypatch.setattr("models.paths._cache_off", None)

    def use(what: str) -> Path:
        if what == "file":
            cache = tmp_path / "cache-file"
            cache.write_text("not a folder")
        else:
            cache = Path("/sys/ae-explorer-cache")  # no one may write there, root neither
        monkeypatch.setenv("AE_EXPLORER_CACHE", str(cache))
        return cache

    return use


@pytest.mark.parametrize(
    "what, reason", [("file", "is a file"), ("unwritable", "cannot be written")]
)
def test_a_bad_cache_stops_a_resume_before_training_naming_the_cache(
    tmp_path: Path,
    bad_cache: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    what: str,
    reason: str,
) -> None:
    cache = bad_cache(what)
    out = tmp_path / "run"
    argv = ["train", "autoencoder", "--data", "doodles:40", "--resume", "--out", str(out)]
    assert main([*argv, "--quiet"]) == 2
    _one_line(capsys, f"the cache {cache} (AE_EXPLORER_CACHE) {reason}", "--resume")
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".run")]


def test_a_bad_cache_stops_a_download_before_training(
    tmp_path: Path, bad_cache: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cache = bad_cache("unwritable")
    out = tmp_path / "run"
    assert main(["train", "vae", "--data", "quickdraw:cat", "--out", str(out), "--quiet"]) == 2
    _one_line(capsys, f"the cache {cache}", "quickdraw:cat would be downloaded there")
    assert not out.exists()


@pytest.mark.parametrize("what", ["file", "unwritable"])
def test_a_run_that_needs_no_cache_finishes_and_says_so_once(
    tmp_path: Path,
    bad_cache: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    what: str,
) -> None:
    cache = bad_cache(what)
    out = tmp_path / "run"
    argv = ["train", "autoencoder", "--data", "doodles:40", "--epochs", "1", "--batch-size",
            "16", "--quiet", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err.strip().splitlines()
    warned = [line for line in err if "cache" in line]
    assert len(warned) == 1 and warned[0].startswith("ae-explorer: warning: "), err
    assert f"the cache {cache}" in warned[0] and "without checkpoints" in warned[0]
    assert not any("error" in line or "Errno" in line for line in err), err
    assert {"model.weights.h5", "config.json", "timeline.npz"} <= {p.name for p in out.iterdir()}


def test_cache_problem_says_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from models.paths import cache_problem

    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path / "cache"))
    assert cache_problem() is None

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "cache"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert cache_problem() == "cannot be written (the file system is read-only)"


# -- wording: a damaged, looping or misplaced model.weights.h5 (also found) ------------------


@pytest.fixture(scope="module")
def saved_vae(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.nets.config import TrainConfig
    from models.nets.trained import TrainedModel

    run = tmp_path_factory.mktemp("saved") / "run"
    TrainedModel.build(TrainConfig(model="vae", hidden_units=16, image_size=(28, 28))).save(run)
    return run


def _copy_run(saved: Path, to: Path) -> Path:
    import shutil

    shutil.copytree(saved, to)
    (to / "manifest.json").unlink()  # the tests change files the manifest lists
    return to


@pytest.mark.parametrize("header", [b"", b"garbled!" * 4])
def test_an_empty_or_garbled_header_weights_file_is_damaged(
    tmp_path: Path, saved_vae: Path, capsys: pytest.CaptureFixture[str], header: bytes
) -> None:
    run = _copy_run(saved_vae, tmp_path / "run")
    weights = run / "model.weights.h5"
    weights.write_bytes(header + weights.read_bytes()[len(header) :] if header else b"")
    assert main(["evaluate", str(run), "--data", "doodles:5"]) == 2
    err = _one_line(capsys, str(weights), "damaged")
    assert "does not fit" not in err


@pytest.mark.parametrize("what", ["loop", "folder", "broken"])
def test_a_weights_path_that_is_a_loop_a_folder_or_a_broken_link_is_not_missing(
    tmp_path: Path, saved_vae: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    run = _copy_run(saved_vae, tmp_path / "run")
    weights = run / "model.weights.h5"
    weights.unlink()
    if what == "loop":
        weights.symlink_to(weights)
        needle = "a symbolic link loop"
    elif what == "folder":
        weights.mkdir()
        needle = "not a file"
    else:
        weights.symlink_to(tmp_path / "gone.weights.h5")
        needle = "a broken link"
    assert main(["evaluate", str(run), "--data", "doodles:5"]) == 2
    err = _one_line(capsys, str(weights), needle)
    assert "missing weights" not in err
    if what == "folder":  # named directly too
        assert main(["evaluate", str(weights), "--data", "doodles:5"]) == 2
        _one_line(capsys, str(weights), "a folder, not a weights file")


# -- wording: a resume with a changed batch size (also found) ---------------------------------


def test_a_resume_with_another_batch_size_is_refused_before_it_is_announced(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_digit_bars: Callable[[Path, str, int], Path],
) -> None:
    import json

    from models.nets.config import TrainConfig
    from models.training.checkpoint import STATE_FILE, default_folder

    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path / "cache"))
    data = f"mnist:{write_digit_bars(tmp_path, 'res', 40)}"
    out = tmp_path / "run"
    # The checkpoint of a run trained with the preset's batch size (saved as None).
    saved = TrainConfig(model="vae", epochs=2, data=data, hidden_units=16)
    epoch = default_folder(out) / "epoch-0001"
    epoch.mkdir(parents=True)
    (epoch / STATE_FILE).write_text(json.dumps({"config": json.loads(saved.to_json())}))
    argv = ["train", "vae", "--data", data, "--epochs", "2", "--hidden-units", "16",
            "--batch-size", "20", "--resume", "--quiet", "--out", str(out)]  # fmt: skip
    assert main(argv) == 2
    err = _one_line(capsys, f"batch_size={saved.resolved_batch_size} (the default), not 20")
    assert "resuming from" not in err and "None" not in err
    assert not out.exists()


# -- gigabytes of NUL bytes with no line break, as .ndjson (also found) -----------------------


@pytest.fixture
def nul_ndjson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """4 MB of NUL bytes, no newline, read with a 1 MB line cap (the 3 GB case, scaled)."""
    import models.data.formats as formats

    monkeypatch.setattr(formats, "MAX_LINE_BYTES", 1 << 20)
    path = tmp_path / "crash.ndjson"
    with open(path, "wb") as f:
        f.truncate(4 << 20)
    return path


def test_an_ndjson_file_without_line_breaks_is_refused_in_bounded_memory(
    nul_ndjson: Path,
) -> None:
    import tracemalloc

    from models.data.formats import read_ndjson
    from models.errors import DataFormatError

    tracemalloc.start()
    try:
        with pytest.raises(DataFormatError, match="line 1: longer than 1,048,576 bytes"):
            read_ndjson(nul_ndjson)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 << 20, f"held {peak:,} bytes of a 4 MB file"  # about one capped line


@pytest.mark.parametrize("stream", [False, True])
def test_train_on_an_ndjson_file_without_line_breaks_is_one_line(
    tmp_path: Path,
    nul_ndjson: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stream: bool,
) -> None:
    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("models.data.quickdraw.STREAM_CHUNK_BYTES", 256 << 10)
    out = tmp_path / "run"
    argv = ["train", "vae", "--data", f"quickdraw:{nul_ndjson}", "--out", str(out), "--quiet"]
    assert main(argv + (["--stream"] if stream else [])) == 2
    _one_line(capsys, f"{nul_ndjson}, line 1: longer than 1,048,576 bytes")
    assert not out.exists()


# -- SIGTERM: like Ctrl+C (also found) --------------------------------------------------------


def test_sigterm_outside_training_is_one_line_and_143(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal
    import time

    def killed_while_loading(run_dir: Path) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # what `docker stop` sends
        time.sleep(5)  # Python runs the handler here
        raise AssertionError("SIGTERM did not interrupt")

    monkeypatch.setattr(Timeline, "load", killed_while_loading)
    before = signal.getsignal(signal.SIGTERM)
    assert main(["replay", str(tmp_path), "--out", str(tmp_path / "r.gif")]) == 143
    assert capsys.readouterr().err == "ae-explorer: terminated\n"
    assert signal.getsignal(signal.SIGTERM) == before  # put back for whoever called main


@pytest.mark.slow
def test_sigterm_during_training_keeps_the_last_epoch(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write_digit_bars: Callable[[Path, str, int], Path],
) -> None:
    import json
    import signal
    import subprocess
    import sys
    import time

    from models.training.checkpoint import CheckpointStore

    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path / "cache"))  # here and there
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "TF_CPP_MIN_LOG_LEVEL": "3"}
    data = f"mnist:{write_digit_bars(tmp_path, 'term', 100)}"
    out = tmp_path / "run"
    argv = [sys.executable, "-m", "models.cli.main", "train", "vae", "--data", data,
            "--epochs", "100000", "--batch-size", "10", "--hidden-units", "16", "--quiet",
            "--out", str(out)]  # fmt: skip
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        store, deadline = CheckpointStore(out), time.monotonic() + 180
        while store.epochs_done() < 1:
            assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
            assert time.monotonic() < deadline, "no epoch ended"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143, stderr.decode()[-2000:]
    lines = [ln for ln in stderr.decode().splitlines() if ln.startswith("ae-explorer:")]
    assert len(lines) == 1 and "terminated: kept epoch" in lines[0], stderr.decode()
    kept = int(lines[0].split("kept epoch ")[1].split()[0])
    assert kept >= 1 and len(json.loads((out / "metrics.json").read_text())) == kept
    assert json.loads(stdout.decode().splitlines()[-1])["stopped"] == "terminated"


# -- --distribute multiworker: a peer that never starts, a task out of range (case 11) -------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tf_config(ports: list[int], index: int) -> str:
    import json

    workers = [f"127.0.0.1:{port}" for port in ports]
    return json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})


@pytest.mark.parametrize(
    "index, needle",
    [(2, "task index 2 is out of range: the cluster has 2 workers (indices 0-1)"),
     (-1, "task index -1 is out of range")],
)  # fmt: skip
def test_a_tf_config_task_out_of_range_is_our_own_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    index: int,
    needle: str,
) -> None:
    monkeypatch.setenv("TF_CONFIG", _tf_config([_free_port(), _free_port()], index))
    out = tmp_path / "run"
    argv = ["train", "autoencoder", "--data", "doodles:40", "--distribute", "multiworker"]
    assert main([*argv, "--out", str(out), "--quiet"]) == 2
    _one_line(capsys, "TF_CONFIG: " + needle)
    assert not out.exists()


def test_a_bad_cluster_timeout_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TF_CONFIG", _tf_config([_free_port(), _free_port()], 0))
    monkeypatch.setenv("AE_EXPLORER_CLUSTER_TIMEOUT", "soon")
    argv = ["train", "autoencoder", "--distribute", "multiworker", "--out", str(tmp_path / "r")]
    assert main(argv) == 2
    _one_line(capsys, "AE_EXPLORER_CLUSTER_TIMEOUT=soon: expected a number of seconds")


def _watcher(timeout: float, peers: list[tuple[str, str]], done: bool) -> tuple[str, float]:
    """The watcher process as a run starts it; the run 'dies' (closes the pipe) after
    ``timeout`` seconds, or says it is done."""
    import json
    import subprocess
    import sys
    import time

    read, write = os.pipe()
    root = str(Path(__file__).resolve().parents[2])
    argv = [sys.executable, "-m", "models.training.cluster_watch", str(read), str(timeout)]
    started = time.monotonic()
    proc = subprocess.Popen(
        [*argv, json.dumps(peers)],
        pass_fds=(read,),
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    os.close(read)
    time.sleep(timeout)
    if done:
        os.write(write, b"d")
    os.close(write)
    _, err = proc.communicate(timeout=30)
    return err, time.monotonic() - started


def test_the_cluster_watcher_names_the_worker_that_never_started() -> None:
    import socket

    with socket.socket() as listening:  # worker 1 has started: its port answers
        listening.bind(("127.0.0.1", 0))
        listening.listen(1)
        up = f"127.0.0.1:{listening.getsockname()[1]}"
        down = f"127.0.0.1:{_free_port()}"  # nobody listens: worker 2 never started
        peers = [("worker 1", up), ("worker 2", down)]
        err, _ = _watcher(1.0, peers, done=False)
        assert err.splitlines() == [
            f"ae-explorer: error: --distribute multiworker: worker 2 ({down}) has not "
            "started after 1 s; run the same command there (with its TF_CONFIG task), or "
            "wait longer: AE_EXPLORER_CLUSTER_TIMEOUT=SECONDS"
        ]
        err, _ = _watcher(1.0, peers, done=True)  # the cluster came together: silence
        assert err == ""


@pytest.mark.slow
def test_multiworker_with_a_peer_that_never_starts_stops_after_the_timeout(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys
    import time

    ports = [_free_port(), _free_port()]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           "TF_CONFIG": _tf_config(ports, 0), "AE_EXPLORER_CLUSTER_TIMEOUT": "3",
           "AE_EXPLORER_CACHE": str(tmp_path / "cache")}  # fmt: skip
    out = tmp_path / "run"
    argv = [sys.executable, "-m", "explorer", "train", "autoencoder", "--data", "doodles:40",
            "--distribute", "multiworker", "--out", str(out), "--quiet"]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0  # it hung here, silently, forever
    assert done.stderr.splitlines() == [
        f"ae-explorer: error: --distribute multiworker: worker 1 (127.0.0.1:{ports[1]}) has "
        "not started after 3 s; run the same command there (with its TF_CONFIG task), or "
        "wait longer: AE_EXPLORER_CLUSTER_TIMEOUT=SECONDS"
    ], done.stderr
    assert not out.exists() and time.monotonic() - started < 240
