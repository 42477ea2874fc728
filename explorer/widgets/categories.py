"""What a label is called and how it is drawn: names, colours and marker shapes per class.

Every legend, slider and grid in the window shows a class by its name (a Quick Draw
category such as "cat", or the digit "3"), never by a bare index. The names come from the
model's config (``TrainConfig.class_names``; digits when it has none), through
:func:`label_names`, the one place that asks.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

# Okabe-Ito's eight colour-blind-safe colours, Paul Tol's muted set, then a few more: up to
# 20 classes get distinct colours (and each also a marker shape, so colour is never needed).
CLASS_COLORS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288",
    "#999933", "#000000", "#882255", "#44AA99", "#AA4499", "#117733", "#88CCEE", "#DDCC77",
    "#661100", "#6699CC", "#AA4466", "#4B0092",
)  # fmt: skip
CLASS_SYMBOLS = ("o", "s", "t", "d", "h", "star", "t1", "p", "x", "+", "t2", "t3")


def class_color(index: int) -> str:
    return CLASS_COLORS[int(index) % len(CLASS_COLORS)]


def class_symbol(index: int) -> str:
    return CLASS_SYMBOLS[int(index) % len(CLASS_SYMBOLS)]


def digit_names(count: int = 10) -> tuple[str, ...]:
    return tuple(str(i) for i in range(count))


def label_names(source: Any = None, count: int | None = None) -> tuple[str, ...]:
    """The name of each label of a model: its config's ``class_names``, else the digits.

    ``source`` is a TrainConfig, a TrainedModel (its ``config``), a sequence of names, or
    None; ``count`` is how many labels the model has (names are padded or cut to it).
    """
    config = getattr(source, "config", source)
    names: Sequence[str] | None
    if isinstance(source, (tuple, list)):
        names = source
    else:
        names = getattr(config, "class_names", None)
        if count is None and config is not None:
            count = getattr(config, "num_classes", None)
    names = tuple(str(n) for n in names) if names else ()
    n = len(names) if count is None else int(count)
    if not names:
        return digit_names(n if count is not None else 10)
    if len(names) < n:
        names = names + digit_names(n)[len(names) :]
    return names[:n]


def slot_names(slot: Any) -> tuple[str, ...] | None:
    """The class names of what a session slot shows: its model's config, else the
    ``config.json`` of the folder its model came from; None when unknown (digits)."""
    model = getattr(slot, "model", None)
    if getattr(slot, "training", False) and getattr(slot, "class_names", None):
        return tuple(slot.class_names)  # a run in progress: its data's names
    if model is not None and getattr(model, "config", None) is not None:
        names = getattr(model.config, "class_names", None)
        return tuple(names) if names else None
    path = getattr(slot, "path", None)
    if path is None:
        return None
    import json
    from pathlib import Path

    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    config = folder / "config.json"
    try:
        names = json.loads(config.read_text()).get("class_names")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(names, list) and all(isinstance(n, str) for n in names) and names:
        return tuple(names)
    return None


def describe_label(index: int, names: Sequence[str]) -> str:
    """``names[index]``, or the number itself when the name is unknown."""
    return names[index] if 0 <= index < len(names) else str(index)


def legend_html(names: Sequence[str], point_size: int = 12, limit: int = 40) -> str:
    """A one-paragraph legend: a coloured disc before each class name (for a QLabel)."""
    parts = []
    for i, name in enumerate(names[:limit]):
        parts.append(
            f'<span style="color:{class_color(i)}; font-size:{point_size + 3}pt">&#9679;</span>'
            f"&nbsp;{html.escape(name)}"
        )
    more = f" … and {len(names) - limit} more" if len(names) > limit else ""
    return "&nbsp;&nbsp; ".join(parts) + more


def mix_presets(names: Sequence[str], limit: int = 4) -> dict[str, dict[int, float]]:
    """Interesting mixes built from the class names: halves of neighbouring pairs known to
    blend well first ("half cat, half fish"), then the first classes' pairs.

    Digits keep the classic "Pure 4" and "half 8, half 3".
    """
    index = {n: i for i, n in enumerate(names)}
    if tuple(names) == digit_names(len(names)) and len(names) >= 10:
        return {"Pure 4": {4: 1.0}, "Half 8, half 3": {8: 0.5, 3: 0.5}}
    favourites = (
        ("cat", "fish"), ("cat", "pig"), ("dog", "rabbit"), ("bird", "airplane"),
        ("house", "car"), ("sun", "flower"), ("face", "apple"), ("snail", "shark"),
        ("tree", "umbrella"), ("butterfly", "bee"),
    )  # fmt: skip
    presets: dict[str, dict[int, float]] = {}
    for a, b in favourites:
        if a in index and b in index:
            presets[f"Half {a}, half {b}"] = {index[a]: 0.5, index[b]: 0.5}
        if len(presets) >= limit:
            return presets
    for i in range(0, len(names) - 1, 2):
        if len(presets) >= limit:
            break
        key = f"Half {names[i]}, half {names[i + 1]}"
        presets.setdefault(key, {i: 0.5, i + 1: 0.5})
    if names and len(presets) < limit:
        presets.setdefault(f"Pure {names[0]}", {0: 1.0})
    return presets


__all__ = [
    "CLASS_COLORS",
    "CLASS_SYMBOLS",
    "class_color",
    "class_symbol",
    "describe_label",
    "digit_names",
    "label_names",
    "legend_html",
    "mix_presets",
    "slot_names",
]
