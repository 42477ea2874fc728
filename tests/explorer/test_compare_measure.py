"""Measuring the shipped comparison: its three VAEs share one loaded Keras model (weights
swapped in), so TensorFlow traces their functions once, and the metrics are the same as
with a model of each one's own."""

from __future__ import annotations

from typing import Any

import pytest

from explorer import compare_models
from explorer.compare_models import compare_dir, compute_metrics, read_run

VAES = ("vae_beta0.1", "vae_beta1", "vae_beta4")


@pytest.fixture
def few_images(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compare_models, "METRIC_IMAGES", 200)
    monkeypatch.setattr(compare_models, "_digit_classifier", lambda: None)
    monkeypatch.setattr(compare_models, "_SHARED", {})


def _entries() -> list[Any]:
    if not all((compare_dir(name) / "model.weights.h5").is_file() for name in VAES):
        pytest.skip("the shipped comparison models are not here")
    pytest.importorskip("keras")
    return [read_run(compare_dir(name)) for name in VAES]


@pytest.mark.slow
def test_the_comparison_vaes_share_one_model_and_measure_the_same(
    few_images: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.nets.trained import TrainedModel

    entries = _entries()
    loads: list[str] = []
    real_load = TrainedModel.load

    def counted(path: Any) -> TrainedModel:
        loads.append(str(path))
        return real_load(path)

    monkeypatch.setattr(TrainedModel, "load", staticmethod(counted))
    shared = [compute_metrics(e) for e in entries]
    assert len(loads) == 1  # one Keras model for the three VAEs
    model, _start = next(iter(compare_models._SHARED.values()))
    assert len(model._compiled) > 0  # traced once, for all three

    alone = []
    for e in entries:  # each one on a model of its own, as before
        compare_models._SHARED.clear()
        alone.append(compute_metrics(e))
    assert len(loads) == 4
    for a, b in zip(shared, alone, strict=True):
        assert a.keys() == b.keys()
        for key in a:
            assert a[key] == pytest.approx(b[key], rel=1e-5, abs=1e-6), key
    # β changes the lesson: the three VAEs do not measure alike.
    assert len({round(m["kl"], 3) for m in shared}) == 3
