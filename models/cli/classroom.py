"""``ae-explorer interpolate | encode | replay``: the classroom commands.

Registered in :mod:`models.cli.main` by :func:`add_parsers`; :func:`run` executes them.
Errors are :class:`~models.errors.ExplorerError` (one line, exit status 2).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models.cli.checks import check_out_file, writing_out
from models.errors import ExplorerError

if TYPE_CHECKING:
    from models.data.dataset import Dataset
    from models.nets.trained import TrainedModel

COMMANDS = ("interpolate", "encode", "replay")
STRICT_HELP = (
    "images:FOLDER: refuse the folder at its first bad file (default: skip and count them)"
)
FLOAT32_MAX = float(np.finfo(np.float32).max)
"""The largest latent coordinate a model's float32 arithmetic can hold."""
MODEL_HELP = "a shipped model (vae, cvae, autoencoder), a model folder or a .keras file"
COORDINATES = re.compile(r"^-\d*\.?\d+(?:[eE][-+]?\d+)?(?:,[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)*$")
"""Latent coordinates that start with a minus (``-1,0``, ``-.5``, ``-1e-3,2``): values, not
options, so ``--from -1,0`` works without ``=`` (argparse's own test takes ``-1`` but not
``-1,0``: it would say "expected one argument")."""
ENCODE_SEED = 0
"""The seed of ``encode --limit``'s sample (the same images every time)."""


def add_parsers(sub: Any) -> None:
    """Add the classroom subcommands to the CLI's subparsers."""
    i = sub.add_parser(
        "interpolate",
        help="decode the way between two latent points as a PNG strip or an animated GIF",
    )
    # No option of interpolate looks like a negative number, so any argument that does is a
    # value: argparse reads this pattern to tell the two apart (the attribute has been there
    # since Python 2.7; Python 3.13 widened its own pattern the same way).
    i._negative_number_matcher = COORDINATES
    i.add_argument("model", help=MODEL_HELP)
    i.add_argument(
        "--from",
        dest="start",
        required=True,
        help="latent coordinates (--from -1.2,0.5) or SPEC@INDEX (that image, encoded); required",
    )
    i.add_argument("--to", dest="end", required=True, help="like --from (required)")
    i.add_argument("--steps", type=int, default=10, help="frames, both ends included (default: 10)")
    i.add_argument(
        "--method",
        choices=("linear", "slerp"),
        default="linear",
        help="straight line or spherical path (default: linear)",
    )
    i.add_argument(
        "--label",
        help="CVAE: a digit (3) or a mixture (8:0.5,3:0.5) (default: the ends' own labels)",
    )
    i.add_argument("--bounce", action="store_true", help="add the way back (default: off)")
    i.add_argument("--out", required=True, help="FILE.png (a strip) or FILE.gif (required)")
    i.add_argument("--strict", action="store_true", help=STRICT_HELP)

    e = sub.add_parser(
        "encode", help="write a data set's codes in the TensorBoard Embedding Projector layout"
    )
    e.add_argument("model", help=MODEL_HELP)
    e.add_argument("--data", required=True, help="SPEC of the images to encode (required)")
    e.add_argument(
        "--limit",
        type=int,
        help=f"encode a random sample of N images (seed {ENCODE_SEED}, the same each time) that "
        "holds every class of labelled data, in the data's order (default: all)",
    )
    e.add_argument("--out", required=True, help="output folder (required)")
    e.add_argument("--strict", action="store_true", help=STRICT_HELP)

    r = sub.add_parser("replay", help="an animated GIF of a run, one frame per epoch")
    r.add_argument("run_dir", help="a folder written by 'ae-explorer train'")
    r.add_argument("--out", required=True, help="FILE.gif (required)")
    r.add_argument("--frame-ms", type=int, default=400, help="time per frame (default: 400)")


def run(args: argparse.Namespace) -> int:
    """Execute one classroom subcommand."""
    if args.command == "interpolate":
        return cmd_interpolate(args)
    if args.command == "encode":
        return cmd_encode(args)
    if args.command == "replay":
        return cmd_replay(args)
    raise ExplorerError(f"unknown command {args.command!r}")


