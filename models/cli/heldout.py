"""Which part of ``evaluate``'s data to score: a run's own training data is scored on the
part it held out for validation, unless ``--all`` asks for every sample; either way one line
on stderr says which samples were scored, so no score silently includes trained-on samples.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from models.data.specs import parse_spec
from models.errors import DataSpecError

if TYPE_CHECKING:
    from models.data.dataset import Dataset
    from models.nets.trained import TrainedModel


def same_data(spec: str, trained_on: str) -> bool:
    """Whether two SPECs name the same data: the same kind and the same categories or files
    (paths compared where they point; ``cat.bin`` is ``quickdraw:cat.bin``)."""

    def parts(text: str) -> tuple[str, tuple[str, ...]] | None:
        try:
            kind, arg = parse_spec(text)
        except DataSpecError:
            return None
        names = () if arg is None else tuple(p.strip() for p in arg.split(","))
        return kind, tuple(
            os.path.realpath(os.path.expanduser(n)) if os.path.exists(os.path.expanduser(n))
            else n.lower()
            for n in names
        )  # fmt: skip

    a, b = parts(spec), parts(trained_on)
    return a is not None and a == b


def scored_part(
    trained: TrainedModel, data: Dataset, args: argparse.Namespace
) -> tuple[Dataset, dict[str, Any]]:
    """(the samples of ``data`` to score, what the JSON summary says of them); says which
    on stderr when ``data`` is the data the model trained on."""
    config = trained.config
    if not same_data(args.data, config.resolved_data):
        return data, {}
    n = len(data)
    if config.val_data:
        _say(
            f"{args.data} is the data this {trained.spec.short_name} trained on: all {n:,} "
            f"samples scored were trained on (it validated on {config.val_data})"
        )
        return data, {"part": "all, trained on"}
    train, held_out = data.split(config.val_fraction, seed=config.val_seed)
    if getattr(args, "all", False):
        _say(
            f"scoring all {n:,} samples of {args.data}, the {len(train):,} this "
            f"{trained.spec.short_name} trained on included"
        )
        return data, {"part": "all, trained on included"}
    how = "first" if config.val_seed is None else f"seed {config.val_seed}"
    _say(
        f"scoring the {len(held_out):,} samples of {args.data} that this run held out for "
        f"validation ({config.val_fraction:.0%}, {how}); --all scores all {n:,}, "
        "training samples included"
    )
    return held_out, {"part": "held out"}


def _say(message: str) -> None:
    print(f"ae-explorer: {message}", file=sys.stderr)
