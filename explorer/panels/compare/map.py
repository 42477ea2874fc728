"""One map of the Compare tab: a latent map of one model (its decoded grid, its points,
the shared marker), the image at the marker, its prior samples and its metrics.

The maps are the latent map's own pieces (view box, passive scatter, marker), so a click in
one map decodes the same coordinates in every map.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.compare_models import (
    PRIOR_SAMPLES,
    CompareEntry,
    decode_point,
    format_metrics,
)
from explorer.i18n import arg, kind_label
from explorer.panels.latent_map import _PassiveScatter, add_marker, latent_plot
from explorer.presenter import ZOOM_MAX
from explorer.session import Points
from explorer.widgets.categories import class_color, class_symbol
from explorer.widgets.fit_label import FitLabel
from explorer.widgets.imaging import ImageGrid, empty_message, font, paper

log = logging.getLogger(__name__)

GRID_N = 12
"""Decoded images across each map's grid."""
MAX_POINTS = 1500
"""Points per map: enough to see the shape, few enough for four maps at once."""
METRICS_PT, METRICS_MAX_ZOOM = 10, ZOOM_MAX
"""The metrics follow the zoom all the way (capped at 115%, they barely grew at 152%): the
page scrolls if they need more room than the screen has."""

EMPTY_MESSAGE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "CompareMap", "No model here yet.\n\nLoad a run, or press “Train this comparison”."
)


def shown_title(title: str) -> str:
    """A comparison model's title ("Autoencoder", "VAE β=0.1") in the window's language."""
    match = re.fullmatch(r"(\w+) β=(.+)", title)
    if match is None:
        return QCoreApplication.translate("CompareMap", title)
    text = QCoreApplication.translate("CompareMap", "%1 β=%2")
    return arg(text, kind_label(match.group(1)), match.group(2))


TITLE_WORDS = (QT_TRANSLATE_NOOP("CompareMap", "Autoencoder"),)
"""The comparison's titles without a β (see :func:`shown_title`)."""


