"""The Training tab: pick a model and its data, press Start, watch the losses fall.

:meth:`TrainingPanel.config` copies the widgets into a frozen
:class:`~models.nets.config.TrainConfig`; the controller trains it, and :meth:`attach` has
its messages come back here (:meth:`show_batch` / :meth:`show_epoch`). The plot items are
made once and only ``setData`` is called afterwards. What each model offers (options, loss
terms, defaults) comes from the kind registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from superqt import QCollapsible

from explorer.widgets.category_picker import CategoryCompleter, CategoryDialog, spec_categories
from explorer.widgets.common import (
    BASE_POINT_SIZE,
    COLORS,
    format_duration,
    format_rate,
    save_widget_png,
    scroll_column,
)
from explorer.widgets.plot_text import set_axis_label, set_title
from explorer.widgets.speed_control import SpeedControl
from models.data.dataset import Dataset
from models.messages import BatchProgress, EpochResult
from models.nets.config import MODEL_KINDS, TrainConfig
from models.nets.kinds import KINDS, KindSpec, get_kind

if TYPE_CHECKING:
    from explorer.controller import TrainingController
    from explorer.session import ResumableRun
    from explorer.workers import DataInfo, TrainingOutcome

FIRST_KIND = next(spec.name for spec in KINDS.values() if spec.variational)
"""The model chosen at start: a VAE on digits trains in seconds and shows every curve."""
BUILTIN_DATA = tuple(dict.fromkeys([*(s.default_data for s in KINDS.values()), "doodles"]))
IDLE_MESSAGE = "Press Start to train. Curves appear here as it learns."
DATA_HELP = (
    "quickdraw:CATEGORY downloads a Quick Draw category (cat, dog, …); "
    "doodles are generated offline practice sketches; mnist is handwritten digits; "
    "File ▸ Open adds your own file."
)
# (key in the messages, curve label, colour name)
CURVES = (("loss", "total"), ("reconstruction", "reconstruction"), ("kl", "KL"))


def _big_button(text: str, icon: QStyle.StandardPixmap, parent: QWidget) -> QPushButton:
    button = QPushButton(parent.style().standardIcon(icon), text, parent)
    button.setMinimumHeight(44)
    font = button.font()
    font.setPointSize(BASE_POINT_SIZE + 1)
    font.setBold(True)
    button.setFont(font)
    return button


SIDE_WIDTH = 400
"""The settings column's width at 100% zoom (it grows a little with the presenter zoom)."""


