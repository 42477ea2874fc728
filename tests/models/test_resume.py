"""Runs that survive faults: per-epoch checkpoints, --resume, Ctrl+C, bad requests."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.errors import ExplorerError
from models.messages import EpochResult
from models.nets.config import TrainConfig
from models.training import checkpoint as ckpt
from models.training.checkpoint import CheckpointError, CheckpointStore
from models.training.loop import train

ROOT = Path(__file__).resolve().parents[2]


def _bars(n: int = 120, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = np.zeros((n, 28, 28), np.float32)
    for i, d in enumerate(labels):
        images[i, 2 + 2 * d : 4 + 2 * d, 4:-4] = 1.0
    images += 0.05 * rng.random(images.shape).astype(np.float32)
    return Dataset(np.clip(images, 0, 1), labels, "bars", "bars")


def _config(**kw: object) -> TrainConfig:
    base: dict[str, object] = {"model": "vae", "epochs": 4, "batch_size": 20, "hidden_units": 16}
    base.update(kw)
    return TrainConfig(**base)  # type: ignore[arg-type]


class _Crash(Exception):
    pass


def _crash_after(k: int):  # type: ignore[no-untyped-def]
    def on_epoch(r: EpochResult) -> None:
        if r.epoch + 1 == k:
            raise _Crash  # as if the process died right after the epoch's checkpoint

    return on_epoch


@pytest.mark.parametrize(
    "config",
    [
        _config(epochs=3),
        _config(model="cvae", preset="improved", batch_size=16, epochs=3),  # EMA + keep-best
        _config(steps_per_epoch=4, epochs=3),  # epochs that do not align with passes
    ],
    ids=["vae", "cvae-improved", "steps-per-epoch"],
)
@pytest.mark.slow
def test_resume_after_a_crash_matches_an_uninterrupted_run(
    config: TrainConfig, tmp_path: Path
) -> None:
    tr, va = _bars().split(0.25, seed=0)
    whole = train(config, tr, va, checkpoints=CheckpointStore(tmp_path / "a"), snapshots=False)
    store = CheckpointStore(tmp_path / "b")
    with pytest.raises(_Crash):
        train(config, tr, va, checkpoints=store, on_epoch=_crash_after(2), snapshots=False)
    assert store.latest() is not None and store.latest().name == "epoch-0002"  # type: ignore[union-attr]
    resumed = train(config, tr, va, checkpoints=store, resume=True, snapshots=False)
    assert [r["epoch"] for r in resumed.history] == [1.0, 2.0, 3.0]
    metrics = json.loads(store.metrics_path.read_text())
    assert [r["epoch"] for r in metrics] == [r["epoch"] for r in whole.history]
    for a, b in zip(whole.history, resumed.history, strict=True):
        assert b["val_loss"] == pytest.approx(a["val_loss"], rel=1e-3, abs=1e-3)
    assert resumed.best_epoch == whole.best_epoch
    for a, b in zip(whole.model.get_weights(), resumed.model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


@pytest.mark.slow
def test_a_half_written_checkpoint_is_never_used(tmp_path: Path) -> None:
    tr, va = _bars().split(0.25, seed=0)
    store = CheckpointStore(tmp_path)
    config = _config(epochs=2)
    with pytest.raises(_Crash):
        train(config, tr, va, checkpoints=store, on_epoch=_crash_after(1), snapshots=False)
    # A crash in the middle of writing epoch 2: its temporary folder is left behind.
    partial = store.folder / ".partial-xyz"
    partial.mkdir()
    (partial / "state.json").write_text("{ not json")
    (store.folder / "epoch-0002").mkdir()  # and a folder without its state file
    assert store.latest() == store.folder / "epoch-0001"
    resumed = train(config, tr, va, checkpoints=store, resume=True, snapshots=False)
    assert len(resumed.history) == 2
    assert not partial.exists()


@pytest.mark.slow
def test_resume_with_other_settings_is_refused(tmp_path: Path) -> None:
    tr, va = _bars().split(0.25, seed=0)
    store = CheckpointStore(tmp_path)
    with pytest.raises(_Crash):
        train(_config(), tr, va, checkpoints=store, on_epoch=_crash_after(1), snapshots=False)
    with pytest.raises(CheckpointError, match=r"beta=1\.0, not 2\.0") as info:
        train(_config(beta=2.0), tr, va, checkpoints=store, resume=True)
    assert "\n" not in str(info.value)


@pytest.mark.slow
def test_a_full_disk_stops_the_run_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tr, va = _bars().split(0.25, seed=0)

    def full(path: Path, arrays: list[np.ndarray]) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ckpt, "_save_arrays", full)
    store = CheckpointStore(tmp_path)
    with pytest.raises(ExplorerError, match="No space left on device") as info:
        train(_config(epochs=1), tr, va, checkpoints=store)
    assert "\n" not in str(info.value)
    assert store.latest() is None and not list(store.folder.iterdir())


@pytest.mark.slow
def test_a_fresh_run_forgets_an_earlier_runs_checkpoints(tmp_path: Path) -> None:
    tr, va = _bars().split(0.25, seed=0)
    store = CheckpointStore(tmp_path)
    train(_config(epochs=2), tr, va, checkpoints=store, snapshots=False)
    train(_config(epochs=1), tr, va, checkpoints=store, snapshots=False)
    assert store.latest() == store.folder / "epoch-0001"


@pytest.mark.slow
def test_max_steps_ends_training_after_n_batches(tmp_path: Path) -> None:
    tr, va = _bars().split(0.25, seed=0)  # 90 samples: 5 batches of 20 a pass
    steps: list[int] = []
    trained = train(
        _config(epochs=10, max_steps=7),
        tr,
        va,
        on_batch=lambda p: steps.append(p.batch),
        report_every=1,
        snapshots=False,
    )
    assert steps == [1, 2, 3, 4, 5, 1, 2]
    assert len(trained.history) == 2
    trained = train(_config(epochs=2, steps_per_epoch=3), tr, va, snapshots=False)
    assert len(trained.history) == 2


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "models.cli.main", "train", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}


def _wait_for_epoch(out: Path, epoch: int, proc: subprocess.Popen[bytes]) -> None:
    """Until a checkpoint of ``epoch`` or later exists (older ones are removed quickly)."""
    store = CheckpointStore(out)
    deadline = time.monotonic() + 120
    while True:
        latest = store.latest()
        if latest is not None and int(latest.name.split("-")[1]) >= epoch:
            return
        assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
        assert time.monotonic() < deadline, f"no checkpoint of epoch {epoch} in {out}"
        time.sleep(0.05)


@pytest.mark.slow
def test_cli_sigkill_then_resume_and_ctrl_c(tmp_path: Path) -> None:
    """A real process: SIGKILL after epoch 2, --resume to the end; then Ctrl+C on a rerun."""
    from models.data.mnist import write_idx

    data = _bars(200)
    images = (data.images * 255).astype(np.uint8)
    idx = tmp_path / "bars-images-idx3-ubyte.gz"
    write_idx(idx, tmp_path / "bars-labels-idx1-ubyte.gz", images, data.labels)
    out = tmp_path / "run"
    args = _cli(
        "vae", "--data", f"mnist:{idx}", "--epochs", "40", "--batch-size", "10",
        "--hidden-units", "16", "--quiet", "--out", str(out),
    )  # fmt: skip
    proc = subprocess.Popen(args, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for_epoch(out, 2, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        done = subprocess.run(
            [*args, "--resume"], env=_env(), capture_output=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        assert "resuming from" in done.stderr.decode()
        metrics = json.loads((out / "metrics.json").read_text())
        assert [r["epoch"] for r in metrics] == list(range(1, 41))
        # The replay covers the whole run, the epochs before the kill too. A kill that falls
        # between an epoch's checkpoint and its timeline entry loses that one frame.
        from models.inference.timeline import Timeline

        replayed = Timeline.load(out).epochs
        assert replayed[:1] == [1] and replayed[-2:] == [39, 40] and len(replayed) >= 39
        # Ctrl+C: stops within a batch, keeps the last whole epoch, one line, exit 130.
        out = tmp_path / "run2"
        args[args.index("--out") + 1] = str(out)
        proc = subprocess.Popen(
            [*args, "--epochs", "100000"],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        _wait_for_epoch(out, 2, proc)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr.decode()[-2000:]
    lines = [ln for ln in stderr.decode().splitlines() if ln.startswith("ae-explorer:")]
    assert len(lines) == 1 and "interrupted: kept epoch" in lines[0], stderr.decode()
    kept = int(lines[0].split("kept epoch ")[1].split()[0])
    assert kept >= 2
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics) == kept
    assert (out / "model.weights.h5").is_file()
    assert json.loads(stdout.decode().splitlines()[-1])["stopped"] == "interrupted"
