"""Category downloads against a local HTTP server on 127.0.0.1: success, the cache, URL
quoting, progress, servers that cut the file off, HTTP errors, offline, timeouts, cancel."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from models.data.doodles import generate_doodles
from models.data.quickdraw import (
    DownloadCancelled,
    category_path,
    download_category,
    read_binary,
    write_binary,
)
from models.errors import DownloadError


@dataclass
class Server:
    url: str
    data: bytes
    mode: str = "ok"
    """ok | no-length | drop | cut-no-length | 404 | hang"""
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _HTTPServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        spec = self.server.spec
        spec.requests.append(self.path)
        data = spec.data
        if spec.mode == "404":
            self.send_error(404, "Not Found")
            return
        if spec.mode == "hang":
            spec.release.wait(10)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if spec.mode in ("ok", "drop"):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if spec.mode in ("drop", "cut-no-length"):
            data = data[: len(data) // 2 + 7]  # half-way, inside a record
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True


class _HTTPServer(http.server.ThreadingHTTPServer):
    spec: Server


@pytest.fixture(scope="module")
def fixture_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("served") / "fixture.bin"
    write_binary(path, generate_doodles(40, seed=5) * 40)  # ~200 KB: several chunks
    return path.read_bytes()


@pytest.fixture
def server(fixture_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.delenv("AE_EXPLORER_OFFLINE", raising=False)
    httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
    spec = Server(url=f"http://127.0.0.1:{httpd.server_address[1]}/", data=fixture_bytes)
    httpd.spec = spec
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield spec
    finally:
        spec.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _leftovers(folder: Path) -> list[str]:
    return (
        sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
        if folder.exists()
        else []
    )


def test_download_streams_into_the_cache(server: Server, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    path = download_category(
        "cat",
        cache_dir=tmp_path / "cache",
        base_url=server.url,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert (
        path
        == tmp_path / "cache" / "quickdraw" / "cat.bin"
        == category_path("cat", tmp_path / "cache")
    )
    assert path.read_bytes() == server.data
    assert len(read_binary(path)) == 1600
    assert server.requests == ["/cat.bin"]
    total = len(server.data)
    assert calls[0] == (0, total) and calls[-1] == (total, total) and len(calls) >= 4
    assert _leftovers(tmp_path / "cache") == ["quickdraw", "quickdraw/cat.bin"]


def test_a_cached_category_returns_at_once(server: Server, tmp_path: Path) -> None:
    first = download_category("cat", cache_dir=tmp_path, base_url=server.url)
    again = download_category("cat", cache_dir=tmp_path, base_url="http://127.0.0.1:9/")
    assert again == first and server.requests == ["/cat.bin"]


def test_default_cache_folder_and_quoting(server: Server, tmp_path: Path) -> None:
    """Names with spaces are URL-quoted; without cache_dir the per-user cache is used
    (the test set-up points AE_EXPLORER_CACHE at a temporary folder)."""
    path = download_category("The Eiffel Tower", base_url=server.url)
    assert server.requests == ["/The%20Eiffel%20Tower.bin"]
    assert path == category_path("The Eiffel Tower") and path.name == "The Eiffel Tower.bin"
    assert path.read_bytes() == server.data


def test_without_content_length_a_whole_file_is_accepted(server: Server, tmp_path: Path) -> None:
    server.mode = "no-length"
    calls: list[tuple[int, int]] = []
    path = download_category(
        "cat", cache_dir=tmp_path, base_url=server.url, progress=lambda d, t: calls.append((d, t))
    )
    assert path.read_bytes() == server.data and calls[-1] == (len(server.data), 0)


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("drop", r"connection closed after [\d,]+ of [\d,]+ bytes"),
        ("cut-no-length", "incomplete or damaged"),
        ("404", "HTTP 404"),
    ],
)
def test_failed_downloads_leave_nothing(
    server: Server, tmp_path: Path, mode: str, message: str
) -> None:
    server.mode = mode
    with pytest.raises(DownloadError, match=message) as info:
        download_category("cat", cache_dir=tmp_path, base_url=server.url)
    assert server.url in str(info.value)
    assert not category_path("cat", tmp_path).exists()
    assert [n for n in _leftovers(tmp_path) if n != "quickdraw"] == []  # no .part files
    server.mode = "ok"  # the next try starts afresh and succeeds
    assert download_category("cat", cache_dir=tmp_path, base_url=server.url).is_file()


def test_offline_fails_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AE_EXPLORER_OFFLINE", raising=False)
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(DownloadError, match="cannot connect"):
        download_category("cat", cache_dir=tmp_path, base_url=f"http://127.0.0.1:{port}/")
    assert time.monotonic() - start < 5
    assert _leftovers(tmp_path) == []  # not even the folder


def test_offline_setting_forbids_the_network(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AE_EXPLORER_OFFLINE", "1")
    with pytest.raises(DownloadError, match="offline"):
        download_category("cat", cache_dir=tmp_path, base_url=server.url)
    assert server.requests == []


def test_a_silent_server_times_out(server: Server, tmp_path: Path) -> None:
    server.mode = "hang"
    start = time.monotonic()
    with pytest.raises(DownloadError):
        download_category("cat", cache_dir=tmp_path, base_url=server.url, timeout=0.3)
    assert time.monotonic() - start < 5
    assert not category_path("cat", tmp_path).exists()


def test_cancel_between_chunks(server: Server, tmp_path: Path) -> None:
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > 0:
            cancel.set()

    with pytest.raises(DownloadCancelled, match="cancelled after"):
        download_category(
            "cat", cache_dir=tmp_path, base_url=server.url, progress=progress, cancel=cancel
        )
    assert [n for n in _leftovers(tmp_path) if n != "quickdraw"] == []
    with pytest.raises(DownloadCancelled):  # set before the start: no request at all
        download_category("dog", cache_dir=tmp_path, base_url=server.url, cancel=cancel)
    assert server.requests == ["/cat.bin"]


def test_unknown_category(tmp_path: Path) -> None:
    with pytest.raises(
        DownloadError, match=r"'catt' is not a Quick Draw category; did you mean 'cat'"
    ):
        download_category("catt", cache_dir=tmp_path)
    assert _leftovers(tmp_path) == []
