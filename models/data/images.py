"""A folder of the user's own pictures as data (``images:DIR``).

The layout is Keras's ``image_dataset_from_directory``: one subfolder per class, named for
the class (files at the top are then ignored, as Keras does), or a flat folder of pictures
of one class without labels. Subfolders named ``0``..``9`` are digits (label = the digit,
no class names, as MNIST); other names become ``class_names`` (sorted), matched by name
like Quick Draw categories.

Each picture (PNG, JPEG, BMP, GIF's first frame, WebP; any size; modes L, RGB, RGBA, P,
LA, I;16, I, F; EXIF orientation applied) is turned into the project's convention, ink
1.0 on a 0.0 background, the way the model's own training data was made:

1. grey levels; transparent pixels are paper;
2. the paper's level is the median of the border pixels, and the ink is whichever side of
   it the picture's extreme lies on (dark on light or light on dark, per picture);
3. contrast stretched between paper and ink; the paper's noise (its spread along the
   border) and Otsu's threshold decide what is ink, and an opening drops isolated specks;
4. cropped to the ink and resized with antialiasing: MNIST's recipe for digits (the
   longer side to 20 pixels, centred by centre of mass in 28x28), Google's numpy-bitmap
   framing for sketches (the drawing's box centred, 272/304 of the 28-pixel frame across,
   see :func:`models.data.quickdraw.quickdraw_rendering`).

A picture that cannot be used (corrupt, truncated, empty, too big for Pillow's
``MAX_IMAGE_PIXELS``, not a picture, unreadable, a symlink loop, blank paper) is skipped
and counted in one :class:`~models.errors.SkippedFilesWarning` line; ``strict=True``
refuses the whole folder at the first one instead (DataFormatError).
"""

from __future__ import annotations

