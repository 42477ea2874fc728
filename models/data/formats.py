"""Read and write the official Quick, Draw! formats: binary, simplified and raw ndjson, bitmaps.

Formats (https://github.com/googlecreativelab/quickdraw-dataset):

- **binary** ``.bin``, all little-endian, one record per drawing: ``key_id`` uint64,
  ``countrycode`` 2 ASCII bytes, ``recognized`` uint8, ``timestamp`` uint32 (unix seconds),
  ``n_strokes`` uint16, then per stroke ``n_points`` uint16, ``n_points`` x bytes and
  ``n_points`` y bytes. No magic number, no record count: a reader walks to the end.
- **simplified ndjson**: one JSON object a line (``word, countrycode, timestamp, recognized,
  key_id, drawing``), ``drawing`` = ``[[xs], [ys]]`` per stroke, integers 0..255.
- **raw ndjson**: the same, but each stroke is ``[[xs], [ys], [t_ms]]`` in float screen
  coordinates. It is normalized here the way Google made the simplified set (align to the
  top-left at 0, scale the larger side to 255, resample at 1-unit spacing,
  Ramer–Douglas–Peucker with epsilon 2.0) so that every reader returns the same uint8
  0..255 strokes; the timings are dropped.
- **numpy_bitmap** ``.npy``: N×784 (or N×1×784) uint8 rows of 28×28 images, 255 = ink.

Every problem with a file raises DataFormatError naming the file and a ``byte N`` or ``line N``
location; with ``keep_partial=True`` the drawings before a damaged tail are returned instead,
with a TruncatedFileWarning. The readers do a bounded amount of work per input byte, so no
input can make them hang.
"""

from __future__ import annotations

import calendar
import json
import math
import os
import struct
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from models.errors import DataFormatError, TruncatedFileWarning
from models.files import write_atomic

QUICKDRAW_EXTENSIONS = (".bin", ".ndjson", ".npy")
"""The Quick Draw file formats the loaders read (and the stream cache builds from)."""

HEADER = struct.Struct("<Q2sBIH")
"""key_id, countrycode, recognized, timestamp, n_strokes: 17 bytes."""
HEADER_DTYPE = np.dtype(
    [
        ("key_id", "<u8"),
        ("countrycode", "S2"),
        ("recognized", "u1"),
        ("timestamp", "<u4"),
        ("n_strokes", "<u2"),
    ]
)
assert HEADER_DTYPE.itemsize == HEADER.size == 17

SIMPLIFY_EPSILON = 2.0
"""Ramer–Douglas–Peucker tolerance Google used for the simplified data set (in 0..255 units)."""
MAX_FILE_BYTES = 4 << 30
"""Refuse files above 4 GiB: the largest official binary file is far smaller."""
MAX_LINE_BYTES = 16 << 20
"""Refuse an ndjson line above 16 MiB: a drawing takes a few kilobytes (raw ones with every
timestamp, tens), and the reader holds one line at a time: a crash's leftover of gigabytes
of NUL bytes with no line break is refused at once, in bounded memory."""


