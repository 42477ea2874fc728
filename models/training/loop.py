"""The one training entry point, used by both the CLI and the GUI worker.

A compact loop instead of ``model.fit``: each batch is one compiled step (XLA where the
kind allows it); on a GPU, once the first batches have timed one step, each call of an XLA
step trains several batches in an in-graph loop, as many as take about ``CALL_SECONDS``
(at most ``MAX_STEPS_PER_CALL``), so the per-call cost is paid once per few batches.
Losses are summed on the device and read back only every few batches, and the loop
checks a :class:`TrainingControl` between calls, so Stop takes effect within a few batches
(a tenth of a second) and Pause blocks cleanly. Progress goes out as plain messages
(``models.messages``).

Beyond one machine (all optional): batches come from memory or from a ``tf.data`` stream
(:mod:`models.training.streaming`), steps run under a ``tf.distribute`` strategy
(:mod:`models.training.distribute`), and a :class:`CheckpointStore` gets the complete state
after every epoch so a killed run resumes where its last epoch ended.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from models.data.dataset import Dataset, match_classes
from models.errors import DataSpecError, TrainingError
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig
from models.nets.functions import (
    _use_xla,
    arrays,
    compiled_functions,
    mean_losses,
    prepare_data,
    train_step,
)
from models.nets.precision import dtype_policy, is_mixed, training_policy
from models.nets.trained import TrainedModel
from models.training import device
from models.training.checkpoint import (
    CheckpointError,
    CheckpointStore,
    TrainingState,
    check_same_config,
)
from models.training.control import TrainingControl
from models.training.streaming import StreamSource

EXPLOSION_FACTOR = 100.0
"""A loss this many times the first reported loss counts as exploding."""
MAX_STEPS_PER_CALL = 8
"""The most batches one compiled call trains (1: one batch per call)."""
CALL_SECONDS = 0.1
"""About how long one compiled call may take: Stop and Pause act between calls."""
MULTI_ON_CPU = False
"""Several batches per call on a CPU too. Off: on this project's 2-core CPU it measured
1.00x, 1.01x (XLA dense VAE) and 0.86x, 0.91x (graph-optimised conv kinds) against one
batch per call, and the k-batch program is one more compilation. On a GPU, where each call
costs a launch, it is on for the XLA-compiled kinds (not measured yet: no GPU here)."""
TIMED_STEPS = 3
"""Single-batch calls timed (after the first, which compiles) to size the later calls."""


def multi_step(trained: TrainedModel, optimizer: Any, k: int) -> Any:
    """One compiled call that trains ``k`` stacked batches ``xs`` (k, batch, pixels) in turn
    (an in-graph loop, like Keras' ``steps_per_execution``); returns the loss sums of all k.

    Each batch gets exactly the update the one-batch step gives it (same order, same
    optimizer and sampling state), so results match one batch per call up to rounding."""
    from models.nets.backend import tf

    model = trained.model
    keys = compiled_functions(trained)["keys"]

    def one(x: Any, y: Any) -> Any:
        with tf.GradientTape() as tape:
            losses = model.losses_per_sample(x, y, training=True)
            objective = tf.reduce_mean(losses["loss"])
        grads = tape.gradient(objective, model.trainable_variables)
        optimizer.apply(grads, model.trainable_variables)
        return tf.stack([tf.reduce_sum(tf.cast(losses[key], tf.float32)) for key in keys])

    def run(xs: Any, ys: Any = None) -> Any:
        sums = tf.zeros(len(keys), tf.float32)
        for i in tf.range(k):
            sums += one(xs[i], None if ys is None else ys[i])
        return sums

    return tf.function(run, jit_compile=_use_xla(trained))


class _CallSizer:
    """How many batches the next compiled call trains: one until ``TIMED_STEPS`` single
    calls (after the compiling first) have been timed, then as many as fit ``CALL_SECONDS``."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and MAX_STEPS_PER_CALL > 1
        self.times: list[float] = []
        self.k = 1

    def next(self, slow: bool, left: int) -> int:
        return 1 if slow or not self.enabled else min(self.k, left)

    def timed(self, seconds: float) -> None:
        if not self.enabled or len(self.times) > TIMED_STEPS:
            return
        self.times.append(seconds)
        if len(self.times) > TIMED_STEPS:  # the first call compiled: leave it out
            step = max(float(np.median(self.times[1:])), 1e-6)
            self.k = max(1, min(MAX_STEPS_PER_CALL, int(CALL_SECONDS / step)))


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
            rate, decay_steps=max(1, total_steps(config, steps_per_epoch)), alpha=0.05
        )
    if recipe.ema_momentum:
        return keras.optimizers.Adam(
            learning_rate=rate, use_ema=True, ema_momentum=recipe.ema_momentum
        )
    return keras.optimizers.Adam(learning_rate=rate)


