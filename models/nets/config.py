"""The frozen training configuration shared by the CLI and the GUI worker.

The GUI copies widget values into a ``TrainConfig`` when the user presses Start; the
worker reads only this object, never a widget.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal

from models.nets.kinds import KINDS, PRESETS, KindSpec, Recipe, get_kind
from models.nets.precision import POLICIES

ModelKind = str
"""A key of :data:`models.nets.kinds.KINDS`."""
Preset = Literal["classic", "improved"]

MODEL_KINDS: tuple[str, ...] = tuple(KINDS)
DEFAULT_DATA: dict[str, str] = {name: spec.default_data for name, spec in KINDS.items()}
DEFAULT_BATCH: dict[str, int] = {name: spec.default_batch for name, spec in KINDS.items()}
DEFAULT_LATENT: dict[str, int] = {name: spec.default_latent for name, spec in KINDS.items()}

LIMITS: dict[str, int] = {
    "epochs": 1_000_000,
    "batch_size": 1_000_000,
    "latent_dim": 4096,
    "hidden_units": 65_536,
    "image_size": 1024,
    "num_classes": 1000,
}
"""Upper bounds of the sizes in a config: far above any model this app trains, and low
enough that a hand-edited or hostile ``config.json`` is refused in one line instead of
TensorFlow trying to allocate terabytes (a ResourceExhaustedError after minutes)."""
VAL_SPLITS = ("random", "first")
"""How validation data is held out of the training data (``TrainConfig.val_split``)."""
MAX_WEIGHTS = 200_000_000
"""The most weights a dense model may have (800 MB of float32): image pixels x hidden units."""


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
    val_split: str = "random"
    """Without ``val_data``: "random" holds out a ``seed``-ed random ``val_fraction`` of the
    data, "first" its first samples (``evaluate`` scores that same held-out part)."""
    hidden_units: int = 512
    """VAE/CVAE hidden layer width (512 in the classic recipe; tests use tiny values)."""
    image_size: tuple[int, int] | None = None
    """(H, W) of the model input; filled in from the data when the model is built."""
    num_classes: int = 10
    steps_per_epoch: int | None = None
    """Batches per epoch (None: one pass over the data). For data too large for whole epochs."""
    max_steps: int | None = None
    """End training after this many batches in all (None: after ``epochs`` epochs)."""
    arch: str | None = None
    """The network: "conv" or "dense" (see ``KindSpec.archs``). None: conv for sketches
    where the kind has it, else the kind's ``default_arch``; filled in on creation."""
    class_names: tuple[str, ...] | None = None
    """The categories' names, label i = class_names[i] (Quick Draw); None for digits."""
    precision: str = "auto"
    """The dtype policy training computes in: "auto" (the kind's choice for the device,
    ``models.nets.precision``), or one of its ``POLICIES``, e.g. "float32"."""

    def __post_init__(self) -> None:
        # Checked here once, because configs also come from JSON files a user may have edited.
        kind = get_kind(self.model)  # ValueError for an unknown kind
        if self.arch is None:
            from models.data.specs import spec_family

            object.__setattr__(self, "arch", kind.arch_for_family(spec_family(self.resolved_data)))
        kind.for_arch(self.arch)  # ValueError for a network the kind does not have
        if self.class_names is not None:
            names = self.class_names
            if not (
                isinstance(names, (tuple, list))
                and names
                and all(isinstance(n, str) and n for n in names)
            ):
                raise ValueError(f"class names must be a list of names, got {names!r}")
            object.__setattr__(self, "class_names", tuple(names))
            if len(self.class_names) != self.num_classes:
                raise ValueError(
                    f"{len(self.class_names)} class names for {self.num_classes} classes"
                )
        _check_int("epochs", self.epochs, 1, key="epochs")
        _check_int("batch size", self.batch_size, 1, optional=True, key="batch_size")
        _check_int("latent size", self.latent_dim, 1, optional=True, key="latent_dim")
        _check_int("hidden units", self.hidden_units, 1, key="hidden_units")
        _check_int("number of classes", self.num_classes, 1, key="num_classes")
        _check_int("seed", self.seed, 0)
        _check_int("steps per epoch", self.steps_per_epoch, 1, optional=True)
        _check_int("max steps", self.max_steps, 1, optional=True)
        _check_real("beta", self.beta)
        _check_real("noise", self.noise)
        if not (isinstance(self.val_fraction, Real) and 0 < self.val_fraction < 1):
            raise ValueError(
                f"validation fraction must lie between 0 and 1, got {self.val_fraction!r}"
            )
        if self.val_split not in VAL_SPLITS:
            raise ValueError(
                f"validation split must be one of {VAL_SPLITS}, got {self.val_split!r}"
            )
        if self.preset not in PRESETS:
            raise ValueError(f"unknown preset {self.preset!r}")
        if self.precision != "auto" and self.precision not in POLICIES:
            raise ValueError(
                f"precision must be auto or one of {', '.join(POLICIES)}, got {self.precision!r}"
            )
        if self.image_size is not None:
            size = self.image_size
            if not (
                isinstance(size, tuple)
                and len(size) == 2
                and all(isinstance(v, Integral) and not isinstance(v, bool) and v > 0 for v in size)
            ):
                raise ValueError(f"image size must be two positive integers, got {size!r}")
            check_limits(image_size=size, hidden_units=self.hidden_units)

    @property
    def spec(self) -> KindSpec:
        """This config's model kind, from the registry, for its network (``arch``)."""
        return get_kind(self.model).for_arch(self.arch)

    @property
    def resolved_arch(self) -> str:
        return self.spec.resolved_arch

    @property
    def label_names(self) -> tuple[str, ...]:
        """What each label means: the category names, or the digits "0", "1", ..."""
        if self.class_names is not None:
            return self.class_names
        return tuple(str(i) for i in range(self.num_classes))

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

    @property
    def val_seed(self) -> int | None:
        """The seed of ``Dataset.split`` that held out this run's validation data (None: the
        first samples)."""
        return None if self.val_split == "first" else self.seed

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
        if isinstance(kwargs.get("class_names"), list):
            kwargs["class_names"] = tuple(kwargs["class_names"])
        if kwargs.get("arch") is None and isinstance(data.get("model"), str):
            # Written before archs existed: the kind's own network, whatever the data.
            with contextlib.suppress(ValueError):
                kwargs["arch"] = get_kind(data["model"]).default_arch
        return cls(**kwargs)