import errno
import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from models.data.dataset import Dataset
from models.errors import DataFormatError, DataSpecError, SkippedFilesWarning

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
"""What Pillow reads here (Keras's own list, plus .webp)."""
FRAMINGS = ("digits", "sketches")
SIZE = 28
"""Side of the pictures made (MNIST's and the numpy bitmaps'); specs pad them as needed."""
DIGIT_BOX = 20
"""MNIST: each digit's longer side fills 20 pixels, centred by mass in 28x28."""
SKETCH_BOX = SIZE * 272 / 304
"""Numpy bitmaps: the 256-unit drawing plus a 16-unit line, of 304 units across 28 pixels."""
WORK_SIDE = 1024
"""Bigger pictures are reduced to about this side first (a photo: enough for 28 pixels)."""
FLOOR = 2.0
"""Ink starts this many times the paper's noise (its sigma) away from the paper."""
MIN_FLOOR = 0.08
"""... and at least this far (of the ink's contrast): JPEG's ringing around strokes on
clean paper is no ink."""
IGNORED = frozenset({"thumbs.db", "desktop.ini"})
"""Files a file manager leaves beside pictures; skipped silently (as are dot files)."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Layout:
    """The pictures of a folder: ``files[i]`` with ``labels[i]`` (None for a flat folder)."""

    folder: Path
    files: list[Path]
    labels: list[int] | None
    class_names: tuple[str, ...] | None
    """None for digits (labels are the digits) and for a flat folder."""
    skipped: list[tuple[Path, str]]
    """Files and folders already refused while listing (not pictures, symlink loops...)."""

    @property
    def family(self) -> str | None:
        """ "digits" for subfolders 0..9, "sketches" for named classes, None for flat."""
        if self.labels is None:
            return None
        return "digits" if self.class_names is None else "sketches"


def _is_digit_name(name: str) -> bool:
    return len(name) == 1 and name.isdigit()


def scan(folder: str | Path) -> Layout:
    """List the pictures of ``folder`` (sorted, class folders walked recursively, links
    followed once: a link back to a folder already seen is reported as a loop).

    DataSpecError when the folder cannot be used at all."""
    top = Path(folder).expanduser()
    if not top.exists():
        raise DataSpecError(f"images:{folder}: no such folder {top}")
    if not top.is_dir():
        raise DataSpecError(f"images:{folder}: {top} is not a folder")
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        raise DataSpecError(f"images:{folder}: cannot read {top}: {exc.strerror}") from None
    skipped: list[tuple[Path, str]] = []
    seen: set[tuple[int, int]] = set()  # folders walked: a link back to one is a loop
    classes = [e for e in entries if not e.name.startswith(".") and _is_dir(e, skipped)]
    if not classes:
        files = _walk(top, skipped, seen)
        return Layout(top, files, None, None, skipped)
    st = top.stat()
    seen.add((st.st_dev, st.st_ino))
    classes = [e for e in classes if not _loops_back(e, seen, skipped)]
    digits = all(_is_digit_name(e.name) for e in classes)
    names = tuple(e.name for e in classes)
    all_files: list[Path] = []
    labels: list[int] = []
    for i, entry in enumerate(classes):
        found = _walk(Path(entry.path), skipped, seen)
        all_files += found
        labels += [int(entry.name) if digits else i] * len(found)
    return Layout(top, all_files, labels, None if digits else names, skipped)


def _is_dir(entry: os.DirEntry[str], skipped: list[tuple[Path, str]]) -> bool:
    try:
        return entry.is_dir()
    except OSError as exc:
        skipped.append((Path(entry.path), _why(exc)))
        return False


def _loops_back(
    entry: os.DirEntry[str], seen: set[tuple[int, int]], skipped: list[tuple[Path, str]]
) -> bool:
    """A class folder that is a link to the top folder: a loop, not a class."""
    try:
        st = entry.stat()
    except OSError as exc:
        skipped.append((Path(entry.path), _why(exc)))
        return True
    if (st.st_dev, st.st_ino) in seen:
        skipped.append((Path(entry.path), "symlink loop (a link to a folder above it)"))
        return True
    return False


def _walk(folder: Path, skipped: list[tuple[Path, str]], seen: set[tuple[int, int]]) -> list[Path]:
    """The picture files under ``folder``, sorted; others noted in ``skipped``; folders
    in ``seen`` (and those walked, added to it) are not walked again."""
    found: list[Path] = []

    def visit(path: Path) -> None:
        try:
            st = path.stat()
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            skipped.append((path, _why(exc)))
            return
        if (st.st_dev, st.st_ino) in seen:
            skipped.append((path, "symlink loop (a link to a folder above it)"))
            return
        seen.add((st.st_dev, st.st_ino))
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.lower() in IGNORED:
                continue
            child = Path(entry.path)
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError as exc:
                skipped.append((child, _why(exc)))
                continue
            if is_dir:
                visit(child)
            elif not is_file:
                skipped.append((child, _why_not_file(child)))
            elif child.suffix.lower() in IMAGE_EXTENSIONS:
                found.append(child)
            else:
                skipped.append((child, f"not a picture ({child.suffix or 'no extension'})"))

    visit(folder)
    return found


def _why_not_file(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        return _why(exc)
    return "not a regular file"


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT and os.path.islink(exc.filename or ""):
        return "broken symlink"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


# --------------------------------------------------------------------------- one picture


def read_picture(path: str | Path) -> np.ndarray:
    """The picture's grey levels (H, W) float32 in [0, 1] (0 = black), transparency laid on
    the paper. DataFormatError (naming the file) for anything that is not a usable picture."""
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise DataFormatError(path, None, "empty file (0 bytes)")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                im.seek(0)  # GIF, WebP: the first frame
                im.draft("L", (WORK_SIDE, WORK_SIDE))  # JPEG: decode smaller when big
                im.load()
                picture = ImageOps.exif_transpose(im)
                return grey_levels(picture)
    except DataFormatError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DataFormatError(
            path, None, f"too many pixels (over Pillow's MAX_IMAGE_PIXELS, "
            f"{Image.MAX_IMAGE_PIXELS:,}): refused as a possible decompression bomb"
        ) from None  # fmt: skip
    except UnidentifiedImageError:
        if _looks_like_a_picture(path):
            raise DataFormatError(path, None, "corrupt picture (Pillow cannot read it)") from None
        raise DataFormatError(path, None, "not a picture Pillow can read") from None
    except OSError as exc:
        if exc.errno is not None:
            raise DataFormatError(path, None, _why(exc)) from None
        raise DataFormatError(path, None, f"corrupt or truncated picture ({exc})") from None
    except MemoryError:
        raise DataFormatError(path, None, "too big to read into memory") from None
    except Exception as exc:  # Pillow's decoders fail in many ways on damaged files
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise DataFormatError(path, None, f"corrupt picture ({what})") from None


MAGIC = (b"\x89PNG", b"\xff\xd8", b"GIF8", b"BM", b"RIFF")
"""How PNG, JPEG, GIF, BMP and WebP files start: such a file Pillow cannot read is corrupt."""


def _looks_like_a_picture(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4).startswith(MAGIC)
    except OSError:
        return False


def grey_levels(im: Image.Image) -> np.ndarray:
    """Grey levels of any mode; transparency becomes paper (see module docstring)."""
    if max(im.size) > 2 * WORK_SIDE:
        im = im.reduce(max(im.size) // WORK_SIDE)
    alpha = None
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        im.mode == "P" and "transparency" in im.info
    ):
        rgba = im.convert("RGBA")
        alpha = np.asarray(rgba.getchannel("A"), np.float32) / 255.0
        im = rgba.convert("RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        raw = np.asarray(im).astype(np.float32)
        top = 65535.0 if im.mode.startswith("I;16") or raw.max() > 255 else 255.0
        grey = np.clip(raw / top, 0, 1) if im.mode != "F" else _minmax(raw)
    else:
        grey = np.asarray(im.convert("L"), np.float32) / 255.0
    if alpha is not None and float(alpha.min()) < 1.0:
        opaque = alpha > 0.5
        # the paper under the transparent parts is the opposite of the opaque strokes
        paper = 1.0 if not opaque.any() or float(np.median(grey[opaque])) < 0.5 else 0.0
        grey = grey * alpha + paper * (1.0 - alpha)
    return grey.astype(np.float32)


def _minmax(a: np.ndarray) -> np.ndarray:
    lo, hi = float(np.nanmin(a)), float(np.nanmax(a))
    return np.zeros_like(a) if hi <= lo else (a - lo) / (hi - lo)


def _border(a: np.ndarray) -> np.ndarray:
    w = max(1, min(a.shape) // 20)
    return np.concatenate([a[:w].ravel(), a[-w:].ravel(), a[:, :w].ravel(), a[:, -w:].ravel()])


def _otsu(values: np.ndarray) -> float:
    """Otsu's threshold of values in [0, 1] (256 bins)."""
    hist, edges = np.histogram(values, bins=256, range=(0.0, 1.0))
    p = hist.astype(np.float64) / max(1, hist.sum())
    omega = np.cumsum(p)
    mu = np.cumsum(p * (edges[:-1] + edges[1:]) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * omega - mu) ** 2 / (omega * (1 - omega))
    between = np.nan_to_num(between)
    return float(edges[int(np.argmax(between)) + 1])


