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


def check_cache_for_train(resume: bool, streamed: bool, spec: str) -> None:
    """An unusable cache folder (a file, read-only), found before any training: refused in
    one line naming it where the run needs it (--resume's checkpoints, a streamed run's
    bitmaps, a Quick Draw category to download), else the run goes on without it (no
    checkpoints: a stopped run cannot be resumed) and says so in one line."""
    import sys

    from models.paths import cache_problem, describe_cache, run_without_cache

    problem = cache_problem()
    if problem is None:
        return
    needs = None
    if resume:
        needs = "--resume reads its checkpoints there"
    elif streamed:
        needs = "a streamed run keeps its rasterized drawings there"
    else:
        missing = _categories_to_download(spec)
        if missing:
            needs = f"quickdraw:{missing[0]} would be downloaded there"
    fix = "set AE_EXPLORER_CACHE to a writable folder"
    if needs is not None:
        raise ExplorerError(f"{describe_cache()} {problem}; {needs}: {fix}")
    run_without_cache(problem)
    print(
        f"ae-explorer: warning: {describe_cache()} {problem}: training without checkpoints "
        f"(a stopped run cannot be resumed; {fix})",
        file=sys.stderr,
    )


def _categories_to_download(spec: str) -> list[str]:
    """The Quick Draw categories ``spec`` names that are not in the cache yet."""
    from models.data.download import category_path
    from models.data.formats import QUICKDRAW_EXTENSIONS
    from models.data.specs import _split_parts, parse_spec

    kind, arg = parse_spec(spec)
    if kind != "quickdraw" or arg is None:
        return []
    missing = []
    for part in _split_parts(arg):
        path = Path(part).expanduser()
        if path.suffix.lower() in QUICKDRAW_EXTENSIONS or path.exists() or not part:
            continue
        if not category_path(part).is_file():
            missing.append(part)
    return missing
