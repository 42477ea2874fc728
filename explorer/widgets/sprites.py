"""Thumbnails of drawings placed at their latent codes: the map shows *which* sketches
landed where, not only dots. One pyqtgraph ImageItem per thumbnail, created once and reused
(a few hundred at most; more would bury the map)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from explorer.widgets.imaging import paper

MAX_SPRITES = 300


class SpriteLayer:
    """Up to :data:`MAX_SPRITES` thumbnails in a plot, each centred on its (x, y)."""

    def __init__(self, plot: pg.PlotWidget, z: float = 5.0) -> None:
        self.plot = plot
        self.z = z
        self.items: list[pg.ImageItem] = []
        self._visible = False
        self.count = 0

    def set_sprites(self, xy: np.ndarray, images: np.ndarray, size: float) -> None:
        """Show ``images`` (N, H, W) with their centres at ``xy`` (N, 2), ``size`` wide in
        data units."""
        xy = np.asarray(xy, np.float64)[:MAX_SPRITES]
        images = np.asarray(images)[: len(xy)]
        while len(self.items) < len(xy):
            item = pg.ImageItem()
            item.setZValue(self.z)
            item.setOpacity(0.9)
            self.plot.addItem(item)
            self.items.append(item)
        grey = paper(images) if len(images) else images
        for i, item in enumerate(self.items):
            if i < len(xy):
                item.setImage(grey[i], levels=(0, 255), autoLevels=False)
                x, y = xy[i]
                h, w = images.shape[1:3]
                height = size * h / w
                # Image row 0 is drawn at the bottom of its rect: flip so the drawing stands up.
                item.setImage(grey[i][::-1], levels=(0, 255), autoLevels=False)
                item.setRect(QRectF(x - size / 2, y - height / 2, size, height))
            item.setVisible(self._visible and i < len(xy))
        self.count = len(xy)

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        for i, item in enumerate(self.items):
            item.setVisible(visible and i < self.count)

    @property
    def visible(self) -> bool:
        return self._visible

    def images(self) -> list[np.ndarray]:
        """The shown thumbnails as drawn (grey paper, row 0 at the top), for tests."""
        return [np.asarray(item.image)[::-1] for item in self.items[: self.count]]

    def positions(self) -> np.ndarray:
        """Centres of the shown thumbnails (N, 2), for tests."""
        out = []
        for item in self.items[: self.count]:
            r = item.mapRectToParent(item.boundingRect())
            out.append((r.center().x(), r.center().y()))
        return np.asarray(out, np.float64).reshape(-1, 2)


__all__ = ["MAX_SPRITES", "SpriteLayer"]
