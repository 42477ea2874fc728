"""The main window: it assembles the tabs, menus and status bar, and holds no model state.

The session (:mod:`explorer.session`) holds what each model kind shows; the controller
writes to it; each tab follows its slot. The window opens at once with the shipped results
that need only NumPy, imports TensorFlow in the background, and then the controller loads
the shipped models that need it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from explorer import actions, language_menu, presenter, replay_links
from explorer.controller import TrainingController
from explorer.engine_words import data_source
from explorer.i18n import arg, kind_label
from explorer.panels.cats import ReconstructionPanel
from explorer.panels.compare import ComparePanel
from explorer.panels.cvae import CVAEPanel
from explorer.panels.draw import DrawPanel
from explorer.panels.latent_map import LatentMapPanel
from explorer.panels.training import TrainingPanel
from explorer.session import Origin, RunPhase, RunState, Slot
from explorer.widgets.banner import Banner
from explorer.widgets.common import configure_pyqtgraph, resource, show_error, spec_for_file
from explorer.workers import TrainingOutcome
from models.data.dataset import Dataset
from models.errors import ExplorerError
from models.nets.config import TrainConfig

log = logging.getLogger(__name__)

TITLE = "Autoencoder Explorer"
NO_MODEL: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "MainWindow",
    "No trained %1 model yet — train one in the Training tab, or load weights (File menu).",
)
TF_START_DELAY_MS = 150
CLASS_SET_SETTINGS: dict[str, Any] = {"epochs": 30, "batch_size": 16}
"""A class set is a few dozen drawings: more epochs than a big file needs, small batches."""
PANELS = (("cats", QT_TRANSLATE_NOOP("MainWindow", "Cats"), ReconstructionPanel),
          ("latent", QT_TRANSLATE_NOOP("MainWindow", "Latent map"), LatentMapPanel),
          ("cvae", "CVAE", CVAEPanel))  # fmt: skip
"""The model tabs: registry panel name, English tab title (shown translated, context
"MainWindow"; found again with :func:`explorer.i18n.same_words`), panel class."""


def app_icon() -> QIcon:
    path = resource("icons/explorer.svg")
    return QIcon(str(path)) if path is not None else QIcon()


def selected_pair(cats: Any) -> Any:
    """The Draw tab's view of the Cats tab's selected pair: (its kind, the clean image or
    None). A closure over the panel only: a bound method of the window, kept by a child,
    made a cycle whose collection deleted the window in the middle of the collector."""

    def pair() -> tuple[str, Any]:
        originals = cats.shown_originals()
        kind = cats.slot.kind if cats.slot is not None else ""
        return kind, originals[cats.selected()] if len(originals) else None

    return pair


class MainWindow(QMainWindow):
    """Tabs: Training, Cats, Latent map, CVAE, Draw."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        controller: TrainingController | None = None,
        load_tensorflow: bool = True,
        load_shipped: bool = True,
    ) -> None:
        super().__init__(parent)
        configure_pyqtgraph()  # once, before the first plot (also done by make_app)
        self.setWindowTitle(TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.controller = controller or TrainingController(self)
        self.session = self.controller.session
        self.tf_loader = self.controller.tf_loader
        self.saved_session: Path | None = None
        self.errors: list[str] = []
        self._download_dialog: Any = None
        self._missing: list[str] = []

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.training = TrainingPanel(self.tabs)
        self.training.attach(self.controller)
        self.tabs.addTab(self.training, self.tr("Training"))
        self.panels: dict[str, Any] = {}
        for name, title, cls in PANELS:
            panel = cls(self.tabs)
            self.tabs.addTab(panel, QCoreApplication.translate("MainWindow", str(title)))
            self.panels[name] = panel
        self.cats, self.latent, self.cvae = (self.panels[n] for n in ("cats", "latent", "cvae"))
        self.draw = DrawPanel(self.tabs)
        self.tabs.addTab(self.draw, self.tr("Draw"))
        self.banner = Banner(self)
        self.banner.chosen.connect(lambda choice: actions.answer_interrupted(self, choice))
        shipped, c = load_shipped, self.controller
        self.compare = ComparePanel(self.tabs, load_shipped=shipped, controller=c)
        self.tabs.addTab(self.compare, self.tr("Compare"))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.origin_label = QLabel("", self)
        self.origin_label.setContentsMargins(0, 0, 16, 0)
        self.tf_label = QLabel("", self)
        self.tf_label.setObjectName("tfLabel")
        self.statusBar().addPermanentWidget(self.origin_label)
        self.statusBar().addPermanentWidget(self.tf_label)
        actions.build_menus(self)
        presenter.install(self)
        language_menu.install(self)
        replay_links.install(self)
        self._connect()

        if load_shipped:
            self._missing = self.controller.show_shipped()
        self.latent.use_view(self.session.latent_view)
        for name, panel in self.panels.items():
            if hasattr(panel, "attach"):  # offers every slot it can show (the CVAE tab)
                panel.attach(self.session)
            else:
                panel.follow(self.session.slot_for_panel(name))
        self.draw.attach(self.session, pair_source=selected_pair(self.cats))
        self.draw.model_combo.currentIndexChanged.connect(self._update_origin)
        self.class_set_settings = dict(CLASS_SET_SETTINGS)
        """TrainConfig fields of a class set run (tests make it tiny)."""
        self.draw.train_requested.connect(self.train_class_set)
        self._update_origin()
        self.interrupted = actions.offer_interrupted(self)
        if load_tensorflow:
            self.tf_label.setText(self.tr("Loading TensorFlow…"))  # said once, here
            # After the first paint: the import holds the GIL much of the time.
            QTimer.singleShot(TF_START_DELAY_MS, self.tf_loader, self.tf_loader.start)
        elif self._missing:
            self.show_status(self.idle_message())

    def _connect(self) -> None:
        c = self.controller
        c.status.connect(self._on_worker_status)
        c.batch.connect(self._on_first_batch)
        c.finished.connect(self._on_finished)
        c.error.connect(self.report_error)
        c.note.connect(self._on_note)
        c.opened.connect(self._on_opened)
        self.session.run_changed.connect(self._on_run_changed)
        self.statusBar().messageChanged.connect(self._on_message_changed)
        for slot in self.session:
            slot.model_changed.connect(self._update_origin)
        self.cvae.model_combo.currentIndexChanged.connect(self._update_origin)
        self.latent.model_combo.currentIndexChanged.connect(self._update_origin)
        self.tf_loader.ready.connect(self._on_tf_ready)
        self.tf_loader.failed.connect(self._on_tf_failed)
        self.tabs.currentChanged.connect(self._update_origin)
        self.training.model_combo.currentIndexChanged.connect(self._update_origin)

    # -- status --------------------------------------------------------------------------------
    def show_status(self, text: str, ms: int = 0) -> None:
        self.statusBar().showMessage(text, ms)

    def report_error(self, title: str, message: str) -> None:
        """A message box with the engine's one-line message; also kept for tests and logs."""
        self.errors.append(message)
        log.warning("%s: %s", title, message)
        self.show_status(message, 10_000)
        show_error(self, title, message)

    def idle_message(self) -> str:
        if self._missing:
            missing = self._missing
            names = " / ".join(kind_label(name) for name in missing)
            return arg(QCoreApplication.translate("MainWindow", NO_MODEL), names)
        return ""

    def _origin_words(self, slot: Slot) -> str:
        """Where the slot's model came from, in the window's language."""
        if slot.origin is Origin.LOADED and slot.path is not None:
            return arg(self.tr("loaded from %1"), slot.path)
        words = {
            Origin.NONE: self.tr("no model yet"),
            Origin.SHIPPED: self.tr("shipped model"),
            Origin.TRAINED: self.tr("trained in this session"),
            Origin.LOADED: self.tr("loaded from a file"),
        }
        return words.get(slot.origin, slot.describe_origin())

    def _on_note(self, text: str) -> None:
        self.show_status(text, 10_000)
        self._update_origin()

    def _update_origin(self, *_args: Any) -> None:
        if not shiboken6.isValid(self):
            return
        slot = self.current_slot()
        text = arg(self.tr("%1: %2"), kind_label(slot.title), self._origin_words(slot))
        self.origin_label.setText(text)

    def _on_tf_ready(self) -> None:
        self._show_phase(self.session.run)
        if not self.session.run.active:
            self.show_status(self.idle_message())

    def _on_tf_failed(self, message: str) -> None:
        self.tf_label.setText(self.tr("TensorFlow unavailable"))
        self.report_error("TensorFlow", message)

    # -- files and models ----------------------------------------------------------------------
    @property
    def opened(self) -> dict[str, Dataset]:
        """Datasets the user opened, by SPEC."""
        return self.controller.opened_data

    @property
    def busy(self) -> bool:
        return self.controller.busy

    def open_file(self, path: str | Path) -> None:
        """Read a data file in the background; errors end in a message box."""
        try:
            spec = spec_for_file(path)
        except ValueError as exc:
            self.report_error(self.tr("Could not open the file"), str(exc))
            return
        self.show_status(arg(self.tr("Opening %1…"), Path(path).name))
        self.controller.open_spec(spec)

    def _on_opened(self, _spec: str, data: Dataset) -> None:
        self.show_status(arg(self.tr("Opened %1"), data_source(data.source)), 10_000)

    def open_download_dialog(self) -> None:
        self._download_dialog = actions.open_download_dialog(self)

    def load_weights(self, path: str | Path) -> None:
        self.show_status(arg(self.tr("Loading weights from %1…"), path))
        self.controller.load_weights(path)

    def save_weights(self, kind: str, directory: str | Path) -> Path | None:
        try:
            path = self.controller.save_weights(kind, directory)
        except (ExplorerError, OSError, ValueError) as exc:
            self.report_error(self.tr("Could not save the weights"), str(exc))
            return None
        name = kind_label(self.session.slot(kind).spec.display_name)
        self.show_status(arg(self.tr("Saved %1 to %2"), name, path), 10_000)
        return path

    def current_slot(self) -> Slot:
        """The slot the current tab shows (the Training tab: the kind chosen there)."""
        panel = self.tabs.currentWidget()
        slot = getattr(panel, "slot", None)
        return slot if isinstance(slot, Slot) else self.session.slot(self.training.kind)

    def export_current(self, path: str | Path) -> Path | None:
        return actions.export_current(self, path)

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        for path in files:
            self.open_file(path)

    # -- training ------------------------------------------------------------------------------
    def train(self, config: TrainConfig, data: Dataset | None = None) -> None:
        """Start a run (tests and the bench inject a ready ``data``)."""
        self.controller.start(config, data)

    def train_class_set(self, spec: str, kind: str) -> None:
        """The Draw tab's "Train on the class set": the Training tab shows the run's kind,
        data and settings and starts it, in view, so the class sees it train."""
        title = self.tr("Cannot start training")
        if self.controller.is_running:
            self.report_error(title, self.tr("A run is going; stop it first."))
            return
        try:
            config = TrainConfig(model=kind, data=spec, **self.class_set_settings)
        except ValueError as exc:
            self.report_error(title, str(exc))
            return
        self.training.show_config(config)
        self.tabs.setCurrentWidget(self.training)
        # The Latent map shows the run's model when it ends: the class's own drawings.
        self.session.latent_view.thumbnails = True
        self.training.request_start()

    # -- the run's state, always in the status bar ------------------------------------------------
    def _on_worker_status(self, text: str) -> None:
        """The worker's own steps ("Loading data…") until its first batch, then the state."""
        if self.session.run.phase is RunPhase.TRAINING and not self.controller.batches_received:
            self.show_status(text)

    def _on_message_changed(self, text: str) -> None:
        """A passing note (a file opened, a zoom level) expired: during a run, the run's
        state again rather than an empty bar."""
        if not text and shiboken6.isValid(self) and self.session.run.active:
            state_text = run_message(self.session.run)
            if state_text:
                self.show_status(state_text)

    def _on_first_batch(self, _progress: object) -> None:
        """The worker's steps are over once batches come: the state again."""
        if self.controller.batches_received == 1:
            self._on_run_changed(self.session.run)

    def _on_run_changed(self, state: RunState) -> None:
        if not shiboken6.isValid(self):
            return
        self._show_phase(state)
        text = run_message(state)
        if text is not None:
            self.show_status(text)

    def _show_phase(self, state: RunState) -> None:
        """The permanent corner: what the run is doing, or that the app is ready."""
        if not self.tf_loader.is_ready and not state.active:
            return  # still "Loading TensorFlow…"
        words = {
            RunPhase.TRAINING: self.tr("Training"),
            RunPhase.PAUSED: self.tr("Paused"),
            RunPhase.STOPPING: self.tr("Stopping"),
        }
        self.tf_label.setText(words.get(state.phase, self.tr("Ready")))

    def _on_finished(self, outcome: TrainingOutcome) -> None:
        if outcome.error:
            kept = self.tr(" The last good weights were kept.") if self.session.run.kept else ""
            self.report_error(
                self.tr("Training stopped"),
                outcome.error + ("" if "kept" in outcome.error else kept),
            )

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop training and every worker (bounded wait); keep what the run trained."""
        if self._download_dialog is not None:
            self._download_dialog.cancel()
        if self.controller.is_running:
            self.show_status(self.tr("Stopping training…"))
        self.saved_session = self.controller.shutdown()
        if self.saved_session is not None:
            message = f"Training was interrupted; the model so far is saved in {self.saved_session}"
            shown = self.tr("Training was interrupted; the model so far is saved in %1")
            self.show_status(arg(shown, self.saved_session))
            print(f"ae-explorer: {message}", file=sys.stderr)
        event.accept()
        super().closeEvent(event)


def run_message(state: RunState) -> str | None:
    """The status bar's line for a run state (None: leave the bar as it is)."""
    label, done, total, epochs = kind_label(state.label), state.epoch, state.epochs, state.epoch
    if state.phase is RunPhase.TRAINING:
        if state.epoch:
            text = QCoreApplication.translate("MainWindow", "Training %1… (epoch %2 of %3 done)")
            return arg(text, label, done, total)
        return arg(QCoreApplication.translate("MainWindow", "Training %1…"), label)
    if state.phase is RunPhase.PAUSED:
        text = QCoreApplication.translate(
            "MainWindow", "Training paused after epoch %1 of %2: press Resume to go on"
        )
        return arg(text, done, total)
    if state.phase is RunPhase.STOPPING:
        return arg(QCoreApplication.translate("MainWindow", "Stopping %1 after this batch…"), label)
    if state.slot is None:
        return None
    if not state.kept:
        return QCoreApplication.translate(
            "MainWindow",
            "Stopped before the first epoch ended: nothing was kept; the previous model is "
            "still shown.",
        )
    if state.phase is RunPhase.STOPPED:
        text = QCoreApplication.translate(
            "MainWindow", "%1: stopped after %n epoch(s); the tabs show it.", "", epochs
        )
        return arg(text, label)
    text = QCoreApplication.translate(
        "MainWindow", "%1: finished %n epoch(s); the tabs show it.", "", epochs
    )
    return arg(text, label)


__all__ = ["TITLE", "MainWindow", "app_icon", "run_message"]
