"""The audit trail on screen: every recorded change with filters, its field-by-field detail,
and export to Excel. `show_member_history(parent, database, member_id)` opens it for one
member (the member page calls it); File > Audit trail… opens it for everything.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import report_bug, show_error
from sro_desktop.gui.read_only_table import ReadOnlyTableModel, read_only_table
from sro_desktop.services.audit_history import (
    ACTION_LABELS,
    TABLE_LABELS,
    AuditFilter,
    AuditRow,
    audit_rows,
    count_audit_entries,
    value_text,
)
from sro_desktop.spreadsheets.audit_export import export_audit

SHOWN_AT_MOST = 2000
_ANY_DAY = QDate(2000, 1, 1)


class AuditTableModel(ReadOnlyTableModel):
    """One line per recorded change, newest first."""

    HEADERS = ("When", "Member", "Record", "Change", "What changed", "Why")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.rows)

    def cell(self, row_number: int, column: int, role: int) -> object:
        row = self.rows[row_number]
        if column == 0:
            return f"{row.at.astimezone():%Y-%m-%d %H:%M:%S}"
        if column == 1:
            if row.member_id is None:
                return ""
            return f"{row.member_name} ({row.member_id})" if row.member_name else str(row.member_id)
        if column == 2:
            return f"{row.record_label} {row.row_id}"
        if column == 3:
            return row.action_label
        if column == 4:
            return row.summary(limit=20 if role == Qt.ItemDataRole.ToolTipRole else 3)
        return row.reason


class ChangesModel(ReadOnlyTableModel):
    """The fields of one change: name, value before, value after."""

    HEADERS = ("Field", "Before", "After")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[tuple[str, str, str]] = []

    def set_row(self, row: AuditRow | None) -> None:
        self.beginResetModel()
        self.lines = (
            []
            if row is None
            else [(c.label, value_text(c.old), value_text(c.new)) for c in row.changes]
        )
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.lines)

    ROLES = (Qt.ItemDataRole.DisplayRole,)

    def cell(self, row_number: int, column: int, role: int) -> object:
        return self.lines[row_number][column]


class AuditDialog(QDialog):
    """The audit trail with filters; `member_id` narrows it to one member's history."""

    def __init__(
        self,
        database: Database,
        member_id: int | None = None,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.member_id = member_id
        self.settings = settings
        self.setWindowTitle("Audit trail" if member_id is None else "History")
        self.resize(1000, 620)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search values, actions and file names…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search the audit trail")
        self.record_filter = QComboBox()
        self.record_filter.addItem("All records", None)
        for table, label in TABLE_LABELS.items():
            self.record_filter.addItem(f"{label}s", table)
        self.record_filter.setAccessibleName("Kind of record")
        self.change_filter = QComboBox()
        self.change_filter.addItem("All changes", None)
        for action, label in ACTION_LABELS.items():
            self.change_filter.addItem(label, action)
        self.change_filter.setAccessibleName("Kind of change")
        self.since_edit = self._date_edit("From", "Any day")
        self.until_edit = self._date_edit("To", "Any day")

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.record_filter)
        filters.addWidget(self.change_filter)
        filters.addWidget(QLabel("From"))
        filters.addWidget(self.since_edit)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.until_edit)

        self.title_label = QLabel()
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_label.setFont(font)

        self.model = AuditTableModel(self)
        self.table = read_only_table(self.model, "Changes", word_wrap=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((140, 180, 120, 80, 260)):  # "Why" takes the rest
            self.table.setColumnWidth(column, width)
        self.changes_model = ChangesModel(self)
        self.changes_table = read_only_table(
            self.changes_model, "Fields of the selected change", word_wrap=False
        )
        self.changes_table.setColumnWidth(0, 170)
        self.changes_table.setColumnWidth(1, 300)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.changes_table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.count_label = QLabel()
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(
            "&Export to Excel…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button.clicked.connect(self.export_dialog)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        # Typing is debounced; the other filters apply at once.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.record_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.change_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.since_edit.dateChanged.connect(lambda _d: self.refresh())
        self.until_edit.dateChanged.connect(lambda _d: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search_edit.setFocus)
        self.refresh()

    def _date_edit(self, name: str, special: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(_ANY_DAY)
        edit.setSpecialValueText(special)  # shown while the date is the minimum
        edit.setDate(_ANY_DAY)
        edit.setAccessibleName(name)
        return edit

    @staticmethod
    def _day(edit: QDateEdit) -> date | None:
        chosen = edit.date()
        return None if chosen == _ANY_DAY else date(chosen.year(), chosen.month(), chosen.day())

    def criteria(self, limit: int | None = SHOWN_AT_MOST) -> AuditFilter:
        record = self.record_filter.currentData()
        change = self.change_filter.currentData()
        return AuditFilter(
            member_id=self.member_id,
            tables=(record,) if record else (),
            actions=(change,) if change else (),
            since=self._day(self.since_edit),
            until=self._day(self.until_edit),
            text=self.search_edit.text(),
            limit=limit,
        )

    def refresh(self) -> None:
        criteria = self.criteria()
        try:
            with self.database.session() as session:
                rows = audit_rows(session, criteria)
                total = count_audit_entries(session, criteria)
        except Exception as error:
            report_bug(self, "Show the audit trail", error)
            return
        self.model.set_rows(rows)
        self._update_title(rows)
        if total > len(rows):
            self.count_label.setText(
                f"Showing the newest {len(rows):,} of {total:,} changes; "
                "narrow the filters or export to see all."
            )
        else:
            self.count_label.setText(f"{total:,} changes" if total != 1 else "1 change")
        self.export_button.setEnabled(total > 0)
        if rows:
            self.table.selectRow(0)
        else:
            self.changes_model.set_row(None)

    def _update_title(self, rows: list[AuditRow]) -> None:
        if self.member_id is None:
            self.title_label.setText(
                "Every change to members, memberships, payments, registrations and certificates"
            )
            return
        name = next((r.member_name for r in rows if r.member_name), "")
        who = f"{name} (member {self.member_id})" if name else f"member {self.member_id}"
        self.title_label.setText(f"History of {who}")
        self.setWindowTitle(f"History of {name or f'member {self.member_id}'}")

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        self.changes_model.set_row(row)

    def export_dialog(self) -> None:
        folder = Path.home()
        if self.settings is not None:
            folder = Path(str(self.settings.value("folders/export", str(Path.home()))))
        suggested = (
            "audit trail.xlsx"
            if self.member_id is None
            else (f"history of member {self.member_id}.xlsx")
        )
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the audit trail", str(folder / suggested), "Excel workbooks (*.xlsx)"
        )
        if name:
            path = Path(name)
            if path.suffix.lower() != ".xlsx":
                path = path.with_name(path.name + ".xlsx")
            self.export_to(path)

    def export_to(self, path: Path) -> int:
        """Write every change matching the filters (not only those shown) to `path`."""
        try:
            with self.database.session() as session:
                rows = audit_rows(session, self.criteria(limit=None))
            written = export_audit(rows, path)
        except UserError as error:
            show_error(self, "Export the audit trail", error)
            return 0
        if self.settings is not None:
            self.settings.setValue("folders/export", str(path.parent))
        self.count_label.setText(f"Exported {len(rows):,} changes to {path}")
        return written


def show_member_history(parent: QWidget | None, database: Database, member_id: int) -> AuditDialog:
    """Open the history of one member in a window of its own and return it."""
    dialog = AuditDialog(database, member_id=member_id, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def show_audit_trail(
    parent: QWidget | None, database: Database, settings: QSettings | None = None
) -> AuditDialog:
    """Open the whole audit trail in a window of its own and return it."""
    dialog = AuditDialog(database, parent=parent, settings=settings)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
