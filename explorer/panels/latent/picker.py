"""Which model the Latent map shows: every loaded model with a 2-D-capable latent space
(the digit VAE, each CVAE that holds a model, a dense autoencoder), in a picker shown when
there is more than one. A model that just arrived is shown by itself (as the CVAE tab shows
a just-loaded CVAE), and so is the one a run trains, when it starts and when it ends (a
class set's CVAE: the class's drawings at their codes). A mixin of :class:`LatentMapPanel`."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QWidget
from superqt.utils import signals_blocked

from explorer.i18n import kind_label
from explorer.run_state import RunState
from explorer.session import Session, Slot
from explorer.widgets.flow_layout import flow_row


class MapModels:
    """The model picker; expects ``follow`` and ``slot`` (:class:`FollowsSlot`)."""

    slot: Slot | None
    session: Session | None = None
    _choices: list[Slot]
    _after_run: str | None = None
    """The slot id of a run that started or ended: shown once it can be (a model there)."""
    _run_active = False

    def _build_picker(self) -> QWidget:
        """The picker's row (hidden while there is only one model to show)."""
        self._choices = []
        self.model_combo = QComboBox()
        self.model_combo.setToolTip(
            QCoreApplication.translate("LatentMapPanel", "Which model's latent space the map shows")
        )
        self.model_combo.currentIndexChanged.connect(self._on_model_chosen)
        title = QLabel(QCoreApplication.translate("LatentMapPanel", "Model"))
        self._model_row = flow_row(title, self.model_combo)
        self._model_row.hide()
        return self._model_row

    def attach(self, session: Session) -> None:
        """Offer every slot the session can show on a map, and follow the chosen one."""
        self.session = session
        session.slots_changed.connect(self._on_slots_changed)
        session.run_changed.connect(self._on_run_changed)
        for slot in session:
            slot.changed.connect(self._on_slots_changed)  # a model, or a run's first epoch
        self._on_slots_changed()

    def chosen_slot(self) -> Slot | None:
        """The slot the map shows (what the status bar names)."""
        return self.slot

    def _on_run_changed(self, state: RunState) -> None:
        """A run that starts, and one that ends with a model, are shown (once: the picker
        may choose another model meanwhile)."""
        if not shiboken6.isValid(self):
            return
        was, self._run_active = self._run_active, state.active
        started = state.active and not was
        ended = was and not state.active and state.kept
        if was and not state.active and not state.kept:
            self._after_run = None  # nothing was kept: the map stays where it is
        elif state.slot is not None and (started or ended):
            self._after_run = state.slot
            self._on_slots_changed()

    def _on_slots_changed(self, *_args: Any) -> None:
        session = self.session
        if session is None or not shiboken6.isValid(self):
            return
        before = list(self._choices)
        choices = session.slots_for_map()
        current = self.slot
        new = [slot for slot in choices if slot not in before]
        if before and new:
            current = new[-1]  # a model just arrived (loaded, or a run's first epoch)
        wanted = self._after_run
        if wanted is not None and wanted in session.slots:
            slot = session.slot(wanted)
            if slot in choices:
                current = slot
                self._after_run = None
            elif slot.model is not None and not slot.training:
                self._after_run = None  # its model has no map (a conv autoencoder)
        if current not in choices:
            current = choices[0] if choices else None
        self._choices = choices
        with signals_blocked(self.model_combo):
            if choices != before or self.model_combo.count() != len(choices):
                self.model_combo.clear()
                for slot in choices:
                    self.model_combo.addItem(kind_label(slot.title), slot.id)
            if current is not None:
                self.model_combo.setCurrentIndex(choices.index(current))
        self._model_row.setVisible(len(choices) > 1)
        if current is not None and current is not self.slot:
            self.follow(current)  # type: ignore[attr-defined]

    def _on_model_chosen(self, index: int) -> None:
        if 0 <= index < len(self._choices) and self._choices[index] is not self.slot:
            self.follow(self._choices[index])  # type: ignore[attr-defined]


__all__ = ["MapModels"]
