"""The whole window: tabs, menus, training through it, closing mid-run, bad files."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence

from explorer.controller import TrainingController
from explorer.main_window import TITLE, MainWindow
from explorer.session import Origin, find_interrupted, same_codec, sessions_dir
from models.data.dataset import Dataset


@pytest.fixture
def window(qtbot: Any) -> Any:
    w = MainWindow(
        controller=TrainingController(report_every=1), load_tensorflow=False, load_shipped=False
    )
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def test_window_title_tabs_and_menus(window: MainWindow) -> None:
    assert window.windowTitle().startswith("Autoencoder Explorer") and TITLE in window.windowTitle()
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names == ["Training", "Cats", "Latent map", "CVAE", "Draw", "Compare"]
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        assert not window.tabs.currentWidget().grab().isNull()
    shortcuts = {
        a.text().replace("&", ""): a.shortcut()
        for a in (window.open_action, window.export_action, window.quit_action)
    }
    assert shortcuts["Open data file…"] == QKeySequence("Ctrl+O")
    assert shortcuts["Export current view as PNG…"] == QKeySequence("Ctrl+E")
    assert shortcuts["Quit"] == QKeySequence("Ctrl+Q")


def test_view_menu_entries_show_their_tabs(window: MainWindow) -> None:
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    entries = [a for a in view.actions() if a.shortcut().toString().startswith("Ctrl+")]
    entries = entries[: window.tabs.count()]
    assert [a.text() for a in entries] == [
        window.tabs.tabText(i) for i in range(window.tabs.count())
    ]
    for i in reversed(range(window.tabs.count())):
        entries[i].trigger()
        assert window.tabs.currentIndex() == i


def test_font_is_big_enough_for_a_projector(qtbot: Any) -> None:
    from explorer.app import make_app

    app: Any = make_app()
    assert app.font().pointSize() >= 12


def test_importing_and_showing_the_window_does_not_import_tensorflow() -> None:
    code = (
        "import sys\n"
        "from explorer.app import make_app\n"
        "from explorer.main_window import MainWindow\n"
        "app = make_app()\n"
        "w = MainWindow()\n"
        "w.show(); app.processEvents()\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules, w.tf_label.text())\n"
        "w.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split()[:2] == ["False", "False"]
    assert "Loading TensorFlow" in out.stdout


@pytest.mark.usefixtures("tensorflow_loaded")
def test_tensorflow_loader_says_ready(qtbot: Any) -> None:
    w = MainWindow(load_tensorflow=True, load_shipped=False)
    qtbot.addWidget(w)
    w.show()
    assert w.tf_label.text() == "Loading TensorFlow…"
    with qtbot.waitSignal(w.tf_loader.ready, timeout=60_000):
        pass
    assert w.tf_label.text() == "Ready" and w.tf_loader.is_ready
    w.close()


def test_without_shipped_weights_every_tab_says_what_to_do(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import models.inference.shipped as shipped

    monkeypatch.setattr(shipped, "shipped_dir", lambda kind: tmp_path / kind)
    w = MainWindow(load_tensorflow=False)
    qtbot.addWidget(w)
    assert "train one in the Training tab" in w.statusBar().currentMessage()
    assert w.latent.codec() is None
    assert w.cats.mode == "empty"
    w.close()


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_one_epoch_through_the_window_updates_curves_and_tabs(
    window: MainWindow, qtbot: Any, make_config: Any, digits: Dataset, tmp_path: Path
) -> None:
    with qtbot.waitSignal(window.controller.finished, timeout=60_000):
        window.train(make_config("vae"), digits)
        assert not window.training.start_button.isEnabled()
    x, y = window.training.curve_data("train", "loss")
    assert len(x) > 0 and np.all(np.isfinite(y))
    vx, vy = window.training.curve_data("val", "kl")
    assert list(vx) == [1.0] and np.isfinite(vy[0])
    model = window.controller.model("vae")
    assert window.training.start_button.isEnabled()
    assert "Finished 1 epoch" in window.training.message_label.text()
    # The latent map was hidden: it takes the new model when shown, not before.
    assert window.latent.codec() is None
    window.tabs.setCurrentWidget(window.latent)
    codec = window.latent.codec()
    assert codec is not None
    np.testing.assert_allclose(codec.dec_w, model.codec().dec_w)

    # Save weights, then load them back: the loaded model becomes current for its tabs.
    out = window.save_weights("vae", tmp_path / "mine")
    assert out is not None and (out / "model.weights.h5").is_file()
    window.load_weights(out)
    qtbot.waitUntil(lambda: window.controller.model("vae") is not model, timeout=60_000)
    loaded = window.controller.model("vae")
    assert loaded is not model
    np.testing.assert_allclose(loaded.codec().out_w, model.codec().out_w)


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_start_button_trains_an_opened_dataset(
    window: MainWindow, qtbot: Any, make_config: Any, digits: Dataset
) -> None:
    spec = "mnist:/in/memory.npz"
    window.opened[spec] = digits
    window.training.show_config(make_config("cvae", data=spec))
    with qtbot.waitSignal(window.controller.finished, timeout=60_000):
        window.training.start_button.click()
    outcome = window.controller.last_outcome
    assert outcome is not None and outcome.error is None
    assert outcome.config.model == "cvae" and outcome.info.source == digits.source
    window.tabs.setCurrentWidget(window.cvae)
    assert window.cvae.codec() is not None


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_closing_mid_training_stops_and_keeps_the_model(
    qtbot: Any, make_config: Any, make_bars: Any
) -> None:
    w = MainWindow(controller=TrainingController(report_every=1), load_tensorflow=False)
    qtbot.addWidget(w)
    w.show()
    w.train(make_config("vae", batch_size=16, epochs=50), make_bars(n=240))
    # After its first epoch: before one ends there is no model to keep (issue 13, bug 2).
    qtbot.waitUntil(lambda: w.controller.last_epoch is not None, timeout=60_000)
    assert w.controller.is_running
    w.close()
    assert not w.controller.is_running
    saved = w.saved_session
    assert saved is not None and saved.is_dir()
    assert {"model.weights.h5", "config.json"} <= {p.name for p in saved.iterdir()}
    assert saved.parent == sessions_dir()
    assert find_interrupted() == saved  # the next launch offers it


@pytest.mark.usefixtures("tensorflow_loaded")
def test_nan_data_shows_a_message_and_keeps_no_untrained_model(
    window: MainWindow, qtbot: Any, make_config: Any, digits: Dataset, message_boxes: Any
) -> None:
    images = digits.images.copy()
    images[::2] = np.nan
    with qtbot.waitSignal(window.controller.finished, timeout=60_000):
        window.train(make_config("vae"), Dataset(images, digits.labels, "nan", "nan"))
    assert any("NaN" in t for t in message_boxes.texts)
    assert window.training.start_button.isEnabled()
    # Refused before any epoch: the untrained network is not kept (issue 13, bug 2).
    assert window.controller.last_outcome.model is None


def test_opening_a_corrupt_file_shows_the_error(
    window: MainWindow, qtbot: Any, tmp_path: Path, message_boxes: Any
) -> None:
    bad = tmp_path / "digits.npz"
    bad.write_bytes(b"this is not a zip file at all")
    window.open_file(bad)
    qtbot.waitUntil(lambda: bool(message_boxes.calls), timeout=20_000)
    (kind, _title, text) = message_boxes.calls[0]
    assert kind == "warning" and str(bad) in text
    assert not window.opened


def test_opening_a_truncated_quickdraw_file_shows_the_error(
    window: MainWindow, qtbot: Any, tmp_path: Path, message_boxes: Any
) -> None:
    bad = tmp_path / "cat.bin"
    bad.write_bytes(b"\x01\x02\x03\x04\x05\x06\x07\x08\x09")
    window.open_file(bad)
    qtbot.waitUntil(lambda: bool(message_boxes.calls), timeout=20_000)
    assert "cat.bin" in message_boxes.texts[0]


def test_unknown_file_type_is_refused_at_once(
    window: MainWindow, tmp_path: Path, message_boxes: Any
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    window.open_file(path)
    assert "unsupported file type .txt" in message_boxes.texts[0]


def test_opening_a_quickdraw_file_offers_it_for_training(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    from models.data.formats import Drawing, write_binary
    from models.data.quickdraw import load_bitmaps  # noqa: F401  (the reader the window uses)

    drawings = [
        Drawing(
            word="cat",
            countrycode="FR",
            recognized=True,
            timestamp=1_500_000_000 + i,
            key_id=1000 + i,
            strokes=[np.array([[10 + i, 200], [20, 220]], dtype=np.float64)],
        )
        for i in range(30)
    ]
    path = tmp_path / "cat.bin"
    write_binary(path, drawings)
    window.open_file(path)
    spec = f"quickdraw:{path}"
    qtbot.waitUntil(lambda: spec in window.opened, timeout=20_000)
    assert window.training.kind == "autoencoder" and window.training.data_spec() == spec
    assert len(window.opened[spec]) == 30
    window.tabs.setCurrentWidget(window.cats)  # hidden tabs draw their slot when shown
    assert "cat.bin" in window.cats.source_label.text()  # the Cats tab shows these sketches


def test_drop_a_file_onto_the_window_opens_it(
    window: MainWindow, qtbot: Any, tmp_path: Path, message_boxes: Any
) -> None:
    bad = tmp_path / "dropped.npz"
    bad.write_bytes(b"nope")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(lambda: bool(message_boxes.calls), timeout=20_000)
    assert "dropped.npz" in message_boxes.texts[0]


def test_export_every_tab_as_png(window: MainWindow, tmp_path: Path) -> None:
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        path = window.export_current(tmp_path / f"tab{i}.png")
        assert path is not None and path.is_file() and path.stat().st_size > 1000


def test_export_to_a_missing_folder_is_an_error_box(
    window: MainWindow, tmp_path: Path, message_boxes: Any
) -> None:
    assert window.export_current(tmp_path / "no" / "such" / "x.png") is None
    assert "does not exist" in message_boxes.texts[0]


def test_loading_bad_weights_shows_the_error(
    window: MainWindow, qtbot: Any, tmp_path: Path, message_boxes: Any
) -> None:
    window.load_weights(tmp_path)
    qtbot.waitUntil(lambda: bool(message_boxes.calls), timeout=60_000)
    assert "model.weights.h5" in message_boxes.texts[0]


def test_save_without_a_model_says_so(window: MainWindow, message_boxes: Any) -> None:
    window.tabs.setCurrentWidget(window.cvae)
    window.save_action.trigger()
    assert "no Conditional VAE" in message_boxes.texts[0]


def test_download_dialog_lists_and_filters_categories(qtbot: Any) -> None:
    from explorer.widgets.download_dialog import DownloadDialog

    dialog = DownloadDialog(names=("aircraft carrier", "cat", "dog", "hot dog", "bird"))
    qtbot.addWidget(dialog)
    assert dialog.chosen() == "cat"
    dialog.search.setText("hot")
    assert dialog.visible_names() == ["hot dog"] and dialog.chosen() == "hot dog"
    dialog.search.setText("ca")  # a name that starts with it beats one that contains it
    assert dialog.visible_names() == ["aircraft carrier", "cat"] and dialog.chosen() == "cat"


def test_offline_download_fails_with_a_message_not_a_crash(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.widgets.download_dialog import DownloadDialog

    monkeypatch.setenv("AE_EXPLORER_OFFLINE", "1")
    dialog = DownloadDialog()
    qtbot.addWidget(dialog)
    dialog.select("cat")
    dialog.download_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.error is not None and "offline" in dialog.error
    assert "offline" in dialog.status.text() and dialog.download_button.isEnabled()


def test_app_main_delegates_subcommands_to_the_cli(tmp_path: Path, capsys: Any) -> None:
    from explorer.app import main

    assert main(["evaluate", str(tmp_path / "missing"), "--data", "mnist"]) == 2
    assert "missing" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.usefixtures("tensorflow_loaded")
def test_measure_ui_gaps_returns_a_positive_number(
    qtbot: Any, make_config: Any, digits: Dataset
) -> None:
    from explorer.responsiveness import measure_ui_gaps

    gap = measure_ui_gaps(config=make_config("vae"), data=digits, timeout_s=60)
    assert isinstance(gap, float) and 0.0 < gap < 60_000


class _QuickDrawServer:
    """A local HTTP server for ``<category>.bin`` (no network in tests).

    ``hold`` makes each request wait until ``release`` is set, so a test can press Cancel
    while the download is known to be in flight.
    """

    def __init__(self, payload: bytes, hold: bool = False) -> None:
        import http.server
        import threading

        self.release = threading.Event()
        if not hold:
            self.release.set()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.release.wait(30)
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may have gone (Cancel)
                    self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="test-http")
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


def _cat_bin(tmp_path: Path, n: int = 40) -> bytes:
    from models.data.formats import Drawing, write_binary

    drawings = [
        Drawing(
            word="cat",
            countrycode="GB",
            recognized=True,
            timestamp=1_500_000_000 + i,
            key_id=5000 + i,
            strokes=[np.array([[10 + i, 30, 200], [20, 220, 40]], dtype=np.float64)],
        )
        for i in range(n)
    ]
    path = tmp_path / "served.bin"
    write_binary(path, drawings)
    return path.read_bytes()


@pytest.fixture
def quickdraw_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: Any) -> Any:
    import functools

    import models.data.quickdraw as quickdraw

    server = _QuickDrawServer(_cat_bin(tmp_path), hold=getattr(request, "param", False))
    real = quickdraw.download_category
    monkeypatch.setattr(
        quickdraw, "download_category", functools.partial(real, base_url=server.url)
    )
    monkeypatch.delenv("AE_EXPLORER_OFFLINE", raising=False)
    yield server
    server.close()


def test_download_a_category_then_open_it(
    window: MainWindow, qtbot: Any, quickdraw_server: Any
) -> None:
    window.open_download_dialog()
    dialog = window._download_dialog
    dialog.search.setText("cat")
    assert dialog.chosen() == "cat"
    with qtbot.waitSignal(dialog.downloaded, timeout=20_000):
        dialog.download_button.click()
    assert dialog.bar.value() == 1000 and dialog.path is not None and dialog.path.is_file()
    spec = f"quickdraw:{dialog.path}"
    qtbot.waitUntil(lambda: spec in window.opened, timeout=20_000)
    assert len(window.opened[spec]) == 40
    assert window.training.data_spec() == spec


@pytest.mark.parametrize("quickdraw_server", [True], indirect=True)
def test_cancel_a_download_leaves_nothing_behind(qtbot: Any, quickdraw_server: Any) -> None:
    from explorer.widgets.download_dialog import DownloadDialog
    from models.data.download import category_path

    dialog = DownloadDialog()
    qtbot.addWidget(dialog)
    dialog.select("cat")
    dialog.download_button.click()
    assert dialog.busy and not dialog.download_button.isEnabled()
    dialog.cancel_button.click()  # the server is holding the request: cancel is in time
    quickdraw_server.release.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.error is not None and "cancelled" in dialog.error
    assert dialog.status.text() == "Download cancelled." and dialog.download_button.isEnabled()
    assert not category_path("cat").exists()


def test_shipped_codec_and_points_show_at_once_without_tensorflow(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import h5py

    import models.inference.shipped as shipped
    import models.nets.trained as trained
    from models.nets.codec import MLPCodec
    from models.nets.config import TrainConfig

    vae_dir = tmp_path / "vae"
    vae_dir.mkdir()
    codec = MLPCodec.random(latent=2, hidden=16, seed=1)
    with h5py.File(vae_dir / trained.WEIGHTS_FILE, "w") as f:  # the Keras layout, by name
        for name, (layer, index) in MLPCodec._LAYERS.items():
            f[f"{layer}/vars/{index}"] = getattr(codec, name)
            f[f"{layer}/vars"].attrs["name"] = layer
    config = TrainConfig(model="vae", hidden_units=16, image_size=(28, 28))
    (vae_dir / trained.CONFIG_FILE).write_text(config.to_json())
    z = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    labels = np.arange(50) % 10
    np.savez(vae_dir / trained.POINTS_FILE, z_mean=z, labels=labels)
    monkeypatch.setattr(shipped, "shipped_dir", lambda kind: tmp_path / kind)
    w = MainWindow(load_tensorflow=False)
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentWidget(w.latent)  # a hidden tab draws its slot when shown
    assert same_codec(w.latent.codec(), codec)
    x, y, shown_labels = w.latent.points_data()
    np.testing.assert_allclose(np.sort(x), np.sort(z[:, 0]))
    np.testing.assert_allclose(np.sort(y), np.sort(z[:, 1]))
    assert shown_labels is not None and sorted(shown_labels) == sorted(labels)
    assert w.cvae.codec() is None and "CVAE" in w.statusBar().currentMessage()
    assert not w.busy  # nothing to compute in the background: the points were shipped
    w.close()


def test_no_display_is_one_clear_line_not_a_qt_abort(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import sys

    from explorer.app import main

    if not sys.platform.startswith("linux"):
        return
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no display" in err


# -- the bugs a new user met (issue 6) -----------------------------------------------------------
class FakeAutoencoder:
    """Stands in for the shipped Keras autoencoder once TensorFlow has loaded it."""

    kind = "autoencoder"
    image_shape = (32, 32)

    def reconstruct(self, images: np.ndarray) -> np.ndarray:
        return np.asarray(images, np.float32) * 0.5


class FakeVAE:
    def __init__(self, kind: str, seed: int) -> None:
        from models.nets.codec import MLPCodec

        self.kind = kind
        self.image_shape = (28, 28)
        self._codec = MLPCodec.random(num_classes=10 if kind == "cvae" else 0, seed=seed)

    def codec(self) -> Any:
        return self._codec


def _numpy_bitmap(path: Path, n: int = 40) -> np.ndarray:
    """A Quick Draw numpy_bitmap file: (n, 784) uint8, each drawing a distinct bar."""
    images = np.zeros((n, 28, 28), np.uint8)
    for i in range(n):
        images[i, i % 28, :] = 255
        images[i, :, (3 * i) % 28] = 255
    np.save(path, images.reshape(n, 784))
    return images.astype(np.float32) / 255.0


def _shipped_window(qtbot: Any) -> MainWindow:
    w = MainWindow(controller=TrainingController(report_every=1), load_tensorflow=False)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.mark.parametrize("live", [False, True], ids=["before-tensorflow", "shipped-model-live"])
def test_cats_tab_shows_the_opened_drawings_not_the_shipped_ones(
    qtbot: Any, tmp_path: Path, live: bool
) -> None:
    """Open a numpy_bitmap .npy on the Training tab, then look at Cats: the grid (and
    Resample) draw the file's sketches, as its header says."""
    from models.data.dataset import pad_to

    w = _shipped_window(qtbot)
    slot = w.session.slot("autoencoder")
    shipped = slot.snapshot
    assert shipped is not None and shipped.originals is not None  # the shipped preview
    if live:  # TensorFlow loaded the shipped model while another tab was shown
        w.controller.set_model(FakeAutoencoder(), Origin.SHIPPED, path=slot.path)
    path = tmp_path / "full_numpy_bitmap_cat.npy"
    drawings = pad_to(_numpy_bitmap(path), 32)
    w.open_file(path)
    qtbot.waitUntil(lambda: f"quickdraw:{path}" in w.opened, timeout=20_000)
    assert w.cats.dirty  # hidden: it redraws when shown, not before
    w.tabs.setCurrentWidget(w.cats)
    assert "full_numpy_bitmap_cat.npy" in w.cats.source_label.text()
    assert w.cats.mode == ("live" if live else "waiting")
    for _ in range(2):
        shown = w.cats.shown_originals()
        np.testing.assert_array_equal(shown, drawings[w.cats.sample_indices()])
        assert not any(np.array_equal(s, o) for s in shown[:3] for o in shipped.originals)
        w.cats.resample()
    if live:
        np.testing.assert_allclose(w.cats.shown_reconstructions(), w.cats.shown_inputs() * 0.5)
    w.close()


