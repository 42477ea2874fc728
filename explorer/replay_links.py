"""The replay across tabs: a timeline bar's epoch marks the loss curves of the Training tab,
and the replay is exported as an animated GIF (a bar's "GIF…" button, or the File menu).

Each panel with a replay bar follows its slot's :class:`~models.inference.timeline.Timeline`
itself (:mod:`explorer.panels.base`); this module only links the bars to the rest of the
window, so :mod:`explorer.main_window` stays an assembler.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from explorer.i18n import arg, language, same_words
from explorer.widgets.categories import slot_names
from explorer.widgets.save_dialog import ask_save_path
from explorer.widgets.timeline_bar import TimelineBar
from models.inference.timeline import Timeline

if TYPE_CHECKING:
    from explorer.main_window import MainWindow


def bars(window: MainWindow) -> dict[str, TimelineBar]:
    """The replay bars of the model tabs, by panel name."""
    return {
        name: panel.timeline_bar
        for name, panel in window.panels.items()
        if isinstance(getattr(panel, "timeline_bar", None), TimelineBar)
    }


def install(window: MainWindow) -> None:
    for bar in bars(window).values():
        bar.scrubbed.connect(lambda _index, b=bar: mark_epoch(window, b))
        bar.export_requested.connect(lambda b=bar: choose_export_replay(window, b.timeline))
    file_menu: Any = next(
        (a.menu() for a in window.menuBar().actions() if same_words(a.text(), "File")),
        None,
    )
    if file_menu is None:
        return
    w: Any = window
    title = QCoreApplication.translate("replay_links", "Export training &replay as GIF…")
    w.export_replay_action = QAction(title, window)
    w.export_replay_action.triggered.connect(lambda: choose_export_replay(window, None))
    anchor = getattr(window, "export_action", None)
    actions = file_menu.actions()
    index = actions.index(anchor) + 1 if anchor in actions else len(actions)
    if index < len(actions):
        file_menu.insertAction(actions[index], w.export_replay_action)
    else:
        file_menu.addAction(w.export_replay_action)


def mark_epoch(window: MainWindow, bar: TimelineBar) -> None:
    """The Training tab's loss curves get a line at the bar's epoch (none at "now")."""
    window.training.set_epoch_marker(None if bar.shown() is None else bar.epoch())


def current_timeline(window: MainWindow) -> Timeline | None:
    """The timeline of the kind the current tab shows."""
    timeline = window.current_slot().timeline
    return timeline if timeline is not None and len(timeline) else None


def choose_export_replay(window: MainWindow, timeline: Timeline | None) -> None:
    timeline = timeline or current_timeline(window)
    if timeline is None:
        window.report_error(
            QCoreApplication.translate("replay_links", "Export replay"),
            QCoreApplication.translate(
                "replay_links", "There is no training run to replay yet: train a model first."
            ),
        )
        return
    path = ask_save_path(
        window,
        QCoreApplication.translate("replay_links", "Export the training replay"),
        "replay.gif",
        QCoreApplication.translate("replay_links", "Animated GIF (*.gif)"),
    )
    if path:
        export_replay(window, timeline, path)


def export_replay(window: MainWindow, timeline: Timeline, path: str | Path) -> Path | None:
    """Write the replay (one frame per epoch) as an animated GIF; errors go to a dialog."""
    from models.inference.replay import save_replay

    slot = next((s for s in window.session.slots.values() if s.timeline is timeline), None)
    names = slot_names(slot) if slot is not None else None
    try:
        written = save_replay(timeline, path, names=names, lang=language())
    except (OSError, ValueError) as exc:
        title = QCoreApplication.translate("replay_links", "Could not export the replay")
        window.report_error(title, f"{path}: {exc}")
        return None
    epochs = len(timeline)  # a plain name: lupdate misses a call in translate's arguments
    saved = QCoreApplication.translate(
        "replay_links", "Saved the replay (%n epochs) to %1", "", epochs
    )
    window.show_status(arg(saved, written), 10_000)
    return Path(written)