class LossPlot(pg.PlotWidget):
    """One loss plot: training curves (lines) and validation points (dashed, with markers)."""

    def __init__(
        self,
        title: str,
        keys: tuple[str, ...],
        parent: QWidget | None = None,
        legend_offset: tuple[int, int] = (-10, 10),
    ) -> None:
        super().__init__(parent, background="w")
        self.keys = keys
        item = self.getPlotItem()
        set_title(item, title, BASE_POINT_SIZE + 2)
        # No grid: on a projector it is clutter, and redrawing it costs ~35 ms per update.
        tick_font = QFont()
        tick_font.setPointSize(BASE_POINT_SIZE - 1)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen("#5f6670"))
            axis.setTextPen(pg.mkPen("#1d1f23"))
            axis.setTickFont(tick_font)
            axis.enableAutoSIPrefix(False)  # "560 (x0.001)" confuses; show 0.56
        set_axis_label(item, "bottom", "epoch", BASE_POINT_SIZE)
        # A fixed width: otherwise the axis resizes (and the plot re-lays out and paints
        # twice) whenever the tick labels grow, e.g. from "0.8" to "500".
        item.getAxis("left").setWidth(int(BASE_POINT_SIZE * 6.5))
        self.legend = item.addLegend(
            offset=legend_offset, labelTextSize=f"{BASE_POINT_SIZE}pt", labelTextColor="#1d1f23"
        )
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        self.legend.setPen(pg.mkPen("#c8ccd2"))
        self.train: dict[str, pg.PlotDataItem] = {}
        self.val: dict[str, pg.PlotDataItem] = {}
        for key in keys:
            colour = COLORS["total" if key == "loss" else key]
            label = dict(CURVES)[key]
            self.train[key] = item.plot(
                [], [], pen=pg.mkPen(colour, width=3), name=f"training {label}"
            )
            self.val[key] = item.plot(
                [],
                [],
                pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                symbol="o",
                symbolSize=11,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=pg.mkPen("w", width=1.5),
                name=f"validation {label}",
            )
        # The replay's epoch: a vertical line, drawn above the curves.
        self.marker = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#e8003c", width=2, style=Qt.PenStyle.DotLine)
        )
        self.marker.setZValue(100)
        self.marker.hide()
        item.addItem(self.marker, ignoreBounds=True)
        self._fit_minimum()

    def _fit_minimum(self) -> None:
        """Room for the title, tick labels and axis title at this font (the presenter zoom
        sets it), and still a few ticks of curve: a fixed 150 px left the KL plot ~80 px of
        plot at 150% on a 1280×720 projector, its tick labels piled on each other."""
        self.setMinimumHeight(max(150, round(5.2 * self.fontMetrics().lineSpacing())))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_minimum()

    def set_marker(self, epoch: float | None) -> None:
        """Mark ``epoch`` on the x axis (None hides the line)."""
        if epoch is None:
            self.marker.hide()
        else:
            self.marker.setValue(epoch)
            self.marker.show()

    def set_visible_keys(self, keys: tuple[str, ...]) -> None:
        """Show only these curves (the autoencoder has no reconstruction/KL split)."""
        for key in self.keys:
            visible = key in keys
            for items in (self.train, self.val):
                items[key].setVisible(visible)
        self.legend.clear()
        for key in self.keys:
            if key in keys:
                label = dict(CURVES)[key]
                self.legend.addItem(self.train[key], f"training {label}")
                self.legend.addItem(self.val[key], f"validation {label}")


