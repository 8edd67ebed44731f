"""Table models of the Certificates page: who gets which certificate, who does not and
why, and the register. Read-only lists of plain records, sortable by any column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from sro_desktop.db.models import CertificateKind
from sro_desktop.documents.issue_batch import Action, PreparedCertificate
from sro_desktop.documents.wording import format_amount
from sro_desktop.gui.theme_colors import text_brush
from sro_desktop.services.certificate_issuing import NotEligible
from sro_desktop.services.certificate_register import RegisterEntry

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

_NO_INDEX = QModelIndex()


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    align_right: bool = False


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A list of records shown through column definitions."""

    def __init__(self, columns: Sequence[Column[Row]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Row:
        return self.rows[index]

    def rowCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if not horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].align_right:
            # Over figures aligned right, their heading too.
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: Row, column: int, role: int) -> Any:
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        definition = self.columns[column]
        key = definition.sort_key or (lambda row: definition.text(row).casefold())
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


def _amount(value: object) -> str:
    return format_amount(value) if isinstance(value, Decimal) else ""


def _award(prepared: PreparedCertificate) -> str:
    planned = prepared.planned
    if planned.credits is not None:
        return f"{_amount(planned.credits)} credits"
    if planned.hours is not None:
        return f"{_amount(planned.hours)} hours"
    return ""


_ACTION_TEXT = {
    Action.NEW: "New",
    Action.REPRINT: "Already issued; prints the same",
    Action.REISSUE: "Reissue",
}


def _action(prepared: PreparedCertificate) -> str:
    text = _ACTION_TEXT[prepared.action]
    if prepared.action is Action.REISSUE and prepared.changes:
        text += f" ({', '.join(prepared.changes)} changed)"
    return text


#: Under the heading "Certificate", the kind in a word: the list shares the width with
#: the people who get none.
_KIND = {
    CertificateKind.ATTENDANCE: "Attendance",
    CertificateKind.PARTICIPATION: "Participation",
    CertificateKind.PHYSICIAN: "Physician",
}


def _planned_name(prepared: PreparedCertificate) -> str:
    planned = prepared.planned
    name = f"{planned.last_name}, {planned.first_name}" if planned.first_name else planned.last_name
    return f"{name} ({planned.credentials})" if planned.credentials else name


class PlannedModel(RowsModel[PreparedCertificate]):
    """The certificates that will print."""

    def __init__(self) -> None:
        super().__init__(
            [
                Column[PreparedCertificate](
                    "Name",
                    _planned_name,
                    lambda c: (c.planned.last_name.casefold(), c.planned.first_name.casefold()),
                ),
                Column[PreparedCertificate]("Certificate", lambda c: _KIND[c.planned.kind]),
                Column[PreparedCertificate](
                    "Credit",
                    _award,
                    lambda c: (c.planned.credits or 0, c.planned.hours or 0),
                    align_right=True,
                ),
                Column[PreparedCertificate]("Number", lambda c: c.number),
                Column[PreparedCertificate]("Register", _action),
            ]
        )

    def extra_data(self, row: PreparedCertificate, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.action is Action.REISSUE:
            return text_brush("#9A3412")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.planned.name}: {row.planned.minutes} minutes of credit-eligible time"
        return None


def _not_eligible_name(person: NotEligible) -> str:
    """As the list of certificates beside it names people: last name first."""
    name = f"{person.last_name}, {person.first_name}" if person.first_name else person.last_name
    name = name or person.name
    return f"{name} ({person.credentials})" if person.credentials else name


class NotEligibleModel(RowsModel[NotEligible]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column[NotEligible](
                    "Name",
                    _not_eligible_name,
                    lambda n: (n.last_name.casefold(), n.first_name.casefold()),
                ),
                Column[NotEligible]("Why no certificate", lambda n: n.reason),
            ]
        )

    def extra_data(self, row: NotEligible, column: int, role: int) -> Any:
        # The reason is often longer than its column: hovering shows all of it.
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}: {row.reason}"
        return None


def _register_credit(entry: RegisterEntry) -> str:
    if entry.credits is not None:
        return f"{_amount(entry.credits)} credits"
    if entry.hours is not None:
        return f"{_amount(entry.hours)} hours"
    return ""


class RegisterModel(RowsModel[RegisterEntry]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column[RegisterEntry]("Number", lambda e: e.number),
                Column[RegisterEntry]("Code", lambda e: e.verification_code),
                Column[RegisterEntry](
                    "Name",
                    lambda e: e.printed_name,
                    lambda e: (e.last_name.casefold(), e.first_name.casefold()),
                ),
                Column[RegisterEntry]("Meeting", lambda e: e.meeting_title),
                Column[RegisterEntry](
                    "Date", lambda e: e.meeting_start.isoformat(), lambda e: e.meeting_start
                ),
                Column[RegisterEntry]("Certificate", lambda e: e.kind.label),
                Column[RegisterEntry](
                    "Credit",
                    _register_credit,
                    lambda e: (e.credits or 0, e.hours or 0),
                    align_right=True,
                ),
                Column[RegisterEntry](
                    "Issued", lambda e: e.issued_on.isoformat(), lambda e: e.issued_on
                ),
                Column[RegisterEntry](
                    "Reissued",
                    lambda e: f"{e.reissue_count}× · {e.reissue_reason}" if e.reissue_count else "",
                    lambda e: e.reissue_count,
                ),
            ]
        )

    def extra_data(self, row: RegisterEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{row.printed_name} — {row.meeting_title}", f"Email: {row.email or '—'}"]
            if row.reissue_count and row.last_reissued_on:
                lines.append(
                    f"Reissued {row.reissue_count} time(s), last on "
                    f"{row.last_reissued_on.isoformat()}: {row.reissue_reason}"
                )
            return "\n".join(lines)
        return None