def test_training_tab_forgets_the_last_run_when_a_file_switches_the_model(
    window: MainWindow, qtbot: Any, tmp_path: Path, make_config: Any
) -> None:
    from models.messages import BatchProgress, EpochResult

    panel = window.training
    config = make_config("vae", epochs=20)
    panel.begin_run(config)
    panel.set_data_text("<b>Data:</b> MNIST digits<br>5,000 for training")
    for epoch in range(3):
        losses = {"loss": 180.0 - epoch, "reconstruction": 170.0, "kl": 6.0}
        panel.show_batch(BatchProgress(epoch, 20, 10, 10, 1000.0, 5.0, losses))
        panel.show_epoch(EpochResult(epoch, 20, losses, losses))
    panel.end_run(
        "Finished 20 epochs.  Final validation loss 170. The other tabs now show this model."
    )
    view = panel.loss_plot.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: view.viewRange()[1][1] > 100)  # the run's nats, once painted
    path = tmp_path / "cat.npy"
    _numpy_bitmap(path)
    window.open_file(path)
    qtbot.waitUntil(lambda: f"quickdraw:{path}" in window.opened, timeout=20_000)
    assert panel.kind == "autoencoder"
    assert "Finished" not in panel.message_label.text()
    assert "cat.npy" in panel.data_label.text() and "MNIST" not in panel.data_label.text()
    item = panel.loss_plot.getPlotItem()
    assert item.getAxis("left").labelText == "BCE per pixel"
    assert item.getViewBox().viewRange()[1][1] < 2  # not the last run's nats
    assert len(panel.curve_data("train", "loss")[0]) == 0 and not panel.kl_plot.isVisible()


