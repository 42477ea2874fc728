"""The latent map on sketches: a legend by category, drawings as thumbnails, conv models
decoded in a worker."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from explorer.panels.latent_map import LatentMapPanel
from explorer.session import DataDescription, Points, Session
from explorer.widgets.categories import class_color
from models.inference.decoding import ModelDecoder
from models.nets.codec import MLPCodec
from models.nets.kinds import find_kind

NAMES = (*(f"thing {i}" for i in range(17)), "cat")


class FakeModel:
    """A model with no NumPy twin (a conv VAE) that records the threads it decodes on."""

    def __init__(self, codec: MLPCodec, names: tuple[str, ...] | None = None) -> None:
        self._codec = codec
        self.threads: list[int] = []

        class Spec:
            conditional = codec.conditional
            has_map = True

        class Config:
            resolved_latent_dim = codec.latent_dim
            num_classes = max(codec.num_classes, 1)
            class_names = names

        self.spec, self.config, self.image_shape = Spec(), Config(), codec.image_shape

    def codec(self) -> None:
        return None

    def decode(self, z: np.ndarray, labels: Any = None) -> np.ndarray:
        self.threads.append(threading.get_ident())
        return self._codec.decode(z, labels)

    def encode_mean(self, images: np.ndarray, labels: Any = None) -> np.ndarray:
        self.threads.append(threading.get_ident())
        return self._codec.encode_mean(images, labels)


@pytest.fixture
def panel(qtbot: Any) -> LatentMapPanel:
    w = LatentMapPanel(seed=1)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    return w


def vae_slot() -> Any:
    spec = find_kind(variational=True, conditional=False)
    assert spec is not None
    return Session([spec]).slot(spec.name)


def test_legend_and_points_by_category(panel: LatentMapPanel) -> None:
    slot = vae_slot()
    codec = MLPCodec.random(latent=2, image_shape=(32, 32), seed=2)
    rng = np.random.default_rng(0)
    labels = np.arange(90) % 18
    z = rng.normal(size=(90, 2)).astype(np.float32)
    slot.set_shipped(codec=codec, points=Points(z, labels))

    class Model:
        config = type("C", (), {"class_names": NAMES, "num_classes": 18})()

    slot.model = Model()  # what the names are read from (a loaded model's config)
    panel.follow(slot)
    assert panel.legend_names() == list(NAMES)
    assert "cat" in [panel.digit_combo.itemText(i) for i in range(panel.digit_combo.count())]
    assert panel.points_check.text() == "points"
    brushes = panel.points_item.data["brush"]
    assert brushes[17].color().name() == class_color(17).lower()
    assert brushes[17].color().name() != brushes[7].color().name()  # not modulo 10


def test_drawings_as_thumbnails_at_their_codes(panel: LatentMapPanel) -> None:
    slot = vae_slot()
    codec = MLPCodec.random(latent=2, seed=3)
    images = np.random.default_rng(1).random((40, 28, 28)).astype(np.float32)
    slot.set_shipped(codec=codec, data=DataDescription("test", False, images, 40))
    panel.follow(slot)
    assert panel.sprites.count == 0  # off by default
    panel.sprites_check.setChecked(True)
    assert panel.sprites.count == 40 and panel.sprites.visible
    z = codec.encode_mean(images)
    np.testing.assert_allclose(panel.sprites.positions(), z[:, :2], atol=1e-4)
    panel.sprites_check.setChecked(False)
    assert not any(item.isVisible() for item in panel.sprites.items)


def test_a_conv_model_decodes_the_grid_in_a_worker(panel: LatentMapPanel, qtbot: Any) -> None:
    codec = MLPCodec.random(latent=2, image_shape=(32, 32), seed=4)
    model = FakeModel(codec, NAMES)
    slot = vae_slot()
    slot.model = model
    panel.follow(slot)
    assert isinstance(panel.codec(), ModelDecoder)
    qtbot.waitUntil(lambda: not panel.decodes.busy and panel.preview.images() != [], timeout=5000)
    qtbot.waitUntil(lambda: panel.grid_item.image is not None, timeout=5000)
    n = panel.resolution_spin.value()
    assert panel.grid_item.image.shape == (n * 32, n * 32)
    np.testing.assert_allclose(panel.preview.image(0), codec.decode(np.zeros(2))[0], atol=1e-6)
    assert model.threads and threading.get_ident() not in model.threads
