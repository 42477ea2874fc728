"""Library plumbing: folders, the offline flag, resources, the version, the atomic writer."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import platformdirs
import pytest

import explorer
import models
from models import paths
from models.files import atomic_path, write_atomic
from models.inference.shipped import shipped_dir

ROOT = Path(__file__).resolve().parents[2]


def test_the_cache_follows_the_override_else_platformdirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AE_EXPLORER_CACHE", str(tmp_path / "mine"))
    assert paths.cache_dir() == tmp_path / "mine"
    assert paths.sessions_dir() == tmp_path / "mine" / "sessions"
    monkeypatch.delenv("AE_EXPLORER_CACHE")
    assert paths.cache_dir() == platformdirs.user_cache_path("ae-explorer", appauthor=False)


@pytest.mark.parametrize("value, offline", [("1", True), ("yes", True), ("0", False), ("", False)])
def test_one_offline_flag_for_every_downloader(
    value: str, offline: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.data import download, mnist

    monkeypatch.setenv("AE_EXPLORER_OFFLINE", value)
    assert download.is_offline is paths.is_offline and mnist.is_offline is paths.is_offline
    assert paths.is_offline() is offline


def test_offline_and_the_cache_variable_are_named_in_one_module_only() -> None:
    for name in ('"AE_EXPLORER_OFFLINE"', '"AE_EXPLORER_CACHE"'):
        holders = [p for p in (ROOT / "models").rglob("*.py") if name in p.read_text()]
        assert holders == [ROOT / "models" / "paths.py"], name


def test_shipped_weights_are_found_through_importlib_resources() -> None:
    assert shipped_dir("vae") == paths.resource_path("weights", "vae")
    assert (shipped_dir("vae") / "config.json").is_file()


def test_one_version_from_the_package_metadata() -> None:
    assert models.__version__ == explorer.__version__ == metadata.version("autoencoder-explorer")
    pyproject = (ROOT / "pyproject.toml").read_text()
    written = [p for p in (ROOT / "models").rglob("*.py") if "__version__ = \"" in p.read_text()]
    assert written == [] and re.search(r'^version = "', pyproject, re.M)


def test_the_atomic_writer_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "model.weights.h5"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        assert tmp.name.endswith(".weights.h5") and tmp.parent == target.parent
        tmp.write_bytes(b"half")
        raise RuntimeError("crash mid-write")
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.weights.h5"]
