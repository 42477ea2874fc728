"""Quick Draw readers and writer: the binary layout, ndjson (simplified and raw), numpy
bitmaps, every kind of bad file, keeping what comes before a damaged tail, and fuzzing."""

from __future__ import annotations

import json
import struct
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.data.formats import rdp, scan_binary
from models.data.quickdraw import (
    Drawing,
    normalize_strokes,
    read_binary,
    read_ndjson,
    read_numpy_bitmap,
    write_binary,
)
from models.errors import DataFormatError, TruncatedFileWarning


def _stroke(*points: tuple[int, int]) -> np.ndarray:
    return np.array(points, dtype=np.uint8).T


def _drawings() -> list[Drawing]:
    return [
        Drawing(5201136883597312, "VE", True, 1488497110, [_stroke((130, 72), (113, 40))]),
        Drawing(
            2**64 - 1,
            "US",
            False,
            2**32 - 1,
            [_stroke((0, 0), (255, 255), (0, 255)), _stroke((7, 9)), _stroke((1, 2), (1, 2))],
        ),
        Drawing(1, "ZZ", True, 0, []),  # no strokes: still a valid record
        Drawing(42, "--", True, 12345, [np.zeros((2, 300), np.uint8) + 3]),  # n_points > 255
    ]


def _ndjson_line(d: Drawing, word: str = "cat") -> str:
    return json.dumps(
        {
            "word": word,
            "countrycode": d.countrycode,
            "timestamp": d.timestamp,
            "recognized": d.recognized,
            "key_id": str(d.key_id),
            "drawing": [[s[0].tolist(), s[1].tolist()] for s in d.strokes],
        }
    )


# --------------------------------------------------------------------------- binary


def test_binary_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cat.bin"
    write_binary(path, _drawings())
    back = read_binary(path)
    assert back == _drawings()
    assert all(s.dtype == np.uint8 and s.shape[0] == 2 for d in back for s in d.strokes)
    assert [d.word for d in back] == [None] * 4  # the binary format has no word


def test_binary_layout_is_little_endian(tmp_path: Path) -> None:
    """Built by hand from the specification: a reader that used native or big-endian
    order would read n_points 0x0102 as 513, not 258."""
    xs = bytes(i % 256 for i in range(258))
    ys = bytes(258)
    record = struct.pack("<Q2sBIH", 0x0102030405060708, b"GB", 1, 0x5A5A0102, 1)
    record += struct.pack("<H", 258) + xs + ys
    path = tmp_path / "hand.bin"
    path.write_bytes(record * 2)
    d = read_binary(path)
    assert len(d) == 2
    assert (d[0].key_id, d[0].countrycode, d[0].recognized) == (0x0102030405060708, "GB", True)
    assert d[0].timestamp == 0x5A5A0102
    assert d[0].strokes[0].shape == (2, 258)
    assert d[0].strokes[0][0].tobytes() == xs and d[0].strokes[0][1].tobytes() == ys
    write_binary(tmp_path / "again.bin", d)
    assert (tmp_path / "again.bin").read_bytes() == record * 2


def test_scan_binary_gives_flat_strokes_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "cat.bin"
    write_binary(path, _drawings())
    contents = scan_binary(path)
    table = contents.table()
    assert table.strokes_per_drawing.tolist() == [1, 3, 0, 1]
    assert table.stroke_lengths.tolist() == [2, 3, 1, 2, 300]
    expected = np.concatenate([s for d in _drawings() for s in d.strokes], axis=1)
    assert np.array_equal(np.stack([table.x, table.y]), expected)
    meta = contents.metadata()
    assert meta["key_id"].dtype == np.uint64 and meta["key_id"][1] == 2**64 - 1
    assert meta["countrycode"].tolist() == ["VE", "US", "ZZ", "--"]
    assert meta["recognized"].tolist() == [True, False, True, True]
    assert meta["timestamp"].tolist() == [1488497110, 2**32 - 1, 0, 12345]


