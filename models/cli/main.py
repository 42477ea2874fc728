"""``ae-explorer train | evaluate | bench``: the engine without a window.

Errors are one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from models.cli import scale
from models.errors import DataSpecError, ExplorerError, TrainingError
from models.nets.config import MODEL_KINDS, TrainConfig

BenchMeasure = Callable[[], Iterator[tuple[str, float, str]]]

FIGURE_FILES = (
    "reconstructions.png",
    "latent_grid.png",
    "samples.png",
    "latent_scatter.png",
    "cvae_digit_grid.png",
    "cvae_mix_8_3.png",
)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes as one line too (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ae-explorer",
        description="Autoencoder Explorer: train and explore autoencoders. "
        "Run without arguments to open the window.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a model and write weights, metrics and figures")
    t.add_argument("model", choices=MODEL_KINDS)
    t.add_argument("--data", help="SPEC: quickdraw:cat, quickdraw:PATH, doodles, mnist, mnist:PATH")
    t.add_argument("--val-data", help="SPEC of validation data (default: hold out 15%%)")
    t.add_argument(
        "--val-split",
        choices=("random", "first"),
        default="random",
        help="hold out a seeded random 15%% (default) or the first 15%%",
    )
    t.add_argument("--epochs", type=int, default=10)
    t.add_argument("--out", required=True, help="output folder")
    t.add_argument("--latent-dim", type=int)
    t.add_argument("--beta", type=float, default=1.0)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--preset", choices=("classic", "improved"), default="classic")
    t.add_argument(
        "--noise",
        type=float,
        default=0.0,
        help="denoising autoencoder: std of Gaussian noise on the inputs",
    )
    t.add_argument("--hidden-units", type=int, default=512, help="VAE/CVAE hidden width")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    scale.add_train_options(t)

    e = sub.add_parser("evaluate", help="print the metrics of saved weights as JSON")
    e.add_argument("dir")
    e.add_argument("--data", required=True, help="SPEC of the data to evaluate on")

    b = sub.add_parser("bench", help="measure this machine; one JSON object per line")
    b.add_argument("--quick", action="store_true", help="smaller sizes (for tests)")
    return p


def _progress_bar(desc: str, quiet: bool) -> Callable[[int, int], None] | None:
    if quiet:
        return None
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
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


def _load(spec: str, image_size: int | None, quiet: bool) -> Any:
    from models.data.specs import load_dataset

    return load_dataset(
        spec, progress=_progress_bar(f"loading {spec}", quiet), image_size=image_size
    )


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that cannot become the output folder, before any training."""
    if out.exists() and not out.is_dir():
        raise ExplorerError(f"--out {out}: exists and is not a folder")
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ExplorerError(f"--out {out}: {existing} is a file, not a folder")
    try:  # a real try: os.access says yes to root even where nothing can be made (/proc)
        os.rmdir(tempfile.mkdtemp(prefix=".ae-explorer-probe.", dir=existing))
    except OSError as exc:
        raise ExplorerError(
            f"--out {out}: cannot write in {existing} ({exc.strerror or exc})"
        ) from None


