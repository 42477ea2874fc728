"""Can the window reach a display? Asked before the QApplication is made, without Qt.

Qt aborts the whole process (exit 134, after pages of its own text) when its platform
plugin finds no display, or when QT_QPA_PLATFORM names a plugin it lacks; its hint about
``libxcb-cursor0`` misleads where the library is there. So the platforms Qt would try are
checked here first, the way Qt itself connects: the X server's socket (DISPLAY), the
Wayland compositor's socket (WAYLAND_DISPLAY under XDG_RUNTIME_DIR), the plugin file.
A local socket answers at once; only a remote X display (DISPLAY=host:N) may take up to
:data:`CONNECT_TIMEOUT_S`. Platforms that need no display (offscreen, minimal, vnc...)
are not probed.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from pathlib import Path

CONNECT_TIMEOUT_S = 1.0
"""Longest wait for a remote X server to accept a connection."""
X_SOCKETS = Path("/tmp/.X11-unix")
"""Where local X servers listen (X{N} for display :N; Linux also has the abstract name)."""
_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")


def display_problem() -> str | None:
    """Why Qt could not open a window here, in words ("cannot open the display with
    QT_QPA_PLATFORM=xcb: DISPLAY is not set"), or None when a platform Qt would try can be
    reached (or cannot be checked)."""
    if not sys.platform.startswith("linux"):
        return None
    chosen = os.environ.get("QT_QPA_PLATFORM", "").strip()
    problems = []
    for name in qt_platforms():
        problem = platform_problem(name)
        if problem is None:
            return None  # Qt takes the first platform that works
        problems.append(problem)
    if not problems:
        return None
    setting = f" with QT_QPA_PLATFORM={chosen}" if chosen else ""
    return f"cannot open the display{setting}: " + ", and ".join(problems)


def qt_platforms() -> list[str]:
    """The platform plugins Qt tries, in order: QT_QPA_PLATFORM's list ("wayland;xcb",
    each name without its ":options"), else Wayland first in a Wayland session, then X11."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return [part.split(":", 1)[0].strip() for part in chosen.split(";") if part.strip()]
    wayland = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland"
    return ["wayland", "xcb"] if wayland else ["xcb"]


def platform_problem(name: str) -> str | None:
    """Why the platform plugin ``name`` would fail here, or None."""
    plugins = plugin_names()
    if plugins and name not in plugins and f"{name}-generic" not in plugins:
        return f"Qt has no platform {name!r} here (it has {', '.join(sorted(plugins))})"
    if name == "xcb":
        return x11_problem()
    if name.startswith("wayland"):
        return wayland_problem()
    return None  # offscreen, minimal, vnc, eglfs...: no display server to reach


def plugin_names() -> set[str]:
    """The platform plugins Qt can load ("xcb", "offscreen"...): PySide6's own and those on
    QT_QPA_PLATFORM_PLUGIN_PATH / QT_PLUGIN_PATH; empty when none can be found (no claim)."""
    from importlib.util import find_spec

    own = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")
    folders = [Path(p) for p in own.split(os.pathsep) if p]
    extra = os.environ.get("QT_PLUGIN_PATH", "")
    folders += [Path(p) / "platforms" for p in extra.split(os.pathsep) if p]
    spec = find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        folders += [
            Path(root) / "Qt" / "plugins" / "platforms" for root in spec.submodule_search_locations
        ]
    names: set[str] = set()
    for folder in folders:
        try:
            names.update(p.name[4:-3] for p in folder.glob("libq*.so"))
        except OSError:
            continue
    return names


def x11_problem() -> str | None:
    """Why no X server answers at DISPLAY, or None."""
    display = os.environ.get("DISPLAY", "").strip()
    if not display:
        return "DISPLAY is not set"
    match = _DISPLAY.match(display)
    if match is None:
        return f"DISPLAY={display} is not a display name (like :0 or host:10.0)"
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        path = X_SOCKETS / f"X{number}"
        if _unix_answers("\0" + str(path)) or _unix_answers(str(path)):
            return None
        return f"no X server at DISPLAY={display} (nothing listens on {path})"
    try:
        with socket.create_connection((host, 6000 + number), timeout=CONNECT_TIMEOUT_S):
            return None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return f"no X server at DISPLAY={display} ({host}:{6000 + number}: {reason})"


def wayland_problem() -> str | None:
    """Why no Wayland compositor answers at WAYLAND_DISPLAY, or None."""
    if os.environ.get("WAYLAND_SOCKET"):
        return None  # a socket handed down by the compositor: nothing to look up
    name = os.environ.get("WAYLAND_DISPLAY", "").strip() or "wayland-0"
    if os.path.isabs(name):
        path = Path(name)
    else:
        runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
        if not runtime:
            return f"XDG_RUNTIME_DIR is not set, so WAYLAND_DISPLAY={name} cannot be found"
        path = Path(runtime) / name
    if _unix_answers(str(path)):
        return None
    return f"no Wayland compositor at {path} (WAYLAND_DISPLAY={name})"


def _unix_answers(address: str) -> bool:
    """True when a server accepts connections on the Unix socket ``address``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(CONNECT_TIMEOUT_S)
        try:
            s.connect(address)
        except OSError:
            return False
    return True
