"""The models the Compare view puts side by side, without Qt: read, describe, measure, retrain.

The lesson it serves: a plain 2-D autoencoder leaves holes in its latent plane, a VAE at
β = 1 fills them, and β moves it from clumps (β ≪ 1) to a round disc to collapse (β ≫ 1).
Each :class:`CompareEntry` is one map: a NumPy codec that decodes any latent point, its
encoded validation points, what its labels are called, and (once measured in a worker)
its honest metrics. The engine's lesson module (``models.inference.lesson``) does the
measuring; :func:`compute_metrics` is the one function that calls it, so the engine can
change behind it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from explorer.i18n import arg
from explorer.session import Points, read_saved_points
from explorer.widgets.categories import label_names
from models.errors import ExplorerError, WeightsError
from models.nets.config import TrainConfig
from models.nets.kinds import find_kind

log = logging.getLogger(__name__)

FALLBACK_MODELS: tuple[tuple[str, str], ...] = (
    ("ae", "Autoencoder"),
    ("vae_beta0.1", "VAE β=0.1"),
    ("vae_beta1", "VAE β=1"),
    ("vae_beta4", "VAE β=4"),
)
"""The shipped comparison (``models.inference.lesson.COMPARE_MODELS`` when the engine has it)."""
COMPARE_SEED = 0
_MEASURING = threading.Lock()
"""One map's metrics at a time: four pool threads building and tracing Keras functions at
once (the first of them importing TensorFlow meanwhile) crashed the process (SIGSEGV
inside TensorFlow) when the Compare tab opened before TensorFlow had loaded."""
COMPARE_EPOCHS = 30
COMPARE_PRESET = "improved"
"""The shipped comparison's recipe (resources/weights/compare/*/config.json)."""
PRIOR_SAMPLES = 16
METRIC_IMAGES = 2000
"""Validation digits the metrics are measured on in the window (a few seconds a model)."""


def compare_models() -> tuple[tuple[str, str], ...]:
    """(folder name, title) of each shipped comparison model, in the order shown."""
    try:
        from models.inference.lesson import COMPARE_MODELS
    except ImportError:
        return FALLBACK_MODELS
    return tuple(COMPARE_MODELS)


def compare_dir(name: str) -> Path:
    """Where the shipped comparison model ``name`` lives."""
    try:
        from models.inference.lesson import compare_dir as engine_dir
    except ImportError:
        from models.paths import resource_path

        return resource_path("weights", "compare", name)
    return Path(engine_dir(name))


@dataclass
class CompareEntry:
    """One map of the Compare view."""

    title: str
    codec: Any = None
    """A NumPy codec (``decode``, ``encode_mean``, ``latent_dim``), or None when missing."""
    points: Points | None = None
    names: tuple[str, ...] = field(default_factory=tuple)
    """What each label is called (categories, or the digits)."""
    config: TrainConfig | None = None
    path: Path | None = None
    model: Any = None
    """The TrainedModel when trained in this session (metrics need no reload)."""
    metrics: dict[str, Any] | None = None
    missing: str = ""
    """Why there is no model here (shown instead of the map), or ""."""
    cache: dict[Any, np.ndarray] = field(default_factory=dict)
    """Images decoded ahead in a worker: ("grid", n, extent) and ("prior", n, seed)."""

    def grid(self, n: int, extent: float) -> np.ndarray:
        """The decoded latent grid (n x n over [-extent, extent]²) as one mosaic."""
        key = ("grid", n, float(extent))
        if key not in self.cache:
            labels = None
            if getattr(self.codec, "conditional", False):
                labels = np.eye(self.codec.num_classes, dtype=np.float32)[0]
            self.cache[key] = self.codec.decode_grid(n, extent, labels=labels)
        return self.cache[key]

    def prior(self, n: int, seed: int) -> np.ndarray:
        key = ("prior", n, seed)
        if key not in self.cache:
            self.cache[key] = prior_images(self.codec, n, seed)
        return self.cache[key]

    @property
    def ready(self) -> bool:
        return self.codec is not None


def title_of(config: TrainConfig) -> str:
    """Titles such as "VAE β=0.1", "Autoencoder", "CVAE β=1": the kind and, for the VAEs, its β."""
    spec = config.spec
    name = spec.short_name[:1].upper() + spec.short_name[1:]
    return f"{name} β={config.beta:g}" if spec.variational else name


