"""What the latent map shows, without Qt: the session's one copy of the view's state.

As napari keeps ``Dims`` and ``Camera`` in its models rather than in widgets, the Latent
map's widgets write intents here and redraw on its events (``view.events.center`` ...);
the Draw tab reads the picked point, the shown dimensions and the A/B ends from here, never
from the Latent map panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from psygnal import SignalGroupDescriptor

from models.inference.timeline import fit_range

MAX_RANGE = 50.0
"""The widest grid (± units around its centre)."""
MIN_RANGE = 0.5

Vector = tuple[float, ...]


def as_vector(z: np.ndarray | Vector | None) -> Vector | None:
    """A latent vector as a plain tuple (events compare it by value)."""
    return None if z is None else tuple(float(v) for v in np.asarray(z, np.float64).ravel())


@dataclass
class LatentView:
    """The latent map's view: grid, shown dimensions, the picked point, the strip's ends."""

    events = SignalGroupDescriptor()

    kind: str = ""
    """The session slot the map shows ("vae", "sketch_cvae"; "" when it shows none): the
    id of a kind's main slot is the kind's name."""
    center: tuple[float, float] = (0.0, 0.0)
    """Centre of the decoded grid in the shown dimensions ("Fit to data" moves it)."""
    range: float = 1.5
    """The grid covers centre ± range."""
    resolution: int = 10
    """Images per side of the grid."""
    dims: tuple[int, int] = (0, 1)
    """The latent dimensions shown across and up."""
    marker: tuple[float, float] = (0.0, 0.0)
    """The picked point in the shown dimensions (what "Decoded at the marker" shows)."""
    end_a: Vector | None = None
    """End A of the interpolation: a full latent vector."""
    end_b: Vector | None = None
    drawing: tuple[Vector, Vector] | None = field(default=None)
    """The Draw tab's drawing: (z_mean, z_log_var), marked on the map."""
    thumbnails: bool = False
    """The drawings are shown as thumbnails at their codes (a class set's run turns it on)."""

    def fit(self, z: np.ndarray) -> bool:
        """Centre and size the grid on points ``z`` (N, latent) in the shown dimensions:
        "Fit to data". False when there is nothing to fit to."""
        if z is None or not len(z) or z.ndim != 2 or z.shape[1] <= max(self.dims):
            return False
        x0, x1, y0, y1 = fit_range(z[:, list(self.dims)])
        self.center = ((x0 + x1) / 2, (y0 + y1) / 2)
        self.range = float(min(MAX_RANGE, max(MIN_RANGE, max(x1 - x0, y1 - y0) / 2)))
        return True

    def end(self, which: str) -> np.ndarray | None:
        """End "A" or "B" as an array, or None."""
        z = self.end_a if which == "A" else self.end_b
        return None if z is None else np.asarray(z, np.float32)

    def set_end(self, which: str, z: np.ndarray | None) -> None:
        if which not in ("A", "B"):
            raise ValueError(f"an interpolation has ends A and B, not {which!r}")
        if which == "A":
            self.end_a = as_vector(z)
        else:
            self.end_b = as_vector(z)

    def clear_ends(self) -> None:
        self.end_a = self.end_b = None

    def show_drawing(self, z_mean: np.ndarray | None, z_log_var: np.ndarray | None = None) -> None:
        """Mark a drawing on the map (None: remove it)."""
        if z_mean is None or z_log_var is None:
            self.drawing = None
        else:
            mean, log_var = as_vector(z_mean), as_vector(z_log_var)
            assert mean is not None and log_var is not None
            self.drawing = (mean, log_var)

    def shows(self, slot_id: str) -> bool:
        """True when the map shows the model of slot ``slot_id`` (its dims and ends are that
        model's)."""
        return bool(slot_id) and self.kind == slot_id


__all__ = ["MAX_RANGE", "LatentView", "as_vector"]
