"""``images:FOLDER``: the user's own pictures as data (models/data/images.py)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from models.data import images as imgs
from models.data.specs import load_dataset, spec_family
from models.errors import DataFormatError, DataSpecError, SkippedFilesWarning
from tests.models.photo_digits import make_folder, sheet

# --------------------------------------------------------------------------- helpers


def _seven(side: int = 120, width: int = 10) -> np.ndarray:
    """Ink (1 on 0) of a hand-drawn-looking 7 in the middle of a side x side square."""
    im = Image.new("L", (side, side), 0)
    from PIL import ImageDraw

    d = ImageDraw.Draw(im)
    s = side / 120
    d.line([(35 * s, 30 * s), (85 * s, 30 * s), (50 * s, 95 * s)], fill=255, width=width)
    return np.asarray(im, np.float32) / 255.0


def _paper(ink: np.ndarray, dark_on_light: bool = True, noise: float = 0.0) -> np.ndarray:
    """Grey levels of ``ink`` on paper (0.9 with dark ink at 0.1, or the reverse)."""
    paper, pen = (0.9, 0.1) if dark_on_light else (0.1, 0.9)
    grey = paper + (pen - paper) * ink
    if noise:
        grey = grey + np.random.default_rng(1).normal(0, noise, grey.shape)
    return np.clip(grey, 0, 1).astype(np.float32)


def _u8(grey: np.ndarray) -> np.ndarray:
    return np.rint(grey * 255).astype(np.uint8)


def _conv(grey: np.ndarray, framing: str) -> np.ndarray:
    out = imgs.convert(grey, framing)
    assert out is not None
    return out


def _reference() -> np.ndarray:
    return _conv(_paper(_seven()), "digits")


def _close(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two pictures, slightly blurred (1 = the same; a one-pixel shift of a
    thin stroke still counts as close)."""

    def soft(x: np.ndarray) -> np.ndarray:
        p = np.pad(np.asarray(x, np.float64), 1)
        h, w = x.shape
        return sum(p[i : i + h, j : j + w] for i in range(3) for j in range(3)).ravel()

    return float(np.corrcoef(soft(a), soft(b))[0, 1])


def _one(folder: Path, framing: str = "digits") -> np.ndarray:
    data = load_dataset(f"images:{folder}", family=framing)
    assert len(data) == 1
    return data.images[0]


# --------------------------------------------------------------------------- conversion


def test_a_digit_is_framed_as_mnist_frames_digits() -> None:
    out = _reference()
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.max() == pytest.approx(1.0) and out.min() == 0.0
    rows, cols = np.nonzero(out > 0)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 == 20  # the longer side in the 20x20 box
    mass = out.sum()
    cy = (out.sum(axis=1) * np.arange(28)).sum() / mass
    cx = (out.sum(axis=0) * np.arange(28)).sum() / mass
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5  # centred by mass, as MNIST's


def test_a_sketch_is_framed_as_the_numpy_bitmaps() -> None:
    out = _conv(_paper(_seven()), "sketches")
    rows, cols = np.nonzero(out > 0)
    side = max(np.ptp(rows), np.ptp(cols)) + 1
    assert side == round(28 * 272 / 304)  # the drawing box with its line, of 304 units
    # the box (not the mass) is centred
    assert abs((rows.min() + rows.max()) / 2 - 13.5) <= 1
    assert abs((cols.min() + cols.max()) / 2 - 13.5) <= 1


def test_a_photo_of_a_sketch_lies_where_the_sketch_models_saw_sketches(
    drawn_cat: list[np.ndarray],
) -> None:
    """The cat as the sketch models' training data has it (32x32, the numpy bitmap in the
    middle 28x28), photographed on paper and read back: the same box to a pixel."""
    from models.data.sketch import rasterize_sketch

    seen = rasterize_sketch(drawn_cat, 32, antialias=True)
    photo = sheet(seen[2:30, 2:30], np.random.default_rng(2))
    back = np.pad(_conv(photo, "sketches"), 2)
    for a, b in ((seen, back), (seen.T, back.T)):
        rows, rows_back = np.nonzero(a.max(axis=1) > 0.3)[0], np.nonzero(b.max(axis=1) > 0.3)[0]
        assert abs(rows.min() - rows_back.min()) <= 1 and abs(rows.max() - rows_back.max()) <= 1
    assert _close(back, seen) > 0.9


