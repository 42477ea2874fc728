"""Fixtures for the window tests: tiny learnable data, tiny configs, recorded message boxes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from models.data.dataset import Dataset
from models.nets.config import TrainConfig


def bars(n: int = 240, size: int = 28, seed: int = 0) -> Dataset:
    """Labelled images whose bar position encodes the digit: learnable in one epoch."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = np.zeros((n, size, size), np.float32)
    for i, d in enumerate(labels):
        images[i, 2 + 2 * d : 4 + 2 * d, 4:-4] = 1.0
    images += 0.05 * rng.random(images.shape).astype(np.float32)
    return Dataset(np.clip(images, 0, 1), labels, "test bars (in memory)", "bars")


def tiny(kind: str = "vae", **changes: Any) -> TrainConfig:
    """A model small enough to train in a second or two."""
    base: dict[str, Any] = {"model": kind, "epochs": 1, "batch_size": 32, "hidden_units": 16}
    base.update(changes)
    return TrainConfig(**base)


@pytest.fixture(scope="session", autouse=True)
def _pyqtgraph_configured() -> None:
    """pyqtgraph set up as the app does once at start-up (row-major images)."""
    from explorer.widgets.common import configure_pyqtgraph

    configure_pyqtgraph()


@pytest.fixture(scope="session", autouse=True)
def _app_font(qapp: Any) -> None:
    """The app's own font (make_app sets it): every window test measures what a user sees,
    whichever test happened to call make_app first."""
    from explorer.widgets.common import app_font

    qapp.setFont(app_font())


@pytest.fixture(scope="module", autouse=True)
def _collect_on_gui_thread(qapp: Any) -> Iterator[None]:
    """Cycles collected on the GUI thread only, as in the app (``explorer.gui_gc``): without
    it, a training worker's allocation could free an earlier test's window on the worker,
    which deadlocked the suite. Automatic collection again afterwards, for the engine tests
    that run no event loop."""
    from explorer.gui_gc import collect_on_gui_thread, restore_automatic

    collect_on_gui_thread()
    yield
    restore_automatic()


@pytest.fixture(scope="session")
def tensorflow_loaded() -> None:
    """Import TensorFlow once, outside any single test's time."""
    from models.nets.backend import keras_module

    keras_module()


@pytest.fixture
def digits() -> Dataset:
    return bars()


class MessageBoxes:
    """Records QMessageBox calls instead of blocking on a modal dialog."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def record(self, kind: str) -> Any:
        from PySide6.QtWidgets import QMessageBox

        def fake(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.calls.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return fake

    @property
    def texts(self) -> list[str]:
        return [text for _kind, _title, text in self.calls]


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[MessageBoxes]:
    from PySide6.QtWidgets import QMessageBox

    boxes = MessageBoxes()
    for kind in ("warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(boxes.record(kind)))
    yield boxes


@pytest.fixture
def make_config() -> Any:
    """``make_config(kind="vae", **changes)``: a tiny TrainConfig."""
    return tiny


@pytest.fixture
def make_bars() -> Any:
    """``make_bars(n=240, size=28, seed=0)``: a tiny learnable labelled Dataset."""
    return bars
