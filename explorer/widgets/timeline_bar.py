"""A timeline slider with Play / Pause, for replaying a run epoch by epoch.

The bar follows a :class:`~models.inference.timeline.Timeline` (``set_timeline``). At its
right end it "follows" the run: the panel shows its live state, and each new epoch keeps
the bar at the end. Anywhere else it shows that epoch (``scrubbed`` says which; None means
"the live state"). Play walks through the epochs from the start (or from where it is) and
stops at the end. "GIF…" asks for the replay as an animated GIF.

A small loss sparkline (the run's validation loss per epoch) sits beside the slider with a
dot at the epoch shown, so a replay on any tab says where in training its frame is; the
Training tab's full curves are out of view while one scrubs the Latent map or Cats tab.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QStyle, QWidget

from explorer.i18n import arg, language
from models.inference.replay import loss_key, loss_name
from models.inference.timeline import Timeline

PLAY_MS = 500
"""One epoch per this many ms while playing."""
CURVE_COLOR = "#0072B2"
MARKER_COLOR = "#e8003c"  # the Training tab's epoch marker


class LossSparkline(pg.PlotWidget):
    """A tiny loss curve (no axes, no mouse) with a dot and a line at one epoch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        item = self.getPlotItem()
        item.hideButtons()
        for name in ("left", "bottom"):
            item.hideAxis(name)
        item.setContentsMargins(2, 2, 2, 2)
        self.curve = item.plot([], [], pen=pg.mkPen(CURVE_COLOR, width=2))
        self.line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(MARKER_COLOR, width=1, style=Qt.PenStyle.DotLine)
        )
        self.dot = pg.ScatterPlotItem(
            size=8, brush=pg.mkBrush(MARKER_COLOR), pen=pg.mkPen("w", width=1)
        )
        for marker in (self.line, self.dot):
            marker.setZValue(10)
            item.addItem(marker, ignoreBounds=True)
        self.key: str | None = None
        self._epochs = np.zeros(0)
        self._values = np.zeros(0)
        self.setFixedSize(130, max(30, 2 * self.fontMetrics().height()))

    def set_losses(self, timeline: Timeline | None) -> bool:
        """Plot the timeline's main validation loss; False (and hidden) when it has none."""
        key = loss_key(timeline) if timeline is not None and len(timeline) else None
        if timeline is None or key is None:
            self.key, self._epochs, self._values = None, np.zeros(0), np.zeros(0)
            self.curve.setData([], [])
            self.setVisible(False)
            return False
        self.key = key
        self._epochs = np.asarray(timeline.epochs, np.float64)
        self._values = np.asarray(timeline.losses[key], np.float64)
        ok = np.isfinite(self._values)
        self.curve.setData(self._epochs[ok], self._values[ok])
        if ok.any():
            lo, hi = float(self._values[ok].min()), float(self._values[ok].max())
            pad = (hi - lo) * 0.12 or abs(hi) * 0.05 or 1.0
            x0, x1 = float(self._epochs[0]), float(self._epochs[-1])
            self.getPlotItem().setRange(
                xRange=(x0, x1 if x1 > x0 else x0 + 1), yRange=(lo - pad, hi + pad), padding=0.04
            )
        self.setVisible(bool(ok.any()))
        return bool(ok.any())

    def set_index(self, index: int | None) -> None:
        """Mark timeline index ``index`` (None: no mark)."""
        if index is None or not 0 <= index < len(self._values):
            self.line.hide()
            self.dot.setData([], [])
            return
        epoch, value = float(self._epochs[index]), float(self._values[index])
        self.line.setValue(epoch)
        self.line.show()
        self.dot.setData([epoch], [value] if math.isfinite(value) else [])
        name = loss_name(self.key, lang=language()) if self.key else self.tr("loss")
        locale = QLocale()
        epoch_text = locale.toString(float(epoch), "g", 6)
        value_text = locale.toString(float(value), "g", 4)
        text = self.tr("%1 per epoch; the dot is epoch %2: %3")
        self.setToolTip(arg(text, name, epoch_text, value_text))

    def marker(self) -> tuple[float, float] | None:
        """(epoch, loss) of the dot, or None when nothing is marked."""
        if not self.line.isVisible():
            return None
        _x, y = self.dot.getData()
        return (float(self.line.value()), float(y[0]) if len(y) else math.nan)


