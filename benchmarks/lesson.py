"""The lesson (AE vs VAE vs beta) and the sketch CVAE: the figures in docs/measurements.md.

Reads the development data in ``../shared/data`` (``--data-root``; not shipped, see its
SOURCE.md files) and the shipped weights in ``resources/weights``; prints one JSON object
a line:

- the digit classifier's test accuracy (first 5,000 MNIST test digits);
- per comparison model (``compare/<name>``): -ELBO, reconstruction, KL per dimension,
  active units, prior_recognizable and prior_coverage, on the same test digits;
- the sketch CVAE: -ELBO on its held-out drawings (the seeded 15% split of its training
  spec) and its classification accuracy per category on them.

Usage: AE_EXPLORER_OFFLINE=1 PYTHONPATH=. python benchmarks/lesson.py [--data-root ../shared/data]
       [--only lesson|sketch] [--samples 16] [--weights resources/weights]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def lesson(weights: Path, data_root: Path) -> None:
    from models.data.specs import load_dataset
    from models.inference.digit_classifier import load_digit_classifier
    from models.inference.lesson import COMPARE_MODELS, lesson_metrics
    from models.nets.trained import TrainedModel

    test_file = data_root / "mnist" / "t10k-first5k-images-idx3-ubyte.gz"
    test = load_dataset(f"mnist:{test_file}")
    assert test.labels is not None
    classifier = load_digit_classifier(weights / "digit_classifier")
    say(
        measure="digit_classifier",
        data=f"{test.source} (read from {test_file})",
        test_accuracy=round(classifier.accuracy(test.images, test.labels), 4),
    )
    models = [(f"compare/{name}", label) for name, label in COMPARE_MODELS]
    models.append(("vae", "shipped VAE (improved, 50 epochs)"))
    for name, label in models:
        model = TrainedModel.load(weights / name)
        start = time.perf_counter()
        metrics = lesson_metrics(model, test, classifier, samples=1000, seed=0)
        rounded = {
            k: ([round(x, 3) for x in v] if isinstance(v, list) else round(v, 4))
            for k, v in metrics.items()
        }
        say(
            measure="lesson",
            model=name,
            label=label,
            data=test.source,
            seconds=round(time.perf_counter() - start, 1),
            **rounded,
        )


def sketch(weights: Path, data_root: Path, samples: int, max_per_category: int | None) -> None:
    import numpy as np

    from models.data.specs import load_dataset
    from models.inference.classify import label_log_likelihoods
    from models.nets.trained import TrainedModel

    model = TrainedModel.load(weights / "sketch_cvae")
    config = model.config
    names = config.class_names or ()
    folder = data_root / "quickdraw" / "numpy_bitmap"
    files = sorted(folder.glob("*.npy"))
    spec = "quickdraw:" + ",".join(str(f) for f in files)
    data = load_dataset(spec, image_size=32, max_per_category=max_per_category)
    _, held_out = data.split(config.val_fraction, seed=config.seed)
    held_out = model.fit_data(held_out)
    assert held_out.labels is not None
    metrics = model.evaluate(held_out)
    say(
        measure="sketch_cvae",
        data=f"{len(held_out)} held-out drawings of {len(names)} categories (read from {folder})",
        **{k: round(v, 2) for k, v in metrics.items()},
    )
    start = time.perf_counter()
    guess = np.argmax(label_log_likelihoods(model, held_out.images, samples=samples), axis=1)
    per_category = {
        name: round(float(np.mean(guess[held_out.labels == i] == i)), 3)
        for i, name in enumerate(names)
        if np.any(held_out.labels == i)
    }
    say(
        measure="sketch_cvae_classification",
        samples=samples,
        chance=round(1 / len(names), 3),
        overall=round(float(np.mean(guess == held_out.labels)), 3),
        seconds=round(time.perf_counter() - start, 1),
        per_category=per_category,
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--weights", default=str(ROOT / "resources" / "weights"))
    p.add_argument("--only", choices=("lesson", "sketch"))
    p.add_argument("--samples", type=int, default=16, help="importance samples (default 16)")
    p.add_argument(
        "--max-per-category",
        type=int,
        help="the cap the sketch CVAE was trained with (default: none, all drawings)",
    )
    args = p.parse_args()
    data_root, weights = Path(args.data_root), Path(args.weights)
    say(measure="data_root", path=str(data_root.resolve()))
    if args.only in (None, "lesson"):
        lesson(weights, data_root)
    if args.only in (None, "sketch"):
        sketch(weights, data_root, args.samples, args.max_per_category)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
