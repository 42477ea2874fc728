"""The window's menus, the dialogs behind them (open, load, save, export), and the offer to
reopen a run that closing the window cut short.

Kept apart from :mod:`explorer.main_window`, which only assembles the tabs: each function
here takes the window and talks to its controller. The actions are kept as attributes of
the window (``window.open_action`` ...) for shortcuts and tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explorer import draw_actions
from explorer.session import (
    clear_interrupted,
    crashed,
    find_interrupted,
    has_model,
    resumable_run,
    sessions_dir,
)
from explorer.widgets.common import add_action
from models.errors import ExplorerError
from models.nets.kinds import KINDS

if TYPE_CHECKING:
    from explorer.main_window import MainWindow

DATA_FILTER = "Sketches and digits (*.bin *.ndjson *.npy *.npz *.gz *.csv *ubyte*);;All files (*)"


def build_menus(window: MainWindow) -> None:
    """File, Model, View, Training and Help; the actions tests and shortcuts use are kept
    as attributes of the window (``window.open_action`` ...)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    w: Any = window
    w.open_action = add_action(
        w, file_menu, "&Open data file…", lambda: choose_file(w), QKeySequence.StandardKey.Open
    )
    w.download_action = add_action(
        w, file_menu, "&Download Quick Draw category…", w.open_download_dialog, "Ctrl+D"
    )
    file_menu.addSeparator()
    w.load_action = add_action(w, file_menu, "&Load weights…", lambda: choose_weights(w), "Ctrl+L")
    w.save_action = add_action(
        w,
        file_menu,
        "&Save weights…",
        lambda: choose_save_weights(w),
        QKeySequence.StandardKey.Save,
    )
    w.export_action = add_action(
        w, file_menu, "&Export current view as PNG…", lambda: choose_export(w), "Ctrl+E"
    )
    draw_actions.add_file_actions(w, file_menu)
    file_menu.addSeparator()
    w.quit_action = add_action(w, file_menu, "&Quit", w.close, "Ctrl+Q")
    w.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    model_menu = bar.addMenu("&Model")
    w.revert_actions = {}
    for spec in KINDS.values():
        action = QAction(f"Revert to shipped {spec.short_name}", w)
        action.setToolTip(f"Show the {spec.display_name} that ships with the app again")
        action.triggered.connect(lambda _=False, k=spec.name: w.controller.revert_to_shipped(k))
        model_menu.addAction(action)
        w.revert_actions[spec.name] = action

    view = bar.addMenu("&View")
    for i in range(w.tabs.count()):
        action = view.addAction(w.tabs.tabText(i))
        action.setShortcut(f"Ctrl+{i + 1}")
        action.triggered.connect(lambda _=False, i=i: w.tabs.setCurrentIndex(i))

    train_menu = bar.addMenu("&Training")
    c = w.controller
    w.start_action = add_action(w, train_menu, "&Start", w.training.request_start, "Ctrl+Return")
    w.pause_action = add_action(w, train_menu, "&Pause / Resume", c.toggle_pause, "Ctrl+P")
    w.stop_action = add_action(w, train_menu, "S&top", w.training.stop_requested.emit, "Ctrl+.")
    w.continue_action = add_action(
        w, train_menu, "&Continue the stopped run", w.training.request_continue
    )

    help_menu = bar.addMenu("&Help")
    add_action(w, help_menu, "&About", lambda: show_about(w))


# -- an interrupted run from last time ---------------------------------------------------------
CONTINUE = "Continue training"


def offer_interrupted(window: MainWindow) -> Path | None:
    """A non-modal banner if the last window closed mid-training (its run was saved) or
    crashed (its checkpoints were kept): reopen the model, or continue the run."""
    path = find_interrupted()
    if path is None:
        return None
    run = resumable_run(path)
    choices = [CONTINUE] if run is not None else []
    if has_model(path) or not crashed(path):  # a closed window's run saved its model
        choices.insert(0, "Reopen")
    so_far = f" (epoch {run.epochs_done} of {run.epochs})" if run is not None else ""
    if crashed(path):
        text = (
            f"A training run did not end: the window crashed or was killed. Its checkpoints"
            f"{so_far} are in {path.name}. Continue training?"
        )
    else:
        text = (
            f"Training was interrupted when the window closed; what it had learned{so_far} "
            f"is saved as {path.name}. Reopen the interrupted run?"
        )
    window.banner.offer(text, *choices, "Dismiss")
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
    if choice == "Reopen":
        window.load_weights(path)
    elif choice == CONTINUE and not window.controller.is_running:
        window.tabs.setCurrentWidget(window.training)
        window.controller.continue_run(path)
    window.training.refresh_continue()


# -- dialogs -----------------------------------------------------------------------------------
def choose_file(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(
        window, "Open a Quick Draw or MNIST file", "", DATA_FILTER
    )
    if path:
        window.open_file(path)


def choose_weights(window: MainWindow) -> None:
    """Pick a model folder; the dialog starts in the sessions folder (runs kept at close)."""
    start = sessions_dir()
    try:
        start.mkdir(parents=True, exist_ok=True)
    except OSError:
        start = Path.home()
    directory = QFileDialog.getExistingDirectory(
        window, "Load weights from a model folder", str(start)
    )
    if directory:
        window.load_weights(directory)


def choose_save_weights(window: MainWindow) -> None:
    slot = window.current_slot()
    if slot.model is None:
        loading = "" if window.tf_loader.is_ready else " (TensorFlow is still loading)"
        window.report_error(
            "Save weights",
            f"There is no {slot.spec.display_name} in memory to save yet; train one first"
            f"{loading}.",
        )
        return
    directory = QFileDialog.getExistingDirectory(window, "Save weights into a folder")
    if directory:
        window.save_weights(slot.kind, directory)


def choose_export(window: MainWindow) -> None:
    name = window.tabs.tabText(window.tabs.currentIndex()).lower().replace(" ", "-")
    path, _ = QFileDialog.getSaveFileName(
        window, "Export the current view as PNG", f"{name}.png", "PNG images (*.png)"
    )
    if path:
        window.export_current(path)


def open_download_dialog(window: MainWindow) -> Any:
    """The Quick Draw download dialog (non-modal); a downloaded category opens at once."""
    from explorer.widgets.download_dialog import DownloadDialog

    def downloaded(category: str, path: object) -> None:
        window.open_file(Path(str(path)))
        window.show_status(f"Downloaded Quick Draw {category!r}", 10_000)

    dialog = DownloadDialog(window)
    dialog.downloaded.connect(downloaded)
    dialog.open()
    return dialog


def export_current(window: MainWindow, path: str | Path) -> Path | None:
    panel = window.tabs.currentWidget()
    try:
        written = Path(panel.export_png(path))  # type: ignore[attr-defined]
    except (ExplorerError, OSError) as exc:
        window.report_error("Could not export the picture", str(exc))
        return None
    window.show_status(f"Saved {written}", 10_000)
    return written


def show_about(window: MainWindow) -> None:
    title = window.windowTitle()
    QMessageBox.about(
        window,
        f"About {title}",
        f"<b>{title}</b><p>Train and explore autoencoders, variational autoencoders and "
        "conditional VAEs.</p><p>Data: MNIST (LeCun, Cortes, Burges); Quick, Draw! "
        "(Google, CC BY 4.0).</p>",
    )
