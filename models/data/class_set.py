"""A class's own drawings, kept as plain Quick Draw data (the Draw tab's class set).

Each drawing is one line of Google's simplified ``.ndjson`` (``word``, ``countrycode``
"local", ``timestamp``, ``recognized``, ``key_id``, ``drawing``), in a folder with one
file per word (``cat.ndjson``, ``fish.ndjson``). So the set is data every part of the
project already reads: ``quickdraw:DIR/cat.ndjson,DIR/fish.ndjson`` trains a CVAE across
the words (the autoencoder for one word), from the window or the command line.

The folder defaults to ``class-set`` under the per-user data folder
(:func:`models.paths.data_dir`); any other can be chosen. Files are rewritten atomically,
so an interrupted write never leaves half a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.data.formats import Drawing, read_ndjson
from models.data.sketch import Strokes, make_drawing, ndjson_line
from models.errors import DataFormatError, ExplorerError
from models.files import write_atomic

COUNTRY = "local"
"""The ``countrycode`` of the class's own drawings (Google's are two-letter codes)."""
FOLDER_NAME = "class-set"
MAX_WORD = 60


def default_folder() -> Path:
    """Where the class set lives unless the user chose another folder."""
    from models.paths import data_dir

    return data_dir() / FOLDER_NAME


@dataclass(frozen=True)
class Entry:
    """One drawing of the set, as a list shows it."""

    word: str
    key_id: int
    timestamp: int
    strokes: int


def file_name(word: str) -> str:
    """The word's file: lower case, its letters, digits, spaces and hyphens kept, the
    rest ``_`` (so "Cat" and "cat" are one word, as Quick Draw's categories are matched)."""
    return re.sub(r"[^\w\- ]", "_", word.lower()) + ".ndjson"


def check_word(word: str) -> str:
    """The word, tidied (spaces collapsed); ExplorerError for one that cannot name a class."""
    tidy = " ".join(str(word).split())
    if not tidy:
        raise ExplorerError("a class set drawing needs a word (what it shows, e.g. cat)")
    if len(tidy) > MAX_WORD:
        raise ExplorerError(f"the word {tidy[:20]!r}... is longer than {MAX_WORD} characters")
    if tidy.startswith("."):
        raise ExplorerError(f"the word {tidy!r} cannot start with a dot")
    return tidy


class ClassSet:
    """The drawings in ``folder`` (default :func:`default_folder`), one file per word.

    ``add`` remembers what it added, so ``undo`` takes back the last ones (this session's).
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_folder()
        self._added: list[tuple[str, int]] = []

    # -- reading --------------------------------------------------------------------------
    def files(self) -> list[Path]:
        """The set's ``.ndjson`` files that hold drawings, sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("*.ndjson") if p.is_file() and p.stat().st_size)

    def drawings(self, word: str | None = None) -> list[Drawing]:
        """Every drawing (of ``word``, or all), file by file; DataFormatError for a
        damaged file (one line naming it)."""
        files = self.files() if word is None else [self.folder / file_name(check_word(word))]
        out: list[Drawing] = []
        for path in files:
            if path.is_file() and path.stat().st_size:
                out += read_ndjson(path)
        return out

    def entries(self) -> list[Entry]:
        return [Entry(d.word or "", d.key_id, d.timestamp, len(d.strokes)) for d in self.drawings()]

    def words(self) -> list[str]:
        """The words that have drawings, in file order."""
        words: list[str] = []
        for path in self.files():
            first = read_ndjson(path)[0]
            words.append(first.word or path.stem)
        return words

    def __len__(self) -> int:
        return len(self.drawings())

    # -- training ------------------------------------------------------------------------
    def spec(self) -> str:
        """The data spec of the whole set: ``quickdraw:DIR/a.ndjson,DIR/b.ndjson``."""
        files = self.files()
        if not files:
            raise ExplorerError(f"the class set in {self.folder} has no drawings yet")
        if len(files) > 1 and any("," in str(p) for p in files):
            raise ExplorerError(
                f"{self.folder}: a comma in the folder's path cannot be in a quickdraw: "
                "spec of several files; choose a folder without one"
            )
        return "quickdraw:" + ",".join(str(p) for p in files)

    def kind(self) -> str:
        """What to train on it: a CVAE across two or more words, else the autoencoder."""
        return "cvae" if len(self.files()) >= 2 else "autoencoder"

    # -- changing ------------------------------------------------------------------------
    def add(self, strokes: Strokes, word: str, recognized: bool = False) -> Drawing:
        """Save a pad drawing (its strokes, in any pad units) under ``word``."""
        word = check_word(word)
        path = self.folder / file_name(word)
        lines = self._lines(path)
        if lines:  # the word as the file first had it ("cat" for "Cat")
            theirs = read_ndjson(path)[0].word
            if theirs is not None and theirs.lower() != word.lower():
                raise ExplorerError(f"{path} holds drawings of {theirs!r}, not {word!r}")
            word = theirs or word
        drawing = make_drawing(strokes, word=word, countrycode=COUNTRY)
        if not drawing.strokes or all(s.shape[1] == 0 for s in drawing.strokes):
            raise ExplorerError("the pad is empty: draw something first")
        drawing.recognized = bool(recognized)
        self._write(path, [*lines, ndjson_line(drawing)])
        self._added.append((word, drawing.key_id))
        return drawing

    def can_undo(self) -> bool:
        return bool(self._added)

    def undo(self) -> Entry | None:
        """Take back the last drawing added (None when there is none to take back)."""
        while self._added:
            word, key_id = self._added.pop()
            removed = self.delete(word, key_id)
            if removed is not None:
                return removed
        return None

    def delete(self, word: str, key_id: int) -> Entry | None:
        """Remove one drawing (None if it is not there); a word's last drawing takes its
        file with it."""
        path = self.folder / file_name(check_word(word))
        lines = self._lines(path)
        if not lines:
            return None
        drawings = read_ndjson(path)
        keep = [line for line, d in zip(lines, drawings, strict=True) if d.key_id != key_id]
        gone = [d for d in drawings if d.key_id == key_id]
        if not gone:
            return None
        if keep:
            self._write(path, keep)
        else:
            path.unlink()
        self._added = [a for a in self._added if a != (word, key_id)]
        d = gone[0]
        return Entry(d.word or word, d.key_id, d.timestamp, len(d.strokes))

    def _lines(self, path: Path) -> list[str]:
        if not path.is_file():
            return []
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFormatError(path, None, f"cannot read the class set file ({exc})") from None
        lines = [line for line in text.splitlines() if line.strip()]
        if lines:
            read_ndjson(path)  # a damaged file is named now, not overwritten
        return lines

    def _write(self, path: Path, lines: Sequence[str]) -> None:
        try:
            write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
        except OSError as exc:
            raise ExplorerError(f"cannot write the class set file {path}: {exc.strerror}") from None
