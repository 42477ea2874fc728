"""``ae-explorer bench``: speed measures of this machine, one (name, value, unit) at a time.

Everything runs on generated data, so the benchmark needs no download and no files.
The Keras ``fit`` baseline is measured in the same run as the project's own training path,
interleaved, so both see the same machine load.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from models.nets.codec import MLPCodec

Measure = tuple[str, float, str]


def bench_rasterize(n: int) -> Iterator[Measure]:
    """Rasterize a generated n-drawing .bin (in worker processes from ``POOL_MIN`` drawings);
    the plain PIL loop drawing the same pictures (``quickdraw_rendering``), and the book's
    PIL loop (its cruder 1x picture), are measured alongside."""
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
        first_s = time.perf_counter() - start
        yield "rasterize_per_s", n / first_s, "drawings/s"
        start = time.perf_counter()
        again = load_bitmaps(path, cache_dir=cache)
        yield "rasterize_cached_load_s", time.perf_counter() - start, "s"
        assert again.images.shape == first.images.shape
        sample = read_binary(path)[: min(n, 20_000)]
        start = time.perf_counter()
        rasterize_pil_reference(sample, **quickdraw_rendering(32))
        yield "rasterize_pil_loop_per_s", len(sample) / (time.perf_counter() - start), "drawings/s"
        start = time.perf_counter()
        rasterize_pil_reference(sample)  # the book's recipe: 1x, 2-pixel lines
        book = len(sample) / (time.perf_counter() - start)
        yield "rasterize_book_loop_per_s", book, "drawings/s"
        yield "rasterize_speedup_vs_book_loop", n / first_s / book, "x"


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


def _images(n: int, side: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sketch-like random 0/1 images and labels; training speed does not depend on them."""
    rng = np.random.default_rng(seed)
    images = (rng.random((n, side, side)) < 0.2).astype(np.float32)
    return images, rng.integers(0, 10, n)


TRAIN_KINDS: dict[str, dict[str, Any]] = {
    # measure name -> TrainConfig fields: every kind (and network) the app trains.
    "vae": {"model": "vae"},
    "cvae": {"model": "cvae"},
    "dense_autoencoder": {"model": "autoencoder", "arch": "dense"},
    "autoencoder": {"model": "autoencoder"},
    "conv_vae": {"model": "vae", "arch": "conv"},
    "conv_cvae": {"model": "cvae", "arch": "conv"},
}
"""The kinds ``bench`` trains; ``vae`` keeps its old measure names."""


def fit_model(net: Any) -> Any:
    """The ``fit`` baseline: a thin ``keras.Model`` whose ``train_step`` is the loop's step
    (the mean of the model's own ``losses_per_sample``), so only the driver differs."""
    from models.nets.backend import keras, tf
    from models.nets.layers import split_inputs

    class FitModel(keras.Model):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def call(self, inputs: Any, training: bool = False) -> Any:
            return self.net(inputs, training=training)

        def train_step(self, data: Any) -> dict[str, Any]:
            x, y = split_inputs(data)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(self.net.losses_per_sample(x, y, training=True)["loss"])
            grads = tape.gradient(loss, self.net.trainable_variables)
            self.optimizer.apply(grads, self.net.trainable_variables)
            return {"loss": loss}

    return FitModel()


def _setup(name: str, samples: int, epochs: int) -> dict[str, Any]:
    """One kind's bench: its config (``epochs`` timed after one that compiles), generated
    data, and the arrays ``fit`` takes."""
    from models.data.dataset import Dataset
    from models.nets.config import TrainConfig
    from models.nets.cvae import one_hot

    config = TrainConfig(**TRAIN_KINDS[name], epochs=epochs + 1)
    side = config.spec.input_size or 28
    config = config.replace(image_size=(side, side))
    images, labels = _images(samples, side)
    data = Dataset(images, labels, "random images", "bench")
    y = one_hot(labels, config.num_classes) if config.spec.conditional else None
    return {"config": config, "data": data, "x": images.reshape(samples, -1), "y": y}


