"""Checkpoints after every epoch, so a killed run (SIGKILL, power loss) can be resumed.

The manner of Keras' ``BackupAndRestore``, for the project's own loop: after each epoch the
complete training state goes into ``epoch-NNNN/`` in the run's checkpoint folder (the
per-user cache's ``checkpoints/<out name>-<hash>/`` for the command line, so that ``--out``
changes only when the run commits; ``OUT/checkpoints/`` for a multi-worker run, which every
worker must read; a window run's session folder): the model's variables
(weights and the sampling layer's seed state), the optimizer's variables (its step count,
moments and, for the CVAE, the moving average of the weights), the kept best weights, the
NumPy RNG state, the history and the config.

Why it is never half-read: each checkpoint is written into a temporary folder beside the
others and then renamed into place in one step; only folders named ``epoch-NNNN`` are ever
read, and the newest one wins. Older checkpoints are removed once a newer one is in place.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import ExplorerError
from models.files import write_atomic
from models.nets.config import TrainConfig

CHECKPOINTS = "checkpoints"
STATE_FILE = "state.json"
FORMAT = 1
_NAME = re.compile(r"^epoch-(\d{4,})$")


class CheckpointError(ExplorerError):
    """A checkpoint cannot be written, or a resume cannot use the saved one."""


@dataclass
class TrainingState:
    """Everything the loop needs to continue exactly where an epoch ended."""

    config: dict[str, Any]
    history: list[dict[str, float]]
    steps_done: int
    """Batches trained so far over the whole run (for ``max_steps``)."""
    rng: dict[str, Any]
    """The loop's NumPy generator state (``bit_generator.state``) where the current pass began."""
    position: int
    """Samples of the current pass already used."""
    first_loss: float | None
    model: list[np.ndarray]
    optimizer: list[np.ndarray]
    good: list[np.ndarray]
    """The weights the epoch ended with (the weight average, where there is one)."""
    best: tuple[float, int, list[np.ndarray]] | None = None
    """(score, 1-based epoch, weights) of the best epoch so far under keep-best recipes."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def epochs_done(self) -> int:
        return len(self.history)


def default_folder(out: str | Path) -> Path:
    """Where a run into ``out`` keeps its checkpoints: the per-user cache, one folder per
    output folder. Not inside ``out``, which changes only when the run commits its model
    (models.runfolder): after any failure ``out`` is as it was, and the run can resume."""
    import hashlib

    from models.paths import cache_dir

    real = os.path.realpath(out)
    digest = hashlib.sha256(real.encode()).hexdigest()[:12]
    return cache_dir() / CHECKPOINTS / f"{Path(real).name}-{digest}"


def epochs_in(checkpoint: Path | None) -> int:
    """How many epochs a checkpoint folder (``epoch-NNNN``) holds; 0 for None."""
    match = None if checkpoint is None else _NAME.match(checkpoint.name)
    return 0 if match is None else int(match.group(1))


class CheckpointStore:
    """The checkpoints of one run folder (and the run's live ``metrics.json`` beside them).

    ``folder`` defaults to :func:`default_folder`; a multi-worker run passes
    ``out/checkpoints`` instead, a place every worker can read (a shared disk).
    """

    def __init__(
        self, out: str | Path, *, folder: str | Path | None = None, read_only: bool = False
    ) -> None:
        from models.paths import cache_off

        self.out = Path(out)
        self.folder = Path(folder) if folder is not None else default_folder(out)
        # An unusable cache (the user was told): the run goes on without checkpoints.
        self.read_only = read_only or (folder is None and cache_off() is not None)
        """Load but never write (the non-chief workers of a multi-worker run)."""

    @property
    def metrics_path(self) -> Path:
        """The run's ``metrics.json`` as of its last complete epoch."""
        return self.folder / "metrics.json"

    def clear(self) -> None:
        """Forget an earlier run's checkpoints (a fresh run into the same folder)."""
        if not self.read_only and self.folder.is_dir():
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- writing ---------------------------------------------------------------------------
    def save(self, state: TrainingState) -> Path:
        """Write ``state`` as the newest checkpoint, atomically; CheckpointError if it fails."""
        if self.read_only:
            return self.folder
        final = self.folder / f"epoch-{state.epochs_done:04d}"
        tmp: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=self.folder))
            _save_arrays(tmp / "model.npz", state.model)
            _save_arrays(tmp / "optimizer.npz", state.optimizer)
            _save_arrays(tmp / "good.npz", state.good)
            if state.best is not None:
                _save_arrays(tmp / "best.npz", state.best[2])
            meta = {
                "format": FORMAT,
                "config": state.config,
                "history": state.history,
                "steps_done": state.steps_done,
                "rng": state.rng,
                "position": state.position,
                "first_loss": state.first_loss,
                "best": None if state.best is None else [state.best[0], state.best[1]],
                "extra": state.extra,
            }
            (tmp / STATE_FILE).write_text(json.dumps(meta, indent=1))
            if final.exists():  # the same epoch again (a resumed run that was killed mid-save)
                shutil.rmtree(final)
            os.replace(tmp, final)
            tmp = None
            # The live metrics.json, beside the checkpoints: the files in ``out`` (its
            # metrics.json too) change only when the run commits them (models.runfolder).
            write_atomic(self.metrics_path, json.dumps(state.history, indent=2).encode())
        except OSError as exc:
            raise CheckpointError(
                f"{self.out}: cannot write the checkpoint of epoch {state.epochs_done} "
                f"({exc.strerror or exc}); the run stopped"
            ) from None
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        self._remove_older(state.epochs_done)
        return final

    def _remove_older(self, keep: int) -> None:
        for path in self.folder.iterdir():
            m = _NAME.match(path.name)
            stale = (m is not None and int(m.group(1)) < keep) or path.name.startswith(".partial-")
            if stale and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)

    # -- reading ---------------------------------------------------------------------------
    def latest(self) -> Path | None:
        """The newest complete checkpoint folder, or None."""
        if not self.folder.is_dir():
            return None
        found = sorted(
            (int(m.group(1)), p)
            for p in self.folder.iterdir()
            if (m := _NAME.match(p.name)) and (p / STATE_FILE).is_file()
        )
        return found[-1][1] if found else None

    def epochs_done(self) -> int:
        """How many epochs the newest complete checkpoint holds (0 when there is none)."""
        return epochs_in(self.latest())

    def load(self) -> TrainingState | None:
        """The newest checkpoint, or None when there is none; CheckpointError if unreadable."""
        path = self.latest()
        if path is None:
            return None
        try:
            meta = json.loads((path / STATE_FILE).read_text())
            if meta.get("format") != FORMAT:
                raise ValueError(f"format {meta.get('format')!r}, expected {FORMAT}")
            best = None
            if meta["best"] is not None:
                best = (
                    float(meta["best"][0]),
                    int(meta["best"][1]),
                    _load_arrays(path / "best.npz"),
                )
            return TrainingState(
                config=meta["config"],
                history=meta["history"],
                steps_done=int(meta["steps_done"]),
                rng=meta["rng"],
                position=int(meta["position"]),
                first_loss=meta["first_loss"],
                model=_load_arrays(path / "model.npz"),
                optimizer=_load_arrays(path / "optimizer.npz"),
                good=_load_arrays(path / "good.npz"),
                best=best,
                extra=meta.get("extra", {}),
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise CheckpointError(f"{path}: cannot read this checkpoint ({exc})") from None


def check_same_config(
    saved: dict[str, Any], config: TrainConfig, where: Path, skip: tuple[str, ...] = ()
) -> None:
    """Refuse, in one line, a resume whose settings differ from the saved run's.

    A setting left to its default (None: the preset's batch size, the kind's latent size)
    is named by the value it stands for, so the line never says ``batch_size=None``.
    ``skip``: settings not compared (those the training loop derives from the data)."""
    current = json.loads(config.to_json())
    for key in sorted((set(saved) | set(current)) - set(skip)):
        if saved.get(key) != current.get(key):
            if _resolved(saved, key) == _resolved(current, key):
                continue  # a default one run left as None and the other named: the same
            before, now = _setting(saved, key), _setting(current, key)
            raise CheckpointError(
                f"--resume: the run in {where} was trained with {key}={before}, "
                f"not {now}; use the same settings or another --out"
            )


def _resolved(values: dict[str, Any], key: str) -> Any:
    """``values[key]``, or the default a None stands for (where the config resolves one)."""
    value = values.get(key)
    if value is None:
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            return getattr(TrainConfig.from_dict(values), f"resolved_{key}")
    return value


def _setting(values: dict[str, Any], key: str) -> str:
    """``values[key]`` as a resume's refusal names it (the default a None stands for)."""
    resolved = _resolved(values, key)
    if values.get(key) is None and resolved is not None:
        return f"{resolved!r} (the default)"
    return repr(values.get(key))


def check_resume(checkpoints: CheckpointStore, config: TrainConfig) -> None:
    """The training loop's settings check, made before the CLI says "resuming from": a
    run that will be refused is not announced first. The settings the loop derives from
    the data (image size, the categories' names and count) are left to its own check."""
    latest = checkpoints.latest()
    if latest is None:
        return
    try:
        saved = json.loads((latest / STATE_FILE).read_text())["config"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # the loop's load names what is wrong with the checkpoint
    if isinstance(saved, dict):
        derived = ("image_size", "class_names", "num_classes")
        check_same_config(saved, config, checkpoints.out, skip=derived)


def _save_arrays(path: Path, arrays: list[np.ndarray]) -> None:
    with open(path, "wb") as f:
        np.savez(f, *arrays)
        f.flush()
        os.fsync(f.fileno())


def _load_arrays(path: Path) -> list[np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return [npz[f"arr_{i}"] for i in range(len(npz.files))]
