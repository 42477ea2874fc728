"""Quick, Draw! data for the app: read any official format, rasterize, cache, download.

This is the import point; the work is done in
``quickdraw_formats`` (readers and writer), ``rasterize`` (strokes to bitmaps),
``download`` (categories into the per-user cache) and ``quickdraw_categories``.

``load_bitmaps(path)`` turns a ``.bin``, ``.ndjson`` or ``.npy`` file into float32 images
(N, size, size) with ink 1.0 on 0.0, the project's convention. Rasterized arrays are cached
in the per-user cache folder, keyed by the file (path, size, modification time) and the
rasterization options, so loading the same file again takes a fraction of a second.

``stream_rows(path)`` is for files too large for memory: it rasterizes chunk by chunk
(resumably) into a bit-packed, memory-mappable cache that training streams from.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import PIL

from models.data.categories import CATEGORIES
from models.data.dataset import pad_to
from models.data.download import (
    BASE_URL,
    DownloadCancelled,
    cache_dir,
    category_path,
    download_category,
)
from models.data.formats import (
    QUICKDRAW_EXTENSIONS,
    Drawing,
    StrokeTable,
    normalize_strokes,
    read_binary,
    read_ndjson,
    read_numpy_bitmap,
    scan_binary,
    write_binary,
)
from models.data.rasterize import (
    SUPERSAMPLE,
    ChunkSink,
    float_images,
    levels_to_float,
    rasterize,
    rasterize_levels,
    rasterize_pil_reference,
    start_pool_early,
)
from models.errors import DataFormatError, TruncatedFileWarning
from models.files import atomic_path
from models.paths import cache_off

__all__ = [
    "BASE_URL",
    "CATEGORIES",
    "DataFormatError",
    "DownloadCancelled",
    "Drawing",
    "QuickDrawBitmaps",
    "TruncatedFileWarning",
    "cache_dir",
    "category_path",
    "download_category",
    "load_bitmaps",
    "normalize_strokes",
    "quickdraw_rendering",
    "rasterize",
    "rasterize_pil_reference",
    "rasterize_quickdraw",
    "read_binary",
    "read_ndjson",
    "read_numpy_bitmap",
    "stream_rows",
    "word_from_filename",
    "write_binary",
]

log = logging.getLogger(__name__)

BYTES_PER_DRAWING = {".bin": 150, ".ndjson": 500}
"""About how many bytes one drawing takes (the shared samples: 144 in a ``.bin``, 400-560
in a simplified ``.ndjson``), to guess from its size whether a file is worth the pool."""
CACHE_VERSION = 2
"""Bump when rasterization changes, so old cached arrays are not used (2: the numpy-bitmap
look of ``quickdraw_rendering``; 1 filled the frame with 2-pixel lines)."""
BITMAP_SIZE = 28
"""Side of the official numpy_bitmap images."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class QuickDrawBitmaps:
    """Rasterized drawings of one file.

    ``images`` float32 (N, size, size) in [0, 1], ink 1.0. ``metadata`` holds per-drawing
    ``key_id`` (uint64), ``countrycode`` (str), ``recognized`` (bool) and ``timestamp``
    (int64 unix seconds); it is empty for ``.npy`` bitmaps, which carry none.
    """

    images: np.ndarray
    metadata: dict[str, np.ndarray] = field(default_factory=dict)
    word: str | None = None
    path: Path | None = None
    from_cache: bool = False

    def __len__(self) -> int:
        return int(self.images.shape[0])


BITMAP_LINE = 16.0
"""Line diameter of Google's numpy bitmaps, in 0..255 stroke units."""
BITMAP_PADDING = 16.0
"""Their padding around the 256-unit drawing box (plus half a line on each side)."""
BITMAP_BOX = 256.0 + 2 * BITMAP_PADDING + BITMAP_LINE
"""Stroke units across their 28 pixels (304); each drawing is centred on 128. The recipe
the dataset's maintainers gave in quickdraw-dataset issue 19, checked against the .npy
files' ink and placement statistics (docs/measurements.md, "Quick Draw strokes look like
the bitmaps")."""
BITMAP_FRAME = 32
"""The project's Quick Draw frame: a 28×28 numpy bitmap padded by 2 on each side."""