class _MetricsLabel(QLabel):
    """The metrics under a map; says when its text changes (the panel lines the maps up)."""

    changed = Signal()

    def setText(self, text: str) -> None:  # Qt's name
        super().setText(text)
        self.changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        """A new width wraps the lines anew: the panel gives every map their height."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.changed.emit()


class CompareMap(QWidget):
    """One map of the comparison: title, Load run…, the plane, marker image, prior, metrics."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.entry: CompareEntry | None = None
        self._z: np.ndarray | None = None
        self._labels: np.ndarray | None = None

        # Shrinks to fit (four maps side by side at the presenter's zoom on 1280 px).
        self.title_label = FitLabel("–", min_factor=0.5)
        self.title_label.setFont(font(15, bold=True))
        self.load_button = QPushButton(self.tr("Load…"))
        self.load_button.setToolTip(
            self.tr("Load a run here: a model folder (of `ae-explorer train`)")
        )
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.load_button)

        self.view_box, self.plot, self.grid_item = latent_plot(tick_pt=10, tick_offset=3)
        self.plot.setMinimumSize(150, 120)  # four maps and their images fit 720 px at 200%
        self.grid_item.setOpacity(0.7)
        # One scatter per class, each of one colour and shape: far quicker to fill than one
        # scatter styled point by point (four maps at once).
        self._point_pen = pg.mkPen(0, 0, 0, 90, width=0.5)
        self.point_items: dict[int, _PassiveScatter] = {}
        self._points_visible = True
        self.marker = add_marker(self.plot, 24)
        self.empty_label = empty_message(self.tr(EMPTY_MESSAGE))
        self.empty_label.setFont(font(13))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.plot)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        # The coordinates go in the title, the widget's width: a caption under the small
        # picture, "(+0.00, +0.00)", was elided at the zoom.
        self.point_view = ImageGrid(1, 1, title=self.tr("At the marker"), title_pt=11)
        self.prior_view = ImageGrid(4, 4, title=self.tr("Prior samples"), title_pt=11, gap=1)
        self.images_row = QWidget()
        images = QHBoxLayout(self.images_row)
        images.setContentsMargins(0, 0, 0, 0)
        images.addWidget(self.point_view, 1)  # equal: room for the coordinates in its title
        images.addWidget(self.prior_view, 1)
        self.metrics_label = _MetricsLabel("")
        self.metrics_label.setWordWrap(True)
        self.metrics_label.setTextFormat(Qt.TextFormat.RichText)
        self.metrics_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.metrics_label.setFont(font(METRICS_PT))
        self.set_scale(1.0)
        self.metrics_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.stack, 5)
        layout.addWidget(self.images_row, 2)
        layout.addWidget(self.metrics_label)

    def set_scale(self, factor: float) -> None:
        """Presenter zoom (fonts already scaled): the metrics grow with it (the page scrolls
        when they need more room than a 720-px projector has); the images under the map
        keep room for their pictures below title and caption."""
        metrics = QFont(self.metrics_label.font())
        metrics.setPointSizeF(METRICS_PT * min(factor, METRICS_MAX_ZOOM))
        self.metrics_label.setFont(metrics)
        self.fit_metrics(self.metrics_lines())
        for view in (self.point_view, self.prior_view):
            view.setMinimumSize(90, max(90, view.chrome_height() + 36))

    def metrics_lines(self) -> int:
        """The lines the metrics now shown take at the label's width, wrapped ones included
        (one while measuring or empty)."""
        label = self.metrics_label
        text = label.text()
        if not text:
            return 1
        lines = text.count("<br>") + 1
        width = label.contentsRect().width()
        if width > 0:  # not the label's heightForWidth: that counts its fixed height too
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(label.font())
            doc.setHtml(text)
            whole = doc.size().height()  # no width: one line per <br>
            doc.setTextWidth(width)
            lines = max(lines, round(lines * doc.size().height() / max(whole, 1.0)))
        return lines

    def fit_metrics(self, lines: int) -> None:
        """Room for ``lines`` lines of metrics (and a little for one that wraps)."""
        spacing = self.metrics_label.fontMetrics().lineSpacing()
        self.metrics_label.setFixedHeight(int(spacing * (lines + 0.4)))

    # -- content -------------------------------------------------------------------------------
    def set_entry(self, entry: CompareEntry | None, extent: float, seed: int) -> None:
        self.entry = entry
        self.title_label.setText(shown_title(entry.title) if entry is not None else "–")
        self.title_label.setToolTip(str(entry.path) if entry and entry.path else "")
        if entry is None or not entry.ready:
            self.empty_label.setText(
                entry.missing if entry and entry.missing else self.tr(EMPTY_MESSAGE)
            )
            self.stack.setCurrentIndex(0)
            self.point_view.clear()
            self.point_view.set_title(self.tr("At the marker"))
            self.prior_view.clear()
            self.metrics_label.setText("")
            self.images_row.setVisible(False)
            return
        self.stack.setCurrentIndex(1)
        self.images_row.setVisible(True)
        self.set_points(entry.points)
        self.draw_grid(extent)
        self.show_prior(seed)
        self.show_metrics()

    def set_points(self, points: Points | None) -> None:
        if self.entry is not None:
            self.entry.points = points
        if points is None:
            self._z = self._labels = None
            for item in self.point_items.values():
                item.setData(x=np.zeros(0), y=np.zeros(0))
            return
        z, labels = np.asarray(points.z, np.float32), points.labels
        if len(z) > MAX_POINTS:
            keep = np.random.default_rng(0).choice(len(z), MAX_POINTS, replace=False)
            z, labels = z[keep], None if labels is None else labels[keep]
        self._z, self._labels = z, labels
        lab = np.zeros(len(z), np.int64) if labels is None else np.asarray(labels, np.int64)
        classes = set(np.unique(lab).tolist())
        for c in sorted(classes - set(self.point_items)):
            item = _PassiveScatter(size=5, symbol=class_symbol(c), pen=self._point_pen,
                                   brush=pg.mkBrush(class_color(c)))  # fmt: skip
            self.plot.addItem(item)
            self.point_items[c] = item
        for c, item in self.point_items.items():
            mask = lab == c
            item.setData(x=z[mask, 0], y=z[mask, 1])
            item.setVisible(self._points_visible and c in classes)

    def points_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The scattered points (x, y), class by class."""
        xs, ys = [], []
        for item in self.point_items.values():
            x, y = item.getData()
            xs.append(np.asarray(x))
            ys.append(np.asarray(y))
        if not xs:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(xs), np.concatenate(ys)

    def draw_grid(self, extent: float) -> None:
        entry = self.entry
        if entry is None or not entry.ready:
            return
        mosaic = entry.grid(GRID_N, extent)
        self.grid_item.setImage(paper(mosaic[::-1]), levels=(0, 255), autoLevels=False)
        step = 2 * extent / (GRID_N - 1)
        rect = QRectF(-extent - step / 2, -extent - step / 2, GRID_N * step, GRID_N * step)
        self.grid_item.setRect(rect)
        self.view_box.setRange(rect=rect, padding=0.02)

    def show_prior(self, seed: int) -> None:
        if self.entry is not None and self.entry.ready:
            self.prior_view.set_images(self.entry.prior(PRIOR_SAMPLES, seed))

    def show_point(self, x: float, y: float) -> np.ndarray | None:
        if self.entry is None or not self.entry.ready:
            return None
        image = decode_point(self.entry.codec, x, y)
        self.point_view.set_images([image])
        where = f"({x:+.2f}, {y:+.2f})"
        self.point_view.set_title(arg(self.tr("At %1"), where))
        self.marker.setData([x], [y])
        return image

    def show_metrics(self, busy: bool = False) -> None:
        entry = self.entry
        if entry is None or not entry.ready:
            self.metrics_label.setText("")
        elif entry.metrics:
            self.metrics_label.setText(format_metrics(entry.metrics))
            n = entry.metrics.get("measured_on")
            self.metrics_label.setToolTip(
                arg(
                    self.tr(
                        "Measured on %1 held-out images; prior: %2 samples z ~ N(0, I) judged "
                        "by the digit classifier (recognisable: confidence > 0.9)"
                    ),
                    QLocale().toString(int(n)),
                    QLocale().toString(1000),
                )
                if n
                else ""
            )
        else:
            self.metrics_label.setText(self.tr("<i>measuring…</i>") if busy else "")

    def show_layers(self, grid: bool, points: bool) -> None:
        self.grid_item.setVisible(grid)
        self._points_visible = points
        for item in self.point_items.values():
            item.setVisible(points)


__all__ = ["CompareMap"]
