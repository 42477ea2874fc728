"""Slow motion for the Training tab: a pause between batches, and Step (one batch or epoch).

The widget drives the running worker's :class:`~models.training.control.TrainingControl`
through the controller; the chosen delay carries over to the next run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from explorer.i18n import arg
from explorer.widgets.flow_layout import flow_row

if TYPE_CHECKING:
    from explorer.controller import TrainingController

DELAYS_MS = (0, 50, 200, 1000)


class SpeedControl(QGroupBox):
    """The "Speed" box: full speed or a pause between batches; Step one batch / one epoch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Speed (slow motion)"))
        self._controller: TrainingController | None = None
        self.delay_combo = QComboBox(self)
        for ms in DELAYS_MS:
            self.delay_combo.addItem(self._delay_text(ms), ms)
        self.delay_combo.setToolTip(self.tr("Slow training down so a class can watch each batch"))
        self.delay_combo.currentIndexChanged.connect(self._apply_delay)
        self.step_batch_button = QPushButton(self.tr("Step 1 batch"), self)
        self.step_batch_button.setToolTip(self.tr("Pause, then train exactly one batch"))
        self.step_batch_button.clicked.connect(self.step_batch)
        self.step_epoch_button = QPushButton(self.tr("Step 1 epoch"), self)
        self.step_epoch_button.setToolTip(self.tr("Pause, then train to the end of this epoch"))
        self.step_epoch_button.clicked.connect(self.step_epoch)
        layout = QGridLayout(self)
        layout.addWidget(QLabel(self.tr("Pace"), self), 0, 0)
        layout.addWidget(self.delay_combo, 0, 1, 1, 2)
        # Flowing: at the presenter's zoom the two buttons take two lines rather than cutting
        # their words off in the settings column.
        layout.addWidget(flow_row(self.step_batch_button, self.step_epoch_button), 1, 1, 1, 2)
        self.set_running(False)

    def attach(self, controller: TrainingController) -> None:
        self._controller = controller
        controller.started.connect(self._on_started)
        controller.finished.connect(self._on_finished)

    @property
    def delay_ms(self) -> int:
        return int(self.delay_combo.currentData())

    def set_delay_ms(self, ms: int) -> None:
        index = self.delay_combo.findData(ms)
        if index < 0:
            self.delay_combo.addItem(self._delay_text(ms), ms)
            index = self.delay_combo.count() - 1
        self.delay_combo.setCurrentIndex(index)

    def _delay_text(self, ms: int) -> str:
        if ms == 0:
            return self.tr("full speed")
        return arg(self.tr("%1 ms between batches"), QLocale().toString(ms))

    def set_running(self, running: bool) -> None:
        self.step_batch_button.setEnabled(running)
        self.step_epoch_button.setEnabled(running)

    def _control(self) -> Any:
        worker = self._controller.worker if self._controller is not None else None
        return None if worker is None else worker.control

    def _apply_delay(self) -> None:
        control = self._control()
        if control is not None:
            control.set_delay(self.delay_ms / 1000.0)

    def step_batch(self) -> None:
        """Pause (the buttons show Resume) and let one batch through."""
        control = self._control()
        if control is None or self._controller is None:
            return
        self._controller.pause()
        control.step_batch()

    def step_epoch(self) -> None:
        """Pause and let the rest of this epoch through."""
        control = self._control()
        if control is None or self._controller is None:
            return
        self._controller.pause()
        control.step_epoch()

    def _on_started(self, _config: object) -> None:
        self.set_running(True)
        self._apply_delay()

    def _on_finished(self, _outcome: object) -> None:
        self.set_running(False)
