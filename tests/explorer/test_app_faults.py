"""Start-up faults of the window (issue 18): a display Qt cannot reach, a platform it does
not have, Ctrl+C while importing, SIGTERM while open: one line on stderr and an exit
status, never Qt's abort or a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import explorer.app as app
from explorer import display

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
ROOT = Path(__file__).resolve().parents[2]
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM",
                "XDG_SESSION_TYPE", "XDG_RUNTIME_DIR")  # fmt: skip


def _window(env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``ae-explorer`` (the window) as a user starts it, with ``env`` for the display."""
    base = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    return subprocess.run(
        [sys.executable, "-m", "explorer"],
        env={**base, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize(
    "env, needle",
    [
        ({"QT_QPA_PLATFORM": "xcb"}, "with QT_QPA_PLATFORM=xcb: DISPLAY is not set"),
        ({"DISPLAY": ":87"}, "no X server at DISPLAY=:87"),
        ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":87"}, "QT_QPA_PLATFORM=xcb: no X server"),
        ({"QT_QPA_PLATFORM": "bogus"}, "Qt has no platform 'bogus' here (it has "),
        (
            {"WAYLAND_DISPLAY": "wayland-87", "XDG_RUNTIME_DIR": "/tmp"},
            "no Wayland compositor at /tmp/wayland-87 (WAYLAND_DISPLAY=wayland-87), "
            "and DISPLAY is not set",
        ),
        ({"DISPLAY": "nonsense"}, "DISPLAY=nonsense is not a display name"),
    ],
)
def test_an_unreachable_display_is_one_line_not_a_qt_abort(
    env: dict[str, str], needle: str
) -> None:
    started = time.monotonic()
    done = _window(env)
    assert done.returncode == 2, done.stderr  # Qt's abort: 134 (or -6), pages of text
    err = done.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ae-explorer: error: cannot open the display") and needle in err, err
    assert "libxcb-cursor0" not in err
    assert time.monotonic() - started < 20  # no Qt, no TensorFlow: the probe is quick


@pytest.fixture
def clean_display(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DISPLAY_VARS:
        monkeypatch.delenv(name, raising=False)


@contextmanager
def _listening(address: str) -> Iterator[None]:
    """A server (X or Wayland, to the probe) listening on the Unix socket ``address``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(address)
        server.listen(1)
        yield
    os.unlink(address)


def test_a_listening_x_server_or_compositor_passes_the_probe_quickly(
    clean_display: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(display, "X_SOCKETS", tmp_path)
    monkeypatch.setenv("DISPLAY", ":5.0")
    assert "no X server at DISPLAY=:5.0" in (display.display_problem() or "")
    with _listening(str(tmp_path / "X5")):
        started = time.perf_counter()
        assert display.display_problem() is None
        assert time.perf_counter() - started < 0.5  # start-up must not wait on it
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-3")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert "no Wayland compositor" in (display.display_problem() or "")
    with _listening(str(tmp_path / "wayland-3")):
        assert display.display_problem() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland;xcb")  # Qt's list: either will do
    monkeypatch.setenv("DISPLAY", ":5")
    with _listening(str(tmp_path / "X5")):
        assert display.display_problem() is None


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "offscreen:size=800x600"])
def test_platforms_without_a_display_are_not_probed(
    clean_display: None, monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    def no_probe(address: str) -> bool:
        raise AssertionError("probed a display for a platform that needs none")

    monkeypatch.setattr(display, "_unix_answers", no_probe)
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    assert display.display_problem() is None


# -- Ctrl+C while the command line or the window is still importing (case 1) -----------------


class _Interrupting(types.ModuleType):
    """A module whose every name raises KeyboardInterrupt: Ctrl+C during its import."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # (pytest's repr of it, importlib's own look-ups)
            raise AttributeError(name)
        raise KeyboardInterrupt


@pytest.mark.parametrize(
    "module, argv", [("models.cli.main", ["train", "--help"]), ("explorer.main_window", [])]
)
def test_ctrl_c_during_start_up_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    module: str,
    argv: list[str],
) -> None:
    monkeypatch.setitem(sys.modules, module, _Interrupting(module))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # the window's path passes its checks
    assert app.main(argv) == 130
    assert capsys.readouterr().err == "ae-explorer: interrupted\n"


@pytest.mark.slow
@pytest.mark.parametrize("after_s", [1.0, 5.0])
def test_sigterm_during_start_up_is_one_line_and_143(after_s: float) -> None:
    """A real process: SIGTERM soon after start (importing Qt, building the window, or
    while TensorFlow imports in the background, which silences fd 2)."""
    base = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    env = {**base, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "AE_EXPLORER_OFFLINE": "1"}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(after_s)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143, err
    # (The offscreen platform's own "does not support propagateSizeHints()" may come first.)
    ours = [line for line in err.splitlines() if "propagateSizeHints" not in line]
    assert ours == ["ae-explorer: terminated"], err


# -- SIGTERM while the window is open: it closes (and saves) as by its close button ---------


@pytest.fixture
def sigterm_restored() -> Iterator[None]:
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, previous)


def test_sigterm_closes_the_window_through_its_close_event(qtbot, sigterm_restored) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    closed: list[bool] = []

    class Window(QMainWindow):
        def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
            closed.append(True)  # the real window stops training and saves here
            super().closeEvent(event)

    sigterm = app.SigtermCloses()
    window = Window()
    qtbot.addWidget(window)
    window.show()
    sigterm.attach(window)
    assert not sigterm.terminated
    os.kill(os.getpid(), signal.SIGTERM)
    qtbot.waitUntil(lambda: bool(closed), timeout=5000)
    assert sigterm.terminated and not window.isVisible()
    sigterm.detach()


def test_sigterm_while_the_window_is_built_closes_it_once_built(qtbot, sigterm_restored) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    sigterm = app.SigtermCloses()
    os.kill(os.getpid(), signal.SIGTERM)  # noted, not raised inside Qt's code
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    sigterm.attach(window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert sigterm.terminated
    sigterm.detach()
