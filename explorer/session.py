"""The application's state, without Qt: one slot per model kind, and plain events.

napari keeps its plain models in ``components/`` and its Qt views in ``_qt/``; this is the
same split. A :class:`Slot` holds what the window knows about one kind of model: the current
model (or, before TensorFlow has loaded, the shipped NumPy codec or preview), its latest
training snapshot, its validation points, a description of its data, and where it came
from. The controller writes to the slots; each panel is given its slot and follows its
psygnal events. Nothing here imports Qt, so it is tested (and usable) without a display.

A run's folder (its marks, its checkpoints, whether it can be continued) is the engine's:
:mod:`models.runs.saved`, re-exported here for the window's modules.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from psygnal import Signal

from explorer.latent_view import LatentView
from explorer.run_state import RunPhase, RunState
from explorer.slot_data import (
    DataDescription,
    Origin,
    Points,
    SlotSpec,
    encode_points,
    fit_images,
    read_preview,
    read_saved_points,
    same_codec,
    shipped_parts,
    slot_specs,
)
from models.inference.timeline import Frame, Timeline
from models.messages import EpochResult, Snapshot
from models.nets.kinds import KINDS, KindSpec, get_kind, kind_for_panel
from models.paths import sessions_dir
from models.runs.saved import (
    INTERRUPTED_FILE,
    RUN_FILES,
    RUN_PRESERVED,
    ResumableRun,
    clear_interrupted,
    crashed,
    find_interrupted,
    find_resumable,
    folder_busy,
    has_model,
    mark_interrupted,
    mark_running,
    new_session_dir,
    resumable_run,
)
from models.runs.saved import (
    continued_timeline as continued_timeline,
)
from models.runs.saved import (
    run_checkpoints as run_checkpoints,
)

log = logging.getLogger(__name__)


# -- small values: explorer.slot_data (re-exported here) ----------------------------------------


# -- the slots ---------------------------------------------------------------------------------
class Slot:
    """The state of one model place, with events the panels follow.

    Each specific event is followed by ``changed``, which is what most panels listen to.
    """

    model_changed = Signal(object)
    snapshot_changed = Signal(object)
    points_changed = Signal(object)
    data_changed = Signal(object)
    training_changed = Signal(bool)
    timeline_changed = Signal(object)
    """The slot's Timeline (a new epoch recorded, a new run, or a loaded one; None: gone)."""
    changed = Signal()

    def __init__(self, spec: KindSpec, place: SlotSpec | None = None) -> None:
        place = place or SlotSpec(spec.name, spec.name)
        self.place = place
        self.id = place.id
        """The slot's key in the session ("vae", "cvae", "sketch_cvae")."""
        self.spec = spec.for_arch(place.arch) if place.arch else spec
        self.model: Any = None
        """The current TrainedModel (TensorFlow), or None."""
        self.codec: Any = None
        """A NumPy codec of the current model (kinds with ``numpy_codec``), or None."""
        self.snapshot: Snapshot | None = None
        """The latest NumPy view of the model: a training epoch's, or the shipped preview."""
        self.points: Points | None = None
        self.data: DataDescription | None = None
        self.origin = Origin.NONE
        self.path: Path | None = None
        """The folder or file the model was loaded from (shipped or loaded)."""
        self.training = False
        """True while a run of this kind trains: panels show snapshots, not the model."""
        self.timeline: Timeline | None = None
        """Each epoch of the current run (or of a loaded run folder's ``timeline.npz``)."""
        self.class_names: tuple[str, ...] | None = None
        """The category names of the data a run of this kind trains on (None: digits)."""
        self._paired = False
        """``points.z[i]`` is the code of ``data.images[i]``: both are one run's validation
        set (its data first, then its epochs' snapshots), so no image need be encoded again."""

    def __repr__(self) -> str:
        return f"Slot({self.id!r}, origin={self.origin.name}, model={self.model is not None})"

    @property
    def kind(self) -> str:
        return self.spec.name

    @property
    def title(self) -> str:
        """What pickers and menus call this slot."""
        return self.place.title or self.spec.display_name

    @property
    def shipped_name(self) -> str:
        """The folder of its shipped model under resources/weights."""
        return self.place.shipped or self.id

    @property
    def live(self) -> bool:
        """A TensorFlow model is here and not being trained: it can be called on the GUI."""
        return self.model is not None and not self.training

    @property
    def empty(self) -> bool:
        return self.model is None and self.codec is None and self.snapshot is None

    @property
    def map_spec(self) -> KindSpec:
        """The spec of what the slot holds (its model's network, else the slot's own)."""
        spec = getattr(self.model, "spec", None)
        return spec if isinstance(spec, KindSpec) else self.spec

    def drawings_at_codes(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(codes, images) of the validation drawings whose codes are the slot's points, in
        the same order (a run's: the Latent map's thumbnails sit on their dots); None when
        the points are not the codes of the slot's images."""
        data, points = self.data, self.points
        if not self._paired or data is None or data.images is None or points is None:
            return None
        n = min(len(data.images), len(points.z))
        return points.z[:n], data.images[:n]

    def takes(self, kind: str, class_names: Sequence[str] | None) -> bool:
        """Whether a model of ``kind`` with these class names belongs here."""
        wanted = self.place.categories
        return kind == self.kind and (wanted is None or wanted == bool(class_names))

    def describe_origin(self) -> str:
        if self.origin is Origin.LOADED and self.path is not None:
            return f"loaded from {self.path}"
        return self.origin.value

    # -- writers (the controller) --------------------------------------------------------------
    def set_shipped(
        self,
        *,
        codec: Any = None,
        snapshot: Snapshot | None = None,
        points: Points | None = None,
        data: DataDescription | None = None,
        path: Path | None = None,
    ) -> None:
        """The shipped model's NumPy parts (no TensorFlow yet): a fresh start for the slot."""
        self.model = None
        self.codec = codec if codec is not None else (snapshot.codec if snapshot else None)
        self.snapshot = snapshot
        self.points = points
        self.data = data
        self._paired = False
        self.origin = Origin.SHIPPED if (codec is not None or snapshot is not None) else Origin.NONE
        self.path = path
        if self.timeline is not None:
            self.set_timeline(None)
        self.model_changed.emit(None)
        self.changed.emit()

    def set_model(
        self,
        model: Any,
        origin: Origin,
        *,
        path: Path | None = None,
        points: Points | None = None,
        data: DataDescription | None = None,
        keep_points: bool = False,
        training: bool | None = None,
    ) -> None:
        """A TensorFlow model became current (trained, loaded, or the shipped one loaded).

        ``keep_points`` keeps the points already here (they were encoded by this model:
        the last epoch's, or the shipped ones). ``data`` None keeps the current data.
        ``training=False`` ends a run in the same event (panels redraw once, not twice).
        """
        if training is not None:
            self.training = training
        self.model = model
        # The model's own network decides (a slot's spec is its first model's): a conv
        # model has no NumPy codec, and then the slot has none either.
        codec = model.codec() if getattr(model, "spec", self.spec).numpy_codec else None
        if not same_codec(self.codec, codec):
            self.codec = codec  # identical weights keep the old object: no redraw needed
        if not keep_points or points is not None:
            self.points = points
            self._paired = False
        if data is not None:
            self.data = data
            self._paired = False
        config = getattr(model, "config", None)
        names = getattr(config, "class_names", None)
        self.class_names = tuple(names) if names else None
        self.origin = origin
        self.path = path
        self.model_changed.emit(model)
        self.changed.emit()

    def set_snapshot(self, snapshot: Snapshot) -> None:
        """A training epoch's NumPy view: the newest codec, pairs and points."""
        self.snapshot = snapshot
        if snapshot.codec is not None:
            self.codec = snapshot.codec
        if snapshot.val_z_mean is not None:
            self.points = Points(snapshot.val_z_mean, snapshot.val_labels)
            # A run's epoch encodes the validation set its data (set first) shows.
            self._paired = self.training and self.data is not None
        self.snapshot_changed.emit(snapshot)
        self.changed.emit()

    def set_timeline(self, timeline: Timeline | None) -> None:
        """A new run's (empty) timeline, a loaded one, or None."""
        self.timeline = timeline
        self.timeline_changed.emit(timeline)

    def record_epoch(self, result: EpochResult) -> None:
        """Add a training epoch to the timeline (started if there is none); needs a snapshot."""
        if result.snapshot is None:
            return
        if self.timeline is None:
            self.timeline = Timeline()
        self.record_frame(self.timeline.frame(result))

    def record_frame(self, frame: Frame) -> None:
        """Add an epoch's frame, as the training worker computed it, to the timeline."""
        if self.timeline is None:
            self.timeline = Timeline()
        self.timeline.append(frame)
        self.timeline_changed.emit(self.timeline)

    def set_points(self, points: Points | None) -> None:
        self.points = points
        self._paired = False
        self.points_changed.emit(points)
        self.changed.emit()

    def set_data(self, data: DataDescription | None) -> None:
        self.data = data
        self._paired = False
        self.data_changed.emit(data)
        self.changed.emit()

    def set_training(self, training: bool) -> None:
        if training == self.training:
            return
        self.training = training
        if training:
            self.snapshot = None  # the previous model's pairs are not this run's
            self._paired = False
        self.training_changed.emit(training)
        self.changed.emit()


class Session:
    """The window's one truth: a :class:`Slot` per model place, the run, the mix and zoom.

    Events: ``slots_changed`` (the slots a panel lists may have changed: an optional slot
    filled or emptied), ``run_changed(RunState)``, ``mix_changed(ndarray | None)``,
    ``zoom_changed(float)``.
    """

    slots_changed = Signal()
    run_changed = Signal(object)
    mix_changed = Signal(object)
    zoom_changed = Signal(float)

    def __init__(self, kinds: Iterable[KindSpec] | None = None) -> None:
        specs = list(kinds) if kinds is not None else list(KINDS.values())
        by_name = {spec.name: spec for spec in specs}
        self.slots: dict[str, Slot] = {
            place.id: Slot(by_name[place.kind], place) for place in slot_specs(specs)
        }
        self._listed: dict[str, bool] = {}
        for slot in self.slots.values():
            if slot.place.optional:
                self._listed[slot.id] = not slot.empty
                slot.changed.connect(self._check_listed)
        self.run = RunState()
        """The training run's state (:meth:`set_run`)."""
        self.mix: np.ndarray | None = None
        """The CVAE tab's label vector (one weight per class), None before it is set."""
        self.zoom = 1.0
        """The presenter zoom factor (1.0: 100%)."""
        self.latent_view = LatentView()
        """What the Latent map shows (grid, dims, marker, A/B): its widgets write it."""

    def __iter__(self) -> Iterator[Slot]:
        return iter(self.slots.values())

    def slot(self, slot_id: str) -> Slot:
        """The slot ``slot_id`` (a kind's name is the id of its main slot)."""
        try:
            return self.slots[slot_id]
        except KeyError:
            get_kind(slot_id)  # ValueError naming the known kinds if it is not one
            raise

    def slot_for_panel(self, panel: str) -> Slot:
        """The main slot a panel shows (the first of :meth:`slots_for_panel`)."""
        return self.slot(kind_for_panel(panel).name)

    def slots_for_panel(self, panel: str) -> list[Slot]:
        """Every slot ``panel`` can show, main slots first; optional ones once they hold a
        model. The Draw tab ("draw") shows every kind."""
        return [
            slot for slot in self
            if (panel == "draw" or panel in slot.spec.panels)
            and (not slot.place.optional or not slot.empty)
        ]  # fmt: skip

    def slots_for_map(self) -> list[Slot]:
        """Every slot the Latent map can show: its main slot (the VAE) and each other slot
        that holds a model with a 2-D-capable latent space (a CVAE; an autoencoder only when
        its network has a map)."""
        main = self.slot_for_panel("latent")
        return [
            slot for slot in self
            if slot is main or (not slot.empty and slot.map_spec.has_map)
        ]  # fmt: skip

    def slot_for(self, kind: str, class_names: Sequence[str] | None = None) -> Slot:
        """The slot a model of ``kind`` with these class names goes to (a CVAE of named
        categories: the sketch CVAE's, beside the digit CVAE's)."""
        for slot in self:
            if slot.takes(kind, class_names):
                return slot
        return self.slot(kind)

    def slot_for_model(self, model: Any) -> Slot:
        """The slot a loaded or trained model goes to (by its kind and config)."""
        config = getattr(model, "config", None)
        return self.slot_for(str(model.kind), getattr(config, "class_names", None))

    def slot_for_config(self, config: Any) -> Slot:
        """The slot a run of ``config`` trains into: sketches (named categories) or digits,
        from its data before the data is read."""
        from models.data.specs import spec_family

        names = getattr(config, "class_names", None)
        sketches = bool(names) or spec_family(str(config.resolved_data)) == "sketches"
        return self.slot_for(str(config.model), ("sketches",) if sketches else None)

    def kind_for_spec(self, spec: str) -> KindSpec:
        """The kind that trains on data like ``spec``: the first whose default data comes
        from the same source (``quickdraw:FILE`` -> the sketch kind, ``mnist:FILE`` -> digits)."""
        scheme = spec.partition(":")[0]
        for slot in self:
            if slot.spec.default_data.partition(":")[0] == scheme:
                return get_kind(slot.kind)
        return get_kind(next(iter(self)).kind)

    # -- the run, the mix, the zoom ---------------------------------------------------------------
    def set_run(self, state: RunState | None = None, **changes: Any) -> RunState:
        """A new run state (whole, or these fields changed); ``run_changed`` if it differs."""
        new = state if state is not None else dataclasses.replace(self.run, **changes)
        if new != self.run:
            self.run = new
            self.run_changed.emit(new)
        return new

    def set_mix(self, mix: np.ndarray | None) -> None:
        """The CVAE's label vector (what its sliders show)."""
        value = None if mix is None else np.asarray(mix, np.float32).copy()
        same = (value is None and self.mix is None) or (
            value is not None and self.mix is not None and np.array_equal(value, self.mix)
        )
        if not same:
            self.mix = value
            self.mix_changed.emit(value)

    def set_zoom(self, factor: float) -> None:
        if float(factor) != self.zoom:
            self.zoom = float(factor)
            self.zoom_changed.emit(self.zoom)

    def _check_listed(self) -> None:
        changed = False
        for slot_id, listed in self._listed.items():
            now = not self.slots[slot_id].empty
            if now != listed:
                self._listed[slot_id] = now
                changed = True
        if changed:
            self.slots_changed.emit()


__all__ = [
    "INTERRUPTED_FILE",
    "RUN_FILES",
    "RUN_PRESERVED",
    "DataDescription",
    "Origin",
    "Points",
    "ResumableRun",
    "RunPhase",
    "RunState",
    "Session",
    "Slot",
    "SlotSpec",
    "clear_interrupted",
    "crashed",
    "encode_points",
    "find_interrupted",
    "find_resumable",
    "fit_images",
    "folder_busy",
    "has_model",
    "mark_interrupted",
    "mark_running",
    "new_session_dir",
    "read_preview",
    "read_saved_points",
    "resumable_run",
    "same_codec",
    "sessions_dir",
    "shipped_parts",
]
