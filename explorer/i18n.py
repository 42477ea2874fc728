"""The window's language: Qt translators for the chosen language, the remembered choice, and
the words Qt cannot translate by itself (Quick Draw's category names, font checks).

How it works (``docs/i18n.md`` says more):

- Strings are marked with ``self.tr`` / ``QCoreApplication.translate``; ``pyside6-lupdate``
  collects them into ``resources/i18n/explorer_<lang>.ts`` and ``pyside6-lrelease`` builds
  the ``.qm`` files, which are committed (``tools/update_translations.py`` rebuilds them).
- :func:`install` runs in :func:`explorer.qt_app.make_app`, before any window exists: it
  loads the app's catalogue and Qt's own ``qtbase_<lang>.qm`` (so Qt's file dialogs and
  message boxes speak the same language), and makes that language QLocale's default so
  numbers, times and sizes read the same way.
- The choice (System, English, 简体中文) is kept in the per-user config folder and applied
  at the next start: widgets built from Python set their texts once, so a live switch would
  need every panel to re-set them (``changeEvent(LanguageChange)``); a restart is honest.
"""

from __future__ import annotations

import json
import logging
import os
import re
from functools import cache
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

from models.paths import config_dir, resource_path

log = logging.getLogger(__name__)

SYSTEM = "system"
ENGLISH = "en"
CHINESE = "zh_CN"
CHOICES: dict[str, str] = {SYSTEM: "System", ENGLISH: "English", CHINESE: "简体中文"}
"""The language choices of View ▸ Language: a code and its name (endonyms: each language is
named in itself, so a reader finds their own whatever the window speaks now)."""
TRANSLATED = (CHINESE,)
"""Languages the app has a catalogue for (``resources/i18n/explorer_<code>.qm``)."""

LANGUAGE_ENV = "AE_EXPLORER_LANGUAGE"
"""Overrides the remembered choice for one run (``en``, ``zh_CN`` or ``system``): screenshot
scripts and checks use it."""
CONFIG_ENV = "AE_EXPLORER_CONFIG"
"""Overrides the folder the choice is kept in (tests point it at a temporary folder)."""
SETTINGS_FILE = "language.json"

_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer
_language = ENGLISH


def i18n_dir() -> Path:
    """Where the catalogues (``.ts`` sources and built ``.qm``) and tables live."""
    return resource_path("i18n")


def settings_path() -> Path:
    env = os.environ.get(CONFIG_ENV, "").strip()
    folder = Path(env).expanduser() if env else config_dir()
    return folder / SETTINGS_FILE


def saved_choice() -> str:
    """The language chosen in View ▸ Language (``system`` when never chosen or unreadable)."""
    env = os.environ.get(LANGUAGE_ENV, "").strip()
    if env in CHOICES:
        return env
    try:
        choice = json.loads(settings_path().read_text(encoding="utf-8")).get("language")
    except (OSError, ValueError, AttributeError):
        return SYSTEM
    return choice if choice in CHOICES else SYSTEM


def save_choice(choice: str) -> Path:
    """Remember ``choice`` for the next start; returns the file written."""
    if choice not in CHOICES:
        raise ValueError(f"unknown language {choice!r}; choose one of {', '.join(CHOICES)}")
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"language": choice}) + "\n", encoding="utf-8")
    tmp.replace(path)  # never a half-written file
    return path


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language ``choice`` means here: ``system`` follows the system's UI languages to
    the first one the app has (Simplified Chinese for zh_CN, zh_SG or zh_Hans), else English."""
    if choice != SYSTEM:
        return choice if choice in (ENGLISH, *TRANSLATED) else ENGLISH
    locale = system if system is not None else QLocale.system()
    for name in [locale.name(), *locale.uiLanguages()]:
        tag = name.replace("-", "_")
        if tag.startswith("zh"):  # the first Chinese tag decides: Traditional is not ours
            traditional = any(t in tag for t in ("Hant", "TW", "HK", "MO"))
            return ENGLISH if traditional else CHINESE
        if tag.startswith("en") or tag == "C":
            return ENGLISH
    return ENGLISH


def qt_translations_dir() -> str:
    """PySide6's folder of Qt's own catalogues (``qtbase_zh_CN.qm`` ...)."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install(app: QCoreApplication | None = None, choice: str | None = None) -> str:
    """Install the translators for ``choice`` (default: the remembered one) on the
    application; returns the language now in use (``en`` or ``zh_CN``). Call it before any
    widget is built: texts are translated when they are set."""
    global _language
    app = app or QCoreApplication.instance()
    for old in _installed:
        QCoreApplication.removeTranslator(old)
    _installed.clear()
    language = resolve(saved_choice() if choice is None else choice)
    _language = ENGLISH
    if language == ENGLISH:
        QLocale.setDefault(QLocale("en_US"))
        return ENGLISH
    own = QTranslator(app)
    if not own.load(f"explorer_{language}", str(i18n_dir())):
        log.warning("no catalogue for %s in %s; the window stays in English", language, i18n_dir())
        return ENGLISH
    QCoreApplication.installTranslator(own)
    _installed.append(own)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", qt_translations_dir()):
        QCoreApplication.installTranslator(qt)
        _installed.append(qt)
    else:
        log.info("Qt's own catalogue qtbase_%s is missing; Qt's dialogs stay English", language)
    QLocale.setDefault(QLocale(language))
    _language = language
    return language


