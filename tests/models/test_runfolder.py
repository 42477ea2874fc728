"""The output folder as a transaction (models.runfolder), without TensorFlow: kills at every
step of a commit, locks between processes, stale temporaries, and descriptions that are
refused before anything is built (absurd sizes, non-zip .keras files, link loops)."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from models.cli.main import main
from models.errors import ExplorerError
from models.nets.config import TrainConfig
from models.nets.kinds import KindSpec
from models.runfolder import (
    INCOMPLETE,
    MANIFEST,
    FolderBusyError,
    IncompleteFolderError,
    RunFolder,
    SaveError,
    check_complete,
    staged_folder,
    write_file,
)

ROOT = Path(__file__).resolve().parents[2]
OWNED = ("a.txt", "b.txt", "c.txt", "only_old.txt")
GENERATIONS = {"old": ("a.txt", "b.txt", "only_old.txt"), "new": ("a.txt", "b.txt", "c.txt")}


def _save(out: Path, generation: str) -> None:
    with RunFolder(out, owned=OWNED) as folder, folder.staged() as tmp:
        for name in GENERATIONS[generation]:
            write_file(tmp / name, generation)


def _state(out: Path) -> str:
    """The generation ("old", "new") of a complete, consistent ``out``; "absent"; or
    "refused". AssertionError for a folder that check_complete accepts although mixed."""
    if not out.exists():
        return "absent"
    try:
        check_complete(out)
    except IncompleteFolderError:
        return "refused"
    ours = {p.name: p.read_text() for p in out.iterdir() if p.name in OWNED}
    generations = set(ours.values())
    assert len(generations) == 1, f"accepted a mixed folder: {ours}"
    (generation,) = generations
    assert sorted(ours) == sorted(GENERATIONS[generation]), f"accepted an incomplete folder {ours}"
    return generation


_KILLER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {root!r})
import models.runfolder as rf
from models.runfolder import RunFolder, write_file
out, kill_at, exchange = Path({out!r}), {kill_at}, {exchange!r}
calls = [0]
def killing(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
if exchange == "none":
    def no_exchange(a, b):
        raise OSError(38, "no renameat2 here")
    rf._exchange = no_exchange
rf._exchange = killing(rf._exchange)
rf.os.replace = killing(os.replace)
rf.os.rename = killing(os.rename)
rf.write_file = killing(rf.write_file)
with RunFolder(out, owned={owned!r}) as folder, folder.staged() as tmp:
    for name in {names!r}:
        write_file(tmp / name, "new")
print("committed")
"""