def test_revert_to_shipped_model_for_each_kind(qtbot: Any) -> None:
    w = _shipped_window(qtbot)
    assert set(w.revert_actions) == {"autoencoder", "vae", "cvae"}
    main = [w.session.slot(kind) for kind in w.revert_actions]  # one per kind
    shipped = {slot.kind: (slot.codec, slot.snapshot) for slot in main}
    for seed, slot in enumerate(main):
        model = FakeAutoencoder() if not slot.spec.numpy_codec else FakeVAE(slot.kind, seed)
        w.controller.set_model(model, Origin.LOADED, path=Path(f"/models/{slot.kind}"))
        assert slot.origin is Origin.LOADED and slot.model is model
    for slot in main:
        w.tabs.setCurrentWidget(w.panels[slot.spec.panels[0]])
        assert "loaded from" in w.origin_label.text()
        w.revert_actions[slot.kind].trigger()
        assert slot.origin is Origin.SHIPPED and slot.model is None
        codec, snap = shipped[slot.kind]
        assert same_codec(slot.codec, codec) or slot.codec is codec is None
        if snap is not None:  # read from the shipped files again
            assert slot.snapshot is not None
            np.testing.assert_array_equal(slot.snapshot.originals, snap.originals)
        assert "shipped model" in w.origin_label.text()
    assert same_codec(w.latent.codec(), shipped["vae"][0])
    assert same_codec(w.cvae.codec(), shipped["cvae"][0])
    assert w.cats.mode == "snapshot"
    w.close()


