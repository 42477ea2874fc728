"""Training across devices and machines with ``tf.distribute``, in the project's own loop.

Why not ``Model.fit``: Keras 3's ``fit`` fails under ``MultiWorkerMirroredStrategy``
(keras-team/keras#20585, "Attempt to convert a value (PerReplica...)"). A loop that calls
``strategy.run`` and ``strategy.reduce`` works with Keras 3 layers and optimizers.

- ``mirrored``: ``MirroredStrategy`` over all local GPUs, or all local CPU devices where there
  is no GPU (one, unless more logical CPUs were configured).
- ``multiworker``: ``MultiWorkerMirroredStrategy`` over the cluster ``TF_CONFIG`` describes
  (``SlurmClusterResolver`` under Slurm). Every worker runs the same command on the same
  data; each replica trains on its share of every global batch.

XLA: the optimizer's update all-reduces the gradients (a cross-replica ``merge_call``),
which XLA cannot compile, so only each replica's forward and backward pass is compiled
(Keras' own ``fit`` turns XLA off completely under ``tf.distribute``).
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

from models.errors import ExplorerError
from models.nets.functions import compiled_functions
from models.training.cluster_watch import watched

if TYPE_CHECKING:
    from models.nets.trained import TrainedModel


def make_strategy(name: str) -> Any:
    """The strategy ``name`` ("mirrored" or "multiworker"); call before any other TF work.

    ``MultiWorkerMirroredStrategy`` must configure the collective ops before TensorFlow's
    context starts, so TensorFlow is imported here without the backend's first op.
    """
    if name == "mirrored":
        from models.nets.backend import tf

        gpus = tf.config.list_logical_devices("GPU")
        devices = [d.name for d in (gpus or tf.config.list_logical_devices("CPU"))]
        return tf.distribute.MirroredStrategy(devices)
    if name == "multiworker":
        from models.paths import cluster_timeout

        timeout = cluster_timeout()
        resolver = _cluster_resolver()
        tf = _tensorflow_quietly()
        options = tf.distribute.experimental.CommunicationOptions(
            implementation=tf.distribute.experimental.CommunicationImplementation.AUTO
        )
        # TensorFlow waits in there, forever, for every worker to join: name the missing.
        with watched(_peers(resolver), timeout):
            return tf.distribute.MultiWorkerMirroredStrategy(
                cluster_resolver=resolver, communication_options=options
            )
    raise ExplorerError(f"--distribute {name!r}: choose mirrored or multiworker")


def _tensorflow_quietly() -> Any:
    """``tensorflow``, imported with its start-up notices on fd 2 silenced (as the backend
    does), but without running an op, which would start the context."""
    if os.environ.get("AE_EXPLORER_TF_LOGS") == "1":
        import tensorflow as tf

        return tf
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow as tf
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return tf


def _cluster_resolver() -> Any:
    if os.environ.get("TF_CONFIG"):
        try:
            config = json.loads(os.environ["TF_CONFIG"])
            if "worker" not in config["cluster"] and "chief" not in config["cluster"]:
                raise KeyError("no 'worker' entry in 'cluster'")
        except (ValueError, KeyError, TypeError) as exc:
            raise ExplorerError(f"TF_CONFIG: not a valid cluster description ({exc})") from None
        _check_task(config)
        tf = _tensorflow_quietly()
        return tf.distribute.cluster_resolver.TFConfigClusterResolver()
    if os.environ.get("SLURM_JOB_ID"):
        tf = _tensorflow_quietly()
        return tf.distribute.cluster_resolver.SlurmClusterResolver()
    raise ExplorerError(
        "--distribute multiworker: set TF_CONFIG on every machine (or run under Slurm)"
    )


def _check_task(config: dict[str, Any]) -> None:
    """TF_CONFIG's ``task`` must name one of its ``cluster``'s tasks: one line of ours, not
    TensorFlow's text (an index out of range, a type the cluster lacks)."""
    task = config.get("task")
    if task is None:
        return  # TensorFlow reads a missing task as a single-machine run
    cluster = config["cluster"]
    kind = task.get("type") if isinstance(task, dict) else None
    index = task.get("index", 0) if isinstance(task, dict) else None
    if not isinstance(kind, str) or kind not in cluster:
        raise ExplorerError(
            f"TF_CONFIG: task type {kind!r} is not in the cluster "
            f"(it has {', '.join(map(str, cluster))})"
        )
    members = cluster[kind]
    count = len(members) if isinstance(members, list | dict) else 0
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        raise ExplorerError(
            f"TF_CONFIG: task index {index!r} is out of range: the cluster has {count} "
            f"{kind}{'s' if count != 1 else ''} (indices 0-{count - 1})"
        )


