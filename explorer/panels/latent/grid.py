"""The map's decoded grid: where it lies, how it is decoded (the decode service), and
"Fit to data". A mixin of :class:`explorer.panels.latent.panel.LatentMapPanel`."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF

from explorer.latent_view import LatentView
from explorer.widgets.imaging import paper


class MapGrid:
    """The grid image and its framing; expects the panel's view, items and service."""

    view: LatentView
    view_box: Any
    grid_item: Any
    decodes: Any
    _codec: Any
    _replay: int | None
    _val_z: np.ndarray | None
    _batch: Any
    last_grid_ms: float

    def fit_to_data(self) -> None:
        """ "Fit to data": centre the grid on the points' bulk, size it to hold them, and
        show all of it (the marker comes along if it is left outside)."""
        z = self._val_z
        if z is None or not len(z):
            return
        with self._batch():
            self.view.fit(z)
        if self._codec is None:
            return
        self._update_grid()
        self.reset_view()
        if self.outside_view(*self.view.marker):
            self.decode_at(*self.view.center)  # type: ignore[attr-defined]

    def _on_fit_clicked(self) -> None:
        self.fit_to_data()

    def outside_share(self) -> float:
        """The share of the validation points (shown dimensions) that lie off the grid."""
        z = self._val_z
        if z is None or not len(z) or z.shape[1] < 2:
            return 0.0
        dx, dy = self.dims()  # type: ignore[attr-defined]
        r = self.grid_extent()
        x, y = z[:, dx], z[:, dy]
        inside = (x >= r.left()) & (x <= r.right()) & (y >= r.top()) & (y <= r.bottom())
        return float(1.0 - inside.mean())

    def outside_view(self, x: float, y: float) -> bool:
        r = self.grid_extent()
        return not (r.left() <= x <= r.right() and r.top() <= y <= r.bottom())

    def grid_extent(self) -> QRectF:
        """Where the grid image lies, in latent coordinates (each tile centred on its z)."""
        n, e = self.view.resolution, self.view.range
        cx, cy = self.view.center
        step = 2 * e / (n - 1)
        return QRectF(cx - e - step / 2, cy - e - step / 2, n * step, n * step)

    def reset_view(self) -> None:
        """Frame the grid, with room for the points on its edge (they were cut in half)."""
        self.view_box.setRange(rect=self.grid_extent(), padding=0.04)

    def _update_grid(self) -> None:
        codec = self._codec
        if codec is None:
            return
        t0 = time.perf_counter()
        view = self.view
        rect = self.grid_extent()
        args = (
            view.resolution,
            view.range,
            self.dims(),  # type: ignore[attr-defined]
            self.base_vector(),  # type: ignore[attr-defined]
            self.label_vector(),  # type: ignore[attr-defined]
            view.center,
        )
        if self.decodes.decode_grid(
            "grid", codec, *args, deliver=lambda m: self._show_grid(codec, m, rect)
        ):
            self.last_grid_ms = (time.perf_counter() - t0) * 1000.0

    def _show_grid(self, codec: Any, mosaic: np.ndarray, rect: QRectF) -> None:
        if codec is not self._codec or self._replay is not None:
            return  # an answer for another model, or the replay shows its own grid
        # decode_grid puts the highest z at the top row; the plot's y axis points up and
        # draws image row 0 at the bottom, hence the flip.
        self.grid_item.setImage(paper(mosaic[::-1]), levels=(0, 255), autoLevels=False)
        self.grid_item.setRect(rect)


__all__ = ["MapGrid"]
