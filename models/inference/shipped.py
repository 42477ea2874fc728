"""The models shipped with the app, in ``resources/weights/<kind>/``.

The NumPy parts (codec, validation points, preview pairs) load without TensorFlow, so the
window shows the shipped models at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.errors import WeightsError
from models.nets.codec import MLPCodec
from models.nets.trained import CODEC_FILE, POINTS_FILE, TrainedModel
from models.paths import resource_path


def shipped_dir(kind: str) -> Path:
    """Where the weights shipped with the app for ``kind`` live."""
    return resource_path("weights", kind)


def shipped_codec(kind: str) -> MLPCodec | None:
    """The shipped VAE/CVAE as a NumPy codec (no TensorFlow), or None if absent."""
    path = shipped_dir(kind) / CODEC_FILE
    return MLPCodec.load_npz(str(path)) if path.is_file() else None


def shipped_points(kind: str) -> tuple[np.ndarray, np.ndarray | None] | None:
    """The shipped VAE/CVAE's validation digits as (z_mean, labels), NumPy only, or None."""
    path = shipped_dir(kind) / POINTS_FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            z, labels = f["z_mean"].astype(np.float32), f["labels"]
    except (OSError, KeyError, ValueError) as exc:
        raise WeightsError(f"{path}: not a latent points file ({exc})") from exc
    if z.ndim != 2 or (labels.size and labels.shape != (len(z),)):
        raise WeightsError(f"{path}: z_mean and labels do not match")
    return z, (labels.astype(np.int64) if labels.size else None)


def load_shipped(kind: str) -> TrainedModel:
    """The shipped model for ``kind`` with its Keras weights (imports TensorFlow)."""
    return TrainedModel.load(shipped_dir(kind))
