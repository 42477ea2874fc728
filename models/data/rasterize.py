"""Strokes to bitmaps, fast: by default the classic recipe (0..255 / 8 → 32×32, 2-pixel lines);
Quick Draw files are drawn with ``quickdraw.quickdraw_rendering``'s options (the look of
Google's numpy bitmaps: an offset, each drawing centred, 1.47-pixel lines at 4×).

Convention (as everywhere in the project): float32 images (N, size, size), ink 1.0 on a 0.0
background, row = y (down), column = x (right).

Why it is fast and still PIL's picture: PIL's ``ImageDraw.line`` truncates every
coordinate to an integer and draws each segment of a polyline on its own, so the pixels a
segment covers depend (almost, see below) only on its integer start point and its (dx, dy).
Each distinct (dx, dy) is drawn once with PIL and remembered as a list of pixel offsets (a
few thousand shapes cover every segment a 32×32 picture can hold); then NumPy stamps the
shapes of all segments of thousands of drawings at once. ``rasterize_pil_reference`` is the
plain per-drawing PIL loop, kept for the benchmark and for the tests that compare the two.

Differences from the PIL loop, both deliberate or inherent:

- A stroke of a single point is drawn as a dot here; PIL's ``line`` draws nothing for it.
  The official simplified data never has such strokes (a tap is stored as two equal
  points).
- PIL fills a wide line as a polygon in single-precision floats, and the rounding of an
  edge crossing depends on the absolute x position, so the same segment drawn at another
  place can gain or lose one edge pixel. The stamps here are position-independent. On the
  8,600 real drawings in the shared samples the classic 32×32 output is identical pixel for
  pixel; on random segments about 2 in 10,000 differ by one edge pixel.

``antialias=True`` draws at 4× the resolution (4× the line width) and averages 4×4 blocks,
so edge pixels get partial ink in steps of 1/16; ``binarize=True`` draws the same and keeps
the pixels at least half inked (a 0/1 picture with the anti-aliased one's geometry).
"""

from __future__ import annotations

import atexit
import math
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from models.data.formats import Drawing, StrokeTable

SUPERSAMPLE = 4
"""Resolution factor of the anti-aliased rendering."""
CHUNK = 2048
"""Drawings rasterized together: big enough for NumPy to pay off, small enough for the cache."""

POOL_MIN = 20_000
"""Fewer drawings than this are drawn in-process: starting worker processes (about half a
second) would cost more than it saves."""
POOL_CHUNK = 8 * CHUNK
"""Drawings one worker process draws per task."""

Progress = Callable[[int, int], None]
ChunkSink = Callable[[int, np.ndarray, int], None]
"""``on_chunk(start, levels, steps)``: the levels of drawings ``start`` on, as they land."""


def rasterize(
    drawings: Sequence[Drawing],
    size: int = 32,
    scale: float = 1 / 8,
    line_width: float = 2,
    antialias: bool = False,
    *,
    offset: float = 0.0,
    center: float | None = None,
    binarize: bool = False,
) -> np.ndarray:
    """Float32 (N, size, size) bitmaps of the drawings, ink 1.0 on 0.0.

    Coordinates are multiplied by ``scale`` (1/8 maps 0..255 onto 0..31) and lines are
    ``line_width`` pixels wide, as PIL draws them (see ``rasterize_levels`` for the rest).
    """
    levels, steps = rasterize_levels(
        StrokeTable.from_drawings(drawings),
        size=size,
        scale=scale,
        line_width=line_width,
        antialias=antialias,
        offset=offset,
        center=center,
        binarize=binarize,
    )
    return levels_to_float(levels, steps)


def levels_to_float(levels: np.ndarray, steps: int, out: np.ndarray | None = None) -> np.ndarray:
    """uint8 ink levels (0..steps) to float32 in [0, 1] (into ``out`` if given); exact, as
    ``steps`` is a power of 2."""
    images = float_images(levels.shape) if out is None else out
    np.multiply(levels, np.float32(1.0 / steps), out=images)
    return images


