"""Output folders written as one transaction: complete and consistent, or untouched.

A model folder (weights, config, metrics, figures; later checkpoints) is only useful whole.
This module writes such a set of files so that, whatever happens (full disk, read-only
parent, a kill at any instruction, a second run into the same folder), a reader sees either
the previous complete contents or the new complete contents, never a mix.

API (the CLI's ``train``, :meth:`TrainedModel.save` and the window all use it)::

    from models.runfolder import RunFolder

    with RunFolder(out, owned=("model.weights.h5", "config.json")) as folder:
        # The lock is held from here: a second process gets FolderBusyError at once,
        # naming this process's pid. Stale staging folders of killed runs are removed
        # (or a killed in-place commit is finished) here too.
        ...long work (training)...
        with folder.staged() as tmp:      # an empty folder on out's filesystem
            write_file(tmp / "config.json", data)   # or any writer; see write_file
        # Leaving the inner block normally commits: ``out`` now holds exactly the files
        # written into ``tmp`` plus ``manifest.json`` (listing them), in one step. An
        # exception inside it (ENOSPC...) removes ``tmp`` and leaves ``out`` untouched;
        # OSErrors come out as SaveError, one line naming the file and the reason.

    with staged_folder(out, owned=...) as tmp:   # the same, lock and commit in one
        ...

    check_complete(out)   # readers: refuse a folder left mid-commit or missing a listed file

``staged()`` may be entered many times under one lock (one commit each: per-epoch
checkpoints). The lock is re-entrant within a thread of this process (TrainedModel.save
inside the CLI's run); another thread of this process is refused like another process.

How the commit is one step:

* *Swap* (the usual case: the parent folder is writable, ``out`` is absent or holds only
  files a run owns, and is not a mount point): the staging folder is made beside ``out``
  (``.NAME.staging-*``) and exchanged with it atomically (``renameat2(RENAME_EXCHANGE)``;
  where the kernel lacks it, two renames, the old folder kept as ``.NAME.old-*`` and put
  back by the next run if a kill fell in between). The lock file is ``.NAME.lock`` beside.
* *In place* (read-only parent, ``out`` a mount point, or ``out`` holding other files the
  user keeps there): staging is ``out/.staging-*``; the commit writes ``out/.incomplete``,
  moves the new files in, removes the old run's files that the new one lacks, moves the
  manifest in last and removes the marker. A kill in between leaves the marker, which
  :func:`check_complete` refuses and the next run's lock finishes (roll forward). The lock
  file is ``out/.lock``.

Folders without a manifest (written by earlier versions, or shipped) are accepted as they
are: nothing can be checked in them.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from models.errors import ExplorerError
from models.files import refuse_link_loop

MANIFEST = "manifest.json"
INCOMPLETE = ".incomplete"
_INSIDE_LOCK = ".lock"
_INSIDE_STAGING = ".staging-"
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EFBIG: "the file is too large for the file system",
    errno.EIO: "input/output error",
}


class FolderBusyError(ExplorerError):
    """Another run (another process, or another thread of this one) holds the folder."""


class SaveError(ExplorerError):
    """Files could not be written or committed; the folder's previous contents are intact."""

    def __init__(self, message: str, folder: Path, filename: str | None = None) -> None:
        super().__init__(message)
        self.folder = folder
        self.filename = filename


class IncompleteFolderError(ExplorerError):
    """A model folder that is not complete and consistent (a save was interrupted)."""


