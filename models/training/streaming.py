"""Training data larger than memory: a ``tf.data`` stream from the on-disk raster cache.

The rasterized drawings lie on disk as rows of bytes (bit-packed 0/1 images, or ink levels
for anti-aliased or grey images), written chunk by chunk by
:func:`models.data.quickdraw.stream_rows` (through :func:`stream_cache`). A
:class:`StreamSource` memory-maps those rows and feeds the loop through a ``tf.data`` pipeline:

    chunks of rows in a seeded random order (read from the memory map)
    -> unbatch -> shuffle (bounded buffer) -> batch -> unpack to float32 -> prefetch

so memory stays bounded whatever the data size: the float32 images of one batch and the
shuffle buffer of packed rows (``SHUFFLE_ROWS`` x 128 bytes at 32x32). A small validation
set (every k-th drawing, at most ``MAX_VAL``) is held out and kept in memory.
"""

from __future__ import annotations

import contextlib
import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.data.dataset import Dataset

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
    most ``held`` of them) is validation and never streamed for training.
    """

    rows: np.ndarray
    image_shape: tuple[int, int]
    steps: int
    name: str
    holdout: int = 0
    held: int = 0

    labels = None
    """Streams hold unlabelled drawings."""

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
        val = Dataset(
            decode_rows(val_rows, self.image_shape, self.steps), None, self.name, self.name
        )
        train = StreamSource(self.rows, self.image_shape, self.steps, self.name, stride, held)
        return train, val

    def _keep(self, start: int, stop: int) -> np.ndarray | None:
        """Which rows of ``start:stop`` are for training (None: all)."""
        if not self.held or start >= self.holdout * self.held:
            return None
        index = np.arange(start, stop)
        return ~((index % self.holdout == 0) & (index < self.holdout * self.held))

    # -- the pipeline ------------------------------------------------------------------------
    def dataset(self, batch: int, seed: int, first_pass: int = 0) -> Any:
        """An endless ``tf.data`` pipeline of float32 batches ``(batch, H*W)``.

        Pass ``p`` reads the chunks in the order of ``default_rng((seed, p))``; rows are
        mixed further by a bounded shuffle buffer within the pass, so each pass serves
        every training row once (batches run on across passes).
        """
        from models.nets.backend import tf

        starts = np.arange(0, self.total_rows, CHUNK_ROWS)
        row_bytes = int(self.rows.shape[1])

        def chunks(p: Any) -> Any:
            for s in np.random.default_rng((seed, int(p))).permutation(starts):
                stop = min(self.total_rows, int(s) + CHUNK_ROWS)
                rows = np.array(self.rows[int(s) : stop])
                _release(self.rows, int(s), stop)
                keep = self._keep(int(s), stop)
                yield rows if keep is None else rows[keep]

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

        def one_pass(p: Any) -> Any:
            rows = tf.data.Dataset.from_generator(
                chunks, args=(p,), output_signature=tf.TensorSpec((None, row_bytes), tf.uint8)
            )
            return rows.unbatch().shuffle(SHUFFLE_ROWS, seed=seed)

        return (
            tf.data.Dataset.range(first_pass, 1 << 40)
            .flat_map(one_pass)
            .batch(batch, drop_remainder=True)
            .map(unpack, num_parallel_calls=tf.data.AUTOTUNE)
            .prefetch(tf.data.AUTOTUNE)
        )

    def batches(self, batch: int, seed: int) -> StreamBatches:
        return StreamBatches(self, batch, seed)


class StreamBatches:
    """The loop's view of a stream: ``next()`` and a small resumable state.

    A resumed stream starts afresh at the pass where the run stopped (a new shuffle of the
    data, not the exact order the killed run would have seen).
    """

    def __init__(self, source: StreamSource, batch: int, seed: int) -> None:
        self.source, self.batch, self.seed = source, batch, seed
        self.served = 0
        self._iter: Any = None
        self._first_pass = 0

    def next(self) -> tuple[Any, None, int]:
        if self._iter is None:
            self._iter = iter(self.source.dataset(self.batch, self.seed, self._first_pass))
        self.served += 1
        return next(self._iter), None, self.batch

    def state(self) -> tuple[dict[str, Any], int]:
        return {"stream_batches": self.served}, self.served * self.batch

    def restore(self, state: dict[str, Any], position: int) -> None:
        self.served = int(state.get("stream_batches", 0))
        self._first_pass = (self.served * self.batch) // max(1, len(self.source)) + 1
        self._iter = None


def _release(rows: np.ndarray, start: int, stop: int) -> None:
    """Unmap rows ``start:stop`` of a memory map once copied (they stay in the page cache).

    Why: pages of a file mapping that were read count in the process's resident size
    until unmapped, so a pass over a 6-million-drawing cache would otherwise show 700 MB
    more resident memory, though the kernel could drop it at any time.
    """
    mm = getattr(rows, "_mmap", None)
    offset = int(getattr(rows, "offset", 0))
    if mm is None or offset or not hasattr(mm, "madvise"):
        return
    row_bytes = int(rows.shape[1])
    page = mmap.PAGESIZE
    first = (start * row_bytes) // page * page
    last = min(len(mm), -(-(stop * row_bytes) // page) * page)
    if last > first:
        with contextlib.suppress(OSError, ValueError):
            mm.madvise(mmap.MADV_DONTNEED, first, last - first)


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
    """A stream of in-memory images (``--stream`` on small data; tests and benchmarks)."""
    rows, steps = encode_images(data.images)
    return StreamSource(rows, data.image_shape, steps, data.name)


def stream_cache(path: str | Path, **options: Any) -> StreamSource:
    """A large Quick Draw file as a :class:`StreamSource`, rasterized into the cache chunk by
    chunk first if needed (``options``: see :func:`models.data.quickdraw.stream_rows`)."""
    from models.data.quickdraw import stream_rows

    return StreamSource(*stream_rows(path, **options))