def read_config(directory: Path) -> TrainConfig:
    from models.nets.trained import CONFIG_FILE

    path = directory / CONFIG_FILE
    try:
        return TrainConfig.from_dict(json.loads(path.read_text()))
    except FileNotFoundError:
        raise WeightsError(f"{directory}: not a model folder (no {CONFIG_FILE})") from None
    except (ValueError, TypeError, OSError) as exc:
        raise WeightsError(f"{path}: not a valid model description ({exc})") from exc


def read_run(path: str | Path, title: str | None = None) -> CompareEntry:
    """A model folder (or its weights file) as a map, NumPy only (no TensorFlow).

    WeightsError (one line naming the folder) when it is not a model the map can decode.
    """
    from models.inference.shipped import read_codec

    directory = Path(path)
    if directory.is_file():
        directory = directory.parent
    config = read_config(directory)
    if not config.spec.has_map:
        raise WeightsError(
            f"{directory}: a {config.spec.display_name} has no latent map to compare"
        )
    codec = read_codec(directory)
    if codec is None:
        raise WeightsError(
            f"{directory}: the {config.spec.display_name} has no NumPy decoder; the Compare "
            "view shows dense models (train with --arch dense)"
        )
    if codec.latent_dim < 2:
        raise WeightsError(f"{directory}: a 1-D latent space has no map")
    points = read_saved_points(directory)
    if points is not None and points.z.shape[1] != codec.latent_dim:
        points = None
    return CompareEntry(
        title=title or title_of(config),
        codec=codec,
        points=points,
        names=label_names(config),
        config=config,
        path=directory,
    )


def shipped_entries() -> list[CompareEntry]:
    """The shipped comparison, one entry per model; a missing one says what is missing."""
    entries = []
    for name, title in compare_models():
        directory = compare_dir(name)
        try:
            entries.append(read_run(directory, title))
        except (ExplorerError, OSError, ValueError) as exc:
            if (directory / "config.json").is_file():
                log.warning("shipped comparison model %s unusable: %s", name, exc)
                text = _tr("The shipped %1 could not be read: %2")
                why = arg(text, title, exc)
            else:
                text = _tr("No shipped %1 (resources/weights/compare/%2 is missing).")
                why = arg(text, title, name)
            entries.append(CompareEntry(title=title, missing=why, path=directory))
    return entries


def entry_from_model(
    model: Any, title: str | None = None, path: Path | None = None, points: Points | None = None
) -> CompareEntry:
    """A model trained in this session (its codec, its last epoch's points)."""
    codec = model.codec()
    if codec is None:
        raise WeightsError(f"the {model.spec.display_name} has no NumPy decoder to compare")
    return CompareEntry(
        title=title or title_of(model.config),
        codec=codec,
        points=points,
        names=label_names(model.config),
        config=model.config,
        path=path,
        model=model,
    )


# -- what each map shows -----------------------------------------------------------------------
def prior_images(codec: Any, n: int = PRIOR_SAMPLES, seed: int = 0) -> np.ndarray:
    """``n`` decoded samples z ~ N(0, I): what the model generates from its prior.

    The same seed for every map, so the maps are shown the very same z.
    """
    z = np.random.default_rng(seed).standard_normal((n, codec.latent_dim)).astype(np.float32)
    labels = None
    if getattr(codec, "conditional", False):
        labels = np.eye(codec.num_classes, dtype=np.float32)[np.arange(n) % codec.num_classes]
    return np.asarray(codec.decode(z, labels), np.float32)


def decode_point(codec: Any, x: float, y: float) -> np.ndarray:
    """The image at (x, y) in the first two latent dimensions, the others at 0."""
    z = np.zeros(codec.latent_dim, np.float32)
    z[0], z[1] = x, y
    labels = None
    if getattr(codec, "conditional", False):
        labels = np.eye(codec.num_classes, dtype=np.float32)[0]
    return np.asarray(codec.decode(z, labels), np.float32)[0]


def encode_entry_points(entry: CompareEntry) -> Points:
    """Validation samples of the model's data encoded by its codec (worker thread)."""
    from explorer.session import encode_points

    if entry.config is None:
        raise ExplorerError(f"{entry.title}: no description of its data")
    points, _data = encode_points(entry.codec, entry.config.spec)
    return points