def _peers(resolver: Any) -> list[tuple[str, str]]:
    """(who, address) of every other task of the cluster: ("worker 1", "host:port")."""
    try:
        spec = resolver.cluster_spec().as_dict()
        me = (resolver.task_type, int(resolver.task_id or 0))
    except Exception:  # a resolver that cannot say: no names, the timeout still holds
        return []
    peers = []
    for kind, members in spec.items():
        items = members.items() if isinstance(members, dict) else enumerate(members)
        for index, address in items:
            if (kind, int(index)) != me:
                peers.append((f"{kind} {index}", str(address)))
    return peers


def is_chief(strategy: Any) -> bool:
    """True for the one process that writes the output folder and prints progress."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not getattr(resolver, "task_type", None):
        return True
    spec = resolver.cluster_spec().as_dict()
    if "chief" in spec:
        return bool(resolver.task_type == "chief")
    return bool(resolver.task_type == "worker" and int(resolver.task_id or 0) == 0)


def distributed_step(trained: TrainedModel, optimizer: Any, strategy: Any) -> Any:
    """``step(x, y=None)`` on a global NumPy batch: each replica trains on its share; returns
    the summed losses of the whole batch (like the single-device step)."""
    from models.nets.backend import tf

    model = trained.model
    keys = compiled_functions(trained)["keys"]

    def gradients(x: Any, y: Any, total: Any) -> Any:
        with tf.GradientTape() as tape:
            losses = model.losses_per_sample(x, y, training=True)
            objective = tf.reduce_sum(losses["loss"]) / total  # the global batch's mean
        grads = tape.gradient(objective, model.trainable_variables)
        return grads, tf.stack([tf.reduce_sum(losses[k]) for k in keys])

    compiled = tf.function(gradients, jit_compile=trained.config.spec.xla)

    def replica(x: Any, y: Any, total: Any) -> Any:
        grads, sums = compiled(x, y, total)
        optimizer.apply(grads, model.trainable_variables)
        return sums

    def replica_x(x: Any, total: Any) -> Any:
        return replica(x, None, total)

    @tf.function
    def run_xy(x: Any, y: Any, total: Any) -> Any:
        per = strategy.run(replica, args=(x, y, total))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per, axis=None)

    @tf.function
    def run_x(x: Any, total: Any) -> Any:
        per = strategy.run(replica_x, args=(x, total))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per, axis=None)

    def share(batch: Any) -> Any:
        return strategy.experimental_distribute_values_from_function(
            lambda ctx: batch[ctx.replica_id_in_sync_group :: ctx.num_replicas_in_sync]
        )

    def step(x: Any, y: Any = None) -> Any:
        x = _numpy(x)
        total = tf.constant(float(len(x)))
        if y is None:
            return run_x(share(x), total)
        return run_xy(share(x), share(_numpy(y)), total)

    return step


def _numpy(batch: Any) -> Any:
    return batch.numpy() if hasattr(batch, "numpy") else batch


def check_workers_agree(strategy: Any, epochs_done: int) -> None:
    """Refuse, on every worker alike, a resume where the workers found different checkpoints.

    Why: a worker that started afresh while the others resumed would wait forever in the
    first all-reduce of an epoch the others never run.
    """
    if int(getattr(strategy.extended, "_num_workers", 1)) <= 1:  # no public worker count
        return
    from models.nets.backend import tf

    value = tf.constant(float(epochs_done))
    mean = tf.distribute.ReduceOp.MEAN  # (ReduceOp has no MIN or MAX)
    m1 = float(strategy.reduce(mean, strategy.run(lambda: tf.identity(value)), None))
    m2 = float(strategy.reduce(mean, strategy.run(lambda: value * value), None))
    if m2 - m1 * m1 > 1e-6:
        raise ExplorerError(
            "--resume: the workers found checkpoints of different epochs; "
            "give every worker the same --out (a shared folder)"
        )
