"""Codes for other tools: a data set's latent codes in the TensorBoard Embedding Projector layout.

The folder holds ``codes.tsv`` (one row of z_mean per image), ``metadata.tsv`` (the label or
category per image, with a header row), ``sprite.png`` (a thumbnail grid, image i at row
i // columns, column i % columns), ``projector_config.pbtxt`` naming them, and ``codes.npz``
(``z_mean``; ``z_log_var`` for the VAEs; ``labels`` when the data has them) for NumPy users.
Load it in the standalone projector (projector.tensorflow.org: "Load") or point TensorBoard
at the folder. For the autoencoder the codes are its 128-value bottleneck.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from models.runfolder import RunFolder, write_file

if TYPE_CHECKING:
    from models.data.dataset import Dataset
    from models.nets.trained import TrainedModel

SPRITE_MAX = 8192
"""The Embedding Projector refuses sprites larger than 8192 pixels a side."""
FILES = ("codes.tsv", "metadata.tsv", "sprite.png", "projector_config.pbtxt", "codes.npz")


@dataclass(frozen=True)
class Codes:
    """One row per image: z_mean (or the autoencoder's code), z_log_var for the VAEs."""

    z_mean: np.ndarray
    z_log_var: np.ndarray | None
    labels: np.ndarray | None


def sample(data: Dataset, limit: int, seed: int = 0) -> Dataset:
    """A seeded random ``limit`` of ``data``'s images, kept in the data's order.

    Labelled data (MNIST is sorted by label) gets the classes in turn, so every class is
    there once ``limit`` reaches their number and they stay as balanced as the data allows;
    the first N images of sorted digits would all be zeros. Each image's index in ``data``
    goes with it (``metadata["index"]``: the index column of ``metadata.tsv``).
    """
    n = len(data)
    if limit >= n:
        return data
    order = np.random.default_rng(seed).permutation(n)
    if data.labels is not None:
        labels = np.asarray(data.labels)[order]
        rank = np.zeros(n, np.int64)  # how many of its class came before it in the order
        for label in np.unique(labels):
            where = labels == label
            rank[where] = np.arange(int(where.sum()))
        order = order[np.argsort(rank, kind="stable")]
    chosen = np.sort(order[:limit])
    index = np.asarray(data.metadata.get("index", np.arange(n)))[chosen]
    picked = data.subset(chosen)
    return replace(picked, metadata={**picked.metadata, "index": index})


def encode(trained: TrainedModel, data: Dataset, batch: int = 1000) -> Codes:
    """The codes of every image of ``data`` (a CVAE encodes each image with its label)."""
    from models.nets.trained import _batched

    h, w = trained.image_shape
    if data.image_shape != (h, w):
        dh, dw = data.image_shape
        raise ValueError(f"{data.name}: images are {dh}x{dw} but the model takes {h}x{w}")
    labels = data.labels
    if not trained.config.spec.variational:
        return Codes(np.asarray(trained.encode_mean(data.images), np.float32), None, labels)
    x = np.asarray(data.images, np.float32).reshape(len(data), -1)
    model = trained.model
    if trained.config.spec.conditional:
        if labels is None:
            raise ValueError(f"{data.name}: the conditional VAE encodes labelled data only")
        from models.nets.cvae import one_hot

        y = one_hot(labels, trained.config.num_classes)
        both = _batched(lambda a, b: np.concatenate(model.encode(a, b), axis=1), [x, y], batch)
    else:
        both = _batched(lambda a: np.concatenate(model.encode(a), axis=1), [x], batch)
    d = both.shape[1] // 2 if len(both) else trained.config.resolved_latent_dim
    both = np.asarray(both, np.float32).reshape(len(x), 2 * d)
    return Codes(both[:, :d], both[:, d:], labels)


def category_of(data: Dataset) -> str:
    """What an unlabelled data set's images show: "cat" for quickdraw:cat or cat.ndjson."""
    name = data.name.split(":", 1)[-1]
    return Path(name).stem if "." in name else name


def _tsv_cell(value: object) -> str:
    return str(value).replace("\t", " ").replace("\n", " ")


def sprite(images: np.ndarray) -> tuple[Image.Image, int]:
    """(a square grid of thumbnails, ink dark on white; the thumbnail side in pixels)."""
    n, h, w = images.shape
    cols = max(1, math.ceil(math.sqrt(n)))
    side = max(1, min(max(h, w), SPRITE_MAX // cols))
    sheet = Image.new("L", (cols * side, cols * side), 255)
    for i in range(n):
        a = np.clip(np.nan_to_num(images[i]), 0.0, 1.0)
        thumb = Image.fromarray(((1.0 - a) * 255 + 0.5).astype(np.uint8), mode="L")
        if thumb.size != (side, side):
            thumb = thumb.resize((side, side), Image.Resampling.BOX)
        r, c = divmod(i, cols)
        sheet.paste(thumb, (c * side, r * side))
    return sheet, side


def projector_config(side: int, tensor_name: str = "codes") -> str:
    """The ``projector_config.pbtxt`` text for the files written here."""
    return (
        "embeddings {\n"
        f'  tensor_name: "{tensor_name}"\n'
        '  tensor_path: "codes.tsv"\n'
        '  metadata_path: "metadata.tsv"\n'
        "  sprite {\n"
        '    image_path: "sprite.png"\n'
        f"    single_image_dim: {side}\n"
        f"    single_image_dim: {side}\n"
        "  }\n"
        "}\n"
    )


def write_projector(out: str | Path, codes: Codes, data: Dataset) -> dict[str, Path]:
    """Write the five files into ``out`` (created if needed) as one set; returns them by name.

    The set is staged and committed whole (:class:`models.runfolder.RunFolder`, as a trained
    run is): on a full disk ``out`` keeps its earlier export complete, or does not appear,
    and the one-line SaveError names the file that failed.
    """
    out = Path(out)
    z = np.asarray(codes.z_mean, np.float32)
    rows = "\n".join("\t".join(f"{v:.6g}" for v in row) for row in z.tolist())
    # Two columns or more: the projector then reads the first line as the header.
    category = category_of(data)
    head = ["label", "index"]
    index = data.metadata.get("index")  # where a sample's images sit in the whole data set
    if index is None or len(index) != len(z):
        index = np.arange(len(z))
    countries = data.metadata.get("countrycode")
    if countries is not None and len(countries) != len(z):
        countries = None
    if countries is not None:
        head.append("countrycode")
    lines = ["\t".join(head)]
    for i in range(len(z)):
        label = category if codes.labels is None else int(codes.labels[i])
        cells = [label, int(index[i])] + ([countries[i]] if countries is not None else [])
        lines.append("\t".join(_tsv_cell(c) for c in cells))
    sheet, side = sprite(np.asarray(data.images))
    png = io.BytesIO()
    sheet.save(png, format="PNG")
    arrays: dict[str, np.ndarray] = {"z_mean": z}
    if codes.z_log_var is not None:
        arrays["z_log_var"] = np.asarray(codes.z_log_var, np.float32)
    if codes.labels is not None:
        arrays["labels"] = np.asarray(codes.labels, np.int64)
    npz = io.BytesIO()
    np.savez_compressed(npz, **arrays)  # type: ignore[arg-type]
    contents: dict[str, bytes] = {
        "codes.tsv": (rows + "\n").encode() if len(z) else b"",
        "metadata.tsv": ("\n".join(lines) + "\n").encode(),
        "sprite.png": png.getvalue(),
        "projector_config.pbtxt": projector_config(side).encode(),
        "codes.npz": npz.getvalue(),
    }
    with RunFolder(out, owned=FILES) as folder, folder.staged() as tmp:
        for name, payload in contents.items():
            write_file(tmp / name, payload)
    return {name: out / name for name in FILES}
