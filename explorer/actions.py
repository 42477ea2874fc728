"""The window's menus, the dialogs behind them (open, load, save, export), and the offer to
reopen a run that closing the window cut short.

Kept apart from :mod:`explorer.main_window`, which only assembles the tabs: each function
here takes the window and talks to its controller. The actions are kept as attributes of
the window (``window.open_action`` ...) for shortcuts and tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from explorer import draw_actions
from explorer.compare_models import compare_dir, compare_models
from explorer.i18n import arg, category_label, kind_label
from explorer.panels.compare.map import shown_title
from explorer.session import (
    clear_interrupted,
    crashed,
    find_interrupted,
    has_model,
    resumable_run,
    sessions_dir,
)
from explorer.widgets.common import add_action
from explorer.widgets.save_dialog import ask_save_path
from models.errors import ExplorerError
from models.nets.kinds import KINDS

if TYPE_CHECKING:
    from explorer.main_window import MainWindow

DATA_FILTER: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "actions", "Sketches and digits (*.bin *.ndjson *.npy *.npz *.gz *.csv *ubyte*);;All files (*)"
)


def build_menus(window: MainWindow) -> None:
    """File, Model, View, Training and Help; the actions tests and shortcuts use are kept
    as attributes of the window (``window.open_action`` ...)."""
    bar = window.menuBar()
    file_menu = bar.addMenu(QCoreApplication.translate("actions", "&File"))
    w: Any = window
    w.open_action = add_action(
        w,
        file_menu,
        QCoreApplication.translate("actions", "&Open data file…"),
        lambda: choose_file(w),
        QKeySequence.StandardKey.Open,
    )
    w.open_folder_action = add_action(
        w,
        file_menu,
        QCoreApplication.translate("actions", "Open &folder of pictures…"),
        lambda: choose_folder(w),
        "Ctrl+Shift+F",
    )
    w.download_action = add_action(
        w,
        file_menu,
        QCoreApplication.translate("actions", "&Download Quick Draw category…"),
        w.open_download_dialog,
        "Ctrl+D",
    )
    file_menu.addSeparator()
    w.load_action = add_action(
        w,
        file_menu,
        QCoreApplication.translate("actions", "&Load weights…"),
        lambda: choose_weights(w),
        "Ctrl+L",
    )
    w.save_action = add_action(
        w,
        file_menu,
        QCoreApplication.translate("actions", "&Save weights…"),
        lambda: choose_save_weights(w),
        QKeySequence.StandardKey.Save,
    )
    w.export_action = add_action(
        w,
        file_menu,
        QCoreApplication.translate("actions", "&Export current view as PNG…"),
        lambda: choose_export(w),
        "Ctrl+E",
    )
    draw_actions.add_file_actions(w, file_menu)
    file_menu.addSeparator()
    quit_text = QCoreApplication.translate("actions", "&Quit")
    w.quit_action = add_action(w, file_menu, quit_text, w.close, "Ctrl+Q")
    w.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    model_menu = bar.addMenu(QCoreApplication.translate("actions", "&Model"))
    build_model_menu(w, model_menu)

    view = bar.addMenu(QCoreApplication.translate("actions", "&View"))
    for i in range(w.tabs.count()):
        action = view.addAction(w.tabs.tabText(i))
        action.setShortcut(f"Ctrl+{i + 1}")
        action.triggered.connect(lambda _=False, i=i: w.tabs.setCurrentIndex(i))

    train_menu = bar.addMenu(QCoreApplication.translate("actions", "&Training"))
    c = w.controller
    start = QCoreApplication.translate("actions", "&Start")
    w.start_action = add_action(w, train_menu, start, w.training.request_start, "Ctrl+Return")
    pause = QCoreApplication.translate("actions", "&Pause / Resume")
    w.pause_action = add_action(w, train_menu, pause, c.toggle_pause, "Ctrl+P")
    stop = QCoreApplication.translate("actions", "S&top")
    w.stop_action = add_action(w, train_menu, stop, w.training.stop_requested.emit, "Ctrl+.")
    w.continue_action = add_action(
        w,
        train_menu,
        QCoreApplication.translate("actions", "&Continue the stopped run"),
        w.training.request_continue,
    )

    help_menu = bar.addMenu(QCoreApplication.translate("actions", "&Help"))
    about = QCoreApplication.translate("actions", "&About")
    add_action(w, help_menu, about, lambda: show_about(w))


SHIPPED_MODELS: tuple[tuple[str, str], ...] = (  # type: ignore[assignment]
    ("vae", QT_TRANSLATE_NOOP("ModelMenu", "Digit VAE")),
    ("cvae", QT_TRANSLATE_NOOP("ModelMenu", "Digit CVAE")),
    ("autoencoder", QT_TRANSLATE_NOOP("ModelMenu", "Autoencoder (sketches)")),
    ("sketch_cvae", QT_TRANSLATE_NOOP("ModelMenu", "Sketch CVAE")),
)
"""(slot id, English menu text) of each shipped model the session holds, in menu order."""
RECENT_RUNS = 8


def build_model_menu(window: MainWindow, menu: QMenu) -> None:
    """Every shipped model by name (each opens in its own slot, beside the others), the
    comparison models (into their Compare map), the recent runs, and the reverts."""
    w: Any = window
    w.shipped_actions = {}
    menu.addSection(QCoreApplication.translate("ModelMenu", "Shipped models"))
    for slot_id, text in SHIPPED_MODELS:
        if slot_id not in w.session.slots:
            continue
        action = menu.addAction(QCoreApplication.translate("ModelMenu", text))
        action.setToolTip(
            QCoreApplication.translate(
                "ModelMenu", "Show the model that ships with the app (the others stay loaded)"
            )
        )
        action.triggered.connect(lambda _=False, s=slot_id: open_shipped(w, s))
        w.shipped_actions[slot_id] = action
    compare = menu.addMenu(QCoreApplication.translate("ModelMenu", "Comparison models"))
    for index, (name, title) in enumerate(compare_models()):
        action = compare.addAction(shown_title(title))
        action.triggered.connect(lambda _=False, i=index, n=name: open_compare_model(w, i, n))
        w.shipped_actions[f"compare/{name}"] = action
    w.recent_menu = menu.addMenu(QCoreApplication.translate("ModelMenu", "Recent runs"))
    w.recent_menu.aboutToShow.connect(lambda: fill_recent_runs(w))
    fill_recent_runs(w)
    menu.addSeparator()
    w.revert_actions = {}
    for spec in KINDS.values():
        action = QAction(
            arg(
                QCoreApplication.translate("ModelMenu", "Revert to shipped %1"),
                kind_label(spec.short_name),
            ),
            w,
        )
        action.setToolTip(
            QCoreApplication.translate("ModelMenu", "Show the model that ships with the app again")
        )
        action.triggered.connect(lambda _=False, k=spec.name: w.controller.revert_to_shipped(k))
        menu.addAction(action)
        w.revert_actions[spec.name] = action


def open_shipped(window: MainWindow, slot_id: str) -> None:
    """Show a shipped model in its slot and the tab that shows it."""
    window.controller.load_shipped(slot_id)
    slot = window.session.slot(slot_id)
    panel = slot.spec.panels[0] if slot.spec.panels else None
    if panel in window.panels:
        window.tabs.setCurrentWidget(window.panels[panel])


def open_compare_model(window: MainWindow, index: int, name: str) -> None:
    """A shipped comparison model, in its own map of the Compare tab."""
    window.tabs.setCurrentWidget(window.compare)
    window.compare.load_run(index, compare_dir(name))


def recent_runs(limit: int = RECENT_RUNS) -> list[Path]:
    """The newest session folders that hold a saved model."""
    base = sessions_dir()
    try:
        folders = [p for p in base.iterdir() if p.is_dir() and has_model(p)]
    except OSError:
        return []
    folders.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    return folders[:limit]


def fill_recent_runs(window: MainWindow) -> None:
    menu: QMenu = window.recent_menu  # type: ignore[attr-defined]
    menu.clear()
    runs = recent_runs()
    if not runs:
        menu.addAction(QCoreApplication.translate("ModelMenu", "(none yet)")).setEnabled(False)
    for folder in runs:
        action = menu.addAction(folder.name)
        action.setToolTip(str(folder))
        action.triggered.connect(lambda _=False, f=folder: window.load_weights(f))


# -- an interrupted run from last time ---------------------------------------------------------
CONTINUE: str = QT_TRANSLATE_NOOP("actions", "Continue training")  # type: ignore[assignment]
REOPEN: str = QT_TRANSLATE_NOOP("actions", "Reopen")  # type: ignore[assignment]
DISMISS: str = QT_TRANSLATE_NOOP("actions", "Dismiss")  # type: ignore[assignment]
"""The banner's answers (shown, and emitted back, in the window's language)."""


def _said(word: str) -> str:
    """One of the banner's answers as the window says it."""
    return QCoreApplication.translate("actions", word)


