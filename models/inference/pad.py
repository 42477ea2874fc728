"""What the models answer to a drawing on the sketch pad, in NumPy (no TensorFlow).

The window calls these on the GUI thread while the pen moves, so they run on the NumPy codec
of a VAE/CVAE (microseconds) or on codes the worker computed (the autoencoder):

- VAE: where the drawing lands (``z_mean``) and its spread, as 1σ and 2σ ellipses;
- CVAE: "Which digit is this?" (:func:`models.inference.classify.label_posterior`) and the
  drawing written as every digit in its own style (:func:`every_digit`);
- autoencoder: the validation sketches with the nearest codes (:func:`nearest_by_code`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.inference.classify import IW_SAMPLES, label_posterior
from models.nets.codec import MLPCodec


def encode_stats(
    codec: MLPCodec, images: np.ndarray, labels: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(z_mean, z_log_var), each (N, latent), of (N, H, W) images; ``labels`` (N,) ints or
    (N, classes) vectors for a CVAE."""
    x = np.asarray(images, np.float32).reshape(len(images), -1)
    if codec.conditional:
        if labels is None:
            raise ValueError("a conditional model needs labels to encode")
        lab = np.asarray(labels)
        y = np.eye(codec.num_classes, dtype=np.float32)[lab] if lab.ndim == 1 else lab
        x = np.concatenate([x, y.astype(np.float32)], axis=1)
    h = np.maximum(x @ codec.enc_w + codec.enc_b, 0.0)
    return h @ codec.mean_w + codec.mean_b, h @ codec.log_var_w + codec.log_var_b


def sigma_ellipse(
    z_mean: np.ndarray,
    z_log_var: np.ndarray,
    k: float = 1.0,
    dims: tuple[int, int] = (0, 1),
    points: int = 64,
) -> np.ndarray:
    """(2, points) outline of the k-σ ellipse of q(z | x) in the map's two dimensions.

    The encoder's Gaussian has a diagonal covariance, so the ellipse is axis-aligned with
    half-axes k·exp(z_log_var / 2).
    """
    mean = np.asarray(z_mean, np.float64).ravel()
    sd = np.exp(0.5 * np.asarray(z_log_var, np.float64).ravel())
    t = np.linspace(0.0, 2 * np.pi, points)
    i, j = dims
    return np.stack([mean[i] + k * sd[i] * np.cos(t), mean[j] + k * sd[j] * np.sin(t)])


@dataclass(frozen=True)
class EveryDigit:
    """The drawing read by a CVAE: p(label | drawing), the best label, the drawing's style z
    under it, and z decoded with each label (classes, H, W)."""

    posterior: np.ndarray
    best: int
    z: np.ndarray
    images: np.ndarray


def every_digit(codec: MLPCodec, image: np.ndarray, samples: int = IW_SAMPLES) -> EveryDigit:
    """The drawing written as every digit in its own style: its z_mean under the most likely
    label, decoded with each label."""
    if not codec.conditional:
        raise ValueError("only a conditional VAE writes a drawing as every digit")
    x = np.asarray(image, np.float32).reshape(1, *codec.image_shape)
    posterior = label_posterior(codec, x, samples)[0]
    best = int(np.argmax(posterior))
    z = encode_stats(codec, x, np.array([best]))[0][0]
    labels = np.eye(codec.num_classes, dtype=np.float32)
    images = codec.decode(np.tile(z, (codec.num_classes, 1)), labels)
    return EveryDigit(posterior, best, z, images)


def nearest_by_code(codes: np.ndarray, code: np.ndarray, k: int = 5) -> np.ndarray:
    """Indices of the ``k`` rows of ``codes`` closest to ``code`` (Euclidean), nearest first."""
    codes = np.asarray(codes, np.float64).reshape(len(codes), -1)
    d = np.sum((codes - np.asarray(code, np.float64).ravel()) ** 2, axis=1)
    k = min(k, len(d))
    if k <= 0:
        return np.zeros(0, np.int64)
    part = np.argpartition(d, k - 1)[:k]
    return part[np.argsort(d[part], kind="stable")].astype(np.int64)