def test_write_binary_is_atomic_and_refuses_bad_drawings(tmp_path: Path) -> None:
    path = tmp_path / "cat.bin"
    write_binary(path, _drawings()[:1])
    before = path.read_bytes()
    bad = [
        Drawing(1, "USA", True, 0, []),
        Drawing(1, "US", True, 2**32, []),
        Drawing(-1, "US", True, 0, []),
        Drawing(1, "US", True, 0, [np.array([[0.5, 1.0], [2.0, 3.0]])]),  # raw floats
        Drawing(1, "US", True, 0, [np.array([[0, 256], [0, 0]])]),
        Drawing(1, "US", True, 0, [np.zeros((3, 2), np.uint8)]),
    ]
    for d in bad:
        with pytest.raises(ValueError, match="drawing 1"):
            write_binary(path, [_drawings()[0], d])
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cat.bin"]  # no temporary files
    # integral floats and wider integer types are fine
    ok = Drawing(1, "US", True, 0, [np.array([[0.0, 255.0], [1.0, 2.0]])])
    write_binary(path, [ok])
    assert np.array_equal(read_binary(path)[0].strokes[0], [[0, 255], [1, 2]])


def _good_bytes(tmp_path: Path) -> bytes:
    write_binary(tmp_path / "good.bin", _drawings())
    return (tmp_path / "good.bin").read_bytes()


def _record_starts(data: bytes) -> list[int]:
    starts, pos = [], 0
    while pos < len(data):
        starts.append(pos)
        (strokes,) = struct.unpack_from("<H", data, pos + 15)
        pos += 17
        for _ in range(strokes):
            (n,) = struct.unpack_from("<H", data, pos)
            pos += 2 + 2 * n
    return starts


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b, s: b[: s[3] + 5], r"byte {s3}: drawing 4 is cut off in its 17-byte header"),
        (lambda b, s: b[: s[3] + 17 + 2 + 100], r"byte {s3}: drawing 4 is cut off in stroke 1"),
        (lambda b, s: b[: s[2]], None),  # a clean cut between records is a whole file
        (
            lambda b, s: b[: s[1] + 17 + 2 + 6 + 2 + 2],  # after stroke 2 of 3
            r"byte {s1}: drawing 2 declares 3 strokes but the file ends after 2",
        ),
        (
            lambda b, s: b[: s[1] + 17 + 2 + 6 + 1],
            r"byte {s1}: drawing 2 is cut off in the point count of stroke 2",
        ),
        (
            lambda b, s: b[: s[2] + 10] + b"\x07" + b[s[2] + 11 :],
            r"byte {s2}: drawing 3 is not a valid .*recognized flag is 7",
        ),
        (
            lambda b, s: b[: s[1] + 8] + b"\x00\x00" + b[s[1] + 10 :],
            r"byte {s1}: drawing 2 is not a valid .*country code",
        ),
    ],
)
def test_damaged_binary_names_file_and_byte(tmp_path: Path, damage, message) -> None:  # type: ignore[no-untyped-def]
    good = _good_bytes(tmp_path)
    starts = _record_starts(good)
    path = tmp_path / "bad.bin"
    path.write_bytes(damage(good, starts))
    if message is None:
        assert len(read_binary(path)) == 2
        return
    pattern = message.format(s1=starts[1], s2=starts[2], s3=starts[3])
    with pytest.raises(DataFormatError, match=pattern) as info:
        read_binary(path)
    assert info.value.path == path and str(path) in str(info.value)


def test_stroke_count_running_past_the_end(tmp_path: Path) -> None:
    """A record that claims 65535 strokes of 65535 points in a tiny file fails at once."""
    path = tmp_path / "huge.bin"
    path.write_bytes(struct.pack("<Q2sBIH", 1, b"US", 1, 0, 65535) + b"\xff\xff" * 3)
    with pytest.raises(DataFormatError, match="byte 0: drawing 1 is cut off in stroke 1 of 65535"):
        read_binary(path)


def test_empty_missing_and_garbage_binary(tmp_path: Path) -> None:
    (tmp_path / "empty.bin").write_bytes(b"")
    with pytest.raises(DataFormatError, match=r"empty\.bin, byte 0: empty file"):
        read_binary(tmp_path / "empty.bin")
    with pytest.raises(DataFormatError, match="file not found"):
        read_binary(tmp_path / "missing.bin")
    with pytest.raises(DataFormatError, match="is a folder"):
        read_binary(tmp_path)
    (tmp_path / "text.bin").write_text('{"word": "cat", "drawing": []}\n' * 3)
    with pytest.raises(DataFormatError, match=r"byte 0: .*not a valid Quick Draw binary record"):
        read_binary(tmp_path / "text.bin")


def test_keep_partial_keeps_drawings_before_a_cut(tmp_path: Path) -> None:
    good = _good_bytes(tmp_path)
    starts = _record_starts(good)
    path = tmp_path / "cut.bin"
    path.write_bytes(good[: starts[3] + 30])
    with pytest.warns(TruncatedFileWarning, match=rf"cut\.bin, byte {starts[3]}.*kept the 3"):
        kept = read_binary(path, keep_partial=True)
    assert kept == _drawings()[:3]
    path.write_bytes(good[:20])  # nothing whole to keep: still an error
    with pytest.raises(DataFormatError, match="byte 0"):
        read_binary(path, keep_partial=True)