def test_the_load_dialog_opens_in_the_sessions_folder(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    asked: list[tuple[Any, ...]] = []

    def fake(*args: Any, **kwargs: Any) -> str:
        asked.append(args)
        return ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(fake))
    window.load_action.trigger()
    assert asked and asked[0][2] == str(sessions_dir()) and sessions_dir().is_dir()


def test_an_interrupted_run_is_offered_at_the_next_launch(qtbot: Any) -> None:
    from explorer.session import mark_interrupted, new_session_dir

    saved = new_session_dir("vae")
    saved.mkdir(parents=True)
    mark_interrupted(saved, epochs=3, batches=120)
    w = MainWindow(load_tensorflow=False, load_shipped=False)
    qtbot.addWidget(w)
    w.show()
    assert w.banner.isVisible() and saved.name in w.banner.label.text()
    assert w.banner.toolTip() == str(saved)
    asked: list[Any] = []
    w.controller.load_weights = asked.append  # type: ignore[method-assign]
    w.banner.buttons["Reopen"].click()
    assert asked == [saved] and not w.banner.isVisible()
    assert find_interrupted() is None  # offered once answered, not at every launch
    w.close()
    again = MainWindow(load_tensorflow=False, load_shipped=False)
    qtbot.addWidget(again)
    assert not again.banner.isVisibleTo(again)
    again.close()


