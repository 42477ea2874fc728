"""The ``SPEC`` strings the CLI and GUI use to name data, and loading what they name.

Convention everywhere: images are float32 arrays of shape (N, H, W) with values in
[0, 1], ink = 1.0 and background = 0.0 (MNIST's own convention; Quick Draw bitmaps
are rasterized the same way).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from models.data.dataset import Dataset, pad_to
from models.data.formats import QUICKDRAW_EXTENSIONS
from models.errors import DataSpecError

# --------------------------------------------------------------------------- SPEC strings

SPEC_KINDS = ("mnist", "quickdraw", "doodles", "images")
SPEC_FAMILIES = {"mnist": "digits", "quickdraw": "sketches", "doodles": "sketches"}
"""What each kind of SPEC holds: doodles are practice sketches, as Quick Draw's are."""
MAX_DOODLES = 1_000_000
"""Upper bound for ``doodles:N``: a typo such as ``doodles:30000000`` should not eat the RAM."""


def parse_spec(spec: str) -> tuple[str, str | None]:
    """Split ``"kind[:arg]"`` into ``(kind, arg)``; ``kind`` is lower-cased, ``arg`` kept as is.

    Only the first colon separates, so paths that contain colons still work. A bare path
    to Quick Draw files (``cat.bin``, ``a.ndjson,b.npy``) reads as ``quickdraw:PATH``: what
    a newcomer types first.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise DataSpecError(
            f"empty data spec; use one of: {', '.join(SPEC_KINDS)} (e.g. mnist, quickdraw:cat)"
        )
    kind, sep, arg = spec.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in SPEC_KINDS:
        if spec.strip().lower().endswith(QUICKDRAW_EXTENSIONS):
            return "quickdraw", spec.strip()
        import difflib

        close = difflib.get_close_matches(kind, SPEC_KINDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DataSpecError(
            f"data spec {spec!r}: unknown kind {kind!r}{hint}; use mnist, mnist:PATH, "
            "quickdraw:CATEGORY, quickdraw:PATH (or just the .bin/.ndjson/.npy path), "
            "doodles, doodles:N or images:FOLDER"
        )
    arg = arg.strip()
    if sep and not arg:
        raise DataSpecError(f"data spec {spec!r}: nothing after the colon")
    return kind, (arg if sep else None)


def spec_family(spec: str) -> str | None:
    """What a SPEC (or a Dataset's ``name``, which loaders write as a SPEC) holds:
    "digits" or "sketches"; None for names that are not SPECs (a hand-made Dataset)."""
    try:
        kind, arg = parse_spec(spec)
    except DataSpecError:
        return None
    if kind == "images":
        from models.data.images import folder_family

        return None if arg is None else folder_family(arg)
    return SPEC_FAMILIES.get(kind)


def load_dataset(
    spec: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    image_size: int | None = None,
    doodle_count: int = 3000,
    seed: int = 0,
    max_per_category: int | None = None,
    family: str | None = None,
    strict: bool = False,
) -> Dataset:
    """Load the data a SPEC names (the CLI's ``--data`` and the GUI's data picker).

    ``mnist`` / ``mnist:PATH`` (an ``.npz``, IDX images file or CSV), ``quickdraw:CATEGORY``
    (downloaded into the cache) / ``quickdraw:PATH`` (``.bin``, ``.ndjson``, ``.npy``), and
    ``doodles`` / ``doodles:N`` (generated practice sketches; ``doodle_count`` by default).
    ``quickdraw:cat,dog,pig`` / ``quickdraw:FILE1,FILE2`` make one labelled set of several
    categories (label i = ``class_names[i]``); ``max_per_category`` keeps the first N
    drawings of each category (of any Quick Draw spec).
    ``images:FOLDER`` reads the user's own pictures (:mod:`models.data.images`), framed as
    the data of ``family`` ("digits" or "sketches": the model's; by default the folder's
    own), bad files skipped and counted in one SkippedFilesWarning (refused with ``strict``).
    ``image_size`` pads smaller images to that square size (the conv autoencoder needs
    32×32; MNIST is 28×28). ``progress(done, total)`` reports a download.
    Raises DataSpecError for a spec that cannot be used; the loaders' own DataFormatError
    or DownloadError for bad files or failed downloads.
    """
    kind, arg = parse_spec(spec)
    if kind == "mnist":
        data = _load_mnist_spec(spec, arg, progress)
    elif kind == "quickdraw":
        if max_per_category is not None and max_per_category < 1:
            raise DataSpecError(f"data spec {spec!r}: --max-per-category must be at least 1")
        data = _load_quickdraw_parts(spec, arg, progress, max_per_category)
    elif kind == "images":
        data = _load_images_spec(spec, arg, family, strict, progress)
    else:
        data = _load_doodles_spec(spec, arg, doodle_count, seed)
    if image_size is not None:
        h, w = data.image_shape
        if h > image_size or w > image_size:
            raise DataSpecError(
                f"data spec {spec!r}: images are {h}x{w}, larger than the model's "
                f"{image_size}x{image_size}"
            )
        if (h, w) != (image_size, image_size):
            data = replace(data, images=pad_to(data.images, image_size))
    return data


def _load_mnist_spec(
    spec: str, arg: str | None, progress: Callable[[int, int], None] | None
) -> Dataset:
    from models.data.mnist import load_mnist

    if arg is None:
        return load_mnist(progress=progress)
    path = Path(arg).expanduser()
    if not path.exists() and arg.lower() in ("train", "test"):
        return load_mnist(split=arg.lower(), progress=progress)
    if not path.is_file():
        problem = f"{path} is not a file" if path.exists() else f"no such file {path}"
        raise DataSpecError(f"data spec {spec!r}: {problem}")
    return load_mnist(path)


def _load_images_spec(
    spec: str,
    arg: str | None,
    family: str | None,
    strict: bool,
    progress: Callable[[int, int], None] | None,
) -> Dataset:
    from models.data.images import load_images

    if arg is None:
        raise DataSpecError(f"data spec {spec!r}: name a folder of pictures (images:FOLDER)")
    return load_images(arg, framing=family, strict=strict, progress=progress, name=spec.strip())


def _load_quickdraw_spec(
    spec: str, arg: str | None, progress: Callable[[int, int], None] | None
) -> Dataset:
    from models.data import quickdraw

    if arg is None:
        raise DataSpecError(
            f"data spec {spec!r}: name a category (quickdraw:cat) or a file (quickdraw:PATH)"
        )
    path = Path(arg).expanduser()
    looks_like_path = (
        path.suffix.lower() in QUICKDRAW_EXTENSIONS or "/" in arg or os.sep in arg or path.exists()
    )
    if looks_like_path:
        if not path.exists():
            raise DataSpecError(f"data spec {spec!r}: no such file {path}")
        if not path.is_file():
            raise DataSpecError(f"data spec {spec!r}: {path} is not a file")
        if path.suffix.lower() not in QUICKDRAW_EXTENSIONS:
            raise DataSpecError(
                f"data spec {spec!r}: unsupported file type {path.suffix or '(none)'}; "
                f"Quick Draw files are {', '.join(QUICKDRAW_EXTENSIONS)}"
            )
        bitmaps = quickdraw.load_bitmaps(path)
        word = bitmaps.word or quickdraw.npy_category_name(path)
        name = f"quickdraw:{path.name}"
        label, how = f"Quick Draw file {path.name}", ""
    else:
        category = _match_category(spec, arg, tuple(quickdraw.CATEGORIES))
        downloaded = quickdraw.download_category(category, progress=progress)
        bitmaps = quickdraw.load_bitmaps(downloaded)
        word = category
        name = f"quickdraw:{category}"
        label, how = f"Quick Draw {category!r}", "downloaded, "
    images = np.asarray(bitmaps.images, dtype=np.float32)
    metadata = {k: np.asarray(v) for k, v in dict(getattr(bitmaps, "metadata", {}) or {}).items()}
    return Dataset(
        images=images,
        labels=None,
        source=f"{label} ({how}{int(images.shape[0]):,} drawings)",
        name=name,
        generated=False,
        metadata=metadata,
        class_names=(word,),
    )


def _split_parts(arg: str | None) -> list[str]:
    """The categories or files of a ``quickdraw:`` spec: comma-separated, unless the whole
    argument is an existing file (whose name may contain a comma)."""
    if arg is None or "," not in arg or Path(arg).expanduser().is_file():
        return [arg] if arg is not None else []
    return [part.strip() for part in arg.split(",")]


def _load_quickdraw_parts(
    spec: str,
    arg: str | None,
    progress: Callable[[int, int], None] | None,
    max_per_category: int | None,
) -> Dataset:
    """One category (no labels, its name in ``class_names``) or several as one labelled
    set; the same category named twice is one label."""
    parts = _split_parts(arg)
    if len(parts) <= 1:
        data = _load_quickdraw_spec(spec, arg, progress)
        return data if max_per_category is None else data.subset(slice(0, max_per_category))
    if any(not part for part in parts):
        raise DataSpecError(f"data spec {spec!r}: an empty name between commas")
    names: dict[str, int] = {}
    pieces: list[Dataset] = []
    labels: list[np.ndarray] = []
    for part in parts:
        piece = _load_quickdraw_spec(spec, part, progress)
        if max_per_category is not None:
            piece = piece.subset(slice(0, max_per_category))
        assert piece.class_names is not None
        label = names.setdefault(piece.class_names[0], len(names))
        pieces.append(piece)
        labels.append(np.full(len(piece), label, dtype=np.int64))
    shapes = {p.image_shape for p in pieces}
    if len(shapes) > 1:
        raise DataSpecError(f"data spec {spec!r}: the files hold images of different sizes")
    metadata: dict[str, np.ndarray] = {}
    keys = set.intersection(*(set(p.metadata) for p in pieces))
    for key in sorted(keys):
        metadata[key] = np.concatenate([p.metadata[key] for p in pieces])
    total = sum(len(p) for p in pieces)
    class_names = tuple(names)
    return Dataset(
        images=np.concatenate([p.images for p in pieces]),
        labels=np.concatenate(labels),
        source=f"Quick Draw {', '.join(class_names)} ({total:,} drawings)",
        name=spec.strip(),
        generated=False,
        num_classes=len(class_names),
        metadata=metadata,
        class_names=class_names,
    )


def _match_category(spec: str, arg: str, categories: tuple[str, ...]) -> str:
    """The official category name for ``arg``: case-insensitive, ``_`` read as a space.

    ``t-shirt`` keeps its hyphen; ``t shirt`` finds it too.
    """
    wanted = " ".join(arg.replace("_", " ").split()).lower()
    by_key = {c.lower(): c for c in categories}
    for key in (wanted, wanted.replace("-", " ")):
        if key in by_key:
            return by_key[key]
    loose = {k.replace("-", " "): c for k, c in by_key.items()}
    if wanted in loose:
        return loose[wanted]
    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(by_key[c]) for c in close)}?" if close else ""
    raise DataSpecError(
        f"data spec {spec!r}: {arg!r} is not a Quick Draw category or an existing "
        f".bin/.ndjson/.npy file{hint}"
    )


def _load_doodles_spec(spec: str, arg: str | None, doodle_count: int, seed: int) -> Dataset:
    from models.data.doodles import generate_doodles
    from models.data.quickdraw import rasterize

    if arg is None:
        n = doodle_count
    else:
        try:
            n = int(arg.replace("_", "").replace(",", ""))
        except ValueError:
            raise DataSpecError(
                f"data spec {spec!r}: {arg!r} is not a number of doodles (e.g. doodles:3000)"
            ) from None
    if not 1 <= n <= MAX_DOODLES:
        raise DataSpecError(f"data spec {spec!r}: the number of doodles must be 1..{MAX_DOODLES:,}")
    images = np.asarray(rasterize(generate_doodles(n, seed=seed)), dtype=np.float32)
    return Dataset(
        images=images,
        labels=None,
        source=f"generated practice doodles (not real Quick Draw data, {n:,} sketches)",
        name="doodles",
        generated=True,
    )
