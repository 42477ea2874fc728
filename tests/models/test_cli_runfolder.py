"""``train`` into a folder that fails: full disks (simulated, and a real tmpfs where this
machine can mount one), a read-only parent, a commit that fails, a busy folder. Each is one
line, a non-zero exit, ``--out`` as it was (or absent), and the trained model kept."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

import models.runfolder as runfolder
from models.cli.main import main, save_run
from models.data.dataset import Dataset
from models.data.mnist import write_idx
from models.nets.config import TrainConfig
from models.nets.trained import TrainedModel
from models.paths import sessions_dir
from models.runfolder import FolderBusyError, RunFolder, SaveError

TINY = ["--epochs", "1", "--hidden-units", "16", "--batch-size", "85", "--quiet"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = tmp_path_factory.mktemp("digits")
    labels = np.arange(100) % 10
    images = np.zeros((100, 28, 28), np.uint8)
    for i, digit in enumerate(labels):
        images[i, 3 + 2 * digit : 5 + 2 * digit, 5:-5] = 255
    write_idx(d / "d-images-idx3-ubyte.gz", d / "d-labels-idx1-ubyte.gz", images, labels)
    return f"mnist:{d / 'd-images-idx3-ubyte.gz'}"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The error line (after the "training ..." line, when training started)."""
    lines = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "\n".join(lines)
    assert lines and [line.startswith("training ") for line in lines[:-1]] == [True] * (
        len(lines) - 1
    ), lines
    assert lines[-1].startswith("ae-explorer: error: "), lines
    return lines[-1]


def _failing_writer(monkeypatch: pytest.MonkeyPatch, under: Path, name: str) -> None:
    """Every write of ``name`` below ``under`` fails as on a full disk."""
    real = runfolder.write_file

    def write(path: Path, data: bytes | str) -> None:
        if path.name == name and under in path.parents:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(runfolder, "write_file", write)


def _kept_model(err: str) -> Path:
    """The sessions folder the message says the trained model was saved to (it loads)."""
    assert "the trained model was saved to " in err, err
    kept = Path(err.split("the trained model was saved to ")[1].removesuffix(" instead"))
    assert sessions_dir() in kept.parents
    TrainedModel.load(kept)
    return kept


@pytest.mark.slow
@pytest.mark.parametrize("name", ["model.weights.h5", "latent_scatter.png", "commit"])
def test_a_failed_save_keeps_the_old_folder_and_the_trained_model(
    name: str,
    digits: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bar_dataset: Callable[..., Dataset],
) -> None:
    out = tmp_path / "run"
    old = TrainedModel.build(
        TrainConfig(model="cvae", hidden_units=8, image_size=(28, 28), latent_dim=3)
    )
    save_run(old, bar_dataset(), out)  # an earlier run of another kind: nothing of it may mix in
    before = _snapshot(out)
    if name == "commit":  # the last step fails (e.g. the parent turned read-only)
        real = RunFolder._commit_swap

        def refuse(self: RunFolder, tmp: Path) -> None:
            if self.path == out:
                raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(self.path))
            real(self, tmp)

        monkeypatch.setattr(RunFolder, "_commit_swap", refuse)
    else:
        _failing_writer(monkeypatch, tmp_path, name)
    assert main(["train", "vae", "--data", digits, "--out", str(out), *TINY]) == 2
    err = _one_line(capsys)
    reason = "permission denied" if name == "commit" else f"the disk is full (writing {name})"
    assert f"{out}: could not save: {reason}; its previous contents are intact" in err, err
    _kept_model(err)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert TrainedModel.load(out).kind == "cvae"


