"""The model's answer to the drawing, a mixin of :class:`explorer.panels.draw.DrawPanel`:

- VAE: the reconstruction and the drawing's z_mean with its 1σ/2σ ellipses (the mini map,
  and the session's latent view, which the Latent map tab draws as "your drawing");
- CVAE: "Which digit is this?" (p(label | drawing)) and the drawing written as every digit;
  a sketch CVAE: "Which category is this?" over its categories' names;
- autoencoder: the reconstruction and the validation sketches with the nearest codes; the
  Keras model answers through the decode service (a worker), never on the GUI thread.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from explorer.i18n import arg, kind_label
from explorer.latent_view import LatentView
from explorer.model_decoder import DecodeService
from explorer.session import Slot
from explorer.widgets.categories import label_names, slot_names
from explorer.widgets.plot_text import set_title
from models.inference.classify import IW_SAMPLES
from models.inference.decoding import model_decoder
from models.inference.pad import encode_stats, every_digit, nearest_by_code

LIVE_SAMPLES = 4
"""Importance samples for the CVAE's chart while the pen moves (exact after the stroke)."""
NEAREST = 6
"""Validation sketches shown by nearest code."""
WAIT_MODEL: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "DrawPanel", "The %1 answers once its model has loaded (TensorFlow is loading)."
)
DIGIT_QUESTION: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "DrawPanel", "Which digit is this?  p(label | drawing)"
)
CATEGORY_QUESTION: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "DrawPanel", "Which category is this?  p(label | drawing)"
)
"""The chart's title: a digit CVAE's question, and a sketch CVAE's."""
WAIT_TRAINING: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "DrawPanel", "The %1 answers after training (the model is busy learning)."
)