def describe_os_error(exc: OSError) -> str:
    """A short reason for an OSError: "the disk is full" rather than "[Errno 28] ..."."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return exc.strerror or str(exc) or type(exc).__name__


def write_file(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` with plain OS calls (no C library that could crash on a
    full disk): any failure is an OSError that carries the file name."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise


# -- locks ---------------------------------------------------------------------------------------

_held_guard = threading.Lock()
_held: dict[str, tuple[int, int, Path]] = {}
"""Locks this process holds: real path of the folder -> (thread id, depth, lock file)."""


def _lock_owner_text(lock_path: Path) -> str:
    try:
        info = json.loads(lock_path.read_text())
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"
    command = str(info.get("command", "")).strip()
    return f"process {pid}" + (f" ({command[:120]})" if command else "")


def _flock(lock_path: Path) -> int | None:
    """An fd holding an exclusive lock on ``lock_path``, or None if another process holds it.

    The file is removed on release; a process that opened it just before then would lock
    a removed file, so the lock counts only if the path still names the locked file."""
    import fcntl

    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        try:
            same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


class RunFolder:
    """An output folder, locked for one run and replaced only as a whole (see the module)."""

    def __init__(
        self, path: str | Path, owned: Iterable[str] = (), preserved: Iterable[str] = ()
    ) -> None:
        self.requested = Path(path)
        # A symlink to a folder: the folder is replaced, the link kept.
        self.path = Path(os.path.realpath(self.requested))
        self.owned = tuple(owned)
        """Names a run writes here: replaced freely. Other entries are the user's and kept."""
        self.preserved = tuple(preserved)
        """Entries a run keeps across commits without listing them in the manifest (a run's
        ``checkpoints/``, written while it trains): carried into the new folder."""
        self._fd: int | None = None
        self._depth = 0
        self._lock_path: Path | None = None
        self._created_parents: list[Path] = []

    # -- locking -------------------------------------------------------------------------
    def __enter__(self) -> RunFolder:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @property
    def _key(self) -> str:
        return os.path.realpath(self.path)

    def acquire(self) -> None:
        """Take the folder's lock (FolderBusyError at once if held) and clean up after
        killed runs."""
        if self._fd is not None:  # this object entered again
            self._depth += 1
            return
        _check_target(self.requested)
        key = self._key
        me = threading.get_ident()
        with _held_guard:
            held = _held.get(key)
            if held is not None:
                if held[0] != me:
                    raise FolderBusyError(
                        f"{self.requested}: in use by another run in this process; "
                        "wait for it to finish"
                    )
                _held[key] = (me, held[1] + 1, held[2])
                self._fd, self._lock_path = -1, held[2]  # the outer holder owns the file lock
                return
            _held[key] = (me, 1, self.path)
        try:
            self._acquire_file_lock()
            assert self._lock_path is not None
            with _held_guard:
                _held[key] = (me, 1, self._lock_path)
            self._recover()
        except BaseException:
            self._release_file_lock()
            with _held_guard:
                _held.pop(key, None)
            raise

    def _acquire_file_lock(self) -> None:
        parent = self.path.parent
        missing = []
        p = parent
        while not p.exists():
            missing.append(p)
            p = p.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveError(
                f"{self.requested}: cannot create {exc.filename or parent} "
                f"({describe_os_error(exc)})",
                self.path,
            ) from None
        self._created_parents = list(missing)
        beside = parent / f".{self.path.name}.lock"
        try:
            fd = _flock(beside)
            lock_path = beside
        except OSError as exc:
            if not self.path.is_dir():
                raise SaveError(
                    f"{self.requested}: cannot write in {parent} ({describe_os_error(exc)})",
                    self.path,
                ) from None
            inside = self.path / _INSIDE_LOCK
            try:
                fd = _flock(inside)
            except OSError as exc2:
                raise SaveError(
                    f"{self.requested}: cannot write in it ({describe_os_error(exc2)})",
                    self.path,
                ) from None
            lock_path = inside
        if fd is None:
            raise FolderBusyError(
                f"{self.requested}: in use by {_lock_owner_text(lock_path)}; "
                "wait for it to finish or choose another folder"
            )
        self._fd, self._lock_path = fd, lock_path
        info = {"pid": os.getpid(), "command": " ".join(sys.argv)[:300]}
        try:
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(info).encode())
        except OSError:
            pass  # a full disk: the lock holds all the same, the message says less

    def release(self) -> None:
        """Let go of the lock (the outermost release removes the lock file)."""
        if self._depth:
            self._depth -= 1
            return
        key = self._key
        with _held_guard:
            held = _held.get(key)
            if held is not None and held[1] > 1:
                _held[key] = (held[0], held[1] - 1, held[2])
                self._fd = self._lock_path = None
                return
            _held.pop(key, None)
        self._release_file_lock()

    def _release_file_lock(self) -> None:
        fd, lock_path = self._fd, self._lock_path
        self._fd = self._lock_path = None
        if fd is None or fd < 0 or lock_path is None:
            return
        with suppress(OSError):
            lock_path.unlink(missing_ok=True)
        os.close(fd)
        for p in self._created_parents:  # parents made for a folder that never came
            try:
                p.rmdir()
            except OSError:
                break
        self._created_parents = []

    @property
    def locked(self) -> bool:
        return self._fd is not None

    # -- where staging goes ----------------------------------------------------------------
    @property
    def _inside(self) -> bool:
        """Stage and commit inside ``out`` (see the module): the lock file says where."""
        return self._lock_path is not None and self._lock_path.parent == self.path

    def _swap_possible(self) -> bool:
        if self._inside:
            return False
        if not self.path.exists():
            return True
        if os.path.ismount(self.path):
            return False
        manifest = _read_manifest(self.path) or {"files": {}}
        owned = set(self.owned) | set(self.preserved) | set(manifest["files"]) | {MANIFEST}
        return all(entry.name in owned for entry in self.path.iterdir())

    def _staging_names(self) -> Iterator[Path]:
        """Staging and old folders of earlier runs: inside ``out`` and beside it (and the
        ``.NAME.xxxxxxxx`` folders that versions before the lock left beside it)."""
        if self.path.is_dir() and not self.path.is_symlink():
            yield from (p for p in self.path.iterdir() if p.name.startswith(_INSIDE_STAGING))
        name = re.escape(self.path.name)
        pattern = re.compile(rf"^\.{name}\.(staging-.+|old-.+|[a-z0-9_]{{8}})$")
        try:
            beside = list(self.path.parent.iterdir())
        except OSError:
            return
        for p in beside:
            if pattern.match(p.name) and p.is_dir() and not p.is_symlink():
                yield p

    def _recover(self) -> None:
        """Finish or undo what a killed run left (we hold the lock, so nobody else is here)."""
        if self.path.is_dir():
            self._roll_forward()
        olds = sorted(
            (p for p in self._staging_names() if p.parent != self.path and ".old-" in p.name),
            key=lambda p: p.stat().st_mtime,
        )
        if olds and not self.path.exists():
            os.rename(olds[-1], self.path)  # killed between two renames: put the old back
        for p in self._staging_names():
            shutil.rmtree(p, ignore_errors=True)
        if self.path.is_dir():  # figures half-written by versions before this module
            for p in self.path.glob(".*.tmp"):
                if p.name[1:].removesuffix(".tmp") in self.owned:
                    p.unlink(missing_ok=True)

    def check_writable(self) -> None:
        """Make and remove a staging folder where :meth:`staged` will: before long work."""
        with self.staged(commit=False):
            pass

    # -- committing ----------------------------------------------------------------------
    @contextmanager
    def staged(self, commit: bool = True) -> Iterator[Path]:
        """An empty folder on ``out``'s file system; committed as ``out`` on normal exit."""
        if not self.locked:
            raise RuntimeError("RunFolder.staged() needs the lock: use `with RunFolder(...)`")
        inside = self._inside or not self._swap_possible()
        where = self.path if inside else self.path.parent
        prefix = _INSIDE_STAGING if inside else f".{self.path.name}.staging-"
        if inside and not self.path.is_dir():
            raise SaveError(f"{self.requested}: not a folder", self.path)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=where))
            os.chmod(tmp, 0o755)  # mkdtemp makes 0700; the folder becomes ``out``
        except OSError as exc:
            raise SaveError(
                f"{self.requested}: cannot write in {where} ({describe_os_error(exc)}); "
                "nothing was saved",
                self.path,
            ) from None
        try:
            yield tmp
            if commit:
                _write_manifest(tmp)
                if inside:
                    self._commit_in_place(tmp)
                else:
                    self._commit_swap(tmp)
        except OSError as exc:
            failed = Path(exc.filename) if exc.filename else None
            name = None
            what = ""
            if failed is not None and tmp in failed.parents:
                name = failed.relative_to(tmp).as_posix()
                what = f" (writing {name})"
            elif failed is not None and failed != self.path:
                what = f" ({failed})"
            if (self.path / INCOMPLETE).exists():
                state = "it is incomplete until the next save into it finishes the commit"
            elif self.path.exists():
                state = "its previous contents are intact"
            else:
                state = "nothing was saved there"
            raise SaveError(
                f"{self.requested}: could not save: {describe_os_error(exc)}{what}; {state}",
                self.path,
                name,
            ) from exc
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _commit_swap(self, tmp: Path) -> None:
        if not self.path.exists():
            os.rename(tmp, self.path)
            self._created_parents = []
            return
        carried = [n for n in self.preserved if (self.path / n).exists()]
        for name in carried:  # same file system: renames, not copies
            os.rename(self.path / name, tmp / name)
        try:
            _exchange(tmp, self.path)
        except OSError as exc:
            if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
                for name in carried:  # the old folder stays: so do its preserved entries
                    with suppress(OSError):
                        os.rename(tmp / name, self.path / name)
                raise
            old = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.old-", dir=self.path.parent))
            os.rename(self.path, old)  # the next run renames it back if we die right here
            os.rename(tmp, self.path)
            shutil.rmtree(old, ignore_errors=True)
            return
        shutil.rmtree(tmp, ignore_errors=True)  # now the old contents

    def _commit_in_place(self, tmp: Path) -> None:
        previous = _read_manifest(self.path)
        write_file(self.path / INCOMPLETE, tmp.name)
        old_files = set(previous["files"]) if previous else set()
        self._finish_in_place(tmp, old_files | set(self.owned))

    def _finish_in_place(self, tmp: Path, replaceable: set[str]) -> None:
        manifest = _read_manifest(tmp)
        assert manifest is not None
        new = set(manifest["files"])
        for name in sorted(new):
            src = tmp / name
            if src.exists():  # after a kill, some were moved already
                (self.path / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, self.path / name)
        for name in sorted(replaceable - new - {MANIFEST}):
            target = self.path / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        os.replace(tmp / MANIFEST, self.path / MANIFEST)
        (self.path / INCOMPLETE).unlink()
        shutil.rmtree(tmp, ignore_errors=True)

    def _roll_forward(self) -> None:
        marker = self.path / INCOMPLETE
        if not marker.is_file():
            return
        tmp = self.path / marker.read_text().strip()
        if tmp.parent == self.path and (tmp / MANIFEST).is_file():
            self._finish_in_place(tmp, set(self.owned))
        elif _read_manifest(self.path) is not None:  # killed after the manifest moved in
            marker.unlink()