def arg(text: str, *values: object) -> str:
    """Qt's ``QString.arg`` for Python strings: ``%1`` .. ``%9`` filled in one pass (so a
    value that itself holds "%2", a file name say, is left as it is)."""

    def fill(match: re.Match[str]) -> str:
        i = int(match.group(1))
        return str(values[i - 1]) if 0 < i <= len(values) else match.group(0)

    return re.sub(r"%([1-9])", fill, text)


_started = False


def install_once(app: QCoreApplication) -> str:
    """:func:`install` the remembered choice the first time (``make_app`` may run again);
    logs one line if no font can draw it."""
    global _started
    if not _started:
        _started = True
        install(app)
        check_fonts()
    return _language


def language() -> str:
    """The language the window speaks (``en`` until :func:`install` chose another)."""
    return _language


def pillow_language() -> str:
    """The language for the pictures the engine draws with Pillow (its ``lang=`` argument)."""
    return _language


@cache
def _category_table(lang: str) -> dict[str, str]:
    path = i18n_dir() / f"categories_{lang}.json"
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("%s: no category names (%s); they stay in English", path, exc)
        return {}
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def category_label(name: str, lang: str | None = None) -> str:
    """A Quick Draw category as the window shows it: in Chinese when the window speaks
    Chinese ("cat" -> "猫"), the name itself otherwise. Data files keep the English word."""
    lang = lang or _language
    if lang == ENGLISH:
        return name
    table = _category_table(lang)
    return table.get(name) or table.get(name.replace("_", " ").lower(), name)


KIND_WORDS = (
    QT_TRANSLATE_NOOP("kinds", "Autoencoder (conv, sketches)"),
    QT_TRANSLATE_NOOP("kinds", "Autoencoder (dense, digits)"),
    QT_TRANSLATE_NOOP("kinds", "VAE (digits)"),
    QT_TRANSLATE_NOOP("kinds", "VAE (conv, sketches)"),
    QT_TRANSLATE_NOOP("kinds", "Conditional VAE (digits)"),
    QT_TRANSLATE_NOOP("kinds", "Conditional VAE (conv, sketches)"),
    QT_TRANSLATE_NOOP("kinds", "autoencoder"),
    QT_TRANSLATE_NOOP("kinds", "VAE"),
    QT_TRANSLATE_NOOP("kinds", "CVAE"),
    QT_TRANSLATE_NOOP("kinds", "digits"),
    QT_TRANSLATE_NOOP("kinds", "sketches"),
    QT_TRANSLATE_NOOP("kinds", "classic"),
    QT_TRANSLATE_NOOP("kinds", "improved"),
)
"""The engine's words for its model kinds and recipes (``KindSpec.display_name``,
``short_name``, ``data_noun``, recipe names), marked here so lupdate collects them: the
engine has no Qt. Show them through :func:`kind_label`."""


def kind_label(text: str) -> str:
    """A kind's name, data noun or recipe from the engine, in the window's language
    ("VAE (digits)" -> "VAE（数字）"); other text is returned as it is."""
    return QCoreApplication.translate("kinds", text)


def cjk_font_family() -> str | None:
    """A font family with Simplified Chinese glyphs, or None (QFontDatabase needs an app)."""
    from PySide6.QtGui import QFontDatabase

    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return families[0] if families else None


def check_fonts() -> bool:
    """Log one line when the window speaks Chinese but no font has the glyphs (Qt then
    draws empty boxes rather than crash); True when the language can be drawn."""
    if _language == ENGLISH:
        return True
    if cjk_font_family() is not None:
        return True
    log.warning(
        "no font with Chinese glyphs found: texts show as boxes. Install one "
        "(Debian/Ubuntu: sudo apt install fonts-noto-cjk)"
    )
    return False


MENU_CONTEXTS = ("actions", "MainWindow")
"""Where the menu bar's titles are translated (``explorer/actions.py`` builds the menus)."""


def same_words(shown: str, english: str, contexts: tuple[str, ...] = MENU_CONTEXTS) -> bool:
    """Whether a menu or tab title ``shown`` is ``english`` (mnemonics aside), in English or
    as translated in one of ``contexts``: finding the View menu by its title must still work
    in Chinese ("视图(&V)")."""
    plain = shown.replace("&", "")
    wanted = {english.replace("&", "")}
    for context in contexts:
        for source in (english, f"&{english}"):
            wanted.add(QCoreApplication.translate(context, source).replace("&", ""))
    return plain in wanted


__all__ = [
    "CHINESE",
    "CHOICES",
    "ENGLISH",
    "SYSTEM",
    "arg",
    "category_label",
    "check_fonts",
    "cjk_font_family",
    "install",
    "install_once",
    "kind_label",
    "language",
    "pillow_language",
    "resolve",
    "same_words",
    "save_choice",
    "saved_choice",
    "settings_path",
]
