"""The "Latent map" tab (its components live in :mod:`explorer.panels.latent`)."""

from __future__ import annotations

from explorer.panels.latent.panel import LatentMapPanel
from explorer.panels.latent.plot import (
    DIGIT_COLORS,
    DIGIT_SYMBOLS,
    DRAWING_COLOR,
    LatentViewBox,
    PassiveScatter,
    add_marker,
    latent_plot,
)

_PassiveScatter = PassiveScatter
"""The old name, which Compare imports."""

__all__ = [
    "DIGIT_COLORS",
    "DIGIT_SYMBOLS",
    "DRAWING_COLOR",
    "LatentMapPanel",
    "LatentViewBox",
    "PassiveScatter",
    "_PassiveScatter",
    "add_marker",
    "latent_plot",
]