@pytest.mark.slow
def test_a_failed_first_save_leaves_no_folder_and_evaluate_refuses_it(
    digits: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new" / "run"
    _failing_writer(monkeypatch, tmp_path, "reconstructions.png")
    assert main(["train", "vae", "--data", digits, "--out", str(out), *TINY]) == 2
    err = _one_line(capsys)
    assert "the disk is full (writing reconstructions.png); nothing was saved there" in err
    _kept_model(err)
    assert not out.exists() and not out.parent.exists()
    assert main(["evaluate", str(out), "--data", digits]) == 2
    assert "no such file or folder" in _one_line(capsys)


@contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A small tmpfs at ``path`` (root only); the test is skipped where none can be mounted."""
    path.mkdir(exist_ok=True)
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.mark.slow
def test_a_really_full_disk_is_one_line_not_a_crash(
    digits: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """h5py writing onto a full tmpfs crashed the process (exit 139) before; now the
    weights are made in memory and the full disk is a plain OSError."""
    with _tmpfs(tmp_path / "disk", "200k") as disk:
        out = disk / "run"
        argv = ["train", "vae", "--data", digits, "--out", str(out), *TINY]
        argv[argv.index("--hidden-units") + 1] = "512"  # 3 MB of weights
        assert main(argv) == 2
        err = _one_line(capsys)
        assert f"{out}: could not save: the disk is full (writing model.weights.h5)" in err
        _kept_model(err)
        assert list(disk.iterdir()) == []
        autoencoder = TrainedModel.build(TrainConfig(model="autoencoder", image_size=(32, 32)))
        ae_weights = len(autoencoder.weights_bytes())
        # The autoencoder on a disk that fits most of its weights, not all.
        with _tmpfs(tmp_path / "small", f"{(ae_weights // 4096) * 4096 - 8192}") as small:
            with pytest.raises(SaveError, match="the disk is full"):
                autoencoder.save(small / "ae")
            assert list(small.iterdir()) == []
            # --out itself a (full) mount point: staged inside, and left as it was.
            (small / "x.bin").write_bytes(b"\0" * 4096)
            with pytest.raises(SaveError, match="the disk is full") as info:
                autoencoder.save(small)
            assert "its previous contents are intact" in str(info.value)
            assert sorted(p.name for p in small.iterdir()) == ["x.bin"]


@pytest.mark.slow
def test_a_writable_out_in_a_read_only_parent(
    digits: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Staged and locked inside ``--out`` itself: the run saves there, and an ``--out``
    that cannot be written is refused before any training."""
    with _tmpfs(tmp_path / "parent", "16m") as parent:
        out = parent / "run"
        with _tmpfs(out, "16m"):
            subprocess.run(["mount", "-o", "remount,ro", str(parent)], check=True)
            (out / "notes.txt").write_text("the user's")
            assert main(["train", "vae", "--data", digits, "--out", str(out), *TINY]) == 0
            names = {p.name for p in out.iterdir()}
            assert {"model.weights.h5", "manifest.json", "latent_grid.png", "notes.txt"} <= names
            assert not [n for n in names if n.startswith(".")]
            capsys.readouterr()
            assert main(["evaluate", str(out), "--data", digits]) == 0
            capsys.readouterr()
            again = main(["train", "vae", "--data", "doodles:5", "--out", str(parent / "new")])
            assert again == 2
            assert "cannot write in" in _one_line(capsys)


@pytest.mark.slow
def test_stdout_is_one_json_document_with_progress_on(
    digits: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["train", "vae", "--data", digits, "--out", str(tmp_path / "run"), *TINY]
    argv.remove("--quiet")
    assert main(argv) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["epochs"] == 1
    assert "epoch 1:" in captured.err


_HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from models.runfolder import RunFolder
with RunFolder({out!r}):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_the_windows_saves_take_the_same_lock(tmp_path: Path) -> None:
    """TrainedModel.save (the window's "Save weights" and its sessions) locks the folder."""
    out = tmp_path / "mine"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER.format(root=str(ROOT), out=str(out))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        model = TrainedModel.build(TrainConfig(model="vae", hidden_units=8, image_size=(28, 28)))
        with pytest.raises(FolderBusyError, match=f"in use by process {holder.pid}"):
            model.save(out)
    finally:
        holder.kill()
        holder.wait()
    model.save(out)
    assert TrainedModel.load(out).config == model.config
