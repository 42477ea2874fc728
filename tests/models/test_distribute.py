"""--distribute: MirroredStrategy on two logical CPUs, and two workers on 127.0.0.1.

Each runs in a subprocess: devices cannot be changed, nor collective ops configured, once
TensorFlow has started in this process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from models.data.mnist import write_idx

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", **extra}


@pytest.fixture
def bars_idx(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 120)
    images = np.zeros((120, 28, 28), np.uint8)
    for i, d in enumerate(labels):
        images[i, 2 + 2 * d : 4 + 2 * d, 4:-4] = 255
    path = tmp_path / "bars-images-idx3-ubyte.gz"
    write_idx(path, tmp_path / "bars-labels-idx1-ubyte.gz", images, labels)
    return path


@pytest.mark.slow
def test_mirrored_on_two_logical_cpus_matches_one_device(bars_idx: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import json
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2
        )
        from models.data.specs import load_dataset
        from models.nets.config import TrainConfig
        from models.training.checkpoint import CheckpointStore
        from models.training.distribute import make_strategy
        from models.training.loop import train

        strategy = make_strategy("mirrored")
        tr, va = load_dataset("mnist:{bars_idx}").split(0.25, seed=0)
        config = TrainConfig("cvae", epochs=2, batch_size=30, hidden_units=16)
        store = CheckpointStore("{tmp_path / "run"}")
        both = train(config, tr, va, strategy=strategy, snapshots=False, checkpoints=store)
        again = train(config, tr, va, strategy=strategy, checkpoints=store, resume=True)
        assert again.history == both.history  # resuming a finished run trains nothing more
        one = train(config, tr, va, snapshots=False)
        print(json.dumps({{
            "replicas": strategy.num_replicas_in_sync,
            "mirrored": [r["val_neg_elbo"] for r in both.history],
            "single": [r["val_neg_elbo"] for r in one.history],
            "type": type(both.model.weights[0]).__name__,
        }}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=_env(), capture_output=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert result["replicas"] == 2
    assert len(result["mirrored"]) == 2
    # the same optimisation, split across two replicas: the same -ELBO up to float noise
    np.testing.assert_allclose(result["mirrored"], result["single"], rtol=0.02)


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _two_workers(data: Path, outs: list[Path], *extra: str) -> list[tuple[int, str, str]]:
    cluster = {"worker": [f"127.0.0.1:{p}" for p in _free_ports(2)]}
    procs = []
    for i, out in enumerate(outs):
        tf_config = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}})
        args = [
            sys.executable, "-m", "models.cli.main", "train", "vae", "--data", f"mnist:{data}",
            "--epochs", "2", "--batch-size", "40", "--hidden-units", "16", "--quiet",
            "--out", str(out), "--distribute", "multiworker", *extra,
        ]  # fmt: skip
        procs.append(
            subprocess.Popen(
                args,
                env=_env(TF_CONFIG=tf_config),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=300)
            results.append((p.returncode, out.decode(), err.decode()))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return results


@pytest.mark.slow
def test_two_workers_on_localhost_only_the_chief_writes(bars_idx: Path, tmp_path: Path) -> None:
    outs = [tmp_path / "out", tmp_path / "out-worker1"]
    results = _two_workers(bars_idx, outs)
    for code, _, err in results:
        assert code == 0, err[-3000:]
    summary = json.loads(results[0][1].strip().splitlines()[-1])
    assert summary["epochs"] == 2
    metrics = json.loads((outs[0] / "metrics.json").read_text())
    assert [r["epoch"] for r in metrics] == [1.0, 2.0]  # each epoch once
    assert (outs[0] / "model.weights.h5").is_file()
    assert not outs[1].exists()  # the other worker wrote nothing
    assert results[1][1] == ""  # nor printed a summary
    # Resuming where worker 1 cannot see the chief's checkpoints: refused by both, no hang.
    for code, _, err in _two_workers(bars_idx, outs, "--resume"):
        assert code == 2, err[-3000:]
        assert (
            err.strip()
            .splitlines()[-1]
            .startswith(
                "ae-explorer: error: --resume: the workers found checkpoints of different epochs"
            )
        )


def test_multiworker_without_a_cluster_is_one_line(bars_idx: Path, tmp_path: Path) -> None:
    env = _env()
    env.pop("TF_CONFIG", None)
    env.pop("SLURM_JOB_ID", None)
    done = subprocess.run(
        [sys.executable, "-m", "models.cli.main", "train", "vae", "--data", f"mnist:{bars_idx}",
         "--out", str(tmp_path / "o"), "--distribute", "multiworker"],
        env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        "ae-explorer: error: --distribute multiworker: set TF_CONFIG on every machine "
        "(or run under Slurm)"
    ]
