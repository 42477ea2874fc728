"""Walks between two latent points, each frame drawn by the model's own decoder.

A cross-fade of the two end images would show two faint pictures on top of each other;
decoding the points along the path shows what the model believes lies between them.
Paths are linear or spherical (slerp, which keeps the norm of Gaussian latent points
typical on the way). Frames export as a PNG strip or an animated GIF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from PIL import Image

from models.files import save_png
from models.inference.figures import mosaic, to_pil

if TYPE_CHECKING:
    from models.nets.trained import TrainedModel

Method = Literal["linear", "slerp"]
METHODS: tuple[Method, ...] = ("linear", "slerp")
GIF_FRAME_MS = 120
"""Time each frame of an exported GIF is shown."""


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation between ``a`` and ``b`` at fractions ``t`` (shape (T,)).

    Rotates along the great circle of the angle between the two directions while the norm
    changes linearly from |a| to |b| (White 2016, "Sampling generative networks", keeps it
    implicit; this form also stays defined when the norms differ). Falls back to the straight
    line when a point is at the origin or the two are (anti-)parallel, where the plane of
    rotation is not defined.
    """
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    t = np.asarray(t, np.float64)[:, None]
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    linear = (1 - t) * a + t * b
    if na < 1e-12 or nb < 1e-12:
        return linear
    cos = float(np.clip(np.dot(a / na, b / nb), -1.0, 1.0))
    omega = float(np.arccos(cos))
    if np.sin(omega) < 1e-6:
        return linear
    ua, ub = a / na, b / nb
    direction = (np.sin((1 - t) * omega) * ua + np.sin(t * omega) * ub) / np.sin(omega)
    return direction * ((1 - t) * na + t * nb)


def latent_path(a: np.ndarray, b: np.ndarray, steps: int, method: Method = "linear") -> np.ndarray:
    """(steps, D) points from ``a`` to ``b``, both ends included."""
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError(f"the two ends have {a.size} and {b.size} coordinates")
    if steps < 2:
        raise ValueError(f"an interpolation needs at least 2 steps, not {steps}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use linear or slerp")
    t = np.linspace(0.0, 1.0, steps)
    if method == "slerp":
        return slerp(a, b, t).astype(np.float32)
    return ((1 - t)[:, None] * a + t[:, None] * b).astype(np.float32)


@dataclass(frozen=True)
class Interpolation:
    """The decoded frames (steps, H, W), their latent points and (CVAE) label vectors."""

    frames: np.ndarray
    points: np.ndarray
    labels: np.ndarray | None = None


def code_size(trained: TrainedModel) -> int:
    """Length of the model's latent point or bottleneck code."""
    h, w = trained.image_shape
    return int(
        np.asarray(
            trained.encode_mean(np.zeros((1, h, w), np.float32), _none_or_first(trained))
        ).shape[1]
    )


def _none_or_first(trained: TrainedModel) -> np.ndarray | None:
    return np.zeros(1, np.int64) if trained.config.spec.conditional else None


def decode_points(
    trained: TrainedModel, points: np.ndarray, labels: np.ndarray | None = None
) -> np.ndarray:
    """(N, H, W) images the model's decoder draws for (N, D) points (codes, for the autoencoder).

    ``labels``: (N, classes) label vectors for a CVAE (mixtures allowed), else None.
    """
    from models.nets.trained import _batched

    z = np.atleast_2d(np.asarray(points, np.float32))
    model = trained.model
    if trained.config.spec.conditional:
        if labels is None:
            raise ValueError("the conditional VAE needs a label to decode")
        y = np.asarray(labels, np.float32).reshape(len(z), -1)
        out = _batched(lambda a, c: model.decode(a, c), [z, y])
    else:
        out = _batched(lambda a: model.decode(a), [z])
    return np.asarray(out, np.float32).reshape(-1, *trained.image_shape)


def interpolate(
    trained: TrainedModel,
    a: np.ndarray,
    b: np.ndarray,
    steps: int = 10,
    method: Method = "linear",
    label: np.ndarray | None = None,
    label_to: np.ndarray | None = None,
) -> Interpolation:
    """Decode ``steps`` points from ``a`` to ``b``.

    A CVAE decodes every frame with ``label`` (a label vector, mixtures allowed), or, given
    ``label_to`` too, with the label moving linearly from ``label`` to ``label_to`` (one
    digit turning into another, as the two ends were encoded).
    """
    points = latent_path(a, b, steps, method)
    labels = None
    if trained.config.spec.conditional:
        if label is None:
            raise ValueError("the conditional VAE needs a label (e.g. --label 3)")
        start = np.asarray(label, np.float32).ravel()
        end = start if label_to is None else np.asarray(label_to, np.float32).ravel()
        t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
        labels = (1 - t) * start + t * end
    elif label is not None:
        raise ValueError("--label is for the conditional VAE only")
    return Interpolation(decode_points(trained, points, labels), points, labels)


# --------------------------------------------------------------------------- export


def strip_image(frames: np.ndarray, scale: int = 3) -> Image.Image:
    """The frames left to right in one row, ink dark on white."""
    return to_pil(mosaic(np.asarray(frames), 1, len(frames), gap=2), scale=scale)


def gif_frames(frames: np.ndarray, bounce: bool = False, scale: int = 4) -> list[Image.Image]:
    """One picture per step, in order; ``bounce`` adds the way back (ends not repeated)."""
    order = list(range(len(frames)))
    if bounce:
        order += order[-2:0:-1]
    return [to_pil(frames[i], scale=scale) for i in order]


def save_gif(images: Sequence[Image.Image], path: str | Path, frame_ms: int = GIF_FRAME_MS) -> Path:
    """An endlessly looping animated GIF of ``images`` (written atomically).

    Pillow merges a frame identical to the one before it into a longer one.
    """
    from models.files import atomic_path

    path = Path(path)
    first, *rest = images
    with atomic_path(path) as tmp:
        first.save(tmp, format="GIF", save_all=True, append_images=rest, duration=frame_ms, loop=0)
    return path


def export(frames: np.ndarray, path: str | Path, bounce: bool = False) -> Path:
    """Write a ``.png`` strip or an animated ``.gif``, chosen by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".gif":
        return save_gif(gif_frames(frames, bounce), path)
    if suffix == ".png":
        images = np.asarray(frames)
        if bounce:
            images = images[[*range(len(images)), *range(len(images) - 2, 0, -1)]]
        return save_png(strip_image(images), path)
    raise ValueError(f"{path}: write a .png strip or a .gif animation")