def cmd_train(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from models.messages import BatchProgress, EpochResult
    from models.training.checkpoint import CheckpointStore
    from models.training.control import TrainingControl
    from models.training.loop import train

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
    )
    out = Path(args.out)
    strategy = scale.make_strategy(args)  # before other TensorFlow work (multi-worker)
    chief = scale.is_chief(strategy)  # only the chief writes --out and prints progress
    args.quiet = args.quiet or not chief
    if chief:
        check_out(out)
    size = 32 if config.model == "autoencoder" else None
    if scale.wants_stream(args, config.resolved_data):
        stream = scale.load_stream(
            args, config.resolved_data, size or 32, _progress_bar("rasterizing", args.quiet)
        )
        data, (train_data, val_data) = stream, stream.split(config.val_fraction)
    elif args.val_data:
        data = _load(config.resolved_data, size, args.quiet)
        train_data, val_data = data, _load(args.val_data, size, args.quiet)
    else:
        data = _load(config.resolved_data, size, args.quiet)
        seed = None if args.val_split == "first" else config.seed
        train_data, val_data = data.split(config.val_fraction, seed=seed)
    _check_data(config, train_data, val_data, args.val_data)
    if chief:
        print(
            f"training {config.model} on {data.source}: {len(train_data)} samples, "
            f"validating on {len(val_data)}",
            file=sys.stderr,
        )
    checkpoints = CheckpointStore(out, read_only=not chief)
    if args.resume and chief:
        latest = checkpoints.latest()
        scale.say(
            f"resuming from {latest}" if latest else f"no checkpoint in {out}: starting afresh"
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
        if bar is not None:
            bar.update(1)
            bar.write(
                f"epoch {r.epoch + 1}: "
                + "  ".join(
                    [f"{k} {v:.4f}" for k, v in r.train.items()]
                    + [f"val_{k} {v:.4f}" for k, v in r.val.items()]
                )
            )

    try:
        with scale.stop_on_sigint(control) as sigint:
            trained = train(
                config,
                train_data,
                val_data,
                on_batch=on_batch,
                on_epoch=on_epoch,
                snapshots=False,
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
        save_run(kept, val_data, out)
        _print_summary(kept, out, stopped=str(exc))
        raise TrainingError(f"{exc} (epoch {len(kept.history)}, saved in {out})") from exc
    finally:
        if bar is not None:
            bar.close()
    if not chief:
        return 0
    if sigint["interrupted"]:
        if not trained.history:
            scale.say("interrupted before the first epoch ended: nothing was saved")
            return 130
        save_run(trained, val_data, out)
        _print_summary(trained, out, stopped="interrupted")
        scale.say(
            f"interrupted: kept epoch {len(trained.history)} of {config.epochs} in {out} "
            "(continue with --resume)"
        )
        return 130
    save_run(trained, val_data, out)
    _print_summary(trained, out)
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Options the chosen model would silently ignore (and config.json misreport)."""
    if args.model == "autoencoder":
        if args.latent_dim is not None:
            raise ExplorerError("--latent-dim: the autoencoder's code has a fixed size (128)")
        if args.beta != 1.0:
            raise ExplorerError("--beta weights the KL term of the VAEs; the autoencoder has none")
    elif args.noise:
        raise ExplorerError("--noise is for the (denoising) autoencoder only")


def _check_data(config: TrainConfig, train_data: Any, val_data: Any, val_spec: str | None) -> None:
    """Problems that would otherwise show only after TensorFlow has loaded (seconds)."""
    spec = config.resolved_data
    if len(train_data) == 0 or len(val_data) == 0:
        which = val_spec if val_spec and len(val_data) == 0 else spec
        raise DataSpecError(
            f"data spec {which!r}: too few samples to train and validate "
            f"({len(train_data)} for training, {len(val_data)} for validation)"
        )
    if config.model == "cvae" and (train_data.labels is None or val_data.labels is None):
        unlabelled = spec if train_data.labels is None else val_spec
        raise DataSpecError(
            f"data spec {unlabelled!r}: the conditional VAE needs labelled data (e.g. mnist)"
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


def save_run(trained: Any, val_data: Any, out: Path) -> None:
    """Weights, config, metrics and the classic figures into ``out``.

    The figures are drawn before anything is written, so a failure leaves no half-written
    folder; figures of an earlier run in ``out`` that this model does not make are removed.
    """
    from models.inference.figures import save_png

    images = render_figures(trained, val_data)
    trained.save(out, preview=val_data)
    for name, image in images.items():
        save_png(image, out / name)
    for name in set(FIGURE_FILES) - set(images):
        (out / name).unlink(missing_ok=True)


def render_figures(trained: Any, val_data: Any) -> dict[str, Any]:
    """The classic figures for ``trained`` as PIL images, by file name."""
    from models.inference import figures

    images: dict[str, Any] = {}
    originals = val_data.images[:25]
    if trained.kind == "autoencoder":
        images["reconstructions.png"] = figures.reconstructions_figure(
            originals, trained.reconstruct(originals)
        )
        return images
    codec = trained.codec()
    labels = val_data.labels
    n = min(len(val_data), 3000)
    if trained.kind == "vae":
        images["latent_grid.png"] = figures.latent_grid_figure(codec)
        images["samples.png"] = figures.samples_figure(codec)
        z = codec.encode_mean(val_data.images[:n])
    else:
        images["cvae_digit_grid.png"] = figures.cvae_digit_grid_figure(codec)
        if codec.num_classes > 8:  # the recipe's half-"8" half-"3" mixture
            images["cvae_mix_8_3.png"] = figures.cvae_mixture_figure(codec)
        z = codec.encode_mean(val_data.images[:n], labels[:n]) if labels is not None else None
    if z is not None:
        images["latent_scatter.png"] = figures.scatter_figure(
            z, None if labels is None else labels[:n]
        )
    recon = trained.reconstruct(
        originals, labels[:25] if trained.kind == "cvae" and labels is not None else None
    )
    images["reconstructions.png"] = figures.reconstructions_figure(originals, recon)
    return images


def cmd_evaluate(args: argparse.Namespace) -> int:
    from models.nets.trained import TrainedModel

    trained = TrainedModel.load(args.dir)
    size = trained.image_shape[0] if trained.kind == "autoencoder" else None
    data = _load(args.data, size, quiet=True)
    if data.image_shape != trained.image_shape:
        raise ExplorerError(
            f"{args.data}: images are {data.image_shape[0]}x{data.image_shape[1]} "
            f"but the model takes {trained.image_shape[0]}x{trained.image_shape[1]}"
        )
    result = {
        "model": trained.kind,
        "data": data.source,
        "samples": len(data),
        **trained.evaluate(data),
    }
    print(json.dumps(result))
    return 0


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
