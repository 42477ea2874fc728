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

from PySide6.QtCore import QCoreApplication

from explorer.i18n import arg, category_label

# One palette for the window and the figures.
from models.inference.palette import CLASS_COLORS, class_color

CLASS_SYMBOLS = ("o", "s", "t", "d", "h", "star", "t1", "p", "x", "+", "t2", "t3")


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
    """``names[index]`` as the window shows it (a category in the window's language), or
    the number itself when the name is unknown."""
    return category_label(names[index]) if 0 <= index < len(names) else str(index)


def legend_html(names: Sequence[str], point_size: int = 12, limit: int = 40) -> str:
    """A one-paragraph legend: a coloured disc before each class name (for a QLabel)."""
    parts = []
    for i, name in enumerate(names[:limit]):
        parts.append(
            f'<span style="color:{class_color(i)}; font-size:{point_size + 3}pt">&#9679;</span>'
            f"&nbsp;{html.escape(category_label(name))}"
        )
    extra = len(names) - limit
    more = (
        QCoreApplication.translate("categories", " … and %n more", "", extra) if extra > 0 else ""
    )
    return "&nbsp;&nbsp; ".join(parts) + more


# Pairs of Quick Draw categories whose halves make a picture a class enjoys (a cat with a
# fish's tail, a moon that smiles), best first. Each is shown "Half a, half b".
GOOD_PAIRS: tuple[tuple[str, str], ...] = (
    ("cat", "fish"), ("horse", "dog"), ("moon", "smiley face"), ("house", "train"),
    ("fish", "sea turtle"), ("owl", "cat"), ("cat", "dog"), ("cloud", "rainbow"),
    ("apple", "house plant"), ("angel", "owl"), ("bicycle", "train"), ("eye", "diamond"),
    ("cat", "pig"), ("dog", "rabbit"), ("bird", "airplane"), ("house", "car"),
    ("sun", "flower"), ("face", "apple"), ("snail", "shark"), ("tree", "umbrella"),
    ("butterfly", "bee"), ("sun", "smiley face"), ("cow", "pig"), ("duck", "bird"),
    ("lion", "cat"), ("elephant", "mouse"), ("whale", "submarine"), ("car", "bus"),
    ("apple", "pear"), ("banana", "moon"), ("star", "snowflake"), ("house", "castle"),
    ("tree", "broccoli"), ("airplane", "helicopter"), ("face", "skull"), ("spider", "octopus"),
)  # fmt: skip
# Broad themes of common categories: where no good pair is known, a model's categories are
# paired within a theme (two animals, two vehicles) rather than by alphabetical accident.
THEMES: dict[str, tuple[str, ...]] = {
    "animal": (
        "cat", "dog", "horse", "fish", "owl", "sea turtle", "pig", "rabbit", "bird", "duck",
        "cow", "sheep", "lion", "tiger", "bear", "elephant", "giraffe", "monkey", "mouse",
        "snail", "shark", "whale", "dolphin", "octopus", "frog", "snake", "spider",
        "butterfly", "bee", "ant", "crab", "lobster", "penguin", "parrot", "flamingo", "swan",
        "camel", "zebra", "kangaroo", "panda", "hedgehog", "squirrel", "raccoon", "bat",
        "dragon", "teddy-bear", "crocodile", "rhinoceros", "scorpion",
        "mosquito",
    ),
    "vehicle": (
        "train", "car", "bus", "truck", "bicycle", "motorbike", "airplane", "helicopter",
        "sailboat", "speedboat", "submarine", "pickup truck", "police car", "firetruck",
        "tractor", "van", "ambulance", "school bus", "canoe", "cruise ship", "hot air balloon",
        "aircraft carrier", "bulldozer", "skateboard", "flying saucer",
    ),
    "sky and plants": (
        "moon", "sun", "star", "cloud", "rainbow", "lightning", "rain", "snowflake", "tree",
        "flower", "house plant", "cactus", "leaf", "mountain", "palm tree", "bush", "grass",
    ),
    "face": (
        "smiley face", "face", "eye", "ear", "nose", "mouth", "skull", "angel", "snowman",
        "hand", "foot", "tooth",
    ),
    "food": (
        "apple", "banana", "pear", "strawberry", "pineapple", "grapes", "watermelon", "carrot",
        "broccoli", "pizza", "donut", "cake", "cookie", "ice cream", "hamburger", "hot dog",
        "sandwich", "mushroom", "onion", "peas", "potato", "lollipop", "popsicle", "birthday cake",
    ),
    "building": (
        "house", "castle", "barn", "church", "hospital", "lighthouse", "skyscraper", "tent",
        "The Eiffel Tower", "The Great Wall of China", "windmill", "bridge", "garden",
    ),
    "shape": (
        "diamond", "circle", "square", "triangle", "hexagon", "octagon", "line", "zigzag",
        "squiggle",
    ),
}  # fmt: skip