def _filtered(mask: np.ndarray, *filters: ImageFilter.Filter) -> np.ndarray:
    im = Image.fromarray(mask.astype(np.uint8) * 255)
    for f in filters:
        im = im.filter(f)
    return np.asarray(im) > 127


def ink_of(grey: np.ndarray) -> np.ndarray:
    """Ink (H, W) in [0, 1] on 0, from grey levels: polarity from the border, contrast
    stretched, the paper's noise and specks suppressed. All zeros when there is no ink."""
    border = _border(grey)
    paper = float(np.median(border))
    lo, hi = float(grey.min()), float(grey.max())
    dark = (paper - lo) >= (hi - paper)  # dark ink on light paper
    contrast = (paper - lo) if dark else (hi - paper)
    spread = float(np.median(np.abs(border - paper))) * 1.4826  # the paper's noise (sigma)
    if contrast <= max(0.02, 4 * spread):
        return np.zeros_like(grey)
    raw = np.clip(((paper - grey) if dark else (grey - paper)) / contrast, 0, 1)
    floor = min(0.5, max(MIN_FLOOR, FLOOR * spread / contrast))  # the paper's noise, in ink units
    threshold = max(floor, _otsu(raw))
    mask = raw > threshold
    if min(grey.shape) >= 48:  # big enough that strokes are wider than a speck
        opened = _filtered(mask, ImageFilter.MinFilter(3), ImageFilter.MaxFilter(3))
        if opened.any():
            mask = opened
    near = _filtered(mask, ImageFilter.MaxFilter(5))  # ink's antialiased edges around it
    full = max(float(np.percentile(raw[mask], 75)), floor + 0.05)  # the strokes' own level
    ink = np.clip((raw - floor) / (full - floor), 0, 1) * near
    return ink.astype(np.float32)


