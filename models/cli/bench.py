"""``ae-explorer bench``: speed measures of this machine, one (name, value, unit) at a time.

Everything runs on generated data, so the benchmark needs no download and no files.
The Keras ``fit`` baseline is measured in the same run as the project's own training path,
interleaved, so both see the same machine load.
"""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from models.nets.codec import MLPCodec

Measure = tuple[str, float, str]


def bench_rasterize(n: int) -> Iterator[Measure]:
    """Rasterize a generated n-drawing .bin; the plain PIL loop, drawing the same pictures
    (``quickdraw_rendering``), is measured alongside."""
    from models.data.doodles import generate_doodles
    from models.data.quickdraw import (
        load_bitmaps,
        quickdraw_rendering,
        rasterize_pil_reference,
        read_binary,
        write_binary,
    )

    base = generate_doodles(1000, seed=0)
    drawings = [base[i % len(base)] for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.bin"
        write_binary(path, drawings)
        cache = Path(tmp) / "cache"
        start = time.perf_counter()
        first = load_bitmaps(path, cache_dir=cache)
        yield "rasterize_per_s", n / (time.perf_counter() - start), "drawings/s"
        start = time.perf_counter()
        again = load_bitmaps(path, cache_dir=cache)
        yield "rasterize_cached_load_s", time.perf_counter() - start, "s"
        assert again.images.shape == first.images.shape
        sample = read_binary(path)[: min(n, 20_000)]
        start = time.perf_counter()
        rasterize_pil_reference(sample, **quickdraw_rendering(32))
        yield "rasterize_pil_loop_per_s", len(sample) / (time.perf_counter() - start), "drawings/s"


def bench_decode() -> Iterator[Measure]:
    codec = MLPCodec.random(hidden=512, scale=0.05)
    z = np.random.default_rng(1).standard_normal((2000, 2)).astype(np.float32)
    for i in range(50):
        codec.decode(z[i])
    times = []
    for i in range(len(z)):
        start = time.perf_counter()
        codec.decode(z[i])
        times.append(time.perf_counter() - start)
    ms = np.asarray(times) * 1000
    yield "decode_point_p50_ms", float(np.percentile(ms, 50)), "ms"
    yield "decode_point_p95_ms", float(np.percentile(ms, 95)), "ms"
    grid = []
    for _ in range(20):
        start = time.perf_counter()
        codec.decode_grid(20)
        grid.append(time.perf_counter() - start)
    yield "decode_grid20_ms", float(np.median(grid) * 1000), "ms"


def _digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Digit-like random images; training speed does not depend on the pixel values."""
    rng = np.random.default_rng(seed)
    images = (rng.random((n, 28, 28)) < 0.2).astype(np.float32)
    return images, rng.integers(0, 10, n)


def bench_training(samples: int, epochs: int, rounds: int) -> Iterator[Measure]:
    """Plain Keras fit vs the project's loop, on the same VAE and batch size (250)."""
    from models.data.dataset import Dataset
    from models.nets.backend import keras_module
    from models.nets.config import TrainConfig
    from models.nets.kinds import DEFAULT_KIND
    from models.training.loop import train

    keras = keras_module()
    images, labels = _digits(samples)
    data = Dataset(images, labels, "random digits", "bench")
    val = data.subset(slice(0, 250))
    x = images.reshape(samples, -1)
    config = TrainConfig(model=DEFAULT_KIND, epochs=epochs + 1, batch_size=250, image_size=(28, 28))

    def keras_fit() -> float:
        keras.utils.set_random_seed(0)
        model = config.spec.build(config)
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
        model.fit(x, batch_size=250, epochs=1, verbose=0)  # compile and warm up
        start = time.perf_counter()
        model.fit(x, batch_size=250, epochs=epochs, verbose=0)
        return samples * epochs / (time.perf_counter() - start)

    def ours(progress: bool) -> float:
        stamps: list[float] = []
        seen: list[float] = []

        def on_batch(p: object) -> None:
            seen.append(1.0)

        train(
            config,
            data,
            val,
            on_batch=on_batch if progress else None,
            snapshots=False,
            on_epoch=lambda r: stamps.append(time.perf_counter()),
        )
        # The first epoch includes XLA compilation; time the others.
        return samples * epochs / (stamps[-1] - stamps[0])

    runs: dict[str, Callable[[], float]] = {
        "fit": keras_fit,
        "ours": lambda: ours(False),
        "progress": lambda: ours(True),
    }
    results: dict[str, list[float]] = {name: [] for name in runs}
    for i in range(rounds):
        # Alternate the order and start each run from a clean Keras state, so neither
        # variant is favoured by running first or penalised by what ran before it.
        for name in list(runs) if i % 2 == 0 else list(runs)[::-1]:
            keras.backend.clear_session()
            gc.collect()
            results[name].append(runs[name]())
    # Best of the rounds: on a shared 2-core machine other work only ever slows a run down,
    # so the fastest run of each variant is the least disturbed measure of it.
    fit, mine, prog = (float(np.max(results[k])) for k in ("fit", "ours", "progress"))
    yield "train_vae_keras_fit_samples_per_s", fit, "samples/s"
    yield "train_vae_samples_per_s", mine, "samples/s"
    yield "train_vae_with_progress_samples_per_s", prog, "samples/s"
    yield "train_vae_speedup_vs_keras_fit", mine / fit, "x"
    yield "train_vae_progress_overhead", 1.0 - prog / mine, "fraction"


def run_all(
    quick: bool = False, extra: Sequence[Callable[[], Iterator[Measure]]] = ()
) -> Iterator[Measure]:
    """Every measure; ``quick`` shrinks sizes for tests."""
    yield from bench_rasterize(2_000 if quick else 100_000)
    yield from bench_decode()
    yield from bench_training(1_000 if quick else 10_000, 1 if quick else 4, 1 if quick else 4)
    for measure in extra:
        yield from measure()