def fit_rate(name: str, samples: int, epochs: int, xla: bool) -> float:
    """Samples/s of Keras ``fit`` on one kind: one epoch to compile and warm up, then
    ``epochs`` timed (run in this process, or in the ``_FitProcess``)."""
    from models.nets.backend import keras
    from models.training.loop import make_optimizer

    setup = _setup(name, samples, epochs)
    config, x, y = setup["config"], setup["x"], setup["y"]
    batch = config.resolved_batch_size
    keras.backend.clear_session()
    gc.collect()
    keras.utils.set_random_seed(0)
    model = fit_model(config.spec.build(config))
    model.compile(optimizer=make_optimizer(config, -(-samples // batch)), jit_compile=xla)
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # compile and warm up
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
    return samples * epochs / (time.perf_counter() - start)


def _tensorflow_threads() -> None:
    """The ``_FitProcess``'s start: TensorFlow's own thread settings, not the project's
    (``models.nets.threads``; it has not imported TensorFlow yet)."""
    from models.nets.threads import ENV

    os.environ[ENV] = "tf"


class _FitProcess:
    """A second process that runs ``fit`` with TensorFlow's default threads, as a Keras
    user's program would: this process's TensorFlow runs one thread per op
    (``models.nets.threads``), which suits the project's branched step and can slow
    ``fit``'s large products, so ``fit`` is timed there, and here as well."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(1, mp_context=context, initializer=_tensorflow_threads)

    def rate(self, name: str, samples: int, epochs: int, xla: bool) -> float:
        return float(self.pool.submit(fit_rate, name, samples, epochs, xla).result())

    def close(self) -> None:
        self.pool.shutdown()


def bench_kind(
    name: str,
    samples: int,
    epochs: int,
    rounds: int,
    progress: bool = False,
    fit_process: _FitProcess | None = None,
) -> Iterator[Measure]:
    """Keras ``fit`` (plain and ``jit_compile``) vs the project's loop on one kind, same
    network, loss, optimizer and batch size, in interleaved rounds (best of the rounds).

    ``fit`` runs in ``fit_process`` with TensorFlow's default threads (plain and XLA), and
    here with this process's threads where they differ (plain): the best of them is
    "the best-configured ``fit``". The loop trains in the kind's own precision on this
    device (mixed bfloat16 where the CPU multiplies it natively); ``fit`` gets the float32
    network, as Keras builds it unless told otherwise. Where the two differ the loop is
    also timed in float32, so the report shows what the loop gains by itself and what
    bfloat16 adds."""
    from models.nets.backend import keras_module, tf
    from models.nets.precision import training_policy
    from models.training import device
    from models.training.loop import train

    keras = keras_module()
    setup = _setup(name, samples, epochs)
    config, data = setup["config"], setup["data"]
    val = data.subset(slice(0, 250))
    policy = training_policy(config.spec, device.on_gpu())
    own_threads = tf.config.threading.get_intra_op_parallelism_threads() != 0

    def ours(report: bool, precision: str = "auto") -> float:
        stamps: list[float] = []
        train(
            config.replace(precision=precision),
            data,
            val,
            on_batch=(lambda p: None) if report else None,
            snapshots=False,
            on_epoch=lambda r: stamps.append(time.perf_counter()),
        )
        # The first epoch includes compilation; time the others (validation included).
        return samples * epochs / (stamps[-1] - stamps[0])

    def fit(xla: bool) -> float:
        if fit_process is None:
            return fit_rate(name, samples, epochs, xla)
        return fit_process.rate(name, samples, epochs, xla)

    runs: dict[str, Callable[[], float]] = {
        "fit": lambda: fit(False),
        "fit_xla": lambda: fit(True),
        "ours": lambda: ours(False),
    }
    if fit_process is not None and own_threads:
        runs["fit_here"] = lambda: fit_rate(name, samples, epochs, False)
    if policy != "float32":
        runs["ours_float32"] = lambda: ours(False, "float32")
    if progress:
        runs["progress"] = lambda: ours(True)
    results: dict[str, list[float]] = {key: [] for key in runs}
    names = list(runs)
    for i in range(rounds):
        # Each round starts one place further along the list, so every variant runs first,
        # and after each of the others, as often as the rounds allow (a run can slow the
        # one after it, e.g. the memory an XLA compilation leaves), and each run starts
        # from a clean Keras state.
        for key in names[i % len(names) :] + names[: i % len(names)]:
            keras.backend.clear_session()
            gc.collect()
            results[key].append(runs[key]())
    # Best of the rounds: on a shared 2-core machine other work only ever slows a run down,
    # so the fastest run of each variant is the least disturbed measure of it.
    best = {key: float(np.max(values)) for key, values in results.items()}
    yield f"train_{name}_keras_fit_samples_per_s", best["fit"], "samples/s"
    yield f"train_{name}_keras_fit_xla_samples_per_s", best["fit_xla"], "samples/s"
    if "fit_here" in best:
        yield f"train_{name}_keras_fit_project_threads_samples_per_s", best["fit_here"], "samples/s"
    yield f"train_{name}_samples_per_s", best["ours"], "samples/s"
    top = max(best["fit"], best["fit_xla"], best.get("fit_here", 0.0))
    yield f"train_{name}_speedup_vs_best_fit", best["ours"] / top, "x"
    if "ours_float32" in best:
        yield f"train_{name}_float32_samples_per_s", best["ours_float32"], "samples/s"
        yield f"train_{name}_float32_speedup_vs_best_fit", best["ours_float32"] / top, "x"
    if progress:
        yield f"train_{name}_with_progress_samples_per_s", best["progress"], "samples/s"
        yield f"train_{name}_progress_overhead", 1.0 - best["progress"] / best["ours"], "fraction"


def bench_training(
    samples: int, epochs: int, rounds: int, kinds: Sequence[str] = tuple(TRAIN_KINDS)
) -> Iterator[Measure]:
    """Every kind's loop against its best-configured ``fit`` (see ``bench_kind``); conv
    kinds get a third of the samples (they train about 6x slower per sample)."""
    fit_process = _FitProcess()
    try:
        for name in kinds:
            conv = TRAIN_KINDS[name].get("arch") == "conv" or name == "autoencoder"
            n = max(1_000, samples // 3) if conv else samples
            yield from bench_kind(name, n, epochs, rounds, name == "vae", fit_process)
    finally:
        fit_process.close()


def run_all(
    quick: bool = False,
    extra: Sequence[Callable[[], Iterator[Measure]]] = (),
    kinds: Sequence[str] | None = None,
) -> Iterator[Measure]:
    """Every measure; ``quick`` shrinks sizes for tests. With ``kinds``, only the training
    of those kinds (``TRAIN_KINDS`` names) is measured."""
    if kinds is None:
        yield from bench_rasterize(2_000 if quick else 100_000)
        yield from bench_decode()
    if quick:
        yield from bench_training(1_000, 1, 1, kinds=kinds or ("vae",))
    else:
        yield from bench_training(10_000, 3, 3, kinds=kinds or tuple(TRAIN_KINDS))
    if kinds is None:
        for measure in extra:
            yield from measure()
