"""``ae-explorer train | evaluate | interpolate | encode | replay | bench``: the engine
without a window.

Errors are one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from models.cli import classroom, scale
from models.cli.checks import check_out
from models.errors import DataSpecError, ExplorerError, TrainingError
from models.inference.api import model_forms
from models.nets.config import MODEL_KINDS, TrainConfig
from models.nets.kinds import ARCHS, KINDS, PRESETS, KindSpec, get_kind
from models.nets.trained import MODEL_FILES
from models.training.checkpoint import CHECKPOINTS

BenchMeasure = Callable[[], Iterator[tuple[str, float, str]]]

FIGURE_FILES = (
    "reconstructions.png",
    "latent_grid.png",
    "samples.png",
    "latent_scatter.png",
    "cvae_digit_grid.png",
    "cvae_mix_8_3.png",
)
OUTPUT_FILES = (*MODEL_FILES, *FIGURE_FILES, "timeline.npz")
"""Everything ``train`` writes into ``--out`` (besides ``manifest.json``)."""


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
        f"mnist, mnist:PATH (default: {_per_kind(lambda k: k.default_data)})",
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

    e = sub.add_parser("evaluate", help="print the metrics of a model as JSON")
    e.add_argument("model", help=model_forms())
    e.add_argument("--data", required=True, help="SPEC of the data to evaluate on (required)")

    classroom.add_parsers(sub)

    b = sub.add_parser("bench", help="measure this machine; one JSON object per line")
    b.add_argument("--quick", action="store_true", help="smaller sizes, for tests (default: off)")
    return p


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
    spec: str, image_size: int | None, quiet: bool, max_per_category: int | None = None
) -> Any:
    from models.data.specs import load_dataset

    return load_dataset(
        spec,
        progress=_progress_bar(f"loading {spec}", quiet),
        image_size=image_size,
        max_per_category=max_per_category,
    )


def cmd_train(args: argparse.Namespace) -> int:
    from models.runfolder import RunFolder

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
    )
    out = Path(args.out)
    strategy = scale.make_strategy(args)  # before other TensorFlow work (multi-worker)
    chief = scale.is_chief(strategy)  # only the chief writes --out and prints progress
    args.quiet = args.quiet or not chief
    _DEVICE_PENDING[0] = chief  # said before the first progress bar or the "training" line
    if not chief:
        return _train_into(out, config, args, strategy, chief)
    check_out(out)
    # Locked for the whole run (a second run into it is refused at once), and checked
    # where the files will really be staged, before any data is loaded or trained on.
    with RunFolder(out, owned=OUTPUT_FILES, preserved=(CHECKPOINTS,)) as folder:
        folder.check_writable()
        return _train_into(out, config, args, strategy, chief)


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


def _train_into(
    out: Path, config: TrainConfig, args: argparse.Namespace, strategy: Any, chief: bool
) -> int:
    """Load, train and save; ``out`` is locked by the caller (on the chief)."""
    from tqdm import tqdm

    from models.inference.timeline import Timeline
    from models.messages import BatchProgress, EpochResult
    from models.training.checkpoint import CheckpointStore, epochs_in
    from models.training.control import TrainingControl
    from models.training.loop import train

    size = config.spec.input_size
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
        data = _load(config.resolved_data, size, args.quiet, args.max_per_category)
        train_data, val_data = data, _load(args.val_data, size, args.quiet, args.max_per_category)
    else:
        data = _load(config.resolved_data, size, args.quiet, args.max_per_category)
        seed = None if args.val_split == "first" else config.seed
        train_data, val_data = data.split(config.val_fraction, seed=seed)
    names = getattr(train_data, "class_names", None)
    if names is not None and len(names) > 1:  # several categories: match them by name
        from models.data.dataset import match_classes

        val_data = match_classes(val_data, names)
    _check_data(config, train_data, val_data, args.val_data)
    _say_device()
    if chief:
        print(
            f"training {config.model} on {data.source}: {len(train_data)} samples, "
            f"validating on {len(val_data)}",
            file=sys.stderr,
        )
    # Checkpoints go to the cache (--out changes only when the run commits); a multi-worker
    # run keeps them in --out/checkpoints, where every worker can read them.
    shared = out / CHECKPOINTS if args.distribute == "multiworker" else None
    checkpoints = CheckpointStore(out, folder=shared, read_only=not chief)
    # Saved with the run (timeline.npz, for replay), and beside the checkpoints after each
    # epoch, so that a resumed run's replay still starts at its first epoch.
    timeline = Timeline(run_dir=checkpoints.folder if chief else None)
    if args.resume and chief:
        latest = checkpoints.latest()
        scale.say(
            f"resuming from {latest}" if latest else f"no checkpoint in {out}: starting afresh"
        )
        timeline = Timeline.continued(
            checkpoints.folder, epochs_in(latest), run_dir=checkpoints.folder
        )
    control = TrainingControl()

    bar = None if args.quiet else tqdm(total=config.epochs, unit="epoch", file=sys.stderr)

    def on_batch(p: BatchProgress) -> None:
        if bar is not None:
            bar.set_postfix_str(
                f"batch {p.batch}/{p.batches} loss {p.losses['loss']:.4g} "
                f"{p.samples_per_s:,.0f} samples/s",
                refresh=True,
            )

    def on_epoch(r: EpochResult) -> None:
        if chief:  # the other workers make no snapshots and write nothing
            timeline(r)
        if bar is not None:
            bar.update(1)
            bar.write(  # stderr: stdout holds only the JSON summary
                f"epoch {r.epoch + 1}: "
                + "  ".join(
                    [f"{k} {v:.4f}" for k, v in r.train.items()]
                    + [f"val_{k} {v:.4f}" for k, v in r.val.items()]
                ),
                file=sys.stderr,
            )

    try:
        with scale.stop_on_sigint(control) as sigint:
            trained = train(
                config,
                train_data,
                val_data,
                on_batch=on_batch,
                on_epoch=on_epoch,
                snapshots=chief,  # the timeline (replay) needs them
                control=control,
                checkpoints=checkpoints,
                resume=args.resume,
                stop_keeps_epoch=True,
                strategy=strategy,
            )
    except TrainingError as exc:
        # train() kept the last good weights: save them if at least one epoch completed
        # (before that they are only the random initial weights).
        kept = getattr(exc, "model", None)
        if kept is None:
            raise
        if not kept.history:
            raise TrainingError(f"{exc} (no epoch completed: nothing was saved)") from exc
        saved = _save_or_keep(kept, val_data, out, timeline)
        _print_summary(kept, saved, stopped=str(exc))
        raise TrainingError(f"{exc} (epoch {len(kept.history)}, saved in {saved})") from exc
    finally:
        if bar is not None:
            bar.close()
    if not chief:
        return 0
    if sigint["interrupted"]:
        if not trained.history:
            scale.say("interrupted before the first epoch ended: nothing was saved")
            return 130
        saved = _save_or_keep(trained, val_data, out, timeline)
        _print_summary(trained, saved, stopped="interrupted")
        scale.say(
            f"interrupted: kept epoch {len(trained.history)} of {config.epochs} in {saved} "
            "(continue with --resume)"
        )
        return 130
    _save_or_keep(trained, val_data, out, timeline)
    if shared is None:  # complete, its model committed in out: the cache need not keep it
        checkpoints.clear()
    _print_summary(trained, out)
    return 0


def _save_or_keep(trained: Any, val_data: Any, out: Path, timeline: Any = None) -> Path:
    """``save_run`` into ``out``; if that fails, keep the trained model in the sessions
    folder (training may have taken hours) and say where, in the one-line error."""
    from models.paths import session_folder
    from models.runfolder import SaveError

    try:
        save_run(trained, val_data, out, timeline)
        return out
    except SaveError as exc:
        kept = session_folder(trained.kind)
        try:
            trained.save(kept, preview=val_data)
        except (ExplorerError, OSError) as again:
            raise SaveError(
                f"{exc}; the trained model could not be kept in {kept} either ({again})",
                exc.folder,
                exc.filename,
            ) from exc
        raise SaveError(
            f"{exc}; the trained model was saved to {kept} instead", exc.folder, exc.filename
        ) from exc


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


def save_run(trained: Any, val_data: Any, out: Path, timeline: Any = None) -> None:
    """Weights, config, metrics and the classic figures into ``out``, as one transaction.

    Everything is staged and committed whole (:class:`models.runfolder.RunFolder`): a
    failure (full disk...) raises a one-line SaveError naming the file and leaves ``out``
    as it was; figures of an earlier run that this model does not make are gone after it.
    """
    from models.inference.timeline import TIMELINE_FILE
    from models.runfolder import RunFolder, write_file

    images = render_figures(trained, val_data)
    with (
        RunFolder(out, owned=OUTPUT_FILES, preserved=(CHECKPOINTS,)) as folder,
        folder.staged() as tmp,
    ):
        trained.write_files(tmp, preview=val_data)
        for name, image in images.items():
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            write_file(tmp / name, buffer.getvalue())
        if timeline is not None and len(timeline):
            write_file(tmp / TIMELINE_FILE, timeline.to_bytes())


def render_figures(trained: Any, val_data: Any) -> dict[str, Any]:
    """The classic figures for ``trained`` as PIL images, by file name."""
    from models.inference import figures

    images: dict[str, Any] = {}
    originals = val_data.images[:25]
    codec = trained.codec()
    if codec is None:  # no NumPy decoder: the reconstructions only
        labels = None if val_data.labels is None else val_data.labels[:25]
        if trained.spec.conditional and labels is None:
            return images
        images["reconstructions.png"] = figures.reconstructions_figure(
            originals, trained.reconstruct(originals, labels)
        )
        return images
    labels = val_data.labels
    names = getattr(trained.config, "class_names", None)  # None: digits
    n = min(len(val_data), 3000)
    if not trained.spec.conditional:
        images["latent_grid.png"] = figures.latent_grid_figure(codec)
        images["samples.png"] = figures.samples_figure(codec)
        z = codec.encode_mean(val_data.images[:n])
    else:
        images["cvae_digit_grid.png"] = figures.cvae_digit_grid_figure(codec, names=names)
        if codec.num_classes > 8:  # the recipe's half-"8" half-"3" mixture
            images["cvae_mix_8_3.png"] = figures.cvae_mixture_figure(codec, names=names)
        z = codec.encode_mean(val_data.images[:n], labels[:n]) if labels is not None else None
    if z is not None:
        images["latent_scatter.png"] = figures.scatter_figure(
            z, None if labels is None else labels[:n], names=names
        )
    recon = trained.reconstruct(
        originals, labels[:25] if trained.spec.conditional and labels is not None else None
    )
    images["reconstructions.png"] = figures.reconstructions_figure(originals, recon)
    return images


def cmd_evaluate(args: argparse.Namespace) -> int:
    from models.errors import DataMismatchWarning
    from models.inference.api import load_model

    trained = load_model(args.model)
    data = trained.fit_data(_load(args.data, trained.spec.input_size, quiet=True))
    mismatch = trained.data_mismatch(data)
    if mismatch is not None:
        print(f"ae-explorer: warning: {mismatch}", file=sys.stderr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataMismatchWarning)  # said once, above
        metrics = trained.evaluate(data)
    unlike = unlike_training(trained, metrics)
    if unlike is not None:
        print(f"ae-explorer: warning: {data.name}: {unlike}", file=sys.stderr)
    result = {"model": trained.kind, "data": data.source, "samples": len(data), **metrics}
    if trained.config.spec.conditional and data.labels is not None:
        from models.inference.classify import classification_accuracy

        result["classification_accuracy"] = classification_accuracy(
            trained, data.images, data.labels
        )
    if trained.spec.has_map:
        result["lesson"] = _lesson(trained, data)
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

    for name, value, unit in run_all(quick=args.quick, extra=extra):
        print(
            json.dumps({"measure": name, "value": round(float(value), 4), "unit": unit}), flush=True
        )
    return 0


def main(argv: Sequence[str] | None = None, extra_bench: Sequence[BenchMeasure] = ()) -> int:
    """Run one subcommand; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "train":
            return cmd_train(args)
        if args.command == "evaluate":
            return cmd_evaluate(args)
        if args.command in classroom.COMMANDS:
            return classroom.run(args)
        return cmd_bench(args, extra_bench)
    except ExplorerError as exc:
        print(f"ae-explorer: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"ae-explorer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ae-explorer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
