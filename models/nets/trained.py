"""A trained (or fresh) model with its config and history: build, save, load, use.

Weights are stored as ``model.weights.h5`` next to ``config.json``; the model is rebuilt
from the config and the weights loaded into it, so nothing is ever unpickled. Plain
NumPy exports (``codec.npz`` for the VAEs, ``preview.npz`` for the autoencoder) let the
GUI show a shipped model before TensorFlow has finished importing.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from models.data.dataset import Dataset
from models.errors import WeightsError
from models.messages import Snapshot
from models.nets.codec import MLPCodec
from models.nets.config import ModelKind, TrainConfig

WEIGHTS_FILE = "model.weights.h5"
CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"
CODEC_FILE = "codec.npz"
PREVIEW_FILE = "preview.npz"
POINTS_FILE = "points.npz"
PREVIEW_COUNT = 100
SCATTER_LIMIT = 3000


def _describe_vae_file(weights: Path) -> str | None:
    """What a VAE/CVAE weights file holds, e.g. "the file holds a vae with 784 pixels,
    latent size 2, 16 hidden units"; None if it is not one (or cannot be read)."""
    try:
        import h5py

        with h5py.File(weights, "r") as f:
            enc_in, hidden = f["enc_hidden/vars/0"].shape
            dec_in = f["dec_hidden/vars/0"].shape[0]
            pixels = f["dec_out/vars/0"].shape[1]
    except Exception:  # not an HDF5 file, or not laid out like ours: no description
        return None
    classes = enc_in - pixels
    kind = "cvae" if classes else "vae"
    return (
        f"the file holds a {kind} with {pixels} pixels, latent size {dec_in - classes}, "
        f"{hidden} hidden units"
    )


def _batched(fn: Any, arrays: list[np.ndarray], batch: int = 1000) -> np.ndarray:
    n = len(arrays[0])
    parts = [np.asarray(fn(*[a[i : i + batch] for a in arrays])) for i in range(0, n, batch)]
    return np.concatenate(parts) if parts else np.zeros((0,), np.float32)


