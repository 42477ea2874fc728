"""The ``train`` options for runs beyond one machine, kept apart from the rest of the CLI.

``--resume``, ``--max-steps``, ``--steps-per-epoch``, ``--stream`` and ``--distribute``,
and the Ctrl+C handling: the first SIGINT asks the loop to stop after the current batch
(the last completed epoch is then saved); a second one interrupts at once.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from models.data.specs import parse_spec
from models.errors import DataSpecError, ExplorerError
from models.training.control import TrainingControl

STREAM_FILE_BYTES = 128 << 20
"""A ``.bin`` file above this size (about 600k drawings, 2.5 GB as float32) is streamed."""


def add_train_options(t: argparse.ArgumentParser) -> None:
    t.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in --out from its last complete epoch, same settings "
        "(default: a fresh run)",
    )
    t.add_argument(
        "--max-steps", type=int, help="end training after N batches in all (default: no limit)"
    )
    t.add_argument("--steps-per-epoch", type=int, help="batches per epoch (default: one pass)")
    t.add_argument(
        "--stream",
        action="store_true",
        help="stream the training data from the disk cache through tf.data "
        f"(default: only for .bin files over {STREAM_FILE_BYTES >> 20} MB)",
    )
    t.add_argument(
        "--distribute",
        choices=("mirrored", "multiworker"),
        help="mirrored: all local GPUs (or devices); multiworker: the cluster in TF_CONFIG. "
        "--batch-size is the global batch (default: one device)",
    )


def check_options(args: argparse.Namespace) -> None:
    for name in ("max_steps", "steps_per_epoch"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ExplorerError(f"--{name.replace('_', '-')} must be at least 1, got {value}")


def wants_stream(args: argparse.Namespace, spec: str) -> bool:
    """Stream when asked to, or when the data is a large Quick Draw binary file."""
    if args.stream:
        return True
    kind, arg = parse_spec(spec)
    if kind != "quickdraw" or arg is None:
        return False
    path = Path(arg).expanduser()
    return (
        path.suffix.lower() == ".bin" and path.is_file() and path.stat().st_size > STREAM_FILE_BYTES
    )


def load_stream(
    args: argparse.Namespace,
    spec: str,
    size: int | None,
    progress: Any,
    labels_for: str | None = None,
) -> Any:
    """The training stream for ``spec`` (split off its validation drawings with ``.split``).

    Quick Draw files and categories (``.bin``, ``.ndjson``, ``.npy``) are rasterized into
    the streaming cache chunk by chunk, resumably, at ``size`` (32 if None); several of
    them (``quickdraw:cat,dog``) make one labelled stream, each file streamed in turn.
    Other data (MNIST, generated doodles: small by nature) is loaded and packed in memory,
    labels kept. ``labels_for``: the model that needs labels (refused before any
    rasterizing when the data has none).
    """
    from models.training import streaming

    if args.val_data:
        raise DataSpecError("--val-data: streamed runs hold out their own validation drawings")
    kind, arg = parse_spec(spec)
    if kind == "images" and arg is not None:
        from models.data.specs import spec_family

        source = streaming.stream_folder(
            arg,
            spec.strip(),
            size=size or 28,
            framing=spec_family(spec),
            strict=bool(getattr(args, "strict", False)),
            progress=progress,
        )
        if labels_for and source.labels is None:
            raise DataSpecError(
                f"data spec {spec!r} has no labels (a flat folder); the {labels_for} needs "
                "one subfolder per class"
            )
        return source
    if kind != "quickdraw" or arg is None:
        from models.data.specs import load_dataset

        return streaming.from_dataset(load_dataset(spec, image_size=size))
    from models.data.specs import _split_parts

    keep = getattr(args, "max_per_category", None)
    parts = _split_parts(arg)
    if any(not part for part in parts):
        raise DataSpecError(f"data spec {spec!r}: an empty name between commas")
    if labels_for and len(parts) == 1:
        raise DataSpecError(
            f"data spec {spec!r} has no labels (one category); the {labels_for} needs "
            "labelled data: mnist, or several Quick Draw categories (quickdraw:cat,dog)"
        )
    files = [_stream_file(spec, part, progress) for part in parts]
    size = size or 32
    if len(files) == 1:
        source = streaming.stream_cache(files[0][0], size=size, progress=progress)
        if keep is not None:
            source = dataclasses.replace(source, rows=source.rows[:keep])
        return source
    return streaming.stream_files(
        files, spec.strip(), max_per_category=keep, size=size, progress=progress
    )


def _stream_file(spec: str, part: str, progress: Any) -> tuple[Path, str | None]:
    """(the file, its category when named by category) for one part of a Quick Draw spec."""
    from models.data import quickdraw
    from models.data.specs import QUICKDRAW_EXTENSIONS, _match_category

    path = Path(part).expanduser()
    if path.suffix.lower() in QUICKDRAW_EXTENSIONS or path.exists():
        if not path.is_file():
            problem = f"{path} is not a file" if path.exists() else f"no such file {path}"
            raise DataSpecError(f"data spec {spec!r}: {problem}")
        if path.suffix.lower() not in QUICKDRAW_EXTENSIONS:
            raise DataSpecError(
                f"data spec {spec!r}: unsupported file type {path.suffix or '(none)'}; "
                f"Quick Draw files are {', '.join(QUICKDRAW_EXTENSIONS)}"
            )
        return path, None
    category = _match_category(spec, part, tuple(quickdraw.CATEGORIES))
    return quickdraw.download_category(category, progress=progress), category


@contextlib.contextmanager
def stop_on_sigint(control: TrainingControl) -> Iterator[dict[str, Any]]:
    """While inside: the first Ctrl+C (or SIGTERM) stops training after the current batch;
    a second one interrupts at once. ``state``: "interrupted" (bool), and "what" and
    "status" to report ("interrupted", 130; "terminated", 143 for SIGTERM)."""
    from models.cli.signals import INTERRUPTED_STATUS, TERMINATED_STATUS, raise_terminated

    state: dict[str, Any] = {
        "interrupted": False, "what": "interrupted", "status": INTERRUPTED_STATUS
    }  # fmt: skip

    def handler(signum: int, frame: Any) -> None:
        if signum == signal.SIGTERM:
            state.update(what="terminated", status=TERMINATED_STATUS)
        state["interrupted"] = True
        control.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second one: at once
        signal.signal(signal.SIGTERM, raise_terminated)

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave Ctrl+C alone
        yield state
        return
    previous_term = signal.signal(signal.SIGTERM, handler)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)


def check_resume(out: Path, config: Any, args: argparse.Namespace) -> None:
    """Refuse a resume with other settings than its checkpoint's before loading any data
    or saying "resuming from" (the training loop checks again, with the data's classes)."""
    from models.training.checkpoint import CHECKPOINTS, CheckpointStore
    from models.training.checkpoint import check_resume as check

    shared = out / CHECKPOINTS if args.distribute == "multiworker" else None
    check(CheckpointStore(out, folder=shared, read_only=True), config)


def make_strategy(args: argparse.Namespace) -> Any:
    if not args.distribute:
        return None
    from models.training.distribute import make_strategy as make

    return make(args.distribute)


def is_chief(strategy: Any) -> bool:
    from models.training.distribute import is_chief as chief

    return strategy is None or chief(strategy)


def say(message: str) -> None:
    print(f"ae-explorer: {message}", file=sys.stderr)
