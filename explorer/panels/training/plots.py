"""The Training tab's curves: the loss and KL plots, the progress bars and the speed line.

The epochs come from the run's timeline in the session (the one record of a run's
losses, which a reopened or continued run brings with it); only the current run's batch
points, which no one else keeps, are held here. Plot items are made once; updates only
call ``setData``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QLocale,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from explorer.i18n import arg
from explorer.widgets.common import BASE_POINT_SIZE, COLORS, format_duration, format_rate
from explorer.widgets.plot_text import TITLE_ROW_PX, set_axis_label, set_title, zoom_of
from models.messages import BatchProgress
from models.nets.kinds import get_kind

PACE_WINDOW_S = 1.0
"""The time per batch is measured once the messages since a pace change span this long."""
CURVES: tuple[tuple[str, str], ...] = (  # type: ignore[assignment]
    ("loss", QT_TRANSLATE_NOOP("LossPlot", "total")),
    ("reconstruction", QT_TRANSLATE_NOOP("LossPlot", "reconstruction")),
    ("kl", "KL"),
)
"""(key in the messages, English curve label: shown translated in context "LossPlot")."""


def training_name(label: str) -> str:
    text = QCoreApplication.translate("LossPlot", "training %1")
    return arg(text, QCoreApplication.translate("LossPlot", label))


def validation_name(label: str) -> str:
    text = QCoreApplication.translate("LossPlot", "validation %1")
    return arg(text, QCoreApplication.translate("LossPlot", label))


class FitBar(QProgressBar):
    """A progress bar whose text falls back to a short form where the long one would be cut
    off ("n 9 of 20 — batch 150 c" in a narrow bar at the presenter's zoom)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shorter: tuple[str, ...] = ()

    def set_texts(self, text: str, *shorter: str) -> None:
        """Show ``text``, or the first of the ``shorter`` forms that fits the bar (the
        shortest where none does)."""
        super().setFormat(text)
        self._shorter = shorter

    def setFormat(self, text: str) -> None:  # Qt's name: one text, no short form
        super().setFormat(text)
        self._shorter = ()

    def text(self) -> str:  # Qt's name: what the bar draws
        full = super().text()
        room = self.contentsRect().width() - 8
        for shown in (full, *self._shorter):
            if self.fontMetrics().horizontalAdvance(shown) <= room:
                return shown
        return self._shorter[-1] if self._shorter else full


class LossPlot(pg.PlotWidget):
    """One loss plot: training curves (lines) and validation points (dashed, with markers)."""

    def __init__(
        self,
        title: str,
        keys: tuple[str, ...],
        parent: QWidget | None = None,
        legend_offset: tuple[int, int] = (-10, 10),
        title_gives_way: bool = False,
    ) -> None:
        super().__init__(parent, background="w")
        self.keys = keys
        item = self.getPlotItem()
        self._title = title
        set_title(item, title, BASE_POINT_SIZE + 2)
        item.vb.sigResized.connect(self.fit_y)
        if title_gives_way:
            # Later: showing or hiding the title resizes the view, inside this signal.
            item.vb.sigResized.connect(lambda _vb: QTimer.singleShot(0, self._fit_title))
        # No grid: on a projector it is clutter, and redrawing it costs ~35 ms per update.
        tick_font = QFont()
        tick_font.setPointSize(BASE_POINT_SIZE - 1)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen("#5f6670"))
            axis.setTextPen(pg.mkPen("#1d1f23"))
            axis.setTickFont(tick_font)
            axis.enableAutoSIPrefix(False)  # "560 (x0.001)" confuses; show 0.56
        set_axis_label(item, "bottom", self.tr("epoch"), BASE_POINT_SIZE)
        # A fixed width: otherwise the axis resizes (and the plot re-lays out and paints
        # twice) whenever the tick labels grow, e.g. from "0.8" to "500".
        item.getAxis("left").setWidth(int(BASE_POINT_SIZE * 6.5))
        self._legend_y = legend_offset[1]
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
                [], [], pen=pg.mkPen(colour, width=3), name=training_name(label)
            )
            self.val[key] = item.plot(
                [],
                [],
                pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                symbol="o",
                symbolSize=11,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=pg.mkPen("w", width=1.5),
                name=validation_name(label),
            )
        # The replay's epoch: a vertical line, drawn above the curves.
        self.marker = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#e8003c", width=2, style=Qt.PenStyle.DotLine)
        )
        self.marker.setZValue(100)
        self.marker.hide()
        item.addItem(self.marker, ignoreBounds=True)
        self._fit_minimum()

    def fit_y(self) -> None:
        """The y range of the visible curves, with headroom for the legend at the top: the
        legend never covers a curve (the KL curve climbs into the corner it sits in)."""
        ys = []
        for items in (self.train, self.val):
            for key, curve in items.items():
                if curve.isVisible() and key in self.keys:
                    _x, y = curve.getData()
                    if y is not None and len(y):
                        ys.append(np.asarray(y, np.float64))
        values = np.concatenate(ys) if ys else np.zeros(0)
        values = values[np.isfinite(values)]
        if not values.size:
            return
        low, high = float(values.min()), float(values.max())
        span = max(high - low, 1e-6 * max(1.0, abs(high)))
        plot_h = max(1.0, self.getPlotItem().vb.height())
        legend_h = self.legend.boundingRect().height() + 2 * abs(self._legend_y) + 8
        room = min(0.6, legend_h / plot_h)
        top = high + span * room / (1.0 - room)
        self.setYRange(low - 0.02 * span, top, padding=0)

    def legend_rect_in_view(self) -> QRectF:
        """Where the legend is, in data coordinates (to check it covers no curve)."""
        vb = self.getPlotItem().vb
        return vb.mapSceneToView(self.legend.sceneBoundingRect()).boundingRect()

    def _fit_title(self) -> None:
        """A plot too short for its title and four rows of tick labels gives the title's row
        to the curve. At 201% on a 720-px projector the KL plot kept one number on its axis
        and half its legend; its legend and axis still say what it shows ("training KL",
        "nats"). Decided on the height the view would have without the title, so showing
        or hiding it never undoes itself."""
        item = self.getPlotItem()
        title = item.titleLabel
        row = round(TITLE_ROW_PX * zoom_of(item))
        shown = title.isVisible()
        untitled = item.vb.height() + (item.layout.rowMinimumHeight(0) if shown else 0)
        tick = QFontMetrics(item.getAxis("left").style["tickFont"]).height()
        keep = untitled - row >= 4 * tick
        if keep and not shown:
            set_title(item, self._title, BASE_POINT_SIZE + 2)
        elif shown and not keep:
            item.setTitle(None)

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
                self.legend.addItem(self.train[key], training_name(label))
                self.legend.addItem(self.val[key], validation_name(label))


