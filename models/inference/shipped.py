"""The models shipped with the app, in ``resources/weights/<kind>/``.

The NumPy parts (codec, validation points, preview pairs) load without TensorFlow, so the
window shows the shipped models at once.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from models.errors import WeightsError
from models.nets.codec import MLPCodec
from models.nets.config import TrainConfig
from models.nets.trained import CONFIG_FILE, POINTS_FILE, WEIGHTS_FILE, TrainedModel
from models.paths import resource_path


def shipped_dir(kind: str) -> Path:
    """Where the weights shipped with the app for ``kind`` live."""
    return resource_path("weights", kind)


def shipped_codec(kind: str) -> MLPCodec | None:
    """The shipped model as a NumPy codec, read from its ``model.weights.h5`` with h5py (no
    TensorFlow); None if the kind has no NumPy codec or nothing is shipped for it."""
    return read_codec(shipped_dir(kind))


def read_codec(directory: Path) -> MLPCodec | None:
    """The NumPy codec of the model saved in ``directory`` (its config and weights), or
    None if it has none or the folder holds no model. WeightsError for a broken one."""
    weights, config_path = directory / WEIGHTS_FILE, directory / CONFIG_FILE
    if not (weights.is_file() and config_path.is_file()):
        return None
    try:
        config = TrainConfig.from_dict(json.loads(config_path.read_text()))
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise WeightsError(f"{config_path}: not a valid model description ({exc})") from exc
    if not config.spec.numpy_codec:
        return None
    if config.image_size is None:
        raise WeightsError(f"{config_path}: the model description has no image size")
    classes = config.num_classes if config.spec.conditional else 0
    return MLPCodec.from_weights_file(weights, config.image_size, classes)


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
