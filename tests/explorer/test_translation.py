"""No visible string escapes translation.

A pseudo-locale catalogue is built at test time from the zh_CN ``.ts``: every translation is
the source in marks, "⟦Start⟧". With it installed, the main window is built and every tab's
widgets (labels, buttons, group boxes, tab titles, combo items, tooltips) and every menu are
walked; a text without the mark was never passed through ``tr()``. Numbers, model
abbreviations, file names and category words may stay as they are.
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


@pytest.fixture
def window(qtbot: Any, pseudo: QTranslator) -> Iterator[Any]:
    from explorer.controller import TrainingController
    from explorer.main_window import MainWindow

    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=False
    )
    qtbot.addWidget(w)
    w.show()
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


def test_every_visible_string_of_the_window_is_translated(window: Any) -> None:
    missing = untranslated(window_texts(window))
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