def _metric_data(config: TrainConfig) -> Any:
    """The held-out data the metrics are measured on: the test split where there is one."""
    from models.data.specs import load_dataset

    spec = config.resolved_data
    for candidate in (f"{spec}:test", spec):
        try:
            data = load_dataset(candidate)
        except (ExplorerError, ValueError) as exc:
            log.info("%s unavailable for the metrics: %s", candidate, exc)
            continue
        if len(data) > METRIC_IMAGES:
            keep = np.random.default_rng(0).permutation(len(data))[:METRIC_IMAGES]
            data = dataclasses.replace(
                data,
                images=data.images[keep],
                labels=None if data.labels is None else data.labels[keep],
            )
        return data
    raise ExplorerError(f"no {config.spec.data_noun} found to measure {spec} on")


def _digit_classifier() -> Any:
    """The shipped digit classifier (the judge of prior samples), or None if absent."""
    try:
        from models.inference.digit_classifier import load_digit_classifier

        return load_digit_classifier()
    except Exception as exc:  # no classifier: the other metrics are still worth showing
        log.warning("no digit classifier for the prior metrics: %s", exc)
        return None


_SHARED: dict[str, tuple[Any, list[Any]]] = {}
"""One loaded model per architecture, for measuring saved runs (``_MEASURING`` held): the
comparison's VAEs differ only in β, so each one is measured by swapping its weights into
the same Keras model, whose traced functions are reused. A model of its own each traced its
own graphs, and TensorFlow warned about excessive retracing at start-up."""


def _architecture(config: TrainConfig) -> str:
    """What decides a model's layers and shapes: its settings less those of training alone
    (β, epochs, seed, batch size, input noise), which change only the weights."""
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
    for name in ("beta", "epochs", "seed", "batch_size", "noise"):
        fields.pop(name, None)
    return json.dumps(fields, sort_keys=True, default=str)


def _measuring_model(path: Path, loader: Any) -> Any:
    """The saved run at ``path`` as a TrainedModel for measuring: a model already loaded
    for the same architecture with these weights loaded into it and this run's config,
    else a fresh load (kept for the next run of its architecture)."""
    from models.nets.trained import WEIGHTS_FILE

    config = read_config(Path(path))
    key = _architecture(config)
    found = _SHARED.get(key)
    if found is None:
        model = loader.load(path)
        # Every variable as loaded, the sampling layers' seed states included: restored
        # before each swap, so a run measures as it would on a fresh model of its own.
        _SHARED.clear()  # one architecture at a time: the comparison's
        _SHARED[key] = (model, [v.numpy() for v in model.model.variables])
        return model
    shared, start = found
    for variable, value in zip(shared.model.variables, start, strict=True):
        variable.assign(value)
    try:
        shared.load_weights(Path(path) / WEIGHTS_FILE)
    except WeightsError:  # not the shape the key promised: load it on its own
        log.info("%s: measured with a model of its own", path)
        return loader.load(path)
    return dataclasses.replace(shared, config=config)


def compute_metrics(entry: CompareEntry) -> dict[str, Any]:
    """The lesson's honest metrics of a model (worker thread; imports TensorFlow).

    -ELBO and KL per dimension (VAEs), reconstruction, active units, and for digit models
    the share of prior samples a digit classifier recognises and how evenly they cover the
    ten digits. One at a time (``_MEASURING``).
    """
    with _MEASURING:
        return _measure(entry)


def _measure(entry: CompareEntry) -> dict[str, Any]:
    try:
        from models.inference import lesson
    except ImportError as exc:
        raise ExplorerError("this build has no lesson metrics (models.inference.lesson)") from exc
    from models.nets.trained import TrainedModel

    model = entry.model
    if model is None:
        if entry.path is None:
            raise ExplorerError(f"{entry.title}: nothing to measure")
        model = _measuring_model(entry.path, TrainedModel)
    config = model.config
    data = _metric_data(config)
    classifier = None
    if getattr(config, "class_names", None) is None and config.num_classes == 10:
        classifier = _digit_classifier()
    metrics = lesson.lesson_metrics(model, data, classifier=classifier, seed=COMPARE_SEED)
    metrics = dict(metrics)
    metrics.setdefault("measured_on", len(data))
    return metrics