HUGE_PAGE_BYTES = 1 << 22
"""The size from which NumPy asks for huge pages (4 MiB)."""
_HUGE_PAGE_LOCK = threading.Lock()


def float_images(shape: tuple[int, ...]) -> np.ndarray:
    """An uninitialised float32 array in plain pages. NumPy asks the kernel for transparent
    huge pages for every array of ``HUGE_PAGE_BYTES`` or more; where the kernel must first
    compact memory to find them (Linux's usual ``defrag=madvise``), writing 400 MB of fresh
    images stalled for 0.6-0.9 s instead of 0.2 s, about a third of loading a
    100,000-drawing file. NumPy's switch is process-wide: it is turned off only for such an
    array, and under a lock, so two loads at once cannot leave it off."""
    module = getattr(np, "_core", None) or np.core  # NumPy 2, or 1.x
    switch = getattr(module.multiarray, "_set_madvise_hugepage", None)
    if switch is None or 4 * math.prod(shape) < HUGE_PAGE_BYTES:
        return np.empty(shape, dtype=np.float32)
    with _HUGE_PAGE_LOCK:
        previous = switch(False)
        try:
            return np.empty(shape, dtype=np.float32)
        finally:
            switch(previous)


def rasterize_levels(
    table: StrokeTable,
    *,
    size: int = 32,
    scale: float = 1 / 8,
    line_width: float = 2,
    antialias: bool = False,
    offset: float = 0.0,
    center: float | None = None,
    binarize: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    on_chunk: ChunkSink | None = None,
) -> tuple[np.ndarray, int]:
    """uint8 (N, size, size) ink levels and their maximum: 1, or 16 when anti-aliased;
    ``progress(done, total)`` per chunk of drawings, and ``on_chunk(start, levels, steps)``
    with each chunk's levels as it lands (e.g. to turn them into images while the worker
    processes draw the rest, instead of after).

    A point (x, y) lands at pixel ``(x + shift) * scale + offset``, where ``shift`` is 0, or
    with ``center`` (in stroke units) what moves the drawing's bounding box to be centred
    on ``center`` (Google's numpy bitmaps centre each drawing so). ``line_width`` is in
    output pixels; anti-aliased lines are ``round(line_width * 4)`` pixels wide at 4×.
    ``binarize`` draws anti-aliased and keeps the pixels at least half inked (0/1, steps 1).

    A quarter of the memory of float32 images: what the cache stores (``levels_to_float``
    gives the images). ``workers``: processes drawing chunks side by side (None: every core
    for ``POOL_MIN`` drawings or more, else this process alone; 1: this process alone).
    """
    options: dict[str, Any] = {
        "size": size, "scale": scale, "line_width": line_width, "antialias": antialias,
        "offset": offset, "center": center, "binarize": binarize,
    }  # fmt: skip
    if workers is None:
        workers = _cores() if table.n_drawings >= POOL_MIN else 1
    if workers > 1 and table.n_drawings > POOL_CHUNK:
        _rasterize_here(table.slice(0, 0), **options)  # bad options: the error, before a pool
        try:
            return _rasterize_in_pool(table, workers, options, progress, on_chunk)
        except (BrokenProcessPool, RuntimeError):
            # Workers could not start: e.g. a script without ``if __name__ == "__main__":``
            # (spawn runs it again in each worker). Draw here instead, as before the pool.
            close_pool()
    return _rasterize_here(table, progress=progress, on_chunk=on_chunk, **options)


