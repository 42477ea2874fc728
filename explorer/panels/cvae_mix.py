"""The CVAE tab's label mix: one named slider (and an "only" button) per class, presets
and a running sum. The sliders are the label vector the decoder is conditioned on.

What the sliders show is what is used: each value is rounded to the decimals shown, so
two sliders reading 0.50 sum to 1.00.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget
from superqt import QLabeledDoubleSlider
from superqt.utils import signals_blocked

from explorer.i18n import arg, category_label
from explorer.widgets.categories import digit_names, mix_presets, preset_title
from explorer.widgets.flow_layout import FlowLayout, flow_row
from explorer.widgets.imaging import font, set_font_size

ONLY_WIDTH = 52
"""A category's "only" button at most this wide at 100% (many rows: the column stays narrow);
the CVAE panel widens it with the zoom."""


class LabelMix(QGroupBox):
    """ "Digit mix" (or "Category mix"): ``changed`` whenever the label vector changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A short title (it must fit the column at the presenter's zoom); the why in a tooltip.
        self.setTitle(self.tr("Digit mix"))
        self.setToolTip(
            self.tr("The label vector: how much of each class the decoder is asked for")
        )
        self.names: tuple[str, ...] = ()
        """What each label is called (the digits, or the model's Quick Draw categories)."""
        self.presets: dict[str, dict[int, float]] = {}
        mix_layout = QGridLayout(self)
        mix_layout.setVerticalSpacing(10)  # tall rows: easy to grab in front of a class
        self._class_host = QWidget()
        self._class_grid = QGridLayout(self._class_host)
        self._class_grid.setContentsMargins(0, 0, 0, 0)
        self._class_grid.setVerticalSpacing(10)
        mix_layout.addWidget(self._class_host, 1, 0, 1, 3)
        self.digit_sliders: list[QLabeledDoubleSlider] = []
        """One slider per class (digits or categories), in label order."""
        self.only_buttons: list[QPushButton] = []
        self.class_labels: list[QLabel] = []
        """The name shown beside each slider."""
        self.normalize_button = QPushButton(self.tr("Normalize"))
        self.normalize_button.setToolTip(self.tr("Scale the mix so it sums to 1"))
        self.normalize_button.clicked.connect(self.normalize)
        self.reset_button = QPushButton(self.tr("Reset"))
        self.reset_button.clicked.connect(self.reset_label)
        self.sum_label = QLabel(arg(self.tr("sum %1"), QLocale().toString(0.0, "f", 2)))
        row = flow_row(self.normalize_button, self.reset_button, self.sum_label)
        mix_layout.addWidget(row, 2, 0, 1, 3)
        self.preset_buttons: dict[str, QPushButton] = {}
        self._preset_host = QWidget()
        # The presets wrap to the column's width (their names are long at a big zoom).
        self._preset_layout = FlowLayout(self._preset_host, 4)
        sizing = self._preset_host.sizePolicy()
        sizing.setHeightForWidth(True)
        self._preset_host.setSizePolicy(sizing)
        mix_layout.addWidget(self._preset_host, 0, 0, 1, 3)  # on top: seen without scrolling

    @property
    def digits(self) -> bool:
        return self.names == digit_names(len(self.names))

    # -- the vector -------------------------------------------------------------------------------
    def label_vector(self) -> np.ndarray:
        """The mix as the sliders show it: each value rounded to the shown decimals (a
        dragged 0.504 reads "0.50" and is 0.50, so 0.50 + 0.50 sums to 1.00)."""
        values = [round(s.value(), s.decimals()) for s in self.digit_sliders]
        return np.array(values, dtype=np.float32)

    def set_label_vector(self, label: np.ndarray) -> None:
        """Set every class's slider at once (one redraw, not one per slider)."""
        values = np.clip(np.asarray(label, dtype=np.float32).reshape(len(self.names)), 0.0, 1.0)
        for slider, v in zip(self.digit_sliders, values, strict=True):
            with signals_blocked(slider):
                slider.setValue(float(v))
        self._on_slider()

    def apply_preset(self, name: str) -> None:
        label = np.zeros(len(self.names), dtype=np.float32)
        for d, v in self.presets[name].items():
            label[d] = v
        self.set_label_vector(label)

    def only_digit(self, digit: int) -> None:
        self.set_label_vector(np.eye(len(self.names), dtype=np.float32)[digit])

    def set_mix(self, mix: dict[str, float]) -> None:
        """Set the sliders by class name (``{"cat": 0.5, "fish": 0.5}``), the others to 0."""
        label = np.zeros(len(self.names), dtype=np.float32)
        for name, value in mix.items():
            if name not in self.names:
                raise ValueError(f"this model has no class {name!r}")
            label[self.names.index(name)] = value
        self.set_label_vector(label)

    def normalize(self) -> None:
        label = self.label_vector()
        total = float(label.sum())
        if total > 0:
            self.set_label_vector(label / total)

    def reset_label(self) -> None:
        self.set_label_vector(np.zeros(len(self.names), dtype=np.float32))

    # -- the classes ------------------------------------------------------------------------------
    def set_class_names(self, names: Sequence[str]) -> None:
        """One named slider (and "only" button) per class, presets built from the names."""
        names = tuple(names)
        self.names = names
        for w in [*self.class_labels, *self.digit_sliders, *self.only_buttons]:
            w.setParent(None)
            w.deleteLater()
        self.class_labels, self.digit_sliders, self.only_buttons = [], [], []
        digits = self.digits
        self.setTitle(self.tr("Digit mix") if digits else self.tr("Category mix"))
        many = len(names) > 12
        self._class_grid.setVerticalSpacing(2 if many else 10)
        for d, text in enumerate(names):
            self._add_class(d, text, digits, many)
        self.reset_button.setToolTip(
            self.tr("All digits to 0") if digits else self.tr("All categories to 0")
        )
        for button in self.preset_buttons.values():
            button.setParent(None)
            button.deleteLater()
        self.preset_buttons = {}
        self.presets = mix_presets(names)
        if not self._preset_layout.count():
            try_label = QLabel(self.tr("Try:"))
            set_font_size(try_label, 13)
            self._preset_layout.addWidget(try_label)
        for preset in self.presets:
            button = QPushButton(preset_title(preset))
            set_font_size(button, 12 if many else 13)
            button.clicked.connect(self._on_preset)
            self._preset_layout.addWidget(button)
            self.preset_buttons[preset] = button
        self._show_sum()

    def _add_class(self, d: int, text: str, digits: bool, many: bool) -> None:
        name = QLabel(category_label(text))
        name.setFont(font(17 if digits else 12, bold=True))
        name.setAlignment(
            Qt.AlignmentFlag.AlignCenter if digits
            else Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )  # fmt: skip
        name.setMinimumWidth(28)
        self.class_labels.append(name)
        slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
        set_font_size(slider, 12 if many else 13)
        slider.setRange(0.0, 1.0)
        slider.setDecimals(2)
        slider.setSingleStep(0.05)  # type: ignore[arg-type]  # a float step
        shown = category_label(text)
        slider.setToolTip(arg(self.tr("How much of a %1 to ask for"), shown))
        slider.valueChanged.connect(self._on_slider)
        only = QPushButton(arg(self.tr("only %1"), shown) if digits else self.tr("only"))
        only.setToolTip(
            arg(self.tr("Set %1 to 1 and every other digit to 0") if digits
                else self.tr("Set %1 to 1 and every other category to 0"), shown)
        )  # fmt: skip
        only.clicked.connect(self._on_only)
        set_font_size(only, 12 if many else 13)
        if not digits:
            only.setMaximumWidth(ONLY_WIDTH)
        self._class_grid.addWidget(name, d, 0)
        self._class_grid.addWidget(slider, d, 1)
        self._class_grid.addWidget(only, d, 2)
        self.digit_sliders.append(slider)
        self.only_buttons.append(only)

    def _on_only(self) -> None:
        sender = self.sender()
        if sender in self.only_buttons:
            self.only_digit(self.only_buttons.index(sender))  # type: ignore[arg-type]

    def _on_preset(self) -> None:
        for name, button in self.preset_buttons.items():
            if button is self.sender():
                self.apply_preset(name)

    def _on_slider(self) -> None:
        self._show_sum()
        self.changed.emit()

    def _show_sum(self) -> None:
        total = round(float(np.sum(self.label_vector(), dtype=np.float64)), 2)
        self.sum_label.setText(arg(self.tr("sum %1"), QLocale().toString(total, "f", 2)))


__all__ = ["LabelMix"]