def _theme_pairs(names: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of a model's categories that share a theme, in the order of the names."""
    pairs = []
    for members in THEMES.values():
        ours = [n for n in names if n in members]
        pairs += [(a, b) for i, a in enumerate(ours) for b in ours[i + 1 :]]
    return pairs


def mix_presets(names: Sequence[str], limit: int = 4) -> dict[str, dict[int, float]]:
    """Mixes worth a click, built from a model's class names: half-and-half pairs known to
    make a good picture (:data:`GOOD_PAIRS`: "Half cat, half fish", "Half moon, half smiley
    face"), each category in one preset where there are enough; then pairs of the same theme
    (two animals, two vehicles); then neighbours, and "Pure" the first class.

    Digits keep the classic "Pure 4" and "half 8, half 3". The names are keys (English,
    as the data's categories); :func:`preset_title` is what a button shows.
    """
    index = {n: i for i, n in enumerate(names)}
    if tuple(names) == digit_names(len(names)) and len(names) >= 10:
        return {"Pure 4": {4: 1.0}, "Half 8, half 3": {8: 0.5, 3: 0.5}}
    known = [(a, b) for a, b in GOOD_PAIRS if a in index and b in index]
    themed = _theme_pairs(names)
    neighbours = [(names[i], names[i + 1]) for i in range(0, len(names) - 1, 2)]
    presets: dict[str, dict[int, float]] = {}
    used: set[str] = set()
    chosen: set[frozenset[str]] = set()
    # Fresh categories first (four presets show eight categories), then the rest in order.
    for candidates, fresh in ((known, True), (themed, True), (known, False), (themed, False),
                              (neighbours, False)):  # fmt: skip
        for a, b in candidates:
            if len(presets) >= limit:
                return presets
            if frozenset((a, b)) in chosen or (fresh and (a in used or b in used)):
                continue
            presets[f"Half {a}, half {b}"] = {index[a]: 0.5, index[b]: 0.5}
            used.update((a, b))
            chosen.add(frozenset((a, b)))
    if names and len(presets) < limit:
        presets.setdefault(f"Pure {names[0]}", {0: 1.0})
    return presets


def preset_title(key: str) -> str:
    """A :func:`mix_presets` key as its button shows it, in the window's language
    ("Half cat, half fish" -> "一半猫，一半鱼")."""
    if key.startswith("Half ") and ", half " in key:
        a, b = key[len("Half ") :].split(", half ", 1)
        text = QCoreApplication.translate("categories", "Half %1, half %2")
        return arg(text, category_label(a), category_label(b))
    if key.startswith("Pure "):
        text = QCoreApplication.translate("categories", "Pure %1")
        return arg(text, category_label(key[len("Pure ") :]))
    return key


__all__ = [
    "CLASS_COLORS",
    "CLASS_SYMBOLS",
    "GOOD_PAIRS",
    "THEMES",
    "class_color",
    "class_symbol",
    "describe_label",
    "digit_names",
    "label_names",
    "legend_html",
    "mix_presets",
    "preset_title",
    "slot_names",
]
