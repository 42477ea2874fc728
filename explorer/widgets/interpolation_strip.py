"""A strip of frames decoded between two latent points (or two autoencoder codes).

Each frame is the decoder's own image at a point of the path (:func:`latent_path`, linear
or slerp), never a cross-fade of the ends. The owner gives the strip a
:class:`models.inference.decoding.Decoder` (the NumPy codec for the VAEs, the Keras model
for the conv kinds and the autoencoder: the decode service runs that one in a worker) and
sets the two ends; the strip redraws, throttled, whenever an end, the number of frames or
the method changes, and exports a PNG strip or an animated GIF
(:func:`models.inference.interpolate.export`).
"""

from __future__ import annotations

import inspect
import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qthrottled

from explorer.i18n import arg
from explorer.model_decoder import DecodeService
from explorer.widgets.flow_layout import flow_row
from explorer.widgets.imaging import ImageGrid
from explorer.widgets.save_dialog import ask_save_path
from models.inference.decoding import Decoder, uniform_labels
from models.inference.interpolate import METHODS, Method, export, latent_path

log = logging.getLogger(__name__)

Labels = Callable[[], "np.ndarray | None"]
"""The label vector a conditional decoder draws the path with when the ends bring none."""
DEFAULT_STEPS = 8
UPDATE_THROTTLE_MS = 40
HINT: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "InterpolationStrip", "Choose two ends to walk between."
)
"""The strip's hint before its ends are set (callers give their own, translated)."""


def _weak(fn: Labels) -> Callable[[], Labels | None]:
    """A weak reference to a bound method (a plain function is kept as it is)."""
    if inspect.ismethod(fn):
        return weakref.WeakMethod(fn)
    return lambda: fn