# --------------------------------------------------------------------------- shared parts


def _load_model_arg(arg: str) -> TrainedModel:
    """MODEL as every CLI command takes it (:func:`models.load_model`)."""
    from models.inference.api import load_model

    return load_model(arg)


def _load_data(spec: str, trained: TrainedModel, strict: bool = False) -> Dataset:
    """``spec``'s images as the model takes them (framed like its training data, its
    categories matched by name)."""
    from models.data.specs import load_dataset

    data = load_dataset(
        spec,
        image_size=trained.config.spec.input_size,
        family=trained.data_family,
        strict=strict,
    )
    if data.class_names is not None and trained.config.class_names is not None:
        from models.data.dataset import match_classes

        data = match_classes(data, trained.config.class_names)
    if data.image_shape != trained.image_shape:
        (h, w), (mh, mw) = data.image_shape, trained.image_shape
        raise ExplorerError(f"{spec}: images are {h}x{w} but the model takes {mh}x{mw}")
    return data


def parse_label(text: str, classes: int) -> np.ndarray:
    """``"3"`` -> one-hot; ``"8:0.5,3:0.5"`` -> that mixture (weights as given)."""
    vector = np.zeros(classes, np.float32)
    try:
        for part in text.split(","):
            digit, sep, weight = part.partition(":")
            d = int(digit)
            if not 0 <= d < classes:
                raise ExplorerError(f"--label {text}: the model knows labels 0-{classes - 1}")
            vector[d] += float(weight) if sep else 1.0
    except ValueError:
        raise ExplorerError(
            f"--label {text}: expected a digit (3) or a mixture (8:0.5,3:0.5)"
        ) from None
    if not np.all(np.isfinite(vector)) or vector.min() < 0 or vector.sum() <= 0:
        raise ExplorerError(f"--label {text}: weights must be >= 0 and not all 0")
    return vector


class _Ends:
    """Turns ``--from``/``--to`` texts into latent points (and CVAE labels), loading each
    data set once."""

    def __init__(
        self, trained: TrainedModel, label: np.ndarray | None, strict: bool = False
    ) -> None:
        from models.inference.interpolate import code_size

        self.trained = trained
        self.label = label
        self.strict = strict
        self.size = code_size(trained)
        self._data: dict[str, Dataset] = {}

    def point(self, option: str, text: str) -> tuple[np.ndarray, np.ndarray | None]:
        """(the latent point, the label vector it was encoded with or None)."""
        spec, at, index = text.rpartition("@")
        if at:
            return self._encoded(option, text, spec, index)
        try:
            values = np.array([float(v) for v in text.split(",")], np.float64)
        except ValueError:
            raise ExplorerError(
                f"{option} {text}: expected latent coordinates (-1.2,0.5) or SPEC@INDEX"
            ) from None
        # Checked in float64: a cast of 1e308 to float32 would warn of an overflow first.
        if not np.all(np.abs(values) <= FLOAT32_MAX):  # NaN fails this too
            raise ExplorerError(
                f"{option} {text}: coordinates must be finite numbers (at most "
                f"{FLOAT32_MAX:.3g} in size)"
            )
        values = values.astype(np.float32)
        if values.size != self.size:
            raise ExplorerError(
                f"{option} {text}: {values.size} coordinates, but the model's latent points "
                f"have {self.size}"
            )
        return values, None

    def _encoded(
        self, option: str, text: str, spec: str, index: str
    ) -> tuple[np.ndarray, np.ndarray | None]:
        try:
            i = int(index)
        except ValueError:
            raise ExplorerError(f"{option} {text}: INDEX must be a whole number") from None
        if spec not in self._data:
            self._data[spec] = _load_data(spec, self.trained, self.strict)
        data = self._data[spec]
        if not 0 <= i < len(data):
            raise ExplorerError(f"{option} {text}: {spec} has images 0-{len(data) - 1}")
        label = None
        if self.trained.config.spec.conditional:
            from models.nets.cvae import one_hot

            if data.labels is not None:
                label = one_hot(data.labels[i : i + 1], self.trained.config.num_classes)[0]
            elif self.label is not None:
                label = self.label
            else:
                raise ExplorerError(
                    f"{option} {text}: {spec} has no labels; give the CVAE one with --label"
                )
        image = data.images[i : i + 1]
        z = self.trained.encode_mean(image, None if label is None else label[None])
        return np.asarray(z, np.float32)[0], label


