"""Where the engine reads and writes, and whether it may use the network.

The per-user folders follow each platform's rules through platformdirs (``~/.cache`` and
``$XDG_CACHE_HOME`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on
Windows); the shipped files are found through ``importlib.resources``, so they work from
a wheel as well as from a checkout. Every environment switch of the engine is here.
"""

from __future__ import annotations

import os
from datetime import datetime
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

APP_NAME = "ae-explorer"
DISTRIBUTION = "autoencoder-explorer"
"""The name in pyproject.toml, whose metadata holds the version."""
CACHE_ENV = "AE_EXPLORER_CACHE"
"""Overrides the per-user cache folder (tests point it at a temporary folder)."""
DATA_ENV = "AE_EXPLORER_DATA"
"""Overrides the per-user data folder (the class set's drawings live there)."""
OFFLINE_ENV = "AE_EXPLORER_OFFLINE"
"""Set to 1 to forbid every network access (tests, air-gapped machines); cached files are
still used."""

CLUSTER_TIMEOUT_ENV = "AE_EXPLORER_CLUSTER_TIMEOUT"  # (models.training.cluster_watch's too)
"""Seconds a multi-worker run waits for every worker in TF_CONFIG to join (default 300)."""
CLUSTER_TIMEOUT_S = 300.0


def cluster_timeout() -> float:
    """``$AE_EXPLORER_CLUSTER_TIMEOUT`` in seconds, else :data:`CLUSTER_TIMEOUT_S`;
    ValueError (one line) for a value that is not a positive number."""
    text = os.environ.get(CLUSTER_TIMEOUT_ENV, "").strip()
    if not text:
        return CLUSTER_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"{CLUSTER_TIMEOUT_ENV}={text}: expected a number of seconds above 0")
    return seconds


def cache_dir() -> Path:
    """The per-user cache folder: ``$AE_EXPLORER_CACHE``, else the platform's user cache
    folder for ``ae-explorer``. Not created here."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The per-user data folder, for what the user makes and keeps (the class set's
    drawings): ``$AE_EXPLORER_DATA``, else the platform's user data folder. Not created."""
    env = os.environ.get(DATA_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


_cache_off: str | None = None
"""Why this process runs without the cache (set by :func:`run_without_cache`), or None."""


def cache_problem() -> str | None:
    """Why the cache folder cannot be written ("is a file, not a folder", "the file system
    is read-only"...), or None. Makes the folder if missing, as its first writer would."""
    import errno
    import tempfile

    cache = cache_dir()
    if cache.exists() and not cache.is_dir():
        return "is a file, not a folder"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".ae-explorer-probe.", dir=cache)
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            return "lies under a file, not a folder"
        from models.runfolder import describe_os_error

        return f"cannot be written ({describe_os_error(exc)})"
    os.close(fd)
    os.unlink(probe)
    return None


def describe_cache() -> str:
    """The cache folder as a message names it: "the cache /x (AE_EXPLORER_CACHE)"."""
    named = f" ({CACHE_ENV})" if os.environ.get(CACHE_ENV, "").strip() else ""
    return f"the cache {cache_dir()}{named}"


def run_without_cache(reason: str) -> None:
    """Write nothing into the cache for the rest of this process (it is unusable, and the
    user was told so once): checkpoints and rasterized bitmaps are then skipped quietly."""
    global _cache_off
    _cache_off = reason


def cache_off() -> str | None:
    """Why the cache is not written in this process, or None (see run_without_cache)."""
    return _cache_off


def sessions_dir() -> Path:
    """Where the window keeps models trained in a session (e.g. one saved at close)."""
    return cache_dir() / "sessions"


def session_folder(kind: str, now: datetime | None = None) -> Path:
    """A fresh folder name under :func:`sessions_dir` for a model of ``kind``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = sessions_dir()
    path = base / f"{stamp}-{kind}"
    n = 1
    while path.exists():
        n += 1
        path = base / f"{stamp}-{kind}-{n}"
    return path


def config_dir() -> Path:
    """The per-user settings folder (the platform's user config folder). Not created here."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def is_offline() -> bool:
    """True when ``$AE_EXPLORER_OFFLINE`` asks for no network access."""
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def resource(*parts: str) -> Traversable:
    """A file or folder shipped in the ``resources`` package (weights, icons, styles)."""
    path: Traversable = resources.files("resources")
    for part in parts:
        path = path / part
    return path


def resource_path(*parts: str) -> Path:
    """:func:`resource` as a real path (resources are installed as plain files, never
    zipped: pyproject's package-data ships them beside the code)."""
    return Path(str(resource(*parts)))


def version() -> str:
    """The installed distribution's version (pyproject.toml is the one place it is
    written); ``0+unknown`` when running from a checkout that was never installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"
