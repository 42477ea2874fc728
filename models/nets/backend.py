"""One place that imports Keras on TensorFlow, quietly, when a model is first needed.

TensorFlow takes about 5 s to import, so only the modules that build models import this
one; the GUI imports it from a background thread. TensorFlow 2.21 writes start-up notices
straight to file descriptor 2 (ignoring TF_CPP_MIN_LOG_LEVEL), which would bury the CLI's
one-line messages, so the import runs with that descriptor pointed at /dev/null.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    if os.environ.get("AE_EXPLORER_TF_LOGS") == "1":
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (e.g. some GUI launchers)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


with _stderr_silenced():
    import keras
    import tensorflow as tf

    from models.nets.threads import configure

    configure(tf)  # before the first op: thread counts cannot change once TensorFlow runs
    tf.constant(0.0)  # the second batch of notices comes with the first op


class _NoRetracingWarning(logging.Filter):
    """Drops TensorFlow's "N out of the last N calls ... triggered tf.function retracing".

    Each model traces its compiled functions once (``models.nets.functions``), and a new
    model's step is a new trace of the same Python code. TensorFlow counts traces by code,
    and the loop calls each run's ``tf.function`` step only once (then its concrete
    function), so after five runs in one window it warned of a retracing that is by
    design. The tests count the traces themselves (test_tracing)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


logging.getLogger("tensorflow").addFilter(_NoRetracingWarning())

__all__ = ["gpu_visible", "keras", "keras_module", "tf"]


def keras_module() -> ModuleType:
    """``keras`` (TensorFlow backend), imported quietly."""
    return keras


def gpu_visible() -> bool:
    """Whether TensorFlow sees a GPU, and so places training there (the engine's one GPU
    query: ``models.training.device.on_gpu`` and the compiled functions ask it)."""
    return bool(tf.config.list_physical_devices("GPU"))
