"""A trained (or fresh) model with its config and history: build, save, load, use.

Weights are stored as ``model.weights.h5`` next to ``config.json``; the model is rebuilt
from the config and the weights loaded into it, so nothing is ever unpickled. Plain
NumPy exports (``points.npz`` for the VAEs, ``preview.npz`` for the autoencoder) let the
GUI show a shipped model before TensorFlow has finished importing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from models.data.dataset import Dataset
from models.errors import DataMismatchWarning, DataSpecError, WeightsError
from models.files import atomic_path, refuse_link_loop
from models.messages import Snapshot
from models.nets.codec import MLPCodec
from models.nets.config import ModelKind, TrainConfig
from models.nets.kinds import KindSpec, find_kind, kind_of_model

WEIGHTS_FILE = "model.weights.h5"
CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"
CODEC_FILE = "codec.npz"
"""Written by earlier versions beside the weights; removed when a model is saved over it
(the NumPy codec now reads ``model.weights.h5`` itself)."""
PREVIEW_FILE = "preview.npz"
POINTS_FILE = "points.npz"
MODEL_FILES = (WEIGHTS_FILE, CONFIG_FILE, METRICS_FILE, CODEC_FILE, PREVIEW_FILE, POINTS_FILE)
"""What :meth:`TrainedModel.save` may write: a later save replaces each of them."""
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
    spec = find_kind(numpy_codec=True, conditional=bool(classes))
    kind = spec.name if spec is not None else "dense VAE"
    return (
        f"the file holds a {kind} with {pixels} pixels, latent size {dec_in - classes}, "
        f"{hidden} hidden units"
    )


def _damaged_h5(path: Path) -> str | None:
    """Why ``path``, an HDF5 weights file by its signature, cannot be read whole (truncated,
    garbled); None when every dataset in it reads, or it is no HDF5 file at all."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(8)
        if not head:
            return "the file is empty"
        if head != b"\x89HDF\r\n\x1a\n":
            # Keras writes the signature first: a file named .weights.h5 without it had its
            # start overwritten (or is no weights file at all); either way nothing to fit.
            return "it does not start with HDF5's signature"
        import h5py

        def read(_name: str, item: object) -> None:  # None: visit on (a value would stop it)
            if isinstance(item, h5py.Dataset):
                item[()]

        with h5py.File(path, "r") as f:
            f.visititems(read)
    except Exception as exc:  # h5py raises OSError, KeyError, RuntimeError... for damage
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return text[:200]
    return None


def _check_weight_shapes(config: TrainConfig, weights: Path) -> None:
    """Refuse a config whose sizes differ from the weights file's own, before building
    anything (a description saying 10^9 hidden units must not allocate them first).

    Checked for the dense kinds (those the NumPy codec mirrors), whose layer shapes follow
    from the config; for the others Keras' own check after building suffices (the sizes
    are bounded by the config's limits)."""
    if not config.spec.numpy_codec or config.image_size is None:
        return
    try:
        import h5py

        with h5py.File(weights, "r") as f:
            enc_in, hidden = f["enc_hidden/vars/0"].shape
            dec_in = f["dec_hidden/vars/0"].shape[0]
            pixels = f["dec_out/vars/0"].shape[1]
    except Exception:  # not HDF5 or another layout: load_weights reports it in detail
        return
    h, w = config.image_size
    classes = config.num_classes if config.spec.conditional else 0
    expected = (h * w + classes, config.hidden_units, config.resolved_latent_dim + classes, h * w)
    if (enc_in, hidden, dec_in, pixels) != expected:
        described = TrainedModel(config=config, model=None)._describe()
        raise WeightsError(
            f"{weights}: does not fit this {config.model} model ({described}): "
            f"{_describe_vae_file(weights)}"
        )


def _check_keras_sizes(path: Path) -> None:
    """A ``.keras`` file is a zip whose ``config.json`` gives the sizes Keras would build:
    refuse a non-zip file, and absurd sizes, before Keras builds anything."""
    from models.nets.config import check_limits

    if not zipfile.is_zipfile(path):
        raise WeightsError(f"{path}: not a .keras (zip) file")
    try:
        with zipfile.ZipFile(path) as archive:
            described = json.loads(archive.read("config.json"))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile):
        return  # Keras reports a damaged archive itself, without building anything
    inner = described.get("config") if isinstance(described, dict) else None
    if not isinstance(inner, dict):
        return
    sizes = {
        key: inner[key] for key in ("latent_dim", "hidden_units", "num_classes") if key in inner
    }
    for key in ("image_shape", "image_size"):
        if key in inner:
            value = inner[key]
            sizes["image_size"] = value if isinstance(value, list) else [value, value]
    try:
        check_limits(**sizes)
    except ValueError as exc:
        raise WeightsError(f"{path}: {exc}") from None


