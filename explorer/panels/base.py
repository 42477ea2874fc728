"""What every model panel shares: follow one slot, and redraw only when seen.

A hidden tab only notes that its slot changed (a dirty flag) and redraws when it is shown:
redrawing a map nobody sees would take GUI time from the curves the class is watching.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtGui import QShowEvent

from explorer.session import Slot
from explorer.widgets.imaging import save_widget_png


class FollowsSlot:
    """Mixin for a panel ``QWidget``: ``follow(slot)``, then ``refresh()`` whenever it shows
    a slot that changed. Subclasses implement ``refresh`` from ``self.slot`` alone."""

    slot: Slot | None = None
    _dirty = False

    def follow(self, slot: Slot) -> None:
        """Show ``slot`` from now on (and stop following the one shown before)."""
        old = self.slot
        if old is not None and old is not slot:
            old.changed.disconnect(self._on_slot_changed)
            if hasattr(self, "set_timeline"):
                old.timeline_changed.disconnect(self._on_timeline_changed)
        elif old is slot:
            return
        self.slot = slot
        slot.changed.connect(self._on_slot_changed)
        if hasattr(self, "set_timeline"):  # panels with a replay bar follow the run's timeline
            slot.timeline_changed.connect(self._on_timeline_changed)
            self._on_timeline_changed(slot.timeline)
        self._on_slot_changed()

    def _on_timeline_changed(self, timeline: object) -> None:
        if shiboken6.isValid(self):
            self.set_timeline(timeline)  # type: ignore[attr-defined]

    @property
    def dirty(self) -> bool:
        """The slot changed since the panel last drew it (it is hidden)."""
        return self._dirty

    def refresh(self) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        """Draw now what a throttle still holds (a slider move, a drag)."""

    def export_png(self, path: str | Path) -> Path:
        """Save what the panel shows as a PNG (ExplorerError names the file on failure)."""
        self.flush()
        return save_widget_png(self, path)  # type: ignore[arg-type]

    def _on_slot_changed(self) -> None:
        if not shiboken6.isValid(self):  # the window is gone; psygnal outlives it
            return
        self._dirty = True
        if self.isVisible():  # type: ignore[attr-defined]
            self._dirty = False
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._dirty and self.slot is not None:
            self._dirty = False
            self.refresh()
