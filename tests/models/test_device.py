"""Which device trains (``describe_device``), said first by ``train``; the precision a kind
trains with there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.cli.main import main
from models.data.dataset import Dataset
from models.nets.config import TrainConfig
from models.training import device
from models.training.loop import train


def test_describe_names_the_gpus_or_the_cores() -> None:
    assert device.describe([], 2) == "training on CPU (2 cores)"
    assert device.describe([], 1) == "training on CPU (1 core)"
    assert device.describe(["NVIDIA H100"], 16) == "training on GPU 0: NVIDIA H100"
    assert device.describe(["A", "B"], 16) == "training on 2 GPUs: A, B"


def test_describe_device_on_this_machine() -> None:
    """The test machines have no GPU TensorFlow can use: the CPU, with this process's cores."""
    from models.nets.backend import tf

    assert not tf.config.list_physical_devices("GPU")
    assert device.describe_device() == f"training on CPU ({device.cpu_cores()} cores)"
    assert 1 <= device.cpu_cores() <= (__import__("os").cpu_count() or 1)


@pytest.mark.parametrize("quiet", [True, False])
def test_train_says_the_device_on_its_first_stderr_line(
    quiet: bool,
    tmp_path: Path,
    write_digit_bars: Callable[[Path, str, int], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    digits = write_digit_bars(tmp_path, "tiny", 60)
    args = ["train", "vae", "--data", f"mnist:{digits}", "--epochs", "1", "--batch-size",
            "20", "--hidden-units", "8", "--out", str(tmp_path / "run")]  # fmt: skip
    assert main([*args, "--quiet"] if quiet else args) == 0
    first = capsys.readouterr().err.lstrip("\r").splitlines()[0]
    assert first == device.describe_device()


@pytest.fixture
def step_dtypes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The compute dtype of each model the loop builds a training step for."""
    from models.training import loop

    seen: list[str] = []
    real = loop.train_step

    def spy(trained: Any, optimizer: Any) -> Any:
        seen.append(trained.model.enc_hidden.compute_dtype)
        return real(trained, optimizer)

    monkeypatch.setattr(loop, "train_step", spy)
    return seen


def _dots() -> Dataset:
    rng = np.random.default_rng(0)
    images = (rng.random((40, 28, 28)) < 0.3).astype(np.float32)
    return Dataset(images, rng.integers(0, 10, 40), "dots", "dots")


def test_on_a_gpu_a_kind_trains_in_its_gpu_precision(
    monkeypatch: pytest.MonkeyPatch, step_dtypes: list[str]
) -> None:
    """Mixed bfloat16 by default on a GPU (faked here: bfloat16 runs on a CPU too), the
    losses in float32; a float32 copy validates and is returned; the global policy is left
    as it was."""
    from models.nets.backend import keras

    data = _dots()
    config = TrainConfig(model="cvae", epochs=1, batch_size=20, hidden_units=8)
    monkeypatch.setattr(device, "on_gpu", lambda: True)
    trained = train(config, data, data, snapshots=False)
    assert step_dtypes == ["bfloat16"]
    assert trained.model.enc_hidden.compute_dtype == "float32"
    assert all(w.dtype == np.float32 for w in trained.model.get_weights())
    assert np.isfinite(trained.history[-1]["val_neg_elbo"])
    assert keras.config.dtype_policy().name == "float32"


@pytest.mark.parametrize("native", [True, False])
def test_auto_precision_on_a_cpu_is_bfloat16_where_it_is_native(
    native: bool, monkeypatch: pytest.MonkeyPatch, step_dtypes: list[str]
) -> None:
    """The VAE trains in bfloat16 on a CPU that multiplies it natively (float32 elsewhere),
    and its float32 copy is what comes back; so does every other kind."""
    from models.nets import precision
    from models.nets.kinds import KINDS

    monkeypatch.setattr(device, "on_gpu", lambda: False)
    monkeypatch.setattr(precision, "native_bfloat16", lambda: native)
    config = TrainConfig(model="vae", epochs=1, batch_size=20, hidden_units=8)
    trained = train(config, _dots(), _dots(), snapshots=False)
    assert step_dtypes == ["bfloat16" if native else "float32"]
    assert trained.model.enc_hidden.compute_dtype == "float32"
    expected = "mixed_bfloat16" if native else "float32"
    for name in ("vae", "cvae"):
        for arch in KINDS[name].archs:
            assert precision.training_policy(KINDS[name].for_arch(arch), gpu=False) == expected
    for arch in KINDS["autoencoder"].archs:
        policy = precision.training_policy(KINDS["autoencoder"].for_arch(arch), gpu=False)
        assert policy == expected
    assert precision.training_policy(KINDS["autoencoder"], gpu=True) == "mixed_bfloat16"
    with pytest.raises(ValueError, match="unknown precision"), precision.dtype_policy("half"):
        pass


def test_asked_precision_overrides_the_kinds_choice(
    monkeypatch: pytest.MonkeyPatch, step_dtypes: list[str]
) -> None:
    """``--precision float32`` trains in float32 on a bfloat16 CPU, and is recorded; an
    unknown precision is refused when the config is made (a hand-edited config.json)."""
    from models.nets import precision

    monkeypatch.setattr(device, "on_gpu", lambda: False)
    monkeypatch.setattr(precision, "native_bfloat16", lambda: True)
    config = TrainConfig(model="vae", epochs=1, batch_size=20, hidden_units=8, precision="float32")
    trained = train(config, _dots(), _dots(), snapshots=False)
    assert step_dtypes == ["float32"]
    assert trained.config.precision == "float32"
    with pytest.raises(ValueError, match="precision must be auto or one of"):
        TrainConfig(model="vae", precision="half")
