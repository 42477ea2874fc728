"""The few words the engine draws into pictures, in the window's language.

The engine has no Qt, so it cannot use the window's translators: a caller passes the
language (``lang="zh_CN"``) to the functions that draw (``save_replay``, the figures), and
they draw in it while :func:`speaking` is active. Chinese needs a font with its glyphs;
where none is installed (Debian/Ubuntu: ``fonts-noto-cjk``) the pictures stay in English
rather than show empty boxes.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

ENGLISH = "en"
CHINESE = "zh_CN"

WORDS: dict[str, dict[str, str]] = {
    CHINESE: {
        "Epoch %1 of %2": "第 %1 轮（共 %2 轮）",
        "epoch %1": "第 %1 轮",
        "validation": "验证",
        "training": "训练",
        "loss": "损失",
        "neg elbo": "负 ELBO",
        "kl": "KL",
        "reconstruction": "重建",
        "bce": "BCE",
        # Whole loss names: Chinese writes "验证损失", not "验证 损失" built from pieces.
        "validation loss": "验证损失",
        "training loss": "训练损失",
        "validation neg elbo": "验证负 ELBO",
        "training neg elbo": "训练负 ELBO",
        "validation reconstruction": "验证重建损失",
        "training reconstruction": "训练重建损失",
        "validation kl": "验证 KL",
        "training kl": "训练 KL",
        "validation bce": "验证 BCE",
        "training bce": "训练 BCE",
        "+%1 more": "另有 %1 个",
        "validation codes (left); decoded, one row per category (right)": (
            "验证集编码（左）；解码结果，每行一个类别（右）"
        ),
        "validation codes (left); decoded, one row per digit (right)": (
            "验证集编码（左）；解码结果，每行一个数字（右）"
        ),
        "validation codes over the decoded latent grid": "解码的潜在网格上的验证集编码",
        "top two rows: sketches    bottom two rows: their reconstructions": (
            "上两行：草图    下两行：它们的重建"
        ),
        "z[0] (other dimensions 0)": "z[0]（其他维度为 0）",
        "top: originals   bottom: reconstructions": "上：原图   下：重建",
        "decoded latent grid, %1": "解码的潜在网格，%1",
        "z from %1 to %2": "z 从 %1 到 %2",
        "validation z_mean": "验证集 z_mean",
        "validation z_mean (1-D latent, drawn across)": "验证集 z_mean（一维潜在空间，横向绘制）",
        "samples from N(0, I)": "从 N(0, I) 采样",
        "columns: z[%1] from -%2 to %2": "列：z[%1] 从 -%2 到 %2",
        "rows: digits 0-%1, %2": "行：数字 0-%1，%2",
        "rows: categories, %1": "行：类别，%1",
        "label %1, %2": "标签 %1，%2",
        "%1x%1 over %2": "%1×%1，范围 %2",
        "%1x%1 over %2, other dims 0": "%1×%1，范围 %2，其他维度为 0",
        "'%1'": "“%1”",
        "digit %1": "数字 %1",
    },
}
"""English source -> translation, per language (``%1``, ``%2`` filled by :func:`say`)."""

CJK_FONTS = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "NotoSansSC-Regular.ttf",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "SourceHanSansSC-Regular.otf",
    "msyh.ttc",
    "PingFang.ttc",
    "STHeiti Medium.ttc",
)
"""Font files with Simplified Chinese glyphs, best first (Linux packages, Windows, macOS)."""
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/System/Library/Fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
FONT_ENV = "AE_EXPLORER_CJK_FONT"
"""A font file to use for Chinese pictures (overrides the search)."""

_language: ContextVar[str] = ContextVar("picture_language", default=ENGLISH)


@functools.cache
def cjk_font_path() -> Path | None:
    """The first font file with Chinese glyphs found in the usual folders, or None."""
    env = os.environ.get(FONT_ENV, "").strip()
    if env and Path(env).expanduser().is_file():
        return Path(env).expanduser()
    wanted = {name.lower(): rank for rank, name in enumerate(CJK_FONTS)}
    best: tuple[int, Path] | None = None
    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            rank = wanted.get(path.name.lower())
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, path)
    return best[1] if best is not None else None


def drawable(lang: str | None) -> str:
    """The language pictures are drawn in for ``lang``: itself when the engine has its words
    and a font can draw them, else English."""
    if not lang or lang == ENGLISH or lang not in WORDS:
        return ENGLISH
    return lang if cjk_font_path() is not None else ENGLISH


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Draw in ``lang`` inside the block (English where it cannot be drawn); yields the
    language used."""
    token = _language.set(drawable(lang))
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def current() -> str:
    """The language pictures are being drawn in."""
    return _language.get()


def say(text: str, *values: object) -> str:
    """``text`` in the current language, with ``%1``, ``%2`` ... filled by ``values``."""
    table = WORDS.get(_language.get(), {})
    out = table.get(text, text)

    def fill(match: re.Match[str]) -> str:
        i = int(match.group(1))
        return str(values[i - 1]) if 0 < i <= len(values) else match.group(0)

    return re.sub(r"%([1-9])", fill, out)


@functools.cache
def _categories(lang: str) -> dict[str, str]:
    from models.paths import resource_path

    try:
        table = json.loads(resource_path("i18n", f"categories_{lang}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def category(name: str) -> str:
    """A Quick Draw category in the current language (the name itself in English)."""
    if _language.get() == ENGLISH:
        return name
    return _categories(_language.get()).get(name, name)


__all__ = [
    "CHINESE",
    "ENGLISH",
    "WORDS",
    "category",
    "cjk_font_path",
    "current",
    "drawable",
    "say",
    "speaking",
]
