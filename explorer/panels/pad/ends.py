"""The Draw tab's interpolation: where its ends A and B come from (this drawing, the
previous one, a validation image, the Cats tab's pair, the Latent map's A and B), and the
decoder its strip draws with. A mixin of :class:`explorer.panels.draw.DrawPanel`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.latent_view import LatentView
from explorer.session import Slot
from explorer.widgets.interpolation_strip import InterpolationStrip
from models.inference.decoding import Decoder, model_decoder
from models.inference.pad import encode_stats, every_digit

log = logging.getLogger(__name__)

SOURCES: tuple[str, ...] = (  # type: ignore[assignment]
    QT_TRANSLATE_NOOP("DrawPanel", "this drawing"),
    QT_TRANSLATE_NOOP("DrawPanel", "previous drawing"),
    QT_TRANSLATE_NOOP("DrawPanel", "validation image #"),
    QT_TRANSLATE_NOOP("DrawPanel", "Cats tab: selected pair"),
    QT_TRANSLATE_NOOP("DrawPanel", "Latent map: its A and B"),
)
"""Where an end of the strip comes from: the English names the code matches, shown
translated in the "Ends from" list."""
LIVE_SAMPLES = 4
"""Importance samples for the CVAE's chart while the pen moves (exact after the stroke)."""

PairSource = Callable[[], "tuple[str, np.ndarray | None]"]
"""The Cats tab's selected pair: (the kind it shows, the clean image or None)."""