def quickdraw_rendering(size: int, antialias: bool = False) -> dict[str, Any]:
    """``rasterize`` options (all but ``size``) that draw strokes as Google's numpy bitmaps
    look, in a ``size`` frame. Anti-aliased it is grey like them (16 levels); otherwise the
    same picture kept where it is at least half inked (0/1), whose mean ink matches the .npy
    pictures' (0.128 vs 0.131 on the shared samples). At 32 the drawing lies exactly where
    a padded 28×28 .npy picture has it (the 28×28 picture in rows/cols 2..29, its 0..255
    drawing box in 4.2..27.8), lines 16/304 × 28 ≈ 1.47 pixels wide; other sizes scale
    that 32-pixel frame (lines at least one pixel wide).

    Why: the shipped sketch models learnt from the .npy files; strokes drawn any other way
    (the old 2-pixel lines over the whole frame) were pictures they had never seen.
    """
    frame = size / BITMAP_FRAME
    k = frame * BITMAP_SIZE / BITMAP_BOX  # pixels per stroke unit
    width = max(1.0, k * BITMAP_LINE)  # under 22 pixels: a binarized thinner line vanishes
    margin = frame * (BITMAP_FRAME - BITMAP_SIZE) / 2
    # PIL centres an even-width line (at 4x) half a sub-pixel after the truncated point:
    # half a sub-pixel less turns that truncation into rounding to the nearest centre
    even = round(width * SUPERSAMPLE) % 2 == 0
    centring = -0.5 / SUPERSAMPLE if even else 0.0
    return {
        "scale": k,
        "offset": margin + k * (BITMAP_PADDING + BITMAP_LINE / 2) + centring,
        "center": 128.0,
        "line_width": width,
        "antialias": antialias,
        "binarize": not antialias,
    }


def rasterize_quickdraw(
    table: StrokeTable,
    size: int,
    antialias: bool,
    progress: Progress | None = None,
    on_chunk: ChunkSink | None = None,
) -> tuple[np.ndarray, int]:
    """``rasterize_levels`` with ``quickdraw_rendering``: the one rendering of the loaded
    files, the streaming cache and the sketch pad, so a drawing looks the same to every
    model, and like the .npy pictures."""
    return rasterize_levels(
        table, size=size, progress=progress, on_chunk=on_chunk,
        **quickdraw_rendering(size, antialias),
    )  # fmt: skip


