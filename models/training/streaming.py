"""Training data larger than memory: a ``tf.data`` stream from the on-disk raster cache.

The rasterized drawings lie on disk as rows of bytes (bit-packed 0/1 images, or ink levels
for anti-aliased or grey images), written chunk by chunk by
:func:`models.data.quickdraw.stream_rows` (through :func:`stream_cache`, one file, or
:func:`stream_files`, several categories as one labelled stream). A :class:`StreamSource`
memory-maps those rows (and their labels, one integer a row in a file beside them) and
feeds the loop through a ``tf.data`` pipeline:

    chunks of rows (and labels) in a seeded random order (read from the memory maps)
    -> unbatch -> shuffle (bounded buffer) -> batch -> unpack to float32 -> prefetch

so memory stays bounded whatever the data size: the float32 images of one batch and the
shuffle buffer of packed rows (``SHUFFLE_ROWS`` x 128 bytes at 32x32). A small validation
set (every k-th drawing, at most ``MAX_VAL``) is held out and kept in memory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.data.dataset import Dataset
from models.errors import DataSpecError

CHUNK_ROWS = 1024
"""Rows read together from the memory map (contiguous, so each read is one disk run)."""
SHUFFLE_ROWS = 16384
"""The shuffle buffer, in rows: 2 MB of packed 32x32 images."""
MAX_VAL = 10_000
"""At most this many held-out validation images (in memory as float32: 40 MB at 32x32)."""
STREAM_BYTES = 2 << 30
"""Stream automatically when the float32 images would take more than this (2 GiB)."""


@dataclass
class StreamSource:
    """Rows of encoded images (``(N, row_bytes)`` uint8, usually a memory map) to stream.

    ``steps == 1``: each row is a bit-packed 0/1 image; else a row holds ink levels
    ``0..steps`` (one byte a pixel). ``holdout``: every ``holdout``-th row (from row 0, at
    most ``held`` of them) is validation and never streamed for training. ``labels``: one
    integer a row (a memory map too, or None for unlabelled drawings), label i naming
    ``class_names[i]`` (None for digits), as in :class:`Dataset`.
    """

    rows: np.ndarray | RowParts
    image_shape: tuple[int, int]
    steps: int
    name: str
    holdout: int = 0
    held: int = 0
    labels: np.ndarray | None = None
    class_names: tuple[str, ...] | None = None
    num_classes: int = 10

    @property
    def source(self) -> str:
        return f"{self.name} (streamed from disk, {len(self):,} drawings)"

    @property
    def total_rows(self) -> int:
        return int(self.rows.shape[0])

    def __len__(self) -> int:
        return self.total_rows - self.held

    # -- validation ---------------------------------------------------------------------------
    def split(self, val_fraction: float, max_val: int = MAX_VAL) -> tuple[StreamSource, Dataset]:
        """(training stream, validation images in memory): every k-th row is held out."""
        n = self.total_rows
        want = max(1, min(max_val, round(n * val_fraction)))
        stride = max(2, n // want)
        held = len(range(0, n, stride)[:want])
        val_rows = np.array(self.rows[0 : stride * held : stride])
        _release(self.rows, 0, stride * held)
        labels = None
        if self.labels is not None:
            labels = np.array(self.labels[0 : stride * held : stride], dtype=np.int64)
        val = Dataset(
            decode_rows(val_rows, self.image_shape, self.steps),
            labels,
            self.name,
            self.name,
            num_classes=self.num_classes,
            class_names=self.class_names,
        )
        return dataclasses.replace(self, holdout=stride, held=held), val

    def _keep(self, start: int, stop: int) -> np.ndarray | None:
        """Which rows of ``start:stop`` are for training (None: all)."""
        if not self.held or start >= self.holdout * self.held:
            return None
        index = np.arange(start, stop)
        return ~((index % self.holdout == 0) & (index < self.holdout * self.held))

    # -- the pipeline ------------------------------------------------------------------------
    def dataset(self, batch: int, seed: int, first_pass: int = 0, classes: int = 0) -> Any:
        """An endless ``tf.data`` pipeline of float32 batches ``(batch, H*W)``, or with
        ``classes`` (a conditional model) pairs of those and one-hot labels ``(batch,
        classes)``.

        Pass ``p`` reads the chunks in the order of ``default_rng((seed, p))``; rows are
        mixed further by a bounded shuffle buffer within the pass, so each pass serves
        every training row once (batches run on across passes).
        """
        from models.nets.backend import tf

        starts = np.arange(0, self.total_rows, CHUNK_ROWS)
        row_bytes = int(self.rows.shape[1])
        labelled = classes > 0
        if labelled and self.labels is None:
            raise ValueError(f"{self.name}: the stream has no labels")

        def chunks(p: Any) -> Any:
            for s in np.random.default_rng((seed, int(p))).permutation(starts):
                stop = min(self.total_rows, int(s) + CHUNK_ROWS)
                rows = np.array(self.rows[int(s) : stop])
                _release(self.rows, int(s), stop)
                keep = self._keep(int(s), stop)
                rows = rows if keep is None else rows[keep]
                if not labelled:
                    yield rows
                    continue
                assert self.labels is not None
                labels = np.array(self.labels[int(s) : stop], dtype=np.int32)
                yield rows, (labels if keep is None else labels[keep])

        pixels = self.image_shape[0] * self.image_shape[1]
        steps = self.steps

        def unpack(packed: Any) -> Any:
            if steps == 1:
                shifts = tf.constant([7, 6, 5, 4, 3, 2, 1, 0], tf.uint8)
                bits = tf.bitwise.bitwise_and(
                    tf.bitwise.right_shift(packed[:, :, None], shifts), tf.constant(1, tf.uint8)
                )
                flat = tf.reshape(bits, (-1, row_bytes * 8))[:, :pixels]
                return tf.cast(flat, tf.float32)
            return tf.cast(packed, tf.float32) * (1.0 / steps)

        def unpack_labelled(packed: Any, labels: Any) -> Any:
            return unpack(packed), tf.one_hot(labels, classes, dtype=tf.float32)

        signature: Any = tf.TensorSpec((None, row_bytes), tf.uint8)
        if labelled:
            signature = (signature, tf.TensorSpec((None,), tf.int32))

        def one_pass(p: Any) -> Any:
            rows = tf.data.Dataset.from_generator(chunks, args=(p,), output_signature=signature)
            return rows.unbatch().shuffle(SHUFFLE_ROWS, seed=seed)

        return (
            tf.data.Dataset.range(first_pass, 1 << 40)
            .flat_map(one_pass)
            .batch(batch, drop_remainder=True)
            .map(unpack_labelled if labelled else unpack, num_parallel_calls=tf.data.AUTOTUNE)
            .prefetch(tf.data.AUTOTUNE)
        )

    def batches(self, batch: int, seed: int, classes: int = 0) -> StreamBatches:
        """The loop's batches; ``classes``: with one-hot labels for a conditional model."""
        return StreamBatches(self, batch, seed, classes)


