"""The Draw tab's class set: the pad's drawings kept word by word, and whether the chosen
model recognises the drawing (Quick Draw's ``recognized``).

The box itself is :class:`explorer.widgets.class_set.ClassSetBox`; this module only joins
it to the tab. The recogniser holds the panel weakly: a child keeping a bound method of its
parent made a reference cycle whose collection deleted widgets in the middle of the collector.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from explorer.widgets.categories import label_names, slot_names


def recognizes(slot: Any, posterior: np.ndarray | None, word: str) -> bool:
    """True when a conditional model's most likely class for the drawing is ``word``
    (names compared without case, as Quick Draw's categories are matched). Other models
    recognise nothing: they have no classes to say."""
    if slot is None or posterior is None or not len(posterior):
        return False
    if not getattr(slot.spec, "conditional", False):
        return False
    names: Sequence[str] = label_names(slot_names(slot), len(posterior))
    best = int(np.argmax(posterior))
    return str(names[best]).strip().lower() == " ".join(str(word).split()).lower()


def recognizer(panel: Any) -> Callable[[str], bool]:
    """``recognized(word)`` for the panel's chosen model and its answer to the drawing."""
    ref = weakref.ref(panel)

    def recognized(word: str) -> bool:
        draw = ref()
        if draw is None:
            return False
        return recognizes(draw.slot, draw.posterior(), word)

    return recognized


__all__ = ["recognizer", "recognizes"]
