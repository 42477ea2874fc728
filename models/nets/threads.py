"""TensorFlow's threads on a small CPU: one thread per op, and a training step whose batch
splits into one branch per core.

On the 2-core development machine the conv networks' ops (4 to 64 channels, 32×32 and
smaller) are too small to split between threads: with one intra-op thread a step ran as
fast as with two. The second core is better spent on the other half of the batch: the step
computes each half's gradients in a branch of its own, TensorFlow's inter-op threads run
the two branches side by side, and their sum is the whole batch's gradient (up to
rounding). Per step, mixed bfloat16: conv autoencoder 15.2 → 10.3–11.3 ms, conv CVAE
15.0 → 12.7–13.3 ms, conv VAE 15.4–15.9 → 12.6–13.9 ms; the dense VAEs, whose large
products did gain from two threads, about break even (6.3–7.1 → 6.1–6.4 ms).

On more than ``SMALL_CPU`` cores TensorFlow keeps its own thread settings and a step is one
branch (not measured: no such machine here), as it is on a GPU.
``AE_EXPLORER_OP_THREADS`` overrides the choice: a number of intra-op threads, or ``tf``
for TensorFlow's default.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

SMALL_CPU = 4
"""The most cores on which ops run single-threaded and a step splits by core."""
ENV = "AE_EXPLORER_OP_THREADS"
"""``tf`` (TensorFlow's default), a number of intra-op threads, or unset (``auto``)."""


def cpu_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def op_threads(cores: int, setting: str) -> int:
    """The intra-op threads to ask TensorFlow for; 0 leaves its default. ``setting`` is
    the environment's value (``auto`` when unset); anything else unreadable counts as it."""
    setting = setting.strip().lower()
    if setting == "tf":
        return 0
    if setting.isdigit():
        return int(setting)
    return 1 if 1 < cores <= SMALL_CPU else 0


def configure(tf: Any) -> None:
    """Set TensorFlow's intra-op threads before its first op (``models.nets.backend``).

    Where TensorFlow already runs (a program used it before importing this engine), its
    threads stay as they are, and steps stay one branch (``step_branches``)."""
    threads = op_threads(cpu_cores(), os.environ.get(ENV, "auto"))
    if threads:
        with contextlib.suppress(RuntimeError):
            tf.config.threading.set_intra_op_parallelism_threads(threads)


def step_branches(tf: Any, on_gpu: bool) -> int:
    """Parts a training step splits its batch into: one per core where each op runs on
    one thread (``configure``) on a small CPU; else 1."""
    cores = cpu_cores()
    single = tf.config.threading.get_intra_op_parallelism_threads() == 1
    if on_gpu or not single or cores < 2:
        return 1
    return min(cores, SMALL_CPU)