def total_steps(config: TrainConfig, steps_per_epoch: int) -> int:
    """Batches in the whole run: the epochs' batches, capped by ``max_steps``."""
    total = config.epochs * steps_per_epoch
    return total if config.max_steps is None else min(total, config.max_steps)


def _assign_average(trained: TrainedModel, optimizer: Any) -> None:
    """Put the optimizer's moving average of the weights into the model."""
    averages = optimizer._model_variables_moving_average  # Keras 3 keeps them here
    for var, avg in zip(trained.model.trainable_variables, averages, strict=True):
        var.assign(avg)


class _MemoryBatches:
    """Shuffled batches of arrays in memory, pass after pass (a fresh permutation each pass).

    Without ``steps_per_epoch`` an epoch is exactly one pass, as it always was. The state
    (the RNG where the pass began, and the position in it) is what a checkpoint stores.
    """

    def __init__(
        self, x: np.ndarray, y: np.ndarray | None, batch: int, rng: np.random.Generator
    ) -> None:
        self.x, self.y, self.batch, self.rng = x, y, batch, rng
        self.n = len(x)
        self.order = np.arange(0)
        self.position = self.n
        self.pass_state: dict[str, Any] = dict(rng.bit_generator.state)

    def _new_pass(self) -> None:
        self.pass_state = dict(self.rng.bit_generator.state)
        self.order = self.rng.permutation(self.n)
        self.position = 0

    def next(self) -> tuple[Any, Any, int]:
        if self.position >= self.n:
            self._new_pass()
        idx = np.sort(self.order[self.position : self.position + self.batch])
        self.position += len(idx)
        return self.x[idx], None if self.y is None else self.y[idx], len(idx)

    def state(self) -> tuple[dict[str, Any], int]:
        return self.pass_state, self.position

    def restore(self, state: dict[str, Any], position: int) -> None:
        self.rng.bit_generator.state = state
        self._new_pass()
        self.position = position