def test_closing_while_tensorflow_loads_ends_the_process_at_once(tmp_path: Path) -> None:
    """Closing during "Loading TensorFlow…" used to keep the process ~9 s for the import."""
    import os
    import time

    script = tmp_path / "close_early.py"
    script.write_text(
        "import sys, time\n"
        "from PySide6.QtCore import QTimer\n"
        "import explorer.main_window as mw\n"
        "show = mw.MainWindow.show\n"
        "def early_close(self):\n"
        "    print('importing', not self.tf_loader.wait(0), flush=True)\n"
        "    print('closing', flush=True)\n"
        "    self.close()\n"
        "def patched(self):\n"
        "    show(self)\n"
        "    QTimer.singleShot(1000, lambda: early_close(self))\n"
        "mw.MainWindow.show = patched\n"
        "from explorer.app import run_gui\n"
        "sys.exit(run_gui([]))\n"
    )
    env = dict(os.environ, AE_EXPLORER_WARMUP="1", PYTHONPATH=os.getcwd())
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    importing = proc.stdout.readline().split()
    assert proc.stdout.readline().strip() == "closing"
    closed = time.monotonic()
    proc.wait(timeout=60)
    elapsed = time.monotonic() - closed
    assert proc.returncode == 0
    if importing != ["importing", "True"]:
        pytest.skip("TensorFlow finished importing within a second: nothing to measure")
    assert elapsed < 3.0, f"the process took {elapsed:.1f} s to end after the window closed"
