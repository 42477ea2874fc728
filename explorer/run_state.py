"""The training run's state as one value (Qt-free): the session holds it and emits
``run_changed`` when it changes; the buttons and the status bar render it."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class RunPhase(enum.Enum):
    """Where the window's training run is."""

    IDLE = "idle"
    TRAINING = "training"
    PAUSED = "paused"
    STOPPING = "stopping"
    STOPPED = "stopped"
    """Stopped by the user, or ended by an error (FINISHED would be IDLE again)."""

    @property
    def active(self) -> bool:
        """A worker runs (the settings are locked, Start is off)."""
        return self in (RunPhase.TRAINING, RunPhase.PAUSED, RunPhase.STOPPING)


@dataclass(frozen=True)
class RunState:
    """The run as one value: its phase, the slot it trains, the last completed epoch of
    how many, and what its end kept (``kept`` False: stopped before anything was kept)."""

    phase: RunPhase = RunPhase.IDLE
    slot: str | None = None
    epoch: int = 0
    """The last completed epoch (0: none yet)."""
    epochs: int = 0
    label: str = ""
    """The model's display name ("VAE (digits)")."""
    kept: bool = True

    @property
    def active(self) -> bool:
        return self.phase.active



__all__ = ["RunPhase", "RunState"]
