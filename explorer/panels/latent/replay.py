"""The map's replay: a run's earlier epochs from its timeline (points and decoded grid), a
mixin of :class:`LatentMapPanel`."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF

from explorer.panels.latent.plot import AXIS_LABEL_PT
from explorer.widgets.imaging import paper
from explorer.widgets.plot_text import set_axis_label
from models.inference.timeline import Timeline


class MapReplay:
    """``set_timeline``/``show_epoch``; expects the panel's plot, items and view."""

    _replay: int | None
    _codec: Any
    timeline_bar: Any
    grid_item: Any
    view_box: Any
    plot: Any
    controls: Any

    def set_timeline(self, timeline: Timeline | None) -> None:
        """The run's timeline for the replay bar (None or empty hides the bar)."""
        usable = timeline is not None and timeline.has_map
        self.timeline_bar.set_timeline(timeline if usable else None)

    def replay_index(self) -> int | None:
        return self._replay

    def show_epoch(self, index: int | None) -> None:
        """Show the timeline's epoch ``index`` (its points and decoded grid, z[0] across and
        z[1] up), or the live map again (None)."""
        timeline = self.timeline_bar.timeline
        if index is None or timeline is None or not timeline.has_map or index >= len(timeline):
            was = self._replay
            self._replay = None
            if was is not None and self._codec is not None:
                self._set_axis_labels()  # type: ignore[attr-defined]
                self._update_grid()  # type: ignore[attr-defined]
                self._update_scatter()  # type: ignore[attr-defined]
                self.reset_view()  # type: ignore[attr-defined]
                self._render_point()  # type: ignore[attr-defined]
            return
        self._replay = index
        x0, x1, y0, y1 = timeline.bounds[index]
        n = timeline.grid_n
        if timeline.conditional:
            self.grid_item.setVisible(False)  # its grid is digit × z[0]: not this plane
        else:
            grid = timeline.grids[index].astype(np.float32) / 255.0
            self.grid_item.setImage(paper(grid[::-1]), levels=(0, 255), autoLevels=False)
            sx, sy = (x1 - x0) / max(1, n - 1), (y1 - y0) / max(1, n - 1)
            self.grid_item.setRect(QRectF(x0 - sx / 2, y0 - sy / 2, n * sx, n * sy))
            self.grid_item.setVisible(self.controls.grid_check.isChecked())
        z = np.asarray(timeline.points[index], np.float32)
        labels = timeline.labels
        ok = labels is not None and len(labels) == len(z)
        self._scatter(z, labels if ok else None, (0, 1))  # type: ignore[attr-defined]
        set_axis_label(self.plot, "bottom", "z[0]", AXIS_LABEL_PT)
        set_axis_label(self.plot, "left", "z[1]", AXIS_LABEL_PT)
        self.view_box.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.04)
        self._render_point()  # type: ignore[attr-defined]

    def replay_tile(self, x: float, y: float) -> np.ndarray:
        """The replayed epoch's decoded grid tile nearest to (x, y), blank off its grid."""
        timeline, i = self.timeline_bar.timeline, self._replay
        assert timeline is not None and i is not None
        n = timeline.grid_n
        grid = timeline.grids[i]
        h, w = grid.shape[0] // (10 if timeline.conditional else n), grid.shape[1] // n
        x0, x1, y0, y1 = timeline.bounds[i]
        col = round((x - x0) / max(1e-9, x1 - x0) * (n - 1))
        row = round((y1 - y) / max(1e-9, y1 - y0) * (n - 1))
        if timeline.conditional or not (0 <= col < n and 0 <= row < n):
            return np.zeros((h, w), np.float32)
        return grid[row * h : (row + 1) * h, col * w : (col + 1) * w].astype(np.float32) / 255.0


__all__ = ["MapReplay"]
