"""The window's language: the remembered choice, the catalogues, the category names, the
View ▸ Language menu, and the pictures drawn in the chosen language."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow

from explorer import i18n
from models.data.categories import CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "tools" /
                                                  "update_translations.py")  # fmt: skip
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def chinese(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app in Simplified Chinese for one test; English again afterwards."""
    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    before = QLocale()
    language = i18n.install(qapp, i18n.CHINESE)
    yield language
    i18n.install(qapp, i18n.ENGLISH)
    QLocale.setDefault(before)  # other tests read numbers as they were


def test_the_choice_is_remembered_and_a_bad_file_means_system(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    assert i18n.saved_choice() == i18n.SYSTEM  # never chosen
    path = i18n.save_choice(i18n.CHINESE)
    assert path == i18n.settings_path() and i18n.saved_choice() == i18n.CHINESE
    assert not path.with_suffix(".tmp").exists()
    path.write_text("{not json", encoding="utf-8")
    assert i18n.saved_choice() == i18n.SYSTEM
    path.write_text(json.dumps({"language": "klingon"}), encoding="utf-8")
    assert i18n.saved_choice() == i18n.SYSTEM
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "en")
    assert i18n.saved_choice() == i18n.ENGLISH
    with pytest.raises(ValueError, match="klingon"):
        i18n.save_choice("klingon")


@pytest.mark.parametrize(
    ("system", "expected"),
    [("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"), ("zh_TW", "en"), ("en_US", "en"),
     ("de_DE", "en"), ("C", "en")],
)  # fmt: skip
def test_system_follows_the_locale_to_a_language_the_app_has(system: str, expected: str) -> None:
    assert i18n.resolve(i18n.SYSTEM, QLocale(system)) == expected
    assert i18n.resolve(i18n.ENGLISH, QLocale("zh_CN")) == i18n.ENGLISH
    assert i18n.resolve(i18n.CHINESE, QLocale("en_US")) == i18n.CHINESE


def test_chinese_translates_the_app_and_qt_s_own_buttons(chinese: str) -> None:
    assert chinese == i18n.CHINESE and i18n.language() == i18n.CHINESE
    assert QCoreApplication.translate("TimelineBar", "Play") == "播放"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "取消"  # qtbase_zh_CN.qm
    assert QLocale().name() == "zh_CN"


def test_english_installs_no_translator(qapp: Any) -> None:
    before = QLocale()
    assert i18n.install(qapp, i18n.ENGLISH) == i18n.ENGLISH
    QLocale.setDefault(before)
    assert QCoreApplication.translate("TimelineBar", "Play") == "Play"
    assert i18n.category_label("cat") == "cat"


def test_every_category_has_a_chinese_name(chinese: str) -> None:
    table = json.loads((I18N / "categories_zh_CN.json").read_text(encoding="utf-8"))
    assert set(table) == set(CATEGORIES) and len(table) == 345
    assert all(HAN.search(name) for name in table.values() if name != "T恤")
    assert len(set(table.values())) == 345  # no two categories read the same
    assert i18n.category_label("cat") == "猫"
    assert i18n.category_label("The Eiffel Tower") == "埃菲尔铁塔"
    assert i18n.category_label("not a category") == "not a category"


def test_the_catalogue_is_finished_and_the_committed_qm_is_current() -> None:
    tree = ET.parse(I18N / "explorer_zh_CN.ts")
    unfinished = [m.findtext("source") for m in tree.iter("message")
                  if (t := m.find("translation")) is None or t.get("type") == "unfinished"
                  or not "".join(t.itertext()).strip()]  # fmt: skip
    assert unfinished == []
    assert _tool().check("zh_CN") == []


def test_the_glossary_keeps_every_placeholder() -> None:
    glossary = json.loads((I18N / "glossary_zh_CN.json").read_text(encoding="utf-8"))
    english_only = {  # the English suffixes a translation drops ("epoch%2" -> "轮")
        "Stopped after %1 epoch%2.", "Finished %1 epoch%2.",
        "%1 of the %2 shipped comparison models %3 missing: press “Train this comparison” to "
        "make them, or load runs.",
    }  # fmt: skip
    for source, text in glossary.items():
        wanted = set(re.findall(r"%[1-9n]|\{what\}", source))
        if source not in english_only:
            assert set(re.findall(r"%[1-9n]|\{what\}", text)) == wanted, source


