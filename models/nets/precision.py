"""Mixed precision for training: which Keras dtype policy builds a model, per kind and device.

A kind chooses (``KindSpec.gpu_precision`` / ``cpu_precision``). On a GPU the default is
``mixed_bfloat16``: half the memory traffic and tensor cores, and unlike float16 it needs no
loss scaling. On a CPU every kind keeps float32 for now; "auto" would mean ``mixed_bfloat16``
where the CPU multiplies bfloat16 natively (AVX-512 BF16 or AMX: oneDNN's matmuls then ran
the dense VAE about 1.5x float32 per step here, at the same -ELBO) and float32 elsewhere
(emulated bfloat16 is slow); it is not the default because a resumed bfloat16 run did not
match an uninterrupted one, and bfloat16 convolutions measured 0.8x float32 here. Either
way the models keep their bottleneck and output layers in float32, so the losses are
computed in float32. XLA is not used for bfloat16 models: its CPU dots measured 0.25x.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.nets.kinds import KindSpec

POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")


def training_policy(spec: KindSpec, gpu: bool) -> str:
    """The dtype policy ``spec`` trains with on this device."""
    chosen = spec.gpu_precision if gpu else spec.cpu_precision
    if chosen == "auto":
        return "mixed_bfloat16" if native_bfloat16() else "float32"
    return chosen


def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (Linux's CPU flags; False elsewhere)."""
    global _NATIVE
    if _NATIVE is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
                flags = next((line.split(":", 1)[1].split() for line in f
                              if line.startswith("flags")), [])  # fmt: skip
        except OSError:
            flags = []
        _NATIVE = bool({"avx512_bf16", "amx_bf16"} & set(flags))
    return _NATIVE


_NATIVE: bool | None = None


def is_mixed(model: Any) -> bool:
    """Whether a Keras model computes in a 16-bit type (it was built under a mixed policy)."""
    policy = getattr(model, "dtype_policy", None)
    return getattr(policy, "compute_dtype", "float32") in ("bfloat16", "float16")


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
