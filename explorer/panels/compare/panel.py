"""The "Compare" tab: two to four latent maps side by side, and why a VAE.

The lesson: a plain 2-D autoencoder's latent plane has holes (its prior samples are
mostly not digits), the VAE at β = 1 fills the disc around the origin, a small β leaves
clumps, a large β collapses the digits together. Each map is the latent map's own
pieces (its view box, passive scatter and marker, the decoded grid as one image), so a
click in one map decodes the same coordinates in every map. Under each map: the image at
the shared marker, a grid of decoded prior samples z ~ N(0, I) (the same z for every
map), and the model's honest metrics, measured in a background task.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qthrottled

from explorer.compare_models import (
    PRIOR_SAMPLES,
    CompareEntry,
    comparison_configs,
    compute_metrics,
    encode_entry_points,
    read_run,
    shipped_entries,
)
from explorer.i18n import arg
from explorer.panels.compare.map import GRID_N, CompareMap, shown_title
from explorer.widgets.categories import legend_html
from explorer.widgets.flow_layout import FlowLabel, flow_row
from explorer.widgets.imaging import font, save_widget_png
from explorer.widgets.zoom import scale_widgets
from explorer.workers import TaskPool
from models.data.dataset import Dataset
from models.errors import ExplorerError
from models.paths import session_folder

log = logging.getLogger(__name__)

MAX_MAPS = 4
PICK_THROTTLE_MS = 16
TOOLBAR_PT, TOOLBAR_MAX_ZOOM = 12, 1.5


class ComparePanel(QWidget):
    """Up to four maps, one shared marker; the shipped comparison at first, any run later."""

    def __init__(
        self, parent: QWidget | None = None, *, load_shipped: bool = True, controller: Any = None
    ) -> None:
        super().__init__(parent)
        self.seed = 0
        self._scale = 1.0
        self._point = (0.0, 0.0)
        self._tasks = TaskPool(self, self._on_task_done, self._on_task_failed)
        self._measured = False
        self.trainer: Any = None
        self.controller: Any = controller
        """The window's controller: no comparison trains while the Training tab does."""
        self.errors: list[str] = []

        self.maps_spin = QSpinBox()
        self.maps_spin.setRange(2, MAX_MAPS)
        self.maps_spin.setValue(MAX_MAPS)
        self.maps_spin.setPrefix(self.tr("maps: "))
        self.maps_spin.valueChanged.connect(self._show_maps)
        self.range_spin = QDoubleSpinBox()
        self.range_spin.setRange(0.5, 10.0)
        self.range_spin.setSingleStep(0.5)
        self.range_spin.setValue(3.0)
        self.range_spin.setPrefix(self.tr("range ± "))
        self.range_spin.setToolTip(
            self.tr("Every map shows [-range, range]²: the same coordinates")
        )
        self.range_spin.valueChanged.connect(self.redraw_grids)
        self.grid_check = QCheckBox(self.tr("decoded grid"))
        self.grid_check.setChecked(True)
        self.points_check = QCheckBox(self.tr("validation points"))
        self.points_check.setChecked(True)
        for check in (self.grid_check, self.points_check):
            check.toggled.connect(self._on_layers)
        self.resample_button = QPushButton(self.tr("New prior samples"))
        self.resample_button.setToolTip(
            self.tr("Decode other z ~ N(0, I), the same ones in every map")
        )
        self.resample_button.clicked.connect(self.resample)
        self.train_button = QPushButton(self.tr("Train this comparison"))
        self.train_button.setToolTip(
            self.tr(
                "Train the plain 2-D autoencoder and the VAE at β = 0.1, 1 and 4 on the same "
                "digits with the same seed, one after another"
            )
        )
        self.train_button.clicked.connect(lambda: self.train_comparison())
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_training)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setVisible(False)
        self.status_label = QLabel(self.tr("Click any map: every map decodes the same point."))
        self.status_label.setWordWrap(True)
        # Wraps onto a second row when narrow (presenter zoom on a 1280×720 projector).
        # The legend too: the status line then has the window's width (one line, not two).
        self.legend_label = FlowLabel("")
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.legend_label.setWordWrap(True)
        self.toolbar = flow_row(self.maps_spin, self.range_spin, self.grid_check,
                                self.points_check, self.resample_button, self.train_button,
                                self.stop_button, self.progress_bar,
                                self.legend_label)  # fmt: skip

        # The maps are built, and the shipped comparison read, when first needed (the tab
        # shown, or a model put in): four plots cost the window's start about a second.
        self._maps: list[CompareMap] = []
        self._row = QHBoxLayout()
        self._row.setSpacing(6)
        self._load_shipped = load_shipped
        self._pick_later = qthrottled(self.pick, timeout=PICK_THROTTLE_MS)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.status_label)
        layout.addLayout(self._row, 1)
        for w in (self.maps_spin, self.range_spin, self.grid_check, self.points_check,
                  self.resample_button, self.train_button, self.stop_button,
                  self.status_label, self.legend_label):  # fmt: skip
            w.setFont(font(TOOLBAR_PT))

    @property
    def maps(self) -> list[CompareMap]:
        """The maps (built on first use; the shipped comparison is then put in them)."""
        if not self._maps:
            self._maps = [CompareMap(i) for i in range(MAX_MAPS)]
            for m in self._maps:
                if self._scale != 1.0:  # built after a zoom: bring them to it
                    scale_widgets(m, self._scale)
                    m.set_scale(self._scale)
                self._row.addWidget(m, 1)
                m.view_box.sigPicked.connect(self._pick_later_from_map)
                m.metrics_label.changed.connect(self._align_metrics)
                m.load_button.clicked.connect(self._on_load_clicked)
            self._show_maps()
            if self._load_shipped:
                self._load_shipped = False
                self.status_label.setText(self.tr("Reading the shipped comparison…"))
                self._tasks.run(("shipped", 0, 0), self._read_shipped)
        return self._maps

    def _read_shipped(self) -> list[CompareEntry]:
        """The shipped comparison read, and its first images decoded (worker thread)."""
        entries = shipped_entries()[:MAX_MAPS]
        for entry in entries:
            if entry.ready:
                entry.grid(GRID_N, float(self.range_spin.value()))
                entry.prior(PRIOR_SAMPLES, self.seed)
        return entries

    def set_scale(self, factor: float) -> None:
        """Presenter zoom (the fonts are scaled by the presenter; maps built later follow).

        The toolbar's controls stop growing at 150%: they are the teacher's, the maps and
        the legend are the class's, and a third toolbar row would take the maps' room on a
        1280×720 projector."""
        self._scale = factor
        for w in (self.maps_spin, self.range_spin, self.grid_check, self.points_check,
                  self.resample_button, self.train_button, self.stop_button):  # fmt: skip
            capped = QFont(w.font())
            capped.setPointSizeF(TOOLBAR_PT * min(factor, TOOLBAR_MAX_ZOOM))
            for part in (w, *w.findChildren(QWidget)):  # a spin box's line edit too
                part.setFont(capped)
        for m in self._maps:
            m.set_scale(factor)
        self._align_metrics()

    def _align_metrics(self) -> None:
        """The same metrics height under every map (so the maps line up), as many lines as
        the longest needs: while measuring that is one, and the maps get the room."""
        lines = max((m.metrics_lines() for m in self._maps), default=1)
        for m in self._maps:
            m.fit_metrics(lines)

    @property
    def built(self) -> bool:
        return bool(self._maps)

    # -- models --------------------------------------------------------------------------------
    def entries(self) -> list[CompareEntry | None]:
        return [m.entry for m in self.maps]

    def show_shipped(self, entries: list[CompareEntry] | None = None) -> list[str]:
        """The shipped comparison in the maps; returns what is missing (said in each map)."""
        missing = []
        entries = shipped_entries()[:MAX_MAPS] if entries is None else entries
        self.status_label.setText(self.tr("Click any map: every map decodes the same point."))
        for i, entry in enumerate(entries):
            self.set_entry(i, entry)
            if not entry.ready:
                missing.append(entry.missing)
        if missing:
            count = len(missing)
            text = self.tr(
                "%n of the %1 shipped comparison models missing: press "
                "“Train this comparison” to make them, or load runs.",
                "",
                count,
            )
            self.status_label.setText(arg(text, len(entries)))
        return missing

    def set_entry(self, index: int, entry: CompareEntry | None) -> None:
        """Show ``entry`` in map ``index`` (its points are encoded and its metrics measured
        in the background when it brings none)."""
        m = self.maps[index]
        m.set_entry(entry, self.range_spin.value(), self.seed)
        m.show_layers(self.grid_check.isChecked(), self.points_check.isChecked())
        if entry is None or not entry.ready:
            return
        m.show_point(*self._point)
        self._update_legend()
        if entry.points is None and entry.config is not None:
            self._tasks.run(("points", index, id(entry)), lambda: encode_entry_points(entry))
        if self._measured and entry.metrics is None:
            self.measure(index)

    def load_run(self, index: int, path: str | Path) -> CompareEntry | None:
        """Show the model folder ``path`` in map ``index``; one line in the status if not."""
        try:
            entry = read_run(path)
        except (ExplorerError, OSError, ValueError) as exc:
            self.report(str(exc))
            return None
        self.set_entry(index, entry)
        self.status_label.setText(
            arg(self.tr("Map %1: %2 from %3"), index + 1, shown_title(entry.title), entry.path)
        )
        return entry

    def report(self, message: str) -> None:
        self.errors.append(message)
        self.status_label.setText(message)
        log.warning("%s", message)

    def _on_load_clicked(self) -> None:
        sender = self.sender()
        index = next((i for i, m in enumerate(self.maps) if m.load_button is sender), 0)
        from models.paths import sessions_dir

        directory = QFileDialog.getExistingDirectory(
            self, arg(self.tr("Load a run into map %1"), index + 1), str(sessions_dir())
        )
        if directory:
            self.load_run(index, directory)

    # -- metrics and points (background) -------------------------------------------------------
    def measure(self, index: int | None = None) -> None:
        """Measure the honest metrics of one map (or all) in background tasks."""
        self._measured = True
        indices = range(MAX_MAPS) if index is None else [index]
        for i in indices:
            entry = self.maps[i].entry
            if entry is None or not entry.ready or entry.metrics is not None:
                continue
            self.maps[i].show_metrics(busy=True)
            self._tasks.run(("metrics", i, id(entry)), partial(compute_metrics, entry))

    @property
    def busy(self) -> bool:
        return self._tasks.busy

    def _current(self, tag: tuple[Any, ...]) -> CompareMap | None:
        if tag[0] == "shipped":
            return None
        m = self.maps[tag[1]]
        return m if m.entry is not None and id(m.entry) == tag[2] else None

    def _on_task_done(self, tag: tuple[Any, ...], result: Any) -> None:
        if tag[0] == "shipped":
            if all(m.entry is None for m in self.maps):  # nothing put in meanwhile
                self.show_shipped(result)
            return
        m = self._current(tag)
        if m is None or m.entry is None:
            return  # the map shows another model since
        if tag[0] == "points":
            m.set_points(result)
            self._update_legend()
        else:
            m.entry.metrics = result
            m.show_metrics()

    def _on_task_failed(self, tag: tuple[Any, ...], message: str) -> None:
        m = self._current(tag)
        if m is None:
            return
        if tag[0] == "metrics":
            m.metrics_label.setText(arg(self.tr("<i>metrics unavailable: %1</i>"), message))
        self.report(arg(self.tr("Map %1: %2"), tag[1] + 1, message))

    # -- the shared marker ---------------------------------------------------------------------
    def _pick_later_from_map(self, x: float, y: float) -> None:
        self._pick_later(x, y)

    def pick(self, x: float, y: float) -> list[np.ndarray | None]:
        """Decode (x, y) in every map (the shared marker); the images shown."""
        self._point = (float(x), float(y))
        return [m.show_point(x, y) for m in self.maps]

    def point(self) -> tuple[float, float]:
        return self._point

    def flush(self) -> None:
        self._pick_later.flush()

    # -- view settings -------------------------------------------------------------------------
    def redraw_grids(self) -> None:
        for m in self.maps:
            m.draw_grid(self.range_spin.value())

    def resample(self) -> None:
        self.seed += 1
        for m in self.maps:
            m.show_prior(self.seed)

    def _on_layers(self) -> None:
        for m in self.maps:
            m.show_layers(self.grid_check.isChecked(), self.points_check.isChecked())

    def _show_maps(self) -> None:
        for i, m in enumerate(self.maps):
            m.setVisible(i < self.maps_spin.value())

    def _update_legend(self) -> None:
        for m in self.maps:
            if m.entry is not None and m.entry.ready and m.entry.names:
                self.legend_label.setText(legend_html(m.entry.names, 11))
                return

    # -- reproducing the comparison ------------------------------------------------------------
    def attach(self, controller: Any) -> None:
        """The window's controller: no comparison trains while the Training tab does."""
        self.controller = controller

    def train_comparison(
        self, epochs: int | None = None, data: Dataset | None = None, **overrides: Any
    ) -> bool:
        """Train the shipped comparison again, one model after another, into the maps.

        ``epochs``, ``data`` and ``overrides`` (TrainConfig fields) are for tests and quick
        demonstrations; by default the shipped recipe. False if it could not start.
        """
        from explorer.compare_trainer import ComparisonTrainer

        if self.trainer is not None and self.trainer.running:
            return False
        if self.controller is not None and self.controller.is_running:
            self.report(self.tr("The Training tab is training; stop that run first."))
            return False
        kwargs: dict[str, Any] = dict(overrides)
        if epochs is not None:
            kwargs["epochs"] = epochs
        try:
            runs = comparison_configs(**kwargs)
        except (ValueError, ExplorerError) as exc:
            self.report(str(exc))
            return False
        out_dir = session_folder("compare")
        self.trainer = ComparisonTrainer(runs, data=data, out_dir=out_dir, parent=self)
        self.trainer.progress.connect(self._on_train_progress)
        self.trainer.model_done.connect(self._on_model_trained)
        self.trainer.finished.connect(self._on_train_finished)
        self.train_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.progress_bar.setValue(0)
        self.progress_bar.setVisible(True)
        if self.controller is not None:
            self.controller.other_run = self.tr("The Compare tab is training its models")
        self.trainer.start()
        return True

    def stop_training(self) -> None:
        if self.trainer is not None:
            self.trainer.stop()

    def _on_train_progress(self, text: str, fraction: float) -> None:
        self.status_label.setText(text)
        self.progress_bar.setValue(round(1000 * fraction))

    def _on_model_trained(self, name: str, entry: CompareEntry) -> None:
        from explorer.compare_models import compare_models

        names = [n for n, _ in compare_models()]
        index = names.index(name) if name in names else 0
        self.set_entry(min(index, MAX_MAPS - 1), entry)

    def _on_train_finished(self, error: str) -> None:
        if self.controller is not None:
            self.controller.other_run = None
        self.train_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if error:
            self.report(arg(self.tr("The comparison stopped: %1"), error))
        else:
            where = self.trainer.out_dir if self.trainer is not None else None
            self.status_label.setText(arg(self.tr("Trained the comparison; saved in %1."), where))

    # -- the window ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.maps  # noqa: B018  (builds them, with the shipped comparison, on first show)
        if not self._measured:
            self.measure()  # TensorFlow work, so only once someone looks at the tab

    def export_png(self, path: str | Path) -> Path:
        self.flush()
        return save_widget_png(self, path)


__all__ = ["CompareMap", "ComparePanel"]
