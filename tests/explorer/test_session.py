"""The Qt-free application state: slots, their events, sessions folders. No Qt imported here."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from explorer.session import (
    DataDescription,
    Origin,
    Points,
    Session,
    clear_interrupted,
    find_interrupted,
    fit_images,
    mark_interrupted,
    new_session_dir,
    read_preview,
    same_codec,
    sessions_dir,
    shipped_parts,
)
from models.data.dataset import Dataset
from models.messages import Snapshot
from models.nets.codec import MLPCodec
from models.nets.kinds import KINDS, get_kind


class FakeModel:
    """Stands in for a TrainedModel: the slot only asks it for its NumPy codec."""

    def __init__(self, codec: MLPCodec | None) -> None:
        self._codec = codec

    def codec(self) -> MLPCodec | None:
        return self._codec


def _events(slot: Any) -> list[str]:
    seen: list[str] = []
    for name in ("model_changed", "snapshot_changed", "points_changed", "data_changed"):
        getattr(slot, name).connect(lambda *_a, name=name: seen.append(name))
    slot.training_changed.connect(lambda *_a: seen.append("training_changed"))
    slot.changed.connect(lambda: seen.append("changed"))
    return seen


def test_one_slot_per_registered_kind_and_one_for_the_sketch_cvae() -> None:
    session = Session()
    assert [slot.id for slot in session] == [*KINDS, "sketch_cvae"]
    assert session.slot("sketch_cvae").kind == "cvae"
    for spec in KINDS.values():
        slot = session.slot(spec.name)
        assert slot.spec is spec and slot.origin is Origin.NONE and slot.empty
        for panel in spec.panels:
            assert session.slot_for_panel(panel).spec.panels[0] == spec.panels[0]
    with pytest.raises(ValueError, match="unknown model"):
        session.slot("nope")


def test_this_module_does_not_import_qt() -> None:
    code = "import sys, explorer.session; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_model_snapshot_and_points_each_emit_their_event() -> None:
    slot = Session().slot("vae")
    seen = _events(slot)
    codec = MLPCodec.random(seed=1)
    slot.set_model(FakeModel(codec), Origin.LOADED, path=Path("/x/model"))
    assert seen == ["model_changed", "changed"]
    assert slot.codec is codec and slot.live and slot.describe_origin() == "loaded from /x/model"
    seen.clear()
    slot.set_training(True)
    assert seen == ["training_changed", "changed"] and not slot.live and slot.snapshot is None
    z = np.zeros((5, 2), np.float32)
    newer = MLPCodec.random(seed=2)
    slot.set_snapshot(Snapshot(kind="vae", codec=newer, val_z_mean=z, val_labels=np.arange(5)))
    assert seen[-2:] == ["snapshot_changed", "changed"]
    assert slot.codec is newer and slot.points is not None and slot.points.z is z
    seen.clear()
    slot.set_points(Points(z[:2], None))
    slot.set_data(DataDescription("digits", False, None, 5))
    assert seen == ["points_changed", "changed", "data_changed", "changed"]


def test_a_model_with_the_same_weights_keeps_the_shown_codec() -> None:
    """The run's final model equals its last epoch's snapshot: no redraw is needed."""
    slot = Session().slot("vae")
    codec = MLPCodec.random(seed=3)
    slot.set_snapshot(Snapshot(kind="vae", codec=codec, val_z_mean=np.zeros((3, 2), np.float32)))
    copy = MLPCodec(**{f.name: getattr(codec, f.name) for f in dataclasses.fields(codec)})
    assert copy is not codec and same_codec(copy, codec)
    slot.set_model(FakeModel(copy), Origin.TRAINED, keep_points=True)
    assert slot.codec is codec and slot.points is not None and slot.origin is Origin.TRAINED
    assert not same_codec(codec, MLPCodec.random(seed=4)) and not same_codec(None, codec)


def test_shipped_parts_then_revert_after_training(monkeypatch: pytest.MonkeyPatch) -> None:
    import models.inference.shipped as shipped

    codec = MLPCodec.random(seed=5)
    z = np.ones((4, 2), np.float32)
    monkeypatch.setattr(shipped, "shipped_codec", lambda kind: codec)
    monkeypatch.setattr(shipped, "shipped_points", lambda kind: (z, np.arange(4)))
    slot = Session().slot("vae")
    parts = shipped_parts(slot.spec)
    assert parts is not None
    slot.set_shipped(**parts)
    assert slot.origin is Origin.SHIPPED and slot.model is None and slot.codec is codec
    assert slot.points is not None and slot.points.z is z
    slot.set_model(FakeModel(MLPCodec.random(seed=6)), Origin.TRAINED)
    assert slot.codec is not codec
    seen = _events(slot)
    slot.set_shipped(**parts)  # "Revert to shipped model"
    assert seen == ["model_changed", "changed"]
    assert slot.codec is codec and slot.model is None and slot.origin is Origin.SHIPPED


def test_a_preview_brings_its_own_source_text(tmp_path: Path) -> None:
    spec = get_kind("autoencoder")
    originals = np.zeros((6, 32, 32), np.float32)
    np.savez(
        tmp_path / "preview.npz",
        originals=originals,
        reconstructions=originals,
        source=np.array("Quick Draw file cat.npy (60 drawings)"),
        generated=np.array(False),
    )
    parts = read_preview(tmp_path, spec, shipped=True)
    assert parts is not None
    data = parts["data"]
    assert data.source.startswith("Quick Draw file cat.npy (60 drawings)")
    assert "shipped model" in data.source and not data.generated
    assert parts["snapshot"].originals.shape == (6, 32, 32)
    assert read_preview(tmp_path / "none", spec) is None


def test_the_shipped_autoencoder_preview_names_its_data() -> None:
    parts = shipped_parts(get_kind("autoencoder"))
    assert parts is not None
    assert "Quick Draw" in parts["data"].source and "shipped model" in parts["data"].source


def test_data_descriptions_come_from_the_dataset(make_bars: Any) -> None:
    sketches = Dataset(np.ones((10, 28, 28), np.float32), None, "Quick Draw file x.npy", "q")
    desc = DataDescription.of(sketches, get_kind("autoencoder"))
    assert desc.source == "Quick Draw file x.npy" and desc.count == 10
    assert desc.images is not None and desc.images.shape == (10, 32, 32)  # padded to 32
    assert fit_images(np.ones((2, 40, 40), np.float32), get_kind("autoencoder")) is None
    digits = make_bars()
    assert DataDescription.of(digits, get_kind("vae")).images.shape[1:] == (28, 28)


def test_opened_data_goes_to_the_kind_that_trains_on_it() -> None:
    session = Session()
    assert session.kind_for_spec("quickdraw:/tmp/cat.npy").default_data.startswith("quickdraw")
    assert session.kind_for_spec("mnist:/tmp/d.npz").default_data.startswith("mnist")


def test_an_interrupted_run_is_found_until_answered(tmp_path: Path) -> None:
    base = tmp_path / "sessions"
    assert find_interrupted(base) is None
    old = base / "20260101-120000-vae"
    new = base / "20260102-120000-cvae"
    plain = base / "20260103-120000-vae"
    for folder in (old, new, plain):
        folder.mkdir(parents=True)
    mark_interrupted(old, epochs=2, batches=40)
    time.sleep(0.01)
    mark_interrupted(new, epochs=1, batches=10)
    os.utime(old / "interrupted.json", (1, 1))
    assert find_interrupted(base) == new  # the newest marked one; never the unmarked
    clear_interrupted(new)
    assert find_interrupted(base) == old
    clear_interrupted(old)
    assert find_interrupted(base) is None


def test_sessions_live_in_the_cache_and_never_collide(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from datetime import datetime

    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path))
    assert sessions_dir() == tmp_path / "sessions"
    now = datetime(2026, 1, 2, 3, 4, 5)
    first = new_session_dir("vae", now)
    first.mkdir(parents=True)
    second = new_session_dir("vae", now)
    assert first.name == "20260102-030405-vae" and second.name == "20260102-030405-vae-2"
    assert find_interrupted() is None


def test_a_slot_records_epochs_in_its_timeline_without_qt() -> None:
    from explorer.session import Slot
    from models.messages import EpochResult, Snapshot
    from models.nets.codec import MLPCodec
    from models.nets.kinds import KINDS

    spec = next(s for s in KINDS.values() if s.has_map and not s.conditional)
    slot = Slot(spec)
    seen: list[object] = []
    slot.timeline_changed.connect(seen.append)
    z = np.zeros((5, 2), np.float32)
    for e in range(2):
        snap = Snapshot(kind=spec.name, codec=MLPCodec.random(), val_z_mean=z + e)
        slot.record_epoch(EpochResult(e, 2, {"loss": 1.0}, {"loss": 1.0}, snap))
    slot.record_epoch(EpochResult(2, 3, {}, {}, None))  # no snapshot: nothing recorded
    assert slot.timeline is not None and slot.timeline.epochs == [1, 2]
    assert len(seen) == 2 and seen[-1] is slot.timeline
    slot.set_shipped()  # another model: its run's timeline is gone
    assert slot.timeline is None and seen[-1] is None


class NamedModel(FakeModel):
    """A fake TrainedModel of ``kind`` whose config names its classes (or not)."""

    def __init__(self, kind: str, class_names: tuple[str, ...] | None) -> None:
        super().__init__(None)
        self.kind = kind
        self.config = dataclasses.make_dataclass("Config", ["class_names"])(class_names)
        self.history: list[dict[str, float]] = []


def test_the_sketch_cvae_goes_beside_the_digit_cvae_not_over_it() -> None:
    session = Session()
    listed: list[int] = []
    session.slots_changed.connect(lambda: listed.append(len(session.slots_for_panel("cvae"))))
    digits, sketches = NamedModel("cvae", None), NamedModel("cvae", ("cat", "fish"))
    assert session.slot_for_model(digits).id == "cvae"
    assert session.slot_for_model(sketches).id == "sketch_cvae"
    assert [s.id for s in session.slots_for_panel("cvae")] == ["cvae"]  # not loaded yet
    session.slot_for_model(digits).set_model(digits, Origin.LOADED)
    session.slot_for_model(sketches).set_model(sketches, Origin.LOADED)
    assert listed == [2]
    assert [s.id for s in session.slots_for_panel("cvae")] == ["cvae", "sketch_cvae"]
    assert session.slot("cvae").model is digits and session.slot("sketch_cvae").model is sketches
    assert len(session.slots_for_panel("draw")) == len(KINDS) + 1


def test_a_run_trains_into_the_slot_of_its_data(make_config: Any) -> None:
    session = Session()
    assert session.slot_for_config(make_config("cvae")).id == "cvae"
    assert session.slot_for_config(make_config("cvae", data="quickdraw:cat")).id == "sketch_cvae"
    assert session.slot_for_config(make_config("vae", data="quickdraw:cat")).id == "vae"


def test_run_state_mix_and_zoom_are_evented_values() -> None:
    from explorer.session import RunPhase, RunState

    session = Session()
    runs: list[Any] = []
    mixes: list[Any] = []
    zooms: list[float] = []
    session.run_changed.connect(runs.append)
    session.mix_changed.connect(mixes.append)
    session.zoom_changed.connect(zooms.append)
    session.set_run(RunState(RunPhase.TRAINING, "vae", 0, 100, "VAE (digits)"))
    session.set_run(epoch=18)
    session.set_run(epoch=18)  # no change: no event
    assert [(r.phase, r.epoch) for r in runs] == [(RunPhase.TRAINING, 0), (RunPhase.TRAINING, 18)]
    assert session.run.active and session.run.epochs == 100
    session.set_mix(np.array([0.5, 0.5]))
    session.set_mix(np.array([0.5, 0.5]))
    session.set_zoom(1.5)
    assert len(mixes) == 1 and zooms == [1.5] and session.zoom == 1.5
