"""Table models of the Meetings page and the check-in screen: each a list of plain rows
from the services, shown through a list of columns. Numbers and money are right-aligned,
dates shown the way people write them, and each column sorts by its real value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from sro_desktop.db.models import RegistrationStatus
from sro_desktop.gui.theme_colors import text_brush
from sro_desktop.services.attendance import AttendeeCredit
from sro_desktop.services.checkin import CheckInRow
from sro_desktop.services.meetings import AgendaRow, MeetingRow, duration_text
from sro_desktop.services.registrations import RegistrationRow, name_key

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
Row = TypeVar("Row")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
DONE_COLOR = QColor("#1b6e2d")
MUTED_COLOR = QColor("#777777")
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    value: Callable[[Row], Any]
    tooltip: Callable[[Row], str] | None = None
    # Shows a row's "done" emphasis (bold, green): the status column, not the whole row.
    emphasized: bool = False


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only, sortable table of rows; `row_id` gives the id kept in the UserRole,
    `emphasis` marks rows "done" (checked in: its emphasized columns bold and green) or
    "muted" (cancelled, or no credit: the whole row grey)."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        row_id: Callable[[Row], int],
        emphasis: Callable[[Row], str] | None = None,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[Row] = []
        self._row_id = row_id
        self._emphasis = emphasis
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def find(self, row_id: int) -> int | None:
        """The table row showing the record `row_id`, if any."""
        for index, row in enumerate(self._rows):
            if self._row_id(row) == row_id:
                return index
        return None

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(column.value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = column.value(row)
            numeric = isinstance(value, int | Decimal) and not isinstance(value, bool)
            return int(RIGHT if numeric else LEFT)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == ID_ROLE:
            return self._row_id(row)
        if self._emphasis is not None and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
        ):
            kind = self._emphasis(row)
            if kind == "done" and not column.emphasized:
                return None
            if role == Qt.ItemDataRole.FontRole:
                return self._bold if kind == "done" else None
            if kind == "done":
                return text_brush(DONE_COLOR)
            if kind == "muted":
                return text_brush(MUTED_COLOR)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].title
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        value = self._columns[column].value
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=lambda row: sort_key(value(row)), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self.layoutChanged.emit()


def display(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime):
        return f"{value.astimezone():%b %d, %H:%M}" if value.tzinfo else f"{value:%b %d, %H:%M}"
    if isinstance(value, date):
        return f"{value:%b %d, %Y}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def sort_key(value: Any) -> tuple[int, Any]:
    """Empty values last; numbers and dates by value; text without case or accents."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, datetime):
        return (0, value.timestamp())
    if isinstance(value, date):
        return (0, value.toordinal())
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (0, float(value))
    return (1, name_key(str(value)))


# --- the tables --------------------------------------------------------------------------


def meeting_dates(start: date, end: date) -> str:
    if start == end:
        return f"{start:%a %b %d, %Y}"
    if start.year == end.year:
        return f"{start:%b %d} – {end:%b %d, %Y}"
    return f"{start:%b %d, %Y} – {end:%b %d, %Y}"


def _places(row: MeetingRow) -> str:
    return f"{row.registered} of {row.capacity}" if row.capacity else str(row.registered)


MEETING_COLUMNS: tuple[Column[MeetingRow], ...] = (
    Column("Starts", lambda r: r.start_date, lambda r: meeting_dates(r.start_date, r.end_date)),
    Column("Title", lambda r: r.title),
    Column("Format", lambda r: r.format.label),
    Column("Credit", lambda r: r.credit_label, lambda r: r.accredited_provider),
    Column("Registered", _places),
    Column("Waitlist", lambda r: r.waitlisted or None),
    Column("Checked in", lambda r: r.checked_in or None),
)


def meetings_model() -> RowsModel[MeetingRow]:
    return RowsModel(MEETING_COLUMNS, lambda r: r.id)


