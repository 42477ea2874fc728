"""The training timeline: what the model looked like after each epoch, to replay it later.

A :class:`Timeline` is an ``on_epoch`` consumer (``train(..., on_epoch=timeline)``, with
snapshots on). For every epoch it keeps, in memory and in ``timeline.npz`` in the run folder
(rewritten after each epoch, like ``metrics.json``):

- the losses (``train_<term>`` and ``val_<term>`` arrays, one value per epoch);
- models with a latent map: the validation points (``points``, (E, N, D), with ``labels``),
  the decoded grid as 8-bit images (``grid``: the n×n latent grid, or for a conditional model
  the digit × z[0] grid) over ``bounds`` (x0, x1, y0, y1) fitted to that epoch's points;
- the others (the autoencoder): the preview sketches (``originals``) and their
  ``reconstructions`` per epoch.

Images are stored as uint8 (ink 255), a quarter of float32; 50 epochs of a VAE take about
10 MB. Nothing is pickled: ``np.load(..., allow_pickle=False)`` reads it.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.errors import WeightsError
from models.files import write_atomic
from models.messages import EpochResult
from models.nets.codec import MLPCodec, grid_mosaic

TIMELINE_FILE = "timeline.npz"
GRID_N = 15
"""Decoded images per side of the stored latent grid."""
POINTS_LIMIT = 1000
"""Validation points kept per epoch."""
MIN_EXTENT = 1.5
"""The classic map's half-width; a fitted range is never narrower."""


Bounds = tuple[float, float, float, float]
"""(x0, x1, y0, y1): the square of latent space a map shows, over z[0] and z[1]."""


def fit_range(points: np.ndarray, quantile: float = 0.01) -> Bounds:
    """The square that holds the points' bulk ("Fit to data"): centred on the box between the
    ``quantile`` and ``1 - quantile`` quantiles of z[0] and z[1], 10% wider than its longer
    side, never narrower than the classic ±1.5 map. A 1-D latent space has y = 0."""
    z = np.asarray(points, np.float64)
    z = z[:, None] if z.ndim == 1 else z
    if z.shape[1] == 1:
        z = np.concatenate([z, np.zeros_like(z)], axis=1)
    z = z[:, :2][np.isfinite(z[:, :2]).all(axis=1)]
    if not len(z):
        return (-MIN_EXTENT, MIN_EXTENT, -MIN_EXTENT, MIN_EXTENT)
    lo, hi = np.quantile(z, quantile, axis=0), np.quantile(z, 1 - quantile, axis=0)
    cx, cy = ((lo + hi) / 2).tolist()
    half = max(MIN_EXTENT, float((hi - lo).max()) / 2 * 1.1)
    half = math.ceil(half * 10) / 10
    cx, cy = round(cx, 1), round(cy, 1)
    return (cx - half, cx + half, cy - half, cy + half)


def to_uint8(images: np.ndarray) -> np.ndarray:
    return (np.clip(np.nan_to_num(np.asarray(images, np.float32)), 0, 1) * 255 + 0.5).astype(
        np.uint8
    )


def decoded_grid(codec: MLPCodec, bounds: Bounds, n: int = GRID_N) -> np.ndarray:
    """The grid a map shows: n×n latent points over ``bounds`` (top row = highest z[1], other
    dims 0; a row over z[0] when the latent space is 1-D), or, for a conditional model, each
    digit (a row) over z[0] from x0 to x1."""
    x0, x1, y0, y1 = bounds
    h, w = codec.image_shape
    xs = np.linspace(x0, x1, n, dtype=np.float32)
    if codec.conditional:
        z = np.zeros((n, codec.latent_dim), np.float32)
        z[:, 0] = xs
        rows = [codec.decode(z, np.eye(codec.num_classes, dtype=np.float32)[d])
                for d in range(codec.num_classes)]  # fmt: skip
        r = codec.num_classes
        return np.concatenate(rows).reshape(r, n, h, w).transpose(0, 2, 1, 3).reshape(r * h, n * w)
    if codec.latent_dim == 1:
        imgs = codec.decode(xs[:, None])
        return imgs.transpose(1, 0, 2).reshape(h, n * w)
    gx, gy = np.meshgrid(xs, np.linspace(y1, y0, n, dtype=np.float32))
    z = np.zeros((n * n, codec.latent_dim), np.float32)
    z[:, 0], z[:, 1] = gx.ravel(), gy.ravel()
    return grid_mosaic(codec.decode(z), n, (h, w))


@dataclass(frozen=True)
class Frame:
    """One epoch of a timeline: computed once (the training worker does it) and appended to
    any number of timelines (the worker's file, the window's slot)."""

    epoch: int
    losses: dict[str, float]
    points: np.ndarray | None = None
    labels: np.ndarray | None = None
    bounds: Bounds | None = None
    grid: np.ndarray | None = None
    conditional: bool = False
    originals: np.ndarray | None = None
    reconstructions: np.ndarray | None = None


