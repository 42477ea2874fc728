"""Writing files so that a crash or a full disk never leaves a half-written one.

The one atomic writer of the engine: every file is written under a temporary name beside
its target and renamed into place only when complete (a rename within a folder is atomic).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from models.errors import ExplorerError


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed onto ``path`` when the block
    ends normally, removed if it raises.

    The temporary name keeps ``path``'s suffixes (``.part.weights.h5``), for writers that
    choose the format by name (Keras, PIL). The parent folder is created if needed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}-", suffix=".part" + "".join(path.suffixes), dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a data file is ordinary
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def save_png(image: Any, path: str | Path) -> Path:
    """Write a PIL image as PNG atomically (a temporary file renamed into place)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        image.save(tmp, format="PNG")
    return path


def refuse_link_loop(path: Path, error: type[ExplorerError] = ExplorerError) -> None:
    """A symbolic link loop gets one clear line, as ``error`` (``exists()`` would call the
    path missing)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(f"{path}: a symbolic link loop") from None
