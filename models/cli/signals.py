"""SIGTERM handled like Ctrl+C: what Slurm, systemd and ``docker stop`` send before a kill.

Python turns SIGINT into KeyboardInterrupt but lets SIGTERM kill the process at once
(exit -15, no message, nothing kept). Here SIGTERM raises :class:`Terminated`, a
KeyboardInterrupt, wherever Ctrl+C would interrupt: every ``finally`` and lock release runs,
and the CLI says so in one line and exits 143 (128 + 15). During training,
:func:`models.cli.scale.stop_on_sigint` stops after the current batch instead, so that the
last complete epoch is saved, as for Ctrl+C.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from typing import Any

INTERRUPTED_STATUS = 128 + signal.SIGINT
TERMINATED_STATUS = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived (raised where a KeyboardInterrupt would be)."""


def raise_terminated(signum: int, frame: Any) -> None:
    """A SIGTERM handler: interrupt the main thread like Ctrl+C does."""
    raise Terminated()


def exit_status(interrupt: KeyboardInterrupt) -> tuple[str, int]:
    """("interrupted", 130) for Ctrl+C, ("terminated", 143) for SIGTERM."""
    if isinstance(interrupt, Terminated):
        return "terminated", TERMINATED_STATUS
    return "interrupted", INTERRUPTED_STATUS


def handle_sigterm() -> Callable[[], None]:
    """From now on SIGTERM raises :class:`Terminated` in the main thread; returns the
    function that puts the previous handler back. Nothing changes when called from another
    thread, where Python allows no signal handlers."""
    try:
        previous = signal.signal(signal.SIGTERM, raise_terminated)
    except ValueError:  # not the main thread
        return lambda: None

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


@contextlib.contextmanager
def deferred(*signums: int) -> Iterator[None]:
    """While inside: SIGINT/SIGTERM (``signums``) are only noted; on leaving, the first one
    noted is raised (KeyboardInterrupt or :class:`Terminated`) at that safe point.

    Why: an exception raised in the middle of importing Qt (shiboken runs Python code while
    an extension module initializes) or inside one of PySide's Python overrides can abort
    the process, hang it at exit, or be printed and lost."""
    noted: list[int] = []

    def note(signum: int, frame: Any) -> None:
        noted.append(signum)

    previous: dict[int, Any] = {}
    try:
        for signum in signums or (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, note)
    except ValueError:  # not the main thread: no handlers there
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if noted:
        raise Terminated() if noted[0] == signal.SIGTERM else KeyboardInterrupt()