def _crop(ink: np.ndarray) -> np.ndarray | None:
    rows, cols = np.nonzero(ink > 0)
    if rows.size == 0:
        return None
    return ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def _resize(a: np.ndarray, width: int, height: int) -> np.ndarray:
    im = Image.fromarray(a.astype(np.float32), mode="F")
    out = np.asarray(im.resize((width, height), Image.Resampling.LANCZOS), np.float32)
    return np.clip(out, 0, 1)


def _fit(crop: np.ndarray, box: float) -> np.ndarray:
    """``crop`` resized so its longer side is ``box`` pixels, aspect kept."""
    h, w = crop.shape
    scale = box / max(h, w)
    out = _resize(crop, max(1, round(w * scale)), max(1, round(h * scale)))
    top = float(out.max())
    return out / top if top > 0 else out


def frame_digit(ink: np.ndarray) -> np.ndarray | None:
    """MNIST's framing: the longer side in 20 pixels, centred by centre of mass in 28x28."""
    crop = _crop(ink)
    if crop is None:
        return None
    digit = _fit(crop, DIGIT_BOX)
    h, w = digit.shape
    mass = float(digit.sum())
    cy = float((digit.sum(axis=1) * np.arange(h)).sum()) / mass
    cx = float((digit.sum(axis=0) * np.arange(w)).sum()) / mass
    top = int(np.clip(round(SIZE / 2 - cy), 0, SIZE - h))
    left = int(np.clip(round(SIZE / 2 - cx), 0, SIZE - w))
    out = np.zeros((SIZE, SIZE), np.float32)
    out[top : top + h, left : left + w] = digit
    return out


def frame_sketch(ink: np.ndarray) -> np.ndarray | None:
    """Numpy-bitmap framing: the drawing's box centred, its longer side 272/304 of 28."""
    crop = _crop(ink)
    if crop is None:
        return None
    sketch = _fit(crop, SKETCH_BOX)
    h, w = sketch.shape
    top, left = (SIZE - h) // 2, (SIZE - w) // 2
    out = np.zeros((SIZE, SIZE), np.float32)
    out[top : top + h, left : left + w] = sketch
    return out


def convert(grey: np.ndarray, framing: str) -> np.ndarray | None:
    """A picture's grey levels as a 28x28 image of the model's convention (None: no ink)."""
    if framing not in FRAMINGS:
        raise ValueError(f"framing must be one of {FRAMINGS}, got {framing!r}")
    ink = ink_of(grey)
    return frame_digit(ink) if framing == "digits" else frame_sketch(ink)


def picture(path: str | Path, framing: str) -> np.ndarray:
    """One file as a 28x28 image; DataFormatError when it cannot be."""
    image = convert(read_picture(path), framing)
    if image is None:
        raise DataFormatError(path, None, "no ink found (blank paper?)")
    return image


