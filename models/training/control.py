"""Stop, Pause, Resume and slow motion for a running training loop, safe from any thread.

Slow motion is for a class watching a model learn: a pause between batches
(:meth:`TrainingControl.set_delay`), or, while paused, one batch (:meth:`step_batch`) or
one epoch (:meth:`step_epoch`) at a time. When none of it is in use, the loop's call between
batches costs one attribute read.
"""

from __future__ import annotations

import threading
import time


class TrainingControl:
    """Thread-safe Stop / Pause / Resume / slow motion for a running :func:`train` call.

    The loop calls :meth:`wait_while_paused` before each batch (``epoch_start`` True before
    an epoch's first batch); it blocks while paused, lets a granted step through, and sleeps
    the slow-motion delay.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._paused = False
        self._delay = 0.0
        self._batch_steps = 0
        self._epoch_step = False
        self._epoch_step_started = False
        self._plain = True
        """Running, no delay, no step pending: the loop's check returns at once."""

    def _update(self) -> None:
        # Called with the lock held, after any change; wakes a waiting loop.
        self._plain = not (self._paused or self._delay > 0 or self._epoch_step) or self.stopped
        self._cond.notify_all()

    # -- commands (any thread) -------------------------------------------------------------------
    def stop(self) -> None:
        with self._cond:
            self._stop.set()
            self._paused = False
            self._update()

    def pause(self) -> None:
        with self._cond:
            if not self._stop.is_set():
                self._paused = True
                self._epoch_step = False
                self._batch_steps = 0
                self._update()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._epoch_step = False
            self._batch_steps = 0
            self._update()

    def set_delay(self, seconds: float) -> None:
        """Wait this long before each batch (0: full speed)."""
        if not seconds >= 0:
            raise ValueError(f"the delay between batches must be 0 or more, not {seconds}")
        with self._cond:
            self._delay = float(seconds)
            self._update()

    def step_batch(self) -> None:
        """Let exactly one more batch run, then pause (pauses a running loop after it)."""
        with self._cond:
            if self._stop.is_set():
                return
            self._paused = True
            self._epoch_step = False
            self._batch_steps += 1
            self._update()

    def step_epoch(self) -> None:
        """Run to the end of the current epoch (a whole epoch if paused at its start), then
        pause before the next one."""
        with self._cond:
            if self._stop.is_set():
                return
            self._paused = True
            self._batch_steps = 0
            self._epoch_step = True
            self._epoch_step_started = False
            self._update()

    # -- state ---------------------------------------------------------------------------------
    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        """Paused (a granted step may still be running)."""
        return self._paused and not self._stop.is_set()

    @property
    def slow(self) -> bool:
        """Slow motion or stepping is in use (the loop then reports every batch)."""
        return not self._plain

    @property
    def delay(self) -> float:
        return self._delay

    # -- the loop's side -------------------------------------------------------------------------
    def wait_while_paused(self, epoch_start: bool = False) -> float:
        """Block while paused (a step lets batches through), then sleep the delay; return
        the seconds spent waiting. ``epoch_start``: the next batch begins an epoch."""
        if self._plain:
            return 0.0
        start = time.perf_counter()
        with self._cond:
            while not self._stop.is_set():
                if self._epoch_step:
                    if epoch_start and self._epoch_step_started:
                        self._epoch_step = False  # the epoch is done: pause here
                        self._update()
                        continue
                    self._epoch_step_started = True
                    break
                if not self._paused:
                    break
                if self._batch_steps > 0:
                    self._batch_steps -= 1
                    break
                self._cond.wait()
            delay = self._delay
            if delay > 0 and not self._stop.is_set():
                # Interruptible: Stop, Resume or a new delay wake it early.
                self._cond.wait(delay)
        return time.perf_counter() - start
