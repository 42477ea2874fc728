"""The training loop: progress messages, Stop within a batch, Pause, NaN handling, presets."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.errors import TrainingError
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig
from models.training.loop import TrainingControl, train


def _digits(n: int = 120, size: int = 28, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = np.zeros((n, size, size), np.float32)
    for i, d in enumerate(labels):  # a bar whose position encodes the label: learnable
        images[i, 2 + 2 * d : 4 + 2 * d, 4:-4] = 1.0
    images += 0.05 * rng.random(images.shape).astype(np.float32)
    return Dataset(np.clip(images, 0, 1), labels, "bars", "bars")


def _tiny(kind: str = "vae", **kw: object) -> TrainConfig:
    base: dict[str, object] = {"model": kind, "epochs": 2, "batch_size": 20, "hidden_units": 16}
    base.update(kw)
    return TrainConfig(**base)  # type: ignore[arg-type]


@pytest.mark.slow
def test_vae_trains_and_reports_progress_and_epochs() -> None:
    data = _digits()
    tr, va = data.split(0.25, seed=0)
    batches: list[BatchProgress] = []
    epochs: list[EpochResult] = []
    trained = train(
        _tiny(epochs=3), tr, va, on_batch=batches.append, on_epoch=epochs.append, report_every=2
    )
    assert [e.epoch for e in epochs] == [0, 1, 2]
    assert len(trained.history) == 3
    first, last = trained.history[0], trained.history[-1]
    assert last["loss"] < first["loss"]
    for key in ("loss", "reconstruction", "kl", "val_loss", "val_reconstruction", "val_kl"):
        assert np.isfinite(last[key])
    assert last["val_neg_elbo"] == pytest.approx(last["val_reconstruction"] + last["val_kl"])
    assert batches and all(b.samples_per_s > 0 for b in batches)
    assert batches[-1].run_fraction == pytest.approx(1.0)
    snap = epochs[-1].snapshot
    assert snap is not None and snap.codec is not None
    assert snap.val_z_mean is not None and snap.val_z_mean.shape == (len(va), 2)


def test_cvae_needs_labels() -> None:
    data = _digits()
    unlabelled = Dataset(data.images, None, "x", "x")
    with pytest.raises(TrainingError, match="labelled"):
        train(_tiny("cvae", epochs=1), unlabelled, unlabelled)


def test_autoencoder_pads_28_pixel_bitmaps_and_sends_pairs() -> None:
    data = _digits(60)
    epochs: list[EpochResult] = []
    trained = train(
        _tiny("autoencoder", epochs=1, noise=0.2),
        data,
        data.subset(slice(0, 10)),
        on_epoch=epochs.append,
    )
    assert trained.image_shape == (32, 32)
    snap = epochs[0].snapshot
    assert snap is not None and snap.originals is not None and snap.reconstructions is not None
    assert snap.originals.shape == snap.reconstructions.shape == (10, 32, 32)
    assert 0 < trained.history[0]["val_loss"] < 1  # BCE per pixel


def test_stop_takes_effect_within_one_batch() -> None:
    data = _digits(200)
    control = TrainingControl()
    seen: list[BatchProgress] = []

    def on_batch(p: BatchProgress) -> None:
        seen.append(p)
        if p.batch == 3:
            control.stop()

    trained = train(
        _tiny(epochs=5, batch_size=10),
        data,
        data.subset(slice(0, 20)),
        control=control,
        on_batch=on_batch,
        report_every=1,
    )
    assert [p.batch for p in seen] == [1, 2, 3]  # not one batch more
    assert trained.history == []  # the stopped epoch is not recorded as finished


def test_pause_blocks_until_resume() -> None:
    data = _digits(100)
    control = TrainingControl()
    paused_at = threading.Event()
    seen: list[int] = []

    def on_batch(p: BatchProgress) -> None:
        seen.append(p.batch)
        if p.batch == 1 and not paused_at.is_set():
            control.pause()
            paused_at.set()

    result: list[object] = []
    worker = threading.Thread(
        target=lambda: result.append(
            train(
                _tiny(epochs=1, batch_size=10),
                data,
                data,
                control=control,
                on_batch=on_batch,
                report_every=1,
            )
        )
    )
    worker.start()
    assert paused_at.wait(60)
    worker.join(timeout=0.5)
    assert worker.is_alive() and control.paused and seen == [1]
    control.resume()
    worker.join(timeout=60)
    assert not worker.is_alive() and seen == list(range(1, 11))


def test_nan_loss_stops_with_a_message_and_keeps_last_good_weights() -> None:
    data = _digits(80)
    good: list[list[np.ndarray]] = []
    control = TrainingControl()

    def on_epoch(r: EpochResult) -> None:
        # After the first epoch, poison the data so the next loss is NaN.
        good.append([w.copy() for w in trained_ref[0].model.get_weights()])
        data.images[:] = np.nan

    trained_ref: list = []

    def on_batch(p: BatchProgress) -> None:
        pass

    from models.nets.trained import TrainedModel

    config = _tiny(epochs=3).replace(image_size=(28, 28))
    trained_ref.append(TrainedModel.build(config))
    with pytest.raises(TrainingError, match="NaN") as info:
        train(
            config,
            data,
            data.subset(slice(0, 10)).__class__(
                data.images[:10].copy(), data.labels[:10], "v", "v"
            ),
            control=control,
            on_epoch=on_epoch,
            on_batch=on_batch,
            initial=trained_ref[0],
        )
    kept = info.value.model  # type: ignore[attr-defined]
    assert len(kept.history) == 1
    for a, b in zip(good[0], kept.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_improved_preset_keeps_the_best_epoch_of_the_weight_average() -> None:
    cfg = _tiny("cvae", preset="improved", epochs=3, batch_size=None)
    assert cfg.resolved_batch_size == cfg.recipe.batch_size == 16
    assert cfg.recipe.ema_momentum and cfg.recipe.keep_best
    data = _digits()
    trained = train(cfg, data, data.subset(slice(0, 30)))
    scores = [h["val_neg_elbo"] for h in trained.history]
    assert len(scores) == 3
    assert trained.best_epoch == int(np.argmin(scores)) + 1
    # The kept weights are the ones that scored best on validation.
    again = trained.evaluate(data.subset(slice(0, 30)))["neg_elbo"]
    assert again == pytest.approx(min(scores), rel=0.05)
