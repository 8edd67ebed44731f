"""File > Import…: a wizard that takes in any roster, form export, sign-in sheet or Zoom
report.

1. Choose the file, what it holds (members, registrations or attendance for a meeting,
   or a whole database workbook) and the sheet.
2. Check the mapping: each column of the file and the field it feeds (guessed from the
   headers, or as remembered for a file with the same headers), with the first rows
   read as they will be imported, problems tinted.
3. Review the difference with the database: new, updated (field by field), unchanged,
   duplicates, and the rows with problems, which can be saved to a workbook to correct.
   Rows with problems are imported only if the user agrees to skip them.
4. Import, with a progress bar and Cancel; the import is one step of Edit > Undo.

Reading, checking and importing run through the window's task runner, off the GUI
thread; the wizard itself holds no rules, only the choices.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session

from sro_desktop.db.backup import take_backup
from sro_desktop.db.database import Database
from sro_desktop.db.models import ImportKind
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.import_models import FieldDelegate, MappingModel, TextTableModel
from sro_desktop.gui.import_review import Review, review_of, shown
from sro_desktop.gui.task_runner import Cancelled, Progress
from sro_desktop.gui.theme_colors import css
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.import_batches import undo_batch
from sro_desktop.services.meetings import meeting_rows
from sro_desktop.spreadsheets import import_runner
from sro_desktop.spreadsheets.attendance_import import (
    is_zoom_report,
    parse_sign_in_rows,
    plan_sign_in_import,
    plan_zoom_import,
    read_zoom_report,
)
from sro_desktop.spreadsheets.column_mapping import ColumnMap, fields_for, says_who
from sro_desktop.spreadsheets.database_workbook import ABOUT_SHEET, import_database
from sro_desktop.spreadsheets.import_runner import ImportReport
from sro_desktop.spreadsheets.invalid_rows import write_invalid_rows
from sro_desktop.spreadsheets.member_import import plan_member_import
from sro_desktop.spreadsheets.member_records import ParsedRows, parse_member_rows
from sro_desktop.spreadsheets.reading import READABLE_SUFFIXES, list_sheets
from sro_desktop.spreadsheets.registration_import import (
    parse_registration_rows,
    plan_registration_import,
)
from sro_desktop.spreadsheets.sheet_data import Table
from sro_desktop.spreadsheets.zoom_report import ZoomReport

if TYPE_CHECKING:
    from sro_desktop.gui.main_window import MainWindow

__all__ = ["ImportUndoCommand", "ImportWizard", "What"]

SPREADSHEET_FILTER = (
    "Spreadsheets (" + " ".join(f"*{s}" for s in sorted(READABLE_SUFFIXES)) + ");;All files (*)"
)
FIRST_WITH_DATA = "The first sheet with data"
PREVIEW_ROWS = 20


class What(Enum):
    MEMBERS = "Members (a roster or membership list)"
    REGISTRATIONS = "Registrations for a meeting (an online form's export)"
    ATTENDANCE = "Attendance at a meeting (a Zoom report or a sign-in sheet)"
    DATABASE = "A whole database workbook (into an empty database)"

    @property
    def needs_meeting(self) -> bool:
        return self in (What.REGISTRATIONS, What.ATTENDANCE)

    @property
    def kind(self) -> ImportKind:
        return {
            What.MEMBERS: ImportKind.MEMBERS,
            What.REGISTRATIONS: ImportKind.REGISTRATIONS,
            What.ATTENDANCE: ImportKind.ATTENDANCE,
            What.DATABASE: ImportKind.WORKBOOK,
        }[self]


_PARSERS: dict[What, Callable[[Table, ColumnMap], ParsedRows]] = {
    What.MEMBERS: parse_member_rows,
    What.REGISTRATIONS: parse_registration_rows,
    What.ATTENDANCE: parse_sign_in_rows,
}


@dataclass
class _State:
    """What the wizard has read and chosen so far."""

    path: Path | None = None
    what: What = What.MEMBERS
    meeting_id: int | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    table: Table | None = None
    zoom: ZoomReport | None = None
    mapping: ColumnMap | None = None
    parsed: ParsedRows | None = None
    #: The rows as checked while the file was read, with the mapping chosen then; the
    #: review uses them when the mapping is still that one.
    parsed_on_reading: ParsedRows | None = None
    review: Review | None = None
    report: ImportReport | None = None
    loaded_key: tuple[Any, ...] | None = None

    def key(self) -> tuple[Any, ...]:
        return (self.path, self.what, self.meeting_id, self.sheet)


def _table_view(parent: QWidget) -> QTableView:
    """A table owned by its page from the start (Qt deletes it, before its model)."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


