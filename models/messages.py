"""Plain-data messages a training run sends to whoever watches it (CLI bar or GUI worker).

They hold only floats, dicts and NumPy arrays, so they cross thread boundaries safely and
the GUI can draw them without touching TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from models.nets.codec import MLPCodec
    from models.nets.config import ModelKind


@dataclass(frozen=True)
class BatchProgress:
    """Sent every few batches. Losses are this epoch's running means so far."""

    epoch: int
    """0-based index of the current epoch."""
    epochs: int
    batch: int
    """Batches finished in this epoch (1-based count)."""
    batches: int
    """Batches per epoch."""
    samples_per_s: float
    seconds_left: float
    """Estimated time left for the whole run."""
    losses: dict[str, float]
    """Keys: "loss" (total) for every model; "reconstruction" and "kl" for the VAEs."""

    @property
    def run_fraction(self) -> float:
        return (self.epoch + self.batch / max(1, self.batches)) / max(1, self.epochs)


@dataclass(frozen=True)
class Snapshot:
    """What the views need after an epoch, as NumPy data.

    VAE/CVAE: ``codec`` decodes/encodes with NumPy in microseconds, so the latent map and the
    CVAE sliders work live on the GUI thread while TensorFlow trains in the worker.
    Autoencoder: ``originals``/``reconstructions`` of a fixed validation sample, computed in
    the worker (conv decoders are decoded there, not on the GUI thread).
    """

    kind: ModelKind
    codec: MLPCodec | None = None
    originals: np.ndarray | None = None
    reconstructions: np.ndarray | None = None
    val_z_mean: np.ndarray | None = None
    """Validation z_mean (N, latent) for the latent-map scatter (VAE/CVAE)."""
    val_labels: np.ndarray | None = None


@dataclass(frozen=True)
class EpochResult:
    """Sent after each epoch's validation pass."""

    epoch: int
    epochs: int
    train: dict[str, float]
    val: dict[str, float]
    snapshot: Snapshot | None = None
    extra: dict[str, float] = field(default_factory=dict)
    """E.g. learning rate or KL weight under the improved preset."""
