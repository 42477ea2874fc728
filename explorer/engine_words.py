"""The engine's status lines, in the window's language.

The engine (:mod:`models.runs`) has no Qt: its Run says what it is doing in English
("Building the model…", "Loading quickdraw:cat…") through its ``status`` callback. The
window shows those lines in the status bar and the Training tab, so it translates the
ones it knows here, at the one place they arrive (the training worker's signal handler in
:class:`explorer.controller.TrainingController`). A line this table does not know is shown
as the engine wrote it. Data specs and file names inside a line stay as they are.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from explorer.i18n import arg

CONTEXT = "engine"

KNOWN: tuple[tuple[re.Pattern[str], str], ...] = (  # type: ignore[assignment]
    (re.compile(r"Building the model…"), QT_TRANSLATE_NOOP("engine", "Building the model…")),
    (re.compile(r"Loading (.+)…"), QT_TRANSLATE_NOOP("engine", "Loading %1…")),
    (re.compile(r"Downloading (.+)… (-?\d+)%"), QT_TRANSLATE_NOOP("engine", "Downloading %1… %2%")),
    (re.compile(r"Downloading (.+)…"), QT_TRANSLATE_NOOP("engine", "Downloading %1…")),
    (
        re.compile(r"(.+) could not be downloaded, so this trains on (.+) instead\."),
        QT_TRANSLATE_NOOP("engine", "%1 could not be downloaded, so this trains on %2 instead."),
    ),
    (
        re.compile(r"Could not save the trained model: (.+)", re.DOTALL),
        QT_TRANSLATE_NOOP("engine", "Could not save the trained model: %1"),
    ),
)
"""Each status line of :class:`models.runs.Run` (``Run.say``): the pattern it matches in
English, and its text with the pattern's groups as %1, %2 (the order of ``models.runs``)."""


def engine_text(text: str) -> str:
    """``text``, a status line of the engine, in the window's language (as it is when the
    table does not know it)."""
    for pattern, source in KNOWN:
        match = pattern.fullmatch(text)
        if match is not None:
            return arg(QCoreApplication.translate(CONTEXT, source), *match.groups())
    return text


__all__ = ["KNOWN", "engine_text"]