class InterpolationStrip(QWidget):
    """N frames from end A to end B, decoded by the model; PNG and GIF export."""

    updated = Signal()
    """The frames were decoded again."""
    exported = Signal(str)
    """The path of an exported PNG or GIF."""

    def __init__(self, parent: QWidget | None = None, *, hint: str | None = None) -> None:
        super().__init__(parent)
        self._decoder: Decoder | None = None
        self._default_labels: Callable[[], Labels | None] | None = None
        self.decodes = DecodeService(self)
        self.decodes.failed.connect(self._on_failed)
        self._ends: dict[str, np.ndarray | None] = {"A": None, "B": None}
        self._labels: dict[str, np.ndarray | None] = {"A": None, "B": None}
        self._frames = np.zeros((0, 0, 0), np.float32)
        self._points = np.zeros((0, 0), np.float32)
        self._path_labels: np.ndarray | None = None
        hint = self.tr(HINT) if hint is None else hint
        self._hint = hint
        self._waiting: np.ndarray | None = None

        self.grid = ImageGrid(1, None, gap=3, caption_pt=11, title_pt=12)
        self.grid.setMinimumSize(240, 70)
        self.grid.clear(hint)
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(2, 40)
        self.steps_spin.setValue(DEFAULT_STEPS)
        self.steps_spin.setSuffix(self.tr(" frames"))
        self.steps_spin.setToolTip(self.tr("Frames from A to B, both ends included"))
        self.method_combo = QComboBox()
        shown = {"linear": self.tr("linear"), "slerp": self.tr("slerp")}  # by index, as METHODS
        self.method_combo.addItems([shown.get(m, m) for m in METHODS])
        self.method_combo.setToolTip(
            self.tr("linear: a straight line; slerp: along the sphere, keeping typical norms")
        )
        self.bounce_check = QCheckBox(self.tr("bounce"))
        self.bounce_check.setToolTip(self.tr("Exports add the way back (B to A)"))
        self.png_button = QPushButton("PNG…")
        self.png_button.setToolTip(self.tr("Export the strip as one PNG"))
        self.gif_button = QPushButton("GIF…")
        self.gif_button.setToolTip(self.tr("Export an animated GIF, one frame per step"))
        self.ends_label = QLabel("")
        self.ends_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title = QLabel(self.tr("<b>Interpolate</b>"))
        # A flowing row: at the presenter's zoom it takes a second line rather than
        # cutting off "Interpolate" and the frames box (one row in a half-width column).
        controls = flow_row(
            title, self.ends_label, self.steps_spin, self.method_combo, self.bounce_check,
            self.png_button, self.gif_button, spacing=8,
        )  # fmt: skip
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(controls)
        layout.addWidget(self.grid, 1)

        self._update_later = qthrottled(self.update_frames, timeout=UPDATE_THROTTLE_MS)
        self.steps_spin.valueChanged.connect(self._update_later)
        self.method_combo.currentIndexChanged.connect(self._update_later)
        self.png_button.clicked.connect(self._choose_png)
        self.gif_button.clicked.connect(self._choose_gif)
        self._enable()

    # -- setting it up -----------------------------------------------------------------------
    def set_decoder(self, decoder: Decoder | None, labels: Labels | None = None) -> None:
        """What draws the frames (``labels``: a CVAE's label vector when the ends bring
        none; an even mixture by default); None (no model): the ends are forgotten."""
        self._decoder = decoder
        # Weakly: a panel's bound method kept here made panel <-> strip a cycle, which the
        # collector then tore down (a top-level panel's C++ side with it) at a random time.
        self._default_labels = None if labels is None else _weak(labels)
        if decoder is None:
            self.clear_ends()
        else:
            self._update_later()

    def set_end(
        self, which: str, point: np.ndarray | None, label: np.ndarray | None = None
    ) -> None:
        """Set end "A" or "B" (a latent point or code; a CVAE's label vector beside it)."""
        if which not in self._ends:
            raise ValueError(f"an interpolation has ends A and B, not {which!r}")
        self._ends[which] = None if point is None else np.asarray(point, np.float32).ravel()
        self._labels[which] = None if label is None else np.asarray(label, np.float32).ravel()
        self._describe_ends()
        self._update_later()

    def set_ends(
        self,
        a: np.ndarray,
        b: np.ndarray,
        label_a: np.ndarray | None = None,
        label_b: np.ndarray | None = None,
    ) -> None:
        self._ends = {
            "A": np.asarray(a, np.float32).ravel(),
            "B": np.asarray(b, np.float32).ravel(),
        }
        self._labels = {"A": label_a, "B": label_b}
        self._describe_ends()
        self._update_later()

    def clear_ends(self) -> None:
        self._ends = {"A": None, "B": None}
        self._labels = {"A": None, "B": None}
        self._frames = np.zeros((0, 0, 0), np.float32)
        self._points = np.zeros((0, 0), np.float32)
        self._describe_ends()
        self.grid.clear(self._hint)
        self._enable()

    def end(self, which: str) -> np.ndarray | None:
        return self._ends[which]

    def steps(self) -> int:
        return self.steps_spin.value()

    def method(self) -> Method:
        return METHODS[max(0, self.method_combo.currentIndex())]

    def set_method(self, method: Method) -> None:
        self.method_combo.setCurrentIndex(METHODS.index(method))

    # -- results -----------------------------------------------------------------------------
    def frames(self) -> np.ndarray:
        """The decoded frames (steps, H, W), A first (empty before both ends are set)."""
        return self._frames.copy()

    def points(self) -> np.ndarray:
        """The latent points the frames were decoded at."""
        return self._points.copy()

    def path_labels(self) -> np.ndarray | None:
        return None if self._path_labels is None else self._path_labels.copy()

    def flush(self) -> None:
        self._update_later.flush()

    def update_frames(self) -> None:
        """Decode the path now (what the throttle calls)."""
        a, b, decoder = self._ends["A"], self._ends["B"], self._decoder
        if a is None or b is None or decoder is None:
            if a is not None or b is not None:
                self.grid.clear(
                    self.tr("Now choose end B.") if a is not None else self.tr("Now choose end A.")
                )
            self._enable()
            return
        if a.shape != b.shape:
            self.grid.clear(self.tr("The two ends come from different models; choose both again."))
            self._enable()
            return
        n = self.steps()
        points = latent_path(a, b, n, self.method())
        labels = None
        la, lb = self._labels["A"], self._labels["B"]
        if la is not None or lb is not None:
            start = la if la is not None else lb
            stop = lb if lb is not None else la
            assert start is not None and stop is not None
            t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
            labels = ((1 - t) * start + t * stop).astype(np.float32)
        elif decoder.conditional:
            provider = self._default_labels() if self._default_labels is not None else None
            given = provider() if provider is not None else None
            labels = given if given is not None else uniform_labels(decoder)
        self._waiting = points
        try:
            self.decodes.decode("frames", decoder, points, labels, self._deliver_to(points, labels))
        except Exception as exc:  # a model that cannot decode: say so, do not crash a drag
            log.warning("interpolation failed: %s", exc)
            self._on_failed("frames", str(exc))

    def _deliver_to(self, points: np.ndarray, labels: np.ndarray | None) -> Any:
        def deliver(frames: np.ndarray) -> None:
            self.deliver(points, frames, labels)

        return deliver

    def _on_failed(self, _key: str, message: str) -> None:
        self.grid.clear(arg(self.tr("Could not decode: %1"), message))
        self._enable()

    @property
    def busy(self) -> bool:
        """Frames are being decoded in a worker."""
        return self.decodes.busy

    def deliver(
        self, points: np.ndarray, frames: np.ndarray, labels: np.ndarray | None = None
    ) -> bool:
        """Show the frames a decoder computed for ``points`` (False if the path has changed
        since it was asked for: a newer request is on its way)."""
        waiting = self._waiting
        if waiting is None or waiting.shape != points.shape or not np.array_equal(waiting, points):
            return False
        frames = np.asarray(frames, np.float32)
        n = len(points)
        self._frames, self._points, self._path_labels = frames, points, labels
        captions = ["A", *[""] * (n - 2), "B"]
        self.grid.set_images(frames, captions)
        self._enable()
        self.updated.emit()
        return True

    def export(self, path: str | Path) -> Path:
        """Write the frames as a .png strip or a .gif (bounce as the checkbox says)."""
        self.flush()
        if not len(self._frames):
            raise ValueError(self.tr("there is nothing to export yet: choose two ends first"))
        written = export(self._frames, path, bounce=self.bounce_check.isChecked())
        self.exported.emit(str(written))
        return written

    # -- internals ---------------------------------------------------------------------------
    def _describe_ends(self) -> None:
        parts = []
        for which in ("A", "B"):
            z = self._ends[which]
            if z is not None and z.size <= 3:
                parts.append(f"{which} = (" + ", ".join(f"{v:+.2f}" for v in z) + ")")
            elif z is not None:
                parts.append(arg(self.tr("%1: set"), which))
        self.ends_label.setText("   ".join(parts))

    def _enable(self) -> None:
        ready = bool(len(self._frames))
        self.png_button.setEnabled(ready)
        self.gif_button.setEnabled(ready)

    def _choose_png(self) -> None:
        self._choose("interpolation.png", self.tr("PNG images (*.png)"))

    def _choose_gif(self) -> None:
        self._choose("interpolation.gif", self.tr("Animated GIF (*.gif)"))

    def _choose(self, name: str, filter_: str) -> None:
        title = self.tr("Export the interpolation")
        path = ask_save_path(self, title, name, filter_)
        if path:
            try:
                self.export(path)
            except (OSError, ValueError) as exc:
                from explorer.widgets.common import show_error

                show_error(self, self.tr("Could not export the interpolation"), str(exc))


__all__ = ["InterpolationStrip"]
