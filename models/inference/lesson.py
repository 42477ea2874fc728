"""The lesson of why a VAE: honest metrics for a plain autoencoder, VAEs and beta.

For each model: the reconstruction (summed binary cross-entropy, nats per image), for
VAEs the -ELBO and the KL per latent dimension, the active units (latent dimensions whose
posterior mean varies across the data: variance > 0.01), and how its *prior* samples look
to a digit classifier: decode z ~ N(0, I) and count the share it recognises with
confidence > 0.9 (``prior_recognizable``) and how evenly they spread over the ten digits
(``prior_coverage``: entropy of the recognised classes / log 10). A plain autoencoder's
latent space has holes, so its prior samples are rarely recognisable.

Imports TensorFlow when called; safe in a worker thread (no Qt).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models.data.dataset import Dataset

if TYPE_CHECKING:
    from models.inference.digit_classifier import DigitClassifier
    from models.nets.trained import TrainedModel

ACTIVE_VARIANCE = 0.01
"""A latent dimension is active when its z_mean varies more than this across the data."""
CONFIDENCE = 0.9
"""A prior sample is recognisable when the classifier gives one digit more than this."""
PRIOR_SAMPLES = 1000
COMPARE_MODELS: tuple[tuple[str, str], ...] = (
    ("ae", "Autoencoder"),
    ("vae_beta0.1", "VAE β=0.1"),
    ("vae_beta1", "VAE β=1"),
    ("vae_beta4", "VAE β=4"),
)
"""The shipped comparison models: folder under ``resources/weights/compare/`` and label."""


def compare_dir(name: str) -> Path:
    """The shipped comparison model ``name`` (a key of :data:`COMPARE_MODELS`)."""
    from models.paths import resource_path

    return Path(resource_path("weights", "compare", name))


def prior_samples(
    model: TrainedModel, n: int, seed: int = 0, labels: np.ndarray | None = None
) -> np.ndarray:
    """(n, H, W) images decoded from z ~ N(0, I); a conditional model draws ``labels``
    (default: the classes in turn)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, int(model.model.latent_dim))).astype(np.float32)
    if model.spec.conditional and labels is None:
        labels = np.arange(n) % model.config.num_classes
    return model.decode(z, labels if model.spec.conditional else None)


def _posterior(model: TrainedModel, data: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """z_mean and z_log_var (N, latent) of every sample (log-variance 0 for a plain AE)."""
    x = model._flat(data.images)
    y = model._onehot(data.labels, len(x)) if model.spec.conditional else None
    means, log_vars = [], []
    for i in range(0, len(x), 1000):
        args = (x[i : i + 1000],) if y is None else (x[i : i + 1000], y[i : i + 1000])
        encoded = model.model.encode(*args)
        if isinstance(encoded, (tuple, list)):
            mean, log_var = (np.asarray(v, np.float64) for v in encoded)
        else:  # the conv autoencoder: its code only
            mean = np.asarray(encoded, np.float64).reshape(len(args[0]), -1)
            log_var = np.zeros_like(mean)
        means.append(mean)
        log_vars.append(log_var)
    return np.concatenate(means), np.concatenate(log_vars)


def _bce_sum(target: np.ndarray, output: np.ndarray) -> np.ndarray:
    p = np.clip(output.reshape(len(output), -1).astype(np.float64), 1e-7, 1 - 1e-7)
    t = target.reshape(len(target), -1).astype(np.float64)
    return -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p), axis=1)


def prior_judgement(
    images: np.ndarray, classifier: DigitClassifier, confidence: float = CONFIDENCE
) -> dict[str, float]:
    """``prior_recognizable`` and ``prior_coverage`` of decoded prior samples."""
    probs = classifier.predict_proba(images)
    recognised = probs.max(axis=1) > confidence
    share = float(np.mean(recognised)) if len(probs) else float("nan")
    counts = np.bincount(np.argmax(probs[recognised], axis=1), minlength=10).astype(np.float64)
    if counts.sum() == 0:
        coverage = 0.0
    else:
        p = counts / counts.sum()
        nz = p[p > 0]
        coverage = float(-(nz * np.log(nz)).sum() / np.log(10))
    return {"prior_recognizable": share, "prior_coverage": coverage}


def lesson_metrics(
    model: TrainedModel,
    data: Dataset,
    classifier: DigitClassifier | None = None,
    samples: int = PRIOR_SAMPLES,
    seed: int = 0,
) -> dict[str, Any]:
    """The lesson's metrics of ``model`` on ``data`` (see the module's docstring).

    Keys: ``reconstruction`` (nats per image), ``neg_elbo``, ``kl`` and ``kl_per_dim``
    (VAEs only), ``active_units``, ``latent_dim``, and with a ``classifier``
    ``prior_recognizable`` and ``prior_coverage``."""
    from models.nets.functions import per_sample_losses

    data = model.fit_data(data)
    mean, log_var = _posterior(model, data)
    result: dict[str, Any] = {"latent_dim": int(mean.shape[1])}
    if model.spec.variational:
        losses = per_sample_losses(model, data)
        rec = float(np.mean(losses["reconstruction"]))
        kl_dims = -0.5 * np.mean(1.0 + log_var - mean**2 - np.exp(log_var), axis=0)
        result.update(
            neg_elbo=rec + float(np.mean(losses["kl"])),
            reconstruction=rec,
            kl=float(np.mean(losses["kl"])),
            kl_per_dim=[float(v) for v in kl_dims],
        )
    else:
        out = model.reconstruct(data.images, data.labels if model.spec.conditional else None)
        result["reconstruction"] = float(np.mean(_bce_sum(data.images, out)))
    variance = np.var(mean, axis=0) if len(mean) > 1 else np.zeros(mean.shape[1])
    result["active_units"] = int(np.sum(variance > ACTIVE_VARIANCE))
    if classifier is not None and model.spec.has_map:
        result.update(prior_judgement(prior_samples(model, samples, seed), classifier))
    return result