# --------------------------------------------------------------------------- interpolate


def cmd_interpolate(args: argparse.Namespace) -> int:
    from models.inference.interpolate import export, interpolate

    if args.steps < 2:
        raise ExplorerError(f"--steps {args.steps}: at least 2 (the two ends)")
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".gif"):
        raise ExplorerError(f"--out {out}: write a .png strip or a .gif animation")
    check_out_file(out)
    trained = _load_model_arg(args.model)
    conditional = trained.config.spec.conditional
    if args.label is not None and not conditional:
        raise ExplorerError("--label is for the conditional VAE only")
    label = parse_label(args.label, trained.config.num_classes) if args.label else None
    ends = _Ends(trained, label, args.strict)
    a, label_a = ends.point("--from", args.start)
    b, label_b = ends.point("--to", args.end)
    if conditional and label is None:
        if label_a is None or label_b is None:
            raise ExplorerError(
                "the conditional VAE needs --label (or both ends from labelled data)"
            )
        result = interpolate(trained, a, b, args.steps, args.method, label_a, label_b)
    else:
        result = interpolate(trained, a, b, args.steps, args.method, label)
    with writing_out(out):
        export(result.frames, out, bounce=args.bounce)
    frames = len(result.frames) * (2 if args.bounce else 1) - (2 if args.bounce else 0)
    print(f"{out}: {frames} frames ({args.method}, {args.steps} steps)", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- encode


def cmd_encode(args: argparse.Namespace) -> int:
    from models.cli.checks import check_out
    from models.inference.projector import encode, sample, write_projector

    if args.limit is not None and args.limit < 1:
        raise ExplorerError(f"--limit {args.limit}: at least 1")
    out = Path(args.out)
    check_out(out)
    trained = _load_model_arg(args.model)
    data = _load_data(args.data, trained, args.strict)
    if args.limit is not None:
        data = sample(data, args.limit, seed=ENCODE_SEED)
    if len(data) == 0:
        raise ExplorerError(f"{args.data}: no images to encode")
    if trained.config.spec.conditional and data.labels is None:
        raise ExplorerError(
            f"{args.data}: the conditional VAE encodes an image with its label; "
            "this data has no labels"
        )
    codes = encode(trained, data)
    write_projector(out, codes, data)
    print(
        f"{out}: {len(data)} codes of {codes.z_mean.shape[1]} values "
        "(codes.tsv, metadata.tsv, sprite.png, projector_config.pbtxt, codes.npz)",
        file=sys.stderr,
    )
    return 0


# --------------------------------------------------------------------------- replay


def cmd_replay(args: argparse.Namespace) -> int:
    from models.inference.replay import run_class_names, save_replay
    from models.inference.timeline import Timeline

    out = Path(args.out)
    if out.suffix.lower() != ".gif":
        raise ExplorerError(f"--out {out}: the replay is an animated .gif")
    check_out_file(out)
    if args.frame_ms < 10:
        raise ExplorerError(f"--frame-ms {args.frame_ms}: at least 10")
    run_dir = Path(args.run_dir)
    if not run_dir.is_dir():
        raise ExplorerError(f"{run_dir}: no such run folder")
    timeline = Timeline.load(run_dir)
    if not len(timeline):
        raise ExplorerError(f"{run_dir}: the timeline holds no epochs")
    with writing_out(out):
        save_replay(timeline, out, frame_ms=args.frame_ms, names=run_class_names(run_dir))
    print(f"{out}: {len(timeline)} frames, one per epoch", file=sys.stderr)
    return 0
