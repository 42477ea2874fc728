"""Checks the commands make before any work starts, shared by every command that writes."""

from __future__ import annotations

import os
import tempfile
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
