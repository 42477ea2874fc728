"""The engine of Autoencoder Explorer: data, Keras models, training, fast decoding.

Nothing in this package imports Qt, so it works from a notebook, a script or the CLI.
TensorFlow/Keras are imported only by the modules that build or run models.
"""

import os

# Keras 3 on TensorFlow, without TensorFlow's C++ chatter. Set before any module of this
# package imports keras (they do so lazily or in the model-building modules only). Level 3
# hides its C++ "errors" too: one of them ("oneDNN supports DT_INT32 only on platforms with
# AVX-512", on such a platform) came mid-training in the CLI's output; a real failure
# reaches the user as an exception and a one-line message. AE_EXPLORER_TF_LOGS=1 shows all.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
if os.environ.get("AE_EXPLORER_TF_LOGS") != "1":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from typing import TYPE_CHECKING, Any

from models.paths import version

if TYPE_CHECKING:
    from models.inference.api import load_model

__all__ = ["__version__", "load_model"]
__version__ = version()
"""From the installed package's metadata: pyproject.toml is the one place it is written."""


def __getattr__(name: str) -> Any:
    """``models.load_model`` on first use, so ``import models`` stays light (no TensorFlow,
    no h5py): the window imports the engine before TensorFlow has loaded."""
    if name == "load_model":
        from models.inference.api import load_model

        return load_model
    raise AttributeError(f"module 'models' has no attribute {name!r}")