@pytest.mark.parametrize("mode", ["swap", "two-renames", "in-place"])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_folder_never_a_mix(
    tmp_path: Path, mode: str
) -> None:
    """A SIGKILL before each file write, rename and exchange of a commit: evaluate never
    accepts a mixed folder, and the next run leaves it complete with no temporaries."""
    outcomes = set()
    for kill_at in range(1, 20):
        base = tmp_path / f"{kill_at}"
        out = base / "run"
        base.mkdir()
        _save(out, "old")
        if mode == "in-place":
            (out / "notes.txt").write_text("the user's")  # kept: commit in place
        script = _KILLER.format(
            root=str(ROOT),
            out=str(out),
            kill_at=kill_at,
            exchange="none" if mode == "two-renames" else "yes",
            owned=OWNED,
            names=GENERATIONS["new"],
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert done.returncode in (0, -signal.SIGKILL), done.stderr
        state = _state(out)
        outcomes.add((done.returncode == 0, state))
        # The next run (here: taking the lock) finishes or undoes the killed commit.
        with RunFolder(out, owned=OWNED):
            pass
        after = _state(out)
        assert after in ("old", "new"), (kill_at, state, after)
        if state in ("old", "new"):
            assert after == state
        left = sorted(p.name for p in base.iterdir() if p.name != "run")
        hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
        assert left == [] and hidden == [], (kill_at, left, hidden)
        if mode == "in-place":
            assert (out / "notes.txt").read_text() == "the user's"
        if done.returncode == 0:
            assert state == "new"
            break
    else:
        pytest.fail("the commit never completed")
    assert (False, "old") in outcomes and (True, "new") in outcomes
    if mode == "in-place":
        assert (False, "refused") in outcomes  # a kill mid-commit: refused, then finished


def test_evaluate_refuses_a_folder_left_mid_commit_or_missing_a_listed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "config.json").write_text('{"model": "vae", "image_size": [28, 28]}')
    (out / "model.weights.h5").write_bytes(b"never read")
    (out / INCOMPLETE).write_text(".staging-x")
    assert main(["evaluate", str(out), "--data", "doodles:5"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "incomplete: a save into it was interrupted" in err
    (out / INCOMPLETE).unlink()
    manifest = {"files": {"config.json": {}, "model.weights.h5": {}, "latent_grid.png": {}}}
    (out / MANIFEST).write_text(json.dumps(manifest))
    assert main(["evaluate", str(out), "--data", "doodles:5"]) == 2
    err = capsys.readouterr().err.strip()
    assert "latent_grid.png listed in manifest.json is missing" in err


def test_a_failed_write_leaves_the_previous_folder_intact(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _save(out, "old")
    full = r"the disk is full \(writing b.txt\)"
    with (
        pytest.raises(SaveError, match=full) as info,
        RunFolder(out, owned=OWNED) as folder,
        folder.staged() as tmp,
    ):
        write_file(tmp / "a.txt", "new")
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp / "b.txt"))
    assert "its previous contents are intact" in str(info.value)
    assert _state(out) == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_stale_temporaries_of_killed_runs_are_cleaned_and_a_lost_folder_put_back(
    tmp_path: Path,
) -> None:
    out = tmp_path / "run"
    _save(out, "old")
    for stale in (".run.staging-k1", ".run.ab12cd_9", ".run.old-zz"):
        (tmp_path / stale).mkdir()
        (tmp_path / stale / "a.txt").write_text("stale")
    (tmp_path / ".other.staging-1").mkdir()  # another folder's: not ours to remove
    (out / ".a.txt.tmp").write_text("half a figure, from before the lock")
    with RunFolder(out, owned=OWNED):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.staging-1", "run"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    # Killed between the two renames of a replacement: the old folder is put back.
    os.rename(out, tmp_path / ".run.old-abc")
    with RunFolder(out, owned=OWNED):
        pass
    assert _state(out) == "old"


_HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from models.runfolder import RunFolder
with RunFolder({out!r}):
    print("locked", flush=True)
    time.sleep(60)
"""


def _hold_lock(out: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER.format(root=str(ROOT), out=str(out))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_run_is_refused_at_once_naming_the_other_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    holder = _hold_lock(out)
    try:
        start = time.monotonic()
        argv = ["train", "vae", "--data", "doodles:30", "--epochs", "1", "--quiet"]
        assert main([*argv, "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert time.monotonic() - start < 5
        assert len(err.splitlines()) == 1 and f"in use by process {holder.pid}" in err, err
        with pytest.raises(FolderBusyError, match=f"process {holder.pid}"):
            _save(out, "new")
    finally:
        holder.kill()
        holder.wait()
    # The holder died without cleaning up: its lock file is stale and taken over.
    assert (tmp_path / ".run.lock").exists()
    _save(out, "new")
    assert _state(out) == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_another_thread_of_this_process_is_refused_and_the_same_thread_reenters(
    tmp_path: Path,
) -> None:
    out = tmp_path / "run"
    errors: list[BaseException] = []
    with RunFolder(out, owned=OWNED):
        _save(out, "old")  # re-entered by the same thread (the CLI's save inside its run)

        def other() -> None:
            try:
                _save(out, "new")
            except BaseException as exc:  # checked below
                errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert len(errors) == 1 and isinstance(errors[0], FolderBusyError)
    assert _state(out) == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_staged_folder_is_lock_stage_and_commit_in_one(tmp_path: Path) -> None:
    out = tmp_path / "checkpoints" / "epoch-1"
    with staged_folder(out, owned=OWNED) as tmp:
        write_file(tmp / "a.txt", "new")
        assert not out.exists() and (tmp_path / "checkpoints" / ".epoch-1.lock").exists()
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", MANIFEST]
    assert sorted(p.name for p in out.parent.iterdir()) == ["epoch-1"]


def test_a_link_to_a_folder_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    _save(real, "old")
    link = tmp_path / "link"
    link.symlink_to(real)
    _save(link, "new")
    assert link.is_symlink() and _state(real) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_a_user_folder_with_other_files_keeps_them(tmp_path: Path) -> None:
    """A folder holding files no run wrote (the window's "Save weights" into ~/models) is
    committed in place: the user's files stay."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    _save(out, "old")
    _save(out, "new")
    assert _state(out) == "new" and (out / "notes.txt").read_text() == "keep me"
    assert "only_old.txt" not in {p.name for p in out.iterdir()}


# -- descriptions refused before anything is built ------------------------------------------------

HUGE = 1_000_000_000


@pytest.fixture
def no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building a model (or loading a .keras file) fails the test: the check comes first."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a model was built")

    monkeypatch.setattr(KindSpec, "build", refuse)
    monkeypatch.setattr("keras.saving.load_model", refuse, raising=False)


@pytest.mark.parametrize(
    "field, value",
    [
        ("latent_dim", HUGE),
        ("hidden_units", HUGE),
        ("image_size", [HUGE, HUGE]),
        ("num_classes", HUGE),
        ("batch_size", HUGE),
        ("image_size", [20_000, 20_000]),
    ],
)
def test_absurd_sizes_in_config_json_are_refused_naming_the_field(
    field: str,
    value: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_building: None,
) -> None:
    model = tmp_path / "model"
    model.mkdir()
    config = {"model": "cvae", "image_size": [28, 28], field: value}
    (model / "config.json").write_text(json.dumps(config))
    (model / "model.weights.h5").write_bytes(b"never read")
    assert main(["evaluate", str(model), "--data", "doodles:5"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"{field} is" in err, err
    assert "more than the largest supported" in err and str(model / "config.json") in err


def _vae_weights(path: Path, pixels: int, hidden: int, latent: int, classes: int = 0) -> None:
    """A weights file laid out like the dense VAEs' (only the shapes matter here)."""
    with h5py.File(path, "w") as f:
        for name, shape in (
            ("enc_hidden", (pixels + classes, hidden)),
            ("dec_hidden", (latent + classes, hidden)),
            ("dec_out", (hidden, pixels)),
        ):
            f.create_dataset(f"{name}/vars/0", data=np.zeros(shape, np.float32))


def test_a_config_that_does_not_match_its_weights_is_refused_before_building(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_building: None
) -> None:
    model = tmp_path / "model"
    model.mkdir()
    _vae_weights(model / "model.weights.h5", 784, 16, 2)
    config = {"model": "vae", "image_size": [28, 28], "hidden_units": 60_000, "latent_dim": 2}
    (model / "config.json").write_text(json.dumps(config))
    assert main(["evaluate", str(model), "--data", "doodles:5"]) == 2
    err = capsys.readouterr().err.strip()
    assert "does not fit this vae model (28x28 images, latent size 2, 60000 hidden units)" in err
    assert "the file holds a vae with 784 pixels, latent size 2, 16 hidden units" in err


def _keras_file(path: Path, config: dict[str, object]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", b"never read")


@pytest.mark.parametrize(
    "inner, field",
    [
        ({"image_shape": [28, 28], "latent_dim": 2, "hidden_units": HUGE}, "hidden_units"),
        ({"image_shape": [28, 28], "latent_dim": HUGE, "hidden_units": 8}, "latent_dim"),
        ({"image_shape": [HUGE, 28], "latent_dim": 2, "hidden_units": 8}, "image_size"),
        ({"image_size": HUGE, "noise": 0.0}, "image_size"),
    ],
)
def test_absurd_sizes_in_a_keras_file_are_refused_before_keras_builds(
    inner: dict[str, object],
    field: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_building: None,
) -> None:
    path = tmp_path / "big.keras"
    _keras_file(path, {"module": "models.nets.vae", "class_name": "VAE", "config": inner})
    assert main(["evaluate", str(path), "--data", "doodles:5"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"{path}: {field} is" in err, err


def test_unreadable_paths_say_what_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_building: None
) -> None:
    not_zip = tmp_path / "model.keras"
    not_zip.write_bytes(b"plain text, not a zip")
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop")
    not_gz = tmp_path / "x-images-idx3-ubyte.gz"
    not_gz.write_bytes(b"\x00\x00\x08\x03 plain IDX bytes, not gzip")
    for argv, needle in (
        (["evaluate", str(not_zip), "--data", "doodles:5"], "not a .keras (zip) file"),
        (["evaluate", str(loop), "--data", "doodles:5"], f"{loop}: a symbolic link loop"),
        (["evaluate", str(loop / "model.keras"), "--data", "doodles:5"], "symbolic link loop"),
        (
            ["train", "vae", "--data", "doodles:30", "--out", str(loop), "--quiet"],
            "symbolic link loop",
        ),
        (
            ["train", "vae", "--data", f"mnist:{not_gz}", "--out", str(tmp_path / "o")],
            "not a gzip file",
        ),
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and needle in err, (argv, err)
    assert not (tmp_path / "o").exists()


def test_config_limits_name_the_field() -> None:
    with pytest.raises(ValueError, match="hidden_units is 1,000,000,000"):
        TrainConfig(model="vae", hidden_units=HUGE)
    with pytest.raises(ValueError, match="batch_size is"):
        TrainConfig(model="vae", batch_size=HUGE)
    with pytest.raises(ValueError, match="image_size 1000x1000 with hidden_units 512"):
        TrainConfig(model="vae", image_size=(1000, 1000))
    TrainConfig(model="vae", image_size=(64, 64), hidden_units=4096, latent_dim=512)
    with pytest.raises(ExplorerError, match="exists and is not a folder"):
        RunFolder(os.devnull).acquire()
