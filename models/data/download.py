"""Download Quick Draw categories into the per-user cache, never leaving a half file behind.

A download streams into a temporary file beside its target and is renamed only when it is
complete (the byte count matches ``Content-Length``; without one, the file must parse as
whole binary records), so a file under its final name is always whole. Every failure
(offline, refused, timed out, HTTP error, cut off, cancelled) is a DownloadError with one
clear line.
"""

from __future__ import annotations

import difflib
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from models.data.categories import CATEGORIES
from models.errors import DataFormatError, DownloadError
from models.files import atomic_path
from models.paths import OFFLINE_ENV, cache_dir, is_offline

BASE_URL = "https://storage.googleapis.com/quickdraw_dataset/full/binary/"
CHUNK_BYTES = 1 << 16

Progress = Callable[[int, int], None]


class CancelFlag(Protocol):
    """What ``cancel`` must offer: ``threading.Event`` does."""

    def is_set(self) -> bool: ...


class DownloadCancelled(DownloadError):
    """The caller cancelled the download; nothing was left in the cache."""


def category_path(category: str, cache: str | Path | None = None) -> Path:
    """Where ``category``'s binary file lives in the cache (whether or not it is there)."""
    root = Path(cache) if cache is not None else cache_dir()
    return root / "quickdraw" / f"{category}.bin"


def download_category(
    category: str,
    *,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
    timeout: float = 30.0,
    base_url: str = BASE_URL,
    cancel: CancelFlag | None = None,
) -> Path:
    """The cached ``<category>.bin``, downloaded first if it is not in the cache yet.

    ``progress(done_bytes, total_bytes)`` is called per chunk (total 0 when the server does
    not say); ``timeout`` bounds connecting and every read; ``cancel.is_set()`` is checked
    between chunks. Raises DownloadError (DownloadCancelled when cancelled).
    """
    if category not in CATEGORIES:
        close = difflib.get_close_matches(category, CATEGORIES, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise DownloadError(f"{category!r} is not a Quick Draw category{hint}")
    target = category_path(category, cache_dir)
    if target.is_file():
        return target
    if is_offline():
        raise DownloadError(
            f"cannot download {category!r}: offline ({OFFLINE_ENV} is set) and it is not "
            f"in the cache ({target})"
        )
    url = base_url + urllib.parse.quote(category) + ".bin"

    def whole_records(tmp: Path, total: int) -> None:
        if total:  # the length was checked
            return
        from models.data.formats import scan_binary

        try:  # no length to check: the file must at least be whole records
            scan_binary(tmp)
        except DataFormatError as exc:
            raise DownloadError(
                f"{url}: the download is incomplete or damaged ({exc.problem})"
            ) from None

    fetch(url, target, timeout=timeout, progress=progress, cancel=cancel, check=whole_records)
    return target


def fetch(
    url: str,
    target: Path,
    *,
    timeout: float,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
    max_bytes: int | None = None,
    check: Callable[[Path, int], None] | None = None,
) -> None:
    """Stream ``url`` into a temporary file beside ``target``; rename it only when complete.

    ``timeout`` bounds connecting and every read, so an offline machine fails fast.
    ``check(tmp_path, content_length)`` may refuse the finished file before it is renamed
    (raising DownloadError or DataFormatError). Every failure leaves nothing behind.
    """
    if cancel is not None and cancel.is_set():
        raise DownloadCancelled(f"{url}: cancelled")
    try:
        response = urllib.request.urlopen(url, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise DownloadError(f"{url}: cannot connect ({exc.reason}); are you offline?") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # timeouts, resets, bad URL
        raise DownloadError(f"{url}: cannot connect ({exc!r})") from None
    with response:
        try:
            total = max(0, int(response.headers.get("Content-Length") or 0))
        except ValueError:
            total = 0
        if max_bytes is not None and total > max_bytes:
            raise DownloadError(f"{url}: {total:,} bytes is more than the {max_bytes:,} allowed")
        try:  # only now that the server answered, so an offline run leaves no trace
            with atomic_path(target) as tmp:
                _stream(response, tmp, url, total, max_bytes, progress, cancel)
                if check is not None:
                    check(tmp, total)
        except OSError as exc:  # making the folder or the file, or renaming it
            raise DownloadError(f"cannot write to the cache {target.parent}: {exc}") from None


def _stream(
    response: Any,
    tmp: Path,
    url: str,
    total: int,
    max_bytes: int | None,
    progress: Progress | None,
    cancel: CancelFlag | None,
) -> None:
    """Copy the response into ``tmp``; DownloadError if it is cut off, empty or too big."""
    done = 0
    with open(tmp, "wb") as out:
        if progress is not None:
            progress(0, total)
        while True:
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled(f"{url}: cancelled after {done:,} bytes")
            try:
                chunk = response.read(CHUNK_BYTES)
            except (OSError, ValueError, http.client.HTTPException) as exc:
                raise DownloadError(
                    f"{url}: download failed after {done:,} bytes ({exc!r})"
                ) from None
            if not chunk:
                break
            try:
                out.write(chunk)
            except OSError as exc:
                raise DownloadError(f"cannot write to the cache: {exc}") from None
            done += len(chunk)
            if max_bytes is not None and done > max_bytes:
                raise DownloadError(f"{url}: more than {max_bytes:,} bytes")
            if progress is not None:
                progress(done, total)
    if total and done != total:
        raise DownloadError(f"{url}: the connection closed after {done:,} of {total:,} bytes")
    if done == 0:
        raise DownloadError(f"{url}: the server sent an empty file")
