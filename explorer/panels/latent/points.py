"""The map's data layer: the validation points coloured by class, their legend, and the
thumbnails of the drawings at their codes (a mixin of :class:`LatentMapPanel`)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from superqt.utils import signals_blocked

from explorer.i18n import category_label
from explorer.panels.latent.plot import MAX_POINTS, PassiveScatter
from explorer.widgets.categories import CLASS_COLORS, class_color, class_symbol, digit_names
from explorer.widgets.sprites import MAX_SPRITES, SpriteLayer

log = logging.getLogger(__name__)

POINT_PEN = (0, 0, 0, 110)
"""A thin dark edge keeps yellow and sky blue visible on the grid."""


class MapPoints:
    """Points, legend and sprites; expects ``plot``, ``view_box``, ``view``, ``controls``,
    ``decodes`` and ``_codec`` on the panel."""

    plot: pg.PlotWidget
    view_box: pg.ViewBox
    view: Any
    controls: Any = None
    decodes: Any
    _codec: Any

    def _build_points(self) -> None:
        # All points in one item (one paint per frame while dragging, and no digit hidden
        # under another drawn after it); the legend gets its own sample items.
        self._val_z: np.ndarray | None = None
        self._val_labels: np.ndarray | None = None
        self._point_pen = pg.mkPen(*POINT_PEN, width=0.6)
        self._plain_brush = pg.mkBrush(class_color(0))
        self.points_item = PassiveScatter(size=7, symbol="o", pen=self._point_pen)
        self.plot.addItem(self.points_item)
        self.legend = pg.LegendItem(
            offset=(-8, 8),
            labelTextSize="13pt",
            labelTextColor="#1d1f23",
            colCount=2,
            brush=pg.mkBrush(255, 255, 255, 225),
            pen=pg.mkPen("#8a9099"),
            verSpacing=-4,
        )
        self.legend.setParentItem(self.view_box)
        self._legend_samples: list[pg.ScatterPlotItem] = []
        self._legend_corner = 0
        self.names: tuple[str, ...] = ()
        self.set_class_names(digit_names())
        self.sprites = SpriteLayer(self.plot)
        self._sprite_images: np.ndarray | None = None
        self._sprite_labels: np.ndarray | None = None
        self._sprite_pairs: tuple[np.ndarray, np.ndarray] | None = None
        """(codes, images) when the points are the codes of the slot's images (a run's)."""

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Legend entries, the "decode as" list and the points' colours by class name."""
        self.names = tuple(names)
        digits = self.names == digit_names(len(self.names))
        self.legend.clear()
        self._legend_samples = []
        for d, name in enumerate(self.names):
            sample = pg.ScatterPlotItem(
                size=9,
                symbol=class_symbol(d),
                brush=pg.mkBrush(class_color(d)),
                pen=self._point_pen,
            )
            self._legend_samples.append(sample)
            self.legend.addItem(sample, category_label(name))
        self.legend.setColumnCount(2 if len(self.names) <= 10 else 3)
        c = self.controls
        if c is None:
            return
        with signals_blocked(c.digit_combo):
            index = c.digit_combo.currentIndex()
            c.digit_combo.clear()
            c.digit_combo.addItems([category_label(name) for name in self.names])
            c.digit_combo.setCurrentIndex(min(max(index, 0), len(self.names) - 1))
        c.digit_title.setText(
            QCoreApplication.translate("MapControls", "Decode as digit")
            if digits
            else QCoreApplication.translate("MapControls", "Decode as")
        )
        c.points_check.setText(
            QCoreApplication.translate("MapControls", "validation digits")
            if digits
            else QCoreApplication.translate("MapControls", "points")
        )

    def legend_names(self) -> list[str]:
        return [label.text for _sample, label in self.legend.items]

    def points_data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The scattered validation points in the shown dimensions, and their digits."""
        x, y = self.points_item.getData()
        return np.asarray(x), np.asarray(y), self._val_labels

    def _set_points(self, val_z: np.ndarray | None, labels: np.ndarray | None, latent: int) -> None:
        z = None if val_z is None else np.asarray(val_z, dtype=np.float32)
        if z is not None and (z.ndim != 2 or z.shape[1] != latent):
            log.warning("ignoring validation points %s for latent size %d", z.shape, latent)
            z = None
        lab = None if labels is None or z is None else np.asarray(labels).reshape(-1)
        if lab is not None and len(lab) != len(z):  # type: ignore[arg-type]
            lab = None
        if z is not None and len(z) > MAX_POINTS:
            keep = np.random.default_rng(0).choice(len(z), MAX_POINTS, replace=False)
            z = z[keep]
            lab = None if lab is None else lab[keep]
        self._val_z, self._val_labels = z, lab

    def _scatter(self, z: np.ndarray, labels: np.ndarray | None, dims: tuple[int, int]) -> None:
        dx, dy = dims
        if labels is None:
            self.points_item.setData(x=z[:, dx], y=z[:, dy], brush=self._plain_brush, symbol="o")
            return
        digit = np.asarray(labels, dtype=np.int64) % len(CLASS_COLORS)
        brushes = {c: pg.mkBrush(class_color(c)) for c in np.unique(digit)}
        self.points_item.setData(
            x=z[:, dx],
            y=z[:, dy],
            brush=[brushes[d] for d in digit],
            symbol=[class_symbol(d) for d in digit],
        )

    def _update_scatter(self) -> None:
        if self._val_z is None:
            self.points_item.setData(x=np.zeros(0), y=np.zeros(0))
        else:
            self._scatter(self._val_z, self._val_labels, self.view.dims)
        self._show_layers()

    def _show_layers(self) -> None:
        c = self.controls
        show_points = c.points_check.isChecked()
        self.grid_item.setVisible(c.grid_check.isChecked())  # type: ignore[attr-defined]
        # Under the dots the grid is dimmed a little, so the colours stay readable.
        dim = show_points and self._val_z is not None
        self.grid_item.setOpacity(0.7 if dim else 1.0)  # type: ignore[attr-defined]
        self.points_item.setVisible(show_points)
        self.legend.setVisible(show_points and self._val_labels is not None)

    def _avoid_legend(self) -> None:
        """The legend moves to the other top corner when the marker goes under it."""
        if not self.legend.isVisible():
            return
        pos = self.view_box.mapViewToScene(pg.Point(*self.view.marker))
        if not self.legend.sceneBoundingRect().contains(pos):
            return
        self._legend_corner = 1 - self._legend_corner
        if self._legend_corner:
            self.legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(8, 8))
        else:
            self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-8, 8))

    def legend_corner(self) -> str:
        return "left" if self._legend_corner else "right"

    # -- thumbnails of the drawings ----------------------------------------------------------
    def _update_sprites(self) -> None:
        """Thumbnails of the slot's drawings at their codes (when the box is ticked): a
        run's validation drawings sit on their own points; other images are encoded (a
        conditional model's with each drawing's label)."""
        show = self.controls.sprites_check.isChecked()
        self.sprites.set_visible(show)
        codec, images = self._codec, self._sprite_images
        if not show or codec is None:
            return
        pairs = self._sprite_pairs
        if pairs is not None and pairs[0].ndim == 2 and pairs[0].shape[1] == codec.latent_dim:
            z, drawn = pairs
            self._show_sprites(codec, z[:MAX_SPRITES], drawn[:MAX_SPRITES])
            return
        if images is None or not len(images) or tuple(images.shape[1:]) != tuple(codec.image_shape):
            return
        images = images[:MAX_SPRITES]
        labels = None
        if codec.conditional:
            known = self._sprite_labels
            if known is None or len(known) < len(images):
                return  # a CVAE needs each drawing's label to encode it
            index = np.asarray(known[: len(images)], np.int64)
            if index.min(initial=0) < 0 or index.max(initial=0) >= codec.num_classes:
                return
            labels = np.eye(codec.num_classes, dtype=np.float32)[index]
        self.decodes.request(
            "sprites",
            codec,
            lambda d: d.encode(images, labels),
            lambda z: self._show_sprites(codec, z, images),
        )

    def _show_sprites(self, codec: Any, z: np.ndarray, images: np.ndarray) -> None:
        if codec is not self._codec:
            return
        dx, dy = self.view.dims
        size = 2 * float(self.view.range) / 12
        self.sprites.set_sprites(np.stack([z[:, dx], z[:, dy]], axis=1), images, size)
        self.sprites.set_visible(self.controls.sprites_check.isChecked())


__all__ = ["MapPoints"]