def load_bitmaps(
    path: str | Path,
    *,
    size: int = 32,
    antialias: bool = False,
    keep_partial: bool = False,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> QuickDrawBitmaps:
    """Bitmaps of every drawing in a ``.bin``, ``.ndjson`` or ``.npy`` Quick Draw file.

    Strokes are drawn as the numpy bitmaps look (``quickdraw_rendering``: at 32×32 the
    drawing centred in rows/cols 4..27, 1.5-pixel lines). 28×28 ``.npy`` bitmaps are scaled
    to [0, 1] and padded to ``size`` (which must then be at least 28). ``progress(done, total)``
    counts drawings. ``cache_dir`` overrides the cache root; ``use_cache=False`` skips it.
    Raises DataFormatError for a bad file (see the readers).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if size < 1:
        raise ValueError(f"size must be positive, not {size}")
    if suffix == ".npy":
        return _load_numpy(path, size, progress)
    if suffix not in (".bin", ".ndjson"):
        raise DataFormatError(
            path, None, f"unsupported file type {suffix or '(none)'}: use .bin, .ndjson or .npy"
        )
    cached = None
    entry = stamp = None
    if use_cache:
        entry, stamp = _cache_entry(path, size, antialias, keep_partial, cache_dir)
        cached = _read_cache(entry, stamp) if entry is not None and stamp is not None else None
    if cached is not None:
        if progress is not None:
            progress(len(cached), len(cached))
        return cached
    word: str | None
    # A large file: its drawing processes start while it is read. (A file that cannot be
    # read is the reader's to name, with what is wrong.)
    with contextlib.suppress(OSError):
        start_pool_early(path.stat().st_size // BYTES_PER_DRAWING[suffix])
    if suffix == ".bin":
        contents = scan_binary(path, keep_partial=keep_partial)
        table, metadata = contents.table(), contents.metadata()
        word = word_from_filename(path)
    else:
        drawings = read_ndjson(path, keep_partial=keep_partial)
        table, metadata = StrokeTable.from_drawings(drawings), _metadata(drawings)
        words = {d.word for d in drawings if d.word}
        word = words.pop() if len(words) == 1 else word_from_filename(path)
    # Each chunk turns into images as it lands, while the workers draw the next ones.
    images = float_images((table.n_drawings, size, size))

    def land(start: int, levels: np.ndarray, steps: int) -> None:
        levels_to_float(levels, steps, out=images[start : start + len(levels)])

    levels, steps = rasterize_quickdraw(table, size, antialias, progress, on_chunk=land)
    result = QuickDrawBitmaps(images, metadata, word, path)
    if entry is not None and stamp is not None:
        _write_cache(entry, stamp, levels, steps, result)
    return result


def word_from_filename(path: Path) -> str | None:
    """The category a file name suggests: ``cat.bin``, ``full_binary_cat.bin``,
    ``full_numpy_bitmap_the eiffel tower.npy``, ``cat_3000.npy``; None if none does."""
    stem = path.stem.lower()
    stem = re.sub(r"^(full[_-])?(binary|simplified|raw|numpy[_-]bitmap)[_-]", "", stem)
    by_key = {c.lower(): c for c in CATEGORIES}
    for candidate in (stem, re.sub(r"[_-]\d+$", "", stem)):
        for key in (candidate, candidate.replace("_", " ")):
            if key in by_key:
                return by_key[key]
    return None


def npy_category_name(path: Path) -> str:
    """A ``.npy`` file's category: the name without a ``full_numpy_bitmap_`` prefix and
    without a trailing ``_<count>``, underscores read as spaces (``house_plant_1000.npy``
    is "house plant")."""
    stem = re.sub(r"^full[_-]numpy[_-]bitmap[_-]", "", path.stem, flags=re.IGNORECASE)
    stem = re.sub(r"_\d+$", "", stem)
    return " ".join(stem.replace("_", " ").split()) or path.stem


def _metadata(drawings: list[Drawing]) -> dict[str, np.ndarray]:
    return {
        "key_id": np.array([d.key_id for d in drawings], dtype=np.uint64),
        "countrycode": np.array([d.countrycode for d in drawings], dtype=str),
        "recognized": np.array([bool(d.recognized) for d in drawings], dtype=bool),
        "timestamp": np.array([d.timestamp for d in drawings], dtype=np.int64),
    }


def _load_numpy(path: Path, size: int, progress: Progress | None) -> QuickDrawBitmaps:
    if size < BITMAP_SIZE:
        raise ValueError(f"numpy bitmaps are {BITMAP_SIZE}x{BITMAP_SIZE}; size must be >= 28")
    raw = read_numpy_bitmap(path)
    images = np.empty(raw.shape, dtype=np.float32)
    np.divide(raw, np.float32(255.0), out=images)
    images = pad_to(images, size)
    if progress is not None:
        progress(len(images), len(images))
    return QuickDrawBitmaps(images, {}, npy_category_name(path), path)


# --------------------------------------------------------------------------- cache


def _cache_entry(
    path: Path, size: int, antialias: bool, keep_partial: bool, root: str | Path | None
) -> tuple[Path | None, np.ndarray | None]:
    """(cache file, stamp) for this file and these options; (None, None) if uncacheable.

    The name depends on the file's path and the options; the stamp (size, mtime) is
    stored inside and checked, so a changed file replaces its old entry instead of
    piling up new ones.
    """
    try:
        resolved = path.resolve()
        info = resolved.stat()
    except OSError:
        return None, None  # the reader will report the problem
    options = f"v{CACHE_VERSION}|pil{PIL.__version__}|{size}|{antialias}|{keep_partial}"
    digest = hashlib.sha256(f"{resolved}|{options}".encode()).hexdigest()[:20]
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", resolved.stem)[:40]
    folder = Path(root) if root is not None else cache_dir()
    stamp = np.array([info.st_size, info.st_mtime_ns], dtype=np.int64)
    return folder / "rasterized" / f"{name}-{digest}.npz", stamp


_CACHE_KEYS = ("images", "shape", "stamp", "steps", "word", "key_id", "countrycode", "recognized",
               "timestamp")  # fmt: skip


def _read_cache(entry: Path, stamp: np.ndarray) -> QuickDrawBitmaps | None:
    if not entry.is_file():
        return None
    try:
        with np.load(entry, allow_pickle=False) as npz:
            if set(npz.files) != set(_CACHE_KEYS) or not np.array_equal(npz["stamp"], stamp):
                return None
            stored, steps, shape = npz["images"], int(npz["steps"]), tuple(npz["shape"].tolist())
            if stored.dtype != np.uint8 or len(shape) != 3 or steps not in (1, 16):
                return None
            count = int(np.prod(shape))
            if stored.size != (-(-count // 8) if steps == 1 else count):
                return None
            if steps == 1:
                images = _bits_to_float(stored, shape)
            else:
                images = levels_to_float(stored.reshape(shape), steps)
            word = str(npz["word"]) or None
            metadata = {k: npz[k] for k in ("key_id", "countrycode", "recognized", "timestamp")}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("ignoring a damaged cache file %s: %s", entry, exc)
        return None
    return QuickDrawBitmaps(images, metadata, word, None, from_cache=True)


def _bits_to_float(packed: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Bit-packed 0/1 images to float32, a slice at a time (no full-size uint8 copy)."""
    images = float_images(shape)
    flat = images.reshape(-1)
    step = 1 << 17  # packed bytes per slice: 1 Mi pixels
    for i in range(0, packed.size, step):
        bits = np.unpackbits(packed[i : i + step])
        j = 8 * i
        k = min(flat.size, j + bits.size)
        flat[j:k] = bits[: k - j]
    return images


def _write_cache(
    entry: Path, stamp: np.ndarray, levels: np.ndarray, steps: int, bitmaps: QuickDrawBitmaps
) -> None:
    """Store the ink levels (bits, or bytes when anti-aliased) and metadata, atomically."""
    if cache_off() is not None and cache_dir() in entry.parents:
        return  # the unusable cache was named once already
    arrays: dict[str, Any] = {
        # 0/1 images as bits: 8x less disk, and faster to read back than bytes
        "images": np.packbits(levels, axis=None) if steps == 1 else levels,
        "shape": np.array(levels.shape, dtype=np.int64),
        "stamp": stamp,
        "steps": np.int64(steps),
        "word": np.str_(bitmaps.word or ""),
        **bitmaps.metadata,
    }
    try:
        with atomic_path(entry) as tmp, open(tmp, "wb") as f:
            np.savez(f, **arrays)
    except OSError as exc:
        log.warning("cannot cache rasterized bitmaps in %s: %s", entry, exc)


# --------------------------------------------------------------------------- streaming cache

STREAM_CHUNK_BYTES = 16 << 20
"""Bytes of a file read and rasterized (or packed) at a time by :func:`stream_rows`."""


class StreamRows(NamedTuple):
    """A file's drawings in the streaming cache (what :func:`stream_rows` returns)."""

    rows: np.ndarray
    """(N, row_bytes) uint8 memory map: bit-packed 0/1 images, or one ink level a byte."""
    image_shape: tuple[int, int]
    steps: int
    """1: bit-packed; else ink levels 0..steps."""
    name: str
    word: str | None
    """The file's category (from its drawings or its name); None if it names none."""


def stream_rows(
    path: str | Path,
    *,
    size: int = 32,
    antialias: bool = False,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> StreamRows:
    """The drawings of a large file as memory-mapped cache rows, which
    :func:`models.training.streaming.stream_cache` serves to training.

    The rows go into ``<cache>/rasterized/<name>-<digest>.stream/rows.u8`` (bit-packed,
    128 bytes a 32x32 drawing; one byte a pixel for anti-aliased drawings and ``.npy``
    bitmaps), which training memory-maps. Every format is read, rasterized (or, for
    ``.npy``, padded) and appended ``STREAM_CHUNK_BYTES`` at a time, so memory stays
    bounded: a ``.bin`` record by record, an ``.ndjson`` line by line, an ``.npy`` through
    ``np.load(mmap_mode="r")``. ``progress(bytes_done, file_bytes)`` after each chunk.
    ``progress.json`` records how far it got, so an interrupted rasterizing continues where
    it stopped; ``meta.json`` is written (atomically) last and marks a complete cache.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in QUICKDRAW_EXTENSIONS:
        raise DataFormatError(
            path, None, "streaming is for .bin, .ndjson and .npy Quick Draw files"
        )
    if suffix == ".npy" and size < BITMAP_SIZE:
        raise DataFormatError(path, None, f"numpy bitmaps are {BITMAP_SIZE}x{BITMAP_SIZE}; "
                              f"they cannot stream at {size}x{size}")  # fmt: skip
    entry, stamp = _cache_entry(path, size, antialias, False, cache_dir)
    if entry is None or stamp is None:  # the file cannot even be looked at
        raise DataFormatError(path, None, "file not found" if not path.exists() else "cannot read")
    folder = entry.with_suffix(".stream")
    steps = 255 if suffix == ".npy" else 16 if antialias else 1
    row_bytes = -(-size * size // 8) if steps == 1 else size * size
    key = {"version": CACHE_VERSION, "stamp": stamp.tolist(), "size": size, "steps": steps}
    meta = _read_json(folder / "meta.json")
    if meta is None or meta.get("key") != key:
        chunks: Callable[[dict[str, Any]], Iterator[_Chunk]]
        if suffix == ".npy":
            chunks = functools.partial(_numpy_chunks, path, size=size)
        else:
            reader = _binary_chunks if suffix == ".bin" else _ndjson_chunks
            chunks = functools.partial(reader, path, size=size, antialias=antialias)
        _stream_into(path, folder, key, row_bytes, chunks, progress)
        meta = _read_json(folder / "meta.json")
        assert meta is not None
    elif progress is not None:
        file_bytes = int(stamp[0])
        progress(file_bytes, file_bytes)
    count = int(meta["drawings"])
    rows = np.memmap(folder / "rows.u8", dtype=np.uint8, mode="r", shape=(count, row_bytes))
    return StreamRows(rows, (size, size), steps, f"quickdraw:{path.name}", meta.get("word"))


class _Chunk(NamedTuple):
    rows: np.ndarray
    """Encoded rows to append (possibly none)."""
    position: dict[str, Any]
    """Where the next chunk starts: ``bytes`` of the file, and any reader state (JSON)."""


def _stream_into(
    path: Path,
    folder: Path,
    key: dict[str, Any],
    row_bytes: int,
    chunks: Callable[[dict[str, Any]], Iterator[_Chunk]],
    progress: Progress | None,
) -> None:
    """Append the rows of ``chunks(state)`` to ``rows.u8``, recording after each chunk how
    far it got (``progress.json``), so an interrupted run resumes at the last chunk written."""
    folder.mkdir(parents=True, exist_ok=True)
    file_bytes = int(key["stamp"][0])
    state = _read_json(folder / "progress.json")
    if state is None or state.get("key") != key:
        state = {"key": key, "bytes": 0, "drawings": 0}
    with open(folder / "rows.u8", "ab+") as dst:
        dst.truncate(int(state["drawings"]) * row_bytes)  # rows after the last record of progress
        dst.seek(0, os.SEEK_END)
        for chunk in chunks(dict(state)):
            if len(chunk.rows):
                dst.write(np.ascontiguousarray(chunk.rows).tobytes())
                dst.flush()
                os.fsync(dst.fileno())
            state = {**state, **chunk.position, "drawings": state["drawings"] + len(chunk.rows)}
            _write_json(folder / "progress.json", state)
            if progress is not None:
                progress(int(state["bytes"]), file_bytes)
    if state["drawings"] == 0:
        where = {".bin": "byte 0", ".ndjson": "line 1"}.get(path.suffix.lower(), "header")
        raise DataFormatError(path, where, "empty file: no drawings")
    words = state.get("words")
    word = words[0] if isinstance(words, list) and len(words) == 1 else None
    if path.suffix.lower() == ".npy":
        word = npy_category_name(path)
    _write_json(
        folder / "meta.json",
        {"key": key, "drawings": state["drawings"], "word": word or word_from_filename(path)},
    )
    (folder / "progress.json").unlink(missing_ok=True)


def _binary_chunks(
    path: Path, state: dict[str, Any], *, size: int, antialias: bool
) -> Iterator[_Chunk]:
    """A ``.bin`` file from byte ``state["bytes"]``, whole records at a time."""
    from models.data.formats import HEADER, BinaryContents, _stroke_layout, _walk_binary

    file_bytes = int(state["key"]["stamp"][0])
    pos, done = int(state["bytes"]), int(state["drawings"])
    want = STREAM_CHUNK_BYTES
    with open(path, "rb") as src:
        while pos < file_bytes:
            src.seek(pos)
            buf = src.read(want)
            starts, per, problem = _walk_binary(buf)
            at_end = pos + len(buf) >= file_bytes
            if problem is not None and (at_end or not _cut_off(buf, problem[0])):
                where = pos + problem[0]
                raise DataFormatError(
                    path,
                    f"byte {where}",
                    problem[1].replace(
                        f"drawing {len(starts) + 1}", f"drawing {done + len(starts) + 1}"
                    ),
                )
            if not starts:
                want *= 2  # one record larger than the chunk
                continue
            data = np.frombuffer(buf, dtype=np.uint8)
            start_at = np.asarray(starts, dtype=np.int64)
            per_record = np.asarray(per, dtype=np.int64)
            headers = np.ascontiguousarray(data[start_at[:, None] + np.arange(HEADER.size)])
            offsets, lengths = _stroke_layout(data, start_at, per_record)
            contents = BinaryContents(data, headers, offsets, lengths, per_record)
            levels, steps = rasterize_quickdraw(contents.table(), size, antialias)
            pos += problem[0] if problem is not None else len(buf)
            done += len(starts)
            yield _Chunk(_encode_levels(levels, steps), {"bytes": pos})
            want = STREAM_CHUNK_BYTES


def _ndjson_chunks(
    path: Path, state: dict[str, Any], *, size: int, antialias: bool
) -> Iterator[_Chunk]:
    """An ``.ndjson`` file from byte ``state["bytes"]``, whole lines at a time: only one
    chunk's drawings are ever parsed and held."""
    from models.data.formats import MAX_LINE_BYTES, _LineError, _parse_line, _too_long

    file_bytes = int(state["key"]["stamp"][0])
    pos, line_no = int(state["bytes"]), int(state.get("lines", 0))
    words = set(state.get("words", []))
    want = STREAM_CHUNK_BYTES
    with open(path, "rb") as src:
        while pos < file_bytes:
            src.seek(pos)
            buf = src.read(want)
            at_end = pos + len(buf) >= file_bytes
            cut = len(buf) if at_end else buf.rfind(b"\n") + 1
            if cut == 0:
                if want > MAX_LINE_BYTES:  # gigabytes without a line break: refused at once
                    raise DataFormatError(path, f"line {line_no + 1}", _too_long())
                want *= 2  # one line longer than the chunk
                continue
            text = buf[:cut]
            lines = text.split(b"\n")
            if text.endswith(b"\n"):
                lines.pop()
            drawings: list[Drawing] = []
            for number, line in enumerate(lines, start=line_no + 1):
                if not line.strip():
                    continue
                try:
                    drawings.append(_parse_line(line))
                except _LineError as exc:
                    raise DataFormatError(path, f"line {number}", str(exc)) from None
            pos, line_no = pos + cut, line_no + len(lines)
            words.update(d.word for d in drawings if d.word)
            position = {"bytes": pos, "lines": line_no, "words": sorted(words)[:2]}
            if not drawings:
                yield _Chunk(np.empty((0, 0), np.uint8), position)
                continue
            levels, steps = rasterize_quickdraw(
                StrokeTable.from_drawings(drawings), size, antialias
            )
            yield _Chunk(_encode_levels(levels, steps), position)
            want = STREAM_CHUNK_BYTES


def _numpy_chunks(path: Path, state: dict[str, Any], *, size: int) -> Iterator[_Chunk]:
    """An ``.npy`` file memory-mapped (``np.load(mmap_mode="r")``), padded and copied a
    chunk of bitmaps at a time: ink levels 0..255, one byte a pixel."""
    try:
        raw = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise DataFormatError(path, "header", f"not a readable .npy file ({exc})") from None
    if raw.dtype != np.uint8:
        raise DataFormatError(path, "header", f"dtype is {raw.dtype}, Quick Draw bitmaps are uint8")
    if not (
        (raw.ndim == 2 and raw.shape[1] == 784)
        or (raw.ndim == 3 and raw.shape[1:] in ((1, 784), (28, 28)))
    ):
        raise DataFormatError(
            path, "header", f"shape {raw.shape}; expected (N, 784) or (N, 1, 784)"
        )
    count = int(raw.shape[0])
    header = int(state["key"]["stamp"][0]) - count * 784  # file bytes before the bitmaps
    per_chunk = max(1, STREAM_CHUNK_BYTES // 784)
    for start in range(int(state["drawings"]), count, per_chunk):
        stop = min(count, start + per_chunk)
        block = np.array(raw[start:stop]).reshape(stop - start, 28, 28)
        release_rows(raw, start, stop)
        padded = pad_to(block, size)
        yield _Chunk(padded.reshape(len(padded), -1), {"bytes": header + stop * 784})


def release_rows(rows: Any, start: int, stop: int) -> None:
    """Unmap rows ``start:stop`` of a memory map once copied (they stay in the page cache).

    Why: pages of a file mapping that were read count in the process's resident size
    until unmapped, so a pass over a 6-million-drawing cache would otherwise show 700 MB
    more resident memory, though the kernel could drop it at any time. ``rows`` may be
    several maps read as one (:class:`models.training.streaming.RowParts`).
    """
    import mmap

    parts = getattr(rows, "parts", None)
    if parts is not None:
        for k, part in enumerate(parts):
            lo, hi = max(start, rows.bounds[k]), min(stop, rows.bounds[k + 1])
            if lo < hi:
                release_rows(part, lo - rows.bounds[k], hi - rows.bounds[k])
        return
    mm = getattr(rows, "_mmap", None)
    if mm is None or not hasattr(mm, "madvise") or rows.ndim < 1 or not len(rows):
        return
    row_bytes = int(np.prod(rows.shape[1:])) * rows.itemsize
    delta = int(getattr(rows, "offset", 0)) % mmap.ALLOCATIONGRANULARITY  # where the array starts
    page = mmap.PAGESIZE
    first = (delta + start * row_bytes) // page * page
    last = min(len(mm), -(-(delta + stop * row_bytes) // page) * page)
    if last > first:
        with contextlib.suppress(OSError, ValueError):
            mm.madvise(mmap.MADV_DONTNEED, first, last - first)


def _read_json(path: Path) -> dict[str, Any] | None:
    import json

    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _write_json(path: Path, value: dict[str, Any]) -> None:
    import json

    from models.files import write_atomic

    write_atomic(path, json.dumps(value).encode())


def _encode_levels(levels: np.ndarray, steps: int) -> np.ndarray:
    flat = levels.reshape(len(levels), -1)
    return np.packbits(flat, axis=1) if steps == 1 else flat


def _cut_off(buf: bytes, at: int) -> bool:
    """Whether the record at ``at`` merely runs past the end of ``buf`` (a valid start)."""
    from models.data.formats import HEADER

    if len(buf) - at < HEADER.size:
        return True
    c0, c1, flag = buf[at + 8], buf[at + 9], buf[at + 10]
    return flag <= 1 and 32 <= c0 < 127 and 32 <= c1 < 127