def _rasterize_here(
    table: StrokeTable,
    *,
    size: int,
    scale: float,
    line_width: float,
    antialias: bool,
    offset: float,
    center: float | None,
    binarize: bool,
    progress: Progress | None = None,
    on_chunk: ChunkSink | None = None,
) -> tuple[np.ndarray, int]:
    """``rasterize_levels`` in this process, chunk after chunk."""
    size = int(size)
    factor = SUPERSAMPLE if antialias or binarize else 1
    numbers = (scale, line_width, offset, 0.0 if center is None else center)
    finite = all(np.isfinite(v) for v in numbers)
    width = max(1, round(line_width * factor)) if finite else 0
    if size < 1 or not finite or scale <= 0 or line_width <= 0:
        raise ValueError(
            f"bad rasterization options: size={size}, scale={scale}, width={line_width}, "
            f"offset={offset}, center={center}"
        )
    n = table.n_drawings
    out = np.empty((n, size, size), dtype=np.uint8)
    steps = 1 if binarize else factor * factor  # the levels' maximum
    stroke_cum = np.concatenate(([0], np.cumsum(table.strokes_per_drawing)))
    point_cum = np.concatenate(([0], np.cumsum(table.stroke_lengths)))
    book = _shape_book(width)
    for d0 in range(0, n, CHUNK):
        d1 = min(n, d0 + CHUNK)
        s0, s1 = int(stroke_cum[d0]), int(stroke_cum[d1])
        p0, p1 = int(point_cum[s0]), int(point_cum[s1])
        lengths, per_drawing = table.stroke_lengths[s0:s1], table.strokes_per_drawing[d0:d1]
        xi, yi = _pixels(table.x[p0:p1], table.y[p0:p1], lengths, per_drawing,
                         scale * factor, offset * factor, center)  # fmt: skip
        canvas = _draw(xi, yi, lengths, per_drawing, size * factor, book)
        if factor == 1:
            out[d0:d1] = canvas
        else:
            _block_sums(canvas, factor, out[d0:d1])
            if binarize:
                np.greater_equal(out[d0:d1], factor * factor // 2, out=out[d0:d1])
        if on_chunk is not None:
            on_chunk(d0, out[d0:d1], steps)
        if progress is not None:
            progress(d1, n)
    return out, steps


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


_POOL: list[ProcessPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool of spawned workers for the whole process (spawn: safe beside TensorFlow's
    and Qt's threads, where fork is not), started on first use, shut down at exit."""
    with _POOL_LOCK:
        if _POOL and _POOL[0]._max_workers != workers:  # type: ignore[attr-defined]
            _POOL.pop().shutdown(wait=False)
        if not _POOL:
            context = multiprocessing.get_context("spawn")
            _POOL.append(ProcessPoolExecutor(workers, mp_context=context))
        return _POOL[0]


def _ready() -> None:
    """A worker's first task: nothing, once it has started (and imported this module)."""


def start_pool_early(drawings: int) -> None:
    """Start the worker processes now, for a file of about ``drawings`` drawings that
    ``rasterize_levels`` will draw in the pool: they spawn and import (about half a second)
    while this process reads and parses the file, instead of after. Returns at once."""
    workers = _cores()
    if drawings < POOL_MIN or workers < 2:
        return
    try:
        pool = _pool(workers)
        for _ in range(workers):
            pool.submit(_ready)
    except (BrokenProcessPool, RuntimeError, OSError):
        pass  # the pool is tried again, and falls back to this process, when it draws


@atexit.register
def close_pool() -> None:
    """Stop the worker processes (they are kept between calls: a streamed file is drawn
    16 MB at a time, and spawning workers for each part would cost half a second)."""
    with _POOL_LOCK:
        while _POOL:
            pool = _POOL.pop()
            pool.shutdown(wait=not getattr(pool, "_broken", False), cancel_futures=True)


def _chunk_task(
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], options: dict[str, Any]
) -> tuple[np.ndarray, int]:
    """A worker's task: one chunk's levels (a module-level function, so spawn can find it)."""
    return _rasterize_here(StrokeTable(*arrays), **options)


def _rasterize_in_pool(
    table: StrokeTable,
    workers: int,
    options: dict[str, Any],
    progress: Progress | None,
    on_chunk: ChunkSink | None = None,
) -> tuple[np.ndarray, int]:
    """Chunks of ``POOL_CHUNK`` drawings in worker processes, at most two per worker in
    flight (memory stays bounded); each lands in the result, and ``on_chunk`` and
    ``progress`` are told, as it arrives, in whatever order the workers finish."""
    n, size = table.n_drawings, int(options["size"])
    out = np.empty((n, size, size), dtype=np.uint8)
    starts = iter(range(0, n, POOL_CHUNK))
    pool = _pool(workers)
    running: dict[Future[tuple[np.ndarray, int]], int] = {}
    done, steps = 0, 1

    def submit() -> None:
        start = next(starts, None)
        if start is not None:
            part = table.slice(start, min(n, start + POOL_CHUNK))
            arrays = (part.x, part.y, part.stroke_lengths, part.strokes_per_drawing)
            running[pool.submit(_chunk_task, arrays, options)] = start

    for _ in range(2 * workers):
        submit()
    while running:
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            start = running.pop(future)
            levels, steps = future.result()
            out[start : start + len(levels)] = levels
            if on_chunk is not None:
                on_chunk(start, levels, steps)
            done += len(levels)
            if progress is not None:
                progress(done, n)
            submit()
    return out, steps


def _block_sums(canvas: np.ndarray, factor: int, out: np.ndarray) -> None:
    """Ink per factor×factor block: strided adds (``reshape(...).sum(axis=(2, 4))`` takes
    several times longer, and it was most of the anti-aliased rendering's time)."""
    rows = canvas[:, 0::factor].copy()
    for k in range(1, factor):
        rows += canvas[:, k::factor]
    np.copyto(out, rows[:, :, 0::factor])
    for k in range(1, factor):
        out += rows[:, :, k::factor]


def _pixels(
    x: np.ndarray,
    y: np.ndarray,
    lengths: np.ndarray,
    per_drawing: np.ndarray,
    scale: float,
    offset: float,
    center: float | None,
) -> tuple[np.ndarray, np.ndarray]:
    """int64 pixel coordinates of every point (see ``rasterize_levels``)."""
    if center is None:
        if offset == 0:
            return _pixel(x, scale), _pixel(y, scale)
        return _pixel(x, scale, offset), _pixel(y, scale, offset)
    owner = np.repeat(np.arange(per_drawing.size), per_drawing)
    points = np.bincount(owner, weights=lengths, minlength=per_drawing.size).astype(np.int64)
    shifts = [np.repeat(_centring(v, points, center), points) for v in (x, y)]
    return _pixel(x, scale, offset, shifts[0]), _pixel(y, scale, offset, shifts[1])


def _centring(v: np.ndarray, points: np.ndarray, center: float) -> np.ndarray:
    """Per drawing: what moves the middle of its extent in ``v`` to ``center``."""
    shift = np.zeros(points.size, dtype=np.float64)
    has = points > 0
    if v.size and has.any():
        starts = (np.cumsum(points) - points)[has]
        low = np.minimum.reduceat(v, starts).astype(np.float64)
        high = np.maximum.reduceat(v, starts).astype(np.float64)
        shift[has] = center - (low + high) / 2
    return shift


def _draw(
    xi: np.ndarray,
    yi: np.ndarray,
    lengths: np.ndarray,
    per_drawing: np.ndarray,
    size: int,
    book: _ShapeBook,
) -> np.ndarray:
    """uint8 (n, size, size) 0/1 canvases for one chunk of drawings (points in pixels)."""
    n = int(per_drawing.shape[0])
    pad = book.width + 1
    side = size + 2 * pad
    canvas = np.zeros(n * side * side, dtype=np.uint8)
    if xi.size:
        ends = np.cumsum(lengths) - 1
        single = np.zeros(xi.size, dtype=bool)
        single[ends[lengths == 1]] = True
        starts = np.ones(xi.size, dtype=bool)
        starts[ends[lengths > 1]] = False  # a stroke's last point starts no segment...
        s = np.flatnonzero(starts)
        e = s + ~single[s]  # ...unless it is its only point: then a dot
        owner = np.repeat(np.repeat(np.arange(n, dtype=np.int64), per_drawing), lengths)[s]
        x0, y0, x1, y1 = xi[s], yi[s], xi[e], yi[e]
        dx, dy = x1 - x0, y1 - y0
        slow: np.ndarray | None = None
        long = np.maximum(np.abs(dx), np.abs(dy)) > 2 * size
        if long.any():  # only with a large scale: PIL draws these drawings (keeps the book small)
            slow = np.unique(owner[long])
            fast = ~np.isin(owner, slow)
            owner, x0, y0, x1, y1, dx, dy = (a[fast] for a in (owner, x0, y0, x1, y1, dx, dy))
        inside = (
            (x0 >= 0) & (x0 < size) & (y0 >= 0) & (y0 < size)
            & (x1 >= 0) & (x1 < size) & (y1 >= 0) & (y1 < size)
        )  # fmt: skip
        shapes = book.lookup(dx, dy)
        base = owner * (side * side) + (y0 + pad) * side + (x0 + pad)
        if inside.all():
            _stamp(canvas, base, shapes, side)
        else:  # segments near the border: stamp pixel by pixel and drop what falls outside
            _stamp(canvas, base[inside], shapes.subset(inside), side)
            out = ~inside
            xs, ys, who = _stamp_xy(x0[out], y0[out], owner[out], shapes.subset(out))
            keep = (xs >= 0) & (xs < size) & (ys >= 0) & (ys < size)
            canvas[who[keep] * (side * side) + (ys[keep] + pad) * side + xs[keep] + pad] = 1
        if slow is not None:
            _draw_with_pil(canvas.reshape(n, side, side), slow, xi, yi, lengths, per_drawing,
                           pad, book.width)  # fmt: skip
    return canvas.reshape(n, side, side)[:, pad : pad + size, pad : pad + size]


def _pixel(
    v: np.ndarray, scale: float, offset: float = 0.0, shift: np.ndarray | None = None
) -> np.ndarray:
    """``(v + shift) * scale + offset`` truncated toward zero, as PIL's C code casts to int
    (computed in this order in float64, as ``rasterize_pil_reference`` does)."""
    if v.dtype == np.uint8 and scale == 1 / 8 and offset == 0 and shift is None:
        return (v >> 3).astype(np.int64)  # the classic recipe, without float work
    f = v.astype(np.float64)
    if shift is not None:
        f += shift
    f *= scale
    if offset:
        f += offset
    if not np.all(np.isfinite(f)):
        raise ValueError("stroke coordinates must be finite numbers")
    return np.trunc(np.clip(f, -(2.0**24), 2.0**24)).astype(np.int64)


def _draw_with_pil(
    canvas: np.ndarray,
    which: np.ndarray,
    xi: np.ndarray,
    yi: np.ndarray,
    lengths: np.ndarray,
    per_drawing: np.ndarray,
    pad: int,
    width: int,
) -> None:
    """Draw the drawings ``which`` stroke by stroke with PIL into their padded canvases."""
    side = canvas.shape[1]
    stroke_cum = np.concatenate(([0], np.cumsum(per_drawing)))
    point_cum = np.concatenate(([0], np.cumsum(lengths)))
    for d in which.tolist():
        image = Image.new("L", (side, side), 0)
        draw = ImageDraw.Draw(image)
        for k in range(int(stroke_cum[d]), int(stroke_cum[d + 1])):
            p0, p1 = int(point_cum[k]), int(point_cum[k + 1])
            pts = list(zip((xi[p0:p1] + pad).tolist(), (yi[p0:p1] + pad).tolist(), strict=True))
            draw.line(pts * 2 if len(pts) == 1 else pts, fill=1, width=width)
        canvas[d] |= np.asarray(image)


# --------------------------------------------------------------------------- shape book


class _Shapes:
    """For each segment: where its pixel offsets start in the pools, and how many."""

    def __init__(self, start: np.ndarray, count: np.ndarray, ox: np.ndarray, oy: np.ndarray):
        self.start, self.count, self.ox, self.oy = start, count, ox, oy

    def subset(self, mask: np.ndarray) -> _Shapes:
        return _Shapes(self.start[mask], self.count[mask], self.ox, self.oy)


def _expand(shapes: _Shapes) -> tuple[np.ndarray, np.ndarray]:
    """(segment of each stamped pixel, its index in the pools)."""
    count = shapes.count
    total = int(count.sum())
    first = np.cumsum(count) - count
    seg = np.repeat(np.arange(count.size, dtype=np.int64), count)
    pool = np.arange(total, dtype=np.int64) + (shapes.start - first)[seg]
    return seg, pool


def _stamp(canvas: np.ndarray, base: np.ndarray, shapes: _Shapes, side: int) -> None:
    """Ink every pixel of every segment (all well inside the padded flat canvas).

    Segments are grouped by their shape's pixel count so that each group is one 2-D
    broadcast (segments × pixels) instead of a long ``np.repeat``.
    """
    count = shapes.count
    if count.size == 0:
        return
    flat = (shapes.oy * side + shapes.ox).astype(np.intp)
    order = np.argsort(count.astype(np.uint16), kind="stable")  # radix sort: fast
    ordered = count[order]
    edges = np.concatenate(([0], np.flatnonzero(np.diff(ordered)) + 1, [ordered.size]))
    steps = np.arange(int(ordered[-1]) + 1, dtype=np.intp)
    for g0, g1 in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        c = int(ordered[g0])
        if c == 0:
            continue
        sel = order[g0:g1]
        pixels = flat[shapes.start[sel][:, None] + steps[:c]]
        pixels += base[sel][:, None]
        canvas[pixels] = 1


def _stamp_xy(
    x0: np.ndarray, y0: np.ndarray, owner: np.ndarray, shapes: _Shapes
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seg, pool = _expand(shapes)
    return x0[seg] + shapes.ox[pool], y0[seg] + shapes.oy[pool], owner[seg]


class _ShapeBook:
    """The pixels PIL's ``line(width=w)`` covers for a segment from (0, 0) to (dx, dy).

    Filled lazily, one PIL call per new (dx, dy), and shared by all threads.
    """

    def __init__(self, width: int) -> None:
        self.width = width
        self._lock = threading.Lock()
        self._shapes: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._radius = -1
        self._start = np.zeros(0, np.int64)
        self._count = np.zeros(0, np.int64)
        self._ox = np.zeros(0, np.int64)
        self._oy = np.zeros(0, np.int64)

    def lookup(self, dx: np.ndarray, dy: np.ndarray) -> _Shapes:
        radius = int(max(np.abs(dx).max(initial=0), np.abs(dy).max(initial=0)))
        with self._lock:
            if radius > self._radius:
                self._index(max(radius, 2 * self._radius, 8))
            r = self._radius
            key = (dx + r) * (2 * r + 1) + (dy + r)
            wanted = np.zeros(self._count.size, dtype=bool)
            wanted[key] = True
            missing = np.flatnonzero(wanted & (self._count < 0))
            if missing.size:
                for k in missing.tolist():
                    ddx, ddy = divmod(k, 2 * r + 1)
                    self._shapes[(ddx - r, ddy - r)] = _pil_shape(ddx - r, ddy - r, self.width)
                self._index(r)
            start, count, ox, oy = self._start, self._count, self._ox, self._oy
        return _Shapes(start[key], count[key], ox, oy)

    def _index(self, radius: int) -> None:
        """Rebuild the dense (dx, dy) → pool tables (new arrays: lookups in flight keep theirs)."""
        side = 2 * radius + 1
        start = np.zeros(side * side, np.int64)
        count = np.full(side * side, -1, np.int64)
        ox, oy, at = [], [], 0
        for (dx, dy), (sx, sy) in self._shapes.items():
            if max(abs(dx), abs(dy)) > radius:
                continue
            k = (dx + radius) * side + (dy + radius)
            start[k], count[k] = at, sx.size
            ox.append(sx)
            oy.append(sy)
            at += sx.size
        self._radius, self._start, self._count = radius, start, count
        self._ox = np.concatenate(ox) if ox else np.zeros(0, np.int64)
        self._oy = np.concatenate(oy) if oy else np.zeros(0, np.int64)


_BOOKS: dict[int, _ShapeBook] = {}
_BOOKS_LOCK = threading.Lock()


def _shape_book(width: int) -> _ShapeBook:
    with _BOOKS_LOCK:
        if width not in _BOOKS:
            _BOOKS[width] = _ShapeBook(width)
        return _BOOKS[width]


def _pil_shape(dx: int, dy: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (x, y) of the pixels PIL inks for a line from the origin to (dx, dy)."""
    c = max(abs(dx), abs(dy)) + width + 2
    image = Image.new("L", (2 * c + 1, 2 * c + 1), 0)
    ImageDraw.Draw(image).line([(c, c), (c + dx, c + dy)], fill=255, width=width)
    ys, xs = np.nonzero(np.asarray(image))
    return xs.astype(np.int64) - c, ys.astype(np.int64) - c


# --------------------------------------------------------------------------- reference


def rasterize_pil_reference(
    drawings: Sequence[Drawing],
    size: int = 32,
    scale: float = 1 / 8,
    line_width: float = 2,
    antialias: bool = False,
    *,
    offset: float = 0.0,
    center: float | None = None,
    binarize: bool = False,
) -> np.ndarray:
    """The plain loop: one PIL image per drawing, one ``ImageDraw.line`` per stroke.

    The baseline for the speed measure, and the reference the fast path is tested against
    (same options as ``rasterize``). With ``antialias`` it draws at 4× and shrinks with a
    box filter (values rounded to 1/255); ``binarize`` keeps the 4×4 blocks at least half inked.
    """
    factor = SUPERSAMPLE if antialias or binarize else 1
    big, s, off = size * factor, scale * factor, offset * factor
    width = max(1, round(line_width * factor))
    out = np.zeros((len(drawings), size, size), dtype=np.float32)
    for i, d in enumerate(drawings):
        image = Image.new("L", (big, big), 0)
        draw = ImageDraw.Draw(image)
        shift = np.zeros((2, 1))
        if center is not None and d.strokes:
            every = np.concatenate([np.asarray(t, dtype=np.float64) for t in d.strokes], axis=1)
            if every.size:
                shift = center - (every.min(axis=1, keepdims=True)
                                  + every.max(axis=1, keepdims=True)) / 2  # fmt: skip
        for stroke in d.strokes:
            pts = np.asarray(stroke, dtype=np.float64)
            if center is not None:
                pts = pts + shift
            pts = pts * s
            if off:
                pts = pts + off
            draw.line(list(zip(pts[0].tolist(), pts[1].tolist(), strict=True)), fill=255,
                      width=width)  # fmt: skip
        if binarize:
            blocks = (np.asarray(image) > 0).reshape(size, factor, size, factor).sum(axis=(1, 3))
            out[i] = blocks >= factor * factor // 2
            continue
        if factor > 1:
            image = image.resize((size, size), Image.Resampling.BOX)
        out[i] = np.asarray(image, dtype=np.float32) / 255.0
    return out
