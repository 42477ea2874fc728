"""The "CVAE" tab: mix digits by hand and watch the conditional VAE draw the mixture.

Ten sliders make the label vector the decoder is conditioned on (any mixture, such as
half an 8 and half a 3), further sliders set the latent z (the "style": slant, width,
thickness), and the classic grid shows every digit (rows) across one latent dimension
(columns) in that style. Everything decodes with the NumPy codec on the GUI thread, so
the images follow the sliders live, even while a model trains.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from superqt import QLabeledDoubleSlider
from superqt.utils import qthrottled, signals_blocked

from explorer.i18n import arg, kind_label
from explorer.model_decoder import DecodeService, slot_decoder
from explorer.panels.base import FollowsSlot
from explorer.panels.cvae_mix import ONLY_WIDTH, LabelMix
from explorer.widgets.categories import (
    describe_label,
    digit_names,
    label_names,
    slot_names,
)
from explorer.widgets.common import scroll_column
from explorer.widgets.flow_layout import flow_row
from explorer.widgets.imaging import ImageGrid, empty_message, set_font_size
from explorer.widgets.zoom import BASE_PROPERTY
from models.messages import Snapshot

if TYPE_CHECKING:
    from explorer.session import Session, Slot

NUM_DIGITS = 10
MAX_STYLE = 8
"""Style sliders shown; further latent dimensions stay at 0."""
STYLE_RANGE = 3.0
GRID_COLUMNS = 10
GRID_EXTENT = 1.5
GRID_THROTTLE_MS = 40
"""A style slider redraws the 100-image grid at most this often (the single generated
digit follows every move: one decode costs microseconds)."""

PRESETS: dict[str, dict[int, float]] = {  # the digits' (mix_presets builds the others)
    "Pure 4": {4: 1.0},
    "Half 8, half 3": {8: 0.5, 3: 0.5},
}

EMPTY_MESSAGE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "CVAEPanel",
    "No conditional VAE yet.\n\nTrain a CVAE in the Training tab, or load CVAE weights "
    "from the File menu, to mix digits here.",
)


def describe_mix(label: np.ndarray, names: Sequence[str] | None = None) -> str:
    """'0.50 × 3 + 0.50 × 8' (largest first; ``names`` say what each label is, e.g.
    '0.50 × cat + 0.50 × fish'), or 'no digit' for all zeros."""
    names = tuple(names) if names is not None else digit_names(len(label))
    digits = names == digit_names(len(names))
    parts = [(float(v), d) for d, v in enumerate(label) if v > 0.005]
    if not parts:
        if digits:
            return QCoreApplication.translate("CVAEPanel", "no digit (all sliders at 0)")
        return QCoreApplication.translate("CVAEPanel", "no category (all sliders at 0)")
    parts.sort(key=lambda p: (-p[0], p[1]))
    if len(parts) == 1 and abs(parts[0][0] - 1.0) < 0.005:
        pure = QCoreApplication.translate("CVAEPanel", "a pure %1")
        return arg(pure, describe_label(parts[0][1], names))
    locale = QLocale()
    return " + ".join(
        f"{locale.toString(v, 'f', 2)} × {describe_label(d, names)}" for v, d in parts
    )


SLOT_TITLES = (QT_TRANSLATE_NOOP("kinds", "Conditional VAE (sketches)"),)
"""Slot titles of :data:`explorer.slot_data.EXTRA_SLOTS` (Qt-free), marked for lupdate:
the model picker shows them through :func:`explorer.i18n.kind_label`."""

CONTROLS_WIDTH = (330, 420)
"""The label-mix column's width range at 100% zoom (it grows a little with the zoom)."""
CONTROLS_GROW_UNTIL = 1.3
"""The mix column's minimum widens with the zoom up to this factor, no further: beyond it
the three columns needed more than a 1280-px page (it scrolled sideways at 152%)."""
STYLE_MAX_ZOOM = 1.5
"""The style sliders' box stops growing at 150%: its bold title set the middle column's
width, and at 201% the three columns needed more than a 1280-px page."""
IMAGE_HINT = 320
"""The generated picture's size hint, below what it gets at 100% on a 1280-px screen: the
digit grid has the page's stretch, so the picture gives up width first, and its 100% size
(which a zoom keeps as its minimum) leaves room for the bigger text beside it."""


