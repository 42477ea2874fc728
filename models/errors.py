"""The project's own exception types: every bad input ends in one of these, never a crash.

Each message names the file (and where in it) and what is wrong, so the CLI and the GUI
can show it to the user as a single clear line.
"""

from __future__ import annotations

from pathlib import Path


class ExplorerError(Exception):
    """Base class for every error the engine reports to a user."""


class DataFormatError(ExplorerError):
    """A data file is corrupt, truncated or not in the expected format.

    ``location`` is a human-readable position such as ``"byte 1234"`` or ``"line 7"``.
    """

    def __init__(self, path: str | Path, location: str | None, problem: str) -> None:
        self.path = Path(path)
        self.location = location
        self.problem = problem
        where = f"{self.path}" + (f", {location}" if location else "")
        super().__init__(f"{where}: {problem}")


class DataSpecError(ExplorerError):
    """A data specification such as ``quickdraw:cat`` or ``mnist:PATH`` cannot be used."""


class DownloadError(ExplorerError):
    """A download failed: offline, timed out, refused, or cut off part-way."""


class WeightsError(ExplorerError):
    """A weights file is missing, corrupt, or belongs to a different model or shape."""


class TrainingError(ExplorerError):
    """Training cannot go on, for example because the loss became NaN or exploded."""


class TruncatedFileWarning(UserWarning):
    """A data file ends part-way through a record; the records before it were kept on request."""


class DataMismatchWarning(UserWarning):
    """The data is not the kind the model was trained on (digits for the cat autoencoder):
    the numbers would be meaningless, though nothing fails."""


class SkippedFilesWarning(UserWarning):
    """Some files of a folder of pictures could not be used and were left out; the message
    counts them in one line (``--strict`` refuses instead)."""
