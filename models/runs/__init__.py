"""Training runs as objects: :class:`Run` (one run, start to commit) and the run folders
it leaves (:mod:`models.runs.saved`), shared by the command line, the window and Compare."""

from models.runs.places import OutputFolder, RunPlace, SessionFolder
from models.runs.run import NOTHING_KEPT, DataInfo, Run, RunCallbacks, RunData, RunOutcome
from models.runs.saved import ResumableRun, find_interrupted, find_resumable, resumable_run

__all__ = [
    "NOTHING_KEPT",
    "DataInfo",
    "OutputFolder",
    "ResumableRun",
    "Run",
    "RunCallbacks",
    "RunData",
    "RunOutcome",
    "RunPlace",
    "SessionFolder",
    "find_interrupted",
    "find_resumable",
    "resumable_run",
]
