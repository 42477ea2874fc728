"""``ae-explorer train | evaluate | interpolate | encode | replay | bench``: the engine
without a window.

Errors are one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from models.cli import classroom, scale
from models.cli.bench import TRAIN_KINDS
from models.cli.checks import check_cache_for_train, check_out
from models.cli.heldout import scored_part
from models.cli.signals import exit_status, handle_sigterm
from models.errors import DataSpecError, DownloadError, ExplorerError, TrainingError
from models.inference.api import model_forms
from models.messages import BatchProgress, EpochResult
from models.nets.config import MODEL_KINDS, TrainConfig
from models.nets.kinds import ARCHS, KINDS, PRESETS, KindSpec, get_kind
from models.nets.precision import POLICIES
from models.runs.output import FIGURE_FILES as FIGURE_FILES
from models.runs.output import OUTPUT_FILES as OUTPUT_FILES
from models.runs.output import render_figures as render_figures
from models.runs.output import save_run as save_run

BenchMeasure = Callable[[], Iterator[tuple[str, float, str]]]


class _Parser(argparse.ArgumentParser):
    """Usage mistakes as one line too (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _per_kind(value: Callable[[KindSpec], object], option: str | None = None) -> str:
    """``value`` for each kind (that has ``option``), for help texts: "VAE 2, CVAE 2"."""
    return ", ".join(
        f"{k.short_name} {value(k)}"
        for k in KINDS.values()
        if option is None or option in k.options
    )


def _batch_of(kind: KindSpec, preset: str) -> int:
    return kind.recipe(preset).batch_size


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ae-explorer",
        description="Autoencoder Explorer: train and explore autoencoders. "
        "Run without arguments to open the window.",
    )
    from models.paths import version

    p.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser(
        "train",
        help="train a model and write weights, metrics and figures",
        description="Train a model and write weights, config, metrics and figures into --out.",
    )
    t.add_argument("model", choices=MODEL_KINDS, help="the kind of model to train")
    t.add_argument(
        "--data",
        help="SPEC of the training data: quickdraw:CATEGORY, quickdraw:PATH, doodles[:N], "
        f"mnist, mnist:PATH, images:FOLDER (default: {_per_kind(lambda k: k.default_data)})",
    )
    t.add_argument(
        "--val-data", help="SPEC of the validation data (default: hold out 15%% of --data)"
    )
    t.add_argument(
        "--val-split",
        choices=("random", "first"),
        default="random",
        help="without --val-data, hold out a seeded random 15%% or the first 15%% "
        "(default: random)",
    )
    t.add_argument(
        "--epochs", type=int, default=10, help="passes over the training data (default: 10)"
    )
    t.add_argument("--out", required=True, help="output folder (required; made if missing)")
    t.add_argument(
        "--latent-dim",
        type=int,
        help="size of the latent space "
        f"(default: {_per_kind(lambda k: k.default_latent, 'latent_dim')})",
    )
    t.add_argument(
        "--beta",
        type=float,
        default=1.0,
        help="weight of the KL term, VAEs only; above 1 smooths the map (default: 1.0)",
    )
    t.add_argument(
        "--batch-size",
        type=int,
        help="samples per training step (default: the preset's; "
        + "; ".join(f"{p}: {_per_kind(partial(_batch_of, preset=p))}" for p in PRESETS)
        + ")",
    )
    t.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the weights, the batches and the validation split (default: 0)",
    )
    t.add_argument(
        "--preset",
        choices=PRESETS,
        default="classic",
        help="classic: the book's recipe; improved: smaller batches, a decayed learning "
        "rate and the best epoch kept (default: classic)",
    )
    t.add_argument(
        "--noise",
        type=float,
        default=0.0,
        help="std of Gaussian noise on the inputs, which makes the autoencoder a denoising "
        "one (default: 0.0, none)",
    )
    t.add_argument(
        "--hidden-units",
        type=int,
        default=512,
        help="width of the VAEs' hidden layers (default: 512)",
    )
    t.add_argument(
        "--precision",
        choices=("auto", *POLICIES),
        default="auto",
        help="the number type training computes in; auto: mixed_bfloat16 on a GPU and on a "
        "CPU that multiplies bfloat16 natively, else float32 (the weights are always "
        "float32) (default: auto)",
    )
    t.add_argument(
        "--arch",
        choices=ARCHS,
        help="the network: conv or dense (default: conv for sketches where the model has "
        "one, dense for digits; the autoencoder is conv unless told)",
    )
    t.add_argument(
        "--max-per-category",
        type=int,
        help="take at most N drawings of each Quick Draw category (default: all)",
    )
    t.add_argument(
        "--quiet", action="store_true", help="no progress bars (default: show them on stderr)"
    )
    scale.add_train_options(t)
    add_strict(t)

    e = sub.add_parser("evaluate", help="print the metrics of a model as JSON")
    e.add_argument("model", help=model_forms())
    e.add_argument(
        "--data",
        required=True,
        help="SPEC of the data to evaluate on (required); the run's own training data is "
        "scored on the part the run held out for validation",
    )
    add_strict(e)
    e.add_argument(
        "--all",
        action="store_true",
        help="score every sample, the ones the run trained on included (default: off)",
    )

    classroom.add_parsers(sub)

    b = sub.add_parser("bench", help="measure this machine; one JSON object per line")
    b.add_argument("--quick", action="store_true", help="smaller sizes, for tests (default: off)")
    b.add_argument(
        "--kinds",
        type=_bench_kinds,
        help="train only these kinds, comma-separated, and skip the other measures "
        "(default: every measure and kind: " + ",".join(TRAIN_KINDS) + ")",
    )
    return p