def unbroken(text: str) -> str:
    """``text`` with no-break spaces, so a word-wrapped label keeps it on one line."""
    return text.replace(" ", "\u00a0")


def device_text() -> str:
    """Where training runs, short, for the speed line: "2 CPU cores" or "GPU: <name>";
    "" while TensorFlow is not loaded (it is never imported here, on the GUI thread, for
    this). Asked once: the devices do not change while the app runs."""
    if not _DEVICE:
        if "tensorflow" not in sys.modules:
            return ""
        from models.training.device import cpu_cores, gpu_names

        gpus, cores = gpu_names(), cpu_cores()
        if len(gpus) == 1:
            text = arg(QCoreApplication.translate("LossCurves", "GPU: %1"), gpus[0])
        elif gpus:
            text = arg(QCoreApplication.translate("LossCurves", "%1 GPUs"), len(gpus))
        elif cores == 1:
            text = QCoreApplication.translate("LossCurves", "1 CPU core")
        else:
            text = arg(QCoreApplication.translate("LossCurves", "%1 CPU cores"), cores)
        _DEVICE.append(text)
    return _DEVICE[0]


_DEVICE: list[str] = []


class LossCurves(QWidget):
    """Both plots, the two progress bars and the speed line, for one run at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        right = QVBoxLayout(self)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(8)
        self.loss_plot = LossPlot(self.tr("Loss"), ("loss", "reconstruction"), self)
        # KL usually grows: its legend goes top left, and the plot keeps room above the curve.
        self.kl_plot = LossPlot(
            self.tr("KL divergence"), ("kl",), self, legend_offset=(10, 10), title_gives_way=True
        )
        self.kl_plot.setXLink(self.loss_plot)
        right.addWidget(self.loss_plot, 4)
        right.addWidget(self.kl_plot, 3)  # enough height for its tick labels when zoomed
        self.epoch_bar = FitBar(self)
        self.epoch_bar.setRange(0, 1000)
        self.run_bar = QProgressBar(self)
        self.run_bar.setRange(0, 1000)
        for bar in (self.epoch_bar, self.run_bar):
            bar.setTextVisible(True)
            bar.setMinimumHeight(28)
            bar.setMinimumWidth(80)  # narrower than its text's width at 200% zoom
        # One row for both bars: the plots keep that height at the presenter's zoom.
        bars = QHBoxLayout()
        for text, bar in ((self.tr("This epoch"), self.epoch_bar),
                          (self.tr("Whole run"), self.run_bar)):  # fmt: skip
            bars.addWidget(QLabel(text, self))
            bars.addWidget(bar, 3 if bar is self.epoch_bar else 1)  # the longer text
        right.addLayout(bars)
        self.speed_label = QLabel("", self)
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.speed_label.setWordWrap(True)  # zoomed, the device and the time left wrap
        right.addWidget(self.speed_label)
        self._batch_x: list[float] = []
        self._batch_y: dict[str, list[float]] = {k: [] for k, _ in CURVES}
        self._epochs: list[float] = []
        self._epoch_losses: dict[str, list[float]] = {}
        self._last_rate = 0.0
        self._pace: list[tuple[float, int]] = []
        """(time, batches done) of the messages since the pace last changed."""
        self.reset("vae", 1)

    @property
    def plots(self) -> tuple[LossPlot, LossPlot]:
        return self.loss_plot, self.kl_plot

    def reset(self, kind: str, epochs: int) -> None:
        """Empty curves and fresh axes, titled for ``kind`` (no KL term: one curve, no KL
        plot). The axes forget the last run's range: an empty plot keeps its old range."""
        spec = get_kind(kind)
        variational = "kl" in spec.loss_terms
        self._batch_x.clear()
        for ys in self._batch_y.values():
            ys.clear()
        self._epochs, self._epoch_losses = [], {}
        self._pace.clear()
        for plot in self.plots:
            for key in plot.keys:
                plot.train[key].setData([], [])
                plot.val[key].setData([], [])
            plot.enableAutoRange(x=False, y=False)
            plot.setXRange(0, epochs, padding=0.02)
            plot.setYRange(0, 1, padding=0.02)
        self.loss_plot.set_visible_keys(tuple(k for k in spec.loss_terms if k != "kl"))
        set_title(
            self.loss_plot,
            self.tr("Loss per image (total = reconstruction + β·KL)")
            if variational
            else self.tr("Reconstruction loss (binary cross-entropy per pixel)"),
            BASE_POINT_SIZE + 2,
        )
        unit = self.tr("nats") if variational else self.tr("BCE per pixel")
        set_axis_label(self.loss_plot, "left", unit, BASE_POINT_SIZE)
        set_axis_label(self.kl_plot, "left", self.tr("nats"), BASE_POINT_SIZE)
        self.kl_plot.setVisible(variational)
        # Over the KL plot, whose epochs it shares (linked axes), the loss plot leaves the
        # epoch axis to it: at 201% on a 720-px projector its own took the room of the loss
        # axis's numbers (none showed) and of the legend's last line.
        self.loss_plot.getPlotItem().showAxis("bottom", not variational)
        self.epoch_bar.setValue(0)
        self.run_bar.setValue(0)
        self.epoch_bar.setFormat(self.tr("Epoch –"))
        self.run_bar.setFormat(self.tr("Run –"))
        self.speed_label.setText("")

    def set_epochs(self, epochs: int) -> None:
        """The whole run's time axis: the class sees how far it has to go."""
        for plot in self.plots:
            plot.setXRange(0, max(1, epochs), padding=0.02)

    # -- the run's epochs (from its timeline) -----------------------------------------------------
    def show_epochs(self, epochs: Sequence[float], losses: Mapping[str, Sequence[float]]) -> None:
        """Every finished epoch of the run: ``losses`` by ``train_KEY``/``val_KEY``, as a
        :class:`~models.inference.timeline.Timeline` keeps them."""
        self._epochs = [float(e) for e in epochs]
        self._epoch_losses = {k: [float(v) for v in vs] for k, vs in losses.items()}
        self._redraw()

    def _redraw(self) -> None:
        epochs = np.asarray(self._epochs, np.float64)
        first_batch = self._batch_x[0] if self._batch_x else np.inf
        # Epochs before this run's first batch (a continued or reopened run) show their
        # training means; the batches of this run show themselves.
        before = epochs[epochs <= first_batch + 1e-9] if epochs.size else epochs
        for plot in self.plots:
            for key in plot.keys:
                val = self._epoch_losses.get(f"val_{key}")
                if val is not None and plot.val[key].isVisible():
                    plot.val[key].setData(epochs, np.asarray(val, np.float64))
                else:
                    plot.val[key].setData([], [])
                train = self._epoch_losses.get(f"train_{key}", [])
                old = np.asarray(train[: len(before)], np.float64)
                xs = np.concatenate([before[: len(old)], np.asarray(self._batch_x)])
                ys = np.concatenate([old, np.asarray(self._batch_y[key], np.float64)])
                if not plot.train[key].isVisible() or not np.isfinite(ys).any():
                    plot.train[key].setData([], [])  # a loss this model does not report
                else:
                    plot.train[key].setData(xs, ys)
            if len(self._epochs) or self._batch_x:
                plot.fit_y()

    # -- live batches ----------------------------------------------------------------------------
    def show_batch(self, progress: BatchProgress, now: float, delay_s: float) -> None:
        """A batch message: the curve, the bars and the speed line. The time left counts
        the chosen pace (``delay_s`` between batches), measured since the pace changed."""
        self._batch_x.append(progress.epoch + progress.batch / max(1, progress.batches))
        for key, _ in CURVES:
            self._batch_y[key].append(progress.losses.get(key, np.nan))
        self._redraw()
        self.epoch_bar.setValue(round(1000 * progress.batch / max(1, progress.batches)))
        numbers = (progress.epoch + 1, progress.epochs, progress.batch, progress.batches)
        self.epoch_bar.set_texts(
            arg(self.tr("Epoch %1 of %2 — batch %3 of %4"), *numbers),
            arg(self.tr("%1/%2 · batch %3/%4"), *numbers),
            arg(self.tr("%1/%2 · %3/%4"), *numbers),
            arg(self.tr("%1/%2", "batches done of the epoch's"), *numbers[2:]),
        )
        self.run_bar.setValue(round(1000 * progress.run_fraction))
        self.run_bar.setFormat(QLocale().toString(round(100 * progress.run_fraction)) + "%")
        self._last_rate = progress.samples_per_s
        left = self.seconds_left(progress, now, delay_s)
        device = device_text()
        rate = format_rate(progress.samples_per_s)
        speed = arg(self.tr("%1 on %2"), rate, device) if device else rate
        time_left = arg(self.tr("%1 left"), format_duration(left))
        # Zoomed, the line wraps between its two parts, never inside one ("2 / min left").
        self.speed_label.setText(f"{unbroken(speed)}   ·   {unbroken(time_left)}")

    def pace_changed(self) -> None:
        """The pace changed: measure the time per batch afresh."""
        self._pace.clear()

    def seconds_left(self, progress: BatchProgress, now: float, delay_s: float) -> float:
        """The run's time left at the current pace: the batches left times the time a
        batch takes now (measured over the messages since the pace changed), and never
        less than the pauses alone; the engine's estimate until two messages are in."""
        done = progress.epoch * progress.batches + progress.batch
        left_batches = max(0, progress.epochs * progress.batches - done)
        self._pace.append((now, done))
        self._pace = self._pace[-50:]
        (t0, b0), (t1, b1) = self._pace[0], self._pace[-1]
        if b1 > b0 and t1 - t0 >= PACE_WINDOW_S:
            per_batch = (t1 - t0) / (b1 - b0)
            estimate = left_batches * per_batch
        else:
            estimate = progress.seconds_left
        return max(estimate, left_batches * delay_s)

    def end_run(self) -> None:
        """The speed line keeps only the average rate."""
        rate = self._last_rate
        self.speed_label.setText(
            arg(self.tr("%1 on average"), format_rate(rate)) if rate > 0 else ""
        )

    # -- reading back (tests, the replay) ----------------------------------------------------------
    def curve_data(self, which: str, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) the plot shows for ``which`` in {"train", "val"} and a loss key."""
        plot = self.kl_plot if key == "kl" else self.loss_plot
        item = (plot.train if which == "train" else plot.val)[key]
        x, y = item.getData()
        if x is None or y is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(x), np.asarray(y)

    def set_marker(self, epoch: float | None) -> None:
        for plot in self.plots:
            plot.set_marker(epoch)

    def marker(self) -> float | None:
        marker = self.loss_plot.marker
        return float(marker.value()) if marker.isVisible() else None


__all__ = ["CURVES", "LossCurves", "LossPlot"]
