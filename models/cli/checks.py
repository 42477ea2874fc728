"""Checks the commands make before any work starts, shared by every command that writes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models.errors import ExplorerError


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that cannot become the output folder, before any training."""
    if out.exists() and not out.is_dir():
        raise ExplorerError(f"--out {out}: exists and is not a folder")
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ExplorerError(f"--out {out}: {existing} is a file, not a folder")
    try:  # a real try: os.access says yes to root even where nothing can be made (/proc)
        os.rmdir(tempfile.mkdtemp(prefix=".ae-explorer-probe.", dir=existing))
    except OSError as exc:
        raise ExplorerError(
            f"--out {out}: cannot write in {existing} ({exc.strerror or exc})"
        ) from None


def check_out_file(out: Path) -> None:
    """Refuse an ``--out`` file whose folder is missing or cannot take a new file, before
    any model or TensorFlow loads (seconds): the file is written under a temporary name
    beside it and renamed, so the folder must be writable."""
    from models.runfolder import describe_os_error

    folder = out.parent
    if out.is_dir():
        raise ExplorerError(f"--out {out}: a folder, not a file")
    if not folder.is_dir():
        raise ExplorerError(f"--out {out}: no folder {folder}")
    try:
        fd, probe = tempfile.mkstemp(prefix=".ae-explorer-probe.", dir=folder)
    except OSError as exc:
        raise ExplorerError(
            f"--out {out}: cannot write in {folder} ({describe_os_error(exc)})"
        ) from None
    os.close(fd)
    os.unlink(probe)


@contextmanager
def writing_out(out: Path) -> Iterator[None]:
    """Name ``--out`` (not the hidden temporary file it is written as) and say why in
    words, when writing it fails (a full disk...); the file is then left as it was."""
    from models.runfolder import describe_os_error

    try:
        yield
    except OSError as exc:
        raise ExplorerError(
            f"--out {out}: could not write it ({describe_os_error(exc)}); nothing was written"
        ) from None