@dataclass
class Timeline:
    """Per-epoch records of a run; call it with each :class:`EpochResult`.

    ``run_dir``: where ``timeline.npz`` is written after each epoch (None: memory only).
    ``first_epoch``: the epoch number of the first result (a continued run starts later).
    """

    run_dir: Path | None = None
    first_epoch: int = 1
    grid_n: int = GRID_N
    points_limit: int = POINTS_LIMIT
    epochs: list[int] = field(default_factory=list)
    losses: dict[str, list[float]] = field(default_factory=dict)
    points: list[np.ndarray] = field(default_factory=list)
    labels: np.ndarray | None = None
    grids: list[np.ndarray] = field(default_factory=list)
    bounds: list[Bounds] = field(default_factory=list)
    originals: np.ndarray | None = None
    reconstructions: list[np.ndarray] = field(default_factory=list)
    conditional: bool = False

    def __post_init__(self) -> None:
        if self.run_dir is not None:
            self.run_dir = Path(self.run_dir)

    def __len__(self) -> int:
        return len(self.epochs)

    @property
    def has_map(self) -> bool:
        return bool(self.grids)

    @property
    def path(self) -> Path | None:
        return None if self.run_dir is None else self.run_dir / TIMELINE_FILE

    def __call__(self, result: EpochResult) -> None:
        """Record one epoch (and write the file). Needs ``train(..., snapshots=True)``."""
        self.append(self.frame(result))

    def frame(self, result: EpochResult) -> Frame:
        """What this timeline keeps of one epoch (the decoded grid, the codes or the
        reconstructions), without keeping it. Needs ``train(..., snapshots=True)``."""
        snap = result.snapshot
        if snap is None:
            raise ValueError("the timeline needs epoch snapshots: train(..., snapshots=True)")
        losses = {f"train_{k}": v for k, v in result.train.items()}
        losses.update({f"val_{k}": v for k, v in result.val.items()})
        epoch = self.first_epoch + result.epoch
        if snap.codec is not None and snap.val_z_mean is not None:
            z = np.asarray(snap.val_z_mean[: self.points_limit], np.float32)
            bounds = fit_range(z)
            labels = snap.val_labels
            if labels is not None:
                labels = np.asarray(labels[: self.points_limit], np.int64)
            return Frame(
                epoch,
                losses,
                points=z,
                labels=labels,
                bounds=bounds,
                grid=to_uint8(decoded_grid(snap.codec, bounds, self.grid_n)),
                conditional=snap.codec.conditional,
            )
        if snap.reconstructions is not None and snap.originals is not None:
            return Frame(
                epoch,
                losses,
                originals=to_uint8(snap.originals),
                reconstructions=to_uint8(snap.reconstructions),
            )
        return Frame(epoch, losses)

    def append(self, frame: Frame) -> None:
        """Keep one epoch's frame (and write the file when the timeline has a run folder)."""
        for key in set(self.losses) | set(frame.losses):
            self.losses.setdefault(key, [math.nan] * len(self.epochs)).append(
                float(frame.losses.get(key, math.nan))
            )
        self.epochs.append(frame.epoch)
        if frame.grid is not None and frame.points is not None and frame.bounds is not None:
            if self.labels is None and frame.labels is not None:
                self.labels = frame.labels
            self.conditional = frame.conditional
            self.points.append(frame.points)
            self.bounds.append(frame.bounds)
            self.grids.append(frame.grid)
        elif frame.reconstructions is not None and frame.originals is not None:
            if self.originals is None:
                self.originals = frame.originals
            self.reconstructions.append(frame.reconstructions)
        if self.run_dir is not None:
            self.save(self.run_dir / TIMELINE_FILE)

    def keep_through(self, epoch: int) -> None:
        """Forget the epochs after ``epoch`` (1-based): a run continued from the checkpoint
        of that epoch trains them again."""
        keep = sum(1 for e in self.epochs if e <= epoch)
        self.epochs = self.epochs[:keep]
        self.losses = {k: v[:keep] for k, v in self.losses.items()}
        self.points, self.grids = self.points[:keep], self.grids[:keep]
        self.bounds, self.reconstructions = self.bounds[:keep], self.reconstructions[:keep]

    @classmethod
    def continued(
        cls, folder: str | Path, epochs_done: int, run_dir: str | Path | None = None
    ) -> Timeline:
        """The timeline of a run continued after ``epochs_done`` epochs: the one saved in
        ``folder`` up to that epoch, so that its replay shows the whole run, not only the
        epochs after the restart; a fresh one if none can be read there. (A run killed
        between an epoch's checkpoint and its timeline entry lacks that one epoch's frame.)"""
        try:
            timeline = cls.load(Path(folder) / TIMELINE_FILE)
        except WeightsError:
            timeline = cls()
        timeline.keep_through(epochs_done)
        timeline.run_dir = None if run_dir is None else Path(run_dir)
        return timeline

    # -- persistence -------------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {
            "epochs": np.asarray(self.epochs, np.int64),
            "conditional": np.asarray(self.conditional),
        }
        for key, values in self.losses.items():
            out[key] = np.asarray(values, np.float64)
        if self.grids:
            out["points"] = np.stack(self.points)
            out["grid"] = np.stack(self.grids)
            out["bounds"] = np.asarray(self.bounds, np.float64)
            if self.labels is not None:
                out["labels"] = self.labels
        if self.reconstructions and self.originals is not None:
            out["originals"] = self.originals
            out["reconstructions"] = np.stack(self.reconstructions)
        return out

    def to_bytes(self) -> bytes:
        """The ``timeline.npz`` file's bytes (a run folder writes them with its other files)."""
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **self.arrays())  # type: ignore[arg-type]
        return buffer.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write ``timeline.npz`` atomically (a temporary file renamed into place)."""
        path = Path(path)
        write_atomic(path, self.to_bytes())
        return path

    @classmethod
    def load(cls, path: str | Path) -> Timeline:
        """Read a ``timeline.npz`` (a run folder or the file); WeightsError if it is not one."""
        path = Path(path)
        if path.is_dir():
            path = path / TIMELINE_FILE
        if not path.is_file():
            raise WeightsError(f"{path}: no training timeline (train with this version first)")
        try:
            with np.load(path, allow_pickle=False) as f:
                data = {k: f[k] for k in f.files}
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
            # A cut-short or garbled file: np.load raises BadZipFile, zlib.error, EOFError...
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
            raise WeightsError(
                f"{path}: damaged or not a training timeline ({reason[:200]})"
            ) from None
        if "epochs" not in data:
            raise WeightsError(f"{path}: not a training timeline (no epochs)")
        try:
            return cls._from_arrays(data)
        except _Malformed as exc:
            raise WeightsError(f"{path}: a malformed training timeline ({exc})") from None

    @classmethod
    def _from_arrays(cls, data: dict[str, np.ndarray]) -> Timeline:
        """The timeline in ``data``; _Malformed where an array has the wrong shape or type
        (a hand-edited or foreign file must not fail later, deep in drawing a frame)."""
        epochs = _array(data, "epochs", ndim=1, kind="iu")
        n = len(epochs)
        t = cls(run_dir=None)
        t.epochs = [int(e) for e in epochs]
        conditional = data.get("conditional", np.asarray(False))
        if conditional.shape != () or conditional.dtype.kind not in "biu":
            raise _Malformed(f"conditional is {_shape_text(conditional)}, expected a flag")
        t.conditional = bool(conditional)
        t.losses = {
            k: [float(v) for v in a]
            for k, a in data.items()
            if k.startswith(("train_", "val_")) and a.shape == (n,) and a.dtype.kind in "fiu"
        }
        if "grid" in data:
            grid = _array(data, "grid", ndim=3, kind="fiu", length=n)
            points = _array(data, "points", ndim=3, kind="fiu", length=n)
            bounds = _array(data, "bounds", ndim=2, kind="fiu", length=n)
            if bounds.shape[1] != 4 or points.shape[2] < 1 or min(grid.shape[1:]) < 1:
                raise _Malformed("the grid, points and bounds arrays do not fit together")
            if "labels" in data:
                labels = _array(data, "labels", ndim=1, kind="iu")
                if len(labels) != points.shape[1]:
                    raise _Malformed("labels and points differ in length")
                t.labels = labels
            t.points = list(points)
            t.grids = list(grid)
            t.bounds = [(b[0], b[1], b[2], b[3]) for b in bounds.astype(np.float64).tolist()]
        if "reconstructions" in data:
            recons = _array(data, "reconstructions", ndim=4, kind="fiu", length=n)
            originals = _array(data, "originals", ndim=3, kind="fiu")
            if recons.shape[2:] != originals.shape[1:] or recons.shape[1] > len(originals):
                raise _Malformed("originals and reconstructions do not fit together")
            t.originals = originals
            t.reconstructions = list(recons)
        return t


class _Malformed(ValueError):
    """An array of a timeline file has the wrong shape or type."""


def _shape_text(a: np.ndarray) -> str:
    return f"{a.dtype} of shape {a.shape}"


def _array(
    data: dict[str, np.ndarray], key: str, ndim: int, kind: str, length: int | None = None
) -> np.ndarray:
    """``data[key]``, checked: ``ndim`` dimensions, a dtype kind in ``kind``, and ``length``
    rows (the epochs) where given."""
    if key not in data:
        raise _Malformed(f"no {key} array")
    a = data[key]
    if a.ndim != ndim or a.dtype.kind not in kind:
        raise _Malformed(f"{key} is {_shape_text(a)}, expected {ndim} numeric dimensions")
    if length is not None and len(a) != length:
        raise _Malformed(f"{key} holds {len(a)} epochs, the timeline {length}")
    return a