class StreamBatches:
    """The loop's view of a stream: ``next()`` and a small resumable state.

    A resumed stream starts afresh at the pass where the run stopped (a new shuffle of the
    data, not the exact order the killed run would have seen).
    """

    def __init__(self, source: StreamSource, batch: int, seed: int, classes: int = 0) -> None:
        self.source, self.batch, self.seed, self.classes = source, batch, seed, classes
        self.served = 0
        self._iter: Any = None
        self._first_pass = 0

    def next(self) -> tuple[Any, Any, int]:
        if self._iter is None:
            self._iter = iter(
                self.source.dataset(self.batch, self.seed, self._first_pass, self.classes)
            )
        self.served += 1
        if self.classes:
            x, y = next(self._iter)
            return x, y, self.batch
        return next(self._iter), None, self.batch

    def state(self) -> tuple[dict[str, Any], int]:
        return {"stream_batches": self.served}, self.served * self.batch

    def restore(self, state: dict[str, Any], position: int) -> None:
        self.served = int(state.get("stream_batches", 0))
        self._first_pass = (self.served * self.batch) // max(1, len(self.source)) + 1
        self._iter = None


class RowParts:
    """Several row arrays (the caches of several files) read as one ``(N, row_bytes)``
    array, so a stream of several categories needs no combined copy on disk."""

    def __init__(self, parts: Sequence[np.ndarray]) -> None:
        self.parts = list(parts)
        self.bounds = [0, *np.cumsum([len(p) for p in self.parts]).tolist()]
        self.shape = (int(self.bounds[-1]), int(self.parts[0].shape[1]))
        self.dtype = np.dtype(np.uint8)

    @property
    def nbytes(self) -> int:
        return sum(int(p.nbytes) for p in self.parts)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: slice) -> np.ndarray:
        start, stop, step = index.indices(self.shape[0])
        out = []
        for part, lo, hi in zip(self.parts, self.bounds, self.bounds[1:], strict=False):
            first = start if start >= lo else lo + (start - lo) % step  # first index >= lo
            end = min(stop, hi)
            if first < end:
                out.append(np.asarray(part[first - lo : end - lo : step]))
        return np.concatenate(out) if out else np.empty((0, self.shape[1]), np.uint8)


def _release(rows: Any, start: int, stop: int) -> None:
    from models.data.quickdraw import release_rows

    release_rows(rows, start, stop)


