"""Test set-up shared by every test: offscreen Qt, no network, seeded, no stray threads."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AE_EXPLORER_OFFLINE", "1")
# The app warms TensorFlow up after importing it (models/warmup.py, tested on its own);
# tests skip it so each window's loader thread ends quickly.
os.environ.setdefault("AE_EXPLORER_WARMUP", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# The window's remembered settings (QSettings: language, last export folder) and the
# platform config folder go to a throwaway folder, never the developer's own.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ae-explorer-test-config-")
# Tests read English texts whatever the machine's language (tests/explorer/test_i18n*.py
# choose the language themselves).
os.environ.setdefault("AE_EXPLORER_LANGUAGE", "en")

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own per-user cache folder, so nothing leaks between tests or to ~."""
    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("AE_EXPLORER_CONFIG", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("AE_EXPLORER_DATA", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(autouse=True)
def _no_leftover_threads() -> Iterator[None]:
    """Fail any test that leaves a Python or Qt worker thread running (napari does the same)."""
    before = set(threading.enumerate())
    yield
    leftover = [
        t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon
    ]
    for t in leftover:
        t.join(timeout=5)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"test left threads running: {still}"
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    assert pool.waitForDone(5000), "test left QThreadPool work running"
