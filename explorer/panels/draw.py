"""The "Draw" tab (its components live in :mod:`explorer.panels.pad`)."""

from __future__ import annotations

from explorer.panels.pad.ends import SOURCES
from explorer.panels.pad.panel import DrawPanel, draw_slots, fit_picture

__all__ = ["SOURCES", "DrawPanel", "draw_slots", "fit_picture"]