# --------------------------------------------------------------------------- ndjson


def test_simplified_ndjson_matches_binary(tmp_path: Path) -> None:
    drawings = _drawings()
    path = tmp_path / "cat.ndjson"
    path.write_text("\n".join(_ndjson_line(d) for d in drawings) + "\n\n")
    back = read_ndjson(path)
    assert [d.word for d in back] == ["cat"] * 4
    for d in back:
        d.word = None
    assert back == drawings
    assert all(s.dtype == np.uint8 for d in back for s in d.strokes)


def test_ndjson_timestamps_and_key_ids(tmp_path: Path) -> None:
    line = {
        "word": "cat",
        "countrycode": "VE",
        "timestamp": "2017-03-02 23:25:10.07453 UTC",
        "recognized": True,
        "key_id": "5201136883597312",
        "drawing": [[[1, 2], [3, 4]]],
    }
    path = tmp_path / "one.ndjson"
    path.write_text(
        json.dumps(line) + "\n" + json.dumps({**line, "timestamp": "2017-03-02 23:25:10 UTC"})
    )
    a, b = read_ndjson(path)
    assert a.timestamp == b.timestamp == 1488497110  # UTC seconds, the fraction dropped
    assert a.key_id == 5201136883597312


def test_raw_ndjson_is_normalized_like_the_simplified_set(tmp_path: Path) -> None:
    # A long straight stroke with many points, a corner, a tap; offset, in floats, with
    # times. The drawing is 255 wide, so the scale is 1 and the corner falls on the
    # 1-unit resampling grid.
    xs = np.linspace(1000.0, 1255.0, 81)
    ys = np.full(81, 300.0)
    corner = [[1255.0, 1255.0, 1155.0], [300.0, 400.0, 400.0], [0, 10, 20]]
    raw: dict[str, Any] = {
        "word": "cat",
        "countrycode": "DE",
        "timestamp": "2017-01-01 00:00:00 UTC",
        "recognized": False,
        "key_id": "7",
        "drawing": [
            [xs.tolist(), ys.tolist(), list(range(81))],
            corner,
            [[1155.0], [350.0], [5]],
        ],
    }
    path = tmp_path / "raw.ndjson"
    path.write_text(json.dumps(raw) + "\n")
    (d,) = read_ndjson(path)
    assert all(s.dtype == np.uint8 for s in d.strokes)
    line, corner_s, tap = d.strokes
    assert line.tolist() == [[0, 255], [0, 0]]  # 81 collinear points → 2 (RDP)
    assert corner_s.tolist() == [[255, 255, 155], [0, 100, 100]]
    assert tap.tolist() == [[155, 155], [50, 50]]  # a tap keeps two equal points
    assert (d.key_id, d.countrycode, d.recognized) == (7, "DE", False)
    # Twice as big and shifted: the same simplified drawing.
    for stroke in raw["drawing"]:
        stroke[0] = [2 * v - 77.0 for v in stroke[0]]
        stroke[1] = [2 * v + 5.5 for v in stroke[1]]
    path.write_text(json.dumps(raw) + "\n")
    assert read_ndjson(path)[0] == d


def test_normalize_and_rdp_directly() -> None:
    assert normalize_strokes([]) == []
    (flat,) = normalize_strokes([np.array([[5.0, 5.0], [5.0, 5.0]])])
    assert flat.tolist() == [[0, 0], [0, 0]]
    zig = np.array([[0, 10, 20, 30], [0, 1, 0, 1]], dtype=float)
    assert rdp(zig, 2.0).shape[1] == 2
    assert rdp(zig, 0.5).shape[1] == 4
    with pytest.raises(ValueError, match="too large"):
        normalize_strokes([np.array([[-1e308, 1e308], [0.0, 0.0]])])


