"""The engine of Autoencoder Explorer: data, Keras models, training, fast decoding.

Nothing in this package imports Qt, so it works from a notebook, a script or the CLI.
TensorFlow/Keras are imported only by the modules that build or run models.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
