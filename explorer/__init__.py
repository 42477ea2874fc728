"""Autoencoder Explorer's window: PySide6 + pyqtgraph views driving the ``models`` engine.

Nothing here imports TensorFlow at module level (ruff's TID253 enforces it), so the
window appears before TensorFlow has finished loading in the background.
"""

from models import __version__

__all__ = ["__version__"]
