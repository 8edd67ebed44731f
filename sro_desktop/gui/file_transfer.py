"""Spreadsheets in and out of the main window: File > Import…, File > Export, the import
history, and files dropped on the window.

`install(window)` adds the actions to the File menu (before "Back up now…") and lets the
window accept dropped spreadsheets, which open the import wizard, wherever on the window
they are dropped (a text box included). Exports ask where to
save, then write in the background; the member list is exported as the Members page
shows it (its filter, its columns in their order).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.errors import UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.import_models import TextTableModel
from sro_desktop.gui.import_wizard import ImportWizard, What
from sro_desktop.gui.members_model import COLUMNS as MEMBER_TABLE_COLUMNS
from sro_desktop.gui.task_runner import Progress
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.import_batches import BatchSummary, list_batches, undo_batch
from sro_desktop.services.meetings import meeting_rows
from sro_desktop.spreadsheets.database_workbook import export_database
from sro_desktop.spreadsheets.exports import (
    MEMBER_COLUMNS,
    ExportResult,
    export_members,
    export_renewals,
    export_roster,
)
from sro_desktop.spreadsheets.reading import READABLE_SUFFIXES

if TYPE_CHECKING:
    from sro_desktop.gui.main_window import MainWindow

__all__ = ["FileDrops", "install", "open_import_wizard"]

XLSX_FILTER = "Excel workbooks (*.xlsx)"
STATUS_MS = 8000


def install(window: MainWindow) -> None:
    """Add Import…, Export and Import history to the File menu; accept dropped files."""
    menu = window.file_menu
    before = window.backup_action
    import_action = QAction("&Import…", window)
    import_action.setShortcut(QKeySequence("Ctrl+I"))
    import_action.triggered.connect(lambda: open_import_wizard(window))
    menu.insertAction(before, import_action)
    export_menu = QMenu("&Export", window)
    for text, slot in (
        ("&Members, as shown…", lambda: export_members_shown(window)),
        ("&Renewals list…", lambda: export_renewals_list(window)),
        ("Meeting &roster…", lambda: export_meeting_roster(window)),
        ("&Whole database workbook…", lambda: export_whole_database(window)),
    ):
        action = export_menu.addAction(text)
        action.triggered.connect(slot)
    menu.insertMenu(before, export_menu)
    history = QAction("Import &history…", window)
    history.triggered.connect(lambda: ImportHistoryDialog(window).open())
    menu.insertAction(before, history)
    menu.insertSeparator(before)
    window.import_action = import_action  # type: ignore[attr-defined]
    window.export_menu = export_menu  # type: ignore[attr-defined]
    window.import_history_action = history  # type: ignore[attr-defined]
    window.setAcceptDrops(True)
    window.file_drops = FileDrops(window)  # type: ignore[attr-defined]
    # On the application, not the window: a drag goes to the widget under the pointer,
    # and a text box would take the file as text (its path pasted into the search box).
    application = QApplication.instance()
    assert application is not None
    application.installEventFilter(window.file_drops)  # type: ignore[attr-defined]


def open_import_wizard(
    window: MainWindow, path: Path | None = None, what: What | None = None
) -> ImportWizard | None:
    if window.database is None:
        show_error(window, "Import", UserError("Open or create a database first (File menu)."))
        return None
    wizard = ImportWizard(window, path, what, _selected_meeting(window))
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard


def _selected_meeting(window: MainWindow) -> int | None:
    """The meeting selected on the Meetings page, if any."""
    value = getattr(getattr(window, "meetings_page", None), "meeting_id", None)
    if callable(value):
        value = value()
    return value if isinstance(value, int) else None


class FileDrops(QObject):
    """Opens the import wizard for a spreadsheet dropped anywhere on the window.

    It watches the drags of the whole application, so that a spreadsheet dropped on a
    text box of the window (the members search box, say) opens the wizard too, instead
    of the box taking the file's path as text. Other drags (text, or a file that is not
    a spreadsheet), and drags over other windows such as the wizard itself, are left to
    the widget under the pointer. It goes away with the window.
    """

    _DRAGS = frozenset({QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop})

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    @staticmethod
    def spreadsheet(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() in READABLE_SUFFIXES:
                    return path
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in self._DRAGS:  # every event of the application passes here: be quick
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent)
            if self.spreadsheet(event) is not None:
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            path = self.spreadsheet(event)
            if path is not None:
                event.acceptProposedAction()
                open_import_wizard(self._window, path)
                return True
        return False


# --- exports ----------------------------------------------------------------------------


def _save_path(window: MainWindow, title: str, name: str) -> Path | None:
    folder = Path(str(window.settings.value("folders/last", str(Path.home()))))
    chosen, _ = QFileDialog.getSaveFileName(window, title, str(folder / name), XLSX_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    window.settings.setValue("folders/last", str(path.parent))
    return path


def _export(
    window: MainWindow, title: str, name: str, write: Callable[[Any, Path], ExportResult | str]
) -> None:
    database = window.database
    if database is None:
        return
    path = _save_path(window, title, name)
    if path is None:
        return

    def work(progress: Progress) -> str:
        progress.report(0, 0, f"Writing {path.name}…")
        with database.session() as session:
            result = write(session, path)
        return result.summary() if isinstance(result, ExportResult) else result

    window.tasks.run(
        title,
        work,
        lambda text: window.statusBar().showMessage(text, STATUS_MS),
        lambda error: show_error(window, title, error),
    )


def shown_member_columns(window: MainWindow) -> list[str]:
    """The Members table's visible columns, in the order they are shown."""
    page = window.members_page
    header = page.table.horizontalHeader()
    known = {key for key, *_ in MEMBER_COLUMNS}
    keys: list[str] = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if header.isSectionHidden(logical) or logical >= len(MEMBER_TABLE_COLUMNS):
            continue
        key = MEMBER_TABLE_COLUMNS[logical][1]
        if key in known:
            keys.append(key)
    return keys