@dataclass(eq=False)
class Drawing:
    """One Quick Draw sketch.

    ``strokes`` holds one array per pen stroke, shape (2, n): row 0 is x, row 1 is y.
    Readers return uint8 arrays in the simplified 0..255 space (x to the right, y down).
    ``word`` is the category when the file says it (ndjson); the binary format does not.
    """

    key_id: int
    countrycode: str
    recognized: bool
    timestamp: int
    strokes: list[np.ndarray]
    word: str | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Drawing):
            return NotImplemented
        return (
            self.key_id == other.key_id
            and self.countrycode == other.countrycode
            and bool(self.recognized) == bool(other.recognized)
            and self.timestamp == other.timestamp
            and self.word == other.word
            and len(self.strokes) == len(other.strokes)
            and all(np.array_equal(a, b) for a, b in zip(self.strokes, other.strokes, strict=True))
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    @property
    def n_points(self) -> int:
        return sum(int(s.shape[1]) for s in self.strokes)


# --------------------------------------------------------------------------- flat stroke table


@dataclass
class StrokeTable:
    """The strokes of many drawings as flat arrays.

    Why: rasterizing or converting 100k drawings one stroke at a time in Python is what makes
    the plain loop slow; NumPy works on these arrays all at once.
    """

    x: np.ndarray
    """(P,) x of every point, stroke after stroke, drawing after drawing."""
    y: np.ndarray
    stroke_lengths: np.ndarray
    """(S,) int64 points per stroke."""
    strokes_per_drawing: np.ndarray
    """(D,) int64 strokes per drawing."""

    @property
    def n_drawings(self) -> int:
        return int(self.strokes_per_drawing.shape[0])

    def slice(self, start: int, stop: int) -> StrokeTable:
        """Drawings ``start:stop`` (views, no copies)."""
        stroke_cum = np.concatenate(([0], np.cumsum(self.strokes_per_drawing)))
        s0, s1 = int(stroke_cum[start]), int(stroke_cum[stop])
        point_cum = np.concatenate(([0], np.cumsum(self.stroke_lengths)))
        p0, p1 = int(point_cum[s0]), int(point_cum[s1])
        return StrokeTable(
            self.x[p0:p1],
            self.y[p0:p1],
            self.stroke_lengths[s0:s1],
            self.strokes_per_drawing[start:stop],
        )

    @classmethod
    def from_drawings(cls, drawings: Sequence[Drawing]) -> StrokeTable:
        strokes = [np.asarray(s) for d in drawings for s in d.strokes]
        for s in strokes:
            if s.ndim != 2 or s.shape[0] != 2:
                raise ValueError(f"a stroke must be an array of shape (2, n), not {s.shape}")
        per = np.fromiter((len(d.strokes) for d in drawings), np.int64, len(drawings))
        lengths = np.fromiter((s.shape[1] for s in strokes), np.int64, len(strokes))
        xy = np.concatenate(strokes, axis=1) if strokes else np.zeros((2, 0), np.uint8)
        return cls(xy[0], xy[1], lengths, per)


# --------------------------------------------------------------------------- binary


@dataclass
class BinaryContents:
    """A scanned binary file: where each record and stroke lies, before building objects.

    ``load_bitmaps`` rasterizes straight from this (no Drawing objects for 100k records);
    ``read_binary`` turns it into Drawings.
    """

    data: np.ndarray
    """The file's bytes (uint8)."""
    headers: np.ndarray
    """(D,) records of HEADER_DTYPE."""
    stroke_offsets: np.ndarray
    """(S,) int64 byte offset of each stroke's x bytes."""
    stroke_lengths: np.ndarray
    strokes_per_drawing: np.ndarray

    def __len__(self) -> int:
        return int(self.headers.shape[0])

    def table(self) -> StrokeTable:
        lengths = self.stroke_lengths
        total = int(lengths.sum())
        first = np.cumsum(lengths) - lengths
        within = np.arange(total, dtype=np.int64) - np.repeat(first, lengths)
        x_at = np.repeat(self.stroke_offsets, lengths) + within
        y_at = x_at + np.repeat(lengths, lengths)
        return StrokeTable(self.data[x_at], self.data[y_at], lengths, self.strokes_per_drawing)

    def metadata(self) -> dict[str, np.ndarray]:
        return metadata_arrays(self.headers)

    def drawings(self) -> list[Drawing]:
        data = self.data
        key_ids = self.headers["key_id"].tolist()
        codes = [c.decode("ascii") for c in self.headers["countrycode"].tolist()]
        recognized = (self.headers["recognized"] != 0).tolist()
        stamps = self.headers["timestamp"].tolist()
        offsets = self.stroke_offsets.tolist()
        lengths = self.stroke_lengths.tolist()
        out: list[Drawing] = []
        si = 0
        for d, n in enumerate(self.strokes_per_drawing.tolist()):
            strokes = [
                data[o : o + 2 * m].reshape(2, m)
                for o, m in zip(offsets[si : si + n], lengths[si : si + n], strict=True)
            ]
            si += n
            out.append(Drawing(key_ids[d], codes[d], recognized[d], stamps[d], strokes))
        return out


def metadata_arrays(headers: np.ndarray) -> dict[str, np.ndarray]:
    """Per-drawing metadata columns: key_id uint64, countrycode str, recognized bool, timestamp."""
    return {
        "key_id": headers["key_id"].astype(np.uint64),
        "countrycode": headers["countrycode"].astype("U2"),
        "recognized": headers["recognized"] != 0,
        "timestamp": headers["timestamp"].astype(np.int64),
    }


def scan_binary(path: str | Path, *, keep_partial: bool = False) -> BinaryContents:
    """Walk the records of a binary file, checking each, without building Drawing objects."""
    path = Path(path)
    raw = read_file_bytes(path)
    if not raw:
        raise DataFormatError(path, "byte 0", "empty file: no drawings")
    starts, per, problem = _walk_binary(raw)
    if problem is not None:
        where, what = problem
        _damaged(path, f"byte {where}", what, len(starts), keep_partial)
    data = np.frombuffer(bytearray(raw), dtype=np.uint8)
    start_at = np.asarray(starts, dtype=np.int64)
    per_record = np.asarray(per, dtype=np.int64)
    headers = np.ascontiguousarray(data[start_at[:, None] + np.arange(HEADER.size)])
    offsets, lengths = _stroke_layout(data, start_at, per_record)
    return BinaryContents(
        data=data,
        headers=headers.view(HEADER_DTYPE).reshape(-1),
        stroke_offsets=offsets,
        stroke_lengths=lengths,
        strokes_per_drawing=per_record,
    )


def read_binary(path: str | Path, *, keep_partial: bool = False) -> list[Drawing]:
    """All drawings of a Quick Draw ``.bin`` file (strokes uint8, word None)."""
    return scan_binary(path, keep_partial=keep_partial).drawings()


def _walk_binary(buf: bytes) -> tuple[list[int], list[int], tuple[int, str] | None]:
    """Record starts, strokes per record, and the first problem (offset, text).

    Only whole, plausible records are listed. The inner loop is one line per stroke (its
    speed is what the whole reader's speed is); a record that fails is walked again by
    ``_describe`` to say exactly what is wrong. Each step consumes at least two bytes, so
    the walk is linear in the file size whatever the bytes say.
    """
    n = len(buf)
    starts: list[int] = []
    per: list[int] = []
    pos = 0
    try:
        while pos < n:
            if n - pos < HEADER.size:
                break
            c0, c1, flag = buf[pos + 8], buf[pos + 9], buf[pos + 10]
            if flag > 1 or not (32 <= c0 < 127 and 32 <= c1 < 127):
                break
            strokes = buf[pos + 15] | (buf[pos + 16] << 8)
            end = pos + HEADER.size
            for _ in range(strokes):
                end += 2 + 2 * (buf[end] | (buf[end + 1] << 8))
            if end > n:
                break
            starts.append(pos)
            per.append(strokes)
            pos = end
    except IndexError:  # the file ends inside this record
        pass
    if pos >= n:
        return starts, per, None
    return starts, per, (pos, _describe(buf, pos, len(starts) + 1))


def _describe(buf: bytes, pos: int, number: int) -> str:
    """What is wrong with the record at ``pos`` (known to be damaged)."""
    n = len(buf)
    if n - pos < HEADER.size:
        return (
            f"drawing {number} is cut off in its 17-byte header "
            f"(the file ends {n - pos} bytes into it)"
        )
    c0, c1, flag = buf[pos + 8], buf[pos + 9], buf[pos + 10]
    if flag > 1 or not (32 <= c0 < 127 and 32 <= c1 < 127):
        what = (
            f"recognized flag is {flag}, not 0 or 1"
            if flag > 1
            else f"country code bytes {bytes((c0, c1))!r} are not ASCII letters"
        )
        return (
            f"drawing {number} is not a valid Quick Draw binary record ({what}); "
            "the file is damaged or not in the binary format"
        )
    strokes = buf[pos + 15] | (buf[pos + 16] << 8)
    pos += HEADER.size
    for i in range(strokes):
        if pos == n:
            return (
                f"drawing {number} declares {strokes} strokes but the file ends after "
                f"{i} of them (at byte {n})"
            )
        if pos + 2 > n:
            return f"drawing {number} is cut off in the point count of stroke {i + 1}"
        points = buf[pos] | (buf[pos + 1] << 8)
        pos += 2
        if pos + 2 * points > n:
            return (
                f"drawing {number} is cut off in stroke {i + 1} of {strokes}: "
                f"{points} points need {2 * points} bytes, the file has {n - pos} left"
            )
        pos += 2 * points
    return f"drawing {number} is damaged"  # not reached for a record _walk_binary refused


def _stroke_layout(
    data: np.ndarray, starts: np.ndarray, per: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Byte offset of each stroke's x bytes and its point count, for whole records.

    Vectorized across records: step k reads the k-th stroke of every record that has one,
    so there are as many NumPy steps as the longest record has strokes.
    """
    total = int(per.sum())
    offsets = np.empty(total, dtype=np.int64)
    lengths = np.empty(total, dtype=np.int64)
    first = np.cumsum(per) - per
    order = np.argsort(-per, kind="stable")  # records with the most strokes first
    ranked = per[order]
    pos = starts[order] + HEADER.size
    most = int(ranked[0]) if ranked.size else 0
    for k in range(most):
        alive = int(np.searchsorted(-ranked, -k, side="left"))  # records with > k strokes
        p = pos[:alive]
        m = data[p].astype(np.int64) | (data[p + 1].astype(np.int64) << 8)
        at = first[order[:alive]] + k
        offsets[at] = p + 2
        lengths[at] = m
        pos[:alive] = p + 2 + 2 * m
    return offsets, lengths


def write_binary(path: str | Path, drawings: Iterable[Drawing]) -> None:
    """Write drawings in the official binary format, atomically (temporary file + rename).

    Strokes must hold integers 0..255 (the simplified space); raw float strokes are refused
    (normalize them with ``normalize_strokes`` first). Raises ValueError for a drawing that
    cannot be written, naming it; the target is then left untouched.
    """
    parts: list[bytes] = []
    for i, d in enumerate(drawings):
        parts.append(_encode(d, i))
    write_atomic(Path(path), b"".join(parts))


def _encode(d: Drawing, index: int) -> bytes:
    where = f"drawing {index} (key_id {d.key_id})"
    code = d.countrycode.encode("ascii", "replace") if isinstance(d.countrycode, str) else b""
    if len(code) != 2 or not all(32 <= c < 127 for c in code):
        raise ValueError(f"{where}: country code {d.countrycode!r} is not two ASCII characters")
    if not 0 <= int(d.key_id) < 1 << 64:
        raise ValueError(f"{where}: key_id does not fit in 64 bits")
    if not 0 <= int(d.timestamp) < 1 << 32:
        raise ValueError(f"{where}: timestamp {d.timestamp} does not fit in 32 bits")
    if len(d.strokes) >= 1 << 16:
        raise ValueError(f"{where}: {len(d.strokes)} strokes, the format allows 65535")
    out = [HEADER.pack(int(d.key_id), code, 1 if d.recognized else 0, int(d.timestamp),
                       len(d.strokes))]  # fmt: skip
    for k, stroke in enumerate(d.strokes):
        s = np.asarray(stroke)
        if s.ndim != 2 or s.shape[0] != 2:
            raise ValueError(f"{where}, stroke {k}: shape {s.shape}, expected (2, n)")
        if s.shape[1] >= 1 << 16:
            raise ValueError(f"{where}, stroke {k}: {s.shape[1]} points, the format allows 65535")
        if s.dtype != np.uint8:
            if s.dtype.kind not in "iuf" or (s.size and (
                not np.all(np.isfinite(s)) or s.min() < 0 or s.max() > 255
                or not np.array_equal(s, np.round(s))
            )):  # fmt: skip
                raise ValueError(
                    f"{where}, stroke {k}: coordinates must be integers 0..255 "
                    "(normalize raw strokes first)"
                )
            s = s.astype(np.uint8)
        out.append(struct.pack("<H", s.shape[1]))
        out.append(np.ascontiguousarray(s).tobytes())
    return b"".join(out)


# --------------------------------------------------------------------------- ndjson


def read_ndjson(path: str | Path, *, keep_partial: bool = False) -> list[Drawing]:
    """All drawings of a simplified or raw ndjson file; raw strokes are normalized to uint8.

    Blank lines are skipped. Each line must be a JSON object with a ``drawing`` list;
    ``key_id``, ``countrycode``, ``recognized``, ``timestamp`` and ``word`` are checked when
    present (defaults: 0, ``""``, True, 0, None).
    """
    path = Path(path)
    drawings: list[Drawing] = []
    blank = True
    with open_data_file(path) as f:
        for number, line in enumerate(iter(partial(f.readline, MAX_LINE_BYTES + 1), b""), 1):
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                _damaged(path, f"line {number}", _too_long(), len(drawings), keep_partial)
                break
            if not line.strip():
                continue
            blank = False
            try:
                drawings.append(_parse_line(line))
            except _LineError as exc:
                _damaged(path, f"line {number}", str(exc), len(drawings), keep_partial)
                break
    if blank:
        raise DataFormatError(path, "line 1", "empty file: no drawings")
    return drawings


def _too_long() -> str:
    return (
        f"longer than {MAX_LINE_BYTES:,} bytes without a line break (a drawing takes a few "
        "kilobytes): not an ndjson file, or a damaged one"
    )


class _LineError(Exception):
    """One ndjson line is wrong; turned into a DataFormatError with the line number."""


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_line(line: bytes) -> Drawing:
    try:
        obj = json.loads(line.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError as exc:
        raise _LineError(f"not UTF-8 text ({exc.reason} at byte {exc.start} of the line)") from None
    except (ValueError, RecursionError) as exc:
        raise _LineError(f"not valid JSON ({str(exc)[:120]})") from None
    if not isinstance(obj, dict):
        raise _LineError(f"expected a JSON object, found {type(obj).__name__}")
    if "drawing" not in obj:
        raise _LineError("the object has no 'drawing' key")
    strokes = _parse_strokes(obj["drawing"])
    word = obj.get("word")
    if word is not None and not isinstance(word, str):
        raise _LineError("'word' must be a string")
    code = obj.get("countrycode", "")
    if not isinstance(code, str):
        raise _LineError("'countrycode' must be a string")
    recognized = obj.get("recognized", True)
    if not isinstance(recognized, bool):
        raise _LineError("'recognized' must be true or false")
    return Drawing(
        key_id=_parse_key_id(obj.get("key_id", 0)),
        countrycode=code,
        recognized=recognized,
        timestamp=_parse_timestamp(obj.get("timestamp", 0)),
        strokes=strokes,
        word=word,
    )


def _parse_strokes(value: Any) -> list[np.ndarray]:
    if not isinstance(value, list):
        raise _LineError("'drawing' must be a list of strokes")
    arrays: list[list[np.ndarray]] = []
    simplified = True
    for k, stroke in enumerate(value):
        if not isinstance(stroke, list) or len(stroke) not in (2, 3):
            raise _LineError(f"stroke {k} must be [xs, ys] or [xs, ys, times]")
        rows = []
        for r, row in enumerate(stroke):
            if not isinstance(row, list):
                raise _LineError(f"stroke {k}, list {r}: must be a list of numbers")
            try:
                a = np.asarray(row) if row else np.zeros(0, np.uint8)
            except (OverflowError, ValueError):  # a huge integer, or nested lists
                raise _LineError(f"stroke {k}, list {r}: must be a list of numbers") from None
            if a.ndim != 1 or a.dtype.kind not in "iuf":  # strings, null, lists, bools
                raise _LineError(f"stroke {k}, list {r}: must be a list of numbers")
            if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
                raise _LineError(f"stroke {k}, list {r}: a number is out of range")
            rows.append(a)
        if len({len(a) for a in rows}) != 1:
            raise _LineError(f"stroke {k}: its lists have different lengths")
        if len(rows) == 3 or any(
            a.dtype.kind == "f" or (a.size and (a.min() < 0 or a.max() > 255)) for a in rows[:2]
        ):
            simplified = False
        arrays.append(rows)
    if simplified:
        return [np.stack(rows).astype(np.uint8) for rows in arrays]
    try:
        return normalize_strokes([np.stack(rows[:2]).astype(np.float64) for rows in arrays])
    except ValueError as exc:
        raise _LineError(str(exc)) from None


def _parse_key_id(value: Any) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 64:
        raise _LineError("'key_id' must be a whole number 0..2**64-1 (or its digits as a string)")
    return value


def _parse_timestamp(value: Any) -> int:
    """Unix seconds from "2017-03-02 23:25:10.07453 UTC" (the fraction dropped) or a number."""
    if isinstance(value, str):
        text = value.strip().removesuffix("UTC").strip()
        for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
            try:
                value = calendar.timegm(datetime.strptime(text, fmt).timetuple())
                break
            except ValueError:
                continue
        else:
            raise _LineError(f"timestamp {value[:40]!r} is not like '2017-03-02 23:25:10.07 UTC'")
    if isinstance(value, float) and math.isfinite(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 32:
        raise _LineError("'timestamp' must be a UTC time string or unix seconds 0..2**32-1")
    return value


def normalize_strokes(
    strokes: Sequence[np.ndarray], epsilon: float = SIMPLIFY_EPSILON
) -> list[np.ndarray]:
    """Raw strokes (float x, y) to the simplified form, the way Google made the simplified set.

    Align the drawing's top-left to 0, scale uniformly so the larger side spans 255,
    resample each stroke at 1-unit spacing, simplify it with Ramer–Douglas–Peucker
    (``epsilon`` in those 0..255 units) and round to uint8; a stroke that shrinks to one
    point (a tap) keeps it twice, as Google's data does. On the 50 raw cats and dogs that
    also exist in simplified form, 46 come out identical and the rest differ by a point.
    Raises ValueError for coordinates too large to scale.
    """
    pts = [np.asarray(s, dtype=np.float64)[:2] for s in strokes]
    filled = [p for p in pts if p.shape[1]]
    if not filled:
        return [np.zeros((2, 0), np.uint8) for _ in pts]
    allp = np.concatenate(filled, axis=1)
    low = allp.min(axis=1, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        extent = float(np.max(allp.max(axis=1) - low[:, 0]))
    if not math.isfinite(extent):
        raise ValueError("coordinates are too large to normalize")
    out = []
    for p in pts:
        # Divide first: 255 / extent overflows for a tiny extent, (p - low) / extent cannot.
        q = (p - low) / extent * 255.0 if extent > 0 else np.zeros_like(p)
        q = np.round(rdp(resample(q), epsilon))
        if q.shape[1] == 1:
            q = np.repeat(q, 2, axis=1)
        out.append(np.clip(q, 0, 255).astype(np.uint8))
    return out


MAX_RESAMPLED_POINTS = 100_000
"""Strokes that would resample to more points than this are simplified as they are."""


def resample(points: np.ndarray, spacing: float = 1.0) -> np.ndarray:
    """A (2, n) polyline resampled at even ``spacing`` along its length (ends kept)."""
    if points.shape[1] < 2:
        return points
    steps = np.hypot(*np.diff(points, axis=1))
    along = np.concatenate(([0.0], np.cumsum(steps)))
    total = float(along[-1])
    if total == 0.0:
        return points[:, [0, -1]]
    if total / spacing > MAX_RESAMPLED_POINTS:
        return points
    at = np.arange(0.0, total, spacing)
    if at[-1] < total:
        at = np.append(at, total)
    return np.stack((np.interp(at, along, points[0]), np.interp(at, along, points[1])))


def rdp(points: np.ndarray, epsilon: float) -> np.ndarray:
    """Ramer–Douglas–Peucker on a (2, n) polyline: keep the points that matter by ``epsilon``."""
    n = points.shape[1]
    if n < 3:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        p = points[:, a : a + 1]
        inner = points[:, a + 1 : b] - p
        d = points[:, b] - points[:, a]
        length = math.hypot(d[0], d[1])
        if length == 0.0:
            dist = np.hypot(inner[0], inner[1])
        else:
            dist = np.abs(d[0] * inner[1] - d[1] * inner[0]) / length
        i = int(np.argmax(dist))
        if dist[i] > epsilon:
            k = a + 1 + i
            keep[k] = True
            stack.append((a, k))
            stack.append((k, b))
    return points[:, keep]


# --------------------------------------------------------------------------- numpy bitmap


def read_numpy_bitmap(path: str | Path) -> np.ndarray:
    """Quick Draw ``numpy_bitmap`` rows as uint8 (N, 28, 28) images, 255 = ink.

    Accepts N×784, N×1×784 (and N×28×28) uint8 ``.npy``. The header is checked before any
    data is read, so a file claiming a huge shape costs nothing; nothing is unpickled.
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            magic = f.read(6)
            if not magic:
                raise DataFormatError(path, "byte 0", "empty file: no bitmaps")
            if magic != b"\x93NUMPY":
                raise DataFormatError(path, "byte 0", "not a NumPy .npy file (no \\x93NUMPY)")
            f.seek(0)
            try:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
                elif version == (2, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
                else:
                    raise DataFormatError(path, "byte 6", f"unsupported .npy version {version}")
            except Exception as exc:  # NumPy's header parser raises many kinds (even TokenError)
                raise DataFormatError(path, "byte 8", f"bad .npy header ({exc})") from None
            start = f.tell()
            if dtype != np.dtype(np.uint8):
                raise DataFormatError(
                    path, "header", f"dtype is {dtype}, Quick Draw bitmaps are uint8"
                )
            if not (
                (len(shape) == 2 and shape[1] == 784)
                or (len(shape) == 3 and shape[1:] in ((1, 784), (28, 28)))
            ):
                raise DataFormatError(
                    path, "header", f"shape {shape}; expected (N, 784) or (N, 1, 784)"
                )
            count = math.prod(shape)
            size = os.fstat(f.fileno()).st_size
            if size - start < count:
                raise DataFormatError(
                    path,
                    f"byte {size}",
                    f"file is cut off: shape {shape} needs {count:,} data bytes after byte "
                    f"{start}, only {size - start:,} are there",
                )
            buffer = bytearray(count)
            f.readinto(buffer)
    except FileNotFoundError:
        raise DataFormatError(path, None, "file not found") from None
    except OSError as exc:
        raise DataFormatError(path, None, f"cannot read: {exc.strerror or exc}") from None
    data = np.frombuffer(buffer, dtype=np.uint8)
    if fortran:  # column-major on disk: reverse the axes, then transpose back
        data = data.reshape(tuple(reversed(shape))).T
    return np.ascontiguousarray(data.reshape(shape[0], 28, 28))


# --------------------------------------------------------------------------- helpers


@contextmanager
def open_data_file(path: Path) -> Iterator[BinaryIO]:
    """``path`` opened for reading, or DataFormatError as :func:`read_file_bytes` words it."""
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below; errors worded first)
    except FileNotFoundError:
        raise DataFormatError(path, None, "file not found") from None
    except IsADirectoryError:
        raise DataFormatError(path, None, "is a folder, not a file") from None
    except OSError as exc:
        raise DataFormatError(path, None, f"cannot read: {exc.strerror or exc}") from None
    with f:
        try:
            yield f
        except OSError as exc:  # (not a DataFormatError: that is no OSError)
            raise DataFormatError(path, None, f"cannot read: {exc.strerror or exc}") from None


def read_file_bytes(path: Path) -> bytes:
    """The whole file, or DataFormatError (missing, unreadable, a folder, absurdly large)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataFormatError(path, None, f"{size:,} bytes is too large for a Quick Draw file")
        return path.read_bytes()
    except FileNotFoundError:
        raise DataFormatError(path, None, "file not found") from None
    except IsADirectoryError:
        raise DataFormatError(path, None, "is a folder, not a file") from None
    except OSError as exc:
        raise DataFormatError(path, None, f"cannot read: {exc.strerror or exc}") from None


def _damaged(path: Path, location: str, problem: str, kept: int, keep_partial: bool) -> None:
    """Raise for damage, or (keep_partial, something read) warn and let the caller stop there."""
    if not keep_partial or kept == 0:
        raise DataFormatError(path, location, problem)
    warnings.warn(
        TruncatedFileWarning(
            f"{path}, {location}: {problem}; kept the {kept:,} drawings before it"
        ),
        stacklevel=4,
    )