def offer_interrupted(window: MainWindow) -> Path | None:
    """A non-modal banner if the last window closed mid-training (its run was saved) or
    crashed (its checkpoints were kept): reopen the model, or continue the run."""
    path = find_interrupted()
    if path is None:
        return None
    run = resumable_run(path)
    choices = [_said(CONTINUE)] if run is not None else []
    if has_model(path) or not crashed(path):  # a closed window's run saved its model
        choices.insert(0, _said(REOPEN))
    so_far = ""
    if run is not None:
        so_far = QCoreApplication.translate("actions", " (epoch %1 of %2)")
        so_far = arg(so_far, run.epochs_done, run.epochs)
    if crashed(path):
        text = QCoreApplication.translate(
            "actions",
            "A training run did not end: the window crashed or was killed. Its checkpoints"
            "%1 are in %2. Continue training?",
        )
    else:
        text = QCoreApplication.translate(
            "actions",
            "Training was interrupted when the window closed; what it had learned%1 "
            "is saved as %2. Reopen the interrupted run?",
        )
    window.banner.offer(arg(text, so_far, path.name), *choices, _said(DISMISS))
    window.banner.setToolTip(str(path))
    return path


def answer_interrupted(window: MainWindow, choice: str) -> None:
    """Every answer stops the offer; "Reopen" loads the saved model, "Continue training"
    trains on from the last checkpoint (also offered later by the Training tab)."""
    path = window.interrupted
    if path is None:
        return
    clear_interrupted(path)
    window.interrupted = None
    if choice in (REOPEN, _said(REOPEN)):
        window.load_weights(path)
    elif choice in (CONTINUE, _said(CONTINUE)) and not window.controller.is_running:
        window.tabs.setCurrentWidget(window.training)
        window.controller.continue_run(path)
    window.training.refresh_continue()


