"""Custom layers, registered so saved models rebuild without pickling code."""

from __future__ import annotations

from typing import Any

from models.nets.backend import keras


@keras.saving.register_keras_serializable(package="ae_explorer")
class Sampling(keras.layers.Layer):
    """Draw z = mean + exp(log_var / 2) * eps with eps ~ N(0, I).

    Unlike the book's Lambda layer it uses the input's own batch size (so any batch works)
    and a SeedGenerator, so runs are reproducible and XLA-compilable.
    """

    def __init__(self, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs: Any) -> Any:
        # z in float32 under a mixed-precision policy too, like the bottleneck it samples.
        z_mean, z_log_var = (keras.ops.cast(v, "float32") for v in inputs)
        eps = keras.random.normal(keras.ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + keras.ops.exp(0.5 * z_log_var) * eps

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed}


def split_inputs(data: Any) -> tuple[Any, Any]:
    """``(images, labels)`` from what Keras hands a model: an array, or a 1- or 2-tuple."""
    if isinstance(data, (tuple, list)):
        if len(data) == 1:
            return split_inputs(data[0])
        return data[0], data[1]
    return data, None