def train(
    config: TrainConfig,
    train_data: Dataset | StreamSource,
    val_data: Dataset,
    *,
    control: TrainingControl | None = None,
    on_batch: Callable[[BatchProgress], None] | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
    report_every: int = 5,
    initial: TrainedModel | None = None,
    snapshots: bool = True,
    checkpoints: CheckpointStore | None = None,
    resume: bool = False,
    stop_keeps_epoch: bool = False,
    strategy: Any = None,
) -> TrainedModel:
    """Train a model on ``train_data``, validating on ``val_data`` after every epoch.

    Returns the trained model (after Stop: as trained so far, or with
    ``stop_keeps_epoch`` the weights of the last completed epoch). On a NaN or exploding
    loss raises :class:`TrainingError` whose ``model`` attribute holds the last good
    weights. Under the improved preset the best epoch (by validation -ELBO or BCE) is kept.

    ``train_data`` may be a :class:`StreamSource` (batches streamed from the disk cache).
    ``checkpoints`` receives the full state after every epoch; with ``resume`` training
    continues from its newest checkpoint (refused if the config differs). ``strategy`` is
    a ``tf.distribute`` strategy (see :mod:`models.training.distribute`); the batch size
    is then the global batch.
    """
    from models.nets.backend import keras

    control = control or TrainingControl()
    streaming = isinstance(train_data, StreamSource)
    if not streaming:
        assert isinstance(train_data, Dataset)
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
    names = getattr(train_data, "class_names", None) or config.class_names
    if streaming and names is not None and len(names) > 1:
        # A labelled stream of several categories: its held-out drawings share its labels.
        config = config.replace(class_names=tuple(names), num_classes=len(names))
    elif names is not None and len(names) > 1:
        # Several categories: labels name them; validation data is matched by name.
        assert isinstance(train_data, Dataset)
        train_data = match_classes(train_data, names)
        try:
            val_data = match_classes(val_data, names)
        except DataSpecError as exc:
            raise TrainingError(str(exc)) from None
        config = config.replace(class_names=tuple(names), num_classes=len(names))
    saved: TrainingState | None = None
    if checkpoints is not None:
        if resume:
            saved = checkpoints.load()
            if saved is not None:
                check_same_config(saved.config, config, checkpoints.out)
        else:
            checkpoints.clear()
    scope = strategy.scope() if strategy is not None else contextlib.nullcontext()
    with scope:
        if initial is not None:
            trained = initial
            if trained.kind != config.model or trained.image_shape != config.image_size:
                raise TrainingError("the model to continue does not match the training settings")
            trained.config = config.replace(
                latent_dim=trained.config.latent_dim, hidden_units=trained.config.hidden_units
            )
        else:
            keras.utils.set_random_seed(config.seed)
            with dtype_policy(training_policy(config.spec, device.on_gpu(), config.precision)):
                trained = TrainedModel.build(config)

        if config.spec.variational:
            trained.model.kl_weight.assign(config.beta)
        if streaming:
            assert isinstance(train_data, StreamSource)
            if config.spec.conditional and train_data.labels is None:
                raise TrainingError(
                    f"{train_data.name}: the {config.spec.short_name} needs labels, and "
                    "these streamed drawings have none"
                )
            x = y = None
        try:
            if not streaming:
                assert isinstance(train_data, Dataset)
                x, y = arrays(trained, train_data)
            arrays(trained, val_data)  # its problems too, before any training
        except TrainingError as exc:
            exc.model = trained  # type: ignore[attr-defined]  # unchanged: still good
            raise
        n = len(train_data)
        batch = min(config.resolved_batch_size, n)
        # config.json records what was used, not "the default" (null).
        trained.config = trained.config.replace(
            data=config.resolved_data, batch_size=batch, latent_dim=int(trained.model.latent_dim)
        )
        steps = config.steps_per_epoch or math.ceil(n / batch)
        optimizer = make_optimizer(config, steps)
        optimizer.build(trained.model.trainable_variables)
    if strategy is None:
        step_fn = train_step(trained, optimizer)
        # A mixed-precision model trains; a float32 copy validates, makes the snapshots and
        # is returned (what the NumPy codec and every later load compute in).
        evaluator = TrainedModel.build(trained.config) if is_mixed(trained.model) else trained
    else:
        from models.training.distribute import distributed_step

        step_fn = distributed_step(trained, optimizer, strategy)
        # Validation, snapshots and the returned model use a plain copy: XLA cannot read
        # mirrored variables that live on other devices.
        evaluator = TrainedModel.build(trained.config)
    averaged = bool(getattr(optimizer, "use_ema", False))
    keys = compiled_functions(trained)["keys"]
    rng = np.random.default_rng(config.seed)
    preview_index = rng.choice(len(val_data), size=min(len(val_data), 100), replace=False)
    preview_index.sort()
    if streaming:
        assert isinstance(train_data, StreamSource)
        classes = config.num_classes if config.spec.conditional else 0
        source: Any = train_data.batches(batch, config.seed, classes)
    else:
        source = _MemoryBatches(x, y, batch, rng)  # type: ignore[arg-type]

    good_weights = [w.copy() for w in trained.model.get_weights()]
    best: tuple[float, list[np.ndarray], int] | None = None
    first_loss: float | None = None
    steps_done = 0
    if saved is not None:
        _restore(trained, optimizer, saved)
        source.restore(saved.rng, saved.position)
        good_weights = saved.good
        first_loss = saved.first_loss
        steps_done = saved.steps_done
        if saved.best is not None:
            best = (saved.best[0], saved.best[2], saved.best[1])
    start_epoch = len(trained.history)
    first_epoch = len(saved.history) if saved is not None else 0
    if strategy is not None and resume:
        from models.training.distribute import check_workers_agree

        check_workers_agree(strategy, first_epoch)
    run_steps = total_steps(config, steps)
    epochs = min(config.epochs, math.ceil(run_steps / steps))
    total_samples = run_steps * batch
    done_samples = steps_done * batch
    run_start = time.perf_counter()
    start_samples = done_samples
    paused_s = 0.0

    def fail(reason: str) -> TrainingError:
        trained.model.set_weights(good_weights)
        if evaluator is not trained:
            evaluator.model.set_weights(good_weights)
            evaluator.history = trained.history
        err = TrainingError(f"training stopped: {reason}; the last good weights were kept")
        err.model = evaluator  # type: ignore[attr-defined]
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

    # Several batches per call only where XLA compiles the step (for the graph-optimised
    # conv kinds it measured slower), and on a CPU only with MULTI_ON_CPU.
    sizer = _CallSizer(
        enabled=strategy is None and _use_xla(trained) and (MULTI_ON_CPU or device.on_gpu())
    )
    multi: dict[int, Any] = {}  # k -> its compiled k-batch call (one k per run)

    def run_batches(k: int) -> list[int]:
        """Train the next k batches (one call if they are all full); their sizes. Each call
        leaves its per-batch loss sums, (batches, keys), in ``pending``."""
        got = [source.next() for _ in range(k)]
        if k > 1 and all(c == batch for _, _, c in got):
            if k not in multi:
                multi[k] = multi_step(trained, optimizer, k)
            xs = np.stack([g[0] for g in got])
            pending.append(
                multi[k](xs) if got[0][1] is None else multi[k](xs, np.stack([g[1] for g in got]))
            )
        else:
            for xb, yb, _ in got:
                started = time.perf_counter()
                out = step_fn(xb) if yb is None else step_fn(xb, yb)
                pending.append(out)
                if sizer.enabled and len(sizer.times) <= TIMED_STEPS:
                    np.asarray(out)  # wait for the step to finish
                    sizer.timed(time.perf_counter() - started)
        return [c for _, _, c in got]

    for epoch in range(first_epoch, epochs):
        if control.stopped:
            break
        epoch_steps = min(steps, run_steps - steps_done)
        pending: list[Any] = []
        backlog = np.zeros((0, len(keys)))  # per-batch sums read back, not yet in ``sums``
        sums = np.zeros(len(keys))
        seen = 0
        b = 0
        while b < epoch_steps and not control.stopped:
            paused_s += control.wait_while_paused(b == 0)
            if control.stopped:
                break
            counts = run_batches(sizer.next(control.slow, epoch_steps - b))
            call_end = b + len(counts)
            done_samples += sum(counts)
            steps_done += len(counts)
            # Every batch of a call is reported as if it had run alone (in slow motion every
            # batch, as a class watches each one); Stop ends the reports and the epoch.
            for count in counts:
                b += 1
                seen += count
                if b % report_every and b != epoch_steps and not control.slow:
                    continue
                if pending:
                    rows = [np.asarray(p).reshape(-1, len(keys)) for p in pending]
                    backlog = np.concatenate([backlog, *rows])
                    pending.clear()
                take = len(backlog) - (call_end - b)  # the rows up to batch b
                sums += backlog[:take].sum(axis=0)
                backlog = backlog[take:]
                running = {k: float(sums[j] / seen) for j, k in enumerate(keys)}
                check(running)
                if on_batch is not None:
                    elapsed = max(1e-9, time.perf_counter() - run_start - paused_s)
                    rate = (done_samples - start_samples) / elapsed
                    on_batch(
                        BatchProgress(
                            epoch=epoch,
                            epochs=epochs,
                            batch=b,
                            batches=epoch_steps,
                            samples_per_s=rate,
                            seconds_left=(total_samples - done_samples) / max(rate, 1e-9),
                            losses=running,
                        )
                    )
                if control.stopped:
                    break
        if control.stopped:
            if stop_keeps_epoch:
                trained.model.set_weights(good_weights)
            break
        train_means = {k: float(sums[j] / max(seen, 1)) for j, k in enumerate(keys)}
        if averaged:  # validate (and keep) the weight average; train on from the raw weights
            raw = [w.copy() for w in trained.model.get_weights()]
            _assign_average(trained, optimizer)
        if evaluator is not trained:
            _copy_state(trained, evaluator)
        val_means = mean_losses(evaluator, val_data)
        check(train_means)
        if not all(math.isfinite(v) for v in val_means.values()):
            raise fail("the validation loss became NaN or infinite")
        good_weights = [w.copy() for w in trained.model.get_weights()]
        if averaged:
            trained.model.set_weights(raw)
        record: dict[str, float] = {"epoch": float(start_epoch + epoch - first_epoch + 1)}
        record.update(train_means)
        record.update({f"val_{k}": v for k, v in val_means.items()})
        if trained.spec.variational:  # -ELBO at beta = 1, whatever beta trained
            record["val_neg_elbo"] = val_means["reconstruction"] + val_means["kl"]
        trained.history.append(record)
        if config.recipe.keep_best:
            score = record.get("val_neg_elbo", val_means["loss"])
            if best is None or score < best[0]:
                best = (score, good_weights, len(trained.history))
        if checkpoints is not None:
            pass_state, position = source.state()
            try:
                checkpoints.save(
                    TrainingState(
                        config=_config_dict(config),
                        history=trained.history,
                        steps_done=steps_done,
                        rng=pass_state,
                        position=position,
                        first_loss=first_loss,
                        model=[np.asarray(v) for v in trained.model.variables],
                        optimizer=[np.asarray(v) for v in optimizer.variables],
                        good=good_weights,
                        best=None if best is None else (best[0], best[2], best[1]),
                    )
                )
            except CheckpointError as exc:  # a full disk: stop, keeping this epoch's model
                raise fail(str(exc)) from exc
        if on_epoch is not None:
            on_epoch(
                EpochResult(
                    epoch=epoch,
                    epochs=epochs,
                    train=train_means,
                    val=val_means,
                    snapshot=evaluator.snapshot(val_data, preview_index) if snapshots else None,
                )
            )

    if best is not None and (best[2] != len(trained.history) or averaged):
        trained.model.set_weights(best[1])
        trained.best_epoch = best[2]
    if evaluator is not trained:
        _copy_state(trained, evaluator)
        evaluator.history, evaluator.best_epoch = trained.history, trained.best_epoch
    return evaluator


def _copy_state(source: TrainedModel, target: TrainedModel) -> None:
    """Give ``target`` (the float32 copy that validates) all of ``source``'s variables: the
    weights and the sampling layer's seed state too, so a validation's noise depends on the
    training state alone, and a resumed run validates exactly as an uninterrupted one."""
    for to, value in zip(target.model.variables, source.model.variables, strict=True):
        to.assign(value)


def _config_dict(config: TrainConfig) -> dict[str, Any]:
    import json

    return dict(json.loads(config.to_json()))


def _restore(trained: TrainedModel, optimizer: Any, saved: TrainingState) -> None:
    """Put a checkpoint's variables back into the model and the optimizer."""
    trained.history = [dict(r) for r in saved.history]
    for target, values in (
        (trained.model.variables, saved.model),
        (optimizer.variables, saved.optimizer),
    ):
        if len(target) != len(values):
            raise TrainingError("the checkpoint does not match this model (variables differ)")
        for var, value in zip(target, values, strict=True):
            var.assign(value)
