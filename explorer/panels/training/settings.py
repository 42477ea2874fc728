"""The Training tab's settings: what to train (model, data, epochs, recipe...), as widgets
that become a frozen :class:`~models.nets.config.TrainConfig` when Start is pressed.

Options a model does not have are hidden, not only disabled: the column then fits a
1280×720 projector with the run buttons, the speed row and the data line in view.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)
from superqt import QCollapsible

from explorer.i18n import kind_label
from explorer.widgets.category_picker import CategoryCompleter, CategoryDialog, spec_categories
from explorer.widgets.flow_layout import flow_row
from models.nets.config import MODEL_KINDS, TrainConfig
from models.nets.kinds import KINDS, KindSpec, get_kind

FIRST_KIND = next(spec.name for spec in KINDS.values() if spec.variational)
"""The model chosen at start: a VAE on digits trains in seconds and shows every curve."""
BUILTIN_DATA = tuple(dict.fromkeys([*(s.default_data for s in KINDS.values()), "doodles"]))
DATA_HELP: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "TrainingSettings",
    "quickdraw:CATEGORY downloads a Quick Draw category (cat, dog, …); "
    "doodles are generated offline practice sketches; mnist is handwritten digits; "
    "File ▸ Open adds your own file.",
)
LATENT_HELP: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "TrainingSettings", "Size of the code z. 2 lets you see the whole latent map."
)


class TrainingSettings(QGroupBox):
    """ "What to train": one row per setting the chosen model has; ``more`` holds the
    advanced ones (hidden units, validation share, seed) in a collapsible box."""

    kind_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What to train"))
        self._category_dialog: CategoryDialog | None = None
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(6)
        self.form = form

        self.model_combo = QComboBox(self)
        for spec in KINDS.values():
            self.model_combo.addItem(kind_label(spec.display_name), spec.name)
        # The longest name must show whole ("Autoencoder (conv, sketches)").
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_combo.setMinimumContentsLength(
            max(len(kind_label(spec.display_name)) for spec in KINDS.values())
        )
        form.addRow(self.tr("Model"), self.model_combo)

        self.data_combo = QComboBox(self)
        self.data_combo.setEditable(True)
        self.data_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for data_spec in BUILTIN_DATA:
            self.data_combo.addItem(data_spec, data_spec)
        self.data_combo.setToolTip(self.tr(DATA_HELP))
        self.data_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.data_combo.setMinimumContentsLength(14)
        self.data_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        form.addRow(self.tr("Data"), self.data_combo)
        self.data_combo.setCompleter(CategoryCompleter(self.data_combo))
        self.categories_button = QPushButton(self.tr("Categories…"), self)
        self.categories_button.setToolTip(self.tr(
            "Pick several Quick Draw categories to train on together (quickdraw:cat,dog,pig); "
            "or type them, comma-separated, after quickdraw: (names complete as you type)"
        ))  # fmt: skip
        self.categories_button.clicked.connect(self.choose_categories)
        self.per_category_spin = QSpinBox(self)
        self.per_category_spin.setRange(0, 1_000_000)
        self.per_category_spin.setSingleStep(500)
        self.per_category_spin.setSpecialValueText(self.tr("all of each"))
        self.per_category_spin.setToolTip(self.tr(
            "At most this many drawings from each Quick Draw category (--max-per-category)"
        ))  # fmt: skip
        # A row of its own across the form, flowing: the button keeps its whole text at the
        # presenter's zoom (as the form's label it was squeezed to the labels' column).
        self.per_category_spin.setPrefix(self.tr("at most "))
        form.addRow(flow_row(self.categories_button, self.per_category_spin))

        self.epochs_spin = QSpinBox(self)
        self.epochs_spin.setRange(1, 10_000)
        form.addRow(self.tr("Epochs"), self.epochs_spin)
        self.batch_spin = QSpinBox(self)
        self.batch_spin.setRange(1, 8192)
        form.addRow(self.tr("Batch size"), self.batch_spin)
        self.latent_spin = QSpinBox(self)
        self.latent_spin.setRange(1, 512)
        self.latent_spin.setToolTip(self.tr(LATENT_HELP))
        form.addRow(self.tr("Latent size"), self.latent_spin)
        self.beta_spin = QDoubleSpinBox(self)
        self.beta_spin.setRange(0.0, 100.0)
        self.beta_spin.setDecimals(2)
        self.beta_spin.setSingleStep(0.1)
        self.beta_spin.setValue(1.0)
        self.beta_spin.setToolTip(
            self.tr("Weight of the KL term: higher = smoother map, blurrier images.")
        )
        form.addRow(self.tr("β (KL weight)"), self.beta_spin)
        self.noise_spin = QDoubleSpinBox(self)
        self.noise_spin.setRange(0.0, 1.0)
        self.noise_spin.setDecimals(2)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setToolTip(self.tr(
            "Denoising autoencoder: noise added to the inputs during training (0 = off)."
        ))  # fmt: skip
        form.addRow(self.tr("Input noise"), self.noise_spin)
        self.preset_combo = QComboBox(self)
        self.preset_combo.addItem(kind_label("classic"), "classic")
        self.preset_combo.addItem(kind_label("improved"), "improved")
        self.preset_combo.setToolTip(self.tr(
            "classic: the book's recipe. improved: a learning-rate schedule, and the best "
            "epoch is kept."
        ))  # fmt: skip
        form.addRow(self.tr("Recipe"), self.preset_combo)

        more = QCollapsible(self.tr("More settings"), parent)
        inner = QWidget(more)
        more_form = QFormLayout(inner)
        more_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.hidden_spin = QSpinBox(inner)
        self.hidden_spin.setRange(2, 4096)
        self.hidden_spin.setValue(512)
        self.hidden_spin.setToolTip(
            self.tr("Width of the VAE's hidden layer (512 in the classic recipe).")
        )
        more_form.addRow(self.tr("Hidden units"), self.hidden_spin)
        self.val_spin = QDoubleSpinBox(inner)
        self.val_spin.setRange(0.05, 0.5)
        self.val_spin.setSingleStep(0.05)
        self.val_spin.setValue(0.15)
        more_form.addRow(self.tr("Validation share"), self.val_spin)
        self.seed_spin = QSpinBox(inner)
        self.seed_spin.setRange(0, 2**31 - 1)
        more_form.addRow(self.tr("Random seed"), self.seed_spin)
        more.addWidget(inner)
        self.more = more
        """Advanced settings: Presenter mode hides them."""

        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        self.model_combo.setCurrentIndex(MODEL_KINDS.index(FIRST_KIND))
        self.apply_model_defaults(FIRST_KIND)

    # -- the model ------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.model_combo.currentData())

    @property
    def spec(self) -> KindSpec:
        return get_kind(self.kind)

    def set_model_kind(self, kind: str) -> None:
        self.model_combo.setCurrentIndex(MODEL_KINDS.index(kind))

    def _on_model_changed(self, _index: int) -> None:
        self.apply_model_defaults(self.kind)
        self.kind_changed.emit(self.kind)

    def apply_model_defaults(self, kind: str) -> None:
        """Each model's recipe defaults; the data follows unless the user picked a file."""
        spec = get_kind(kind)
        current = self.data_spec()
        if current in BUILTIN_DATA or not current:
            self.set_data_spec(spec.default_data)
        self.epochs_spin.setValue(spec.default_epochs)
        self.batch_spin.setValue(spec.default_batch)
        self.latent_spin.setValue(spec.default_latent)
        self.latent_spin.setToolTip(
            self.tr(LATENT_HELP)
            if "latent_dim" in spec.options
            else self.tr("The %1's code size is fixed by its architecture.").replace(
                "%1", spec.short_name
            )
        )
        if "noise" not in spec.options:
            self.noise_spin.setValue(0.0)
        self.set_editable(True)

    def set_editable(self, editable: bool) -> None:
        """Idle: every setting the model has can be changed (and only those are shown);
        during a run none can."""
        for w in (
            self.model_combo, self.data_combo, self.categories_button, self.per_category_spin,
            self.epochs_spin, self.batch_spin, self.preset_combo, self.val_spin, self.seed_spin,
        ):  # fmt: skip
            w.setEnabled(editable)
        options = self.spec.options
        for name, widget in (
            ("latent_dim", self.latent_spin),
            ("beta", self.beta_spin),
            ("hidden_units", self.hidden_spin),
            ("noise", self.noise_spin),
        ):
            widget.setEnabled(editable and name in options)
            if widget is not self.hidden_spin:
                self.form.setRowVisible(widget, name in options)

    # -- the data -------------------------------------------------------------------------------
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

    # -- config <-> widgets ---------------------------------------------------------------------
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

    def show_config(self, config: TrainConfig) -> None:
        """Put a config's values in the widgets (a run or a reopened model shows its own)."""
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


__all__ = ["BUILTIN_DATA", "FIRST_KIND", "TrainingSettings"]
