"""Several Quick Draw categories as one labelled data set (issue 8, part 1)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from models.data.dataset import Dataset, match_classes
from models.data.doodles import generate_doodles
from models.data.formats import write_binary
from models.data.quickdraw import npy_category_name, rasterize
from models.data.sketch import ndjson_line
from models.data.specs import load_dataset
from models.errors import DataSpecError


def write_npy(path: Path, n: int, seed: int = 0) -> Path:
    """``n`` doodles in the official numpy-bitmap layout: uint8 (N, 784), ink 255."""
    images = np.asarray(rasterize(generate_doodles(n, seed=seed), size=28))
    np.save(path, (images.reshape(n, 784) * 255).round().astype(np.uint8))
    return path


def write_ndjson(path: Path, n: int, word: str, seed: int = 0) -> Path:
    drawings = [dataclasses.replace(d, word=word) for d in generate_doodles(n, seed=seed)]
    path.write_text("".join(ndjson_line(d) + "\n" for d in drawings))
    return path


def write_bin(path: Path, n: int, seed: int = 0) -> Path:
    write_binary(path, generate_doodles(n, seed=seed))
    return path


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("house_plant_1000.npy", "house plant"),
        ("full_numpy_bitmap_sea turtle.npy", "sea turtle"),
        ("full_numpy_bitmap_cat.npy", "cat"),
        ("rainbow.npy", "rainbow"),
        ("my_own_thing_12.npy", "my own thing"),
    ],
)
def test_npy_category_names_come_from_the_file_name(name: str, category: str) -> None:
    assert npy_category_name(Path(name)) == category


def test_files_of_every_format_make_one_labelled_set(tmp_path: Path) -> None:
    plant = write_npy(tmp_path / "house_plant_1000.npy", 5)
    fish = write_ndjson(tmp_path / "things.ndjson", 4, "fish", seed=1)
    cat = write_bin(tmp_path / "cat.bin", 3, seed=2)
    data = load_dataset(f"quickdraw:{plant},{fish},{cat}")
    assert data.class_names == ("house plant", "fish", "cat")
    assert data.labels is not None
    assert data.labels.tolist() == [0] * 5 + [1] * 4 + [2] * 3
    assert data.images.shape == (12, 32, 32) and data.num_classes == 3
    # Each part's own images, in order: the .bin's are the cat doodles rasterized.
    alone = load_dataset(f"quickdraw:{cat}")
    np.testing.assert_array_equal(data.images[9:], alone.images)
    assert alone.class_names == ("cat",) and alone.labels is None


def test_max_per_category_caps_each_part(tmp_path: Path) -> None:
    a = write_npy(tmp_path / "apple_10.npy", 10)
    b = write_npy(tmp_path / "moon_10.npy", 4, seed=3)
    data = load_dataset(f"quickdraw:{a},{b}", max_per_category=6)
    assert data.labels is not None and data.labels.tolist() == [0] * 6 + [1] * 4
    assert len(load_dataset(f"quickdraw:{a}", max_per_category=3)) == 3
    with pytest.raises(DataSpecError, match="at least 1"):
        load_dataset(f"quickdraw:{a}", max_per_category=0)


def test_the_same_category_twice_is_one_label(tmp_path: Path) -> None:
    a = write_npy(tmp_path / "cat_3.npy", 3)
    b = write_ndjson(tmp_path / "more.ndjson", 2, "cat")
    c = write_npy(tmp_path / "dog_2.npy", 2, seed=5)
    data = load_dataset(f"quickdraw:{a},{b},{c}")
    assert data.class_names == ("cat", "dog")
    assert data.labels is not None and data.labels.tolist() == [0, 0, 0, 0, 0, 1, 1]


def test_an_empty_name_between_commas_is_refused(tmp_path: Path) -> None:
    a = write_npy(tmp_path / "cat_3.npy", 3)
    with pytest.raises(DataSpecError, match="empty name"):
        load_dataset(f"quickdraw:{a},,{a}")


def test_category_names_are_matched_to_the_model_by_name() -> None:
    images = np.zeros((3, 8, 8), np.float32)
    cats = Dataset(images, None, "cats", "quickdraw:cat.npy", class_names=("Cat",))
    matched = match_classes(cats, ("dog", "cat", "fish"))
    assert matched.labels is not None and matched.labels.tolist() == [1, 1, 1]
    assert matched.class_names == ("dog", "cat", "fish")
    two = Dataset(images, np.array([0, 1, 0]), "x", "q", num_classes=2, class_names=("fish", "dog"))
    again = match_classes(two, ("dog", "cat", "fish"))
    assert again.labels is not None and again.labels.tolist() == [2, 0, 2]
    with pytest.raises(DataSpecError, match="'owl'"):
        match_classes(Dataset(images, None, "o", "q", class_names=("owl",)), ("dog", "cat"))
    digits = Dataset(images, np.array([1, 2, 3]), "d", "mnist")
    assert match_classes(digits, ("dog",)) is digits