# --- 1. the file ------------------------------------------------------------------------


class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Choose the file to import")
        self.setSubTitle(
            "Excel (.xlsx, .xlsm, .xls), LibreOffice (.ods) or CSV. Titles, notes and blank "
            "rows above the table are fine; the header row is found."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setPlaceholderText("Choose a file, or drop one on the window")
        self.path_edit.textChanged.connect(self._path_changed)
        browse = QPushButton("&Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.what_combo = QComboBox()
        self.what_combo.setAccessibleName("What the file holds")
        for what in What:
            self.what_combo.addItem(what.value, what)
        self.what_combo.currentIndexChanged.connect(self._what_changed)
        self.meeting_combo = QComboBox()
        self.meeting_combo.setAccessibleName("Meeting")
        self.meeting_combo.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet")
        self.sheet_combo.addItem(FIRST_WITH_DATA, None)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, row)
        form.addRow("&Holds:", self.what_combo)
        form.addRow("&Meeting:", self.meeting_combo)
        form.addRow("&Sheet:", self.sheet_combo)
        form.addRow(self.status)

    def initializePage(self) -> None:
        self._fill_meetings()
        self._what_changed()

    def _fill_meetings(self) -> None:
        database = self._wizard.database
        self.meeting_combo.clear()
        with database.session() as session:
            meetings = meeting_rows(session)
        for meeting in meetings:
            self.meeting_combo.addItem(
                f"{meeting.title} ({meeting.start_date:%m/%d/%Y})", meeting.id
            )
        wanted = self._wizard.state.meeting_id
        if wanted is not None:
            self.meeting_combo.setCurrentIndex(max(0, self.meeting_combo.findData(wanted)))

    def _browse(self) -> None:
        folder = str(self._wizard.state.path.parent) if self._wizard.state.path else ""
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose the file to import",
            folder or self._wizard.last_folder(),
            SPREADSHEET_FILTER,
        )
        if name:
            self.path_edit.setText(name)

    def _path_changed(self, text: str) -> None:
        path = Path(text.strip()) if text.strip() else None
        self._wizard.state.path = path
        self.sheet_combo.clear()
        self.sheet_combo.addItem(FIRST_WITH_DATA, None)
        self.status.clear()
        if path is not None and path.is_file():
            self._load_sheets(path)
        self.completeChanged.emit()

    def _load_sheets(self, path: Path) -> None:
        def work(progress: Progress) -> list[str]:
            progress.report(0, 0, f"Opening {path.name}…")
            return list_sheets(path)

        def done(sheets: list[str]) -> None:
            if self._wizard.state.path != path:
                return
            for sheet in sheets:
                self.sheet_combo.addItem(sheet, sheet)
            self.sheet_combo.setEnabled(len(sheets) > 1)

        def failed(error: BaseException) -> None:
            self.status.setText(f"<span style='color:{css('#a00')}'>{_message(error)}</span>")

        self._wizard.run_task("Opening the file", work, done, failed)

    def _what_changed(self, _index: int = 0) -> None:
        what = self.what_combo.currentData()
        self._wizard.state.what = what
        self.meeting_combo.setEnabled(what.needs_meeting)
        if what.needs_meeting and self.meeting_combo.count() == 0:
            self.status.setText("There are no meetings yet; add the meeting first (Meetings).")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        state = self._wizard.state
        if state.path is None or not state.path.name:
            return False
        return not state.what.needs_meeting or self.meeting_combo.currentData() is not None

    def validatePage(self) -> bool:
        state = self._wizard.state
        state.meeting_id = self.meeting_combo.currentData() if state.what.needs_meeting else None
        state.sheet = self.sheet_combo.currentData()
        if state.loaded_key == state.key():
            return True
        self._wizard.load(self)
        return False

    def nextId(self) -> int:
        state = self._wizard.state
        if state.what is What.DATABASE or state.zoom is not None:
            return ImportWizard.REVIEW
        return ImportWizard.MAPPING