class TrainingPanel(QWidget):
    """Settings, Start / Pause / Stop, live loss curves and progress."""

    start_requested = Signal()
    pause_requested = Signal()
    """Pause when running, resume when paused (the button toggles)."""
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running = False
        self._paused = False
        self._resumable: ResumableRun | None = None
        self._kind = FIRST_KIND
        self._last_rate = 0.0
        self._category_dialog: CategoryDialog | None = None
        self._train_x: list[float] = []
        self._train_y: dict[str, list[float]] = {k: [] for k, _ in CURVES}
        self._val_x: list[float] = []
        self._val_y: dict[str, list[float]] = {k: [] for k, _ in CURVES}
        self._build()
        self.model_combo.setCurrentIndex(MODEL_KINDS.index(FIRST_KIND))
        self._apply_model_defaults(FIRST_KIND)
        self.reset_plots(FIRST_KIND)

    # -- construction --------------------------------------------------------------------------
    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(16)

        side = QVBoxLayout()
        side.setSpacing(10)
        settings = QGroupBox("What to train", self)
        form = QFormLayout(settings)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(8)

        self.model_combo = QComboBox(settings)
        for spec in KINDS.values():
            self.model_combo.addItem(spec.display_name, spec.name)
        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        # The longest name must show whole ("Autoencoder (conv, sketches)").
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_combo.setMinimumContentsLength(
            max(len(spec.display_name) for spec in KINDS.values())
        )
        form.addRow("Model", self.model_combo)

        self.data_combo = QComboBox(settings)
        self.data_combo.setEditable(True)
        self.data_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for data_spec in BUILTIN_DATA:
            self.data_combo.addItem(data_spec, data_spec)
        self.data_combo.setToolTip(DATA_HELP)
        self.data_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.data_combo.setMinimumContentsLength(14)
        self.data_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        form.addRow("Data", self.data_combo)
        self.data_combo.setCompleter(CategoryCompleter(self.data_combo))
        self.categories_button = QPushButton("Categories…", settings)
        self.categories_button.setToolTip(
            "Pick several Quick Draw categories to train on together (quickdraw:cat,dog,pig); "
            "or type them, comma-separated, after quickdraw: (names complete as you type)"
        )
        self.categories_button.clicked.connect(self.choose_categories)
        self.per_category_spin = QSpinBox(settings)
        self.per_category_spin.setRange(0, 1_000_000)
        self.per_category_spin.setSingleStep(500)
        self.per_category_spin.setSpecialValueText("all of each")
        self.per_category_spin.setToolTip(
            "At most this many drawings from each Quick Draw category (--max-per-category)"
        )
        # A form row of its own (button as the label): "at most" in the box keeps it narrow.
        self.per_category_spin.setPrefix("at most ")
        form.addRow(self.categories_button, self.per_category_spin)

        self.epochs_spin = QSpinBox(settings)
        self.epochs_spin.setRange(1, 10_000)
        form.addRow("Epochs", self.epochs_spin)

        self.batch_spin = QSpinBox(settings)
        self.batch_spin.setRange(1, 8192)
        form.addRow("Batch size", self.batch_spin)

        self.latent_spin = QSpinBox(settings)
        self.latent_spin.setRange(1, 512)
        self.latent_spin.setToolTip("Size of the code z. 2 lets you see the whole latent map.")
        form.addRow("Latent size", self.latent_spin)

        self.beta_spin = QDoubleSpinBox(settings)
        self.beta_spin.setRange(0.0, 100.0)
        self.beta_spin.setDecimals(2)
        self.beta_spin.setSingleStep(0.1)
        self.beta_spin.setValue(1.0)
        self.beta_spin.setToolTip("Weight of the KL term: higher = smoother map, blurrier images.")
        form.addRow("β (KL weight)", self.beta_spin)

        self.noise_spin = QDoubleSpinBox(settings)
        self.noise_spin.setRange(0.0, 1.0)
        self.noise_spin.setDecimals(2)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setToolTip(
            "Denoising autoencoder: noise added to the inputs during training (0 = off)."
        )
        form.addRow("Input noise", self.noise_spin)

        self.preset_combo = QComboBox(settings)
        self.preset_combo.addItem("classic", "classic")
        self.preset_combo.addItem("improved", "improved")
        self.preset_combo.setToolTip(
            "classic: the book's recipe. improved: a learning-rate schedule, and the best "
            "epoch is kept."
        )
        form.addRow("Recipe", self.preset_combo)
        side.addWidget(settings)

        more = QCollapsible("More settings", self)
        inner = QWidget(more)
        more_form = QFormLayout(inner)
        more_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.hidden_spin = QSpinBox(inner)
        self.hidden_spin.setRange(2, 4096)
        self.hidden_spin.setValue(512)
        self.hidden_spin.setToolTip("Width of the VAE's hidden layer (512 in the classic recipe).")
        more_form.addRow("Hidden units", self.hidden_spin)
        self.val_spin = QDoubleSpinBox(inner)
        self.val_spin.setRange(0.05, 0.5)
        self.val_spin.setSingleStep(0.05)
        self.val_spin.setValue(0.15)
        more_form.addRow("Validation share", self.val_spin)
        self.seed_spin = QSpinBox(inner)
        self.seed_spin.setRange(0, 2**31 - 1)
        more_form.addRow("Random seed", self.seed_spin)
        more.addWidget(inner)
        side.addWidget(more)
        self.more_settings = more
        """Advanced settings: Presenter mode hides them."""

        buttons = QHBoxLayout()
        sp = QStyle.StandardPixmap
        self.start_button = _big_button("Start", sp.SP_MediaPlay, self)
        self.pause_button = _big_button("Pause", sp.SP_MediaPause, self)
        self.stop_button = _big_button("Stop", sp.SP_MediaStop, self)
        self.start_button.setObjectName("startButton")
        self.stop_button.setObjectName("stopButton")
        self.start_button.clicked.connect(self.start_requested)
        self.pause_button.clicked.connect(self.pause_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        for b in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(b)
        side.addLayout(buttons)
        self.speed = SpeedControl(self)
        side.addWidget(self.speed)
        # Shown only when the chosen model has a stopped, closed or crashed run to go on with.
        self.continue_button = _big_button("Continue", sp.SP_MediaSeekForward, self)
        self.continue_button.setObjectName("continueButton")
        self.continue_button.clicked.connect(self.request_continue)
        self.continue_button.hide()
        side.addWidget(self.continue_button)

        self.data_label = QLabel("", self)
        self.data_label.setWordWrap(True)
        self.data_label.setObjectName("dataLabel")
        side.addWidget(self.data_label)
        self.message_label = QLabel(IDLE_MESSAGE, self)
        self.message_label.setWordWrap(True)
        self.message_label.setObjectName("messageLabel")
        side.addWidget(self.message_label)
        # Word-wrapped labels get one line's height in a column like this; reserve room
        # so a long message never overlaps what is below it.
        self._line = self.fontMetrics().lineSpacing()
        self.set_scale(1.0)
        for label in (self.data_label, self.message_label):
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side.addStretch(1)

        self.side_widget = QWidget(self)
        self.side_widget.setLayout(side)
        self.side_widget.setFixedWidth(SIDE_WIDTH)
        self.side_area = scroll_column(self.side_widget)
        root.addWidget(self.side_area)

        self.plots_area = QWidget(self)
        right = QVBoxLayout(self.plots_area)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(8)
        self.loss_plot = LossPlot("Loss", ("loss", "reconstruction"), self.plots_area)
        # KL usually grows: its legend goes top left, out of the curves' way.
        self.kl_plot = LossPlot("KL divergence", ("kl",), self.plots_area, legend_offset=(10, 10))
        self.kl_plot.setXLink(self.loss_plot)
        right.addWidget(self.loss_plot, 4)
        right.addWidget(self.kl_plot, 3)  # enough height for its tick labels when zoomed

        self.epoch_bar = QProgressBar(self.plots_area)
        self.epoch_bar.setRange(0, 1000)
        self.epoch_bar.setFormat("Epoch –")
        self.run_bar = QProgressBar(self.plots_area)
        self.run_bar.setRange(0, 1000)
        self.run_bar.setFormat("Run –")
        for bar in (self.epoch_bar, self.run_bar):
            bar.setTextVisible(True)
            bar.setMinimumHeight(28)
            bar.setMinimumWidth(80)  # narrower than its text's width at 200% zoom
        # One row for both bars: the plots keep that height at the presenter's zoom.
        bars = QHBoxLayout()
        for text, bar in (("This epoch", self.epoch_bar), ("Whole run", self.run_bar)):
            bars.addWidget(QLabel(text, self.plots_area))
            bars.addWidget(bar, 1)
        right.addLayout(bars)
        self.speed_label = QLabel("", self.plots_area)
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.speed_label)
        root.addWidget(self.plots_area, 1)
        self.set_state("idle")

    # -- settings ------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.model_combo.currentData())

    @property
    def spec(self) -> KindSpec:
        return get_kind(self.kind)

    def set_model_kind(self, kind: str) -> None:
        self.model_combo.setCurrentIndex(MODEL_KINDS.index(kind))

    def _on_model_changed(self, _index: int) -> None:
        kind = self.kind
        self._apply_model_defaults(kind)
        if not self._running:
            self.reset_plots(kind)
            self.set_data_text("")
            self.set_message(IDLE_MESSAGE)

    def _apply_model_defaults(self, kind: str) -> None:
        """Each model's recipe defaults; the data follows unless the user picked a file."""
        spec = get_kind(kind)
        current = self.data_spec()
        if current in BUILTIN_DATA or not current:
            self.set_data_spec(spec.default_data)
        self.epochs_spin.setValue(spec.default_epochs)
        self.batch_spin.setValue(spec.default_batch)
        self.latent_spin.setValue(spec.default_latent)
        self.latent_spin.setToolTip(
            "Size of the code z. 2 lets you see the whole latent map."
            if "latent_dim" in spec.options
            else f"The {spec.short_name}'s code size is fixed by its architecture."
        )
        if "noise" not in spec.options:
            self.noise_spin.setValue(0.0)
        self._apply_enabled_for_kind()

    def data_spec(self) -> str:
        return self.data_combo.currentText().strip()

    def set_data_spec(self, spec: str) -> None:
        index = self.data_combo.findText(spec)
        if index >= 0:
            self.data_combo.setCurrentIndex(index)
        else:
            self.data_combo.setEditText(spec)

    def add_data_source(self, spec: str, select: bool = True) -> None:
        """Offer an opened or downloaded file as training data (and pick it)."""
        if self.data_combo.findText(spec) < 0:
            self.data_combo.addItem(spec, spec)
        if select:
            self.set_data_spec(spec)

    def max_per_category(self) -> int | None:
        """The cap on drawings per Quick Draw category (None: all of them)."""
        return self.per_category_spin.value() or None

    def choose_categories(self) -> CategoryDialog:
        """The multi-select list of categories; OK puts ``quickdraw:a,b,...`` in the field."""
        dialog = CategoryDialog(spec_categories(self.data_spec()), self)
        dialog.accepted.connect(self._on_categories_chosen)
        self._category_dialog = dialog
        dialog.open()
        return dialog

    def _on_categories_chosen(self) -> None:
        dialog = self._category_dialog
        if dialog is not None and dialog.chosen():
            self.set_data_spec(dialog.spec())

    def config(self) -> TrainConfig:
        """The settings as a frozen config (ValueError with a clear message if invalid)."""
        kind = self.spec
        spec = self.data_spec()
        if not spec:
            raise ValueError("choose the data to train on (e.g. mnist or quickdraw:cat)")
        return TrainConfig(
            model=kind.name,
            epochs=self.epochs_spin.value(),
            data=spec,
            batch_size=self.batch_spin.value(),
            latent_dim=self.latent_spin.value() if "latent_dim" in kind.options else None,
            beta=self.beta_spin.value(),
            seed=self.seed_spin.value(),
            preset=self.preset_combo.currentData(),
            noise=self.noise_spin.value() if "noise" in kind.options else 0.0,
            val_fraction=self.val_spin.value(),
            hidden_units=self.hidden_spin.value(),
        )

    # -- run state -----------------------------------------------------------------------------
    def set_scale(self, factor: float) -> None:
        """Presenter zoom: the settings column widens a little (its labels and fields grow),
        and the word-wrapped labels keep room for their lines at the bigger font."""
        lines = self._line * factor
        self.data_label.setMinimumHeight(round(4 * lines))
        self.message_label.setMinimumHeight(round(3 * lines))
        side = getattr(self, "side_widget", None)
        if side is not None:
            width = round(SIDE_WIDTH * max(1.0, 1.0 + 0.25 * (factor - 1.0)))
            bar = self.side_area.verticalScrollBar().sizeHint().width()
            side.setFixedWidth(width)
            self.side_area.setFixedWidth(width + bar)

    def set_state(self, state: str) -> None:
        """``idle``, ``running``, ``paused`` or ``stopping``: enables the right buttons."""
        self._running = state != "idle"
        self._paused = state == "paused"
        self.start_button.setEnabled(state == "idle")
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.stop_button.setEnabled(state in ("running", "paused"))
        sp = QStyle.StandardPixmap
        if state == "paused":
            self.pause_button.setText("Resume")
            self.pause_button.setIcon(self.style().standardIcon(sp.SP_MediaPlay))
        else:
            self.pause_button.setText("Pause")
            self.pause_button.setIcon(self.style().standardIcon(sp.SP_MediaPause))
        for w in (
            self.model_combo,
            self.data_combo,
            self.categories_button,
            self.per_category_spin,
            self.epochs_spin,
            self.batch_spin,
            self.preset_combo,
            self.val_spin,
            self.seed_spin,
        ):
            w.setEnabled(state == "idle")
        if state == "idle":
            self._apply_enabled_for_kind()
        else:
            for w in (self.latent_spin, self.beta_spin, self.noise_spin, self.hidden_spin):
                w.setEnabled(False)

    def _apply_enabled_for_kind(self) -> None:
        options = self.spec.options
        self.latent_spin.setEnabled("latent_dim" in options)
        self.beta_spin.setEnabled("beta" in options)
        self.hidden_spin.setEnabled("hidden_units" in options)
        self.noise_spin.setEnabled("noise" in options)

    def set_message(self, text: str) -> None:
        self.message_label.setText(text)

    def set_data_text(self, text: str) -> None:
        self.data_label.setText(text)

    def reset_plots(self, kind: str) -> None:
        """Empty curves and fresh axes, titled for ``kind`` (no KL term: one curve, no KL
        plot). The axes forget the last run's range: an empty plot keeps its old range."""
        self._kind = kind
        spec = get_kind(kind)
        variational = "kl" in spec.loss_terms
        self._train_x.clear()
        self._val_x.clear()
        for ys in (*self._train_y.values(), *self._val_y.values()):
            ys.clear()
        for plot in (self.loss_plot, self.kl_plot):
            for key in plot.keys:
                plot.train[key].setData([], [])
                plot.val[key].setData([], [])
            plot.enableAutoRange(x=False, y=False)
            plot.setXRange(0, self.epochs_spin.value(), padding=0.02)
            plot.setYRange(0, 1, padding=0.02)
        keys = tuple(k for k in spec.loss_terms if k != "kl")
        self.loss_plot.set_visible_keys(keys)
        set_title(
            self.loss_plot,
            "Loss per image (total = reconstruction + β·KL)"
            if variational
            else "Reconstruction loss (binary cross-entropy per pixel)",
            BASE_POINT_SIZE + 2,
        )
        unit = "nats" if variational else "BCE per pixel"
        set_axis_label(self.loss_plot, "left", unit, BASE_POINT_SIZE)
        set_axis_label(self.kl_plot, "left", "nats", BASE_POINT_SIZE)
        self.kl_plot.setVisible(variational)
        self.epoch_bar.setValue(0)
        self.run_bar.setValue(0)
        self.epoch_bar.setFormat("Epoch –")
        self.run_bar.setFormat("Run –")
        self.speed_label.setText("")

    def show_config(self, config: TrainConfig) -> None:
        """Put a config's values in the widgets (a run started from code shows its settings)."""
        self.set_model_kind(config.model)
        self.set_data_spec(config.resolved_data)
        self.epochs_spin.setValue(config.epochs)
        self.batch_spin.setValue(config.resolved_batch_size)
        self.latent_spin.setValue(config.resolved_latent_dim)
        self.beta_spin.setValue(config.beta)
        self.noise_spin.setValue(config.noise)
        self.preset_combo.setCurrentIndex(max(0, self.preset_combo.findData(config.preset)))
        self.hidden_spin.setValue(config.hidden_units)
        self.val_spin.setValue(config.val_fraction)
        self.seed_spin.setValue(config.seed)

    def begin_run(self, config: TrainConfig) -> None:
        self.show_config(config)
        self.reset_plots(config.model)
        # The whole run's time axis from the start: the class sees how far it has to go,
        # and the x axis need not be redrawn at every update.
        for plot in (self.loss_plot, self.kl_plot):
            plot.enableAutoRange(x=False, y=True)
            plot.setXRange(0, config.epochs, padding=0.02)
        self.set_state("running")
        self.set_data_text("")
        self.set_message(f"Starting: {config.epochs} epochs of {config.spec.display_name}…")
        self.epoch_bar.setFormat("Loading data…")

    # -- live updates (GUI thread, from the controller) ----------------------------------------
    def show_batch(self, progress: BatchProgress) -> None:
        x = progress.epoch + progress.batch / max(1, progress.batches)
        self._train_x.append(x)
        for key, _ in CURVES:
            self._train_y[key].append(progress.losses.get(key, np.nan))
        xs = np.asarray(self._train_x)
        for plot in (self.loss_plot, self.kl_plot):
            for key in plot.keys:
                if plot.train[key].isVisible() and key in progress.losses:
                    plot.train[key].setData(xs, np.asarray(self._train_y[key]))
        self.epoch_bar.setValue(round(1000 * progress.batch / max(1, progress.batches)))
        self.epoch_bar.setFormat(
            f"Epoch {progress.epoch + 1} of {progress.epochs} — "
            f"batch {progress.batch} of {progress.batches}"
        )
        self.run_bar.setValue(round(1000 * progress.run_fraction))
        self.run_bar.setFormat(f"{100 * progress.run_fraction:.0f}%")
        self._last_rate = progress.samples_per_s
        self.speed_label.setText(
            f"{format_rate(progress.samples_per_s)}   ·   "
            f"{format_duration(progress.seconds_left)} left"
        )
        if not self._paused:
            loss = progress.losses.get("loss", np.nan)
            self.set_message(f"Training… current loss {loss:.4g}")

    def show_epoch(self, result: EpochResult) -> None:
        self._val_x.append(result.epoch + 1.0)
        for key, _ in CURVES:
            self._val_y[key].append(result.val.get(key, np.nan))
        xs = np.asarray(self._val_x)
        for plot in (self.loss_plot, self.kl_plot):
            for key in plot.keys:
                if plot.val[key].isVisible() and key in result.val:
                    plot.val[key].setData(xs, np.asarray(self._val_y[key]))
        names = {"loss": "total", "kl": "KL"}
        parts = [f"{names.get(k, k)} {v:.4g}" for k, v in result.val.items()]
        self.set_message(
            f"Epoch {result.epoch + 1} of {result.epochs}: validation " + ", ".join(parts)
        )

    def end_run(self, message: str) -> None:
        """Back to idle, with a closing message; the speed line keeps only the rate."""
        self.set_state("idle")
        self.set_message(message)
        rate = self._last_rate
        self.speed_label.setText(f"{format_rate(rate)} on average" if rate > 0 else "")

    # -- following the controller ---------------------------------------------------------------
    def attach(self, controller: TrainingController) -> None:
        """Show the controller's runs here; the buttons ask it to start, pause and stop."""
        self._controller = controller
        self.speed.attach(controller)
        self.start_requested.connect(self.request_start)
        self.pause_requested.connect(controller.toggle_pause)
        self.stop_requested.connect(self._on_stop_requested)
        controller.started.connect(self.begin_run)
        controller.status.connect(self._on_status)
        controller.data_ready.connect(self._on_data_ready)
        controller.batch.connect(self.show_batch)
        controller.epoch.connect(self.show_epoch)
        controller.paused_changed.connect(self._on_paused_changed)
        controller.finished.connect(self._on_finished)
        controller.opened.connect(self.offer_data)
        controller.resumed.connect(self.show_history)
        controller.started.connect(self.refresh_continue)
        controller.finished.connect(self.refresh_continue)
        self.model_combo.currentIndexChanged.connect(self.refresh_continue)
        self.refresh_continue()

    # -- continuing a run that stopped -----------------------------------------------------------
    def refresh_continue(self, *_args: object) -> None:
        """Show "Continue" if the chosen model has a run to go on with (and none is running)."""
        controller = getattr(self, "_controller", None)
        run = None
        if controller is not None and not self._running and not controller.is_running:
            run = controller.resumable(self.kind)
        self._resumable = run
        if run is None:
            self.continue_button.hide()
            return
        self.continue_button.setText(f"Continue (epoch {run.epochs_done} of {run.epochs})")
        self.continue_button.setToolTip(
            f"Go on with the {self.spec.short_name} run that stopped at {run.describe()}"
        )
        self.continue_button.show()

    def request_continue(self) -> None:
        """Continue: the stopped run goes on from its last epoch, with its own settings."""
        self.refresh_continue()
        run = self._resumable
        if self._controller.is_running:
            return
        if run is None:
            self._controller.note.emit(f"No stopped {self.spec.short_name} run to continue")
            return
        self._controller.continue_run(run)

    def show_history(self, history: list[dict[str, float]]) -> None:
        """The epochs a continued run already has, as points on the curves."""
        xs = [float(r.get("epoch", i + 1)) for i, r in enumerate(history)]
        self._val_x[:0] = xs
        self._train_x[:0] = xs
        for key, _ in CURVES:
            self._val_y[key][:0] = [r.get(f"val_{key}", np.nan) for r in history]
            self._train_y[key][:0] = [r.get(key, np.nan) for r in history]
        for plot in (self.loss_plot, self.kl_plot):
            for key in plot.keys:
                plot.val[key].setData(np.asarray(self._val_x), np.asarray(self._val_y[key]))
                plot.train[key].setData(np.asarray(self._train_x), np.asarray(self._train_y[key]))
        self.set_message(f"Continuing from epoch {len(history)}…")

    def request_start(self) -> None:
        """Start: the widgets become a frozen config, which the controller trains."""
        if self._controller.is_running:
            return
        other = getattr(self._controller, "other_run", None)
        if other:  # e.g. the Compare tab retraining its models: one run at a time
            self._controller.error.emit("Cannot start training", f"{other}; stop it first.")
            return
        try:
            config = self.config()
        except ValueError as exc:
            self._controller.error.emit("Cannot start training", str(exc))
            return
        self._controller.start(config, max_per_category=self.max_per_category())

    def offer_data(self, spec: str, data: Dataset) -> None:
        """An opened file: offer it for training, and forget the last run's curves and text."""
        self.add_data_source(spec, select=False)
        if self._running:
            return
        self.set_model_kind(self._controller.session.kind_for_spec(spec).name)
        self.add_data_source(spec)
        self.reset_plots(self.kind)
        generated = "<br><i>Generated practice sketches, not real drawings.</i>"
        self.set_data_text(
            f"<b>Data:</b> {data.source}<br>opened from a file"
            + (generated if data.generated else "")
        )
        self.set_message(f"Press Start to train the {self.spec.short_name} on this file.")

    def _on_stop_requested(self) -> None:
        if self._controller.is_running:
            self._controller.stop()
            self.set_state("stopping")
            self.set_message("Stopping after this batch…")

    def _on_status(self, text: str) -> None:
        if not self._controller.batches_received:
            self.set_message(text)

    def _on_data_ready(self, info: DataInfo) -> None:
        text = (
            f"<b>Data:</b> {info.source}<br>"
            f"{info.n_train:,} for training, {info.n_val:,} for validation"
        )
        if info.generated:
            text += "<br><i>Generated practice sketches, not real drawings.</i>"
        if info.note:
            text += f"<br><i>{info.note}</i>"
            self.set_data_spec(info.name)  # what it really trains on
        self.set_data_text(text)

    def _on_paused_changed(self, paused: bool) -> None:
        if self._controller.is_running:
            self.set_state("paused" if paused else "running")
            if paused:
                self.set_message("Paused. Press Resume to go on.")

    def _on_finished(self, outcome: TrainingOutcome) -> None:
        epochs = outcome.epochs_done
        plural = "s" if epochs != 1 else ""
        if outcome.error:
            self.end_run(f"Stopped: {outcome.error}")
        elif outcome.stopped:
            self.end_run(f"Stopped after {epochs} epoch{plural}.")
        else:
            text = f"Finished {epochs} epoch{plural}."
            if outcome.model is not None and outcome.model.history:
                last = outcome.model.history[-1]
                text += f"  Final validation loss {last.get('val_loss', float('nan')):.4g}."
            self.end_run(text + " The other tabs now show this model.")

    def curve_data(self, which: str, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) the plot shows for ``which`` in {"train", "val"} and a loss key (for tests)."""
        plot = self.kl_plot if key == "kl" else self.loss_plot
        item = (plot.train if which == "train" else plot.val)[key]
        x, y = item.getData()
        if x is None or y is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(x), np.asarray(y)

    def set_epoch_marker(self, epoch: float | None) -> None:
        """The replay's epoch as a vertical line on both loss plots (None: no line)."""
        for plot in (self.loss_plot, self.kl_plot):
            plot.set_marker(epoch)

    def epoch_marker(self) -> float | None:
        marker = self.loss_plot.marker
        return float(marker.value()) if marker.isVisible() else None

    def export_png(self, path: str | Path) -> Path:
        """The curves and progress as they are now (the settings column left out)."""
        return save_widget_png(self.plots_area, path)