# --------------------------------------------------------------------------- a folder


class _Skips:
    """Counts the files left out, for the one line that reports them."""

    def __init__(self, spec: str, strict: bool) -> None:
        self.spec = spec
        self.strict = strict
        self.items: list[tuple[Path, str]] = []

    def add(self, path: Path, why: str) -> None:
        if self.strict:
            raise DataFormatError(path, None, f"{why} (--strict: refusing {self.spec})")
        self.items.append((path, why))

    def report(self, total: int) -> None:
        if not self.items:
            return
        kinds = Counter(_kind(why) for _, why in self.items)
        path, why = self.items[0]
        warnings.warn(
            SkippedFilesWarning(
                f"{self.spec}: skipped {len(self.items)} of {total} files ("
                + ", ".join(f"{n} {k}" for k, n in kinds.most_common())
                + f"; first: {path.name}: {why})"
            ),
            stacklevel=3,
        )


def _kind(why: str) -> str:
    for key in ("not a picture", "symlink loop", "permission", "empty", "too many pixels",
                "no ink", "corrupt"):  # fmt: skip
        if key in why:
            return {"too many pixels": "too big", "no ink": "blank", "empty": "empty"}.get(key, key)
    return "unreadable"


def iter_images(
    layout: Layout, framing: str, skips: _Skips, progress: Progress | None = None
) -> Iterator[tuple[int, np.ndarray]]:
    """(index into layout.files, 28x28 image) of each usable picture, in order."""
    total = len(layout.files)
    for i, path in enumerate(layout.files):
        try:
            yield i, picture(path, framing)
        except DataFormatError as exc:
            skips.add(path, exc.problem)
        if progress is not None and (i % 64 == 63 or i == total - 1):
            progress(i + 1, total)


def _checked_layout(spec: str, folder: str | Path, skips: _Skips) -> Layout:
    layout = scan(folder)
    for path, why in layout.skipped:
        skips.add(path, why)
    if not layout.files:
        raise DataSpecError(
            f"{spec}: no pictures in {layout.folder} (looked for {', '.join(IMAGE_EXTENSIONS)})"
        )
    return layout


def load_images(
    folder: str | Path,
    *,
    framing: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    name: str | None = None,
) -> Dataset:
    """The pictures of ``folder`` as a Dataset of 28x28 images (see the module docstring).

    ``framing``: "digits" or "sketches" (how the model's training data was framed); by
    default the folder's own family (digits for a flat folder). Bad files are skipped and
    counted in one SkippedFilesWarning, or refused with ``strict``; DataSpecError when no
    picture is usable."""
    spec = name or f"images:{folder}"
    skips = _Skips(spec, strict)
    layout = _checked_layout(spec, folder, skips)
    framing = framing or layout.family or "digits"
    kept: list[int] = []
    images: list[np.ndarray] = []
    for i, image in iter_images(layout, framing, skips, progress):
        kept.append(i)
        images.append(image)
    skips.report(len(layout.files) + len(layout.skipped))
    if not images:
        raise DataSpecError(f"{spec}: none of the {len(layout.files)} pictures could be used")
    data = _dataset(spec, layout, np.stack(images), np.asarray(kept, np.int64))
    if skips.items:  # the window shows the source, not the warning
        source = data.source[:-1] + f", {len(skips.items):,} files skipped)"
        data = replace(data, source=source)
    return data


def _dataset(spec: str, layout: Layout, images: np.ndarray, kept: np.ndarray) -> Dataset:
    labels = None
    if layout.labels is not None:
        labels = np.asarray(layout.labels, np.int64)[kept]
    names = layout.class_names
    return Dataset(
        images=images.astype(np.float32),
        labels=labels,
        source=f"pictures in {layout.folder} ({len(images):,} pictures)",
        name=spec,
        num_classes=len(names) if names else 10,
        metadata={"file": np.asarray([str(layout.files[i]) for i in kept])},
        class_names=names,
    )


