"""The Draw tab's drawing: the pad's strokes as the chosen model's input, and the drawing
opened from or saved to a file. A mixin of :class:`explorer.panels.draw.DrawPanel`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from explorer.i18n import arg
from explorer.session import Slot
from explorer.widgets.save_dialog import ask_save_path
from models.data import sketch
from models.data.formats import Drawing
from models.errors import ExplorerError

DRAWING_FILTER: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "DrawPanel", "Quick Draw drawing (*.ndjson);;Picture (*.png)"
)
OPEN_FILTER: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "DrawPanel", "Drawings (*.ndjson *.png);;All files (*)"
)


def fit_picture(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """An opened picture (ink 1.0) resized to the model's input (box filter)."""
    h, w = shape
    a = np.clip(np.asarray(image, np.float32), 0.0, 1.0)
    if a.shape == (h, w):
        return a
    img = Image.fromarray((a * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BOX)
    return np.asarray(img, np.float32) / 255.0


class DrawFiles:
    """``drawing``, ``model_input``, open/save; expects the pad, the word and the slot."""

    canvas: Any
    word_edit: Any
    _input: np.ndarray
    _previous: np.ndarray | None
    _previous_strokes: list[np.ndarray]
    _opened: Drawing | None

    if TYPE_CHECKING:

        @property
        def slot(self) -> Slot | None: ...

    def clear(self) -> None:
        """Keep the drawing as "previous drawing", then empty the pad."""
        if not self.canvas.is_empty() and self._input.size:
            self._previous = self._input.copy()
            self._previous_strokes = self.canvas.finished_strokes()
        self.canvas.clear()

    def drawing(self) -> Drawing:
        """The pad's strokes in the simplified Quick Draw form, with the word (an opened
        drawing, untouched since, is itself: simplifying it again could move a point)."""
        opened = self._opened
        if opened is not None and self.canvas.unchanged_since_set():
            return dataclasses.replace(opened, word=self.word_edit.text() or opened.word)
        return sketch.make_drawing(
            self.canvas.finished_strokes(), self.word_edit.text() or "drawing"
        )

    def model_input(self, strokes: list[np.ndarray] | None = None) -> np.ndarray:
        """The image the chosen model sees for the pad's strokes (or an opened picture)."""
        slot = self.slot
        if slot is None:
            return np.zeros((0, 0), np.float32)
        spec = slot.spec
        shape = self._input_shape(slot)
        picture = self.canvas.picture()
        if picture is not None:
            return fit_picture(picture, shape)
        strokes = self.canvas.strokes() if strokes is None else strokes
        if spec.pad_input == "sketch":
            if self._opened is not None and self.canvas.unchanged_since_set():
                drawing = self._opened
            else:
                drawing = sketch.make_drawing(strokes, key_id=0)
            image = sketch.rasterize_sketch(drawing, size=shape[0])
        else:
            image = sketch.digit_image(strokes)
            if image.shape != shape:
                image = spec.fit_images(image[None])[0] if spec.input_size else image
        return np.asarray(image, np.float32)

    def _input_shape(self, slot: Slot) -> tuple[int, int]:
        if slot.codec is not None:
            return tuple(slot.codec.image_shape)  # type: ignore[return-value]
        if slot.model is not None:
            return tuple(slot.model.image_shape)  # type: ignore[no-any-return]
        size = slot.spec.input_size or sketch.MNIST_SIZE
        return (size, size)

    def save_drawing(self, path: str | Path) -> Path:
        """Save as one-line simplified ``.ndjson`` (with the word) or as ``.png``, by suffix."""
        path = Path(path)
        if not self.canvas.finished_strokes():
            text = QCoreApplication.translate(
                "DrawPanel", "%1: there is no drawing to save (an opened picture has no strokes)"
            )
            raise ExplorerError(arg(text, path))
        drawing = self.drawing()
        if path.suffix.lower() == ".png":
            return sketch.save_png(drawing, path)
        if path.suffix.lower() != ".ndjson":
            path = path.with_suffix(".ndjson")
        return sketch.save_ndjson(drawing, path)

    def open_drawing(self, path: str | Path) -> None:
        """Open a saved ``.ndjson`` drawing (its strokes) or a ``.png`` picture."""
        path = Path(path)
        previous = self._input.copy() if self._input.size and float(self._input.sum()) else None
        if path.suffix.lower() == ".png":
            picture = sketch.open_png(path)
            self.canvas.set_picture(picture)
        else:
            drawing = sketch.open_drawing(path)
            if drawing.word:
                self.word_edit.setText(drawing.word)
            self._opened = drawing
            self.canvas.set_strokes(drawing.strokes)
        if previous is not None:
            self._previous = previous

    def _window(self) -> QWidget | None:
        return self if isinstance(self, QWidget) else None

    def choose_save(self) -> None:
        path = ask_save_path(
            self._window(),
            QCoreApplication.translate("DrawPanel", "Save the drawing"),
            f"{self.word_edit.text() or 'drawing'}.ndjson",
            QCoreApplication.translate("DrawPanel", DRAWING_FILTER),
        )
        if path:
            title = QCoreApplication.translate("DrawPanel", "Could not save the drawing")
            self._try(lambda: self.save_drawing(path), title)

    def choose_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window(),
            QCoreApplication.translate("DrawPanel", "Open a drawing"),
            "",
            QCoreApplication.translate("DrawPanel", OPEN_FILTER),
        )
        if path:
            title = QCoreApplication.translate("DrawPanel", "Could not open the drawing")
            self._try(lambda: self.open_drawing(path), title)

    def _try(self, fn: Any, title: str) -> None:
        from explorer.widgets.common import show_error

        try:
            fn()
        except (ExplorerError, OSError, ValueError) as exc:
            show_error(self._window(), title, str(exc))


__all__ = ["DrawFiles", "fit_picture"]