class CVAEPanel(FollowsSlot, QWidget):
    """Digit-mixing sliders, style sliders, the generated digit, and the digit × z grid.

    Used alone through ``set_codec``, or given the CVAE's slot with :meth:`follow`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._codec: Any = None
        self._scale = 1.0
        self.session: Session | None = None
        self._choices: list[Slot] = []
        self._grid_later = qthrottled(self._update_grid, timeout=GRID_THROTTLE_MS)
        self.decodes = DecodeService(self)
        """The one decode service: the NumPy codec at once, a conv model in a worker."""
        self.mix = LabelMix()
        self.mix_box = self.mix
        self.mix.changed.connect(self._on_label)

        # -- style ---------------------------------------------------------------------------
        self.style_box = QGroupBox(self.tr("Style: the latent z"))
        style_layout = QGridLayout(self.style_box)
        style_layout.setVerticalSpacing(2)
        self.style_sliders: list[QLabeledDoubleSlider] = []
        self._style_rows: list[tuple[QLabel, QLabeledDoubleSlider]] = []
        for k in range(MAX_STYLE):
            name = QLabel(f"z[{k}]")
            slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
            set_font_size(slider, 13)
            slider.setRange(-STYLE_RANGE, STYLE_RANGE)
            slider.setDecimals(2)
            slider.setSingleStep(0.1)  # type: ignore[arg-type]  # a float step
            slider.valueChanged.connect(self._on_style_slider)
            style_layout.addWidget(name, k, 0)
            style_layout.addWidget(slider, k, 1)
            self.style_sliders.append(slider)
            self._style_rows.append((name, slider))
            # None until a model says how many it has: eight rows of a tab not yet shown
            # made the window taller than a 720-px projector at the presenter's zoom.
            name.setVisible(False)
            slider.setVisible(False)
        self.style_reset_button = QPushButton(self.tr("Reset style"))
        self.style_reset_button.clicked.connect(self.reset_style)
        self.style_note = QLabel("")
        # Wrapped: one line of it set the middle column's width (the picture, square, grew
        # with it and pushed the grid off a 1280-px page at 152%).
        self.style_note.setWordWrap(True)
        note_policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        note_policy.setHeightForWidth(True)  # its width is the sliders' above it
        self.style_note.setSizePolicy(note_policy)
        style_layout.addWidget(self.style_reset_button, MAX_STYLE, 0, 1, 2)
        style_layout.addWidget(self.style_note, MAX_STYLE + 1, 0, 1, 2)

        controls = QWidget()
        controls_layout = QVBoxLayout(controls)
        controls_layout.setContentsMargins(0, 0, 0, 0)
        controls_layout.addWidget(self.mix_box)
        controls_layout.addStretch(1)
        set_font_size(controls, 13)
        controls.setMinimumWidth(CONTROLS_WIDTH[0])
        controls.setMaximumWidth(CONTROLS_WIDTH[1])
        self._controls = controls

        # -- images ----------------------------------------------------------------------------
        self.image_view = ImageGrid(1, 1, title=self.tr("Generated"), caption_pt=17, square=True)
        self.image_view.set_size_hint(IMAGE_HINT, IMAGE_HINT)
        set_font_size(self.style_box, 13)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.image_view)
        middle_layout.addWidget(self.style_box)
        middle_layout.addStretch(1)

        self.grid_view = ImageGrid(NUM_DIGITS, GRID_COLUMNS, gap=2, caption_pt=12, align_top=True)
        self.grid_view.set_title(self.tr("Every digit in this style"))
        self.dim_combo = QComboBox()
        self.dim_combo.currentIndexChanged.connect(self._on_dim)
        vary = QLabel(self.tr("Columns vary"))
        low, high = (f"{v:+.1f}" for v in (-GRID_EXTENT, GRID_EXTENT))
        extent = QLabel(arg(self.tr("from %1 to %2"), low, high))
        for widget in (vary, self.dim_combo, extent):
            set_font_size(widget, 13)
        # Two rows rather than a window wider than the projector at the presenter's zoom.
        grid_header = flow_row(vary, self.dim_combo, extent, centre=True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(grid_header)
        right_layout.addWidget(self.grid_view, 1)

        page = QWidget()
        page_layout = QHBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        self._controls_area = scroll_column(controls)
        page_layout.addWidget(self._controls_area)
        page_layout.addWidget(middle)
        page_layout.addWidget(right, 1)
        self.empty_label = empty_message(self.tr(EMPTY_MESSAGE))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(page)
        # Every loaded CVAE (digits, sketches): loading one never hides the other.
        self.model_combo = QComboBox()
        self.model_combo.setToolTip(self.tr("Which conditional VAE to mix with"))
        self.model_combo.currentIndexChanged.connect(self._on_model_chosen)
        self._model_row = flow_row(QLabel(self.tr("Model")), self.model_combo)
        self._model_row.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._model_row)
        layout.addWidget(self.stack)
        self.set_class_names(digit_names(NUM_DIGITS))
        self.apply_preset("Pure 4")

    # -- public API -----------------------------------------------------------------------------
    def set_scale(self, factor: float) -> None:
        """Presenter zoom (the fonts are scaled by the presenter): the mix column widens a
        little, and while zoomed never below what its rows need (long category names,
        "house plant", at 152% cut off the values and the "only" buttons)."""
        self._scale = factor
        if factor > STYLE_MAX_ZOOM:
            for widget in (self.style_box, *self.style_box.findChildren(QWidget)):
                base = widget.property(BASE_PROPERTY)
                if base is not None:
                    capped = QFont(widget.font())
                    capped.setPointSizeF(float(base) * STYLE_MAX_ZOOM)
                    widget.setFont(capped)
        for slider in self.findChildren(QLabeledDoubleSlider):
            # Its value's box was sized for the font it had ("0.00" showed as ".00"):
            # setting the decimals again sizes it for the zoomed font (superqt's own way).
            slider.setDecimals(slider.decimals())
        for name in self.mix.class_labels:  # their fixed 28 px squeezed a bold "0" at 201%
            name.setMinimumWidth(28 if factor == 1.0 else max(28, name.sizeHint().width()))
        if not self.mix.digits:  # the categories' narrow "only" buttons ("nly" at 201%)
            for button in self.mix.only_buttons:
                button.setMaximumWidth(round(ONLY_WIDTH * max(1.0, factor)))
        grow = max(1.0, 1.0 + 0.15 * (factor - 1.0))
        low = round(CONTROLS_WIDTH[0] * min(grow, 1.0 + 0.15 * (CONTROLS_GROW_UNTIL - 1.0)))
        if factor != 1.0:  # 100% stays the width the window opened with (Ctrl+0 restores it)
            layout = self._controls.layout()
            low = max(low, layout.totalMinimumSize().width() if layout is not None else 0)
        high = max(low, round(CONTROLS_WIDTH[1] * grow))
        bar = self._controls_area.verticalScrollBar().sizeHint().width()
        self._controls.setMinimumWidth(low)
        self._controls.setMaximumWidth(high)
        self._controls_area.setMinimumWidth(low + bar)
        self._controls_area.setMaximumWidth(high + bar)

    def set_codec(self, codec: Any, names: Sequence[str] | None = None) -> None:
        """Use this CVAE (None, or a model without labels: a message instead).

        ``names`` say what each label is (the model's ``class_names``); digits by default.
        A conv model (``asynchronous``) decodes in a worker."""
        old = self._codec
        if codec is None or not codec.conditional:
            self._codec = None
            self.empty_label.setText(self.tr(EMPTY_MESSAGE))
            self.stack.setCurrentIndex(0)
            return
        wanted = label_names(tuple(names) if names else None, codec.num_classes)
        if wanted != self.names:
            self._codec = None  # the new sliders must not decode with the old model
            self.set_class_names(wanted)
        if old is not codec:
            # Until the new model answers, no pictures: the old model's beside the new
            # names (digits beside "cat") would be wrong for a moment. A NumPy codec
            # answers at once below, so this shows only while a worker decodes.
            self.image_view.clear(self.tr("Drawing…"))
            self.grid_view.clear(self.tr("Drawing…"))
        self._codec = codec
        if old is None or old.latent_dim != codec.latent_dim:
            self._set_latent(codec.latent_dim)
        if old is not codec and codec.latent_dim > 2:
            self._pick_telling_dim(codec)
        self.stack.setCurrentIndex(1)
        self._update_image()
        self._update_grid()

    def _pick_telling_dim(self, codec: Any) -> None:
        """With many latent dimensions most change little: let the grid's columns vary the
        one that changes the drawings most (a conv model measures it in a worker)."""
        shown = min(codec.latent_dim, MAX_STYLE)
        n = len(self.names)
        values = self.grid_values()
        z = np.zeros((shown * len(values), codec.latent_dim), np.float32)
        for k in range(shown):
            z[k * len(values) : (k + 1) * len(values), k] = values
        label = np.full(n, 1.0 / n, np.float32)  # every class a little: no class favoured

        def measure(decoder: Any) -> int:
            images = decoder.decode(z, label).reshape(shown, len(values), -1)
            return int(np.argmax(images.var(axis=1).mean(axis=1)))

        self.decodes.request("dim", codec, measure, lambda k: self._set_grid_dim(int(k)))

    def _set_grid_dim(self, k: int) -> None:
        if 0 <= k < self.dim_combo.count() and k != self.grid_dim():
            self.dim_combo.setCurrentIndex(k)  # redraws the grid

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """After an epoch of CVAE training: the new decoder (sliders keep their values)."""
        if snapshot.codec is not None and snapshot.codec.conditional:
            self.set_codec(snapshot.codec)

    def flush(self) -> None:
        """Redraw the grid now if a slider move is waiting in the throttle."""
        self._grid_later.flush()

    # -- the session: every CVAE, and the mix ---------------------------------------------------
    def attach(self, session: Session) -> None:
        """Offer every CVAE the session holds (a picker when there are several), follow
        the chosen one, and keep the mix in the session."""
        self.session = session
        session.slots_changed.connect(self._on_slots_changed)
        session.mix_changed.connect(self._on_session_mix)
        self._on_slots_changed()
        session.set_mix(self.label_vector())

    def _on_slots_changed(self) -> None:
        if self.session is None or not shiboken6.isValid(self):
            return
        before = list(self._choices)
        self._choices = self.session.slots_for_panel("cvae")
        current = self.slot
        new = [slot for slot in self._choices if slot not in before]
        if before and new:
            current = new[-1]  # a CVAE just loaded: show it
        if current not in self._choices:
            current = self._choices[0] if self._choices else None
        with signals_blocked(self.model_combo):
            self.model_combo.clear()
            for slot in self._choices:
                self.model_combo.addItem(kind_label(slot.title), slot.id)
            if current is not None:
                self.model_combo.setCurrentIndex(self._choices.index(current))
        self._model_row.setVisible(len(self._choices) > 1)
        if current is not None and current is not self.slot:
            self.follow(current)

    def _on_model_chosen(self, index: int) -> None:
        if 0 <= index < len(self._choices) and self._choices[index] is not self.slot:
            self.follow(self._choices[index])

    def chosen_slot(self) -> Slot | None:
        """The CVAE the picker shows (what the status bar names)."""
        return self.slot

    def _on_session_mix(self, mix: Any) -> None:
        if mix is None or not shiboken6.isValid(self) or len(mix) != len(self.names):
            return
        if not np.array_equal(np.asarray(mix, np.float32), self.label_vector()):
            self.set_label_vector(mix)

    def refresh(self) -> None:
        """Show the slot's codec (the sliders keep their values)."""
        slot = self.slot
        if slot is None:
            return
        codec = slot_decoder(slot)
        if codec is not self._codec or codec is None:
            self.set_codec(codec, slot_names(slot))
        if codec is None and not slot.empty and not slot.training:
            # Its preview is here, its network still loading (TensorFlow, in a worker).
            self.empty_label.setText(arg(self.tr("Loading the %1…"), kind_label(slot.title)))

    # -- state ---------------------------------------------------------------------------------
    def codec(self) -> Any:
        return self._codec

    # The label mix is its own component (LabelMix); these reach it through the panel.
    @property
    def names(self) -> tuple[str, ...]:
        """What each label is called (the digits, or the model's Quick Draw categories)."""
        return self.mix.names

    @property
    def presets(self) -> dict[str, dict[int, float]]:
        return self.mix.presets

    @property
    def digit_sliders(self) -> list[Any]:
        return self.mix.digit_sliders

    @property
    def only_buttons(self) -> list[QPushButton]:
        return self.mix.only_buttons

    @property
    def preset_buttons(self) -> dict[str, QPushButton]:
        return self.mix.preset_buttons

    @property
    def sum_label(self) -> QLabel:
        return self.mix.sum_label

    @property
    def normalize_button(self) -> QPushButton:
        return self.mix.normalize_button

    @property
    def reset_button(self) -> QPushButton:
        return self.mix.reset_button

    def label_vector(self) -> np.ndarray:
        return self.mix.label_vector()

    def set_label_vector(self, label: np.ndarray) -> None:
        self.mix.set_label_vector(label)

    def apply_preset(self, name: str) -> None:
        self.mix.apply_preset(name)

    def only_digit(self, digit: int) -> None:
        self.mix.only_digit(digit)

    def set_mix(self, mix: dict[str, float]) -> None:
        self.mix.set_mix(mix)

    def normalize(self) -> None:
        self.mix.normalize()

    def reset_label(self) -> None:
        self.mix.reset_label()

    def set_class_names(self, names: Sequence[str]) -> None:
        """One slider per class in the mix, one grid row per class."""
        self.mix.set_class_names(names)
        noun = self.tr("digit") if self.mix.digits else self.tr("category")
        self.grid_view.set_shape(len(self.names), GRID_COLUMNS)
        self.grid_view.set_title(self.tr("Every %1 in this style").replace("%1", noun))
        if self._scale != 1.0:  # other names, another width for the mix column
            self.set_scale(self._scale)
        self._on_label()

    def style_vector(self) -> np.ndarray:
        """The latent z: slider values for the first dimensions, 0 for the rest."""
        latent = self._codec.latent_dim if self._codec is not None else MAX_STYLE
        z = np.zeros(latent, dtype=np.float32)
        for k in range(min(latent, MAX_STYLE)):
            z[k] = self.style_sliders[k].value()
        return z

    def mix_text(self) -> str:
        """How the current label vector reads, as shown under the generated image."""
        return describe_mix(self.label_vector(), self.names)

    def generated_image(self) -> np.ndarray | None:
        images = self.image_view.images()
        return images[0] if images else None

    def grid_images(self) -> np.ndarray:
        """(10, columns, H, W): row d is digit d, column j the j-th latent value."""
        images = self.grid_view.images()
        if not images:
            return np.zeros((0, GRID_COLUMNS, 0, 0), dtype=np.float32)
        return np.stack(images).reshape(len(self.names), GRID_COLUMNS, *images[0].shape)

    def grid_values(self) -> np.ndarray:
        return np.linspace(-GRID_EXTENT, GRID_EXTENT, GRID_COLUMNS, dtype=np.float32)

    def grid_dim(self) -> int:
        return max(0, self.dim_combo.currentIndex())

    def set_style(self, z: np.ndarray) -> None:
        values = np.asarray(z, dtype=np.float32).reshape(-1)
        for slider, v in zip(self.style_sliders, values, strict=False):
            with signals_blocked(slider):
                slider.setValue(float(np.clip(v, -STYLE_RANGE, STYLE_RANGE)))
        self._on_style()

    def reset_style(self) -> None:
        self.set_style(np.zeros(MAX_STYLE, dtype=np.float32))

    def _on_label(self) -> None:
        label = self.label_vector()
        if self.session is not None:
            self.session.set_mix(label)
        self._update_image()

    def _on_style(self) -> None:
        self._update_image()
        self._update_grid()

    def _on_style_slider(self) -> None:
        self._update_image()
        self._grid_later()

    def _on_dim(self) -> None:
        self._update_grid()

    # -- internals --------------------------------------------------------------------------
    def _set_latent(self, latent: int) -> None:
        shown = min(latent, MAX_STYLE)
        for k, (name, slider) in enumerate(self._style_rows):
            name.setVisible(k < shown)
            slider.setVisible(k < shown)
        self.style_note.setText(
            arg(self.tr("Showing %1 of %2 dimensions; the others stay at 0."), shown, latent)
            if latent > MAX_STYLE
            else ""
        )
        self.style_note.setVisible(latent > MAX_STYLE)
        with signals_blocked(self.dim_combo):
            self.dim_combo.clear()
            self.dim_combo.addItems([f"z[{k}]" for k in range(shown)])
            self.dim_combo.setCurrentIndex(0)

    def _update_image(self) -> None:
        codec = self._codec
        if codec is None:
            return
        label = self.label_vector()
        z = self.style_vector()
        caption = describe_mix(label, self.names)
        self.decodes.request(
            "image",
            codec,
            lambda decoder: decoder.decode(z, label)[0],
            lambda image: self.image_view.set_images([image], [caption]),
        )

    def _update_grid(self) -> None:
        codec = self._codec
        if codec is None:
            return
        values = self.grid_values()
        k = self.grid_dim()
        n = len(self.names)
        z = np.tile(self.style_vector(), (n * GRID_COLUMNS, 1))
        z[:, k] = np.tile(values, n)
        labels = np.repeat(np.eye(n, dtype=np.float32), GRID_COLUMNS, axis=0)
        step = 1 if n <= 12 else 3  # many rows make small cells: label every third column
        columns = [f"{v:+.1f}" if j % step == 0 or j == len(values) - 1 else ""
                   for j, v in enumerate(values)]  # fmt: skip
        self.grid_view.set_axis_labels(list(self.names), columns)
        self.decodes.request(
            "grid", codec, lambda decoder: decoder.decode(z, labels), self.grid_view.set_images
        )