def _plain(value: Any) -> Any:
    """NumPy scalars (e.g. a seed drawn with NumPy) as plain JSON numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _check_int(
    name: str, value: Any, minimum: int, optional: bool = False, key: str | None = None
) -> None:
    if value is None and optional:
        return
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, got {value!r}")
    if key is not None:
        check_limits(**{key: value})


def check_limits(**sizes: Any) -> None:
    """ValueError naming the field if a size (a key of :data:`LIMITS`) is absurdly large.

    Called before anything is built, also on the sizes in a ``.keras`` file's own config.
    Values that are not whole numbers are left to the other checks."""
    for key, value in sizes.items():
        values = value if isinstance(value, (tuple, list)) else (value,)
        for v in values:
            if isinstance(v, Integral) and not isinstance(v, bool) and int(v) > LIMITS[key]:
                raise ValueError(
                    f"{key} is {v:,}, more than the largest supported ({LIMITS[key]:,})"
                )
    size, hidden = sizes.get("image_size"), sizes.get("hidden_units")
    if (
        isinstance(size, (tuple, list))
        and len(size) == 2
        and all(isinstance(v, Integral) for v in (*size, hidden))
    ):
        weights = 2 * int(size[0]) * int(size[1]) * int(hidden)  # type: ignore[arg-type]
        if weights > MAX_WEIGHTS:
            raise ValueError(
                f"image_size {size[0]}x{size[1]} with hidden_units {hidden:,} means "
                f"{weights:,} weights, more than the largest supported ({MAX_WEIGHTS:,})"
            )


def _check_real(name: str, value: Any) -> None:
    if not isinstance(value, Real) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
