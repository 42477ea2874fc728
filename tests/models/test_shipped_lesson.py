"""The weights shipped for issue 8: comparison models, digit classifier, sketch CVAE."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from models.inference.digit_classifier import load_digit_classifier
from models.inference.lesson import COMPARE_MODELS, compare_dir, prior_judgement, prior_samples
from models.inference.shipped import read_codec
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel
from models.paths import resource_path

ROOT = Path(__file__).resolve().parents[2]


def _config(folder: Path) -> TrainConfig:
    return TrainConfig.from_dict(json.loads((folder / "config.json").read_text()))


def test_comparison_models_share_data_seed_and_a_2d_latent_with_numpy_codecs() -> None:
    configs = {name: _config(compare_dir(name)) for name, _ in COMPARE_MODELS}
    assert {c.seed for c in configs.values()} == {0}
    assert {c.data for c in configs.values()} == {"mnist"}
    assert all(c.resolved_latent_dim == 2 and c.resolved_arch == "dense" for c in configs.values())
    assert not configs["ae"].spec.variational and configs["ae"].spec.has_map
    assert [configs[n].beta for n in ("vae_beta0.1", "vae_beta1", "vae_beta4")] == [0.1, 1.0, 4.0]
    for name, _ in COMPARE_MODELS:  # the window's map works before TensorFlow loads
        codec = read_codec(compare_dir(name))
        assert codec is not None and codec.decode(np.zeros((1, 2))).shape == (1, 28, 28)
        assert (compare_dir(name) / "points.npz").is_file()


def test_the_digit_classifier_judges_the_shipped_vae_better_than_chance() -> None:
    classifier = load_digit_classifier()
    assert classifier.test_accuracy is not None and classifier.test_accuracy > 0.95
    vae = TrainedModel.load(compare_dir("vae_beta1"))
    judged = prior_judgement(prior_samples(vae, 200, seed=0), classifier)
    assert judged["prior_recognizable"] > 0.1 and judged["prior_coverage"] > 0.6


def test_the_sketch_cvae_names_its_18_categories() -> None:
    folder = Path(resource_path("weights", "sketch_cvae"))
    config = _config(folder)
    assert config.num_classes == 18 and config.class_names is not None
    assert {"cat", "rainbow", "house plant", "sea turtle"} <= set(config.class_names)
    assert config.resolved_arch == "conv" and not config.spec.numpy_codec
    assert config.resolved_latent_dim == 16
    assert (folder / "points.npz").is_file() and (folder / "preview.npz").is_file()
    sizes = [p.stat().st_size for p in folder.iterdir()]
    assert sum(sizes) < 5_000_000  # small enough to ship


def test_package_data_covers_the_nested_weight_folders() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    globs = re.search(r"^resources = \[(.*)\]", pyproject, re.M)
    assert globs is not None and '"weights/*/*/*"' in globs.group(1)


def test_shipped_lesson_models_load_by_name() -> None:
    from models import load_model

    ae = load_model("compare/ae")
    assert ae.spec.has_map and not ae.spec.variational
    assert load_model("sketch_cvae").config.num_classes == 18
