"""No visible string escapes translation.

A pseudo-locale catalogue is built at test time from the zh_CN ``.ts``: every translation is
the source in marks, "⟦Start⟧". With it installed, the main window is built and every tab's
widgets (labels, buttons, group boxes, tab titles, combo items, tooltips) and every menu are
walked; a text without the mark was never passed through ``tr()``. Numbers, model
abbreviations, file names and category words may stay as they are.

Then the real languages, as a person starts the app (``AE_EXPLORER_LANGUAGE``): in zh_CN at
least 80% of the texts with words are Chinese, in English none is; and the engine's own
English (status lines, data descriptions) shows translated.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMenu,
    QPushButton,
    QTabBar,
    QWidget,
)

from models.data.categories import CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "explorer_zh_CN.ts"
MARK = "⟦"
ALLOWED_WORDS = {
    "VAE", "CVAE", "AE", "KL", "BCE", "ELBO", "PNG", "GIF", "MNIST", "TensorFlow", "Quick Draw",
    "z", "σ", "β", "A", "B", "English", "简体中文", "mnist", "doodles", "linear", "slerp",
    "Autoencoder Explorer",
}  # fmt: skip
"""Texts that are the same in every language: model and file-format abbreviations, symbols,
the language names (each in itself), the data names typed into the data field."""
CATEGORY_WORDS = {c.lower() for c in CATEGORIES}


def pseudo_qm(tmp_path: Path) -> Path:
    """The pseudo-locale catalogue: every message of the .ts translated as "⟦source⟧"."""
    from explorer.i18n import qt_translations_dir  # noqa: F401  (PySide6 is importable)

    tree = ET.parse(TS)
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        forms = translation.findall("numerusform")
        for form in forms:
            form.text = f"{MARK}{source}⟧"
        if not forms:
            translation.text = f"{MARK}{source}⟧"
    ts = tmp_path / "explorer_pseudo.ts"
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = ts.with_suffix(".qm")
    tool = _lrelease()
    subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True, timeout=60)
    return qm


def _lrelease() -> str:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "tools" / "update_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return str(module.qt_tool("lrelease"))


@pytest.fixture
def pseudo(qapp: Any, tmp_path: Path) -> Iterator[QTranslator]:
    """The pseudo-locale installed for one test (removed after: the app is shared)."""
    translator = QTranslator()
    assert translator.load(str(pseudo_qm(tmp_path)))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def allowed(text: str) -> bool:
    """Whether an untranslated text may stay as it is (no words, or words every language
    keeps)."""
    plain = re.sub(r"<[^>]+>|&nbsp;|&(?=\w)", "", text).strip(" …:.()[]")
    if not plain or not re.search(r"[A-Za-z]{2}", plain):
        return True  # numbers, symbols, "z[0]", "—"
    if plain in ALLOWED_WORDS or plain.lower() in CATEGORY_WORDS:
        return True
    if re.fullmatch(r"[\w./\\~-]+\.(png|gif|ndjson|bin|npy|npz|h5|json)", plain):
        return True  # a file name
    if re.fullmatch(r"(Ctrl|Shift|Alt|F\d+|\+)+.*", plain):
        return True  # a shortcut
    return plain.startswith(("/", "~"))  # a path


def texts_of(widget: QWidget) -> Iterable[tuple[str, str]]:
    """(where, text) for what a person reads on ``widget``."""
    name = type(widget).__name__
    if widget.toolTip():
        yield f"{name} tooltip", widget.toolTip()
    if isinstance(widget, QLabel):
        yield name, widget.text()
    elif isinstance(widget, QAbstractButton):
        box = widget.parent()
        standard = isinstance(box, QDialogButtonBox) and isinstance(widget, QPushButton)
        if not standard or box.standardButton(widget) == QDialogButtonBox.StandardButton.NoButton:
            yield name, widget.text()  # OK, Cancel ...: Qt's own catalogue (test_i18n.py)
    elif isinstance(widget, QGroupBox):
        yield name, widget.title()
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield f"{name} tab", widget.tabText(i)
    elif isinstance(widget, QComboBox) and not widget.isEditable():
        for i in range(widget.count()):
            yield f"{name} item", widget.itemText(i)
    elif hasattr(widget, "text") and type(widget).__name__ in ("FitLabel", "FlowLabel"):
        yield name, widget.text()


def menu_texts(menu: QMenu, path: str = "") -> Iterable[tuple[str, str]]:
    for action in menu.actions():
        if action.isSeparator():
            continue
        where = f"menu {path}{menu.title()}"
        yield where, action.text()
        automatic = action.text().replace("&", "").rstrip("…. ")  # Qt's tooltip from the text
        if action.toolTip() and action.toolTip() != automatic:
            yield f"{where} tooltip", action.toolTip()
        if action.menu() is not None:
            yield from menu_texts(action.menu(), f"{path}{menu.title()} ▸ ")


def untranslated(found: Iterable[tuple[str, str]]) -> list[str]:
    out = []
    for where, text in found:
        if MARK not in text and not allowed(text):
            out.append(f"{where}: {text!r}")
    return sorted(set(out))


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.isVisibleTo(root) or widget is root:
            found.extend(texts_of(widget))
    return found


METRICS = {"neg_elbo": 150.0, "reconstruction": 140.0, "kl": 10.0, "kl_per_dim": [5.0, 5.0],
           "active_units": 2, "latent_dim": 2, "prior_recognizable": 0.5,
           "prior_coverage": 0.9}  # fmt: skip
"""What a measurement shows under each Compare map (no TensorFlow in these tests)."""


def open_window(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The window as it opens for a person: the shipped models in every tab (Compare's
    measurements are given, so no TensorFlow runs)."""
    from explorer.controller import TrainingController
    from explorer.main_window import MainWindow

    monkeypatch.setattr(
        "explorer.panels.compare.panel.compute_metrics", lambda _entry: dict(METRICS)
    )
    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=True
    )
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def window(qtbot: Any, pseudo: QTranslator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    w = open_window(qtbot, monkeypatch)
    yield w
    w.close()


def window_texts(window: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        QCoreApplication.processEvents()
        found.extend(visible_texts(window))
    for action in window.menuBar().actions():
        found.append(("menu bar", action.text()))
        if action.menu() is not None:
            found.extend(menu_texts(action.menu()))
    return found


def test_every_visible_string_of_the_window_is_translated(window: Any, qtbot: Any) -> None:
    """Every tab and menu, then the Draw tab's answers to a drawing, model by model."""
    missing = untranslated(window_texts(window) + draw_with_every_model(window, qtbot))
    assert missing == [], f"{len(missing)} texts escape translation:\n" + "\n".join(missing)


def test_the_wrapped_parts_are_translated(window: Any, qtbot: Any) -> None:
    """What is wrapped now: the shared widgets (replay bars, speed control), the presenter
    and language menus, the replay export, and the dialogs."""
    from explorer.widgets.category_picker import CategoryDialog
    from explorer.widgets.download_dialog import DownloadDialog
    from explorer.widgets.speed_control import SpeedControl
    from explorer.widgets.timeline_bar import TimelineBar

    found: list[tuple[str, str]] = []
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        QCoreApplication.processEvents()
        for kind in (TimelineBar, SpeedControl):
            for part in window.findChildren(kind):
                if part.isVisibleTo(window):
                    found.extend(visible_texts(part))
    assert any("TimelineBar" in w or "QPushButton" in w for w, _ in found)
    for name in ("full_screen_action", "zoom_in_action", "zoom_out_action",
                 "zoom_reset_action", "presenter_action", "export_replay_action"):  # fmt: skip
        found.append((name, getattr(window, name).text()))
    found.extend(menu_texts(window.language_menu))
    for dialog in (DownloadDialog(window, names=("cat", "dog")), CategoryDialog(["cat"], window)):
        qtbot.addWidget(dialog)
        dialog.show()
        found.append(("dialog title", dialog.windowTitle()))
        found.extend(visible_texts(dialog))
        dialog.hide()
    assert len(found) > 20
    missing = untranslated(found)
    assert missing == [], f"{len(missing)} texts escape translation:\n" + "\n".join(missing)


def test_the_check_catches_a_string_that_escapes(window: Any) -> None:
    """The walk itself works: an untranslated label on a tab is listed."""
    window.tabs.setCurrentIndex(0)
    QLabel("Plain English words", window.tabs.currentWidget()).show()
    missing = untranslated(window_texts(window))
    assert any("Plain English words" in line for line in missing)


# -- the real languages: Simplified Chinese reads Chinese, English reads no Chinese ----------

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KEPT_LATIN = re.compile(
    r"\b(?:C?VAE|AE|KL|BCE|ELBO|MNIST|PNG|GIF|ndjson|TensorFlow|Keras|Quick Draw|"
    r"Embedding Projector|z_mean|z_log_var|N\(0, I\)|p\(|q\(|Ctrl|Shift|Delete)\b"
    r"|\bz\[\d+\]|\b[zpAB]\b|[βσ]"
)
"""What stays Latin in every language: model and format abbreviations, the projector's
and the data's proper names, symbols and shortcuts."""
CHINESE_SHARE = 0.8


def words_of(text: str) -> str:
    """What a person reads as words in ``text``: no markup or mnemonic, no abbreviation,
    symbol, number, file name or path ("" when nothing is left)."""
    plain = re.sub(r"<[^>]+>|&nbsp;|\(&\w\)|&(?=\w)", " ", text)
    plain = re.sub(r"(?:[\w.~-]*[/\\])+[\w.~-]*|[\w~-]+\.(?:png|gif|ndjson|bin|npy|npz|json|h5)\b",
                   " ", plain)  # fmt: skip
    plain = KEPT_LATIN.sub(" ", plain)
    if plain.strip().lower() in CATEGORY_WORDS:
        return ""  # a Quick Draw category may keep its English word
    return plain if re.search(r"[A-Za-z]{2}", plain) or HAN.search(plain) else ""


def read_window(window: Any, more: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Each distinct (where, text) with words to read, on every tab and in every menu (and
    ``more``), endonyms aside (View ▸ Language names each language in itself)."""
    from explorer.i18n import CHOICES

    endonyms = set(CHOICES.values())
    found = set(window_texts(window)) | set(more)
    return sorted((w, t) for w, t in found if words_of(t) and t.replace("&", "") not in endonyms)


@pytest.fixture
def in_language(
    qapp: Any, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The app started in a language as a person starts it (``AE_EXPLORER_LANGUAGE``,
    read by ``explorer.i18n.install``); English again afterwards."""
    from PySide6.QtCore import QLocale

    from explorer import i18n

    monkeypatch.setenv(i18n.LANGUAGE_ENV, request.param)
    before = QLocale()
    language = i18n.install(qapp)
    yield language
    i18n.install(qapp, i18n.ENGLISH)
    QLocale.setDefault(before)


def draw_with_every_model(window: Any, qtbot: Any) -> list[tuple[str, str]]:
    """On the Draw tab, a "7" drawn with the mouse for each model, and end A set from it:
    what the tab then says (the model's answer, the map note, the strip)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    draw = window.draw
    window.tabs.setCurrentWidget(draw)
    found: list[tuple[str, str]] = []
    for i in range(draw.model_combo.count()):
        draw.model_combo.setCurrentIndex(i)
        qtbot.mouseClick(draw.clear_button, Qt.MouseButton.LeftButton)
        for stroke in ([(40, 40), (160, 40), (90, 170)], [(70, 100), (140, 100)]):
            QTest.mousePress(draw.canvas, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, QPoint(*stroke[0]))  # fmt: skip
            for x, y in stroke[1:]:
                QTest.mouseMove(draw.canvas, QPoint(x, y))
            QTest.mouseRelease(draw.canvas, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier, QPoint(*stroke[-1]))  # fmt: skip
        qtbot.mouseClick(draw.set_a_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not draw.busy, timeout=10_000)
        QCoreApplication.processEvents()
        found.extend(visible_texts(window))
        found.append(("status bar", window.statusBar().currentMessage()))
    return found


@pytest.mark.parametrize("in_language", ["zh_CN"], indirect=True)
def test_in_chinese_most_texts_are_chinese(
    in_language: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert in_language == "zh_CN"
    w = open_window(qtbot, monkeypatch)
    read = read_window(w, draw_with_every_model(w, qtbot))
    w.close()
    latin = [f"{where}: {text!r}" for where, text in read if not HAN.search(text)]
    share = 1 - len(latin) / len(read)
    assert len(read) > 100  # every tab was walked
    assert share >= CHINESE_SHARE, f"{share:.0%} Chinese; in Latin letters:\n" + "\n".join(latin)


@pytest.mark.parametrize("in_language", ["en"], indirect=True)
def test_in_english_no_text_is_chinese(
    in_language: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert in_language == "en"
    w = open_window(qtbot, monkeypatch)
    read = read_window(w, draw_with_every_model(w, qtbot))
    w.close()
    chinese = [f"{where}: {text!r}" for where, text in read if HAN.search(text)]
    assert len(read) > 100
    assert chinese == [], "Chinese in the English window:\n" + "\n".join(chinese)


def test_the_share_counts_words_not_abbreviations() -> None:
    """The count leaves out what every language keeps, and nothing else."""
    assert words_of("VAE β=0.1") == ""
    assert words_of("z[0] = +0.20    z[1] = +0.10") == ""
    assert words_of("CVAE") == "" and words_of("PNG…") == "" and words_of("cat") == ""
    assert words_of("/tmp/runs/vae/weights.npz") == ""
    assert words_of("Decoded at the marker") and words_of("解码网格")
    assert words_of("&Open data file…") and words_of("Sample z ~ N(0, I)")


def engine_lines() -> list[str]:
    """Every status line the engine's Run says, as a sample: its literal text, or its
    f-string with each value as "7" (``models/runs``: ``say(...)``)."""
    import ast

    def sample(node: ast.expr) -> Iterator[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(v.value if isinstance(v, ast.Constant) else "7" for v in node.values)
        elif isinstance(node, ast.IfExp):
            yield from sample(node.body)
            yield from sample(node.orelse)

    lines = []
    for path in sorted((ROOT / "models" / "runs").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "say":
                lines.extend(s for arg in node.args for s in sample(arg))
            if isinstance(node, ast.Assign) and any(  # note = f"..."; say(note)
                getattr(t, "id", "") == "note" for t in node.targets
            ):
                lines.extend(sample(node.value))
    return lines


@pytest.mark.parametrize("in_language", ["zh_CN"], indirect=True)
def test_the_engine_s_status_lines_show_in_chinese(in_language: str) -> None:
    """The Run's English status lines ("Loading quickdraw:cat…") reach the status bar in
    the window's language; a line the table does not know stays as the engine wrote it."""
    from explorer.engine_words import engine_text

    lines = engine_lines()
    assert "Building the model…" in lines and len(lines) >= 5
    untranslated = [line for line in lines if not HAN.search(engine_text(line))]
    assert untranslated == [], f"engine lines explorer.engine_words does not know: {untranslated}"
    assert engine_text("Loading quickdraw:cat…") == "正在加载 quickdraw:cat…"
    assert engine_text("Downloading quickdraw:cat… 40%") == "正在下载 quickdraw:cat… 40%"
    assert engine_text("Something new") == "Something new"


def test_the_engine_s_status_lines_stay_english_in_english() -> None:
    from explorer.engine_words import engine_text

    for line in engine_lines():
        assert engine_text(line) == line


def data_sources(tmp_path: Path) -> list[str]:
    """Descriptions the engine writes for real data (a Quick Draw file, generated doodles),
    and what the window makes of a shipped model's preview (``read_preview``)."""
    import numpy as np

    from explorer.slot_data import read_preview
    from models.data.specs import load_dataset
    from models.nets.kinds import KINDS
    from models.nets.trained import PREVIEW_FILE

    path = tmp_path / "cat.npy"
    np.save(path, np.zeros((12, 784), np.uint8))
    sources = [load_dataset(str(path)).source, load_dataset("doodles:5").source]
    blank = np.zeros((2, 28, 28), np.float32)
    for i, source in enumerate([sources[0], ""]):
        folder = tmp_path / f"model{i}"
        folder.mkdir()
        np.savez(folder / PREVIEW_FILE, originals=blank, reconstructions=blank, source=source)
        found = read_preview(folder, KINDS["vae"], shipped=True)
        assert found is not None
        sources.append(found["data"].source)
    return sources


@pytest.mark.parametrize("in_language", ["zh_CN"], indirect=True)
def test_the_engine_s_data_descriptions_show_in_chinese(in_language: str, tmp_path: Path) -> None:
    from explorer.engine_words import data_source

    sources = data_sources(tmp_path)
    shipped = "Quick Draw file cat.npy (12 drawings), held out for validation (shipped model)"
    assert sources[2] == shipped
    shown = [data_source(s) for s in sources]
    assert shown[0] == "Quick Draw 文件 cat.npy（12 幅画）"
    assert shown[2] == "Quick Draw 文件 cat.npy（12 幅画），留作验证（自带模型）"
    left = [KEPT_LATIN.sub("", s).replace("cat.npy", "") for s in shown]
    assert not any(re.search(r"[A-Za-z]{2,}", s) for s in left), shown
    assert data_source("something else (3 things)") == "something else (3 things)"


def test_the_engine_s_data_descriptions_stay_english_in_english(tmp_path: Path) -> None:
    from explorer.engine_words import data_source

    for source in data_sources(tmp_path):
        assert data_source(source) == source
