"""Mixed precision for training: which Keras dtype policy builds a model, per kind and device.

A kind chooses (``KindSpec.gpu_precision`` / ``cpu_precision``). On a GPU the default is
``mixed_bfloat16``: half the memory traffic and tensor cores, and unlike float16 it needs no
loss scaling. On this project's CPU (AVX-512 BF16, no AMX) bfloat16 measured slower than
float32 for the conv models, so CPUs keep float32. Either way the models keep their
bottleneck and output layers in float32, so the losses are computed in float32.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.nets.kinds import KindSpec

POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")


def training_policy(spec: KindSpec, gpu: bool) -> str:
    """The dtype policy ``spec`` trains with on this device."""
    return spec.gpu_precision if gpu else spec.cpu_precision


@contextlib.contextmanager
def dtype_policy(name: str) -> Iterator[None]:
    """Build models under Keras' global dtype policy ``name`` (restored afterwards)."""
    if name not in POLICIES:
        raise ValueError(f"unknown precision {name!r}; choose one of {POLICIES}")
    from models.nets.backend import keras

    before = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(before)
