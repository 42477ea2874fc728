"""Python's cycle collector runs on the GUI thread only, while the window is up.

CPython collects cycles in whichever thread happens to allocate when a generation fills.
A training worker tracing a Keras step allocates a great deal, so it is usually that
thread; if the cycles it frees hold Qt objects (a closed window, a dialog, a plot item),
their C++ destructors run on the worker, and Qt can deadlock there against the GUI thread
(seen: the test run hung for 90 minutes, the worker inside a collection started while
tracing, the GUI thread waiting for the GIL). pyqtgraph's ``GarbageCollector`` turns
automatic collection off and collects on a GUI-thread timer instead; this module owns the
one instance and gives the tests a way to stop it again.

A full collection with TensorFlow loaded scans ~430,000 objects, ~200 ms here, and holds
the GIL throughout, whichever thread runs it. TensorFlow's own objects live as long as the
process, so once it has loaded :func:`freeze_long_lived` moves them out of the collector's
sight (``gc.freeze``). A run still adds its model's and traced step's objects, and
pyqtgraph's checker collects the oldest generation far more often than CPython would (after
every ten younger collections, where CPython waits until a quarter of the long-lived objects
are new): measured, 90–320 ms pauses while a model trained, the worst UI gap 121 ms. So
while a run trains (:func:`defer_full_while`), only the two young generations are collected;
the full collection comes when it ends.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from typing import Any

INTERVAL_S = 0.5
"""How often the GUI thread checks the collector's counts (it collects only when a
generation is over its threshold, as automatic collection would)."""

_collector: Any = None


def collect_on_gui_thread() -> None:
    """Disable automatic collection; collect on a GUI-thread timer (idempotent).

    Needs a QApplication; call it on the GUI thread.
    """
    global _collector
    if _collector is not None:
        return
    from pyqtgraph.util.garbage_collector import GarbageCollector

    class _Collector(GarbageCollector):  # type: ignore[misc]
        def check(self) -> None:
            if training():  # the young generations only; the full one when the run ends
                if gc.get_count()[0] > self.threshold[0]:
                    gc.collect(1 if gc.get_count()[1] > self.threshold[1] else 0)
                return
            super().check()

    _collector = _Collector(interval=INTERVAL_S)


_busy: list[weakref.WeakMethod[Callable[[], bool]]] = []


def defer_full_while(busy: Callable[[], bool]) -> None:
    """Hold off full collections while the bound method ``busy()`` says a run is training
    (its owner may be freed: it then stops counting)."""
    _busy.append(weakref.WeakMethod(busy))  # type: ignore[arg-type]


def training() -> bool:
    """Whether any registered owner says a run is training now."""
    alive = [(ref, ref()) for ref in _busy]
    _busy[:] = [ref for ref, method in alive if method is not None]
    return any(method() for _ref, method in alive if method is not None)


def freeze_long_lived() -> None:
    """Exempt every object alive now from future collections (after TensorFlow's import).

    Costs nothing; any garbage among them stays (once, at start-up). Safe on any thread.
    """
    gc.freeze()


def restore_automatic() -> None:
    """Stop the timer, collect what is left here on the GUI thread, re-enable automatic
    collection (for the tests: code without an event loop needs the automatic one)."""
    global _collector
    if _collector is not None:
        _collector.timer.stop()
        _collector = None
    gc.collect()
    gc.enable()


def is_active() -> bool:
    """Whether collection is on the GUI thread's timer now."""
    return _collector is not None and not gc.isenabled()