def _bench_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in TRAIN_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown kind {', '.join(unknown) or text!r}; choose from {', '.join(TRAIN_KINDS)}"
        )
    return kinds


def _progress_bar(desc: str, quiet: bool) -> Callable[[int, int], None] | None:
    if quiet:
        return None
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            _say_device()
            bar["bar"] = tqdm(
                total=total or None,
                desc=desc,
                unit="B" if total > 10_000 else "",
                unit_scale=True,
                file=sys.stderr,
                leave=False,
            )
        b = bar["bar"]
        if total and b.total != total:
            b.total = total
        b.n = done
        b.refresh()
        if total and done >= total:
            b.close()

    return update


def _load(
    spec: str,
    image_size: int | None,
    quiet: bool,
    max_per_category: int | None = None,
    *,
    family: str | None = None,
    strict: bool = False,
) -> Any:
    from models.data.specs import load_dataset

    return load_dataset(
        spec,
        progress=_progress_bar(f"loading {spec}", quiet),
        image_size=image_size,
        max_per_category=max_per_category,
        family=family,
        strict=strict,
    )


def add_strict(parser: argparse.ArgumentParser) -> None:
    """``--strict``: for the commands that read data."""
    parser.add_argument("--strict", action="store_true", help=classroom.STRICT_HELP)


def _load_or_offline(config: TrainConfig, args: argparse.Namespace) -> tuple[Any, TrainConfig]:
    """The training data; a kind's default Quick Draw category that cannot be downloaded
    (offline) gives way to its offline data, the generated doodles, as in the window: said
    in one line, and the config (config.json) names what was really trained on."""
    size = config.spec.input_size
    strict = bool(getattr(args, "strict", False))
    try:
        data = _load(
            config.resolved_data, size, args.quiet, args.max_per_category, strict=strict
        )
        return data, config
    except DownloadError as exc:
        fallback = config.spec.offline_data
        if fallback is None or config.resolved_data != config.spec.default_data:
            raise
        scale.say(
            f"{config.resolved_data} could not be downloaded ({exc}); training on {fallback} "
            "(generated practice sketches) instead"
        )
        return _load(fallback, size, args.quiet, strict=strict), config.replace(data=fallback)


