"""The conditional VAE: the one-hot digit is concatenated to the pixels and to z.

Decoding takes any label vector, so a mixture such as 0.5 * "8" + 0.5 * "3" works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from models.nets.vae import VAE

if TYPE_CHECKING:
    from models.nets.config import TrainConfig


def build_cvae(
    image_shape: tuple[int, int] = (28, 28),
    latent_dim: int = 2,
    hidden_units: int = 512,
    num_classes: int = 10,
    beta: float = 1.0,
    seed: int | None = None,
) -> VAE:
    """The classic CVAE, built (all weights created)."""
    model = VAE(image_shape, latent_dim, hidden_units, num_classes, beta, seed, name="cvae")
    model.build_all()
    return model


def one_hot(labels: np.ndarray, num_classes: int = 10) -> np.ndarray:
    """Integer labels (N,) to float32 one-hot (N, num_classes)."""
    labels = np.asarray(labels, dtype=np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1}")
    return np.eye(num_classes, dtype=np.float32)[labels]


def build_from_config(config: TrainConfig) -> VAE:
    """The registry's builder: the conditional VAE for ``config``."""
    assert config.image_size is not None
    return build_cvae(
        config.image_size,
        config.resolved_latent_dim,
        config.hidden_units,
        config.num_classes,
        config.beta,
        config.seed,
    )