def encode_images(images: np.ndarray) -> tuple[np.ndarray, int]:
    """(rows, steps) for float images in [0, 1]: bits when they are all 0/1, else bytes."""
    n = len(images)
    flat = images.reshape(n, -1)
    if np.all((flat == 0) | (flat == 1)):
        return np.packbits(flat.astype(np.uint8), axis=1), 1
    return np.rint(np.clip(flat, 0, 1) * 255).astype(np.uint8), 255


def decode_rows(rows: np.ndarray, shape: tuple[int, int], steps: int) -> np.ndarray:
    """Rows back to float32 images (N, H, W)."""
    n, pixels = len(rows), shape[0] * shape[1]
    flat = np.unpackbits(rows, axis=1)[:, :pixels] if steps == 1 else rows[:, :pixels]
    out = np.empty((n, pixels), np.float32)
    np.multiply(flat, np.float32(1.0 / steps), out=out)
    return out.reshape(n, *shape)


def from_dataset(data: Dataset) -> StreamSource:
    """A stream of in-memory images, labels kept (``--stream`` on MNIST or generated
    doodles, which are small; tests and benchmarks)."""
    rows, steps = encode_images(data.images)
    return StreamSource(
        rows,
        data.image_shape,
        steps,
        data.name,
        labels=data.labels,
        class_names=data.class_names,
        num_classes=data.num_classes,
    )


def stream_cache(path: str | Path, **options: Any) -> StreamSource:
    """A large Quick Draw file as a :class:`StreamSource` (one category: no labels, its name
    in ``class_names``), rasterized into the cache chunk by chunk first if needed
    (``options``: see :func:`models.data.quickdraw.stream_rows`)."""
    from models.data.quickdraw import npy_category_name, stream_rows

    got = stream_rows(path, **options)
    word = got.word or npy_category_name(Path(path))
    return StreamSource(
        got.rows, got.image_shape, got.steps, got.name, class_names=(word,), num_classes=1
    )


def stream_folder(folder: str | Path, name: str, **options: Any) -> StreamSource:
    """A big folder of pictures (``images:FOLDER``) as a :class:`StreamSource`, converted
    into the cache first if needed (``options``: see
    :func:`models.data.images.stream_images`); labelled when it has class folders."""
    from models.data.images import stream_images

    got = stream_images(folder, name=name, **options)
    names = got.layout.class_names
    return StreamSource(
        got.rows,
        (got.size, got.size),
        255,
        name,
        labels=got.labels,
        class_names=names,
        num_classes=len(names) if names else 10,
    )


def stream_files(
    files: Sequence[tuple[str | Path, str | None]],
    name: str,
    *,
    max_per_category: int | None = None,
    cache_dir: str | Path | None = None,
    **options: Any,
) -> StreamSource:
    """Several Quick Draw files ``(path, category or None)`` as one labelled stream.

    Each file is rasterized into its own cache in turn (bounded, resumable: see
    :func:`stream_cache`); the same category named twice is one label. The labels (one
    byte a drawing; two past 256 categories) are written beside the caches, a block at a
    time, and memory-mapped like the rows.
    """
    from models.data.quickdraw import cache_dir as default_cache

    names: dict[str, int] = {}
    parts: list[tuple[np.ndarray, int]] = []
    shapes = set()
    for path, category in files:
        one = stream_cache(path, cache_dir=cache_dir, **options)
        assert one.class_names is not None
        rows = one.rows if max_per_category is None else one.rows[:max_per_category]
        assert isinstance(rows, np.ndarray)
        parts.append((rows, names.setdefault(category or one.class_names[0], len(names))))
        shapes.add((one.image_shape, one.steps))
    if len(shapes) > 1:
        raise DataSpecError(
            f"data spec {name!r}: .npy bitmaps (grey levels) cannot share one stream with "
            ".bin/.ndjson drawings; train on them without --stream"
        )
    (shape, steps), class_names = shapes.pop(), tuple(names)
    dtype = np.dtype(np.uint8 if len(names) <= 256 else np.uint16)
    total = sum(len(rows) for rows, _ in parts)
    key = [(str(getattr(rows, "filename", "")), len(rows), label) for rows, label in parts]
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:20]
    root = Path(cache_dir) if cache_dir is not None else default_cache()
    path = root / "rasterized" / f"labels-{digest}.{dtype.name}"
    if not path.is_file() or path.stat().st_size != total * dtype.itemsize:
        from models.files import atomic_path

        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            for rows, label in parts:
                for start in range(0, len(rows), 1 << 20):
                    count = min(len(rows) - start, 1 << 20)
                    f.write(np.full(count, label, dtype).tobytes())
    labels = np.memmap(path, dtype=dtype, mode="r", shape=(total,))
    return StreamSource(
        RowParts([rows for rows, _ in parts]),
        shape,
        steps,
        name,
        labels=labels,
        class_names=class_names,
        num_classes=len(class_names),
    )
