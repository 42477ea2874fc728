"""The one training entry point, used by both the CLI and the GUI worker.

A compact loop instead of ``model.fit``: each batch is one XLA-compiled step, losses are
summed on the device and read back only every few batches, and the loop checks a
:class:`TrainingControl` between batches, so Stop takes effect within one batch and Pause
blocks cleanly. Progress goes out as plain messages (``models.messages``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from models.data.dataset import Dataset
from models.errors import TrainingError
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig
from models.nets.functions import (
    arrays,
    compiled_functions,
    mean_losses,
    prepare_data,
    train_step,
)
from models.nets.trained import TrainedModel
from models.training.control import TrainingControl

EXPLOSION_FACTOR = 100.0
"""A loss this many times the first reported loss counts as exploding."""


def make_optimizer(config: TrainConfig, steps_per_epoch: int) -> Any:
    """The preset's optimizer: Adadelta for the autoencoder (learning rate 1.0, the recipe's
    Keras default; Keras 3's 0.001 barely trains), Adam for the VAEs."""
    from models.nets.backend import keras

    recipe = config.recipe
    if recipe.optimizer == "adadelta":
        return keras.optimizers.Adadelta(learning_rate=recipe.learning_rate)
    rate: Any = recipe.learning_rate
    if recipe.cosine_decay:
        rate = keras.optimizers.schedules.CosineDecay(
            rate, decay_steps=max(1, config.epochs * steps_per_epoch), alpha=0.05
        )
    if recipe.ema_momentum:
        return keras.optimizers.Adam(
            learning_rate=rate, use_ema=True, ema_momentum=recipe.ema_momentum
        )
    return keras.optimizers.Adam(learning_rate=rate)


def _assign_average(trained: TrainedModel, optimizer: Any) -> None:
    """Put the optimizer's moving average of the weights into the model."""
    averages = optimizer._model_variables_moving_average  # Keras 3 keeps them here
    for var, avg in zip(trained.model.trainable_variables, averages, strict=True):
        var.assign(avg)


