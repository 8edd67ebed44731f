"""Restore from backup: the list of backups beside the database (date, reason, people),
restoring one or any file, how many are kept, and the rescue of a damaged database.

Restoring always keeps what it replaces: the current content is backed up first
("before-restore"); a damaged file is kept unchanged under a "-damaged-" name.
"""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.backup import (
    BackupFile,
    BackupSummary,
    RetentionPolicy,
    backup_dir_for,
    damaged_copy_name,
    list_backups,
    load_retention,
    newest_good_backup,
    recover_from_backup,
    restore_backup,
    rotate_backups,
    save_retention,
    summarize_backup,
)
from sro_desktop.db.integrity import DatabaseDamaged, quick_check
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import report_bug, show_error
from sro_desktop.gui.read_only_table import ReadOnlyTableModel, read_only_table

if TYPE_CHECKING:
    from datetime import datetime

    from sro_desktop.gui.main_window import MainWindow

log = logging.getLogger(__name__)
DATABASE_FILTER = "SRO Desktop databases (*.sqlite3 *.sqlite *.db);;All files (*)"


def _size_text(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


class BackupsModel(ReadOnlyTableModel):
    """The backups of one database, newest first; summaries arrive one by one."""

    HEADERS = ("Taken", "Reason", "People", "Size", "Check")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups: list[BackupFile] = []
        self.summaries: dict[Path, BackupSummary] = {}

    def set_backups(self, backups: list[BackupFile]) -> None:
        self.beginResetModel()
        self.backups = backups
        self.summaries = {}
        self.endResetModel()

    def set_summary(self, row: int, summary: BackupSummary) -> None:
        self.summaries[self.backups[row].path] = summary
        self.dataChanged.emit(self.index(row, 2), self.index(row, 4))

    def row_total(self) -> int:
        return len(self.backups)

    def cell(self, row_number: int, column: int, role: int) -> object:
        backup = self.backups[row_number]
        summary = self.summaries.get(backup.path)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if column == 0:
            return f"{backup.taken_at:%Y-%m-%d %H:%M}"
        if column == 1:
            return backup.reason_label
        if summary is None:
            return "…"
        if column == 2:
            return "" if summary.people is None else f"{summary.people:,}"
        if column == 3:
            return _size_text(summary.size_bytes)
        return "ok" if summary.problem is None else f"damaged: {summary.problem}"


class RestoreDialog(QDialog):
    """Lists the backups; `restore_requested(path)` asks the window to restore one."""

    restore_requested = Signal(Path)

    def __init__(
        self, database: Path, parent: QWidget | None = None, *, damaged: bool = False
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("Restore from backup")
        self.resize(760, 460)
        # What happens to the file now there: a sound one is backed up, a damaged one kept.
        self.keeping = (
            "The damaged file is kept unchanged under a new name."
            if damaged
            else "What is in the database now is backed up first."
        )
        intro = QLabel(
            f"Backups of <b>{database.name}</b> are kept in {backup_dir_for(database)}.<br>"
            "Restoring replaces what is in the database now with the backup you choose. "
            + self.keeping
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = BackupsModel(self)
        self.table = read_only_table(self.model, "Backups")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.empty_label = QLabel(
            "There are no backups of this database yet.\n\nThe app makes one by itself when "
            "you close it (at most once a day) and before every import; File > Back up now… "
            "makes one whenever you like."
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)  # where the list will be

        policy = load_retention(database)
        self.keep_last = QSpinBox()
        self.keep_last.setRange(1, 1000)
        self.keep_last.setValue(policy.keep_last)
        self.keep_months = QSpinBox()
        self.keep_months.setRange(0, 120)
        self.keep_months.setValue(policy.keep_months)
        self.keep_last.setAccessibleName("Recent backups to keep")
        self.keep_months.setAccessibleName("Monthly backups to keep")
        retention = QHBoxLayout()
        retention.addWidget(QLabel("Keep the newest"))
        retention.addWidget(self.keep_last)
        retention.addWidget(QLabel("backups and one a month for"))
        retention.addWidget(self.keep_months)
        retention.addWidget(QLabel("months"))
        retention.addStretch(1)
        apply_button = QPushButton("Apply")
        apply_button.clicked.connect(self.apply_retention)
        retention.addWidget(apply_button)

        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button = buttons.addButton(
            "Restore from &file…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.file_button.clicked.connect(self.restore_from_file_dialog)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(retention)
        layout.addWidget(buttons)

        self._pending: list[int] = []
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._summarize_next)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        backups = list_backups(self.database)
        self.model.set_backups(backups)
        self.empty_label.setVisible(not backups)
        self.table.setVisible(bool(backups))
        if backups:
            self.table.selectRow(0)
        # Each summary is a quick check of one file: do them one per event-loop turn, so
        # the dialog shows at once and stays responsive.
        self._pending = list(range(len(backups)))
        self._timer.start()
        self._update_buttons()

    def _summarize_next(self) -> None:
        if not self._pending:
            self._timer.stop()
            return
        row = self._pending.pop(0)
        if row < len(self.model.backups):
            self.model.set_summary(row, summarize_backup(self.model.backups[row].path))
        self._update_buttons()

    def finish_summaries(self) -> None:
        """Summarize every backup now (for tests and scripts)."""
        while self._pending:
            self._summarize_next()
        self._timer.stop()

    def selected_backup(self) -> BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        backup = self.selected_backup()
        summary = self.model.summaries.get(backup.path) if backup is not None else None
        self.restore_button.setEnabled(
            backup is not None and (summary is None or summary.problem is None)
        )

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            return
        summary = self.model.summaries.get(backup.path) or summarize_backup(backup.path)
        if summary.problem is not None:
            show_error(
                self,
                "Restore from backup",
                UserError(f"{backup.path.name} cannot be restored ({summary.problem})."),
            )
            return
        people = f"{summary.people:,} people" if summary.people is not None else "unknown"
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace the content of {self.database.name} with the backup taken "
            f"{backup.taken_at:%Y-%m-%d %H:%M} ({backup.reason_label.lower()}, {people})?\n\n"
            + self.keeping,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(backup.path)
            self.accept()

    def restore_from_file_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore from file", str(backup_dir_for(self.database)), DATABASE_FILTER
        )
        if name:
            self.restore_from_file(Path(name))

    def restore_from_file(self, path: Path) -> None:
        summary = summarize_backup(path)
        if summary.problem is not None:
            show_error(
                self,
                "Restore from file",
                UserError(f"{path.name} cannot be restored ({summary.problem}); choose another."),
            )
            return
        answer = QMessageBox.question(
            self,
            "Restore from file",
            f"Replace the content of {self.database.name} with {path.name} "
            f"({summary.people:,} people)?\n\n" + self.keeping,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(path)
            self.accept()

    def apply_retention(self) -> None:
        try:
            policy = RetentionPolicy(self.keep_last.value(), self.keep_months.value())
            save_retention(self.database, policy)
            removed = rotate_backups(self.database, policy)
        except (UserError, OSError) as error:
            show_error(self, "Backups to keep", error)
            return
        if removed:
            self.reload()


def restore_database(window: MainWindow, database: Path, source: Path) -> bool:
    """Close `database` in `window`, put the backup `source` in its place (keeping what
    it replaces) and open it again. Returns True when the restored file is open."""
    if window.tasks.busy:
        show_error(window, "Restore", UserError("Wait for the running task to finish first."))
        return False
    if window.database is not None and window.database.path == database:
        window.close_database(backup=False)
    try:
        damaged = database.is_file() and not quick_check(database).ok
        if damaged:
            kept = recover_from_backup(database, source)
            note = f"the damaged file was kept as {kept.name}"
        else:
            safety = restore_backup(database, source)
            note = f"the previous content was backed up as {safety.name}"
    except UserError as error:
        show_error(window, "Restore from backup", error)
        return window.open_database_file(database) and False
    except OSError as error:
        show_error(
            window,
            "Restore from backup",
            UserError(f"{database.name} could not be restored ({error.strerror})."),
        )
        return window.open_database_file(database) and False
    except Exception as error:
        report_bug(window, "Restore from backup", error)
        return window.open_database_file(database) and False
    if not window.open_database_file(database):
        return False
    window.statusBar().showMessage(f"Restored {database.name} from {source.name}; {note}", 15000)
    return True


class Recovery(Enum):
    RESTORE_NEWEST = "restore newest"
    CHOOSE = "choose"
    CANCEL = "cancel"


def ask_to_recover(
    parent: QWidget | None,
    error: DatabaseDamaged,
    newest: BackupFile | None,
    kept_as: Path,
) -> Recovery:
    """Tell the user the file is damaged and ask what to do (tests replace this)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("The database is damaged")
    text = (
        f"{error.path.name} did not pass SQLite's integrity check:\n{error.problems[0]}\n\n"
        "The file was not changed."
    )
    restore = None
    if newest is not None:
        people = summarize_backup(newest.path).people
        text += (
            f"\n\nThe newest good backup was taken {_when(newest.taken_at)} "
            f"({newest.reason_label.lower()}, {people:,} people). Restoring it puts it in "
            f"place of the damaged file, which is kept unchanged as {kept_as.name}."
        )
        restore = box.addButton("Restore newest backup", QMessageBox.ButtonRole.AcceptRole)
    else:
        text += "\n\nNo good backup was found beside it. Keep the file and ask for help."
    box.setText(text)
    choose = box.addButton("Choose a backup…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    if restore is not None:
        box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return Recovery.RESTORE_NEWEST
    if clicked is choose:
        return Recovery.CHOOSE
    return Recovery.CANCEL


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d at %H:%M}"


def offer_recovery(window: MainWindow, error: DatabaseDamaged) -> bool:
    """The damaged-file flow: say so, offer the newest good backup or a choice of them."""
    from datetime import datetime

    newest = newest_good_backup(error.path)
    log.warning("database failed its quick check on open: %s", error.problems[0])
    choice = ask_to_recover(window, error, newest, damaged_copy_name(error.path, datetime.now()))
    if choice is Recovery.RESTORE_NEWEST and newest is not None:
        return restore_database(window, error.path, newest.path)
    if choice is Recovery.CHOOSE:
        dialog = RestoreDialog(error.path, window, damaged=True)
        chosen: list[Path] = []
        dialog.restore_requested.connect(chosen.append)
        dialog.exec()
        if chosen:
            return restore_database(window, error.path, chosen[0])
    return False