@pytest.mark.parametrize("dark_on_light", [True, False])
def test_polarity_is_read_from_the_border(dark_on_light: bool) -> None:
    out = _conv(_paper(_seven(), dark_on_light), "digits")
    assert _close(out, _reference()) > 0.99
    assert out[0].max() == 0  # background 0, ink 1, either way round


def test_noisy_uneven_paper_leaves_no_specks() -> None:
    ink = np.pad(_seven(), 200)  # a small digit somewhere on a big sheet
    grey = _paper(ink, noise=0.04)
    grey += np.linspace(-0.05, 0.05, grey.shape[1])[None, :]  # uneven light
    out = _conv(np.clip(grey, 0, 1), "digits")
    assert _close(out, _reference()) > 0.95
    rows, cols = np.nonzero(out > 0)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 == 20  # no speck of noise widened the crop


def test_blank_paper_is_no_picture(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.fromarray(_u8(_paper(np.zeros((60, 60)), noise=0.03))).save(path)
    with pytest.raises(DataFormatError, match=r"blank\.png: no ink found"):
        imgs.picture(path, "digits")


# --------------------------------------------------------------------------- formats, modes


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"])
def test_each_format(tmp_path: Path, suffix: str) -> None:
    Image.fromarray(_u8(_paper(_seven()))).convert("RGB").save(tmp_path / f"seven{suffix}")
    assert _close(_one(tmp_path), _reference()) > 0.97


def test_a_gif_gives_its_first_frame(tmp_path: Path) -> None:
    first = Image.fromarray(_u8(_paper(_seven())))
    other = Image.fromarray(_u8(_paper(np.rot90(_seven()))))
    first.save(tmp_path / "anim.gif", save_all=True, append_images=[other], duration=100)
    assert _close(_one(tmp_path), _reference()) > 0.97


def _modes() -> dict[str, Image.Image]:
    grey = _paper(_seven())
    ink = _seven()
    l8 = Image.fromarray(_u8(grey), "L")
    rgba = np.zeros((*ink.shape, 4), np.uint8)
    rgba[..., :3] = 20
    rgba[..., 3] = _u8(ink)
    light_rgba = rgba.copy()
    light_rgba[..., :3] = 240  # white chalk on transparency
    p_trans = l8.convert("P")
    p_trans.info["transparency"] = p_trans.getpixel((0, 0))
    return {
        "L": l8,
        "RGB": l8.convert("RGB"),
        "RGBA": Image.fromarray(rgba, "RGBA"),
        "RGBA light ink": Image.fromarray(light_rgba, "RGBA"),
        "LA": Image.fromarray(rgba, "RGBA").convert("LA"),
        "P": l8.convert("P"),
        "P transparent": p_trans,
        "I;16": Image.fromarray((grey * 65535).astype(np.uint16)),
        "I": Image.fromarray((grey * 65535).astype(np.int32)),
        "1": l8.point(lambda v: 255 if v > 127 else 0).convert("1"),
    }


@pytest.mark.parametrize("mode", list(_modes()))
def test_each_mode(tmp_path: Path, mode: str) -> None:
    picture = _modes()[mode]
    if mode == "I":  # 32-bit integers: no format here stores them; read as Pillow gives them
        out = _conv(imgs.grey_levels(picture), "digits")
    else:
        picture.save(tmp_path / "seven.png")
        out = _one(tmp_path)
    assert _close(out, _reference()) > 0.95


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    upright = Image.fromarray(_u8(_paper(_seven())))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a phone stores it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 clockwise to view
    stored.save(tmp_path / "photo.jpg", exif=exif, quality=95)
    assert _close(_one(tmp_path), _reference()) > 0.97


def test_any_size(tmp_path: Path) -> None:
    for side in (28, 3000):
        folder = tmp_path / str(side)
        folder.mkdir()
        ink = _seven(side, width=max(2, side // 12))
        Image.fromarray(_u8(_paper(ink))).save(folder / "seven.png")
        assert _close(_one(folder), _reference()) > 0.9


# --------------------------------------------------------------------------- layout, labels


def _digit_folder(tmp_path: Path, names: list[str]) -> Path:
    for name in names:
        (tmp_path / name).mkdir()
        Image.fromarray(_u8(_paper(_seven()))).save(tmp_path / name / "a.png")
    return tmp_path


def test_digit_folders_are_labels(tmp_path: Path) -> None:
    folder = _digit_folder(tmp_path, ["7", "3", "0"])
    data = load_dataset(f"images:{folder}")
    assert data.labels is not None and sorted(data.labels.tolist()) == [0, 3, 7]
    assert data.class_names is None and data.num_classes == 10
    assert spec_family(f"images:{folder}") == "digits"
    assert data.name == f"images:{folder}"


def test_named_folders_are_class_names(tmp_path: Path) -> None:
    folder = _digit_folder(tmp_path, ["fish", "cat"])
    data = load_dataset(f"images:{folder}")
    assert data.class_names == ("cat", "fish") and data.num_classes == 2
    assert data.labels is not None and data.labels.tolist() == [0, 1]
    assert spec_family(f"images:{folder}") == "sketches"


def test_a_flat_folder_is_one_class_without_labels(tmp_path: Path) -> None:
    for i in range(3):
        Image.fromarray(_u8(_paper(_seven()))).save(tmp_path / f"{i}.png")
    data = load_dataset(f"images:{tmp_path}", image_size=32)
    assert len(data) == 3 and data.labels is None and data.class_names is None
    assert data.image_shape == (32, 32)
    assert spec_family(f"images:{tmp_path}") is None


# --------------------------------------------------------------------------- bad pictures


def _good(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        Image.fromarray(_u8(_paper(_seven()))).save(folder / f"good{i}.png")


def _truncated(path: Path) -> None:
    Image.fromarray(_u8(_paper(_seven()))).save(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


BAD = {
    # A PNG signature, then bytes that are no chunk. (Random bytes were a flaky fixture: one
    # run in a few hundred began with a chunk name of four letters and a huge length, which
    # Pillow reports as a truncated file.)
    "corrupt": lambda p: (p / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(200))),
    "truncated": lambda p: _truncated(p / "truncated.png"),
    "empty": lambda p: (p / "empty.jpg").write_bytes(b""),
    "not a picture": lambda p: (p / "notes.txt").write_text("my class's digits"),
    "text named png": lambda p: (p / "fake.png").write_text("not really a picture"),
    "symlink loop": lambda p: (
        (p / "loop_a.png").symlink_to(p / "loop_b.png"),
        (p / "loop_b.png").symlink_to(p / "loop_a.png"),
    ),
    "folder loop": lambda p: (p / "again").symlink_to(p, target_is_directory=True),
}
PROBLEM = {
    "corrupt": "corrupt.png: corrupt picture",
    "truncated": "truncated.png: corrupt or truncated",
    "empty": "empty.jpg: empty file",
    "not a picture": "notes.txt: not a picture",
    "text named png": "fake.png: not a picture",
    "symlink loop": "loop_a.png: symlink loop",
    "folder loop": "again: symlink loop",
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_among_many_is_skipped_in_one_line(tmp_path: Path, case: str) -> None:
    _good(tmp_path / "7", 5)
    BAD[case](tmp_path / "7")
    with pytest.warns(SkippedFilesWarning) as record:
        data = load_dataset(f"images:{tmp_path}")
    assert len(data) == 5
    assert len(record) == 1
    message = str(record[0].message)
    assert "\n" not in message
    assert "skipped" in message and PROBLEM[case] in message


@pytest.mark.parametrize("case", list(BAD))
def test_strict_refuses_a_bad_file(tmp_path: Path, case: str) -> None:
    _good(tmp_path / "7", 2)
    BAD[case](tmp_path / "7")
    with pytest.raises(DataFormatError, match="--strict") as info:
        load_dataset(f"images:{tmp_path}", strict=True)
    assert PROBLEM[case].split(": ", 1)[1] in str(info.value)


def test_a_decompression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _good(tmp_path, 2)
    Image.new("L", (300, 300), 255).save(tmp_path / "bomb.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 200 * 200)  # 90,000 px is over it
    with pytest.warns(SkippedFilesWarning, match=r"bomb\.png: too many pixels"):
        data = load_dataset(f"images:{tmp_path}")
    assert len(data) == 2
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100 * 100)  # and twice over: Pillow's error
    with pytest.raises(DataFormatError, match=r"bomb\.png: too many pixels"):
        load_dataset(f"images:{tmp_path}", strict=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    _good(tmp_path, 2)
    locked = tmp_path / "locked.png"
    Image.fromarray(_u8(_paper(_seven()))).save(locked)
    locked.chmod(0)
    try:
        with pytest.warns(SkippedFilesWarning, match=r"locked\.png: permission denied"):
            assert len(load_dataset(f"images:{tmp_path}")) == 2
    finally:
        locked.chmod(0o644)


def test_permission_denied_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(As root no file is unreadable: the error Pillow would raise, raised for it.)"""
    _good(tmp_path, 2)
    Image.fromarray(_u8(_paper(_seven()))).save(tmp_path / "locked.png")
    real_open = Image.open

    def open_(path: object, *args: object, **kwargs: object) -> Image.Image:
        if str(path).endswith("locked.png"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Image, "open", open_)
    with pytest.warns(SkippedFilesWarning, match=r"1 permission.*locked\.png: permission denied"):
        assert len(load_dataset(f"images:{tmp_path}")) == 2


def test_a_link_to_the_top_folder_is_no_class(tmp_path: Path) -> None:
    _good(tmp_path / "7", 2)
    (tmp_path / "again").symlink_to(tmp_path, target_is_directory=True)
    with pytest.warns(SkippedFilesWarning, match="again: symlink loop"):
        data = load_dataset(f"images:{tmp_path}")
    assert len(data) == 2 and data.class_names is None
    assert data.labels is not None and data.labels.tolist() == [7, 7]


def test_several_bad_files_are_counted_in_one_line(tmp_path: Path) -> None:
    _good(tmp_path / "3", 6)
    for case in ("corrupt", "empty", "not a picture", "text named png"):
        BAD[case](tmp_path / "3")
    with pytest.warns(SkippedFilesWarning) as record:
        assert len(load_dataset(f"images:{tmp_path}")) == 6
    assert len(record) == 1
    assert "skipped 4 of 10 files (2 not a picture, 1 corrupt, 1 empty" in str(record[0].message)
    with pytest.warns(SkippedFilesWarning):
        source = load_dataset(f"images:{tmp_path}").source
    assert source == f"pictures in {tmp_path} (6 pictures, 4 files skipped)"  # the window shows it


def test_a_folder_without_pictures_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(DataSpecError, match="no pictures in"):
        load_dataset(f"images:{tmp_path}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataSpecError, match="no pictures in"):
        load_dataset(f"images:{tmp_path / 'empty'}")


def test_a_folder_of_only_bad_pictures_is_refused(tmp_path: Path) -> None:
    BAD["corrupt"](tmp_path)
    BAD["empty"](tmp_path)
    with (
        pytest.warns(SkippedFilesWarning),
        pytest.raises(DataSpecError, match="none of the 2 pictures could be used"),
    ):
        load_dataset(f"images:{tmp_path}")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [("images:/no/such/folder", "no such folder"), ("images", "name a folder")],
)
def test_bad_specs(spec: str, problem: str) -> None:
    with pytest.raises(DataSpecError, match=problem):
        load_dataset(spec)


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    Image.fromarray(_u8(_paper(_seven()))).save(tmp_path / "a.png")
    with pytest.raises(DataSpecError, match="is not a folder"):
        load_dataset(f"images:{tmp_path / 'a.png'}")


# --------------------------------------------------------------------------- photos of digits


def _shipped_digits(n_per_digit: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """The shipped CVAE's own digits (decoded near the middle of its map), which it
    recognises: the digits of the photos below."""
    from models.inference.classify import label_posterior
    from models.inference.shipped import shipped_codec

    codec = shipped_codec("cvae")
    assert codec is not None
    rng = np.random.default_rng(3)
    labels = np.repeat(np.arange(10), n_per_digit)
    onehot = np.eye(10, dtype=np.float32)[labels]
    digits = codec.decode(rng.normal(0, 0.6, (len(labels), codec.latent_dim)), onehot)
    known = np.argmax(label_posterior(codec, digits), axis=1) == labels
    return digits[known], labels[known]


def test_photos_of_digits_are_recognised_by_the_shipped_cvae(tmp_path: Path) -> None:
    from models.inference.classify import classification_accuracy
    from models.inference.shipped import shipped_codec

    digits, labels = _shipped_digits()
    assert len(digits) >= 40
    files = make_folder(digits, labels, tmp_path)
    assert {f.suffix for f in files} == {".png", ".jpg"}
    modes = {Image.open(f).mode for f in files}
    assert modes == {"L", "RGB", "RGBA"}
    data = load_dataset(f"images:{tmp_path}", family="digits")
    assert len(data) == len(digits)
    codec = shipped_codec("cvae")
    assert codec is not None
    assert data.labels is not None
    assert classification_accuracy(codec, data.images, data.labels) >= 0.85

    vae = shipped_codec("vae")
    assert vae is not None
    order = np.array([int(Path(f).stem) for f in data.metadata["file"]])
    photo = vae.encode_mean(data.images)
    direct = vae.encode_mean(digits[order])
    apart = np.linalg.norm(photo - direct, axis=1)
    spread = np.linalg.norm(direct - direct.mean(axis=0), axis=1)
    assert np.median(apart) < 0.3 * np.median(spread)  # where the same digits lie


def test_a_photo_sheet_is_bigger_than_its_digit() -> None:
    grey = sheet(np.pad(np.ones((10, 10), np.float32), 9), np.random.default_rng(0))
    assert min(grey.shape) > 28 and grey.max() <= 1 and grey.min() >= 0


# --------------------------------------------------------------------------- streaming


def test_a_folder_streams_as_it_loads(tmp_path: Path) -> None:
    from models.training.streaming import stream_folder

    folder = tmp_path / "pics"
    _good(folder / "2", 3)
    _good(folder / "5", 2)
    BAD["corrupt"](folder / "5")
    spec = f"images:{folder}"
    with pytest.warns(SkippedFilesWarning, match="skipped 1 of 6"):
        loaded = load_dataset(spec, image_size=32)
    for _ in range(2):  # converted, then read back from the cache
        with pytest.warns(SkippedFilesWarning, match="skipped 1 of 6"):
            source = stream_folder(folder, spec, size=32, cache_dir=tmp_path / "cache")
        train, val = source.split(0.2)
        assert source.total_rows == 5 and source.num_classes == 10
        assert source.labels is not None
        assert np.asarray(source.labels).tolist() == loaded.labels.tolist()  # type: ignore[union-attr]
        rows = np.asarray(source.rows[:]).reshape(5, 32, 32) / 255.0
        assert np.abs(rows - loaded.images).max() <= 1 / 255
        assert len(val) == 1 and len(train) == 4
    meta = next((tmp_path / "cache" / "rasterized").glob("images-*.stream")) / "meta.json"
    assert json.loads(meta.read_text())["count"] == 5


# --------------------------------------------------------------------------- fuzzing

_SEED_FILES: dict[str, bytes] = {}


def _seed_file(suffix: str) -> bytes:
    """A small valid picture of each format, to mutate."""
    if suffix not in _SEED_FILES:
        import io

        buf = io.BytesIO()
        form = {".png": "PNG", ".jpg": "JPEG", ".gif": "GIF", ".bmp": "BMP", ".webp": "WEBP"}
        Image.fromarray(_u8(_paper(_seven(40, 4)))).save(buf, form[suffix])
        _SEED_FILES[suffix] = buf.getvalue()
    return _SEED_FILES[suffix]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    suffix=st.sampled_from([".png", ".jpg", ".gif", ".bmp", ".webp"]),
    cut=st.integers(0, 4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=8),
)
def test_mutated_pictures_give_a_picture_or_one_format_error(
    tmp_path: Path, suffix: str, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(_seed_file(suffix))
    for at, value in flips:
        if at < len(data):
            data[at] = value
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(bytes(data[: max(cut, 1)] if cut < len(data) else data))
    try:
        out = imgs.picture(path, "digits")
    except DataFormatError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
    else:
        assert out.shape == (28, 28) and np.all((out >= 0) & (out <= 1))