def cmd_train(args: argparse.Namespace) -> int:
    from models.runs import OutputFolder, Run, RunCallbacks

    _check_options(args)
    scale.check_options(args)
    config = TrainConfig(
        model=args.model,
        epochs=args.epochs,
        data=args.data,
        val_data=args.val_data,
        batch_size=args.batch_size,
        latent_dim=args.latent_dim,
        beta=args.beta,
        seed=args.seed,
        preset=args.preset,
        noise=args.noise,
        hidden_units=args.hidden_units,
        steps_per_epoch=args.steps_per_epoch,
        max_steps=args.max_steps,
        arch=args.arch,
        val_split=args.val_split,
        precision=args.precision,
    )
    out = Path(args.out)
    strategy = scale.make_strategy(args)  # before other TensorFlow work (multi-worker)
    chief = scale.is_chief(strategy)  # only the chief writes --out and prints progress
    args.quiet = args.quiet or not chief
    _DEVICE_PENDING[0] = chief  # said before the first progress bar or the "training" line
    if chief:
        check_out(out)
    if chief and args.distribute != "multiworker":  # (whose checkpoints are in --out)
        # Before the Run opens its checkpoints: an unusable cache means none are written.
        check_cache_for_train(args.resume, scale.wants_stream(args, config.resolved_data),
                              config.resolved_data)  # fmt: skip
    bar = _EpochBar(config.epochs, args.quiet)
    run = Run(
        config,
        # A multi-worker run keeps its checkpoints in --out/checkpoints, where every worker
        # can read them; otherwise in the cache (--out changes only when the run commits).
        place=OutputFolder(out, shared_checkpoints=args.distribute == "multiworker", chief=chief),
        loader=partial(_load_run_data, config, args),
        resume=args.resume,
        callbacks=RunCallbacks(batch=bar.on_batch, epoch=bar.on_epoch),
        snapshots=chief,  # the timeline (replay) needs them; the other workers write nothing
        strategy=strategy,
    )
    with run:  # --out locked and checked writable before any data is loaded
        if chief and args.resume:  # other settings than the checkpoint's: refused first
            scale.check_resume(out, config, args)
        loaded = run.load()
        _say_device()
        if chief:
            info = loaded.info
            print(
                f"training {config.model} on {info.source}: {info.n_train} samples, "
                f"validating on {info.n_val}",
                file=sys.stderr,
            )
        if args.resume and chief:
            latest = run.resume_from
            scale.say(
                f"resuming from {latest}" if latest else f"no checkpoint in {out}: starting afresh"
            )
        try:
            with scale.stop_on_sigint(run.control) as sigint:
                bar.open()
                outcome = run.train()
        finally:
            bar.close()
    return _report(outcome, config, out, chief, sigint)


_DEVICE_PENDING = [False]
"""``train`` has yet to say its device (the chief only)."""


def _say_device() -> None:
    """The first line of ``train``'s stderr: "training on CPU (2 cores)" or "... GPU 0: <name>".
    Said at the first progress bar or before training, so that a run refused at once (bad
    data, bad options) still says only its one error line."""
    if _DEVICE_PENDING[0]:
        _DEVICE_PENDING[0] = False
        from models.training.device import describe_device

        print(describe_device(), file=sys.stderr, flush=True)


def _load_run_data(config: TrainConfig, args: argparse.Namespace) -> Any:
    """The run's data, split and checked (a Run's loader): streamed from the disk cache,
    or loaded with progress bars; problems found here, before TensorFlow loads."""
    from models.runs import DataInfo, RunData

    size = config.spec.input_size
    strict = bool(getattr(args, "strict", False))
    if scale.wants_stream(args, config.resolved_data):
        stream = scale.load_stream(
            args,
            config.resolved_data,
            size,
            _progress_bar("rasterizing", args.quiet),
            labels_for=config.spec.short_name if config.spec.conditional else None,
        )
        data, (train_data, val_data) = stream, stream.split(config.val_fraction)
    elif args.val_data:
        data, config = _load_or_offline(config, args)
        train_data, val_data = data, _load(
            args.val_data, size, args.quiet, args.max_per_category, strict=strict
        )
    else:
        data, config = _load_or_offline(config, args)
        train_data, val_data = data.split(config.val_fraction, seed=config.val_seed)
    names = getattr(train_data, "class_names", None)
    if names is not None and len(names) > 1:  # several categories: match them by name
        from models.data.dataset import match_classes

        val_data = match_classes(val_data, names)
    _check_data(config, train_data, val_data, args.val_data)
    return RunData(train_data, val_data, DataInfo.of(data, train_data, val_data), config)


