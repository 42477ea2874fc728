"""Cycles holding Qt objects are freed on the GUI thread, never on a worker that allocates."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from PySide6.QtCore import QObject

from explorer import gui_gc


class _Holder:
    """A reference cycle (holder -> QObject child -> holder) only the collector can free."""

    def __init__(self) -> None:
        self.obj = QObject()
        self.obj.setProperty("holder", None)
        self.obj.back = self  # type: ignore[attr-defined]


def _freed_on(qtbot: Any) -> tuple[int | None, int]:
    """Make a cycle, drop it, allocate heavily on a worker; the thread that freed it."""
    freed_on: list[int] = []
    holder = _Holder()
    weakref.finalize(holder, lambda: freed_on.append(threading.get_ident()))
    del holder

    kept: list[list[int]] = []

    def allocate() -> None:  # far past generation 0's threshold, as tracing a step is
        kept.extend([i] for i in range(gc.get_threshold()[0] * 3))

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5_000)
    return freed_on[0], worker.ident or 0


def test_cycles_are_freed_on_the_gui_thread_not_on_the_allocating_worker(qtbot: Any) -> None:
    assert gui_gc.is_active()  # the test modules' fixture turns it on, as make_app does
    gc.collect()
    freed_on, worker = _freed_on(qtbot)
    assert freed_on == threading.main_thread().ident != worker


def test_without_it_the_worker_frees_them(qtbot: Any) -> None:
    """The hazard itself, so the test above cannot pass by accident."""
    gui_gc.restore_automatic()
    try:
        freed_on, worker = _freed_on(qtbot)
        assert freed_on == worker
    finally:
        gui_gc.collect_on_gui_thread()


def test_frozen_objects_are_not_scanned_again() -> None:
    before = gc.get_freeze_count()
    keep = [[i] for i in range(1000)]
    gui_gc.freeze_long_lived()
    try:
        assert gc.get_freeze_count() >= before + len(keep)
    finally:
        gc.unfreeze()  # the test process's other modules expect ordinary collection
