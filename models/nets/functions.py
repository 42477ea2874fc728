"""A model's compiled functions: the per-sample losses and one training step.

Shared by training (the step, validation) and inference (``evaluate``), made once per model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from models.data.dataset import Dataset
from models.errors import TrainingError
from models.nets.config import TrainConfig

if TYPE_CHECKING:
    from models.nets.trained import TrainedModel


def prepare_data(config: TrainConfig, data: Dataset) -> Dataset:
    """Fit ``data`` to the model's input (``spec.input_size``: 28x28 digits are padded to
    32x32 for the autoencoder)."""
    try:
        return config.spec.fit_data(data)
    except ValueError as exc:
        raise TrainingError(f"{data.name}: {exc}") from None


def arrays(trained: TrainedModel, data: Dataset) -> tuple[np.ndarray, np.ndarray | None]:
    x = np.ascontiguousarray(data.images.reshape(len(data), -1), dtype=np.float32)
    # One NaN pixel would turn the loss, and then every weight, into NaN; pixels outside
    # [0, 1] (e.g. 0-255) make the cross-entropy meaningless.
    if x.size and not np.isfinite(x).all():
        raise TrainingError(f"{data.name}: the images contain NaN or infinite values")
    if x.size and (x.min() < -1e-3 or x.max() > 1 + 1e-3):
        raise TrainingError(
            f"{data.name}: pixel values run from {x.min():g} to {x.max():g}; "
            "they must lie in [0, 1] (ink = 1)"
        )
    if not trained.spec.conditional:
        return x, None
    if data.labels is None:
        raise TrainingError(
            f"{data.name}: the {trained.spec.short_name} needs labelled data (e.g. mnist)"
        )
    from models.nets.cvae import one_hot

    labels = np.asarray(data.labels)
    classes = trained.config.num_classes
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise TrainingError(
            f"{data.name}: labels run from {labels.min()} to {labels.max()}, but the "
            f"model knows classes 0-{classes - 1}"
        )
    return x, one_hot(labels, classes)


def _use_xla(trained: TrainedModel) -> bool:
    """XLA for the dense VAEs (about 1.3x faster here); not for the conv autoencoder,
    whose XLA compilation takes over 30 s on a 2-core CPU for no gain per step, nor for a
    model in mixed precision on a CPU (``models.nets.precision``: XLA's CPU dots ignore
    bfloat16; on a GPU XLA compiles bfloat16 as it should), nor where the step and the
    evaluation run in branches (``_branches``: XLA would run them one after the other)."""
    from models.nets.backend import gpu_visible
    from models.nets.precision import is_mixed

    mixed_on_cpu = is_mixed(trained.model) and not gpu_visible()
    return trained.spec.xla and not mixed_on_cpu and _branches() == 1


def _branches() -> int:
    """Branches a batch splits into in the step and the evaluation (``models.nets.threads``)."""
    from models.nets.backend import gpu_visible, tf
    from models.nets.threads import step_branches

    return step_branches(tf, gpu_visible())


def compiled_functions(trained: TrainedModel) -> dict[str, Any]:
    """The compiled per-sample evaluation (XLA where the kind allows it) and the names of
    its columns (``spec.loss_terms``); traced once per model, in the model's one cache.

    Its input signature leaves the batch size open, so one trace serves every batch: a
    validation set of 2,500 images (batches of 1,000, 1,000 and 500), another data set in
    ``evaluate``, or the warm-up's 8 images would otherwise each trace it again (and XLA
    would rebuild its cluster each time: TensorFlow's "retracing" warning, issue 14). XLA
    still compiles the traced graph once per concrete batch size, without retracing it.
    Where a training step runs in branches (``train_step``), so does the evaluation."""
    keys = list(trained.spec.loss_terms)

    def make() -> Any:
        from models.nets.backend import tf

        model = trained.model
        branches = _branches()
        h, w = trained.image_shape  # ``arrays`` hands over flat images
        signature = [tf.TensorSpec([None, h * w], tf.float32, name="x")]
        if trained.spec.conditional:  # one-hot labels: always given, never None
            classes = trained.config.num_classes
            signature.append(tf.TensorSpec([None, classes], tf.float32, name="y"))

        def columns(x: Any, y: Any) -> Any:
            losses = model.losses_per_sample(x, y, training=False)
            return tf.stack([losses[k] for k in keys], axis=1)

        def evaluate(x: Any, y: Any = None) -> Any:
            if branches == 1:
                return columns(x, y)
            parts = []  # in branches side by side, as the training step (below)
            for lo, stop, hi in _branch_rows(tf, tf.shape(x)[0], branches):
                out = columns(x[lo:stop], None if y is None else y[lo:stop])
                parts.append(out[: hi - lo])
            return tf.concat(parts, axis=0)

        return tf.function(evaluate, input_signature=signature, jit_compile=_use_xla(trained))

    return {"evaluate": trained.compiled("evaluate_losses", make), "keys": keys}


def update_function(trained: TrainedModel, optimizer: Any) -> Any:
    """``update(grads)``: the optimizer's step on the model's weights. For a mixed-precision
    model of an XLA kind it is an XLA-compiled function of its own, called from the step
    that TensorFlow's graph runs: oneDNN multiplies in bfloat16 (XLA's CPU dots are slow
    at it) and XLA fuses the optimizer's many small float32 updates into a few loops
    (the dense VAE's step: 7.2 ms with the plain update, 6.6 ms with the fused one)."""
    from models.nets.backend import gpu_visible, tf
    from models.nets.precision import is_mixed

    variables = trained.model.trainable_variables

    def update(grads: Any) -> None:
        optimizer.apply(grads, variables)

    if trained.spec.xla and is_mixed(trained.model) and not gpu_visible():
        return tf.function(update, jit_compile=True)
    return update


def train_step(trained: TrainedModel, optimizer: Any) -> Any:
    """``step(x, y=None)``: one optimizer step on a batch; returns the batch's loss sums
    (``spec.loss_terms``). On a small CPU the batch splits into one branch per core
    (``models.nets.threads``): each branch's gradient of its share of the batch's mean
    loss, side by side, summed before the one update; such a step is a plain graph (XLA
    would run the branches one after the other)."""
    from models.nets.backend import tf

    model = trained.model
    keys = compiled_functions(trained)["keys"]
    update = update_function(trained, optimizer)
    branches = _branches()

    def sums(losses: dict[str, Any], own: Any = None) -> Any:
        """Each loss term's sum over the batch (over the rows ``own`` weighs 1)."""
        terms = [tf.cast(losses[k], tf.float32) for k in keys]
        return tf.stack([tf.reduce_sum(t if own is None else own * t) for t in terms])

    def step(x: Any, y: Any = None) -> Any:
        with tf.GradientTape() as tape:
            losses = model.losses_per_sample(x, y, training=True)
            objective = tf.reduce_mean(losses["loss"])
        update(tape.gradient(objective, model.trainable_variables))
        return sums(losses)

    def branched_step(x: Any, y: Any = None) -> Any:
        total = tf.cast(tf.shape(x)[0], tf.float32)
        grads: list[Any] = []
        parts = []
        for lo, stop, hi in _branch_rows(tf, tf.shape(x)[0], branches):
            own = tf.cast(tf.range(lo, stop) < hi, tf.float32)  # 0: a stand-in row
            with tf.GradientTape() as tape:
                losses = model.losses_per_sample(
                    x[lo:stop], None if y is None else y[lo:stop], training=True
                )
                objective = tf.reduce_sum(own * tf.cast(losses["loss"], tf.float32)) / total
            part = tape.gradient(objective, model.trainable_variables)
            grads = part if not grads else [_add(g, h) for g, h in zip(grads, part, strict=True)]
            parts.append(sums(losses, own))
        update(grads)
        return tf.add_n(parts)

    return _one_trace(branched_step if branches > 1 else step, _use_xla(trained))


def _branch_rows(tf: Any, n: Any, branches: int) -> list[tuple[Any, Any, Any]]:
    """Each branch's rows of a batch of ``n``: ``(lo, stop, hi)``, its own rows ``lo:hi``,
    computed as ``lo:stop``. A batch smaller than the branches (an epoch's last) leaves
    some branch no row of its own; it computes one stand-in row (``stop = lo + 1``), which
    counts for nothing, as oneDNN's convolutions refuse an empty batch."""
    rows = []
    for b in range(branches):
        lo, hi = n * b // branches, n * (b + 1) // branches
        rows.append((lo, tf.maximum(hi, lo + 1), hi))
    return rows


def _add(a: Any, b: Any) -> Any:
    """Two branches' gradients of one variable (None: the loss does not depend on it)."""
    return b if a is None else a if b is None else a + b


def _one_trace(step: Any, xla: bool) -> Any:
    """``step`` compiled once for every batch size: its signature, taken from the first
    call, leaves the batch dimension open, and later calls go to that one trace directly.
    Without it the last, smaller batch of an epoch traced the step again, and a few runs in
    one window made TensorFlow warn about excessive retracing (XLA still compiles one
    program per shape it meets)."""
    from models.nets.backend import tf

    compiled: list[Any] = []
    concrete: list[Any] = []

    def call(x: Any, y: Any = None) -> Any:
        if concrete:  # the traced graph, called without looking its trace up: 0.3-0.5 ms
            return concrete[0](x) if y is None else concrete[0](x, y)  # a step less
        if not compiled:
            arrays = [x] if y is None else [x, y]
            signature = [tf.TensorSpec([None, *a.shape[1:]], tf.as_dtype(a.dtype)) for a in arrays]
            traced = step if y is not None else (lambda a: step(a))
            compiled.append(tf.function(traced, input_signature=signature, jit_compile=xla))
        out = compiled[0](x) if y is None else compiled[0](x, y)
        # After the first call, which made the optimizer's variables and traced the step.
        # (TensorFlow then sees one call of each run's step, which traces: five runs made it
        # warn of retracing, a warning ``models.nets.backend`` filters out.)
        concrete.append(compiled[0].get_concrete_function())
        return out

    call.compiled = compiled  # type: ignore[attr-defined]  # (the tests count its traces)
    return call


def per_sample_losses(
    trained: TrainedModel, data: Dataset, batch_size: int = 1000
) -> dict[str, np.ndarray]:
    """Each sample's losses (training=False): "loss" (+ "reconstruction", "kl" for VAEs)."""
    fns = compiled_functions(trained)
    data = prepare_data(trained.config, data)
    x, y = arrays(trained, data)
    parts = []
    for i in range(0, len(x), batch_size):
        xb = x[i : i + batch_size]
        out = fns["evaluate"](xb) if y is None else fns["evaluate"](xb, y[i : i + batch_size])
        parts.append(np.asarray(out))
    values = np.concatenate(parts) if parts else np.zeros((0, len(fns["keys"])), np.float32)
    return {k: values[:, j].astype(np.float64) for j, k in enumerate(fns["keys"])}


def mean_losses(trained: TrainedModel, data: Dataset) -> dict[str, float]:
    losses = per_sample_losses(trained, data)
    return {k: float(np.mean(v)) for k, v in losses.items()}
