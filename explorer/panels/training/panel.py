"""The Training tab: pick a model and its data, press Start, watch the losses fall.

Three parts: :class:`~explorer.panels.training.settings.TrainingSettings` (what to train),
the run buttons with the speed row and the messages (here), and
:class:`~explorer.panels.training.plots.LossCurves`. The buttons follow the session's run
state (``Session.run``); the curves follow the run's timeline in its slot; the
controller's worker messages (batches, epochs, the outcome) fill in the live parts.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from explorer.engine_words import data_source, engine_text
from explorer.i18n import arg, kind_label
from explorer.panels.training.plots import CURVES, LossCurves
from explorer.panels.training.settings import BUILTIN_DATA, FIRST_KIND, TrainingSettings
from explorer.session import Origin, RunPhase, RunState
from explorer.widgets.common import BASE_POINT_SIZE, save_widget_png, scroll_column
from explorer.widgets.speed_control import SpeedControl
from models.inference.timeline import Frame, Timeline
from models.messages import BatchProgress, EpochResult
from models.nets.config import TrainConfig

if TYPE_CHECKING:
    from explorer.controller import TrainingController
    from explorer.session import ResumableRun, Slot
    from explorer.workers import DataInfo, TrainingOutcome
    from models.data.dataset import Dataset

IDLE_MESSAGE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "TrainingPanel", "Press Start to train. Curves appear here as it learns."
)
SIDE_WIDTH = 400
"""The settings column's width at 100% zoom (it grows a little with the presenter zoom)."""
STATES = {"idle": RunPhase.IDLE, "running": RunPhase.TRAINING, "paused": RunPhase.PAUSED,
          "stopping": RunPhase.STOPPING}  # fmt: skip


def _number(value: float) -> str:
    """A loss as the window's language writes numbers (four significant digits)."""
    return QLocale().toString(float(value), "g", 4)


def _big_button(text: str, icon: QStyle.StandardPixmap, parent: QWidget) -> QPushButton:
    button = QPushButton(parent.style().standardIcon(icon), text, parent)
    button.setMinimumHeight(40)
    font = button.font()
    font.setPointSize(BASE_POINT_SIZE + 1)
    font.setBold(True)
    button.setFont(font)
    return button


