"""Project-wide rules: the engine never imports Qt, the window never waits for TensorFlow,
and the code stays ruff- and mypy-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    return set(out.stdout.split())


def test_models_never_import_qt() -> None:
    loaded = _modules_after(
        "import models.cli.main, models.training.loop, models.nets.trained, models.data.specs,"
        " models.inference.figures"
    )
    assert "models.training.loop" in loaded
    assert not any(m.split(".")[0] in {"PySide6", "pyqtgraph", "superqt"} for m in loaded)


def test_opening_the_app_module_does_not_import_tensorflow() -> None:
    loaded = _modules_after("import explorer.app, explorer.main_window")
    assert "explorer.main_window" in loaded
    assert "tensorflow" not in loaded and "keras" not in loaded


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.prefix) / "bin" / "ruff").exists(),
    reason="ruff not installed",
)
def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.prefix) / "bin" / "ruff")
    out = subprocess.run(
        [ruff, "check", "models", "explorer", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.slow
def test_mypy_is_clean_on_the_engine_and_the_window() -> None:
    pytest.importorskip("mypy")
    out = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_package_folder_is_installed() -> None:
    """A wheel holds only the packages pyproject.toml lists: a new sub-package (a panel
    split into a folder) left out works from a checkout and fails once installed."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("models", "explorer", "resources")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found - listed == set()