@contextmanager
def staged_folder(path: str | Path, owned: Iterable[str] = ()) -> Iterator[Path]:
    """Lock ``path``, yield an empty staging folder, commit it as ``path`` on normal exit."""
    with RunFolder(path, owned=owned) as folder, folder.staged() as tmp:
        yield tmp


def _write_manifest(folder: Path) -> None:
    """List every file in ``folder`` (size, SHA-256) in its manifest, and flush them all."""
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
            os.fsync(f.fileno())
        name = path.relative_to(folder).as_posix()
        files[name] = {"size": path.stat().st_size, "sha256": digest.hexdigest()}
    text = json.dumps({"format": 1, "complete": True, "files": files}, indent=2)
    write_file(folder / MANIFEST, text)


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); OSError ENOSYS else."""
    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "no atomic exchange on this system")
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        raise OSError(errno.ENOSYS, "no renameat2 in this C library")
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(b))


def _check_target(requested: Path) -> None:
    """A clear line for a folder path that cannot be one: a file, or a symlink loop."""
    refuse_link_loop(requested)
    if requested.exists() and not requested.is_dir():
        raise ExplorerError(f"{requested}: exists and is not a folder")


def check_complete(folder: str | Path) -> None:
    """Refuse a folder that a save left part-way or that lacks a file its manifest lists.

    A folder without a manifest (older versions, shipped models) passes: nothing to check."""
    folder = Path(folder)
    if (folder / INCOMPLETE).exists():
        raise IncompleteFolderError(
            f"{folder}: incomplete: a save into it was interrupted; the next save into it "
            "finishes it"
        )
    manifest = _read_manifest(folder)
    if manifest is None:
        if (folder / MANIFEST).exists():
            raise IncompleteFolderError(f"{folder / MANIFEST}: not a valid manifest")
        return
    missing = [name for name in manifest["files"] if not (folder / name).is_file()]
    if missing:
        raise IncompleteFolderError(
            f"{folder}: incomplete: {', '.join(sorted(missing)[:3])} listed in {MANIFEST} "
            "is missing"
        )
