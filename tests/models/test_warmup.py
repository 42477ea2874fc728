"""The start-up warm-up trains two tiny models once per process, and can be switched off."""

from __future__ import annotations

import pytest

import models.training.warmup as warmup


@pytest.mark.slow
def test_warm_up_runs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AE_EXPLORER_WARMUP", "0")
    monkeypatch.setattr(warmup, "_done", False)
    assert warmup.warm_up() == 0.0 and not warmup.warmed_up()
    monkeypatch.setenv("AE_EXPLORER_WARMUP", "1")
    assert warmup.warm_up() > 0.0 and warmup.warmed_up()
    assert warmup.warm_up() == 0.0