def _status(row: RegistrationRow | CheckInRow) -> str:
    if row.status is RegistrationStatus.WAITLISTED:
        return f"Waitlist #{row.waitlist_position}"
    if row.status is RegistrationStatus.CANCELLED:
        return "Cancelled"
    if isinstance(row, CheckInRow) and row.session_id is not None:
        return f"✔ Present {row.marked_at.astimezone():%H:%M}" if row.marked_at else "Registered"
    if row.checked_in_at is not None:
        return f"✔ Checked in {row.checked_in_at.astimezone():%H:%M}"
    return "Registered"


def _registration_emphasis(row: RegistrationRow | CheckInRow) -> str:
    if row.status is RegistrationStatus.CANCELLED:
        return "muted"
    done = row.done_at if isinstance(row, CheckInRow) else row.checked_in_at
    return "done" if done is not None else ""


REGISTRATION_COLUMNS: tuple[Column[RegistrationRow], ...] = (
    Column("Last name", lambda r: r.last_name),
    Column("First name", lambda r: r.first_name),
    Column("Email", lambda r: r.email or "", lambda r: r.email or ""),
    Column("Category", lambda r: r.category.label),
    Column("Status", _status, emphasized=True),
    Column("Fee", lambda r: r.fee),
    Column("Paid", lambda r: r.paid, lambda r: f"Refunded {r.refunded:,.2f}" if r.refunded else ""),
    Column("Payment", lambda r: r.payment_status.value),
    Column("Registered on", lambda r: r.registered_at.astimezone().date()),
)


def registrations_model() -> RowsModel[RegistrationRow]:
    return RowsModel(REGISTRATION_COLUMNS, lambda r: r.id, _registration_emphasis)


AGENDA_COLUMNS: tuple[Column[AgendaRow], ...] = (
    Column("Day", lambda s: s.starts_at.date()),
    Column("Starts", lambda s: f"{s.starts_at:%H:%M}"),
    Column("Ends", lambda s: f"{s.ends_at:%H:%M}"),
    Column("Title", lambda s: s.title),
    Column("Track", lambda s: s.track),
    Column("Credit", lambda s: "Eligible" if s.credit_eligible else "No credit"),
    Column("Length", lambda s: duration_text(s.minutes)),
)


def agenda_model() -> RowsModel[AgendaRow]:
    return RowsModel(AGENDA_COLUMNS, lambda s: s.id, lambda s: "" if s.credit_eligible else "muted")


ATTENDANCE_COLUMNS: tuple[Column[AttendeeCredit], ...] = (
    Column("Last name", lambda a: a.last_name),
    Column("First name", lambda a: a.first_name),
    Column("Credentials", lambda a: a.credentials),
    Column("Recorded by", lambda a: a.basis.label),
    Column("Attended", lambda a: duration_text(a.minutes)),
    Column("Computed", lambda a: a.computed_credits),
    Column(
        "Credits",
        lambda a: a.credits,
        lambda a: a.override_reason if a.overridden else "",
        emphasized=True,
    ),
    Column("Override", lambda a: a.override_reason if a.overridden else ""),
)


def attendance_model() -> RowsModel[AttendeeCredit]:
    return RowsModel(
        ATTENDANCE_COLUMNS,
        lambda a: a.registration_id,
        lambda a: "done" if a.overridden else "",
    )


def _due(row: CheckInRow) -> str:
    return f"Owes {row.balance:,.2f}" if row.balance else ""


CHECKIN_COLUMNS: tuple[Column[CheckInRow], ...] = (
    Column("Name", lambda r: f"{r.last_name}, {r.first_name}"),
    Column("Credentials", lambda r: r.credentials),
    Column("Email", lambda r: r.email or ""),
    Column("Category", lambda r: r.category.label),
    Column("Status", _status, emphasized=True),
    Column("Balance", _due),
)


def checkin_model() -> RowsModel[CheckInRow]:
    return RowsModel(CHECKIN_COLUMNS, lambda r: r.registration_id, _registration_emphasis)
