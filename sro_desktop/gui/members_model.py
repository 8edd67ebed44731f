"""The members table: one row per person, read from the members service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from sro_desktop.db.models import EmployerType, JobRole
from sro_desktop.services.members import MemberRow

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def _label(enum_class: type[EmployerType] | type[JobRole], value: str | None) -> str:
    return enum_class(value).label if value else ""


COLUMNS: tuple[tuple[str, Callable[[MemberRow], Any]], ...] = (
    ("Last name", lambda r: r.last_name),
    ("First name", lambda r: r.first_name),
    ("Credentials", lambda r: r.credentials),
    ("Email", lambda r: r.email or ""),
    ("Phone", lambda r: r.phone),
    ("Organization", lambda r: r.organization or ""),
    ("Organization type", lambda r: _label(EmployerType, r.organization_type)),
    ("State", lambda r: r.state),
    ("Status", lambda r: r.status.value),
    ("Membership", lambda r: r.membership_type or ""),
    ("Paid through", lambda r: r.paid_through),
)


class MembersTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[MemberRow] = []

    def set_rows(self, rows: Sequence[MemberRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> MemberRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        member = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = COLUMNS[index.column()][1](member)
            if value is None:
                return ""
            return value.strftime("%b %d, %Y") if hasattr(value, "strftime") else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() < 2:
            return f"{member.first_name} {member.last_name} — {member.email or 'no email'}"
        if role == Qt.ItemDataRole.UserRole:
            return member.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][1]
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=lambda r: (key(r) is None, str(key(r) or "").casefold()),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.layoutChanged.emit()