def test_the_tool_fills_a_new_context_from_the_glossary(tmp_path: Path) -> None:
    tool = _tool()
    ts = tmp_path / "new.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1">'
        "<context><name>NewPanel</name>"
        '<message><source>Training</source><translation type="unfinished"/></message>'
        '<message numerus="yes"><source>Finished %n epochs.</source>'
        '<translation type="unfinished"><numerusform/></translation></message>'
        '<message><source>Not in any glossary</source><translation type="unfinished"/></message>'
        "</context></TS>",
        encoding="utf-8",
    )
    missing = tool.fill(ts, tool.load_glossary("zh_CN"))
    assert missing == ["NewPanel: 'Not in any glossary'"]
    texts = {m.findtext("source"): "".join(m.find("translation").itertext()).strip()
             for m in ET.parse(ts).iter("message")}  # fmt: skip
    assert texts["Training"] == "训练" and texts["Finished %n epochs."] == "完成了 %n 轮。"


def test_the_language_menu_remembers_the_choice_for_the_next_start(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer import language_menu

    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&View")
    menu = language_menu.install(window)
    assert [a.text() for a in menu.actions()] == ["System", "English", "简体中文"]
    assert menu.menuAction() in window.menuBar().actions()[0].menu().actions()  # under View
    assert window.language_actions["system"].isChecked()  # type: ignore[attr-defined]
    assert "next start" in menu.toolTip()
    window.language_actions["zh_CN"].trigger()  # type: ignore[attr-defined]
    assert i18n.saved_choice() == i18n.CHINESE
    assert window.language_actions["zh_CN"].isChecked()  # type: ignore[attr-defined]
    assert not window.language_actions["system"].isChecked()  # type: ignore[attr-defined]
    assert "next start" in window.statusBar().currentMessage()
    window.language_actions["en"].trigger()  # type: ignore[attr-defined]
    assert i18n.saved_choice() == i18n.ENGLISH


def test_the_view_menu_is_found_by_its_chinese_title(qtbot: Any, chinese: str) -> None:
    from explorer import language_menu

    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu(QCoreApplication.translate("actions", "&View"))
    assert language_menu.view_menu(window) is window.menuBar().actions()[0].menu()
    assert len(window.menuBar().actions()) == 1


def test_no_cjk_font_logs_one_line(
    chinese: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(i18n, "cjk_font_family", lambda: None)
    assert not i18n.check_fonts()
    lines = [r.getMessage() for r in caplog.records if r.name == "explorer.i18n"]
    assert len(lines) == 1 and "fonts-noto-cjk" in lines[0]


def test_download_dialog_shows_chinese_names_and_keeps_the_english(
    qtbot: Any, chinese: str
) -> None:
    from explorer.widgets.download_dialog import DownloadDialog

    dialog = DownloadDialog(names=("cat", "hot dog", "dog"))
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "下载一个 Quick Draw 类别"
    assert [dialog.list.item(i).text() for i in range(3)] == ["猫 (cat)", "热狗 (hot dog)",
                                                             "狗 (dog)"]  # fmt: skip
    assert dialog.chosen() == "cat"  # the download needs the English word
    dialog.search.setText("热狗")  # as an input method commits it (keyClicks is ASCII only)
    assert dialog.visible_names() == ["hot dog"] and dialog.chosen() == "hot dog"
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "dog")
    assert dialog.chosen() == "dog"  # the exact English name first


def test_numbers_and_sizes_follow_the_language(qtbot: Any, chinese: str) -> None:
    from explorer.widgets.download_dialog import DownloadDialog

    dialog = DownloadDialog(names=("cat",))
    qtbot.addWidget(dialog)
    dialog._on_progress(1_500_000, 3_000_000)
    assert dialog.bar.format() == "猫：1.5 MB / 3.0 MB"


def test_replay_pictures_speak_chinese_where_a_font_can(monkeypatch: pytest.MonkeyPatch) -> None:
    from models.inference import words
    from models.inference.replay import loss_name

    monkeypatch.setattr(words, "cjk_font_path", lambda: None)
    assert words.drawable("zh_CN") == "en"  # no font: English, not boxes
    assert loss_name("val_loss", lang="zh_CN") == "validation loss"
    fonts = sorted(Path("/usr/share/fonts").rglob("*.ttf"))
    if not fonts:
        pytest.skip("no TrueType font on this machine to stand in for a CJK one")
    monkeypatch.setattr(words, "cjk_font_path", lambda: fonts[0])
    assert words.drawable("zh_CN") == "zh_CN"
    assert loss_name("val_loss", lang="zh_CN") == "验证损失"  # one phrase, not two words
    with words.speaking("zh_CN"):
        assert words.say("Epoch %1 of %2", 3, 10) == "第 3 轮（共 10 轮）"
        assert words.category("cat") == "猫"
    assert words.current() == "en" and words.say("epoch %1", 2) == "epoch 2"
