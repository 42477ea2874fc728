"""The engine's public entry point: ``from models import load_model``.

One function takes every way of naming a model that the CLI and the window accept: a
shipped model's name (``"vae"``, ``"cvae"``, ``"autoencoder"``), a model folder (as
``ae-explorer train --out`` writes it), the ``model.weights.h5`` inside one, or a
whole-model ``.keras`` file. The result is a :class:`~models.nets.trained.TrainedModel`:
``.kind``, ``.config``, ``.encode_mean``, ``.decode``, ``.reconstruct``, ``.evaluate``.
"""

from __future__ import annotations

from pathlib import Path

from models.errors import WeightsError
from models.files import refuse_link_loop
from models.nets.kinds import KINDS
from models.nets.trained import TrainedModel

MODEL_FORMS = (
    "a shipped model's name ({names}), a model folder, its model.weights.h5, or a .keras file"
)
"""What ``load_model`` (and every CLI command that takes a model) accepts, for help texts."""


EXTRA_SHIPPED = (
    "sketch_cvae",
    "compare/ae",
    "compare/vae_beta0.1",
    "compare/vae_beta1",
    "compare/vae_beta4",
)
"""Shipped models beyond one per kind (issue 8): folders under ``resources/weights``."""


def model_forms() -> str:
    return MODEL_FORMS.format(names=", ".join([*KINDS, *EXTRA_SHIPPED]))


def load_model(source: str | Path) -> TrainedModel:
    """The model ``source`` names (imports TensorFlow); WeightsError in one line otherwise.

    A path that exists wins over a shipped name, so a folder called ``vae`` in the current
    directory is that folder.
    """
    from models.inference.shipped import load_shipped

    path = Path(source).expanduser()
    refuse_link_loop(path, WeightsError)
    if path.exists():
        return TrainedModel.load(path)
    if isinstance(source, str) and source in KINDS:
        return load_shipped(source)
    if isinstance(source, str) and source in EXTRA_SHIPPED:
        from models.paths import resource_path

        return TrainedModel.load(resource_path("weights", *source.split("/")))
    raise WeightsError(f"{source}: no such file or folder; name {model_forms()}")
