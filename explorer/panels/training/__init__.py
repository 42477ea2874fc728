"""The Training tab, in parts: settings, curves, and the panel that holds them."""

from explorer.panels.training.panel import (
    BUILTIN_DATA,
    CURVES,
    FIRST_KIND,
    IDLE_MESSAGE,
    TrainingPanel,
)
from explorer.panels.training.plots import LossCurves, LossPlot
from explorer.panels.training.settings import TrainingSettings

__all__ = [
    "BUILTIN_DATA",
    "CURVES",
    "FIRST_KIND",
    "IDLE_MESSAGE",
    "LossCurves",
    "LossPlot",
    "TrainingPanel",
    "TrainingSettings",
]
