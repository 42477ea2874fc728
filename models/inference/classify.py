"""A conditional VAE used as a classifier: p(label | image) from each label's likelihood.

The CVAE was never trained to recognise digits, only to draw them given a label. Bayes'
rule turns it into a classifier anyway: with a uniform prior over labels,
p(y | x) is proportional to p(x | y), and log p(x | y) is estimated by the importance-weighted
ELBO (Burda et al. 2016) with K samples of z from the encoder q(z | x, y):

    log p(x | y) ~ logsumexp_k [log p(x | z_k, y) + log p(z_k) - log q(z_k | x, y)] - log K

The dense CVAE runs in NumPy on the model's codec (no TensorFlow), so the window's "Which
digit is this?" chart and ``ae-explorer evaluate`` compute exactly the same numbers. The conv
CVAE of sketches (no codec) runs the same estimate through its Keras network, over its
categories.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from models.nets.codec import MLPCodec

if TYPE_CHECKING:
    from models.nets.trained import TrainedModel

IW_SAMPLES = 16
"""Importance samples per image and label (``classification_accuracy``'s default)."""
_ROWS_PER_CHUNK = 8192
"""Decoder rows (images × labels × samples) per matrix product: bounded memory."""


def _codec(model: TrainedModel | MLPCodec) -> MLPCodec:
    codec = model if isinstance(model, MLPCodec) else model.codec()
    if codec is None or not codec.conditional:
        raise ValueError("only a conditional VAE can tell which label an image shows")
    return codec


def _conditional(model: TrainedModel | MLPCodec) -> bool:
    if isinstance(model, MLPCodec):
        return model.conditional
    return bool(model.spec.conditional)


def _network_log_likelihoods(
    model: TrainedModel, images: np.ndarray, samples: int, seed: int
) -> np.ndarray:
    """:func:`label_log_likelihoods` through the Keras network (kinds without a codec)."""
    from models.nets.backend import tf

    net = model.model
    x = model._flat(images)
    n, c, k, d = len(x), model.config.num_classes, samples, int(net.latent_dim)
    pixels = x.shape[1]
    eye = np.eye(c, dtype=np.float32)

    def make() -> object:
        # Batch and sample counts left open: the last chunk is smaller, and ``samples``
        # may differ between calls; one trace serves them all (no "retracing", issue 14).
        signature = [
            tf.TensorSpec([None, pixels], tf.float32, name="xb"),
            tf.TensorSpec([None, 1, None, d], tf.float32, name="eps"),
        ]

        def log_weights(xb: tf.Tensor, eps: tf.Tensor) -> tf.Tensor:
            b, k = tf.shape(xb)[0], tf.shape(eps)[2]  # k from eps: the cache is per model
            xr = tf.repeat(xb, c, axis=0)  # (b*c, pixels)
            yr = tf.tile(tf.constant(eye), [b, 1])
            mean, log_var = net.encode(xr, yr)
            mean = tf.reshape(mean, (b, c, 1, d))
            log_var = tf.reshape(log_var, (b, c, 1, d))
            z = mean + tf.exp(0.5 * log_var) * eps  # (b, c, k, d)
            log_q = -0.5 * tf.reduce_sum(eps**2 + log_var + np.log(2 * np.pi), axis=-1)
            log_prior = -0.5 * tf.reduce_sum(z**2 + np.log(2 * np.pi), axis=-1)
            yz = tf.reshape(
                tf.broadcast_to(tf.constant(eye)[None, :, None, :], (b, c, k, c)), (-1, c)
            )
            logits = tf.reshape(net.decode_logits(tf.reshape(z, (-1, d)), yz), (b, c * k, pixels))
            log_px = tf.einsum("bp,bjp->bj", xb, logits) - tf.reduce_sum(
                tf.nn.softplus(logits), axis=-1
            )
            return tf.reshape(log_px, (b, c, k)) + log_prior - log_q

        return tf.function(log_weights, input_signature=signature)

    fn = model.compiled("label_log_weights", make)
    rng = np.random.default_rng(seed)
    out = np.empty((n, c), np.float64)
    per = max(1, 4096 // (c * k))
    for i0 in range(0, n, per):
        xb = x[i0 : i0 + per]
        eps = rng.standard_normal((len(xb), 1, k, d)).astype(np.float32)
        log_w = np.asarray(fn(xb, eps), np.float64)  # type: ignore[operator]
        top = log_w.max(axis=-1, keepdims=True)
        out[i0 : i0 + len(xb)] = top[..., 0] + np.log(np.exp(log_w - top).sum(axis=-1)) - np.log(k)
    return out


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def label_log_likelihoods(
    model: TrainedModel | MLPCodec, images: np.ndarray, samples: int = IW_SAMPLES, seed: int = 0
) -> np.ndarray:
    """(N, classes) importance-weighted estimates of log p(x | y) in nats, per image and label.

    The same noise is used for every label of an image, so the labels are compared on equal
    terms; ``seed`` makes the estimate reproducible.
    """
    if samples < 1:
        raise ValueError(f"samples must be at least 1, not {samples}")
    if not isinstance(model, MLPCodec) and model.codec() is None and _conditional(model):
        return _network_log_likelihoods(model, images, samples, seed)
    codec = _codec(model)
    x = np.asarray(images, np.float32).reshape(len(images), -1)
    pixels = codec.image_shape[0] * codec.image_shape[1]
    if x.shape[1] != pixels:
        raise ValueError(f"expected images of {codec.image_shape}, got {np.shape(images)[1:]}")
    n, c, k, d = len(x), codec.num_classes, samples, codec.latent_dim
    eye = np.eye(c, dtype=np.float32)
    rng = np.random.default_rng(seed)
    out = np.empty((n, c), np.float64)
    per = max(1, _ROWS_PER_CHUNK // (c * k))
    for i0 in range(0, n, per):
        xb = x[i0 : i0 + per]
        b = len(xb)
        # Encoder: every image with every label, (b, c, ...).
        inp = np.concatenate([np.repeat(xb, c, axis=0), np.tile(eye, (b, 1))], axis=1)
        h = np.maximum(inp @ codec.enc_w + codec.enc_b, 0.0)
        mean = (h @ codec.mean_w + codec.mean_b).reshape(b, c, 1, d)
        log_var = (h @ codec.log_var_w + codec.log_var_b).reshape(b, c, 1, d)
        eps = rng.standard_normal((b, 1, k, d)).astype(np.float32)
        z = mean + np.exp(0.5 * log_var) * eps  # (b, c, k, d)
        log_q = -0.5 * np.sum(eps**2 + log_var + np.log(2 * np.pi), axis=-1)
        log_prior = -0.5 * np.sum(z**2 + np.log(2 * np.pi), axis=-1)
        # Decoder logits for every (image, label, sample); log p(x|z,y) = sum x*l - softplus(l).
        labels = np.broadcast_to(eye[None, :, None, :], (b, c, k, c))
        dec_in = np.concatenate([z, labels], axis=-1).reshape(b * c * k, d + c)
        hd = np.maximum(dec_in @ codec.dec_w + codec.dec_b, 0.0)
        logits = (hd @ codec.out_w + codec.out_b).reshape(b, c * k, pixels)
        log_px = np.einsum("bp,bjp->bj", xb, logits) - _softplus(logits).sum(axis=-1)
        log_w = log_px.reshape(b, c, k) + log_prior - log_q
        top = log_w.max(axis=-1, keepdims=True)
        lse = top[..., 0] + np.log(np.exp(log_w - top).sum(axis=-1))
        out[i0 : i0 + b] = lse - np.log(k)
    return out


def label_posterior(
    model: TrainedModel | MLPCodec, images: np.ndarray, samples: int = IW_SAMPLES, seed: int = 0
) -> np.ndarray:
    """(N, classes) probabilities p(y | x) under a uniform prior over labels (rows sum to 1)."""
    log_lik = label_log_likelihoods(model, images, samples, seed)
    shifted = log_lik - log_lik.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    return (p / p.sum(axis=1, keepdims=True)).astype(np.float32)


def classification_accuracy(
    model: TrainedModel | MLPCodec,
    images: np.ndarray,
    labels: np.ndarray,
    samples: int = IW_SAMPLES,
    seed: int = 0,
) -> float:
    """Share of images whose most likely label (argmax of the posterior) is their own."""
    if len(images) == 0:
        return float("nan")
    guess = np.argmax(label_log_likelihoods(model, images, samples, seed), axis=1)
    return float(np.mean(guess == np.asarray(labels)))
