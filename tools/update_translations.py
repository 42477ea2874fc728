"""Keep the window's translations current: lupdate, fill from the glossary, lrelease.

    python tools/update_translations.py           # after changing strings in explorer/
    python tools/update_translations.py --check   # fail if a .ts or .qm is out of date

1. ``pyside6-lupdate`` collects every ``tr()`` / ``QCoreApplication.translate`` string of
   ``explorer/`` into ``resources/i18n/explorer_<lang>.ts`` (no line numbers, so moving
   code does not touch the .ts; strings that vanished are dropped).
2. Every message still unfinished whose English source is in
   ``resources/i18n/glossary_<lang>.json`` gets that translation (in every context, so a
   string wrapped in a new panel is translated at once). A source missing from the glossary
   is listed: add it there, run again.
3. ``pyside6-lrelease`` builds ``explorer_<lang>.qm``, which is committed (the app needs no
   Qt tools at install time; the test ``tests/explorer/test_i18n.py`` checks it is current).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
SOURCES = ROOT / "explorer"
LANGUAGES = ("zh_CN",)


def qt_tool(name: str) -> str:
    """PySide6's ``lupdate`` / ``lrelease`` (shipped in the PySide6 wheel), else on PATH."""
    try:
        import PySide6

        for candidate in (name, f"{name}.exe"):
            path = Path(PySide6.__file__).parent / candidate
            if path.is_file():
                return str(path)
    except ImportError:
        pass
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name}: not found; install pyside6-essentials (pip install -e .)")
    return found


def run(*args: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{Path(args[0]).name} failed:\n{result.stdout}{result.stderr}")


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))


def lupdate(ts: Path, lang: str) -> None:
    """Collect the marked strings into ``ts`` (kept translations stay)."""
    tool = qt_tool("lupdate")
    args = [tool, *sources(), "-locations", "none", "-no-obsolete", "-source-language", "en"]
    args += ["-target-language", lang, "-ts", str(ts)]
    result = subprocess.run(args, capture_output=True, text=True, check=False, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"lupdate failed:\n{result.stdout}{result.stderr}")


def load_glossary(lang: str) -> dict[str, str]:
    path = I18N / f"glossary_{lang}.json"
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"{path}: cannot read the glossary ({exc})") from None
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in table.items()
    ):
        raise SystemExit(f"{path}: must map each English source to its translation")
    return table


def messages(tree: ET.ElementTree) -> list[tuple[str, ET.Element]]:
    """(context name, message element) for every message of a .ts tree."""
    out = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        out.extend((name, message) for message in context.iter("message"))
    return out


def unfinished(message: ET.Element) -> bool:
    """Whether a message still needs a translation (marked unfinished, or empty)."""
    translation = message.find("translation")
    if translation is None or translation.get("type") == "unfinished":
        return True
    forms = translation.findall("numerusform")
    texts = [f.text or "" for f in forms] if forms else [translation.text or ""]
    return not all(texts)


def fill(ts: Path, glossary: dict[str, str]) -> list[str]:
    """Translate the unfinished messages of ``ts`` found in the glossary; returns the
    sources still missing (as ``context: source``)."""
    tree = ET.parse(ts)
    missing = []
    for context, message in messages(tree):
        if not unfinished(message):
            continue
        source = message.findtext("source") or ""
        text = glossary.get(source)
        if text is None:
            missing.append(f"{context}: {source!r}")
            continue
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        forms = translation.findall("numerusform")
        if message.get("numerus") == "yes":
            for form in forms or [ET.SubElement(translation, "numerusform")]:
                form.text = text
        else:
            translation.text = text
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8"
    )
    return missing


def lrelease(ts: Path, qm: Path) -> None:
    run(qt_tool("lrelease"), "-silent", str(ts), "-qm", str(qm))


def update(lang: str) -> list[str]:
    ts = I18N / f"explorer_{lang}.ts"
    lupdate(ts, lang)
    missing = fill(ts, load_glossary(lang))
    lrelease(ts, ts.with_suffix(".qm"))
    return missing


def check(lang: str) -> list[str]:
    """What is out of date for ``lang`` (empty when the committed files are current)."""
    ts = I18N / f"explorer_{lang}.ts"
    qm = ts.with_suffix(".qm")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts.name
        shutil.copy(ts, fresh)
        lupdate(fresh, lang)
        missing = fill(fresh, load_glossary(lang))
        problems += [f"{ts.name}: no translation for {m}" for m in missing]
        if fresh.read_text(encoding="utf-8") != ts.read_text(encoding="utf-8"):
            problems.append(f"{ts.name} is not current with explorer/")
        built = Path(tmp) / qm.name
        lrelease(ts, built)
        if not qm.is_file() or built.read_bytes() != qm.read_bytes():
            problems.append(f"{qm.name} is not built from {ts.name}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is stale")
    args = parser.parse_args(argv)
    status = 0
    for lang in LANGUAGES:
        found = check(lang) if args.check else update(lang)
        for line in found:
            print(line if args.check else f"explorer_{lang}.ts: not in the glossary: {line}")
        status |= bool(found)
    return status


if __name__ == "__main__":
    sys.exit(main())
