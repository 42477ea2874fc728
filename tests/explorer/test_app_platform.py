"""A Linux desktop without Qt's xcb libraries: one line naming the packages, exit 2, and no
QApplication (Qt would print pages and abort)."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import explorer.app as app

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


@pytest.fixture
def x11(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """An X11 session with no platform chosen; making the application fails the test."""
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)

    def no_app() -> None:
        raise AssertionError("QApplication created despite missing libraries")

    monkeypatch.setattr(app, "make_app", no_app)
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(app, "xcb_plugin", lambda: plugin)
    # An X server listens at :0 (the display probe runs first: explorer.display).
    monkeypatch.setattr("explorer.display.X_SOCKETS", tmp_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "X0"))
    server.listen(1)
    yield plugin
    server.close()


def test_missing_xcb_libraries_are_one_line_naming_the_packages(
    x11: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    monkeypatch.setattr(app, "missing_libraries", lambda plugin: missing)
    assert app.main([]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("ae-explorer: error: ")
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in err
    assert "libxcb-cursor.so.0" in err


def test_no_check_where_qt_would_not_use_xcb(x11: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "missing_libraries", lambda plugin: ["libxcb-cursor.so.0"])
    assert app.missing_xcb_reason() is not None
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.missing_xcb_reason() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert app.missing_xcb_reason() is not None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")  # Qt takes its Wayland plugin
    assert app.missing_xcb_reason() is None
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setattr(app, "missing_libraries", lambda plugin: [])
    assert app.missing_xcb_reason() is None


def test_ldd_output_is_read_for_libraries_not_found(
    x11: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ldd = bin_dir / "ldd"
    ldd.write_text(
        "#!/bin/sh\n"
        "echo '\tlibQt6XcbQpa.so.6 => /opt/qt/libQt6XcbQpa.so.6 (0x00007f)'\n"
        "echo '\tlibxcb-icccm.so.4 => not found'\n"
        "echo '\tlibxcb.so.1 => /lib/libxcb.so.1 (0x00007f)'\n"
        "echo '\tlibxcb-icccm.so.4 => not found'\n"
    )
    ldd.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert app.missing_libraries(x11) == ["libxcb-icccm.so.4"]
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no ldd: cannot tell, so no claim
    assert app.missing_libraries(x11) == []