class DrawAnswers:
    """``respond`` and what it shows; expects the panel's widgets and state."""

    if TYPE_CHECKING:

        @property
        def slot(self) -> Slot | None: ...

    view: LatentView
    decodes: DecodeService
    _input: np.ndarray
    _posterior: np.ndarray | None
    _every: np.ndarray | None
    _recon: np.ndarray | None
    _z: tuple[np.ndarray, np.ndarray] | None
    _code: np.ndarray | None
    _nearest: np.ndarray
    _val_codes: tuple[int, int, np.ndarray] | None
    last_response_ms: float
    # the panel's widgets
    input_view: Any
    recon_view: Any
    nearest_view: Any
    every_view: Any
    bars: Any
    chart: Any
    info_label: Any
    map_note: Any
    mini: Any
    follow_check: Any
    responded: Any

    def respond(self, exact: bool = True) -> None:
        slot = self.slot
        if slot is None:
            return
        t0 = time.perf_counter()
        image = self.model_input()  # type: ignore[attr-defined]
        self._input = image
        self.input_view.set_images([image], [f"{image.shape[1]}×{image.shape[0]}"])
        empty = not float(image.sum()) > 0
        if empty:
            self._clear_answer(
                QCoreApplication.translate(
                    "DrawPanel", "Draw something: the model answers as you draw."
                )
            )
        elif slot.spec.numpy_codec:
            self._respond_codec(slot, image, exact)
        else:
            self._respond_model(slot, image)
        self.last_response_ms = (time.perf_counter() - t0) * 1000.0
        if self.follow_check.isChecked() and not empty:
            self._set_end_from_drawing("B")  # type: ignore[attr-defined]
        self.responded.emit()

    def _clear_answer(self, text: str) -> None:
        self._posterior = self._every = self._recon = self._code = None
        self._z = None
        self._nearest = np.zeros(0, np.int64)
        self.recon_view.clear("")
        self.nearest_view.clear("")
        self.every_view.clear("")
        self.bars.setOpts(x=np.arange(10), height=np.zeros(10))
        self.info_label.setText(text)
        self._show_map_drawing(None)

    def _respond_codec(self, slot: Slot, image: np.ndarray, exact: bool) -> None:
        codec = slot.codec
        if codec is None:
            text = QCoreApplication.translate("DrawPanel", "No %1 yet: train one or load weights.")
            self._clear_answer(arg(text, kind_label(slot.spec.short_name)))
            return
        if tuple(codec.image_shape) != image.shape:
            h, w = codec.image_shape[:2]
            text = QCoreApplication.translate("DrawPanel", "This model takes %1×%2 images.")
            self._clear_answer(arg(text, w, h))
            return
        if codec.conditional:
            result = every_digit(codec, image, IW_SAMPLES if exact else LIVE_SAMPLES)
            self._posterior = result.posterior
            self._every = result.images
            digits = [str(d) for d in range(len(result.posterior))]
            self._set_bars(result.posterior, digits, DIGIT_QUESTION)
            self.every_view.set_images(result.images, [str(d) for d in range(len(result.images))])
            label = np.eye(codec.num_classes, dtype=np.float32)[result.best]
            mean, log_var = encode_stats(codec, image[None], label[None])
            self._z = (mean[0], log_var[0])
            self._recon = codec.decode(mean, label)[0]
            p = float(result.posterior[result.best])
            text = QCoreApplication.translate("DrawPanel", "Most likely a %1 (p = %2).")
            self.info_label.setText(arg(text, result.best, QLocale().toString(p, "f", 2)))
        else:
            mean, log_var = encode_stats(codec, image[None])
            self._z = (mean[0], log_var[0])
            self._recon = codec.decode(mean)[0]
            sd = np.exp(0.5 * log_var[0])
            more = ", …" if len(sd) > 4 else ""
            zs = ", ".join(f"{v:+.2f}" for v in mean[0][:4])
            ss = ", ".join(f"{v:.2f}" for v in sd[:4])
            text = QCoreApplication.translate("DrawPanel", "z_mean = (%1)   σ = (%2)")
            self.info_label.setText(arg(text, zs + more, ss + more))
            self._show_map_drawing(self._z)
        self.recon_view.set_images([self._recon])

    def _show_map_drawing(self, z: tuple[np.ndarray, np.ndarray] | None) -> None:
        """The drawing on the mini map, and in the latent view when the Latent map shows
        this model (the map draws it from there)."""
        self.mini.show_drawing(z)
        slot = self.slot
        ours = slot is not None and self.view.shows(slot.id)
        if z is None or not ours:
            if self.view.drawing is not None:
                self.view.show_drawing(None)
            self.map_note.setText(
                QCoreApplication.translate(
                    "DrawPanel",
                    "Your drawing is marked on the Latent map tab, with its 1σ and 2σ ellipse.",
                )
                if ours
                else ""
            )
            return
        self.view.show_drawing(*z)
        self.map_note.setText(
            QCoreApplication.translate(
                "DrawPanel",
                'Your drawing is marked on the Latent map tab ("your drawing"), with the 1σ '
                "and 2σ ellipses of q(z | drawing).",
            )
        )

    # -- the autoencoder: the Keras model answers through the decode service ------------------
    def _respond_model(self, slot: Slot, image: np.ndarray) -> None:
        what = kind_label(slot.spec.short_name)
        if slot.model is None or not slot.live:
            text = WAIT_TRAINING if slot.training else WAIT_MODEL
            self._clear_answer(arg(QCoreApplication.translate("DrawPanel", text), what))
            return
        model = slot.model
        pool = slot.data.images if slot.data is not None else None
        cached = self._val_codes
        need_codes = pool is not None and (
            cached is None or cached[0] != id(model) or cached[1] != id(pool)
        )
        task_image = image.copy()

        conditional = bool(slot.spec.conditional)

        def work(decoder: Any) -> tuple[Any, ...]:
            if conditional:  # a CVAE of sketches: its best word, and the drawing as that word
                return conditional_answer(decoder.model, task_image)
            recon = np.asarray(decoder.model.reconstruct(task_image[None]), np.float32)[0]
            code = decoder.encode(task_image[None])[0]
            codes = decoder.encode(pool) if need_codes and pool is not None else None
            return recon, code, codes, None

        def deliver(result: tuple[Any, ...]) -> None:
            self._on_answer(id(model), id(pool), result)

        self.decodes.request("answer", model_decoder(model), work, deliver)

    def _on_answer(self, model_id: int, pool_id: int, result: tuple[Any, ...]) -> None:
        recon, code, codes, posterior = result
        if codes is not None:
            self._val_codes = (model_id, pool_id, codes)
        slot = self.slot
        if slot is None or slot.model is None or id(slot.model) != model_id:
            return  # the answer of a model no longer chosen
        self._recon, self._code = recon, code
        self.recon_view.set_images([recon])
        if posterior is not None:
            self._show_posterior(slot, posterior)
        else:
            self._show_nearest(slot)
            size = int(code.size)
            text = QCoreApplication.translate(
                "DrawPanel", "Code: %n numbers (the bottleneck).", "", size
            )
            self.info_label.setText(text)
        if self.follow_check.isChecked():
            self._set_end_from_drawing("B")  # type: ignore[attr-defined]
        self.responded.emit()

    def _on_answer_failed(self, key: str, message: str) -> None:
        if key == "answer":
            text = QCoreApplication.translate(
                "DrawPanel", "The model could not read the drawing: %1"
            )
            self.info_label.setText(arg(text, message))

    def _show_posterior(self, slot: Slot, posterior: np.ndarray) -> None:
        """A sketch CVAE's p(word | drawing) in the chart, its best word in words."""
        self._posterior = posterior
        names = label_names(slot_names(slot), len(posterior))
        self._set_bars(posterior, names, CATEGORY_QUESTION)
        best = int(np.argmax(posterior))
        text = QCoreApplication.translate("DrawPanel", "Most likely a %1 (p = %2).")
        p = QLocale().toString(float(posterior[best]), "f", 2)
        self.info_label.setText(arg(text, names[best], p))

    def _set_bars(self, heights: np.ndarray, names: Any, question: str) -> None:
        set_title(self.chart, QCoreApplication.translate("DrawPanel", question), 12)
        self.bars.setOpts(x=np.arange(len(heights)), height=heights)
        axis = self.chart.getPlotItem().getAxis("bottom")
        axis.setTicks([list(enumerate(names))])

    def _show_nearest(self, slot: Slot) -> None:
        cached, pool = self._val_codes, slot.data.images if slot.data is not None else None
        if cached is None or pool is None or self._code is None or cached[1] != id(pool):
            self.nearest_view.clear(
                QCoreApplication.translate("DrawPanel", "No validation sketches to compare with.")
            )
            return
        self._nearest = nearest_by_code(cached[2], self._code, NEAREST)
        self.nearest_view.set_images(pool[self._nearest], [f"#{i}" for i in self._nearest])


def conditional_answer(model: Any, image: np.ndarray) -> tuple[Any, ...]:
    """A Keras CVAE's answer to one drawing: (the reconstruction and z_mean under its most
    likely label, no validation codes, p(label | drawing))."""
    from models.inference.classify import label_posterior

    x = np.asarray(image, np.float32)[None]
    posterior = label_posterior(model, x, LIVE_SAMPLES)[0]
    best = np.array([int(np.argmax(posterior))])
    recon = np.asarray(model.reconstruct(x, best), np.float32)[0]
    code = np.asarray(model.encode_mean(x, best), np.float32)[0]
    return recon, code, None, posterior


__all__ = ["DrawAnswers", "conditional_answer"]