# --- 2. the mapping ---------------------------------------------------------------------


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Check which field each column holds")
        self._says_who = True  # some column is a name or an email (see _refresh_preview)
        self.model = MappingModel(self)
        self.model.mapping_changed.connect(self._refresh_preview)
        self.mapping_view = _table_view(self)
        self.mapping_view.setModel(self.model)
        self.mapping_view.setItemDelegateForColumn(
            MappingModel.FIELD_COLUMN, FieldDelegate(self.model, self.mapping_view)
        )
        self.mapping_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.mapping_view.setAccessibleName("Column mapping")
        self.preview = TextTableModel(parent=self)
        self.preview_view = _table_view(self)
        self.preview_view.setModel(self.preview)
        self.preview_view.setAccessibleName("The first rows as they will be imported")
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.mapping_view)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.preview_label)
        bottom_layout.addWidget(self.preview_view)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def initializePage(self) -> None:
        state = self._wizard.state
        assert state.table is not None and state.mapping is not None
        table = state.table
        self.model.set_table(table, fields_for(state.what.kind), state.mapping)
        remembered = (
            " The columns are matched as you chose for a file with these headers before."
            if state.mapping.source == "remembered"
            else ""
        )
        self.setSubTitle(
            f"Sheet “{table.sheet}” of {table.file_name}: the header is in row {table.header_row}, "
            f"{len(table.rows):,} rows below it"
            + (f"; the table ends at its {table.ended_by}" if table.ended_by else "")
            + f". Click a field to change it.{remembered}"
        )
        header = self.mapping_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._refresh_preview()

    def current_mapping(self) -> ColumnMap:
        state = self._wizard.state
        assert state.mapping is not None
        chosen = self.model.chosen()
        source = state.mapping.source if chosen == dict(state.mapping.fields) else "chosen"
        return ColumnMap(chosen, source)

    def _refresh_preview(self) -> None:
        state = self._wizard.state
        assert state.table is not None
        mapping = self.current_mapping()
        table = dataclasses.replace(state.table, rows=state.table.rows[:PREVIEW_ROWS])
        parsed = _PARSERS[state.what](table, mapping)
        shown_fields = [
            (header, key)
            for header, key in mapping.fields.items()
            if key in parsed.values or key == "full_name"
        ]
        fields = {f.key: f.label for f in fields_for(state.what.kind)}
        headers = ["Row"] + [f"{fields.get(key, key)}\n← {header}" for header, key in shown_fields]
        rows: list[list[str]] = []
        problems: dict[tuple[int, int], str] = {}
        by_cell = {(p.row, p.column): p.message for p in parsed.problems}
        positions = {header: table.headers.index(header) for header, _key in shown_fields}
        for index, number in enumerate(parsed.row_numbers):
            cells = [str(number)]
            for column, (header, key) in enumerate(shown_fields, start=1):
                message = by_cell.get((number, header))
                if message is not None or key == "full_name":
                    raw = table.rows[index].values[positions[header]]
                    cells.append("" if raw is None else str(raw))
                else:
                    cells.append(shown(parsed.get(key, index)))
                if message is not None:
                    problems[(index, column)] = message
            rows.append(cells)
        for item in parsed.problems:
            if item.column not in positions and item.row in parsed.row_numbers:
                problems[(parsed.row_numbers.index(item.row), 0)] = item.message
        self.preview.set_rows(headers, rows, problems)
        self.preview_view.resizeColumnsToContents()
        bad = len({p.row for p in parsed.problems})
        self.preview_label.setText(
            f"The first {len(rows)} rows as they will be imported"
            + (f"; {_rows(bad)} with problems (tinted: point at one to see why)." if bad else ".")
        )
        who = says_who(mapping)
        if not who:
            self.preview_label.setText(
                "<b>No column is taken as a name or an email address</b>, so no one could be "
                "imported: choose First name, Last name, Full name or Email above for the "
                "columns that hold them."
            )
        if who != self._says_who:
            self._says_who = who
            self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._says_who


# --- 3. the review ----------------------------------------------------------------------


class ReviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Review the changes")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.tabs = QTabWidget()
        self.problems = TextTableModel(parent=self)
        self.problems_view = _table_view(self)
        self.problems_view.setModel(self.problems)
        self.skip_check = QCheckBox()
        self.skip_check.toggled.connect(lambda _on: self.completeChanged.emit())
        self.save_button = QPushButton("&Save rows to fix…")
        self.save_button.clicked.connect(self._save_rows_to_fix)
        bottom = QHBoxLayout()
        bottom.addWidget(self.skip_check, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self._ready = False

    def initializePage(self) -> None:
        self._ready = False
        while self.tabs.count():  # the last review's tables (clear() would only hide them)
            view = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if view is not None and view is not self.problems_view:  # that one is kept
                view.deleteLater()
        self.notes.clear()
        self.skip_check.hide()
        self.save_button.hide()
        state = self._wizard.state
        if state.what is What.DATABASE:
            assert state.path is not None
            self.summary.setText(
                f"Fill this database from {state.path.name}: every sheet is one table, ids "
                "and links as they were. The database must be empty; a backup is taken first."
            )
            self._ready = True
            self.completeChanged.emit()
            return
        self.summary.setText("Checking every row and comparing it with the database…")
        page_mapping = self._wizard.mapping_page.current_mapping() if state.table else None
        self._wizard.plan(page_mapping, self)

    def show_review(self, review: Review) -> None:
        state = self._wizard.state
        state.review = review
        self.summary.setText(review.summary)
        self.notes.setText("<br>".join(review.notes))
        self.notes.setVisible(bool(review.notes))
        for tab in review.tabs:
            view = _table_view(self.tabs)
            model = TextTableModel(parent=view)
            model.set_rows(tab.headers, tab.rows)
            view.setModel(model)
            view.resizeColumnsToContents()
            self.tabs.addTab(view, tab.label)
        if review.problems:
            self.problems.set_rows(
                ["Row", "Column", "Value", "What is wrong"],
                [[str(p.row), p.column, p.value, p.message] for p in review.problems],
            )
            self.problems_view.resizeColumnsToContents()
            rows = len({p.row for p in review.problems})
            index = self.tabs.addTab(self.problems_view, f"Problems ({_rows(rows)})")
            self.tabs.setCurrentIndex(index)
            self.skip_check.setText(
                f"Import the other rows and skip the {rows:,} row{'s' if rows != 1 else ''} "
                "with problems"
            )
            self.skip_check.setChecked(False)
            self.skip_check.show()
            self.save_button.setVisible(state.table is not None)
        self._ready = True
        self.completeChanged.emit()

    def show_failure(self, error: BaseException) -> None:
        self.summary.setText(f"<span style='color:{css('#a00')}'>{_message(error)}</span>")

    def isComplete(self) -> bool:
        review = self._wizard.state.review
        if not self._ready:
            return False
        if self._wizard.state.what is What.DATABASE:
            return True
        if review is None or review.nothing_to_do:
            return False
        return not review.problems or self.skip_check.isChecked()

    def validatePage(self) -> bool:
        if self._wizard.state.report is not None:
            return True
        self._wizard.apply(self, skip_invalid=self.skip_check.isChecked())
        return False

    def _save_rows_to_fix(self) -> None:
        state = self._wizard.state
        if state.table is None or state.review is None:
            return
        stem = Path(state.table.file_name).stem
        suggested = Path(self._wizard.last_folder()) / f"{stem} - rows to fix.xlsx"
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the rows to fix", str(suggested), "Excel workbooks (*.xlsx)"
        )
        if not name:
            return
        path = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        try:
            count = write_invalid_rows(state.table, state.review.problems, path)
        except UserError as error:
            show_error(self, "Save the rows to fix", error)
            return
        self._wizard.main_window.statusBar().showMessage(
            f"Saved {count} rows to fix to {path}", 8000
        )


# --- 4. done ----------------------------------------------------------------------------


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Imported")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report = self._wizard.state.report
        message = self._wizard.result_text or (report.summary() if report else "")
        self.text.setText(
            message + "<br><br>Changed your mind? <b>Edit > Undo</b> takes the whole import back, "
            "now or later (File > Import history)."
        )


# --- the wizard -------------------------------------------------------------------------


