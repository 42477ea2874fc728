"""Streaming benchmark (issue 9): data far larger than memory, trained with bounded memory.

1. Writes a ``.bin`` of ``--drawings`` drawings with the project's writer (``write_binary``
   on generated doodles; ``--unique`` distinct doodles repeated, because generating 6 million
   distinct ones in Python takes over an hour here).
2. Runs the real command in a subprocess, on a fresh cache:
   ``ae-explorer train autoencoder --data BIG.bin --stream --max-steps N --out ...``: it
   rasterizes the file into the streaming cache chunk by chunk, then trains ``--steps``
   batches from the tf.data stream. Reported: that process's peak RSS
   (``getrusage(RUSAGE_CHILDREN).ru_maxrss``), the time to its "training ..." line
   (start-up, imports and rasterizing) and the time after it (training and saving).
3. With ``--loop``, also the engine alone in this process (``stream_cache`` then
   ``loop.train``, its own cache): rasterizing and per-step training throughput.
4. Prints one JSON object a line.

``--compare N`` instead measures the in-memory loop against the stream on N doodles (VAE):
streaming must not make small in-memory data sets slower, so it is used for large data only.

Usage: PYTHONPATH=. python benchmarks/stream.py [--drawings 6000000] [--dir /tmp/aebench]
Everything goes into --dir, which is deleted at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def report(name: str, value: float, unit: str) -> None:
    print(json.dumps({"measure": name, "value": round(float(value), 2), "unit": unit}), flush=True)


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def cli_run(path: Path, folder: Path, args: argparse.Namespace) -> None:
    """The real ``ae-explorer train ... --stream`` in a child process; its peak RSS."""
    import subprocess

    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "AE_EXPLORER_CACHE": str(folder / "cache-cli"), "PYTHONPATH": str(repo)}
    command = [sys.executable, "-m", "models.cli.main", "train", "autoencoder",
               "--data", f"quickdraw:{path}", "--stream", "--epochs", "1",
               "--batch-size", "128", "--max-steps", str(args.steps), "--quiet",
               "--out", str(folder / "run")]  # fmt: skip
    start = time.perf_counter()
    loaded = None
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as child:
        assert child.stderr is not None
        for line in child.stderr:
            if line.startswith("training ") and loaded is None:
                loaded = time.perf_counter()
            print(f"  cli: {line.rstrip()}", file=sys.stderr, flush=True)
    end = time.perf_counter()
    if child.returncode != 0:
        raise SystemExit(f"the train command failed (exit {child.returncode})")
    metrics = json.loads((folder / "run" / "metrics.json").read_text())
    report("cli_peak_rss_mb", peak_rss_mb(resource.RUSAGE_CHILDREN), "MB (the train process)")
    if loaded is not None:
        report("cli_rasterize_s", loaded - start, "s (start-up, imports, rasterizing)")
        report("cli_rasterize_drawings_per_s", args.drawings / (loaded - start), "drawings/s")
        report("cli_train_s", end - loaded, f"s ({args.steps} steps, validation, saving)")
    report("cli_val_loss", metrics[-1]["val_loss"], "BCE per pixel")
    report("float32_images_would_need_mb", args.drawings * 32 * 32 * 4 / 2**20, "MB")


def write_big_bin(path: Path, drawings: int, unique: int) -> None:
    from models.data.doodles import generate_doodles
    from models.data.formats import write_binary

    part = path.with_suffix(".part.bin")
    write_binary(part, generate_doodles(unique, seed=0))
    block = part.read_bytes()
    part.unlink()
    with open(path, "wb") as f:
        for _ in range(drawings // unique):
            f.write(block)
        rest = drawings % unique
        if rest:
            from models.data.formats import scan_binary

            f.write(block[: int(_record_ends(scan_binary, block)[rest - 1])])


def _record_ends(scan_binary, block: bytes):  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
        tmp.write(block)
        tmp.flush()
        contents = scan_binary(tmp.name)
    ends = contents.stroke_offsets + 2 * contents.stroke_lengths
    last = contents.strokes_per_drawing.cumsum() - 1
    return ends[last]


def big_run(args: argparse.Namespace) -> None:
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "doodles-6m.bin"
    start = time.perf_counter()
    write_big_bin(path, args.drawings, args.unique)
    report("write_bin_s", time.perf_counter() - start, "s")
    report("bin_file_mb", path.stat().st_size / 2**20, "MB")
    cli_run(path, folder, args)
    if args.loop:
        loop_run(path, folder, args)


def loop_run(path: Path, folder: Path, args: argparse.Namespace) -> None:
    """The engine alone, in this process: rasterizing and per-step training throughput."""
    from models.nets.config import TrainConfig
    from models.training.loop import train
    from models.training.streaming import stream_cache

    start = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 10 or done == total:
            last[0] = now
            print(f"  rasterized {done / total:.0%}", file=sys.stderr, flush=True)

    source = stream_cache(path, cache_dir=folder / "cache", progress=progress)
    took = time.perf_counter() - start
    report("stream_rasterize_drawings_per_s", len(source) / took, "drawings/s")
    report("stream_cache_mb", source.rows.nbytes / 2**20, "MB")
    report("peak_rss_after_rasterize_mb", peak_rss_mb(), "MB")

    train_part, val = source.split(0.15, max_val=args.val)
    config = TrainConfig("autoencoder", epochs=1, batch_size=128, max_steps=args.steps)
    times: list[float] = []

    def on_batch(p: object) -> None:
        times.append(time.perf_counter())

    start = time.perf_counter()
    trained = train(config, train_part, val, on_batch=on_batch, report_every=1, snapshots=False)
    total = time.perf_counter() - start
    steady = (times[-1] - times[10]) / (len(times) - 11) if len(times) > 20 else float("nan")
    report("stream_train_steps", len(times), "batches")
    report("stream_train_samples_per_s", 128 / steady, "samples/s")
    report("stream_train_total_s", total, "s (incl. first-step build and validation)")
    report("val_loss", trained.history[-1]["val_loss"], "BCE per pixel")
    report("peak_rss_mb", peak_rss_mb(), "MB (this process)")


def compare(args: argparse.Namespace) -> None:
    """In-memory loop vs tf.data stream on the same small data (VAE, batch 250)."""
    from models.data.specs import load_dataset
    from models.nets.config import TrainConfig
    from models.training import streaming
    from models.training.loop import train

    data = load_dataset(f"doodles:{args.compare}")
    tr, va = data.split(0.15, seed=0)
    va = va.subset(slice(0, 500))
    steps = args.steps

    def rate(train_data: object) -> float:
        times: list[float] = []
        config = TrainConfig("vae", epochs=1, batch_size=250, max_steps=steps)
        train(
            config,
            train_data,  # type: ignore[arg-type]
            va,
            on_batch=lambda p: times.append(time.perf_counter()),
            report_every=1,
            snapshots=False,
        )
        return 250 * (len(times) - 11) / (times[-1] - times[10])

    stream = streaming.from_dataset(tr)
    for round_ in range(args.rounds):
        report(f"memory_vae_samples_per_s_{round_}", rate(tr), "samples/s")
        report(f"stream_vae_samples_per_s_{round_}", rate(stream), "samples/s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--drawings", type=int, default=6_000_000)
    p.add_argument("--unique", type=int, default=30_000)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--val", type=int, default=2000, help="held-out validation drawings")
    p.add_argument("--dir", default="/tmp/ae-explorer-stream-bench")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--loop", action="store_true", help="also time loop.train in this process")
    p.add_argument("--compare", type=int, help="compare memory vs stream on N doodles instead")
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    try:
        if args.compare:
            compare(args)
        else:
            big_run(args)
    finally:
        if not args.keep and not args.compare:
            shutil.rmtree(args.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
