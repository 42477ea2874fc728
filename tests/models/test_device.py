"""Which device trains (``describe_device``), said first by ``train``; the precision a kind
trains with there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def test_on_a_gpu_a_kind_trains_in_its_gpu_precision(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mixed bfloat16 by default on a GPU (faked here: bfloat16 runs on a CPU too), with the
    losses in float32 and the weights kept float32; the global policy is left as it was."""
    from models.nets.backend import keras

    rng = np.random.default_rng(0)
    data = Dataset((rng.random((40, 28, 28)) < 0.3).astype(np.float32), rng.integers(0, 10, 40),
                   "dots", "dots")  # fmt: skip
    config = TrainConfig(model="cvae", epochs=1, batch_size=20, hidden_units=8)
    monkeypatch.setattr(device, "on_gpu", lambda: True)
    trained = train(config, data, data, snapshots=False)
    hidden = trained.model.enc_hidden
    assert hidden.dtype_policy.name == "mixed_bfloat16" and hidden.compute_dtype == "bfloat16"
    assert trained.model.dec_out.compute_dtype == "float32"
    assert all(w.dtype == np.float32 for w in trained.model.get_weights())
    assert np.isfinite(trained.history[-1]["val_neg_elbo"])
    assert keras.config.dtype_policy().name == "float32"
    monkeypatch.setattr(device, "on_gpu", lambda: False)
    plain = train(config, data, data, snapshots=False)
    assert plain.model.enc_hidden.compute_dtype == "float32"