class ImportWizard(QWizard):
    SOURCE, MAPPING, REVIEW, DONE = range(4)

    def __init__(
        self,
        window: MainWindow,
        path: Path | None = None,
        what: What | None = None,
        meeting_id: int | None = None,
    ) -> None:
        super().__init__(window)
        assert window.database is not None
        self.main_window = window
        self.database: Database = window.database
        self.state = _State(meeting_id=meeting_id)
        self.result_text = ""
        self._closed = False
        self.setWindowTitle("Import")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.resize(900, 640)
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage(self)
        self.review_page = ReviewPage(self)
        self.done_page = DonePage(self)
        self.setPage(self.SOURCE, self.source_page)
        self.setPage(self.MAPPING, self.mapping_page)
        self.setPage(self.REVIEW, self.review_page)
        self.setPage(self.DONE, self.done_page)
        if what is not None:
            self.source_page.what_combo.setCurrentIndex(self.source_page.what_combo.findData(what))
        if path is not None:
            self.source_page.path_edit.setText(str(path))

    def last_folder(self) -> str:
        return str(self.main_window.settings.value("folders/last", str(Path.home())))

    def run_task(
        self,
        title: str,
        work: Callable[[Progress], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run `work` in the background; its answer is dropped if the wizard was closed."""

        def if_open(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                if not self._closed:
                    callback(value)

            return call

        self.main_window.tasks.run(title, work, if_open(done), if_open(failed))

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    # -- reading ------------------------------------------------------------------------

    def load(self, page: SourcePage) -> None:
        state = self.state
        path, what, sheet = state.path, state.what, state.sheet
        assert path is not None
        database = self.database

        def work(progress: Progress) -> tuple[ZoomReport | None, ParsedRows | None]:
            progress.report(0, 0, f"Reading {path.name}…")
            if what is What.DATABASE:
                if ABOUT_SHEET not in list_sheets(path):
                    raise UserError(
                        f"“{path.name}” is not an SRO Desktop database workbook; import it as "
                        "members instead."
                    )
                return None, None
            if what is What.ATTENDANCE and is_zoom_report(path, sheet):
                return read_zoom_report(path, sheet), None
            # As the command line does: the rows are checked with the likely mapping
            # while the file is still being read (see import_runner.read_and_prepare).
            parsed = import_runner.read_and_prepare(
                database, path, sheet, what.kind, parse=_PARSERS[what]
            )
            return None, parsed

        def done(result: tuple[ZoomReport | None, ParsedRows | None]) -> None:
            state.zoom, parsed = result
            state.parsed_on_reading = parsed
            state.table = parsed.table if parsed is not None else None
            state.mapping = parsed.mapping if parsed is not None else None
            state.loaded_key = state.key()
            state.review = None
            state.report = None
            page.status.clear()
            self.next()

        def failed(error: BaseException) -> None:
            page.status.setText(f"<span style='color:{css('#a00')}'>{_message(error)}</span>")

        self.run_task("Reading the file", work, done, failed)

    # -- the plan -----------------------------------------------------------------------

    def plan(self, mapping: ColumnMap | None, page: ReviewPage) -> None:
        state = self.state
        what, meeting_id, table, zoom = state.what, state.meeting_id, state.table, state.zoom
        path = state.path
        database = self.database
        early = state.parsed_on_reading

        def work(progress: Progress) -> tuple[ParsedRows | None, Review]:
            progress.report(0, 0, "Checking every row…")
            if zoom is not None:
                assert meeting_id is not None and path is not None
                with database.session() as session:
                    return None, review_of(plan_zoom_import(session, zoom, meeting_id, path.name))
            assert table is not None and mapping is not None
            with import_runner.paused_gc():
                if early is not None and early.table is table and early.mapping == mapping:
                    parsed = early  # checked while reading, with this very mapping
                else:
                    parsed = _PARSERS[what](table, mapping)
                progress.check()
                with database.session() as session:
                    return parsed, review_of(_plan(session, what, parsed, meeting_id))

        def done(result: tuple[ParsedRows | None, Review]) -> None:
            state.parsed, review = result
            state.mapping = mapping or state.mapping
            page.show_review(review)

        def failed(error: BaseException) -> None:
            if isinstance(error, Cancelled):
                page.summary.setText("Checking was stopped; go Back and Next to check again.")
                return
            page.show_failure(error)

        self.run_task("Checking the rows", work, done, failed)

    # -- the import ---------------------------------------------------------------------

    def apply(self, page: ReviewPage, *, skip_invalid: bool) -> None:
        run = self.import_function(skip_invalid)
        window = self.main_window

        def done(outcome: tuple[str, int | None, ImportReport | None]) -> None:
            text, batch_id, report = outcome
            # What was imported is announced and undoable even if the wizard was closed.
            if batch_id is not None:
                window.undo_stack.push(ImportUndoCommand(window, text, batch_id, run))
            window.data_changed.emit(DataChanged.everything(text))
            window.statusBar().showMessage(text, 8000)
            if self._closed:
                return
            self.state.report = report or ImportReport(
                file=self.state.path.name if self.state.path else "",
                sheet="",
                header_row=0,
                mapping={},
                written=True,
            )
            self.result_text = text
            self.next()

        def failed(error: BaseException) -> None:
            if isinstance(error, Cancelled):
                if not self._closed:
                    page.summary.setText("The import was cancelled; nothing was changed.")
                return
            show_error(window if self._closed else self, "Import", error)

        window.tasks.run("Importing", run, done, failed)

    def import_function(
        self, skip_invalid: bool
    ) -> Callable[[Progress], tuple[str, int | None, ImportReport | None]]:
        """The import as a function of a Progress, to run now and again on Edit > Redo."""
        state = self.state
        database = self.database
        what, meeting_id, parsed, zoom, path = (
            state.what,
            state.meeting_id,
            state.parsed,
            state.zoom,
            state.path,
        )

        def run(progress: Progress) -> tuple[str, int | None, ImportReport | None]:
            if what is What.DATABASE:
                assert path is not None
                progress.report(0, 0, "Backing up the database…")
                take_backup(database.path, "before-import")
                progress.report(0, 0, f"Reading {path.name}…")
                with database.transaction(
                    action=f"Import database workbook {path.name}"
                ) as session:
                    restored = import_database(session, path)
                return restored.summary(), None, None
            if zoom is not None:
                assert meeting_id is not None and path is not None
                report = import_runner.import_zoom_report(
                    database,
                    path.name,
                    zoom,
                    meeting_id,
                    skip_invalid=skip_invalid,
                    progress=progress,
                )
            else:
                assert parsed is not None
                report = _import(database, what, parsed, meeting_id, skip_invalid, progress)
            if not report.written:
                raise UserError(
                    "Nothing was imported: the rows changed since they were checked; "
                    "go Back and check them again."
                )
            return report.summary(), report.batch_id, report

        return run


def _plan(session: Session, what: What, parsed: ParsedRows, meeting_id: int | None) -> Any:
    if what is What.MEMBERS:
        return plan_member_import(session, parsed)
    assert meeting_id is not None
    if what is What.REGISTRATIONS:
        return plan_registration_import(session, parsed, meeting_id)
    return plan_sign_in_import(session, parsed, meeting_id)


def _import(
    database: Database,
    what: What,
    parsed: ParsedRows,
    meeting_id: int | None,
    skip_invalid: bool,
    progress: Progress,
) -> ImportReport:
    if what is What.MEMBERS:
        return import_runner.import_members(
            database, parsed, skip_invalid=skip_invalid, progress=progress
        )
    assert meeting_id is not None
    if what is What.REGISTRATIONS:
        return import_runner.import_registrations(
            database, parsed, meeting_id, skip_invalid=skip_invalid, progress=progress
        )
    return import_runner.import_sign_in_sheet(
        database, parsed, meeting_id, skip_invalid=skip_invalid, progress=progress
    )


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


def _message(error: BaseException) -> str:
    if isinstance(error, UserError):
        return str(error)
    return "Something went wrong inside SRO Desktop; see the log file and please report it."


class ImportUndoCommand(QUndoCommand):
    """Edit > Undo of an import: takes its batch back; Redo imports the same rows again."""

    def __init__(
        self,
        window: MainWindow,
        text: str,
        batch_id: int,
        run: Callable[[Progress], tuple[str, int | None, ImportReport | None]],
    ) -> None:
        super().__init__(f"Import {text.split(':')[0].removeprefix('Imported ')}")
        self._window = window
        self.batch_id = batch_id
        self._run = run
        self._done = True  # pushed after the import ran: the first redo() does nothing

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        try:
            text, batch_id, _report = self._run(Progress(lambda *_a: None))
        except UserError as error:
            show_error(self._window, "Redo the import", error)
            self.setObsolete(True)
            return
        if batch_id is not None:
            self.batch_id = batch_id
        self._announce(text)

    def undo(self) -> None:
        database = self._window.database
        if database is None:
            self.setObsolete(True)
            return
        try:
            with database.transaction(action=f"Undo import {self.batch_id}") as session:
                result = undo_batch(session, self.batch_id)
        except UserError as error:
            show_error(self._window, "Undo the import", error)
            self.setObsolete(True)
            return
        self._announce(result.summary())

    def _announce(self, text: str) -> None:
        self._window.data_changed.emit(DataChanged.everything(text))
        self._window.statusBar().showMessage(text, 8000)
