"""The one palette of class colours, for the window and for the figures and GIFs.

Okabe-Ito's eight colour-blind-safe colours, Paul Tol's muted set, then a few more: up to
20 classes get distinct colours (the window also gives each a marker shape, so colour is
never needed). The window reads the hex strings; Pillow reads :func:`class_rgb`.
"""

from __future__ import annotations

CLASS_COLORS: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288",
    "#999933", "#000000", "#882255", "#44AA99", "#AA4499", "#117733", "#88CCEE", "#DDCC77",
    "#661100", "#6699CC", "#AA4466", "#4B0092",
)  # fmt: skip
"""One colour per class index (digits 0-9 are the first ten), as ``#RRGGBB``."""


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


CLASS_RGB: tuple[tuple[int, int, int], ...] = tuple(hex_to_rgb(c) for c in CLASS_COLORS)


def class_color(index: int) -> str:
    """The ``#RRGGBB`` colour of class ``index`` (wrapping after the last)."""
    return CLASS_COLORS[int(index) % len(CLASS_COLORS)]


def class_rgb(index: int) -> tuple[int, int, int]:
    """The (r, g, b) colour of class ``index``, as Pillow draws it."""
    return CLASS_RGB[int(index) % len(CLASS_RGB)]


__all__ = ["CLASS_COLORS", "CLASS_RGB", "class_color", "class_rgb", "hex_to_rgb"]