class TrainingPanel(QWidget):
    """Settings, Start / Pause / Stop, live loss curves and progress."""

    start_requested = Signal()
    pause_requested = Signal()
    """Pause when running, resume when paused (the button toggles)."""
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._phase = RunPhase.IDLE
        self._resumable: ResumableRun | None = None
        self._controller: Any = None
        self._timeline: Timeline | None = None
        """The run's timeline shown (the run slot's when attached; else the panel's own)."""
        self._attached = False
        self._build()
        self.reset_plots(FIRST_KIND)

    # -- construction --------------------------------------------------------------------------
    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(16)
        self.curves = LossCurves(self)
        side = QVBoxLayout()
        side.setSpacing(8)
        self.settings = TrainingSettings(self)
        s = self.settings
        # The widgets tests, shortcuts and the presenter reach through the panel.
        self.model_combo, self.data_combo = s.model_combo, s.data_combo
        self.categories_button, self.per_category_spin = s.categories_button, s.per_category_spin
        self.epochs_spin, self.batch_spin = s.epochs_spin, s.batch_spin
        self.latent_spin, self.beta_spin = s.latent_spin, s.beta_spin
        self.noise_spin, self.preset_combo = s.noise_spin, s.preset_combo
        self.hidden_spin, self.val_spin, self.seed_spin = s.hidden_spin, s.val_spin, s.seed_spin
        self.more_settings = s.more
        """Advanced settings: Presenter mode hides them."""
        s.kind_changed.connect(self._on_model_changed)
        side.addWidget(s)
        # What the data is, right under the settings that choose it (in view at 1280x720;
        # below the Speed box it fell under the fold).
        self.data_label = QLabel("", self)
        self.data_label.setWordWrap(True)
        self.data_label.setObjectName("dataLabel")
        side.addWidget(self.data_label)
        side.addWidget(s.more)

        buttons = QHBoxLayout()
        sp = QStyle.StandardPixmap
        self.start_button = _big_button(self.tr("Start"), sp.SP_MediaPlay, self)
        self.pause_button = _big_button(self.tr("Pause"), sp.SP_MediaPause, self)
        self.stop_button = _big_button(self.tr("Stop"), sp.SP_MediaStop, self)
        self.start_button.setObjectName("startButton")
        self.stop_button.setObjectName("stopButton")
        self.start_button.clicked.connect(self.start_requested)
        self.pause_button.clicked.connect(self.pause_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        for b in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(b)
        side.addLayout(buttons)
        # Shown only when the chosen model has a stopped, closed or crashed run to go on
        # with; right under Start, so it is in view on a 720-px projector.
        self.continue_button = _big_button(self.tr("Continue"), sp.SP_MediaSeekForward, self)
        self.continue_button.setObjectName("continueButton")
        self.continue_button.clicked.connect(self.request_continue)
        self.continue_button.hide()
        side.addWidget(self.continue_button)
        self.speed = SpeedControl(self)
        self.speed.delay_combo.currentIndexChanged.connect(lambda _i: self.curves.pace_changed())
        side.addWidget(self.speed)

        self.message_label = QLabel(self.tr(IDLE_MESSAGE), self)
        self.message_label.setWordWrap(True)
        self.message_label.setObjectName("messageLabel")
        side.addWidget(self.message_label)
        # Word-wrapped labels get one line's height in a column like this; reserve room
        # so a long message never overlaps what is below it.
        self._line = self.fontMetrics().lineSpacing()
        side.addStretch(1)
        self.side_widget = QWidget(self)
        self.side_widget.setLayout(side)
        self.side_widget.setFixedWidth(SIDE_WIDTH)
        self.side_area = scroll_column(self.side_widget)
        root.addWidget(self.side_area)
        self.set_scale(1.0)

        self.plots_area = self.curves
        c = self.curves
        self.loss_plot, self.kl_plot = c.loss_plot, c.kl_plot
        self.epoch_bar, self.run_bar, self.speed_label = c.epoch_bar, c.run_bar, c.speed_label
        root.addWidget(self.curves, 1)
        self.set_state("idle")

    # -- settings ------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.settings.kind

    @property
    def spec(self) -> Any:
        return self.settings.spec

    def set_model_kind(self, kind: str) -> None:
        self.settings.set_model_kind(kind)

    def data_spec(self) -> str:
        return self.settings.data_spec()

    def set_data_spec(self, spec: str) -> None:
        self.settings.set_data_spec(spec)

    def add_data_source(self, spec: str, select: bool = True) -> None:
        self.settings.add_data_source(spec, select)

    def max_per_category(self) -> int | None:
        return self.settings.max_per_category()

    def choose_categories(self) -> Any:
        return self.settings.choose_categories()

    def config(self) -> TrainConfig:
        return self.settings.config()

    def show_config(self, config: TrainConfig) -> None:
        self.settings.show_config(config)

    def _on_model_changed(self, kind: str) -> None:
        if not self._phase.active:
            self.reset_plots(kind)
            self.set_data_text("")
            self.set_message(self.tr(IDLE_MESSAGE))
        self.refresh_continue()

    # -- run state -----------------------------------------------------------------------------
    def set_scale(self, factor: float) -> None:
        """Presenter zoom: the settings column widens a little (its labels and fields grow),
        and the word-wrapped labels keep room for their lines at the bigger font."""
        # The word-wrapped labels take the lines their text needs (no reserved room: at
        # 1280x720 three empty lines pushed the data line below the fold).
        side = getattr(self, "side_widget", None)
        if side is not None:
            width = round(SIDE_WIDTH * max(1.0, 1.0 + 0.25 * (factor - 1.0)))
            bar = self.side_area.verticalScrollBar().sizeHint().width()
            side.setFixedWidth(width)
            self.side_area.setFixedWidth(width + bar)
            # From 150% a field too wide beside its label goes under it: at 201% on
            # 1280x720 the Model box beside its label showed "VAE (digits" cut short.
            policy = QFormLayout.RowWrapPolicy
            wrap = policy.WrapLongRows if factor >= 1.5 else policy.DontWrapRows
            self.settings.form.setRowWrapPolicy(wrap)

    def set_state(self, state: str | RunPhase) -> None:
        """``idle``, ``running``, ``paused`` or ``stopping`` (or a RunPhase): the buttons."""
        phase = STATES[state] if isinstance(state, str) else state
        self._phase = phase
        idle = not phase.active
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(phase in (RunPhase.TRAINING, RunPhase.PAUSED))
        self.stop_button.setEnabled(phase in (RunPhase.TRAINING, RunPhase.PAUSED))
        sp = QStyle.StandardPixmap
        if phase is RunPhase.PAUSED:
            self.pause_button.setText(self.tr("Resume"))
            self.pause_button.setIcon(self.style().standardIcon(sp.SP_MediaPlay))
        else:
            self.pause_button.setText(self.tr("Pause"))
            self.pause_button.setIcon(self.style().standardIcon(sp.SP_MediaPause))
        self.settings.set_editable(idle)
        self.speed.set_running(not idle)

    def set_message(self, text: str) -> None:
        self.message_label.setText(text)

    def set_data_text(self, text: str) -> None:
        self.data_label.setText(text)

    def reset_plots(self, kind: str) -> None:
        """Empty curves and fresh axes for ``kind`` over the epochs chosen."""
        self._timeline = None
        self.curves.reset(kind, self.epochs_spin.value())

    def begin_run(self, config: TrainConfig) -> None:
        self.show_config(config)
        self.reset_plots(config.model)
        self.curves.set_epochs(config.epochs)
        self.set_state("running")
        self.set_data_text("")
        epochs = config.epochs
        text = self.tr("Starting: %n epoch(s) of %1…", "", epochs)
        self.set_message(arg(text, kind_label(config.spec.display_name)))
        self.epoch_bar.setFormat(self.tr("Loading data…"))

    # -- live updates (GUI thread, from the controller) ----------------------------------------
    def show_batch(self, progress: BatchProgress) -> None:
        self.curves.show_batch(progress, time.monotonic(), self.speed.delay_ms / 1000.0)
        if self._phase is not RunPhase.PAUSED:
            loss = progress.losses.get("loss", np.nan)
            self.set_message(arg(self.tr("Training… current loss %1"), _number(loss)))

    def show_epoch(self, result: EpochResult) -> None:
        """An epoch's message; its losses reach the curves through the run's timeline
        (alone, without a session, the panel keeps that timeline itself)."""
        if not self._attached:
            if self._timeline is None:
                self._timeline = Timeline()
            losses = {f"train_{k}": v for k, v in result.train.items()}
            losses.update({f"val_{k}": v for k, v in result.val.items()})
            self._timeline.append(Frame(result.epoch + 1, losses))
            self.show_timeline(self._timeline)
        names = {"loss": self.tr("total"), "reconstruction": self.tr("reconstruction"), "kl": "KL"}
        parts = [f"{names.get(k, k)} {_number(v)}" for k, v in result.val.items()]
        text = self.tr("Epoch %1 of %2: validation %3")
        self.set_message(arg(text, result.epoch + 1, result.epochs, ", ".join(parts)))

    def show_timeline(self, timeline: Timeline | None) -> None:
        """The run's finished epochs (a continued or reopened run's earlier ones too)."""
        self._timeline = timeline
        if timeline is None:
            self.curves.show_epochs([], {})
            return
        self.curves.show_epochs(timeline.epochs, timeline.losses)

    def end_run(self, message: str) -> None:
        """Back to idle, with a closing message; the speed line keeps only the rate."""
        self.set_state("idle")
        self.set_message(message)
        self.curves.end_run()

    # -- following the controller and the session ----------------------------------------------
    def attach(self, controller: TrainingController) -> None:
        """Show the controller's runs here; the buttons ask it to start, pause and stop.
        The buttons follow the session's run state; the curves the run slot's timeline."""
        self._controller = controller
        self._attached = True
        self.speed.attach(controller)
        self.start_requested.connect(self.request_start)
        self.pause_requested.connect(controller.toggle_pause)
        self.stop_requested.connect(self._on_stop_requested)
        controller.started.connect(self.begin_run)
        controller.status.connect(self._on_status)
        controller.data_ready.connect(self._on_data_ready)
        controller.batch.connect(self.show_batch)
        controller.epoch.connect(self.show_epoch)
        controller.finished.connect(self._on_finished)
        controller.opened.connect(self.offer_data)
        session = controller.session
        session.run_changed.connect(self._on_run_changed)
        for slot in session:
            slot.timeline_changed.connect(lambda t, s=slot: self._on_timeline(s, t))
            slot.model_changed.connect(lambda m, s=slot: self._on_model_loaded(s, m))
        self.refresh_continue()

    def _on_run_changed(self, state: RunState) -> None:
        if not shiboken6.isValid(self):
            return
        self.set_state(state.phase if state.active else RunPhase.IDLE)
        if state.phase is RunPhase.PAUSED:
            self.set_message(self.tr("Paused. Press Resume to go on."))
        elif state.phase is RunPhase.STOPPING:
            self.set_message(self.tr("Stopping after this batch…"))
        self.refresh_continue()  # hidden while a run goes

    def _following(self, slot: Slot) -> bool:
        c = self._controller
        if self._phase.active:
            return c is not None and slot is c.run_slot
        return slot.kind == self.kind

    def _on_timeline(self, slot: Slot, timeline: Timeline | None) -> None:
        if shiboken6.isValid(self) and self._following(slot):
            if timeline is not None and len(timeline):
                self.curves.set_epochs(max(self.epochs_spin.value(), timeline.epochs[-1]))
            self.show_timeline(timeline)

    def _on_model_loaded(self, slot: Slot, model: Any) -> None:
        """A model loaded from a folder (a reopened run): its settings, its own total
        epochs and its curves, unless a run is going."""
        if not shiboken6.isValid(self) or self._phase.active or model is None:
            return
        if slot.origin is not Origin.LOADED or getattr(model, "config", None) is None:
            return
        self.show_config(model.config)
        self.reset_plots(model.kind)
        self.set_message(
            arg(
                self.tr("Loaded %1: its curves so far. Press Start to train a new one."),
                kind_label(slot.title),
            )
        )

    # -- continuing a run that stopped -----------------------------------------------------------
    def refresh_continue(self, *_args: object) -> None:
        """Show "Continue" if the chosen model has a run to go on with (and none is running)."""
        controller = self._controller
        run = None
        if controller is not None and not self._phase.active and not controller.is_running:
            run = controller.resumable(self.kind)
        self._resumable = run
        if run is None:
            self.continue_button.hide()
            return
        self.continue_button.setText(
            arg(self.tr("Continue (epoch %1 of %2)"), run.epochs_done, run.epochs)
        )
        self.continue_button.setToolTip(
            arg(
                self.tr("Go on with the %1 run that stopped at %2"),
                kind_label(self.spec.short_name),
                arg(self.tr("epoch %1 of %2, in %3"), run.epochs_done, run.epochs, run.folder),
            )
        )
        self.continue_button.show()

    def request_continue(self) -> None:
        """Continue: the stopped run goes on from its last epoch, with its own settings."""
        self.refresh_continue()
        run = self._resumable
        if self._controller.is_running:
            return
        if run is None:
            self._controller.note.emit(
                arg(self.tr("No stopped %1 run to continue"), kind_label(self.spec.short_name))
            )
            return
        self._controller.continue_run(run)

    def request_start(self) -> None:
        """Start: the widgets become a frozen config, which the controller trains."""
        if self._controller.is_running:
            return
        title = self.tr("Cannot start training")
        other = getattr(self._controller, "other_run", None)
        if other:  # e.g. the Compare tab retraining its models: one run at a time
            self._controller.error.emit(title, arg(self.tr("%1; stop it first."), other))
            return
        try:
            config = self.config()
        except ValueError as exc:
            self._controller.error.emit(title, str(exc))
            return
        self._controller.start(config, max_per_category=self.max_per_category())

    def offer_data(self, spec: str, data: Dataset) -> None:
        """An opened file: offer it for training, and forget the last run's curves and text."""
        self.add_data_source(spec, select=False)
        if self._phase.active:
            return
        self.set_model_kind(self._controller.session.kind_for_spec(spec).name)
        self.add_data_source(spec)
        self.reset_plots(self.kind)
        generated = "<br><i>" + self.tr("Generated practice sketches, not real drawings.") + "</i>"
        self.set_data_text(
            arg(self.tr("<b>Data:</b> %1<br>opened from a file"), data_source(data.source))
            + (generated if data.generated else "")
        )
        self.set_message(
            arg(
                self.tr("Press Start to train the %1 on this file."),
                kind_label(self.spec.short_name),
            )
        )

    def _on_stop_requested(self) -> None:
        if self._controller.is_running:
            self._controller.stop()

    def _on_status(self, text: str) -> None:
        if not self._controller.batches_received:
            self.set_message(text)

    def _on_data_ready(self, info: DataInfo) -> None:
        text = arg(
            self.tr("<b>Data:</b> %1<br>%2 for training, %3 for validation"),
            data_source(info.source),
            QLocale().toString(info.n_train),
            QLocale().toString(info.n_val),
        )
        if info.generated:
            text += "<br><i>" + self.tr("Generated practice sketches, not real drawings.") + "</i>"
        if info.note:
            text += f"<br><i>{engine_text(info.note)}</i>"
            self.set_data_spec(info.name)  # what it really trains on
        self.set_data_text(text)

    def _on_finished(self, outcome: TrainingOutcome) -> None:
        epochs = outcome.epochs_done
        state = self._controller.session.run
        if outcome.error:
            self.end_run(arg(self.tr("Stopped: %1"), outcome.error))
        elif not state.kept:
            self.end_run(self.tr(
                "Stopped before the first epoch ended: nothing was kept. The tabs still "
                "show the previous model."
            ))  # fmt: skip
        elif outcome.stopped:
            self.end_run(self.tr("Stopped after %n epoch(s).", "", epochs))
        else:
            text = self.tr("Finished %n epoch(s).", "", epochs)
            if outcome.model is not None and outcome.model.history:
                last = outcome.model.history[-1]
                final = _number(last.get("val_loss", float("nan")))
                text += "  " + arg(self.tr("Final validation loss %1."), final)
            self.end_run(text + " " + self.tr("The other tabs now show this model."))

    # -- reading back ----------------------------------------------------------------------------
    def curve_data(self, which: str, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) the plot shows for ``which`` in {"train", "val"} and a loss key (for tests)."""
        return self.curves.curve_data(which, key)

    def set_epoch_marker(self, epoch: float | None) -> None:
        """The replay's epoch as a vertical line on both loss plots (None: no line)."""
        self.curves.set_marker(epoch)

    def epoch_marker(self) -> float | None:
        return self.curves.marker()

    def export_png(self, path: str | Path) -> Path:
        """The curves and progress as they are now (the settings column left out)."""
        return save_widget_png(self.plots_area, path)


__all__ = ["BUILTIN_DATA", "CURVES", "FIRST_KIND", "IDLE_MESSAGE", "TrainingPanel"]
