"""Shared image helpers for the panels: NumPy sketches -> crisp, big pictures.

Every panel shows images the same way so a class never has to re-learn the picture:
ink is dark on white, like pen on paper (it stays legible on a washed-out projector, where
white-on-black strokes bleed), and pixels are scaled nearest-neighbour so a 28x28 digit
stays a 28x28 digit, only bigger, instead of a blurred smear.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QPoint, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from explorer.i18n import arg
from explorer.widgets.fit_label import fit_text
from models.errors import ExplorerError

PAPER = QColor("#ffffff")
"""Background of every sketch (ink is dark on it)."""
FRAME = QColor("#8a9099")
"""Thin frame around each sketch, so white paper cells stand out from the window."""
SELECT = QColor("#d55e00")
"""Selection frame (Okabe-Ito vermillion: visible to colour-blind viewers, on white and grey)."""
TEXT = QColor("#1d1f23")


def paper(image: np.ndarray) -> np.ndarray:
    """Ink=1 float image(s) -> uint8 grey levels with ink dark on white (0 = black ink).

    NaN (a diverged model) shows as blank paper rather than garbage.
    """
    img = np.asarray(image, dtype=np.float32)
    out = 255.0 - np.clip(img, 0.0, 1.0) * 255.0 + 0.5
    out[np.isnan(out)] = 255.0
    return out.astype(np.uint8)


def _qimage_u8(arr: np.ndarray) -> QImage:
    arr = np.ascontiguousarray(arr)
    h, w = arr.shape
    # QImage only borrows the buffer; copy() makes it own its pixels.
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def to_qimage(image: np.ndarray) -> QImage:
    """(H, W) float ink image in [0, 1] -> an owned greyscale QImage, ink dark on white."""
    if np.ndim(image) != 2:
        raise ValueError(f"expected a 2-D image, got shape {np.shape(image)}")
    return _qimage_u8(paper(image))


def upscale_nearest(image: np.ndarray, factor: int) -> np.ndarray:
    """Repeat each pixel factor x factor times (what 'nearest-neighbour' means)."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    return np.repeat(np.repeat(np.asarray(image), factor, axis=0), factor, axis=1)


def fit_scale(src: QSize, box: QSize) -> float:
    """The scale that fits src in box, snapped down to a whole number when that costs
    little (at most 15 %), so every source pixel becomes the same number of screen pixels."""
    if src.width() <= 0 or src.height() <= 0:
        return 1.0
    s = min(box.width() / src.width(), box.height() / src.height())
    whole = float(int(s))
    if whole >= 1.0 and whole / s >= 0.85:
        return whole
    return max(s, 0.0)


def font(points: int, bold: bool = False) -> QFont:
    """A font of the given size, for projector-readable labels."""
    f = QFont()
    f.setPointSize(points)
    f.setBold(bold)
    return f


