"""One place that imports Keras on TensorFlow, quietly, when a model is first needed.

TensorFlow takes about 5 s to import, so nothing imports it at module level except the
modules that build models; the GUI calls :func:`keras_module` from a background thread.
"""

from __future__ import annotations

import os
from types import ModuleType


def keras_module() -> ModuleType:
    """Import and return ``keras`` with the TensorFlow backend and TF's C++ chatter off."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras
