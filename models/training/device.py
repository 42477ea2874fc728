"""Which device trains: one line for the CLI's stderr and the window's Training panel.

TensorFlow picks a GPU by itself when one is visible (the ``gpu`` extra installs the CUDA
build); people should not have to guess whether it did.
"""

from __future__ import annotations

from typing import Any

from models.nets.threads import cpu_cores

__all__ = ["cpu_cores", "describe", "describe_device", "gpu_names", "on_gpu"]


def gpu_names(tf: Any = None) -> list[str]:
    """The names of the GPUs TensorFlow sees ("NVIDIA H100 80GB HBM3"), in device order."""
    if tf is None:
        from models.nets.backend import tf
    names = []
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            details = tf.config.experimental.get_device_details(gpu)
        except (RuntimeError, ValueError):
            details = {}
        names.append(str(details.get("device_name") or gpu.name))
    return names


def describe(gpus: list[str], cores: int) -> str:
    """The sentence for a device list: "training on GPU 0: <name>", "training on 2 GPUs:
    <name>, <name>", or "training on CPU (2 cores)"."""
    if len(gpus) == 1:
        return f"training on GPU 0: {gpus[0]}"
    if gpus:
        return f"training on {len(gpus)} GPUs: {', '.join(gpus)}"
    return f"training on CPU ({cores} core{'s' if cores != 1 else ''})"


def describe_device() -> str:
    """What ``train`` runs on, as its first line of stderr says it (imports TensorFlow)."""
    return describe(gpu_names(), cpu_cores())


def on_gpu() -> bool:
    """Whether TensorFlow will place training on a GPU (imports TensorFlow)."""
    from models.nets.backend import gpu_visible

    return gpu_visible()
