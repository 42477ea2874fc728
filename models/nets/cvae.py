"""The conditional VAE's labels: the one-hot digit is concatenated to the pixels and to z.

The network is :class:`models.nets.vae.VAE` with ``num_classes > 0`` (built by
``models.nets.vae.build_from_config`` when the kind's spec is ``conditional``). Decoding
takes any label vector, so a mixture such as 0.5 * "8" + 0.5 * "3" works.
"""

from __future__ import annotations

import numpy as np


def one_hot(labels: np.ndarray, num_classes: int = 10) -> np.ndarray:
    """Integer labels (N,) to float32 one-hot (N, num_classes)."""
    labels = np.asarray(labels, dtype=np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1}")
    return np.eye(num_classes, dtype=np.float32)[labels]