class DrawEnds:
    """Builds the strip and its "Ends from" row; sets ends from the chosen source."""

    if TYPE_CHECKING:

        @property
        def slot(self) -> Slot | None: ...

    view: LatentView
    pair_source: PairSource | None
    _input: np.ndarray
    _previous: np.ndarray | None
    _code: np.ndarray | None
    _val_codes: tuple[int, int, np.ndarray] | None

    def _build_strip(self, parent: QWidget) -> QGroupBox:
        self.strip = InterpolationStrip(
            parent,
            hint=QCoreApplication.translate(
                "DrawPanel", "Set ends A and B below to walk between them."
            ),
        )
        self.source_combo = QComboBox()
        self.source_combo.addItems([QCoreApplication.translate("DrawPanel", s) for s in SOURCES])
        self.source_combo.setToolTip(
            QCoreApplication.translate("DrawPanel", "Where the next end comes from")
        )
        self.index_spin = QSpinBox()
        self.index_spin.setRange(0, 0)
        self.index_spin.setPrefix("#")
        self.index_spin.setToolTip(
            QCoreApplication.translate("DrawPanel", "Which validation image")
        )
        self.set_a_button = QPushButton(QCoreApplication.translate("DrawPanel", "Set A"))
        self.set_b_button = QPushButton(QCoreApplication.translate("DrawPanel", "Set B"))
        self.follow_check = QCheckBox(QCoreApplication.translate("DrawPanel", "B follows the pen"))
        self.follow_check.setToolTip(
            QCoreApplication.translate(
                "DrawPanel", "End B is always the drawing on the pad (updated live)"
            )
        )
        ends = QHBoxLayout()
        ends.addWidget(QLabel(QCoreApplication.translate("DrawPanel", "Ends from")))
        for w in (self.source_combo, self.index_spin, self.set_a_button, self.set_b_button,
                  self.follow_check):  # fmt: skip
            ends.addWidget(w)
        ends.addStretch(1)
        strip_box = QGroupBox()
        strip_layout = QVBoxLayout(strip_box)
        strip_layout.setContentsMargins(6, 2, 6, 4)
        strip_layout.addWidget(self.strip, 1)
        strip_layout.addLayout(ends)
        strip_box.setMaximumHeight(230)
        self.source_combo.currentIndexChanged.connect(self._on_source)
        self.set_a_button.clicked.connect(self._set_a)
        self.set_b_button.clicked.connect(self._set_b)
        self.follow_check.toggled.connect(self._on_follow)
        return strip_box

    def _strip_decoder(self) -> Decoder | None:
        """The chosen model as the strip's decoder (the service runs a Keras one in a
        worker); None while it cannot answer."""
        slot = self.slot
        if slot is None:
            return None
        if slot.spec.numpy_codec:
            return slot.codec  # type: ignore[no-any-return]
        return model_decoder(slot.model) if slot.live else None

    def encode_end(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(latent point or code, CVAE label vector) of an image, for an end of the strip."""
        slot = self.slot
        if slot is None:
            raise ValueError("no model chosen")
        codec = slot.codec if slot.spec.numpy_codec else None
        if codec is not None:
            if codec.conditional:
                best = int(np.argmax(every_digit(codec, image, LIVE_SAMPLES).posterior))
                label = np.eye(codec.num_classes, dtype=np.float32)[best]
                return encode_stats(codec, image[None], label[None])[0][0], label
            return encode_stats(codec, image[None])[0][0], None
        if slot.model is None or not slot.live:
            raise ValueError("the model is not loaded yet")
        return model_decoder(slot.model).encode(image[None])[0], None

    def _map_shows_slot(self) -> bool:
        slot = self.slot
        return slot is not None and self.view.shows(slot.id)

    def _pair_image(self) -> np.ndarray | None:
        slot, source = self.slot, self.pair_source
        if source is None or slot is None:
            return None
        kind, image = source()
        return image if kind == slot.kind and image is not None and image.size else None

    def set_end(self, which: str, source: int | None = None, index: int | None = None) -> None:
        """Set end A or B from a source (see SOURCES; default: the combo's choice)."""
        source = self.source_combo.currentIndex() if source is None else source
        name = SOURCES[source]
        slot = self.slot
        if name == "Latent map: its A and B":
            a, b = self.view.end("A"), self.view.end("B")
            if not self._map_shows_slot() or a is None or b is None:
                raise ValueError(
                    QCoreApplication.translate(
                        "DrawPanel", "Shift+click two points on the Latent map first"
                    )
                )
            self.strip.set_ends(a, b)
            return
        if name == "this drawing":
            image = self._input
        elif name == "previous drawing":
            if self._previous is None:
                raise ValueError(
                    QCoreApplication.translate(
                        "DrawPanel", "there is no previous drawing yet (Clear keeps the last one)"
                    )
                )
            image = self._previous
        elif name == "validation image #":
            i = self.index_spin.value() if index is None else index
            pool = slot.data.images if slot is not None and slot.data is not None else None
            points = slot.points if slot is not None and slot.spec.numpy_codec else None
            if (pool is None or not len(pool)) and points is not None and len(points.z) > i:
                # The VAEs' validation points are these images' z_mean already (the shipped
                # models bring the points, not the images).
                self.strip.set_end(which, points.z[i], self._label_of(points, i))
                return
            if pool is None or not len(pool):
                raise ValueError(
                    QCoreApplication.translate(
                        "DrawPanel", "this model has no validation images here"
                    )
                )
            cached = self._val_codes
            if cached is not None and slot is not None and cached[:2] == (id(slot.model), id(pool)):
                self.strip.set_end(which, cached[2][i])  # encoded already, in the background
                return
            image = pool[i]
        else:
            pair = self._pair_image()
            if pair is None:
                raise ValueError(
                    QCoreApplication.translate("DrawPanel", "the Cats tab shows no pairs yet")
                )
            image = pair
        if not image.size or not float(np.sum(image)) > 0:
            raise ValueError(
                QCoreApplication.translate(
                    "DrawPanel", "that end is an empty picture: draw something first"
                )
            )
        numpy_codec = slot is not None and slot.spec.numpy_codec
        if self._code is not None and name == "this drawing" and not numpy_codec:
            point, label = self._code, None
        else:
            point, label = self.encode_end(np.asarray(image, np.float32))
        self.strip.set_end(which, point, label)

    def _label_of(self, points: Any, i: int) -> np.ndarray | None:
        slot = self.slot
        codec = None if slot is None else slot.codec
        if codec is None or not codec.conditional or points.labels is None:
            return None
        return np.eye(codec.num_classes, dtype=np.float32)[int(points.labels[i])]

    def _set_end_from_drawing(self, which: str) -> None:
        try:
            self.set_end(which, SOURCES.index("this drawing"))
        except ValueError as exc:
            log.debug("no end from the drawing: %s", exc)

    def _set_a(self) -> None:
        self._set_end_checked("A")

    def _set_b(self) -> None:
        self._set_end_checked("B")

    def _set_end_checked(self, which: str) -> None:
        try:
            self.set_end(which)
        except ValueError as exc:
            self.strip.grid.clear(str(exc))

    def _on_follow(self, on: bool) -> None:
        if on:
            self._set_end_from_drawing("B")

    def _on_source(self) -> None:
        slot = self.slot
        name = SOURCES[max(0, self.source_combo.currentIndex())]
        pool = slot.data.images if slot is not None and slot.data is not None else None
        if pool is None and slot is not None and slot.points is not None:
            pool = slot.points.z
        self.index_spin.setVisible(name == "validation image #")
        self.index_spin.setRange(0, max(0, (len(pool) if pool is not None else 1) - 1))
        both = name == "Latent map: its A and B"
        self.set_b_button.setVisible(not both)
        self.set_a_button.setText(
            QCoreApplication.translate("DrawPanel", "Use them")
            if both
            else QCoreApplication.translate("DrawPanel", "Set A")
        )
        model = self.source_combo.model()
        source = self.pair_source
        cats_ok = source is not None and slot is not None and source()[0] == slot.kind
        for i, ok in ((3, cats_ok), (4, self._map_shows_slot())):
            item = model.item(i)  # type: ignore[attr-defined]
            if item is not None:
                item.setEnabled(ok)


__all__ = ["SOURCES", "DrawEnds", "PairSource"]