class _EpochBar:
    """The progress bar of ``train`` (stderr: stdout holds only the JSON summary)."""

    def __init__(self, epochs: int, quiet: bool) -> None:
        self.epochs = epochs
        self.quiet = quiet
        self.bar: Any = None

    def open(self) -> None:
        from tqdm import tqdm

        if not self.quiet:
            self.bar = tqdm(total=self.epochs, unit="epoch", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def on_batch(self, p: BatchProgress) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(
                f"batch {p.batch}/{p.batches} loss {p.losses['loss']:.4g} "
                f"{p.samples_per_s:,.0f} samples/s",
                refresh=True,
            )

    def on_epoch(self, r: EpochResult) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.write(
                f"epoch {r.epoch + 1}: "
                + "  ".join(
                    [f"{k} {v:.4f}" for k, v in r.train.items()]
                    + [f"val_{k} {v:.4f}" for k, v in r.val.items()]
                ),
                file=sys.stderr,
            )


def _report(
    outcome: Any, config: TrainConfig, out: Path, chief: bool, sigint: dict[str, Any]
) -> int:
    """The run's end, told: the JSON summary on stdout, one line on stderr, the status."""
    exc = outcome.failure
    if exc is not None:
        if isinstance(exc, TrainingError) and getattr(exc, "model", None) is not None and chief:
            # train() kept the last good weights: the Run committed them if an epoch ended
            # (before that they are only the random initial weights).
            if outcome.model is None:
                raise TrainingError(f"{exc} (no epoch completed: nothing was saved)") from exc
            _print_summary(outcome.model, outcome.folder, stopped=str(exc))
            raise TrainingError(
                f"{exc} (epoch {outcome.epochs_done}, saved in {outcome.folder})"
            ) from exc
        raise exc
    if not chief:
        return 0
    if sigint["interrupted"]:  # Ctrl+C or SIGTERM
        what, status = sigint["what"], sigint["status"]
        if outcome.model is None:
            scale.say(f"{what} before the first epoch ended: nothing was saved")
            return int(status)
        _print_summary(outcome.model, outcome.folder, stopped=what)
        scale.say(
            f"{what}: kept epoch {outcome.epochs_done} of {config.epochs} in "
            f"{outcome.folder} (continue with --resume)"
        )
        return int(status)
    _print_summary(outcome.model, out)
    return 0


OPTION_FLAGS = {
    "latent_dim": ("--latent-dim", None, "the size of the latent code"),
    "beta": ("--beta", 1.0, "the weight of the KL term"),
    "noise": ("--noise", 0.0, "noise on the inputs (denoising)"),
}
"""TrainConfig option -> (flag, its default, what it sets); a kind's ``spec.options`` says
which of them mean something for it. ``--hidden-units`` is not refused: scripts pass one
width to every kind, and a conv network has no dense width to misreport."""


def _check_options(args: argparse.Namespace) -> None:
    """Options the chosen model would silently ignore (and config.json misreport)."""
    from models.data.specs import spec_family

    kind = get_kind(args.model)
    try:
        arch = args.arch or kind.arch_for_family(spec_family(args.data or kind.default_data))
        spec = kind.for_arch(arch)
    except ValueError as exc:
        raise ExplorerError(f"--arch: {exc}") from None
    if args.max_per_category is not None and args.max_per_category < 1:
        raise ExplorerError("--max-per-category must be at least 1")
    for option, (flag, default, what) in OPTION_FLAGS.items():
        if option in spec.options or getattr(args, option) == default:
            continue
        users = [k.short_name for k in KINDS.values() if option in k.options]
        raise ExplorerError(
            f"{flag} sets {what}, which the {spec.short_name} does not have; "
            f"it is for the {' and '.join(users)} only"
        )


def _check_data(config: TrainConfig, train_data: Any, val_data: Any, val_spec: str | None) -> None:
    """Problems that would otherwise show only after TensorFlow has loaded (seconds)."""
    spec = config.resolved_data
    if len(train_data) == 0 or len(val_data) == 0:
        which = val_spec if val_spec and len(val_data) == 0 else spec
        raise DataSpecError(
            f"data spec {which!r}: too few samples to train and validate "
            f"({len(train_data)} for training, {len(val_data)} for validation)"
        )
    if config.spec.conditional and (train_data.labels is None or val_data.labels is None):
        unlabelled = spec if train_data.labels is None else val_spec
        raise DataSpecError(
            f"data spec {unlabelled!r} has no labels; the {config.spec.short_name} needs "
            "labelled data: mnist, or several Quick Draw categories (quickdraw:cat,dog)"
        )
    if val_spec and train_data.image_shape != val_data.image_shape:
        (h, w), (vh, vw) = train_data.image_shape, val_data.image_shape
        raise DataSpecError(
            f"data spec {val_spec!r}: validation images are {vh}x{vw} but the training "
            f"images ({spec}) are {h}x{w}"
        )


def _print_summary(trained: Any, out: Path, stopped: str | None = None) -> None:
    final = trained.history[-1] if trained.history else {}
    summary = {
        "out": str(out),
        "epochs": len(trained.history),
        "best_epoch": trained.best_epoch,
        **{k: v for k, v in final.items() if k.startswith("val_")},
    }
    if stopped is not None:
        summary["stopped"] = stopped
    print(json.dumps(summary))


def cmd_evaluate(args: argparse.Namespace) -> int:
    from models.errors import DataMismatchWarning
    from models.inference.api import load_model

    trained = load_model(args.model)
    loaded = _load(
        args.data,
        trained.spec.input_size,
        quiet=True,
        family=trained.data_family,
        strict=args.strict,
    )
    data, part = scored_part(trained, loaded, args)
    data = trained.fit_data(data)
    mismatch = trained.data_mismatch(data)
    if mismatch is not None:
        print(f"ae-explorer: warning: {mismatch}", file=sys.stderr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataMismatchWarning)  # said once, above
        metrics = trained.evaluate(data)
    unlike = unlike_training(trained, metrics)
    if unlike is not None:
        print(f"ae-explorer: warning: {data.name}: {unlike}", file=sys.stderr)
    result = {"model": trained.kind, "data": data.source, "samples": len(data), **part, **metrics}
    if trained.config.spec.conditional and data.labels is not None:
        from models.inference.classify import classification_accuracy

        result["classification_accuracy"] = classification_accuracy(
            trained, data.images, data.labels
        )
    if trained.spec.has_map:  # its own estimates of the scores above are left out: one each
        result["lesson"] = {k: v for k, v in _lesson(trained, data).items() if k not in metrics}
    print(json.dumps(result))
    return 0


UNLIKE_FACTOR = 2.0
"""A score this many times the model's last validation score: its inputs look unlike its
training data (the stroke files drawn the old way scored 4.5x (autoencoder) and 12x
(sketch CVAE) their validation scores; the same models' own kind of data about 1x)."""


def unlike_training(trained: Any, metrics: dict[str, float]) -> str | None:
    """Why ``metrics`` suggest data unlike the model's training data, or None: a cheap
    check (the score against the validation score in the model's history), no statistics
    of the training data being stored with a model."""
    score_name = trained.spec.score_name
    last = trained.history[-1] if trained.history else {}
    val = last.get(f"val_{score_name}", last.get("val_loss"))
    score = metrics.get(score_name)
    if val is None or score is None or not val > 0 or not score > UNLIKE_FACTOR * val:
        return None
    return (
        f"{score_name} {score:.4g} is {score / val:.1f}x this {trained.spec.short_name}'s "
        f"validation score ({val:.4g}): the pictures look unlike its training data "
        "(drawn another way, another size or kind of picture?)"
    )


def _lesson(trained: Any, data: Any) -> dict[str, Any]:
    """The lesson's metrics (models.inference.lesson); digits are judged by the shipped
    digit classifier (prior_recognizable, prior_coverage) when it is there."""
    from models.data.specs import spec_family
    from models.inference.digit_classifier import load_digit_classifier
    from models.inference.lesson import lesson_metrics

    classifier = None
    if spec_family(data.name) == "digits" and data.image_shape == (28, 28):
        try:
            classifier = load_digit_classifier()
        except ExplorerError as exc:
            print(f"ae-explorer: warning: {exc}", file=sys.stderr)
    return lesson_metrics(trained, data, classifier)


def cmd_bench(args: argparse.Namespace, extra: Sequence[BenchMeasure] = ()) -> int:
    from models.cli.bench import run_all

    for name, value, unit in run_all(quick=args.quick, extra=extra, kinds=args.kinds):
        print(
            json.dumps({"measure": name, "value": round(float(value), 4), "unit": unit}), flush=True
        )
    return 0


def main(argv: Sequence[str] | None = None, extra_bench: Sequence[BenchMeasure] = ()) -> int:
    """Run one subcommand; returns the exit status."""
    args = _parser().parse_args(argv)
    restore = handle_sigterm()  # SIGTERM: like Ctrl+C (a Terminated KeyboardInterrupt)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning
            return _run(args, extra_bench)
    except ExplorerError as exc:
        print(f"ae-explorer: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"ae-explorer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interrupt:
        what, status = exit_status(interrupt)
        print(f"ae-explorer: {what}", file=sys.stderr)
        return status
    finally:
        restore()


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """The engine's warnings for users (skipped pictures, truncated files) as one line,
    like its errors; others as Python shows them."""
    from models import errors

    if category.__module__ == errors.__name__:
        print(f"ae-explorer: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _run(args: argparse.Namespace, extra_bench: Sequence[BenchMeasure]) -> int:
    if args.command == "train":
        return cmd_train(args)
    if args.command == "evaluate":
        return cmd_evaluate(args)
    if args.command in classroom.COMMANDS:
        return classroom.run(args)
    return cmd_bench(args, extra_bench)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
