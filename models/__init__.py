"""The engine of Autoencoder Explorer: data, Keras models, training, fast decoding.

Nothing in this package imports Qt, so it works from a notebook, a script or the CLI.
TensorFlow/Keras are imported only by the modules that build or run models.
"""

import os

# Keras 3 on TensorFlow, without TensorFlow's C++ start-up chatter. Set before any module
# of this package imports keras (they do so lazily or in the model-building modules only).
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__all__ = ["__version__"]
__version__ = "0.1.0"
