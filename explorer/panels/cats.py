"""The "Cats" tab: validation sketches next to what the autoencoder makes of them.

Two 5x5 grids side by side (originals, reconstructions) instead of the book's 2x25 strip,
so each sketch is several times bigger on a projector; the same position in both grids is
the same sketch. A click shows one pair big. The noise slider corrupts the inputs the way
the denoising autoencoder was trained (Gaussian noise, clipped to [0, 1]) so a class can
see the model clean them up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from superqt import QLabeledDoubleSlider
from superqt.utils import qthrottled

from explorer.engine_words import data_source
from explorer.i18n import arg, kind_label
from explorer.panels.base import FollowsSlot
from explorer.widgets.imaging import ImageGrid
from explorer.widgets.imaging import set_font_size as _big
from explorer.widgets.timeline_bar import TimelineBar
from models.inference.timeline import Timeline
from models.messages import Snapshot

log = logging.getLogger(__name__)

Reconstructor = Callable[[np.ndarray], np.ndarray]

EMPTY_MESSAGE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "ReconstructionPanel",
    "No autoencoder yet.\n\nTrain one in the Training tab, or load weights "
    "from the File menu, and its reconstructions appear here.",
)
NO_DATA_MESSAGE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "ReconstructionPanel",
    "A model is ready, but there are no sketches to show.\nOpen a data file first.",
)
TRAINING_MESSAGE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "ReconstructionPanel", "Training the %1: its first reconstructions appear after epoch 1."
)
WAITING_TEXT: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "ReconstructionPanel",
    "Reconstructions appear once the model has loaded (TensorFlow is loading).",
)
"""The panel's messages, in English (shown through ``self.tr``)."""
SLIDER_THROTTLE_MS = 40
"""At most one reconstruction per this many ms while the noise slider moves."""


def add_noise(images: np.ndarray, std: float, field: np.ndarray) -> np.ndarray:
    """The denoising autoencoder's corruption: x + std * N(0, 1), clipped to [0, 1].

    ``field`` is a fixed standard-normal array, so moving the slider scales one noise
    pattern instead of flickering between random ones.
    """
    if std <= 0:
        return images.astype(np.float32, copy=True)
    return np.clip(images + np.float32(std) * field, 0.0, 1.0).astype(np.float32)


