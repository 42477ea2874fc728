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


def _said_in(module: object) -> set[str]:
    """The literal texts ``module``'s source passes to ``say`` (first argument)."""
    import ast
    import inspect

    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):  # type: ignore[arg-type]
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say":
            for arg in node.args[:1]:
                parts = [arg] if not isinstance(arg, ast.IfExp) else [arg.body, arg.orelse]
                found |= {p.value for p in parts if isinstance(p, ast.Constant)}
    return found


def test_every_word_the_pictures_say_has_chinese() -> None:
    from models.inference import replay

    said = _said_in(figures) | _said_in(replay)
    assert "Epoch %1 of %2" in said and "'%1'" in said  # the walk finds them
    missing = sorted(said - set(words.WORDS["zh_CN"]))
    assert not missing, f"no Chinese for {missing}"


def test_loss_names_are_whole_phrases_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from models.inference.replay import loss_name

    monkeypatch.setattr(words, "cjk_font_path", _stand_in_font)
    assert loss_name("val_loss", "zh_CN") == "验证损失"  # not "验证 损失" from two words
    assert loss_name("val_neg_elbo", "zh_CN") == "验证负 ELBO"
    assert loss_name("train_kl", "zh_CN") == "训练 KL"
    assert loss_name("val_loss") == "validation loss"
    assert loss_name("val_some_metric", "zh_CN") == "验证 some metric"  # unknown: word by word


def test_chinese_is_drawn_with_the_simplified_face() -> None:
    """Noto Sans CJK's collection opens on its Japanese face; Chinese pictures must use the
    SC one (its 骨 and 直 are drawn the Chinese way)."""
    words.cjk_font_path.cache_clear()
    path = words.cjk_font_path()
    if path is None or path.suffix.lower() != ".ttc":
        pytest.skip("no CJK font collection installed (fonts-noto-cjk)")
    with words.speaking("zh_CN"):
        family = figures.font(15).getname()[0] or ""  # type: ignore[union-attr]
    assert any(tag in family for tag in figures.SIMPLIFIED_TAGS), family