# -- dialogs -----------------------------------------------------------------------------------
def choose_file(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(
        window,
        QCoreApplication.translate("actions", "Open a Quick Draw or MNIST file"),
        "",
        QCoreApplication.translate("actions", DATA_FILTER),
    )
    if path:
        window.open_file(path)


def choose_folder(window: MainWindow) -> None:
    """Pick a folder of pictures (read as ``images:FOLDER``, its subfolders or file names
    giving the labels) or of Quick Draw ``.ndjson`` files (one class each)."""
    directory = QFileDialog.getExistingDirectory(
        window, QCoreApplication.translate("actions", "Open a folder of pictures")
    )
    if directory:
        window.open_file(directory)


def choose_weights(window: MainWindow) -> None:
    """Pick a model folder; the dialog starts in the sessions folder (runs kept at close)."""
    start = sessions_dir()
    try:
        start.mkdir(parents=True, exist_ok=True)
    except OSError:
        start = Path.home()
    directory = QFileDialog.getExistingDirectory(
        window,
        QCoreApplication.translate("actions", "Load weights from a model folder"),
        str(start),
    )
    if directory:
        window.load_weights(directory)


def choose_save_weights(window: MainWindow) -> None:
    slot = window.current_slot()
    if slot.model is None:
        if window.tf_loader.is_ready:
            text = QCoreApplication.translate(
                "actions", "There is no %1 in memory to save yet; train one first."
            )
        else:
            text = QCoreApplication.translate(
                "actions",
                "There is no %1 in memory to save yet; train one first (TensorFlow is still "
                "loading).",
            )
        window.report_error(
            QCoreApplication.translate("actions", "Save weights"),
            arg(text, kind_label(slot.spec.display_name)),
        )
        return
    directory = QFileDialog.getExistingDirectory(
        window, QCoreApplication.translate("actions", "Save weights into a folder")
    )
    if directory:
        window.save_weights(slot.id, directory)


def choose_export(window: MainWindow) -> None:
    name = window.tabs.tabText(window.tabs.currentIndex()).replace("&", "").lower()
    path = ask_save_path(
        window,
        QCoreApplication.translate("actions", "Export the current view as PNG"),
        f"{name.replace(' ', '-')}.png",
        QCoreApplication.translate("actions", "PNG images (*.png)"),
    )
    if path:
        window.export_current(path)


def open_download_dialog(window: MainWindow) -> Any:
    """The Quick Draw download dialog (non-modal); a downloaded category opens at once."""
    from explorer.widgets.download_dialog import DownloadDialog

    def downloaded(category: str, path: object) -> None:
        window.open_file(Path(str(path)))
        text = QCoreApplication.translate("actions", "Downloaded Quick Draw “%1”")
        window.show_status(arg(text, category_label(category)), 10_000)

    dialog = DownloadDialog(window)
    dialog.downloaded.connect(downloaded)
    dialog.open()
    return dialog


def export_current(window: MainWindow, path: str | Path) -> Path | None:
    panel = window.tabs.currentWidget()
    try:
        written = Path(panel.export_png(path))  # type: ignore[attr-defined]
    except (ExplorerError, OSError) as exc:
        window.report_error(
            QCoreApplication.translate("actions", "Could not export the picture"), str(exc)
        )
        return None
    window.show_status(arg(QCoreApplication.translate("actions", "Saved %1"), written), 10_000)
    return written


def show_about(window: MainWindow) -> None:
    title = window.windowTitle()
    QMessageBox.about(
        window,
        arg(QCoreApplication.translate("actions", "About %1"), title),
        arg(
            QCoreApplication.translate(
                "actions",
                "<b>%1</b><p>Train and explore autoencoders, variational autoencoders and "
                "conditional VAEs.</p><p>Data: MNIST (LeCun, Cortes, Burges); Quick, Draw! "
                "(Google, CC BY 4.0).</p>",
            ),
            title,
        ),
    )
