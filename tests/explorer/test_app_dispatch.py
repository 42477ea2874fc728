"""``ae-explorer WORD``: commands go to the CLI, existing files to the window, the rest is
one line on stderr and exit status 2 (it used to open the window, and hang headless)."""

from __future__ import annotations

from pathlib import Path

import pytest

import explorer.app as app


@pytest.fixture
def no_window(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    opened: list[list[str]] = []
    monkeypatch.setattr(app, "run_gui", lambda files=(): opened.append(list(files)) or 0)
    return opened


@pytest.mark.parametrize(
    "argv, needle",
    [
        (
            ["trian", "vae"],
            "'trian' is neither a command (train, evaluate, bench, interpolate, encode, "
            "replay) nor an "
            "existing file; did you mean 'train'?",
        ),
        (["frobnicate"], "'frobnicate' is neither a command"),
        (["/no/such/cats.bin"], "'/no/such/cats.bin' is neither a command"),
    ],
)
def test_unknown_words_and_missing_files_are_one_line_and_exit_2(
    argv: list[str], needle: str, no_window: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert app.main(argv) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("ae-explorer: error: ") and needle in line
    assert no_window == []


def test_a_folder_is_refused_and_an_existing_file_opens_the_window(
    tmp_path: Path, no_window: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert app.main([str(tmp_path)]) == 2
    assert "not a file" in capsys.readouterr().err and no_window == []
    data = tmp_path / "cats.bin"
    data.write_bytes(b"")
    assert app.main([str(data)]) == 0
    assert no_window == [[str(data)]]
    assert app.main([]) == 0 and no_window[-1] == []


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    from models.paths import version

    with pytest.raises(SystemExit) as info:
        app.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"ae-explorer {version()}"