GOOD = (
    '{"word":"cat","countrycode":"US","timestamp":0,"recognized":true,"key_id":"1",'
    '"drawing":[[[1,2],[3,4]]]}'
)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2, 3]", "expected a JSON object, found list"),
        ('{"word": "cat"}', "no 'drawing' key"),
        ('{"drawing": 5}', "'drawing' must be a list"),
        ('{"drawing": [[[1, 2]]]}', r"stroke 0 must be \[xs, ys\]"),
        ('{"drawing": [[[1, 2], [3]]]}', "different lengths"),
        ('{"drawing": [[["a", "b"], [3, 4]]]}', "must be a list of numbers"),
        ('{"drawing": [[[1, null], [3, 4]]]}', "must be a list of numbers"),
        ('{"drawing": [[[[1], [2]], [3, 4]]]}', "must be a list of numbers"),
        ('{"drawing": [[[1, NaN], [3, 4]]]}', "not valid JSON"),
        ('{"drawing": [[[1, 1e999], [3, 4]]]}', "out of range"),
        ('{"drawing": [], "key_id": "x7"}', "'key_id' must be"),
        ('{"drawing": [], "timestamp": "yesterday"}', "timestamp 'yesterday'"),
        ('{"drawing": [], "recognized": 1}', "'recognized' must be true or false"),
        ('{"drawing": [], "countrycode": 7}', "'countrycode' must be a string"),
        ('{"drawing": [], "word": ["cat"]}', "'word' must be a string"),
        ('{"drawing": [[[1, 2], [3, 4]]', "not valid JSON"),  # cut off
        ("[" * 100_000, "not valid JSON"),  # nesting too deep for Python
    ],
)
def test_bad_ndjson_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_text(f"{GOOD}\n\n{GOOD}\n{line}\n{GOOD}\n")
    with pytest.raises(DataFormatError, match=rf"bad\.ndjson, line 4: .*{message}"):
        read_ndjson(path)


def test_ndjson_encoding_empty_and_keep_partial(tmp_path: Path) -> None:
    path = tmp_path / "x.ndjson"
    path.write_bytes(GOOD.encode() + b"\n" + b'{"word": "\xff"}\n')
    with pytest.raises(DataFormatError, match="line 2: not UTF-8"):
        read_ndjson(path)
    path.write_text("  \n\n")
    with pytest.raises(DataFormatError, match="line 1: empty file"):
        read_ndjson(path)
    path.write_text(f"{GOOD}\n{GOOD}\n{GOOD[:40]}")  # a download cut in the last line
    with pytest.warns(TruncatedFileWarning, match=r"x\.ndjson, line 3: .*kept the 2"):
        assert len(read_ndjson(path, keep_partial=True)) == 2


# --------------------------------------------------------------------------- numpy bitmap


@pytest.mark.parametrize("shape", [(5, 784), (5, 1, 784), (5, 28, 28)])
def test_numpy_bitmap_shapes(tmp_path: Path, shape: tuple[int, ...]) -> None:
    rows = np.random.default_rng(0).integers(0, 256, (5, 784), dtype=np.uint8)
    np.save(tmp_path / "cat.npy", rows.reshape(shape))
    images = read_numpy_bitmap(tmp_path / "cat.npy")
    assert images.dtype == np.uint8 and images.shape == (5, 28, 28)
    assert np.array_equal(images, rows.reshape(5, 28, 28))
    assert images.flags.writeable


def test_numpy_bitmap_fortran_order(tmp_path: Path) -> None:
    rows = np.arange(3 * 784, dtype=np.uint64).astype(np.uint8).reshape(3, 784)
    np.save(tmp_path / "f.npy", np.asfortranarray(rows))
    assert np.array_equal(read_numpy_bitmap(tmp_path / "f.npy"), rows.reshape(3, 28, 28))


def test_bad_numpy_bitmaps(tmp_path: Path) -> None:
    path = tmp_path / "bad.npy"
    np.save(path, np.zeros((4, 784), np.float32))
    with pytest.raises(DataFormatError, match="dtype is float32"):
        read_numpy_bitmap(path)
    np.save(path, np.zeros((4, 100), np.uint8))
    with pytest.raises(DataFormatError, match=r"shape \(4, 100\)"):
        read_numpy_bitmap(path)
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(DataFormatError, match="dtype is object"):
        read_numpy_bitmap(path)  # refused from the header: nothing is unpickled
    np.save(path, np.zeros((4, 784), np.uint8))
    whole = path.read_bytes()
    path.write_bytes(whole[:-100])
    with pytest.raises(DataFormatError, match=rf"byte {len(whole) - 100}: file is cut off"):
        read_numpy_bitmap(path)
    path.write_bytes(whole[:20])
    with pytest.raises(DataFormatError, match=r"bad \.npy header"):
        read_numpy_bitmap(path)
    path.write_bytes(b"")
    with pytest.raises(DataFormatError, match="empty file"):
        read_numpy_bitmap(path)
    path.write_bytes(b"PK\x03\x04 not a npy")
    with pytest.raises(DataFormatError, match=r"byte 0: not a NumPy \.npy file"):
        read_numpy_bitmap(path)
    with pytest.raises(DataFormatError, match="file not found"):
        read_numpy_bitmap(tmp_path / "none.npy")