def _npz_bytes(**arrays: Any) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


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
    """Compiled functions of ``model`` (see :meth:`compiled`)."""
    best_epoch: int | None = None
    """Set when the improved preset restored its best epoch (1-based)."""

    # -- construction ------------------------------------------------------------------
    @property
    def kind(self) -> ModelKind:
        return self.config.model

    @property
    def spec(self) -> KindSpec:
        """The model's kind, from the registry."""
        return self.config.spec

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
        """Write weights, config, metrics (and NumPy exports) into ``directory`` as one step.

        The folder is locked for the save and its new contents staged and committed whole
        (:class:`models.runfolder.RunFolder`): after a failure (full disk...) it keeps its
        previous contents, and another run saving there is refused (FolderBusyError).
        OSErrors come out as one-line :class:`models.runfolder.SaveError` s.
        """
        from models.runfolder import RunFolder

        directory = Path(directory)
        with RunFolder(directory, owned=MODEL_FILES) as folder, folder.staged() as tmp:
            self.write_files(tmp, preview)
        return directory

    def write_files(self, directory: Path, preview: Dataset | None = None) -> None:
        """The model's files, into ``directory`` (a staging folder: see :meth:`save`).

        Every byte is produced in memory and written with plain OS calls, so a full disk
        is an OSError naming the file; h5py writing to a full disk could crash the process.
        """
        from models.runfolder import write_file

        tmp = directory
        write_file(tmp / WEIGHTS_FILE, self.weights_bytes())
        write_file(tmp / CONFIG_FILE, self.config.to_json())
        write_file(tmp / METRICS_FILE, json.dumps(self.history, indent=2))
        codec = self.codec()
        if codec is not None:
            snap = self.snapshot(preview) if preview is not None and len(preview) else None
            if snap is not None and snap.val_z_mean is not None:
                labels = snap.val_labels if snap.val_labels is not None else np.zeros(0)
                write_file(tmp / POINTS_FILE, _npz_bytes(z_mean=snap.val_z_mean, labels=labels))
        elif preview is not None and len(preview):
            originals = preview.images[:PREVIEW_COUNT]
            shown = None if preview.labels is None else preview.labels[:PREVIEW_COUNT]
            if not self.spec.conditional or shown is not None:
                write_file(
                    tmp / PREVIEW_FILE,
                    _npz_bytes(
                        originals=originals,
                        reconstructions=self.reconstruct(originals, shown),
                        labels=shown if shown is not None else np.zeros(0),
                    ),
                )
            if self.spec.has_map and (not self.spec.conditional or shown is not None):
                # The conv VAEs: their validation points, for the map before TF loads.
                n = min(len(preview), SCATTER_LIMIT)
                points = None if preview.labels is None else preview.labels[:n]
                z = self.encode_mean(preview.images[:n], points)
                write_file(
                    tmp / POINTS_FILE,
                    _npz_bytes(z_mean=z, labels=points if points is not None else np.zeros(0)),
                )

    def weights_bytes(self) -> bytes:
        """The ``.weights.h5`` file's bytes, made in memory (Keras' own layout)."""
        try:
            from keras.src.saving import saving_lib

            buffer = io.BytesIO()
            store = saving_lib.H5IOStore(buffer, mode="w")
            saving_lib._save_state(
                self.model,
                weights_store=store,
                assets_store=None,
                inner_path="",
                visited_saveables=set(),
            )
            store.close()
            return buffer.getvalue()
        except (ImportError, AttributeError, TypeError):  # another Keras: through a temp file
            with tempfile.TemporaryDirectory(prefix="ae-explorer-weights.") as scratch:
                path = Path(scratch) / WEIGHTS_FILE
                self.model.save_weights(str(path))
                return path.read_bytes()

    @classmethod
    def load(cls, path: str | Path) -> TrainedModel:
        """Rebuild from ``config.json`` and load ``model.weights.h5``; clear errors otherwise.

        ``path`` is a model folder or the ``.weights.h5`` file inside one, or a whole-model
        ``.keras`` file (see :meth:`load_keras_file`).
        """
        from models.runfolder import check_complete

        path = Path(path)
        refuse_link_loop(path, WeightsError)
        if path.suffix == ".keras":
            return cls.load_keras_file(path)
        if path.is_dir() and path.name.endswith(".weights.h5"):
            raise WeightsError(f"{path}: a folder, not a weights file")
        if path.is_file() and not path.name.endswith(".weights.h5"):
            raise WeightsError(f"{path}: not a model folder, a {WEIGHTS_FILE} or a .keras file")
        directory = path.parent if path.is_file() else path
        weights = path if path.is_file() else directory / WEIGHTS_FILE
        config_path = directory / CONFIG_FILE
        if not directory.exists():
            raise WeightsError(f"{directory}: no such folder")
        for needed, what in ((weights, "weights file"), (config_path, "model description")):
            refuse_link_loop(needed, WeightsError)
            if needed.exists() and not needed.is_file():
                raise WeightsError(f"{needed}: not a file (the {what} must be one)")
            if needed.is_symlink() and not needed.exists():
                raise WeightsError(f"{needed}: a broken link (the {what} it names is missing)")
            if not needed.is_file():
                raise WeightsError(f"{needed}: missing {what} ({needed.name})")
        check_complete(directory)
        try:
            config = TrainConfig.from_dict(json.loads(config_path.read_text()))
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise WeightsError(f"{config_path}: not a valid model description ({exc})") from exc
        if config.image_size is None:
            raise WeightsError(f"{config_path}: the model description has no image size")
        _check_weight_shapes(config, weights)
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
        with atomic_path(path) as tmp:
            self.model.save(str(tmp))
        return path

    @classmethod
    def load_keras_file(cls, path: str | Path) -> TrainedModel:
        """Load a ``.keras`` file of one of this project's models, with Keras safe mode on.

        Safe mode refuses any file that would run arbitrary code (lambdas); only the
        project's registered classes and Keras' own layers are rebuilt.
        """
        from models.nets.backend import keras

        path = Path(path)
        refuse_link_loop(path, WeightsError)
        if not path.is_file():
            raise WeightsError(f"{path}: no such file")
        _check_keras_sizes(path)
        try:
            model = keras.saving.load_model(str(path), compile=False, safe_mode=True)
        except Exception as exc:  # Keras raises many types for bad or unsafe files
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise WeightsError(f"{path}: not a loadable .keras model ({first[:300]})") from exc
        spec = kind_of_model(model)
        if spec is None:
            raise WeightsError(f"{path}: a Keras model, but not one of Autoencoder Explorer's")
        config = TrainConfig(model=spec.name, **model.config_fields())
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
            damage = _damaged_h5(weights)
            if damage is not None:  # not a mismatch: the file itself is cut short or garbled
                raise WeightsError(
                    f"{weights}: damaged or cut short ({damage}); copy it again or retrain"
                ) from exc
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            first = first.split(" Example error message")[0]
            held = _describe_vae_file(weights)
            raise WeightsError(
                f"{weights}: does not fit this {self.kind} model "
                f"({self._describe()}): {held or first[:300]}"
            ) from exc

    def _describe(self) -> str:
        h, w = self.image_shape
        if "latent_dim" not in self.spec.options:
            return f"{h}x{w} images"
        return (
            f"{h}x{w} images, latent size {self.config.resolved_latent_dim}, "
            f"{self.config.hidden_units} hidden units"
        )

    # -- inference ---------------------------------------------------------------------------
    def codec(self) -> MLPCodec | None:
        """The NumPy copy of the network, for kinds that have one (``spec.numpy_codec``)."""
        return self.model.to_codec() if self.spec.numpy_codec else None

    def _flat(self, images: np.ndarray) -> np.ndarray:
        images = np.asarray(images, dtype=np.float32)
        h, w = self.image_shape
        if images.shape[1:] != (h, w):
            raise ValueError(f"expected images of shape (N, {h}, {w}), got {images.shape}")
        return images.reshape(len(images), h * w)

    def _onehot(self, labels: np.ndarray | None, n: int) -> np.ndarray | None:
        if not self.spec.conditional:
            return None
        if labels is None:
            raise ValueError(f"the {self.spec.short_name} needs labels")
        lab = np.asarray(labels)
        if lab.ndim == 1:
            from models.nets.cvae import one_hot

            return one_hot(lab, self.config.num_classes)
        return lab.astype(np.float32).reshape(n, self.config.num_classes)

    def compiled(self, name: str, make: Callable[[], Any]) -> Any:
        """The model's one cache of compiled functions: ``make()`` the first time ``name``
        is asked for (tracing is slow; a live GUI and every epoch's validation reuse it)."""
        if name not in self._compiled:
            self._compiled[name] = make()
        return self._compiled[name]

    def _graph(self, name: str, fn: Any, widths: tuple[int, ...]) -> Any:
        """``fn`` as a cached ``tf.function`` over batches of any size (inputs (N, w) for each
        w in ``widths``): a live GUI calls it often, and eager Keras costs about 50 ms a
        call here where the graph takes a few. One trace serves every batch size, so the
        worker's snapshots trace it and the GUI thread never has to."""

        def make() -> Any:
            from models.nets.backend import tf

            spec = [tf.TensorSpec([None, w], tf.float32) for w in widths]
            return tf.function(fn, input_signature=spec)

        return self.compiled(name, make)

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
        """(N, H, W) -> (N, latent): z_mean for the VAEs, the bottleneck code otherwise."""
        x = self._flat(images)
        y = self._onehot(labels, len(x))
        if y is None:
            return _batched(lambda a: self.model.encode_mean(a), [x])
        return _batched(lambda a, b: self.model.encode_mean(a, b), [x, y])

    def decode(self, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """(N, latent) -> (N, H, W): latent points (VAEs) or bottleneck codes (autoencoder)."""
        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        latent = int(self.model.latent_dim)
        if z.shape[1] != latent:
            raise ValueError(f"expected codes of shape (N, {latent}), got {z.shape}")
        y = self._onehot(labels, len(z))
        if y is None:
            out = _batched(lambda a: self.model.decode(a), [z])
        else:
            out = _batched(lambda a, b: self.model.decode(a, b), [z, y])
        return out.reshape(-1, *self.image_shape)

    @property
    def data_family(self) -> str | None:
        """What this model learnt from, "digits" or "sketches" (None: unknown): how
        pictures of ``images:FOLDER`` are framed for it."""
        from models.data.specs import spec_family

        return spec_family(self.config.resolved_data)

    def data_mismatch(self, data: Dataset) -> str | None:
        """Why ``data`` is not what this model was trained on (digits for a model of
        sketches), or None when it is, or when either side's origin is unknown."""
        from models.data.specs import spec_family

        trained_on = self.config.resolved_data
        theirs, ours = spec_family(data.name), spec_family(trained_on)
        if theirs is None or ours is None or theirs == ours:
            return None
        return (
            f"{data.name}: {theirs}, but this {self.spec.short_name} was trained on "
            f"{ours} ({trained_on}); its scores here mean little"
        )

    def evaluate(self, data: Dataset | str) -> dict[str, float]:
        """Metrics on every sample of ``data`` (a Dataset, or a SPEC such as ``"mnist"``).

        VAEs: ``neg_elbo``, ``reconstruction`` and ``kl`` in nats per image (one sample of z
        per image, beta = 1 regardless of training's beta). Autoencoder: ``bce`` per pixel.
        Data of another size is refused (DataSpecError); data of another family than the
        training data (see :meth:`data_mismatch`) gives a DataMismatchWarning.
        """
        from models.nets.functions import per_sample_losses

        data = self.fit_data(data)
        mismatch = self.data_mismatch(data)
        if mismatch is not None:
            warnings.warn(DataMismatchWarning(mismatch), stacklevel=2)
        losses = per_sample_losses(self, data)
        if not self.spec.variational:
            return {self.spec.score_name: float(np.mean(losses["loss"]))}
        rec = float(np.mean(losses["reconstruction"]))
        kl = float(np.mean(losses["kl"]))
        return {self.spec.score_name: rec + kl, "reconstruction": rec, "kl": kl}

    def fit_data(self, data: Dataset | str) -> Dataset:
        """``data`` (or the SPEC's data) fitted to this model's input; DataSpecError if its
        images cannot be (another size)."""
        if isinstance(data, str):
            from models.data.specs import load_dataset

            data = load_dataset(data, image_size=self.spec.input_size, family=self.data_family)
        if self.config.class_names is not None:
            from models.data.dataset import match_classes

            data = match_classes(data, self.config.class_names)
        with contextlib.suppress(ValueError):  # too big: reported below, with both sizes
            data = self.spec.fit_data(data)
        if data.image_shape != self.image_shape:
            (h, w), (mh, mw) = data.image_shape, self.image_shape
            raise DataSpecError(f"{data.name}: images are {h}x{w} but the model takes {mh}x{mw}")
        return data

    def snapshot(self, val_data: Dataset, preview_index: np.ndarray | None = None) -> Snapshot:
        """Plain NumPy data for the GUI after an epoch."""
        codec = self.codec()
        if codec is not None:
            n = min(len(val_data), SCATTER_LIMIT)
            labels = None if val_data.labels is None else val_data.labels[:n]
            if self.spec.conditional and labels is None:
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
        labels = None if val_data.labels is None else val_data.labels[index]
        if self.spec.conditional and labels is None:
            return Snapshot(kind=self.kind)
        snap = Snapshot(
            kind=self.kind,
            originals=originals,
            reconstructions=self.reconstruct(originals, labels),
        )
        if self.spec.has_map:  # decoded through the model (in a worker): points for the map
            n = min(len(val_data), SCATTER_LIMIT)
            val_labels = None if val_data.labels is None else val_data.labels[:n]
            snap = dataclasses.replace(
                snap,
                val_z_mean=self.encode_mean(val_data.images[:n], val_labels),
                val_labels=val_labels,
            )
        return snap