def empty_message(text: str) -> QLabel:
    """The large, centred, grey message a panel shows while it has no model."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setFont(font(18))
    label.setStyleSheet("color:#4a4f57;")
    return label


def set_font_size(widget: QWidget, points: int, bold: bool = False) -> None:
    """Projector-sized text on a widget and its children (superqt's slider labels too)."""
    for w in [widget, *widget.findChildren(QWidget)]:
        font = QFont(w.font())
        font.setPointSize(points)
        font.setBold(bold)
        w.setFont(font)


def save_widget_png(widget: QWidget, path: str | Path) -> Path:
    """Grab what the widget shows and write it as PNG; ExplorerError names the file on failure."""
    target = Path(path)
    if target.suffix.lower() != ".png":
        target = target.with_suffix(".png")
    if not target.parent.is_dir():
        text = QCoreApplication.translate(
            "imaging", "%1: cannot save the picture, folder %2 does not exist"
        )
        raise ExplorerError(arg(text, target, target.parent))
    pixmap = widget.grab()
    if pixmap.isNull() or not pixmap.save(str(target), "PNG"):
        text = QCoreApplication.translate(
            "imaging", "%1: could not write the PNG (is the folder writable?)"
        )
        raise ExplorerError(arg(text, target))
    return target


def _size_of(args: tuple[object, ...]) -> QSize:
    """A QSize from Qt's two ways of giving one: ``(QSize)`` or ``(width, height)``."""
    if len(args) == 1 and isinstance(args[0], QSize):
        return QSize(args[0])
    width, height = args
    return QSize(int(width), int(height))  # type: ignore[call-overload]


class ImageGrid(QWidget):
    """Paints sketches in a grid that fills the widget, nearest-neighbour scaled.

    Used for the 5x5 sample grids, the big single-image previews (a 1x1 grid) and the
    digit x latent grid. ``rows``/``cols`` of None pick the arrangement that makes the
    images biggest for the widget's shape (a row when wide, a column when tall), which is
    how the detail view stays "side by side" whatever the window size.
    """

    clicked = Signal(int)
    """Index of the image clicked (only when ``selectable``)."""

    def __init__(
        self,
        rows: int | None = None,
        cols: int | None = None,
        parent: QWidget | None = None,
        *,
        title: str = "",
        selectable: bool = False,
        gap: int = 6,
        caption_pt: int = 15,
        title_pt: int = 17,
        align_top: bool = False,
        square: bool = False,
    ) -> None:
        super().__init__(parent)
        self._rows = rows
        self._cols = cols
        self._title = title
        self._selectable = selectable
        self._gap = gap
        self._images: list[np.ndarray] = []
        self._qimages: list[QImage] = []
        self._captions: list[str] = []
        self._row_labels: list[str] = []
        self._col_labels: list[str] = []
        self._message = ""
        self._selected: int | None = None
        self._reserved = 1
        """Cells the auto arrangement makes room for even when fewer images are shown."""
        self._align_top = align_top
        self._square = square
        self._caption_font = QFont()
        self._caption_font.setPointSize(caption_pt)
        self._title_font = QFont()
        self._title_font.setPointSize(title_pt)
        self._title_font.setBold(True)
        self._base_pt = (caption_pt, title_pt)
        self._hint: QSize | None = None
        self._zoom = 1.0
        self._asked_min = QSize(0, 0)
        """The minimum size the panel asked for (what the grid keeps at 100%)."""
        self._asked_max = QSize(16_777_215, 16_777_215)
        """The maximum the panel asked for: raised while zoomed to the pictures' room."""
        self._base_picture: QSizeF | None = None
        """One picture's size on screen at 100% (seen when last laid out at 100%)."""
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if square:  # as tall as its width needs, so what follows sits right below it
            policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
            policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(120, 120)
        if selectable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_scale(self, factor: float) -> None:
        """Presenter zoom: captions and title follow the app's scale factor, and the grid's
        minimum size keeps room for its pictures at their 100% size *below* the bigger text
        (its preferred size, for them at ``factor`` ×), so a zoom never shrinks a picture:
        the text used to take the pictures' room in a layout that could not grow."""
        if self._zoom == 1.0 and factor != 1.0:
            self._remember_base()
        self._zoom = float(factor)
        self._caption_font.setPointSizeF(self._base_pt[0] * factor)
        self._title_font.setPointSizeF(self._base_pt[1] * factor)
        self._apply_minimum()
        self.updateGeometry()
        self.update()

    # Qt's names: the panel's own minimum and maximum are kept, and raised while zoomed to
    # the room the pictures need at their 100% size (see set_scale).
    def setMinimumSize(self, *size: object) -> None:  # type: ignore[override]
        self._asked_min = _size_of(size)
        self._apply_minimum()

    def setMinimumWidth(self, width: int) -> None:
        self.setMinimumSize(width, self._asked_min.height())

    def setMinimumHeight(self, height: int) -> None:
        self.setMinimumSize(self._asked_min.width(), height)

    def setMaximumSize(self, *size: object) -> None:  # type: ignore[override]
        self._asked_max = _size_of(size)
        self._apply_minimum()

    def _apply_minimum(self) -> None:
        room = self._zoomed_size()
        QWidget.setMaximumSize(self, self._asked_max.expandedTo(room))
        QWidget.setMinimumSize(self, self._asked_min.expandedTo(room))

    def _remember_base(self) -> None:
        """Note the size of one picture now, if the grid is laid out at 100% with images."""
        if self._zoom != 1.0 or not self._images or not self.isVisible():
            return
        rects = self.cell_rects()
        if rects and rects[0].width() >= 1:
            self._base_picture = rects[0].size()

    def _zoomed_size(self) -> QSize:
        """The widget size that shows every picture at its 100% size with the text at the
        present zoom (0 × 0 at 100%, or before the 100% size is known)."""
        if self._zoom == 1.0 or self._base_picture is None:
            return QSize(0, 0)
        rows, cols = self.grid_shape()
        pic_w, pic_h = self._base_picture.width(), self._base_picture.height()
        edge = 4 if self._selectable else 1
        top = self._title_h() + (
            int(self._caption_font.pointSize() * 2.0) if self._col_labels else 0
        )
        width = cols * pic_w + (cols - 1) * self._gap + 2 * edge
        left = self._row_label_w(int(width * 1.5))
        height = top + rows * (pic_h + self._caption_h()) + (rows - 1) * self._gap + edge
        return QSize(int(width + left) + 2, int(height) + 2)

    # -- content ---------------------------------------------------------------------
    def set_images(
        self, images: Sequence[np.ndarray] | np.ndarray, captions: Sequence[str] | None = None
    ) -> None:
        """Show these (H, W) ink images; keeps its own copies."""
        stack = np.array(images, dtype=np.float32, copy=True)  # also copies a list of arrays
        if stack.size and stack.ndim != 3:
            raise ValueError(f"expected images of shape (N, H, W), got {stack.shape}")
        shape = self._layout_key()
        self._images = list(stack)
        grey = paper(stack)  # one vectorized conversion for the whole grid
        self._qimages = [_qimage_u8(g) for g in grey]
        self._captions = list(captions) if captions is not None else []
        if self._selected is not None and self._selected >= len(self._images):
            self._selected = None
        if self._layout_key() != shape:
            # A square grid's height (and a zoomed grid's minimum) follows the images'
            # shape and captions: the layout asks again, or a first layout made for no
            # images stayed until a zoom redid it (and Ctrl+0 then gave another layout).
            self.updateGeometry()
        self._remember_base()
        self.update()

    def _layout_key(self) -> tuple[object, ...]:
        """What the grid's size hints depend on besides fonts: image shape, count, captions."""
        shape = self._images[0].shape if self._images else None
        return shape, len(self._images), bool(self._captions)

    def images(self) -> list[np.ndarray]:
        """The images shown, exactly as given."""
        return list(self._images)

    def image(self, index: int = 0) -> np.ndarray:
        return self._images[index]

    def captions(self) -> list[str]:
        return list(self._captions)

    def clear(self, message: str = "") -> None:
        """Show no images, only a message (the friendly empty state)."""
        self._images, self._qimages, self._captions = [], [], []
        self._selected = None
        self._message = message
        self.update()

    def set_message(self, message: str) -> None:
        self._message = message
        self.update()

    def message(self) -> str:
        return self._message

    def reserve_cells(self, count: int) -> None:
        """Arrange as if ``count`` images were shown (at least), so images keep their size
        when one more comes and goes (the Cats detail's noisy input)."""
        self._reserved = max(1, int(count))
        self.updateGeometry()
        self.update()

    def set_shape(self, rows: int | None, cols: int | None) -> None:
        """Rows and columns of the grid (e.g. one row per category of a model)."""
        self._rows, self._cols = rows, cols
        self.updateGeometry()
        self.update()

    def set_title(self, title: str) -> None:
        self._title = title
        self.update()

    def title(self) -> str:
        return self._title

    def set_axis_labels(self, row_labels: Sequence[str], col_labels: Sequence[str]) -> None:
        """Text left of each row and above each column (e.g. digits and latent values)."""
        self._row_labels = list(row_labels)
        self._col_labels = list(col_labels)
        self.update()

    def set_selected(self, index: int | None) -> None:
        self._selected = index
        self.update()

    def selected(self) -> int | None:
        return self._selected

    # -- geometry --------------------------------------------------------------------
    def grid_shape(self) -> tuple[int, int]:
        """(rows, cols) used for the current images and widget size."""
        n = max(1, len(self._images), self._reserved)
        if self._rows and self._cols:
            return self._rows, self._cols
        if self._rows:
            return self._rows, -(-n // self._rows)
        if self._cols:
            return -(-n // self._cols), self._cols
        # Auto: the arrangement that makes the cells biggest.
        area = self._content_rect()
        best, best_side = (1, n), -1.0
        for r in range(1, n + 1):
            c = -(-n // r)
            side = min(area.width() / c, (area.height() - r * self._caption_h()) / r)
            if side > best_side:
                best, best_side = (r, c), side
        return best

    def caption_fit(self, text: str, width: float) -> tuple[QFont, str]:
        """The font (down to half the caption size) and text (elided if it must be) that
        fit ``text`` into ``width`` pixels."""
        return fit_text(text, self._caption_font, width, min_factor=0.5)

    def fitted_title(self) -> tuple[QFont, str]:
        """The title's font and text as drawn: shrunk (then elided) to the widget's width,
        never cut off at both ends (a narrow column at the presenter's zoom)."""
        return fit_text(self._title, self._title_font, self.width(), 0.45)

    def chrome_height(self) -> int:
        """The height of the title, column labels and one row of captions (not pictures)."""
        top = self._content_rect().top()
        return int(top) + self._caption_h()

    def _caption_h(self) -> int:
        if not self._captions:
            return 0
        return int(self._caption_font.pointSize() * 1.9)

    def _row_label_w(self, width: int) -> int:
        """Room left of the rows for their names: a digit's, or the longest category name
        ("house plant"), but never more than a third of the grid's width."""
        if not self._row_labels:
            return 0
        metrics = QFontMetrics(self._caption_font)
        longest = max(metrics.horizontalAdvance(text) for text in self._row_labels)
        digit = int(self._caption_font.pointSize() * 2.4)
        return min(max(digit, longest + 10), max(digit, width // 3))

    def _title_h(self) -> int:
        return int(self._title_font.pointSize() * 2.2) if self._title else 0

    def _content_rect(self) -> QRectF:
        """The area left for the images once the title and axis labels have their room."""
        top = self._title_h()
        left = self._row_label_w(self.width())
        if self._col_labels:
            top += int(self._caption_font.pointSize() * 2.0)
        # Room at the edges for the frames drawn just outside each cell (the selection's is
        # thick): a block that filled the widget lost its outer frame lines.
        edge = 4 if self._selectable else 1
        return QRectF(
            left + edge,
            top,
            max(1, self.width() - left - 2 * edge),
            max(1, self.height() - top - edge),
        )

    def cell_rects(self) -> list[QRectF]:
        """Where each image is drawn (widget coordinates), in index order."""
        if not self._images:
            return []
        rows, cols = self.grid_shape()
        area = self._content_rect()
        cap = self._caption_h()
        gap = self._gap
        h0, w0 = self._images[0].shape
        cell_w = (area.width() - gap * (cols - 1)) / cols
        cell_h = (area.height() - gap * (rows - 1)) / rows - cap
        scale = fit_scale(QSize(w0, h0), QSize(max(1, int(cell_w)), max(1, int(cell_h))))
        w, h = w0 * scale, h0 * scale
        block_w = cols * w + (cols - 1) * gap
        block_h = rows * (h + cap) + (rows - 1) * gap
        x0 = area.left() + (area.width() - block_w) / 2
        # Centred (or at the top); the title and column labels stay right above the block.
        y0 = area.top() + (0 if self._align_top else (area.height() - block_h) / 2)
        rects = []
        for i in range(len(self._images)):
            r, c = divmod(i, cols)
            if r >= rows:
                break
            rects.append(QRectF(x0 + c * (w + gap), y0 + r * (h + cap + gap), w, h))
        return rects

    def index_at(self, pos: QPoint) -> int | None:
        for i, rect in enumerate(self.cell_rects()):
            if rect.adjusted(-self._gap / 2, -self._gap / 2, self._gap / 2, self._gap / 2).contains(
                pos.toPointF()
            ):
                return i
        return None

    def hasHeightForWidth(self) -> bool:
        return self._square

    def heightForWidth(self, width: int) -> int:
        rows, cols = (self._rows or 1), (self._cols or 1)
        h0, w0 = self._images[0].shape if self._images else (1, 1)
        top = self._title_h() + (
            int(self._caption_font.pointSize() * 2.0) if self._col_labels else 0
        )
        left = self._row_label_w(width)
        cell_w = (width - left - self._gap * (cols - 1)) / cols
        cell_h = cell_w * h0 / w0
        return int(top + rows * (cell_h + self._caption_h()) + self._gap * (rows - 1)) + 2

    def set_size_hint(self, width: int, height: int) -> None:
        """What the grid asks of its layout (default 400 × 400): a small hint lets a column
        of controls below it keep its room, the grid then taking the height left over."""
        self._hint = QSize(width, height)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        """The panel's hint (default 400 × 400); while zoomed, at least the room the pictures
        need at their 100% size (they grow beyond it where the page has room; a bigger hint
        would make a scrolling page taller than its pictures, which sat in a gap)."""
        if self._hint is not None:
            hint = QSize(self._hint)
        else:
            hint = QSize(400, self.heightForWidth(400) if self._square else 400)
        return hint.expandedTo(self._zoomed_size())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._remember_base()

    # -- events ----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._selectable and event.button() == Qt.MouseButton.LeftButton:
            index = self.index_at(event.position().toPoint())
            if index is not None:
                self.clicked.emit(index)
                event.accept()
                return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            # No smoothing: nearest-neighbour scaling keeps pixels square and sharp.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(TEXT)
            rects = self.cell_rects()
            if rects and self._zoom == 1.0:  # what a zoom keeps at least (see set_scale)
                self._base_picture = rects[0].size()
            if self._title:
                top = self._content_rect().top()
                if rects:
                    top = rects[0].top() - (top - self._title_h())
                title_font, title = self.fitted_title()
                painter.setFont(title_font)
                painter.drawText(
                    QRectF(0, top - self._title_h(), self.width(), self._title_h()),
                    Qt.AlignmentFlag.AlignCenter,
                    title,
                )
            if not self._images:
                if self._message:
                    painter.setFont(self._caption_font)
                    painter.drawText(
                        self._content_rect().adjusted(12, 12, -12, -12),
                        int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap),
                        self._message,
                    )
                return
            painter.setFont(self._caption_font)
            frame = QPen(FRAME)
            frame.setWidth(1)
            for i, rect in enumerate(rects):
                painter.drawImage(rect, self._qimages[i])
                painter.setPen(frame)
                painter.drawRect(rect.adjusted(-1, -1, 0, 0))
                painter.setPen(TEXT)
                if i < len(self._captions) and self._captions[i]:
                    # Never wider than its cell (neighbours' captions would overlap it).
                    width = rect.width() + self._gap
                    below = QRectF(rect.center().x() - width / 2, rect.bottom(), width, 0)
                    below.setHeight(self._caption_h())
                    font, text = self.caption_fit(self._captions[i], width)
                    if len(rects) <= 4:  # a few side by side: all at the smallest one's size
                        font = min(
                            (self.caption_fit(c, width)[0] for c in self._captions[: len(rects)]),
                            key=QFont.pointSizeF,
                        )
                        text = QFontMetrics(font).elidedText(
                            self._captions[i], Qt.TextElideMode.ElideRight, int(width)
                        )
                    painter.setFont(font)
                    painter.drawText(below, Qt.AlignmentFlag.AlignCenter, text)
                    painter.setFont(self._caption_font)
            self._paint_axis_labels(painter, rects)
            if self._selected is not None and self._selected < len(rects):
                pen = QPen(SELECT)
                pen.setWidth(4)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rects[self._selected].adjusted(-3, -3, 3, 3))
        finally:
            painter.end()

    def _paint_axis_labels(self, painter: QPainter, rects: list[QRectF]) -> None:
        if not rects:
            return
        rows, cols = self.grid_shape()
        fh = self._caption_font.pointSize() * 2.0
        painter.setPen(TEXT)
        for r, text in enumerate(self._row_labels[:rows]):
            i = r * cols
            if i < len(rects):
                rect = rects[i]
                # Shrunk (then elided) to the room left of the row: "house plant" was cut off.
                label_font, label = fit_text(text, self._caption_font, rect.left() - 6, 0.5)
                pitch, tall = rect.height() + self._gap, QFontMetrics(label_font).height()
                if tall > pitch:  # rows thinner than the zoomed text: names ran into each other
                    label_font = QFont(label_font)
                    label_font.setPointSizeF(max(1.0, label_font.pointSizeF() * pitch / tall))
                painter.setFont(label_font)
                painter.drawText(
                    QRectF(0, rect.top(), rect.left() - 6, rect.height()),
                    int(Qt.AlignmentFlag.AlignRight) | int(Qt.AlignmentFlag.AlignVCenter),
                    label,
                )
        for c, text in enumerate(self._col_labels[:cols]):
            if c < len(rects):
                rect = rects[c]
                # As wide as its column: neighbours' labels never run into each other.
                width = rect.width() + self._gap
                label_font, label = fit_text(text, self._caption_font, width, min_factor=0.4)
                painter.setFont(label_font)
                painter.drawText(
                    QRectF(rect.center().x() - width / 2, rect.top() - fh, width, fh),
                    Qt.AlignmentFlag.AlignCenter,
                    label,
                )
        painter.setFont(self._caption_font)
