"""Pictures in the window's language: the engine's words, and English where no font can
draw Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from models.inference import figures, words
from models.inference.replay import replay_frame
from models.inference.timeline import Timeline
from models.messages import EpochResult, Snapshot
from models.nets.codec import MLPCodec


@pytest.fixture(autouse=True)
def _fresh_fonts() -> Iterator[None]:
    """A stand-in CJK font must not stay in the font cache for later tests."""
    yield
    figures._font.cache_clear()


def _timeline(num_classes: int = 2) -> Timeline:
    codec = MLPCodec.random(latent=2, hidden=8, num_classes=num_classes)
    rng = np.random.default_rng(0)
    labels = np.arange(40) % num_classes
    timeline = Timeline()
    for epoch in range(2):
        snap = Snapshot(kind="vae", codec=codec, val_z_mean=rng.normal(size=(40, 2)),
                        val_labels=labels)  # fmt: skip
        timeline(EpochResult(epoch=epoch, epochs=2, train={"loss": 9.0 - epoch},
                             val={"loss": 10.0 - epoch}, snapshot=snap))  # fmt: skip
    return timeline


def _stand_in_font() -> Path:
    """Any TrueType font: the words change even if its glyphs are boxes."""
    root = Path("/usr/share/fonts")
    found = sorted(root.rglob("*.ttf")) if root.is_dir() else []
    if not found:
        pytest.skip("no TrueType font on this machine to stand in for a CJK one")
    return found[0]


def test_without_a_cjk_font_pictures_stay_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words, "cjk_font_path", lambda: None)
    t = _timeline()
    english = np.asarray(replay_frame(t, 0, names=("cat", "fish")))
    chinese = np.asarray(replay_frame(t, 0, names=("cat", "fish"), lang="zh_CN"))
    assert english.shape == chinese.shape and (english == chinese).all()
    with words.speaking("zh_CN") as lang:
        assert lang == "en" and words.say("epoch %1", 4) == "epoch 4"


def test_with_a_cjk_font_the_replay_speaks_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    font = _stand_in_font()
    monkeypatch.setattr(words, "cjk_font_path", lambda: font)
    t = _timeline()
    english = replay_frame(t, 1, names=("cat", "fish"))
    chinese = replay_frame(t, 1, names=("cat", "fish"), lang="zh_CN")
    assert (
        np.asarray(english).shape != np.asarray(chinese).shape
        or (np.asarray(english) != np.asarray(chinese)).any()
    )
    assert words.current() == "en"  # the language ends with the picture
    with words.speaking("zh_CN"):
        assert words.say("Epoch %1 of %2", 2, 2) == "第 2 轮（共 2 轮）"
        assert words.category("fish") == "鱼" and words.category("unknown") == "unknown"
        assert figures.font(15) is not figures._font(15, "en")  # the CJK font, not Pillow's


def test_figures_take_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    font = _stand_in_font()
    monkeypatch.setattr(words, "cjk_font_path", lambda: font)
    codec = MLPCodec.random(latent=2, hidden=8)
    english = np.asarray(figures.samples_figure(codec, n=3))
    chinese = np.asarray(figures.samples_figure(codec, n=3, lang="zh_CN"))
    assert english.shape != chinese.shape or (english != chinese).any()
    assert (np.asarray(figures.samples_figure(codec, n=3, lang="en")) == english).all()


def test_every_engine_word_keeps_its_placeholders() -> None:
    import re

    for source, text in words.WORDS["zh_CN"].items():
        assert set(re.findall(r"%[1-9]", source)) == set(re.findall(r"%[1-9]", text)), source