@dataclass
class TrainedModel:
    """The Keras model plus what is needed to rebuild, evaluate and show it."""

    config: TrainConfig
    model: Any
    history: list[dict[str, float]] = field(default_factory=list)
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    best_epoch: int | None = None
    """Set when the improved preset restored its best epoch (1-based)."""

    # -- construction ------------------------------------------------------------------
    @property
    def kind(self) -> ModelKind:
        return self.config.model

    @property
    def image_shape(self) -> tuple[int, int]:
        assert self.config.image_size is not None
        return self.config.image_size

    @classmethod
    def build(cls, config: TrainConfig) -> TrainedModel:
        """A fresh model for ``config`` (``config.image_size`` must be set)."""
        if config.image_size is None:
            raise ValueError("config.image_size must be set before building a model")
        model = config.spec.build(config)
        return cls(config=config, model=model)

    # -- persistence -----------------------------------------------------------------------
    def save(self, directory: str | Path, preview: Dataset | None = None) -> Path:
        """Write weights, config, metrics (and NumPy exports) into ``directory`` atomically.

        Files are written to a temporary folder beside it and moved into place only once
        all of them are complete, so a crash never leaves a half-written model.
        """
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        try:
            self.model.save_weights(str(tmp / WEIGHTS_FILE))
            (tmp / CONFIG_FILE).write_text(self.config.to_json())
            (tmp / METRICS_FILE).write_text(json.dumps(self.history, indent=2))
            codec = self.codec()
            if codec is not None:
                codec.save_npz(str(tmp / CODEC_FILE))
                snap = self.snapshot(preview) if preview is not None and len(preview) else None
                if snap is not None and snap.val_z_mean is not None:
                    labels = snap.val_labels if snap.val_labels is not None else np.zeros(0)
                    np.savez_compressed(tmp / POINTS_FILE, z_mean=snap.val_z_mean, labels=labels)
            elif preview is not None and len(preview):
                originals = preview.images[:PREVIEW_COUNT]
                np.savez_compressed(
                    tmp / PREVIEW_FILE,
                    originals=originals,
                    reconstructions=self.reconstruct(originals),
                    # The window names the data beside the pairs (no re-parsing of specs).
                    source=np.array(preview.source),
                    generated=np.array(preview.generated),
                )
            directory.mkdir(exist_ok=True)
            written = {item.name for item in tmp.iterdir()}
            for name in written:
                os.replace(tmp / name, directory / name)
            for name in {CODEC_FILE, POINTS_FILE, PREVIEW_FILE} - written:
                # An earlier model of another kind saved here: its exports would not match.
                (directory / name).unlink(missing_ok=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return directory

    @classmethod
    def load(cls, path: str | Path) -> TrainedModel:
        """Rebuild from ``config.json`` and load ``model.weights.h5``; clear errors otherwise.

        ``path`` is a model folder or the ``.weights.h5`` file inside one, or a whole-model
        ``.keras`` file (see :meth:`load_keras_file`).
        """
        path = Path(path)
        if path.suffix == ".keras":
            return cls.load_keras_file(path)
        if path.is_file() and not path.name.endswith(".weights.h5"):
            raise WeightsError(f"{path}: not a model folder, a {WEIGHTS_FILE} or a .keras file")
        directory = path.parent if path.is_file() else path
        weights = path if path.is_file() else directory / WEIGHTS_FILE
        config_path = directory / CONFIG_FILE
        if not directory.exists():
            raise WeightsError(f"{directory}: no such folder")
        if not weights.is_file():
            raise WeightsError(f"{weights}: missing weights file ({WEIGHTS_FILE})")
        if not config_path.is_file():
            raise WeightsError(f"{config_path}: missing model description ({CONFIG_FILE})")
        try:
            config = TrainConfig.from_dict(json.loads(config_path.read_text()))
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise WeightsError(f"{config_path}: not a valid model description ({exc})") from exc
        if config.image_size is None:
            raise WeightsError(f"{config_path}: the model description has no image size")
        try:
            trained = cls.build(config)
        except ValueError as exc:  # e.g. an autoencoder of a size it cannot take
            raise WeightsError(f"{config_path}: not a valid model description ({exc})") from exc
        trained.load_weights(weights)
        metrics_path = directory / METRICS_FILE
        if metrics_path.is_file():
            try:
                history = json.loads(metrics_path.read_text())
                trained.history = history if isinstance(history, list) else []
            except json.JSONDecodeError:
                trained.history = []
        return trained

    def save_keras_file(self, path: str | Path) -> Path:
        """Export the whole model as one ``.keras`` file (config + weights, no pickled code)."""
        path = Path(path)
        tmp = path.with_name(f".{path.stem}.tmp.keras")
        self.model.save(str(tmp))
        os.replace(tmp, path)
        return path

    @classmethod
    def load_keras_file(cls, path: str | Path) -> TrainedModel:
        """Load a ``.keras`` file of one of this project's models, with Keras safe mode on.

        Safe mode refuses any file that would run arbitrary code (lambdas); only the
        project's registered classes and Keras' own layers are rebuilt.
        """
        from models.nets.autoencoder import ConvAutoencoder
        from models.nets.backend import keras
        from models.nets.vae import VAE

        path = Path(path)
        if not path.is_file():
            raise WeightsError(f"{path}: no such file")
        try:
            model = keras.saving.load_model(str(path), compile=False, safe_mode=True)
        except Exception as exc:  # Keras raises many types for bad or unsafe files
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise WeightsError(f"{path}: not a loadable .keras model ({first[:300]})") from exc
        if isinstance(model, ConvAutoencoder):
            size = (model.image_size, model.image_size)
            config = TrainConfig(model="autoencoder", image_size=size, noise=model.noise)
        elif isinstance(model, VAE):
            config = TrainConfig(
                model="cvae" if model.num_classes else "vae",
                image_size=model.image_shape,
                latent_dim=model.latent_dim,
                hidden_units=model.hidden_units,
                num_classes=model.num_classes or 10,
                beta=model.beta_value,
            )
        else:
            raise WeightsError(f"{path}: a Keras model, but not one of Autoencoder Explorer's")
        return cls(config=config, model=model)

    def load_weights(self, weights: str | Path) -> None:
        """Load a ``.weights.h5`` into this model, refusing files of another model or shape."""
        weights = Path(weights)
        if not str(weights).endswith(".weights.h5"):
            raise WeightsError(f"{weights}: weights files must end in .weights.h5")
        before = [w.copy() for w in self.model.get_weights()]
        try:
            # Keras warns about each part it skips (on stderr, burying the one-line error),
            # then raises; a skipped part would keep random weights, so it is a failure too.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.model.load_weights(str(weights))
            skipped = [str(w.message) for w in caught if "Skipping" in str(w.message)]
            if skipped:
                raise ValueError(skipped[0])
        except Exception as exc:  # Keras raises ValueError, OSError, KeyError... for bad files
            self.model.set_weights(before)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            first = first.split(" Example error message")[0]
            held = _describe_vae_file(weights)
            raise WeightsError(
                f"{weights}: does not fit this {self.kind} model "
                f"({self._describe()}): {held or first[:300]}"
            ) from exc

    def _describe(self) -> str:
        h, w = self.image_shape
        if self.kind == "autoencoder":
            return f"{h}x{w} images"
        return (
            f"{h}x{w} images, latent size {self.config.resolved_latent_dim}, "
            f"{self.config.hidden_units} hidden units"
        )

    # -- inference ---------------------------------------------------------------------------
    def codec(self) -> MLPCodec | None:
        return None if self.kind == "autoencoder" else self.model.to_codec()

    def _flat(self, images: np.ndarray) -> np.ndarray:
        images = np.asarray(images, dtype=np.float32)
        h, w = self.image_shape
        if images.shape[1:] != (h, w):
            raise ValueError(f"expected images of shape (N, {h}, {w}), got {images.shape}")
        return images.reshape(len(images), h * w)

    def _onehot(self, labels: np.ndarray | None, n: int) -> np.ndarray | None:
        if self.kind != "cvae":
            return None
        if labels is None:
            raise ValueError("the conditional VAE needs labels")
        lab = np.asarray(labels)
        if lab.ndim == 1:
            from models.nets.cvae import one_hot

            return one_hot(lab, self.config.num_classes)
        return lab.astype(np.float32).reshape(n, self.config.num_classes)

    def _graph(self, name: str, fn: Any, widths: tuple[int, ...]) -> Any:
        """``fn`` as a cached ``tf.function`` over batches of any size (inputs (N, w) for each
        w in ``widths``): a live GUI calls it often, and eager Keras costs about 50 ms a
        call here where the graph takes a few. One trace serves every batch size, so the
        worker's snapshots trace it and the GUI thread never has to."""
        if name not in self._compiled:
            from models.nets.backend import tf

            spec = [tf.TensorSpec([None, w], tf.float32) for w in widths]
            self._compiled[name] = tf.function(fn, input_signature=spec)
        return self._compiled[name]

    def reconstruct(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """(N, H, W) -> (N, H, W); the VAEs decode z_mean (no sampling noise)."""
        x = self._flat(images)
        if len(x) == 0:
            return np.zeros_like(np.asarray(images, np.float32))
        y = self._onehot(labels, len(x))
        if y is None:
            fn = self._graph("reconstruct", lambda a: self.model(a, training=False), (x.shape[1],))
            out = _batched(fn, [x])
        else:
            fn = self._graph(
                "reconstruct_y",
                lambda a, b: self.model((a, b), training=False),
                (x.shape[1], y.shape[1]),
            )
            out = _batched(fn, [x, y])
        return out.reshape(-1, *self.image_shape)

    def encode_mean(self, images: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        x = self._flat(images)
        if self.kind == "autoencoder":
            return _batched(lambda a: self.model.encode(a), [x])
        y = self._onehot(labels, len(x))
        if y is None:
            return _batched(lambda a: self.model.encode(a)[0], [x])
        return _batched(lambda a, b: self.model.encode(a, b)[0], [x, y])

    def decode(self, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        if self.kind == "autoencoder":
            raise ValueError("decode from a latent point needs a VAE or CVAE")
        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        y = self._onehot(labels, len(z))
        if y is None:
            out = _batched(lambda a: self.model.decode(a), [z])
        else:
            out = _batched(lambda a, b: self.model.decode(a, b), [z, y])
        return out.reshape(-1, *self.image_shape)

    def evaluate(self, data: Dataset) -> dict[str, float]:
        """Metrics on every sample of ``data``.

        VAEs: ``neg_elbo``, ``reconstruction`` and ``kl`` in nats per image (one sample of z
        per image, beta = 1 regardless of training's beta). Autoencoder: ``bce`` per pixel.
        """
        from models.nets.functions import per_sample_losses

        losses = per_sample_losses(self, data)
        if self.kind == "autoencoder":
            return {"bce": float(np.mean(losses["loss"]))}
        rec = float(np.mean(losses["reconstruction"]))
        kl = float(np.mean(losses["kl"]))
        return {"neg_elbo": rec + kl, "reconstruction": rec, "kl": kl}

    def snapshot(self, val_data: Dataset, preview_index: np.ndarray | None = None) -> Snapshot:
        """Plain NumPy data for the GUI after an epoch."""
        codec = self.codec()
        if codec is not None:
            n = min(len(val_data), SCATTER_LIMIT)
            labels = None if val_data.labels is None else val_data.labels[:n]
            if self.kind == "cvae" and labels is None:
                return Snapshot(kind=self.kind, codec=codec)
            z = codec.encode_mean(val_data.images[:n], labels)
            return Snapshot(
                kind=self.kind,
                codec=codec,
                val_z_mean=z,
                val_labels=labels,
            )
        index = (
            preview_index
            if preview_index is not None
            else np.arange(min(len(val_data), PREVIEW_COUNT))
        )
        originals = val_data.images[index]
        return Snapshot(
            kind="autoencoder", originals=originals, reconstructions=self.reconstruct(originals)
        )


def finite(values: dict[str, float]) -> bool:
    return all(math.isfinite(v) for v in values.values())