def export_members_shown(window: MainWindow) -> None:
    member_filter = window.members_page.current_filter()
    columns = shown_member_columns(window) or None
    today = date.today()
    _export(
        window,
        "Export members",
        f"Members {today:%Y-%m-%d}.xlsx",
        lambda session, path: export_members(
            session, path, as_of=today, member_filter=member_filter, columns=columns
        ),
    )


def export_renewals_list(window: MainWindow) -> None:
    days, ok = QInputDialog.getInt(
        window,
        "Renewals list",
        "Members whose membership ends within this many days (and those in grace):",
        60,
        1,
        730,
    )
    if not ok:
        return
    today = date.today()
    _export(
        window,
        "Export the renewals list",
        f"Renewals due {today:%Y-%m-%d}.xlsx",
        lambda session, path: export_renewals(session, path, as_of=today, days=days),
    )


def export_meeting_roster(window: MainWindow) -> None:
    database = window.database
    if database is None:
        return
    with database.session() as session:
        meetings = meeting_rows(session)
    if not meetings:
        show_error(window, "Meeting roster", UserError("There are no meetings yet."))
        return
    chosen_id = _selected_meeting(window)
    labels = [f"{m.title} ({m.start_date:%m/%d/%Y})" for m in meetings]
    ids = [m.id for m in meetings]
    start = ids.index(chosen_id) if chosen_id in ids else 0
    label, ok = QInputDialog.getItem(window, "Meeting roster", "Meeting:", labels, start, False)
    if not ok:
        return
    meeting = meetings[labels.index(label)]
    _export(
        window,
        "Export the meeting roster",
        f"{meeting.title} roster.xlsx".replace("/", "-"),
        lambda session, path: export_roster(session, path, meeting.id),
    )


def export_whole_database(window: MainWindow) -> None:
    def write(session: Any, path: Path) -> str:
        counts = export_database(session, path)
        return f"Exported {sum(counts.values()):,} rows of {len(counts)} tables to {path}"

    _export(
        window,
        "Export the whole database",
        f"{window.database.path.stem if window.database else 'database'} "
        f"{date.today():%Y-%m-%d}.xlsx",
        write,
    )


# --- the import history -----------------------------------------------------------------


class ImportHistoryDialog(QDialog):
    """Every import, newest first, with Undo for the one chosen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.setWindowTitle("Import history")
        self.resize(820, 420)
        # Owned by the dialog from the start: Qt deletes the view, then its model.
        self.model = TextTableModel(parent=self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.undo_button = buttons.addButton(
            "&Undo this import…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.undo_button.clicked.connect(self._undo)
        self.undo_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Every import, newest first. Undo takes one back, as a whole."))
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self._batches: list[BatchSummary] = []
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    def refresh(self) -> None:
        database = self._window.database
        self._batches = []
        if database is not None:
            with database.session() as session:
                self._batches = list_batches(session)
        self.model.set_rows(
            ["No.", "When", "What", "File", "New", "Updated", "Unchanged", "Skipped", "Undone"],
            [
                [
                    str(b.id),
                    f"{b.created_at.astimezone():%m/%d/%Y %H:%M}",
                    b.kind.capitalize(),
                    b.file,
                    str(b.created),
                    str(b.updated),
                    str(b.unchanged),
                    str(b.skipped),
                    f"{b.undone_at.astimezone():%m/%d/%Y %H:%M}" if b.undone_at else "",
                ]
                for b in self._batches
            ],
        )
        self.view.resizeColumnsToContents()
        self._selection_changed()

    def _selected(self) -> BatchSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return self._batches[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        batch = self._selected()
        self.undo_button.setEnabled(batch is not None and batch.undone_at is None)

    def _undo(self) -> None:
        batch = self._selected()
        database = self._window.database
        if batch is None or database is None:
            return
        answer = QMessageBox.question(
            self,
            "Undo this import",
            f"Undo import {batch.id} of {batch.file}? What it added is removed and the "
            "details it changed are put back.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with database.transaction(action=f"Undo import {batch.id}") as session:
                result = undo_batch(session, batch.id)
        except UserError as error:
            show_error(self, "Undo this import", error)
            return
        self._window.data_changed.emit(DataChanged.everything(result.summary()))
        self._window.statusBar().showMessage(result.summary(), STATUS_MS)
        self.refresh()
