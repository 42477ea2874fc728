"""Mixed precision for training: which Keras dtype policy builds a model, per kind and device.

A kind chooses (``KindSpec.gpu_precision`` / ``cpu_precision``), and ``--precision`` (the
config's ``precision``) overrides it. On a GPU the default is ``mixed_bfloat16``: half the
memory traffic and tensor cores, and unlike float16 it needs no loss scaling. On a CPU
"auto" means ``mixed_bfloat16`` where the CPU multiplies bfloat16 natively (AVX-512 BF16 or
AMX: oneDNN's bfloat16 matmuls ran at twice float32's rate on this project's machine) and
float32 elsewhere (emulated bfloat16 is slow). The variables stay float32, and the losses
are computed in float32: the bottleneck stays float32 and the output logits turn float32
before the sigmoid. XLA does not compile a bfloat16 model's step on a CPU (its CPU dots
ignore bfloat16: 0.25x), only the optimizer's update (``models.nets.functions.update_function``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.nets.kinds import KindSpec

POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")


def training_policy(spec: KindSpec, gpu: bool, asked: str = "auto") -> str:
    """The dtype policy ``spec`` trains with on this device (``asked``, unless "auto")."""
    if asked != "auto":
        return asked
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