class TimelineBar(QWidget):
    """Slider over a run's epochs, Play / Pause, and a "GIF…" export button."""

    scrubbed = Signal(object)
    """The timeline index shown (int), or None when the bar is at its end (live)."""
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None, play_ms: int = PLAY_MS) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self._shown: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(play_ms)
        self.timer.timeout.connect(self.advance)
        sp = QStyle.StandardPixmap
        self.play_button = QPushButton(
            self.style().standardIcon(sp.SP_MediaPlay), self.tr("Play"), self
        )
        self.play_button.setToolTip(self.tr("Replay the run, one epoch at a time"))
        self.play_button.clicked.connect(self.toggle_play)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.slider.setToolTip(
            self.tr("Drag to see the model after each epoch; the right end is now")
        )
        self.slider.valueChanged.connect(self._on_value)
        self.label = QLabel("", self)
        widest = self._epoch_text(888, 888, now=True)
        self.label.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest))
        self.gif_button = QPushButton(self.tr("GIF…"), self)
        self.gif_button.setToolTip(
            self.tr("Save the replay as an animated GIF (one frame per epoch)")
        )
        self.gif_button.clicked.connect(self.export_requested)
        self.sparkline = LossSparkline(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        title = QLabel(self.tr("Replay"), self)
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.sparkline)
        layout.addWidget(self.gif_button)
        self.set_timeline(None)

    # -- the timeline ----------------------------------------------------------------------------
    def set_timeline(self, timeline: Timeline | None) -> None:
        """Follow ``timeline`` (None or empty: the bar hides). A timeline that grew keeps
        the bar at the end if it was there (following the run), else where it was."""
        at_end = self._shown is None
        same = timeline is self.timeline
        self.timeline = timeline
        n = len(timeline) if timeline is not None else 0
        self.setVisible(n > 0)
        if n == 0:
            self.stop()
        old = self.slider.value()
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, n - 1))
        self.slider.setValue(n - 1 if (at_end or not same) else min(old, n - 1))
        self.slider.blockSignals(False)
        if not same:
            self._shown = None
        self.sparkline.set_losses(timeline)
        self._update_label()
        if not same:
            self.scrubbed.emit(None)

    @property
    def count(self) -> int:
        return len(self.timeline) if self.timeline is not None else 0

    def shown(self) -> int | None:
        """The index shown, or None at the end (the live state)."""
        return self._shown

    def epoch(self) -> int | None:
        """The epoch number at the slider (1-based), or None without a timeline."""
        if not self.count:
            return None
        assert self.timeline is not None
        return self.timeline.epochs[self.slider.value()]

    def show_index(self, index: int) -> None:
        """Move the slider to timeline index ``index`` (the last one: follow the run)."""
        self.slider.setValue(index)

    # -- play ----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def toggle_play(self) -> None:
        if self.playing:
            self.stop()
        else:
            self.play()

    def play(self) -> None:
        if self.count < 2:
            return
        if self.slider.value() >= self.count - 1:
            self.slider.setValue(0)
        self.timer.start()
        self._set_play_look(True)

    def stop(self) -> None:
        self.timer.stop()
        self._set_play_look(False)

    def advance(self) -> None:
        """One epoch on; at the end playing stops (and the bar shows the live state)."""
        value = self.slider.value() + 1
        if value >= self.count - 1:
            self.stop()
        self.slider.setValue(min(value, self.count - 1))

    # -- internals -------------------------------------------------------------------------------
    def _set_play_look(self, playing: bool) -> None:
        sp = QStyle.StandardPixmap
        icon = sp.SP_MediaPause if playing else sp.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))

    def _on_value(self, value: int) -> None:
        shown = None if value >= self.count - 1 else value
        self._shown = shown
        self._update_label()
        self.scrubbed.emit(shown)

    def _update_label(self) -> None:
        epoch = self.epoch()
        self.sparkline.set_index(None if epoch is None else self.slider.value())
        if epoch is None or self.timeline is None:
            self.label.setText("")
            return
        self.label.setText(self._epoch_text(epoch, self.timeline.epochs[-1], self._shown is None))

    def _epoch_text(self, epoch: int, last: int, now: bool) -> str:
        text = self.tr("epoch %1 of %2 (now)") if now else self.tr("epoch %1 of %2")
        locale = QLocale()
        return arg(text, locale.toString(int(epoch)), locale.toString(int(last)))