def test_numpy_bitmap_header_claiming_a_huge_shape_is_cheap(tmp_path: Path) -> None:
    path = tmp_path / "huge.npy"
    header = "{'descr': '|u1', 'fortran_order': False, 'shape': (10000000000, 784), }"
    header += " " * (127 - 10 - len(header)) + "\n"  # magic + header: 128 bytes
    path.write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    with pytest.raises(DataFormatError, match="file is cut off"):
        read_numpy_bitmap(path)


# --------------------------------------------------------------------------- fuzzing


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _valid_or_format_error(reader, path: Path) -> None:  # type: ignore[no-untyped-def]
    """A reader may only return well-formed drawings/bitmaps or raise DataFormatError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TruncatedFileWarning)
        try:
            result = reader(path)
        except DataFormatError as exc:
            assert exc.path == path
            return
    if isinstance(result, np.ndarray):
        assert result.dtype == np.uint8 and result.ndim == 3 and result.shape[1:] == (28, 28)
        return
    assert isinstance(result, list) and result
    for d in result:
        assert isinstance(d, Drawing) and isinstance(d.key_id, int)
        assert isinstance(d.countrycode, str) and isinstance(d.timestamp, int)
        for s in d.strokes:
            assert s.dtype == np.uint8 and s.ndim == 2 and s.shape[0] == 2


_READERS: dict[str, list[Callable[[Path], object]]] = {
    ".bin": [read_binary, lambda p: read_binary(p, keep_partial=True)],
    ".ndjson": [read_ndjson, lambda p: read_ndjson(p, keep_partial=True)],
    ".npy": [read_numpy_bitmap],
}


def _fuzz(folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    for reader in _READERS[suffix]:
        _valid_or_format_error(reader, path)


FUZZ = settings(
    max_examples=100, deadline=2000, suppress_health_check=[HealthCheck.too_slow], database=None
)


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from(sorted(_READERS)))
def test_random_bytes_never_crash_a_reader(fuzz_dir: Path, data: bytes, suffix: str) -> None:
    _fuzz(fuzz_dir, data, suffix)


@pytest.fixture(scope="module")
def valid_files(fuzz_dir: Path) -> dict[str, bytes]:
    write_binary(fuzz_dir / "v.bin", _drawings())
    raw = json.dumps(
        {"word": "cat", "key_id": "3", "drawing": [[[1.5, 20.25, 7.0], [3.0, 4.5, 9.0], [0, 1, 2]]]}
    )
    ndjson = "\n".join([_ndjson_line(d) for d in _drawings()[:2]] + [raw])
    np.save(fuzz_dir / "v.npy", np.arange(2 * 784).astype(np.uint8).reshape(2, 1, 784))
    return {
        ".bin": (fuzz_dir / "v.bin").read_bytes(),
        ".ndjson": ndjson.encode(),
        ".npy": (fuzz_dir / "v.npy").read_bytes(),
    }


@FUZZ
@given(
    suffix=st.sampled_from(sorted(_READERS)),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["set", "insert", "delete", "cut"]),
            st.integers(0, 10**6),
            st.integers(0, 255),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_valid_files_never_crash_a_reader(
    fuzz_dir: Path, valid_files: dict[str, bytes], suffix: str, edits: list[tuple[str, int, int]]
) -> None:
    data = bytearray(valid_files[suffix])
    for op, where, value in edits:
        i = where % (len(data) + 1)
        if op == "set" and i < len(data):
            data[i] = value
        elif op == "insert":
            data.insert(i, value)
        elif op == "delete" and i < len(data):
            del data[i]
        elif op == "cut":
            del data[i:]
    _fuzz(fuzz_dir, bytes(data), suffix)


def test_a_large_garbage_file_is_read_in_linear_time(tmp_path: Path) -> None:
    """1 MB of plausible-looking records with a cut at the very end: one pass, no blow-up."""
    record = struct.pack("<Q2sBIH", 1, b"US", 1, 0, 2) + (struct.pack("<H", 3) + bytes(6)) * 2
    path = tmp_path / "big.bin"
    path.write_bytes(record * (1_000_000 // len(record)) + record[:-1])
    with pytest.warns(TruncatedFileWarning):
        drawings = read_binary(path, keep_partial=True)
    assert len(drawings) == 1_000_000 // len(record)
