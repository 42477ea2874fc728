"""Pay TensorFlow's one-time start-up costs early, on a background thread.

The first model of each kind that TensorFlow optimises (XLA for the VAEs, the graph
optimiser for the conv autoencoder) stalls for a few hundred milliseconds while holding
Python's GIL, which freezes a window for that long. Training two tiny models right after
the import moves that stall to start-up, before anyone presses Start.
"""

from __future__ import annotations

import gc
import os
import threading
import time

import numpy as np

_lock = threading.Lock()
_done = False


def warm_up() -> float:
    """Train a tiny model of each kind whose spec asks for it (``warm_up``) for one step;
    seconds taken (0 if done before, or if ``AE_EXPLORER_WARMUP=0``)."""
    global _done
    with _lock:
        if _done or os.environ.get("AE_EXPLORER_WARMUP") == "0":
            return 0.0
        from models.data.dataset import Dataset
        from models.nets.config import TrainConfig
        from models.nets.kinds import KINDS
        from models.training.loop import train

        start = time.perf_counter()
        rng = np.random.default_rng(0)
        for spec in (s for s in KINDS.values() if s.warm_up):
            size = spec.input_size or 28
            images = rng.random((8, size, size)).astype(np.float32)
            data = Dataset(images, np.arange(8) % 10, "warm-up", "warm-up")
            config = TrainConfig(model=spec.name, epochs=1, batch_size=4, hidden_units=8)
            train(config, data, data)
        # TensorFlow's import leaves millions of long-lived objects; every full collection
        # of the cyclic garbage collector would walk them all, holding the GIL for hundreds
        # of milliseconds. Freezing them keeps later collections (mid-training) short.
        gc.collect()
        gc.freeze()
        _done = True
        return time.perf_counter() - start


def warmed_up() -> bool:
    return _done