def folder_family(folder: str | Path) -> str | None:
    """ "digits" (subfolders 0..9), "sketches" (other subfolders) or None (flat, or not a
    folder): without reading a picture."""
    top = Path(folder).expanduser()
    try:
        subs = [e.name for e in os.scandir(top) if not e.name.startswith(".") and e.is_dir()]
    except OSError:
        return None
    if not subs:
        return None
    return "digits" if all(_is_digit_name(s) for s in subs) else "sketches"


# --------------------------------------------------------------------------- big folders

STREAM_VERSION = 1
"""Bump when the conversion changes, so old cached rows are not used."""


@dataclass(frozen=True)
class StreamedImages:
    """A folder's pictures as cache rows (``(N, size*size)`` uint8 ink levels 0..255,
    memory-mapped) and their labels (int64 memory map, or None for a flat folder)."""

    rows: np.ndarray
    labels: np.ndarray | None
    size: int
    layout: Layout
    name: str


def stream_images(
    folder: str | Path,
    *,
    size: int = 32,
    framing: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    name: str | None = None,
    cache_dir: str | Path | None = None,
) -> StreamedImages:
    """The pictures of a folder too big for memory, converted chunk by chunk into the
    cache (``<cache>/rasterized/images-<digest>.stream``), so memory stays bounded; a
    folder whose files (names, sizes, times) are unchanged is read from the cache again.
    Bad files are reported as :func:`load_images` reports them."""
    import hashlib
    import json

    from models.files import atomic_path, write_atomic
    from models.paths import cache_dir as default_cache

    spec = name or f"images:{folder}"
    skips = _Skips(spec, strict)
    layout = _checked_layout(spec, folder, skips)
    framing = framing or layout.family or "digits"
    if size < SIZE:
        raise DataSpecError(f"{spec}: pictures are {SIZE}x{SIZE}; they cannot stream at {size}")
    stamps = []
    for path in layout.files:
        try:
            st = path.stat()
            stamps.append((str(path), st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1, -1))
    key = {"version": STREAM_VERSION, "framing": framing, "size": size, "files": stamps}
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:20]
    root = Path(cache_dir) if cache_dir is not None else default_cache()
    entry = root / "rasterized" / f"images-{digest}.stream"
    meta_path = entry / "meta.json"
    meta = None
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            meta = None
    if meta is None:
        kept: list[int] = []
        failed: list[tuple[str, str]] = []
        collect = _Skips(spec, strict)
        pad = (size - SIZE) // 2
        with atomic_path(entry / "rows.u8") as tmp, open(tmp, "wb") as f:
            for i, image in iter_images(layout, framing, collect, progress):
                row = np.zeros((size, size), np.uint8)
                row[pad : pad + SIZE, pad : pad + SIZE] = np.rint(image * 255)
                f.write(row.tobytes())
                kept.append(i)
        failed = [(str(p), why) for p, why in collect.items]
        labels = None if layout.labels is None else np.asarray(layout.labels, np.int64)[kept]
        if labels is not None:
            with atomic_path(entry / "labels.i64") as tmp:
                labels.tofile(tmp)
        meta = {"count": len(kept), "failed": failed}
        write_atomic(meta_path, json.dumps(meta).encode())
    elif progress is not None:
        progress(len(layout.files), len(layout.files))
    for path_text, why in meta["failed"]:
        skips.add(Path(path_text), why)
    skips.report(len(layout.files) + len(layout.skipped))
    count = int(meta["count"])
    if count == 0:
        raise DataSpecError(f"{spec}: none of the {len(layout.files)} pictures could be used")
    rows = np.memmap(entry / "rows.u8", dtype=np.uint8, mode="r", shape=(count, size * size))
    labels_map = None
    if layout.labels is not None:
        labels_map = np.memmap(entry / "labels.i64", dtype=np.int64, mode="r", shape=(count,))
    return StreamedImages(rows, labels_map, size, layout, spec)
