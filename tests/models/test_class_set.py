"""The class set: the class's own drawings as Quick Draw .ndjson (models/data/class_set.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models.data.class_set import ClassSet, default_folder, file_name
from models.data.formats import read_ndjson
from models.data.specs import load_dataset
from models.errors import DataFormatError, ExplorerError


def _moved(strokes: list[np.ndarray], dx: float, k: float = 1.0) -> list[np.ndarray]:
    return [s * k + dx for s in strokes]


def test_a_drawing_is_one_simplified_ndjson_line(tmp_path: Path, drawn_cat: list) -> None:
    cs = ClassSet(tmp_path)
    drawing = cs.add(drawn_cat, "cat", recognized=True)
    lines = (tmp_path / "cat.ndjson").read_text().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert obj["word"] == "cat" and obj["countrycode"] == "local"
    assert obj["recognized"] is True and obj["key_id"] == str(drawing.key_id)
    assert len(obj["drawing"]) == len(drawn_cat)
    xs = [x for stroke in obj["drawing"] for x in stroke[0]]
    ys = [y for stroke in obj["drawing"] for y in stroke[1]]
    assert min(xs) == min(ys) == 0 and max(*xs, *ys) == 255  # simplified: 0..255
    assert read_ndjson(tmp_path / "cat.ndjson")[0] == drawing


def test_one_file_per_word_and_the_spec(
    tmp_path: Path, drawn_cat: list, drawn_digits: dict
) -> None:
    cs = ClassSet(tmp_path)
    cs.add(drawn_cat, "cat")
    assert cs.kind() == "autoencoder"
    assert cs.spec() == f"quickdraw:{tmp_path / 'cat.ndjson'}"
    cs.add(drawn_digits[8], "snow man")
    cs.add(_moved(drawn_cat, 5), "Cat")  # the same word, another case: the same file
    assert [p.name for p in cs.files()] == ["cat.ndjson", "snow man.ndjson"]
    assert cs.words() == ["cat", "snow man"] and cs.kind() == "cvae" and len(cs) == 3
    data = load_dataset(cs.spec())
    assert data.class_names == ("cat", "snow man")
    assert data.labels is not None and data.labels.tolist() == [0, 0, 1]


def test_undo_and_delete(tmp_path: Path, drawn_cat: list) -> None:
    cs = ClassSet(tmp_path)
    first = cs.add(drawn_cat, "cat")
    second = cs.add(_moved(drawn_cat, 3), "cat")
    fish = cs.add(_moved(drawn_cat, 9, 2), "fish")
    undone = cs.undo()
    assert undone is not None and undone.key_id == fish.key_id
    assert not (tmp_path / "fish.ndjson").exists()  # its last drawing took the file along
    removed = cs.delete("cat", first.key_id)
    assert removed is not None and removed.word == "cat"
    assert [e.key_id for e in cs.entries()] == [second.key_id]
    assert cs.undo() is not None and cs.entries() == [] and not cs.can_undo()
    assert cs.undo() is None and cs.delete("cat", 123) is None


def test_bad_words_and_empty_pads(tmp_path: Path, drawn_cat: list) -> None:
    cs = ClassSet(tmp_path)
    for word in ("", "   ", ".hidden", "x" * 61):
        with pytest.raises(ExplorerError):
            cs.add(drawn_cat, word)
    with pytest.raises(ExplorerError, match="draw something first"):
        cs.add([], "cat")
    with pytest.raises(ExplorerError, match="no drawings yet"):
        cs.spec()
    assert file_name("A/b\\c:d") == "a_b_c_d.ndjson"


def test_a_comma_in_the_folder_is_refused_for_several_words(
    tmp_path: Path, drawn_cat: list
) -> None:
    cs = ClassSet(tmp_path / "a,b")
    cs.add(drawn_cat, "cat")
    assert load_dataset(cs.spec()).class_names == ("cat",)  # one file: a comma is fine
    cs.add(drawn_cat, "dog")
    with pytest.raises(ExplorerError, match="comma"):
        cs.spec()


def test_a_damaged_file_is_named_and_kept(tmp_path: Path, drawn_cat: list) -> None:
    (tmp_path / "cat.ndjson").write_text('{"word": "cat", "drawing": [[[1, 2], [3')
    cs = ClassSet(tmp_path)
    with pytest.raises(DataFormatError, match=r"cat\.ndjson, line 1"):
        cs.add(drawn_cat, "cat")
    assert (tmp_path / "cat.ndjson").read_text().startswith('{"word": "cat", "drawing"')


def test_the_default_folder_is_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AE_EXPLORER_DATA", str(tmp_path / "data"))
    assert default_folder() == tmp_path / "data" / "class-set"
    assert ClassSet().folder == default_folder()
    monkeypatch.delenv("AE_EXPLORER_DATA")
    assert "ae-explorer" in str(default_folder())


@pytest.mark.slow
def test_round_trip_add_train_encode(
    tmp_path: Path, drawn_cat: list, drawn_digits: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    """Add drawings of two words, train a CVAE on the set, and encode the set's drawings:
    each gets its code under its own word."""
    from models.cli.main import main

    cs = ClassSet(tmp_path / "set")
    rng = np.random.default_rng(0)
    for i in range(8):
        cs.add(_moved(drawn_cat, rng.uniform(0, 40), rng.uniform(0.8, 1.2)), "cat")
        cs.add(_moved(drawn_digits[0], rng.uniform(0, 40), rng.uniform(0.8, 1.2)), "fish")
        assert len(cs) == 2 * (i + 1)
    assert cs.kind() == "cvae"
    run = tmp_path / "run"
    args = ["train", cs.kind(), "--data", cs.spec(), "--epochs", "1", "--batch-size", "8",
            "--hidden-units", "16", "--quiet", "--out", str(run)]  # fmt: skip
    assert main(args) == 0
    config = json.loads((run / "config.json").read_text())
    assert config["class_names"] == ["cat", "fish"]
    out = tmp_path / "codes"
    assert main(["encode", str(run), "--data", cs.spec(), "--out", str(out)]) == 0
    with np.load(out / "codes.npz") as f:
        assert len(f["z_mean"]) == 16 and np.all(np.isfinite(f["z_mean"]))
    meta = (out / "metadata.tsv").read_text().splitlines()[1:]
    assert sorted(m.split("\t")[0] for m in meta) == ["0"] * 8 + ["1"] * 8  # cat, fish