def train(
    config: TrainConfig,
    train_data: Dataset,
    val_data: Dataset,
    *,
    control: TrainingControl | None = None,
    on_batch: Callable[[BatchProgress], None] | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
    report_every: int = 5,
    initial: TrainedModel | None = None,
    snapshots: bool = True,
) -> TrainedModel:
    """Train a model on ``train_data``, validating on ``val_data`` after every epoch.

    Returns the trained model (after Stop: as trained so far). On a NaN or exploding loss
    raises :class:`TrainingError` whose ``model`` attribute holds the last good weights.
    Under the improved preset the best epoch (by validation -ELBO or BCE) is kept.
    """
    from models.nets.backend import keras

    control = control or TrainingControl()
    train_data = prepare_data(config, train_data)
    val_data = prepare_data(config, val_data)
    if len(train_data) == 0:
        raise TrainingError(f"{train_data.name}: no training samples")
    if len(val_data) == 0:
        raise TrainingError(f"{val_data.name}: no validation samples")
    if train_data.image_shape != val_data.image_shape:
        raise TrainingError(
            f"training images are {train_data.image_shape} but validation images are "
            f"{val_data.image_shape}"
        )
    config = config.replace(image_size=train_data.image_shape)
    if initial is not None:
        trained = initial
        if trained.kind != config.model or trained.image_shape != config.image_size:
            raise TrainingError("the model to continue does not match the training settings")
        trained.config = config.replace(
            latent_dim=trained.config.latent_dim, hidden_units=trained.config.hidden_units
        )
    else:
        keras.utils.set_random_seed(config.seed)
        trained = TrainedModel.build(config)

    if trained.spec.variational:
        trained.model.kl_weight.assign(config.beta)
    try:
        x, y = arrays(trained, train_data)
        arrays(trained, val_data)  # its problems too, before any training
    except TrainingError as exc:
        exc.model = trained  # type: ignore[attr-defined]  # unchanged: still good
        raise
    n = len(x)
    batch = min(config.resolved_batch_size, n)
    # config.json records what was used, not "the default" (null).
    trained.config = trained.config.replace(
        data=config.resolved_data, batch_size=batch, latent_dim=int(trained.model.latent_dim)
    )
    steps = math.ceil(n / batch)
    optimizer = make_optimizer(config, steps)
    optimizer.build(trained.model.trainable_variables)
    step_fn = train_step(trained, optimizer)
    averaged = bool(getattr(optimizer, "use_ema", False))
    keys = compiled_functions(trained)["keys"]
    rng = np.random.default_rng(config.seed)
    preview_index = rng.choice(len(val_data), size=min(len(val_data), 100), replace=False)
    preview_index.sort()

    good_weights = [w.copy() for w in trained.model.get_weights()]
    best: tuple[float, list[np.ndarray], int] | None = None
    first_loss: float | None = None
    start_epoch = len(trained.history)
    total_samples = config.epochs * n
    done_samples = 0
    run_start = time.perf_counter()
    paused_s = 0.0

    def fail(reason: str) -> TrainingError:
        trained.model.set_weights(good_weights)
        err = TrainingError(f"training stopped: {reason}; the last good weights were kept")
        err.model = trained  # type: ignore[attr-defined]
        return err

    def check(losses: dict[str, float]) -> None:
        nonlocal first_loss
        loss = losses["loss"]
        if not math.isfinite(loss):
            raise fail("the loss became NaN or infinite")
        if first_loss is None:
            first_loss = loss
        elif first_loss > 0 and loss > EXPLOSION_FACTOR * first_loss:
            raise fail(f"the loss exploded ({loss:.4g}, from {first_loss:.4g})")

    for epoch in range(config.epochs):
        if control.stopped:
            break
        order = rng.permutation(n)
        pending: list[Any] = []
        sums = np.zeros(len(keys))
        seen = 0
        for b in range(steps):
            paused_s += control.wait_while_paused()
            if control.stopped:
                break
            idx = np.sort(order[b * batch : (b + 1) * batch])
            xb = x[idx]
            pending.append(step_fn(xb) if y is None else step_fn(xb, y[idx]))
            seen += len(idx)
            done_samples += len(idx)
            if (b + 1) % report_every == 0 or b + 1 == steps:
                sums += np.sum([np.asarray(p) for p in pending], axis=0)
                pending.clear()
                running = {k: float(sums[j] / seen) for j, k in enumerate(keys)}
                check(running)
                if on_batch is not None:
                    elapsed = max(1e-9, time.perf_counter() - run_start - paused_s)
                    rate = done_samples / elapsed
                    on_batch(
                        BatchProgress(
                            epoch=epoch,
                            epochs=config.epochs,
                            batch=b + 1,
                            batches=steps,
                            samples_per_s=rate,
                            seconds_left=(total_samples - done_samples) / max(rate, 1e-9),
                            losses=running,
                        )
                    )
        if control.stopped:
            break
        train_means = {k: float(sums[j] / max(seen, 1)) for j, k in enumerate(keys)}
        if averaged:  # validate (and keep) the weight average; train on from the raw weights
            raw = [w.copy() for w in trained.model.get_weights()]
            _assign_average(trained, optimizer)
        val_means = mean_losses(trained, val_data)
        check(train_means)
        if not all(math.isfinite(v) for v in val_means.values()):
            raise fail("the validation loss became NaN or infinite")
        good_weights = [w.copy() for w in trained.model.get_weights()]
        if averaged:
            trained.model.set_weights(raw)
        record: dict[str, float] = {"epoch": float(start_epoch + epoch + 1), **train_means}
        record.update({f"val_{k}": v for k, v in val_means.items()})
        if trained.spec.variational:  # -ELBO at beta = 1, whatever beta trained
            record["val_neg_elbo"] = val_means["reconstruction"] + val_means["kl"]
        trained.history.append(record)
        if config.recipe.keep_best:
            score = record.get("val_neg_elbo", val_means["loss"])
            if best is None or score < best[0]:
                best = (score, good_weights, len(trained.history))
        if on_epoch is not None:
            on_epoch(
                EpochResult(
                    epoch=epoch,
                    epochs=config.epochs,
                    train=train_means,
                    val=val_means,
                    snapshot=trained.snapshot(val_data, preview_index) if snapshots else None,
                )
            )

    if best is not None and (best[2] != len(trained.history) or averaged):
        trained.model.set_weights(best[1])
        trained.best_epoch = best[2]
    return trained