def format_metrics(metrics: dict[str, Any] | None) -> str:
    """The metrics as a few short lines for under a map (rich text)."""
    if not metrics:
        return ""

    locale = QLocale()

    def num(key: str, decimals: int = 1) -> str | None:
        value = metrics.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return locale.toString(float(value), "f", decimals)

    lines = []
    if num("neg_elbo") is not None:
        lines.append(arg(_tr("<b>−ELBO</b> %1 nats"), num("neg_elbo")))
    if num("reconstruction") is not None:
        rec = num("reconstruction")
        if num("kl") is not None:
            lines.append(arg(_tr("<b>reconstruction</b> %1 · <b>KL</b> %2"), rec, num("kl")))
        else:
            lines.append(arg(_tr("<b>reconstruction</b> %1"), rec))
    per_dim = metrics.get("kl_per_dim")
    if per_dim:
        values = ", ".join(locale.toString(float(v), "f", 2) for v in per_dim[:8])
        lines.append(arg(_tr("KL per dim: %1"), values))
    if "active_units" in metrics:
        latent = metrics.get("latent_dim")
        units = metrics["active_units"]
        if latent is not None:
            lines.append(arg(_tr("<b>active units</b> %1 of %2"), units, latent))
        else:
            lines.append(arg(_tr("<b>active units</b> %1"), units))
    if num("prior_recognizable") is not None:
        text = _tr("<b>prior</b>: %1 recognisable, coverage %2")
        lines.append(arg(text, num("prior_recognizable", 2), num("prior_coverage", 2) or "–"))
    return "<br>".join(lines)


def _tr(text: str) -> str:
    """The window's words for the Compare maps (lupdate reads the ``QT_TRANSLATE_NOOP``
    marks in :data:`WORDS`)."""
    return QCoreApplication.translate("compare_models", text)


WORDS = (
    QT_TRANSLATE_NOOP("compare_models", "The shipped %1 could not be read: %2"),
    QT_TRANSLATE_NOOP("compare_models", "No shipped %1 (resources/weights/compare/%2 is missing)."),
    QT_TRANSLATE_NOOP("compare_models", "<b>−ELBO</b> %1 nats"),
    QT_TRANSLATE_NOOP("compare_models", "<b>reconstruction</b> %1 · <b>KL</b> %2"),
    QT_TRANSLATE_NOOP("compare_models", "<b>reconstruction</b> %1"),
    QT_TRANSLATE_NOOP("compare_models", "KL per dim: %1"),
    QT_TRANSLATE_NOOP("compare_models", "<b>active units</b> %1 of %2"),
    QT_TRANSLATE_NOOP("compare_models", "<b>active units</b> %1"),
    QT_TRANSLATE_NOOP("compare_models", "<b>prior</b>: %1 recognisable, coverage %2"),
)
"""The texts :func:`_tr` translates, marked for lupdate."""


# -- reproducing the shipped comparison --------------------------------------------------------
def comparison_configs(
    epochs: int = COMPARE_EPOCHS,
    data: str = "mnist",
    only: tuple[str, ...] | None = None,
    **overrides: Any,
) -> list[tuple[str, str, TrainConfig]]:
    """(name, title, config) of the shipped comparison: the plain 2-D autoencoder and the
    VAE at β = 0.1, 1 and 4, on the same data with the same seed.

    ``only`` keeps those names; ``overrides`` (e.g. ``hidden_units=16`` in tests) apply to
    every config.
    """
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    common: dict[str, Any] = {"epochs": epochs, "data": data, "latent_dim": 2,
                              "seed": COMPARE_SEED, "preset": COMPARE_PRESET,
                              **overrides}  # fmt: skip
    vae = find_kind(variational=True, conditional=False)
    plain = find_kind(variational=False)
    assert vae is not None and plain is not None
    out = []
    for name, title in compare_models():
        if only is not None and name not in only:
            continue
        if name.startswith("vae_beta"):
            beta = float(name.removeprefix("vae_beta"))
            config = TrainConfig(model=vae.name, beta=beta, **common)
        elif "arch" in fields:  # the plain autoencoder: the VAE's dense net without KL
            config = TrainConfig(model=plain.name, arch="dense", **common)
        else:
            log.info("this engine has no dense autoencoder; %s left out", title)
            continue
        out.append((name, title, config))
    return out


__all__ = [
    "CompareEntry",
    "compare_dir",
    "compare_models",
    "comparison_configs",
    "compute_metrics",
    "decode_point",
    "encode_entry_points",
    "entry_from_model",
    "format_metrics",
    "prior_images",
    "read_run",
    "shipped_entries",
    "title_of",
]
