"""Category names everywhere: the CVAE tab on 18 Quick Draw categories, names, presets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from explorer.model_decoder import slot_decoder
from explorer.panels.cvae import GRID_COLUMNS, CVAEPanel, describe_mix
from explorer.widgets.categories import (
    GOOD_PAIRS,
    THEMES,
    label_names,
    legend_html,
    mix_presets,
    slot_names,
)
from models.inference.decoding import ModelDecoder
from models.nets.codec import MLPCodec

NAMES = ("airplane", "apple", "bird", "cat", "dog", "face", "fish", "flower", "house",
         "pig", "rabbit", "shark", "snail", "sun", "tree", "umbrella", "car", "bee")  # fmt: skip


def sketch_codec(seed: int = 0) -> MLPCodec:
    return MLPCodec.random(latent=4, num_classes=len(NAMES), image_shape=(32, 32), seed=seed)


@pytest.fixture
def panel(qtbot: Any) -> CVAEPanel:
    w = CVAEPanel()
    qtbot.addWidget(w)
    w.resize(1280, 720)
    return w


def test_label_names_come_from_the_config_or_are_digits() -> None:
    class Config:
        class_names = ("cat", "dog")
        num_classes = 2

    assert label_names(Config()) == ("cat", "dog")
    assert label_names(None) == tuple("0123456789")
    assert label_names(None, 3) == ("0", "1", "2")
    assert label_names(("cat",), 2) == ("cat", "1")  # never fewer names than labels
    assert "cat" in legend_html(NAMES) and "&#9679;" in legend_html(NAMES)


def test_presets_mix_interesting_named_pairs() -> None:
    presets = mix_presets(NAMES)
    assert presets["Half cat, half fish"] == {3: 0.5, 6: 0.5}
    assert 1 <= len(presets) <= 4
    digits = {"Pure 4": {4: 1.0}, "Half 8, half 3": {8: 0.5, 3: 0.5}}
    assert mix_presets(tuple("0123456789")) == digits
    odd = mix_presets(("kettle", "ladder", "mouth"))
    assert odd and all(v == {0: 0.5, 1: 0.5} for v in odd.values() if len(v) == 2)


SHIPPED_SKETCHES = ("angel", "apple", "bicycle", "cat", "cloud", "diamond", "dog", "eye",
                    "fish", "horse", "house", "house plant", "moon", "owl", "rainbow",
                    "sea turtle", "smiley face", "train")  # fmt: skip


def test_presets_are_chosen_pairs_not_alphabetical_neighbours() -> None:
    presets = mix_presets(SHIPPED_SKETCHES)
    assert list(presets) == ["Half cat, half fish", "Half horse, half dog",
                             "Half moon, half smiley face", "Half house, half train"]  # fmt: skip
    assert "Half angel, half apple" not in mix_presets(SHIPPED_SKETCHES, limit=18)
    pairs = [frozenset(SHIPPED_SKETCHES[i] for i in mix) for mix in presets.values()]
    assert len(set().union(*pairs)) == 8  # four presets, eight different categories
    more = mix_presets(SHIPPED_SKETCHES, limit=8)
    assert all(frozenset(p) in {frozenset(g) for g in GOOD_PAIRS}
               for p in ((SHIPPED_SKETCHES[i] for i in mix) for mix in more.values()))  # fmt: skip
    # No known pair: categories of one theme go together (two animals, two vehicles, two
    # fruits), never the same pair twice.
    names = ("apple", "train", "sheep", "banana", "car", "zebra")
    themed = mix_presets(names)
    assert list(themed)[:3] == ["Half sheep, half zebra", "Half train, half car",
                                "Half apple, half banana"]  # fmt: skip
    assert len({frozenset(m) for m in themed.values()}) == len(themed)
    assert mix_presets(("dog", "horse")) == {"Half horse, half dog": {1: 0.5, 0: 0.5},
                                             "Pure dog": {0: 1.0}}  # fmt: skip


def test_the_curated_pairs_are_quick_draw_categories() -> None:
    from models.data.categories import CATEGORIES

    named = {n for pair in GOOD_PAIRS for n in pair} | {n for t in THEMES.values() for n in t}
    assert named <= set(CATEGORIES), sorted(named - set(CATEGORIES))


def test_one_named_slider_per_category(panel: CVAEPanel) -> None:
    codec = sketch_codec()
    panel.set_codec(codec, NAMES)
    assert panel.stack.currentIndex() == 1
    assert len(panel.digit_sliders) == len(NAMES)
    assert [lab.text() for lab in panel.mix.class_labels] == list(NAMES)
    assert "Category mix" in panel.mix_box.title()
    assert "Half cat, half fish" in panel.preset_buttons


def test_half_cat_half_fish(panel: CVAEPanel) -> None:
    codec = sketch_codec()
    panel.set_codec(codec, NAMES)
    panel.preset_buttons["Half cat, half fish"].click()
    label = panel.label_vector()
    assert label[NAMES.index("cat")] == 0.5 and label[NAMES.index("fish")] == 0.5
    assert label.sum() == 1.0
    assert panel.mix_text() == "0.50 × cat + 0.50 × fish"
    expected = codec.decode(panel.style_vector(), label)[0]
    np.testing.assert_allclose(panel.generated_image(), expected, atol=1e-6)
    assert panel.image_view.captions() == ["0.50 × cat + 0.50 × fish"]
    panel.set_mix({"pig": 1.0})
    assert panel.mix_text() == "a pure pig"
    with pytest.raises(ValueError, match="zebra"):
        panel.set_mix({"zebra": 1.0})


def test_style_grid_is_category_by_style(panel: CVAEPanel) -> None:
    codec = sketch_codec()
    panel.set_codec(codec, NAMES)
    grid = panel.grid_images()
    assert grid.shape == (len(NAMES), GRID_COLUMNS, 32, 32)
    assert panel.grid_view.grid_shape() == (len(NAMES), GRID_COLUMNS)
    assert panel.grid_view._row_labels == list(NAMES)
    z = np.zeros(4, np.float32)
    z[0] = panel.grid_values()[0]
    np.testing.assert_allclose(grid[3, 0], codec.decode(z, np.eye(18)[3])[0], atol=1e-6)
    assert "category" in panel.grid_view.title()


def test_back_to_digits_restores_the_digit_sliders(panel: CVAEPanel) -> None:
    panel.set_codec(sketch_codec(), NAMES)
    panel.set_codec(MLPCodec.random(latent=2, num_classes=10))
    assert [lab.text() for lab in panel.mix.class_labels] == [str(d) for d in range(10)]
    assert describe_mix(panel.label_vector(), panel.names).startswith(("a pure", "no digit"))


def test_describe_mix_with_names() -> None:
    label = np.zeros(18, np.float32)
    assert describe_mix(label, NAMES) == "no category (all sliders at 0)"
    label[3] = 1.0
    assert describe_mix(label, NAMES) == "a pure cat"
    assert describe_mix(np.eye(10)[8]) == "a pure 8"


class FakeModel:
    """Just enough of a TrainedModel (a conv CVAE: no NumPy twin) for the worker decoder."""

    def __init__(self, codec: MLPCodec) -> None:
        self._codec = codec
        self.decode_threads: list[int] = []

        class Spec:
            conditional = True
            has_map = True

        class Config:
            resolved_latent_dim = codec.latent_dim
            num_classes = codec.num_classes
            class_names = NAMES

        self.spec, self.config = Spec(), Config()
        self.image_shape = codec.image_shape

    def codec(self) -> None:
        return None

    def decode(self, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        import threading

        self.decode_threads.append(threading.get_ident())
        lab = np.asarray(labels)
        if lab.ndim == 1:  # as TrainedModel: a 1-D array holds class indices
            lab = np.eye(self._codec.num_classes, dtype=np.float32)[lab.astype(int)]
        return self._codec.decode(z, lab)


def test_a_conv_model_decodes_in_a_worker(panel: CVAEPanel, qtbot: Any) -> None:
    import threading

    codec = sketch_codec(1)
    model = FakeModel(codec)

    class Slot:
        training = False

    slot = Slot()
    slot.codec, slot.model, slot.path = None, model, None  # type: ignore[attr-defined]
    wrapped = slot_decoder(slot)
    assert isinstance(wrapped, ModelDecoder) and wrapped.needs_worker
    assert slot_decoder(slot) is wrapped  # one per model
    assert slot_names(slot) == NAMES
    panel.set_codec(wrapped, slot_names(slot))
    panel.set_mix({"cat": 0.5, "fish": 0.5})
    qtbot.waitUntil(lambda: not panel.decodes.busy and len(panel.grid_view.images()) == 180,
                    timeout=5000)  # fmt: skip
    qtbot.waitUntil(lambda: panel.image_view.captions() == ["0.50 × cat + 0.50 × fish"],
                    timeout=5000)  # fmt: skip
    expected = codec.decode(panel.style_vector(), panel.label_vector())[0]
    np.testing.assert_allclose(panel.generated_image(), expected, atol=1e-6)
    assert model.decode_threads and threading.get_ident() not in model.decode_threads


def test_slot_names_read_the_model_folder(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model": "cvae", "class_names": ["a", "b"]}))

    class Slot:
        model = None
        path = tmp_path

    assert slot_names(Slot()) == ("a", "b")
    Slot.path = tmp_path / "elsewhere" / "model.weights.h5"
    assert slot_names(Slot()) is None


def test_names_while_training_come_from_the_data(qtbot: Any) -> None:
    """A run on 18 categories names its classes from the first epoch, not "0".."17"."""
    from explorer.controller import TrainingController
    from explorer.workers import DataInfo

    controller = TrainingController()
    slot = controller.session.slot_for_panel("cvae")

    class Worker:
        config = type("C", (), {"model": slot.kind})()

    controller.worker = Worker()  # type: ignore[assignment]
    slot.set_training(True)
    info = DataInfo("quickdraw:x", "x", False, 10, 2, np.zeros((2, 28, 28), np.float32),
                    class_names=NAMES)  # fmt: skip
    controller._on_data_ready(info)
    controller.worker = None
    assert slot_names(slot) == NAMES


def test_grid_columns_vary_the_dimension_that_changes_the_drawings_most(panel: CVAEPanel) -> None:
    codec = sketch_codec(2)
    # Make z[3] the only dimension the decoder listens to.
    dec_w = codec.dec_w.copy()
    dec_w[:4] = 0.0
    dec_w[3] = 3.0
    import dataclasses

    codec = dataclasses.replace(codec, dec_w=dec_w)
    panel.set_codec(codec, NAMES)
    assert panel.grid_dim() == 3
    grid = panel.grid_images()
    assert not np.allclose(grid[0, 0], grid[0, -1])


def test_a_worker_codec_decodes_the_same_grid_as_the_numpy_codec() -> None:
    """The conv models' grid (ModelDecoder) and the NumPy codec's share one grid of points and
    one mosaic: same orientation, centre, base and dimensions."""
    codec = sketch_codec(2)
    wrapped = ModelDecoder(FakeModel(codec))
    mix = np.zeros(len(NAMES), np.float32)
    mix[[3, 6]] = 0.5
    base = np.linspace(-1, 1, codec.latent_dim).astype(np.float32)
    options = {"n": 4, "extent": 2.0, "dims": (2, 0), "base": base, "center": (0.5, -1.0)}
    grid = wrapped.decode_grid(labels=mix, **options)  # type: ignore[arg-type]
    assert grid.shape == (4 * 32, 4 * 32)
    np.testing.assert_allclose(grid, codec.decode_grid(labels=mix, **options), atol=1e-6)  # type: ignore[arg-type]
    # Top left: the lowest x (dims[0] = 2) and the highest y (dims[1] = 0).
    top_left = codec.decode(np.array([[-1.0 + 2.0, base[1], 0.5 - 2.0, base[3]]]), mix)[0]
    np.testing.assert_allclose(grid[:32, :32], top_left, atol=1e-6)