class ReconstructionPanel(FollowsSlot, QWidget):
    """Originals and reconstructions of 25 random validation sketches, with a noise slider.

    Used alone (tests) through ``set_originals`` / ``set_reconstructor`` / ``show_snapshot``,
    or given the autoencoder's slot with :meth:`follow`, whose state it then shows.
    """

    SAMPLE = 25
    GRID = 5

    def __init__(self, parent: QWidget | None = None, *, seed: int | None = None) -> None:
        super().__init__(parent)
        self._rng = np.random.default_rng(seed)
        self._originals: np.ndarray | None = None
        self._fn: Reconstructor | None = None
        self._live = False
        self._waiting = False
        self._snap_orig: np.ndarray | None = None
        self._snap_rec: np.ndarray | None = None
        self._indices = np.zeros(0, dtype=np.int64)
        self._field = np.zeros((0, 1, 1), dtype=np.float32)
        self._inputs = np.zeros((0, 1, 1), dtype=np.float32)
        self._clean = np.zeros((0, 1, 1), dtype=np.float32)
        self._recons = np.zeros((0, 1, 1), dtype=np.float32)
        self._selected = 0
        self._picked_for: tuple[str, tuple[int, ...]] | None = None
        self._replay: int | None = None
        """The timeline epoch shown instead of the current model, or None."""

        # -- header: where the sketches come from -------------------------------------
        self.source_label = QLabel(self.tr("Data: none loaded yet"))
        _big(self.source_label, 14, bold=True)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_label.setWordWrap(True)  # long file names must not widen the window
        self.generated_badge = QLabel(self.tr("GENERATED doodles, not real Quick Draw"))
        _big(self.generated_badge, 13, bold=True)
        self.generated_badge.setStyleSheet(
            "background:#f0b400; color:#1d1f23; padding:3px 10px; border-radius:4px;"
        )
        self.generated_badge.hide()
        self.mode_label = QLabel("")
        _big(self.mode_label, 12)
        self.mode_label.setStyleSheet("color:#4a4f57;")
        self.mode_label.setWordWrap(True)
        self.mode_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.source_label, 3)
        header.addWidget(self.generated_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.mode_label, 2)

        # -- the two 5x5 grids and the detail view ------------------------------------
        self.originals_grid = ImageGrid(
            self.GRID, self.GRID, title=self.tr("Originals"), selectable=True
        )
        self.recon_grid = ImageGrid(
            self.GRID, self.GRID, title=self.tr("Reconstructions"), selectable=True
        )
        self.detail = ImageGrid(title=self.tr("Selected sketch"), caption_pt=15)
        self.originals_grid.clicked.connect(self.select)
        self.recon_grid.clicked.connect(self.select)
        grids = QWidget()
        grids_layout = QHBoxLayout(grids)
        grids_layout.setContentsMargins(0, 0, 0, 0)
        grids_layout.setSpacing(24)
        grids_layout.addWidget(self.originals_grid)
        grids_layout.addWidget(self.recon_grid)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(grids)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([1000, 380])
        self.empty_label = QLabel(self.tr(EMPTY_MESSAGE))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        _big(self.empty_label, 18)
        self.empty_label.setStyleSheet("color:#4a4f57;")

        # -- controls -----------------------------------------------------------------
        sample = self.SAMPLE
        self.resample_button = QPushButton(self.tr("Resample: %n new sketches", "", sample))
        _big(self.resample_button, 13)
        self.resample_button.clicked.connect(self.resample)
        noise_title = QLabel(self.tr("Input noise σ"))
        _big(noise_title, 13, bold=True)
        self.noise_slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
        _big(self.noise_slider, 13)  # before the range: the value label sizes itself then
        self.noise_slider.setRange(0.0, 1.0)
        self.noise_slider.setDecimals(2)
        self.noise_slider.setSingleStep(0.05)  # type: ignore[arg-type]  # a float step
        self.noise_slider.setValue(0.0)
        self.noise_slider.setMinimumWidth(260)
        # Each move reconstructs 25 sketches with the model: throttled, the last value wins.
        self._noise_later = qthrottled(self._on_noise, timeout=SLIDER_THROTTLE_MS)
        self.noise_slider.valueChanged.connect(self._noise_later)
        self.noise_help = QLabel(
            self.tr(
                "Gaussian noise with this standard deviation is added to every pixel "
                "(then clipped to 0..1), as when training the denoising autoencoder."
            )
        )
        self.noise_help.setWordWrap(True)
        _big(self.noise_help, 11)
        self.noise_help.setStyleSheet("color:#4a4f57;")
        controls = QHBoxLayout()
        controls.addWidget(self.resample_button)
        controls.addSpacing(24)
        controls.addWidget(noise_title)
        controls.addWidget(self.noise_slider, 1)

        self.timeline_bar = TimelineBar()
        self.timeline_bar.scrubbed.connect(self.show_epoch)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.timeline_bar)
        layout.addLayout(controls)
        # Its own row, the window's width: in a narrow column it was seven lines tall at the
        # presenter's zoom and squeezed the sketches to dots on a 1280×720 projector.
        layout.addWidget(self.noise_help)
        self._refresh()

    # -- public API -------------------------------------------------------------------
    def set_source(self, text: str, generated: bool) -> None:
        """Say plainly where the sketches come from; generated data gets a warning badge."""
        self.source_label.setText(arg(self.tr("Data: %1"), data_source(text)))
        self.generated_badge.setVisible(bool(generated))

    def set_originals(self, images: np.ndarray) -> None:
        """Validation sketches (N, H, W) in [0, 1], ink = 1; draws a new random 25."""
        arr = np.asarray(images, dtype=np.float32)
        if arr.ndim != 3:
            raise ValueError(f"expected sketches of shape (N, H, W), got {arr.shape}")
        self._originals = arr
        self._picked_for = None  # new data: always a new sample
        self._refresh()

    def set_reconstructor(self, fn: Reconstructor | None) -> None:
        """(K, H, W) -> (K, H, W), called on the GUI thread; None while a model trains."""
        self._fn = fn
        self._live = fn is not None
        self._refresh()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Show the pairs the training worker computed after an epoch."""
        if self._set_snapshot(snapshot):
            self._live = False
            self._refresh()

    def _set_snapshot(self, snapshot: Snapshot) -> bool:
        if snapshot.originals is None or snapshot.reconstructions is None:
            return False
        orig = np.asarray(snapshot.originals, dtype=np.float32)
        rec = np.asarray(snapshot.reconstructions, dtype=np.float32)
        if orig.ndim != 3 or orig.shape != rec.shape:
            log.warning("ignoring a snapshot with shapes %s / %s", orig.shape, rec.shape)
            return False
        # Same pool shape as the last epoch: keep the same 25 sketches, so a class sees
        # these very sketches sharpen epoch after epoch.
        self._snap_orig, self._snap_rec = orig, rec
        return True

    # -- the replay ----------------------------------------------------------------------------
    def set_timeline(self, timeline: Timeline | None) -> None:
        """The run's timeline for the replay bar (None, or one without sketches, hides it)."""
        usable = timeline is not None and bool(timeline.reconstructions)
        self.timeline_bar.set_timeline(timeline if usable else None)

    def replay_index(self) -> int | None:
        return self._replay

    def show_epoch(self, index: int | None) -> None:
        """Show the reconstructions after the timeline's epoch ``index`` (None: now)."""
        timeline = self.timeline_bar.timeline
        if timeline is None or index is None or index >= len(timeline.reconstructions):
            index = None
        if index == self._replay:
            return
        self._replay = index
        if self.slot is not None:
            self.refresh()

    def _replay_snapshot(self) -> Snapshot | None:
        timeline = self.timeline_bar.timeline
        i = self._replay
        if timeline is None or i is None or timeline.originals is None or self.slot is None:
            return None
        return Snapshot(
            kind=self.slot.kind,
            originals=timeline.originals.astype(np.float32) / 255.0,
            reconstructions=timeline.reconstructions[i].astype(np.float32) / 255.0,
        )

    def flush(self) -> None:
        """Draw a slider move still waiting in the throttle now."""
        self._noise_later.flush()

    def refresh(self) -> None:
        """Show the slot: the live model on its data, a training snapshot, the shipped
        preview, or the data alone while the model loads."""
        slot = self.slot
        if slot is None:
            return
        data = slot.data
        if data is not None:
            self.set_source(data.source, data.generated)
        else:
            self.source_label.setText(self.tr("Data: none loaded yet"))
            self.generated_badge.hide()
        pool = data.images if data is not None else None
        snap = slot.snapshot
        self._fn, self._live, self._waiting = None, False, False
        self._snap_orig = self._snap_rec = None
        if pool is not self._originals:
            self._picked_for = None  # new data: a new sample (a new epoch keeps the 25)
        self._originals = pool
        replay = self._replay_snapshot()
        if replay is not None:
            self._set_snapshot(replay)
        elif slot.training:
            if snap is not None:
                self._set_snapshot(snap)
        elif slot.model is not None:
            shape = tuple(slot.model.image_shape)
            if pool is not None and pool.shape[1:] != shape:
                self._originals = None
            self._fn, self._live = slot.model.reconstruct, True
        elif snap is not None and (pool is None or snap.originals is pool):
            self._set_snapshot(snap)  # the shipped preview, before TensorFlow
        elif pool is not None and len(pool):
            self._waiting = True
        self._refresh()
        if replay is not None:
            epoch = self.timeline_bar.epoch()
            self.mode_label.setText(
                arg(self.tr("Replay: the reconstructions after epoch %1"), epoch)
            )
        elif slot.training and snap is None:
            self.empty_label.setText(
                arg(self.tr(TRAINING_MESSAGE), kind_label(slot.spec.short_name))
            )

    # -- state that tests and the window read ------------------------------------------
    @property
    def mode(self) -> str:
        """ "live" (reconstructor), "snapshot" (training), "waiting" (the data, while the
        model loads), "no-data" or "empty"."""
        if self._live and self._fn is not None:
            return "live" if self._originals is not None and len(self._originals) else "no-data"
        if self._snap_orig is not None:
            return "snapshot"
        if self._waiting and self._originals is not None and len(self._originals):
            return "waiting"
        return "empty"

    def sample_indices(self) -> np.ndarray:
        return self._indices.copy()

    def shown_inputs(self) -> np.ndarray:
        """What the model was given (noisy when σ > 0)."""
        return self._inputs.copy()

    def shown_reconstructions(self) -> np.ndarray:
        return self._recons.copy()

    def shown_originals(self) -> np.ndarray:
        """The clean sketches behind the inputs."""
        return self._clean.copy()

    def selected(self) -> int:
        return self._selected

    # -- slots --------------------------------------------------------------------------
    def resample(self) -> None:
        """25 new random sketches from the pool the current mode shows."""
        pool = self._pool()
        if pool is None:
            return
        self._pick(len(pool), pool.shape[1:])
        self._picked_for = (self.mode, pool.shape)
        self._refresh()

    def select(self, index: int) -> None:
        """Show pair ``index`` big in the detail view."""
        if 0 <= index < len(self._inputs):
            self._selected = index
            self._show_detail()

    def _on_noise(self, _value: float) -> None:
        if self.mode == "live":
            self._refresh()

    # -- internals ------------------------------------------------------------------------
    def _pool(self) -> np.ndarray | None:
        mode = self.mode
        if mode in ("live", "waiting"):
            return self._originals
        if mode == "snapshot":
            return self._snap_orig
        return None

    def _pick(self, n: int, shape: tuple[int, ...]) -> None:
        k = min(self.SAMPLE, n)
        chosen = self._rng.choice(n, size=k, replace=False) if n else np.zeros(0, np.int64)
        self._indices = np.sort(chosen)
        # One fixed noise pattern per sample, scaled by the slider.
        self._field = self._rng.standard_normal((k, *shape)).astype(np.float32)
        self._selected = 0

    def _refresh(self) -> None:
        mode = self.mode
        pool = self._pool()
        if pool is not None and (mode, pool.shape) != self._picked_for:
            self._pick(len(pool), pool.shape[1:])
            self._picked_for = (mode, pool.shape)
        showing = mode in ("live", "snapshot", "waiting")
        self.splitter.setVisible(showing)
        self.empty_label.setVisible(not showing)
        self.noise_slider.setEnabled(mode == "live")
        if mode == "empty":
            self.empty_label.setText(self.tr(EMPTY_MESSAGE))
            self.mode_label.setText("")
        elif mode == "no-data":
            self.empty_label.setText(self.tr(NO_DATA_MESSAGE))
            self.mode_label.setText("")
        if not showing:
            self.resample_button.setEnabled(False)
            return
        if mode == "live":
            assert self._originals is not None and self._fn is not None
            clean = self._originals[self._indices]
            sigma = float(self.noise_slider.value())
            inputs = add_noise(clean, sigma, self._field)
            try:
                recons = np.asarray(self._fn(inputs), dtype=np.float32)
            except Exception as exc:  # a model error must not take the window down
                log.exception("reconstruction failed")
                self._show_error(
                    arg(self.tr("The model could not reconstruct these sketches:\n%1"), exc)
                )
                return
            if recons.shape != inputs.shape:
                text = self.tr(
                    "The model returned images of shape %1, but the sketches are %2. "
                    "Load weights made for this data."
                )
                self._show_error(arg(text, recons.shape[1:], inputs.shape[1:]))
                return
            self.mode_label.setText(self.tr("Reconstructed live by the trained model"))
            self.originals_grid.set_title(
                arg(self.tr("Noisy inputs (σ = %1)"), QLocale().toString(sigma, "f", 2))
                if sigma > 0
                else self.tr("Originals")
            )
            self.noise_help.setEnabled(True)
        elif mode == "waiting":
            assert self._originals is not None
            clean = inputs = recons = self._originals[self._indices]
            self.mode_label.setText(self.tr(WAITING_TEXT))
            self.originals_grid.set_title(self.tr("Originals"))
            self.noise_help.setEnabled(False)
        else:
            assert self._snap_orig is not None and self._snap_rec is not None
            clean = self._snap_orig[self._indices]
            inputs = clean
            recons = self._snap_rec[self._indices]
            self.mode_label.setText(
                self.tr(
                    "Reconstructions from the latest weights (noise slider: once the model is live)"
                )
            )
            self.originals_grid.set_title(self.tr("Originals"))
            self.noise_help.setEnabled(False)
        self._clean, self._inputs, self._recons = clean, inputs, recons
        pool = self._pool()
        self.resample_button.setEnabled(pool is not None and len(pool) > self.SAMPLE)
        self.originals_grid.set_images(inputs)
        if mode == "waiting":
            self.recon_grid.clear(self.tr("Waiting for the model…"))
        else:
            self.recon_grid.set_images(recons)
        self._selected = min(self._selected, len(inputs) - 1)
        self._show_detail()

    def _show_detail(self) -> None:
        i = self._selected
        if i < 0 or i >= len(self._inputs):
            self.detail.clear(self.tr("Click a sketch to see it big."))
            return
        self.originals_grid.set_selected(i)
        self.recon_grid.set_selected(i)
        sigma = float(self.noise_slider.value()) if self.mode == "live" else 0.0
        # Live, room for three (noisy input, reconstruction, clean original) whether the
        # noise is on or not, so the pictures keep their size as the slider moves.
        self.detail.reserve_cells(1 if self.mode == "waiting" else 3)
        if self.mode == "waiting":
            self.detail.set_images([self._inputs[i]], [self.tr("original")])
        elif sigma > 0:
            self.detail.set_images(
                [self._inputs[i], self._recons[i], self._clean[i]],
                [self.tr("noisy input"), self.tr("reconstruction"), self.tr("clean original")],
            )
        else:
            self.detail.set_images(
                [self._inputs[i], self._recons[i]], [self.tr("original"), self.tr("reconstruction")]
            )
        count = len(self._inputs)
        if sigma > 0 and self.mode == "live":
            title = arg(
                self.tr("Sketch %1 of %2, σ %3"), i + 1, count, QLocale().toString(sigma, "f", 2)
            )
        else:
            title = arg(self.tr("Sketch %1 of %2"), i + 1, count)
        self.detail.set_title(title)

    def _show_error(self, text: str) -> None:
        self.splitter.setVisible(False)
        self.empty_label.setVisible(True)
        self.empty_label.setText(text)
        self.mode_label.setText("")
