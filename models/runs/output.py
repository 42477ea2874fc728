"""What a run commits into an output folder (the command line's ``--out``): the model's
files, the classic figures and the timeline, as one transaction (models.runfolder)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from models.errors import ExplorerError
from models.inference.timeline import TIMELINE_FILE
from models.nets.trained import MODEL_FILES
from models.training.checkpoint import CHECKPOINTS

FIGURE_FILES = (
    "reconstructions.png",
    "latent_grid.png",
    "samples.png",
    "latent_scatter.png",
    "cvae_digit_grid.png",
    "cvae_mix_8_3.png",
)
OUTPUT_FILES = (*MODEL_FILES, *FIGURE_FILES, TIMELINE_FILE)
"""Everything ``train`` writes into ``--out`` (besides ``manifest.json``)."""
OUTPUT_PRESERVED = (CHECKPOINTS,)
"""Kept across commits: a multi-worker run's checkpoints live in ``--out``."""


def save_run(trained: Any, val_data: Any, out: Path, timeline: Any = None) -> None:
    """Weights, config, metrics and the classic figures into ``out``, as one transaction.

    Everything is staged and committed whole (:class:`models.runfolder.RunFolder`): a
    failure (full disk...) raises a one-line SaveError naming the file and leaves ``out``
    as it was; figures of an earlier run that this model does not make are gone after it.
    """
    from models.runfolder import RunFolder, write_file

    images = render_figures(trained, val_data)
    with (
        RunFolder(out, owned=OUTPUT_FILES, preserved=OUTPUT_PRESERVED) as folder,
        folder.staged() as tmp,
    ):
        trained.write_files(tmp, preview=val_data)
        for name, image in images.items():
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            write_file(tmp / name, buffer.getvalue())
        if timeline is not None and len(timeline):
            write_file(tmp / TIMELINE_FILE, timeline.to_bytes())


def save_or_keep(trained: Any, val_data: Any, out: Path, timeline: Any = None) -> Path:
    """:func:`save_run` into ``out``; if that fails, keep the trained model in the sessions
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
        z = codec.encode_mean(val_data.images[:n])
        center, extent = figures.fitted_square(z)  # where the codes are, as Fit to data
        images["latent_grid.png"] = figures.latent_grid_figure(codec, extent=extent, center=center)
        images["samples.png"] = figures.samples_figure(codec)
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
