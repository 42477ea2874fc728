"""The frozen training configuration shared by the CLI and the GUI worker.

The GUI copies widget values into a ``TrainConfig`` when the user presses Start; the
worker reads only this object, never a widget.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal

from models.nets.kinds import KINDS, PRESETS, KindSpec, Recipe, get_kind

ModelKind = str
"""A key of :data:`models.nets.kinds.KINDS`."""
Preset = Literal["classic", "improved"]

MODEL_KINDS: tuple[str, ...] = tuple(KINDS)
DEFAULT_DATA: dict[str, str] = {name: spec.default_data for name, spec in KINDS.items()}
DEFAULT_BATCH: dict[str, int] = {name: spec.default_batch for name, spec in KINDS.items()}
DEFAULT_LATENT: dict[str, int] = {name: spec.default_latent for name, spec in KINDS.items()}


@dataclass(frozen=True)
class TrainConfig:
    """Everything needed to build and train one model, reproducibly."""

    model: ModelKind
    epochs: int = 10
    data: str | None = None
    val_data: str | None = None
    batch_size: int | None = None
    latent_dim: int | None = None
    beta: float = 1.0
    seed: int = 0
    preset: Preset = "classic"
    noise: float = 0.0
    """Denoising autoencoder: std of Gaussian noise added to inputs (targets stay clean)."""
    val_fraction: float = 0.15
    hidden_units: int = 512
    """VAE/CVAE hidden layer width (512 in the classic recipe; tests use tiny values)."""
    image_size: tuple[int, int] | None = None
    """(H, W) of the model input; filled in from the data when the model is built."""
    num_classes: int = 10
    steps_per_epoch: int | None = None
    """Batches per epoch (None: one pass over the data). For data too large for whole epochs."""
    max_steps: int | None = None
    """End training after this many batches in all (None: after ``epochs`` epochs)."""

    def __post_init__(self) -> None:
        # Checked here once, because configs also come from JSON files a user may have edited.
        get_kind(self.model)  # ValueError for an unknown kind
        _check_int("epochs", self.epochs, 1)
        _check_int("batch size", self.batch_size, 1, optional=True)
        _check_int("latent size", self.latent_dim, 1, optional=True)
        _check_int("hidden units", self.hidden_units, 1)
        _check_int("number of classes", self.num_classes, 1)
        _check_int("seed", self.seed, 0)
        _check_int("steps per epoch", self.steps_per_epoch, 1, optional=True)
        _check_int("max steps", self.max_steps, 1, optional=True)
        _check_real("beta", self.beta)
        _check_real("noise", self.noise)
        if not (isinstance(self.val_fraction, Real) and 0 < self.val_fraction < 1):
            raise ValueError(
                f"validation fraction must lie between 0 and 1, got {self.val_fraction!r}"
            )
        if self.preset not in PRESETS:
            raise ValueError(f"unknown preset {self.preset!r}")
        if self.image_size is not None:
            size = self.image_size
            if not (
                isinstance(size, tuple)
                and len(size) == 2
                and all(isinstance(v, Integral) and not isinstance(v, bool) and v > 0 for v in size)
            ):
                raise ValueError(f"image size must be two positive integers, got {size!r}")

    @property
    def spec(self) -> KindSpec:
        """This config's model kind, from the registry."""
        return get_kind(self.model)

    @property
    def resolved_data(self) -> str:
        return self.data or self.spec.default_data

    @property
    def recipe(self) -> Recipe:
        return self.spec.recipe(self.preset)

    @property
    def resolved_batch_size(self) -> int:
        return self.batch_size or self.recipe.batch_size

    @property
    def resolved_latent_dim(self) -> int:
        return self.latent_dim or self.spec.default_latent

    def replace(self, **changes: Any) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, default=_plain)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """The config from parsed JSON; ValueError if it is not a valid description."""
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, found {type(data).__name__}")
        if "model" not in data:
            raise ValueError("no 'model' entry")
        known = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        if isinstance(kwargs.get("image_size"), list):
            kwargs["image_size"] = tuple(kwargs["image_size"])
        return cls(**kwargs)


def _plain(value: Any) -> Any:
    """NumPy scalars (e.g. a seed drawn with NumPy) as plain JSON numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _check_int(name: str, value: Any, minimum: int, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, got {value!r}")


def _check_real(name: str, value: Any) -> None:
    if not isinstance(value, Real) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
