"""The members table: rows fetched a page at a time as the view scrolls.

The model never holds the whole list: it asks a `PageFetcher` for the first page when
the query changes, and for the next page when the view scrolls near the end
(`canFetchMore`/`fetchMore`). Sorting by a column asks the fetcher again in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from sro_desktop.db.models import EmployerType
from sro_desktop.gui.member_list_reader import BATCH
from sro_desktop.services.members import MemberListPage, MemberRow
from sro_desktop.services.membership_status import MemberStatus

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# sort column, descending, start after this key, how many -> a page of rows
PageFetcher = Callable[[str, bool, tuple[Any, ...] | None, int], MemberListPage]


def _label(value: str | None) -> str:
    return EmployerType(value).label if value else ""


def _status_tip(row: MemberRow) -> str:
    paid = f"paid through {row.paid_through:%b %d, %Y}" if row.paid_through else "nothing paid"
    return {
        MemberStatus.CURRENT: f"Current: {paid}",
        MemberStatus.GRACE: f"In grace: {paid}; renewal is overdue",
        MemberStatus.LAPSED: f"Lapsed: {paid}",
        MemberStatus.PENDING: "Pending: the period has started but its dues are unpaid",
        MemberStatus.HONORARY: "Honorary: never expires",
        MemberStatus.NON_MEMBER: "Not a member: no membership on record",
    }[row.status]


# Header, sort key (see services.members.SORT_COLUMNS), value shown.
COLUMNS: tuple[tuple[str, str, Callable[[MemberRow], Any]], ...] = (
    ("Last name", "last_name", lambda r: r.last_name),
    ("First name", "first_name", lambda r: r.first_name),
    ("Credentials", "credentials", lambda r: r.credentials),
    ("Email", "email", lambda r: r.email or ""),
    ("Phone", "phone", lambda r: r.phone),
    ("Organization", "organization", lambda r: r.organization or ""),
    ("Organization type", "organization_type", lambda r: _label(r.organization_type)),
    ("State", "state", lambda r: r.state),
    ("Status", "status", lambda r: r.status.value),
    ("Membership", "membership_type", lambda r: r.membership_type or ""),
    ("Paid through", "paid_through", lambda r: r.paid_through),
)
STATUS_COLUMN = 8


class MembersTableModel(QAbstractTableModel):
    # A new query is about to replace the rows (views go back to the top first, so they
    # do not ask for more pages at the bottom of the new list at once).
    requery_started = Signal()

    def __init__(self, fetcher: PageFetcher | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetcher = fetcher
        self._rows: list[MemberRow] = []
        self._next: tuple[Any, ...] | None = None
        self._exhausted = True
        self._sort = (0, Qt.SortOrder.AscendingOrder)

    # -- what is shown ----------------------------------------------------------------

    def set_fetcher(self, fetcher: PageFetcher | None, *, at_least: int = 0) -> None:
        """Show a new query from its first page (and enough pages for `at_least` rows, so a
        refresh keeps the rows the user had scrolled to)."""
        self.requery_started.emit()
        self.beginResetModel()
        self._fetcher = fetcher
        self._rows = []
        self._next = None
        self._exhausted = fetcher is None
        while not self._exhausted and (not self._rows or len(self._rows) < at_least):
            self._load_page()
        self.endResetModel()

    def show_read(
        self, fetcher: PageFetcher, rows: Sequence[MemberRow], next_after: tuple[Any, ...] | None
    ) -> None:
        """Show a query whose first rows were read already (in the background), fetching
        on from `next_after`; the view keeps its place (no `requery_started`)."""
        self.beginResetModel()
        self._fetcher = fetcher
        self._rows = list(rows)
        self._next = next_after
        self._exhausted = next_after is None
        self.endResetModel()

    def sort_order(self) -> tuple[str, bool]:
        """The sort key (see services.members.SORT_COLUMNS) and whether it is descending."""
        column, order = self._sort
        return COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder

    def set_rows(self, rows: Sequence[MemberRow]) -> None:
        """Show a fixed list (no fetching)."""
        self.beginResetModel()
        self._fetcher = None
        self._rows = list(rows)
        self._exhausted = True
        self.endResetModel()

    def _load_page(self) -> list[MemberRow]:
        assert self._fetcher is not None
        column, order = self._sort
        page = self._fetcher(
            COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder, self._next, BATCH
        )
        self._rows.extend(page.rows)
        self._next = page.next_after
        self._exhausted = page.next_after is None
        return page.rows

    def row_at(self, row: int) -> MemberRow:
        return self._rows[row]

    def row_of(self, member_id: int) -> int | None:
        """The row showing `member_id` among those loaded, if any."""
        for number, row in enumerate(self._rows):
            if row.id == member_id:
                return number
        return None

    def loaded(self) -> int:
        return len(self._rows)

    # -- Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = _ROOT) -> None:
        if parent.isValid() or self._exhausted or self._fetcher is None:
            return
        column, order = self._sort
        page = self._fetcher(
            COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder, self._next, BATCH
        )
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._next = page.next_after
            self._exhausted = page.next_after is None
            self.endInsertRows()
        else:
            self._next = None
            self._exhausted = True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        member = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = COLUMNS[index.column()][2](member)
            if value is None:
                return ""
            return value.strftime("%b %d, %Y") if isinstance(value, date) else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == STATUS_COLUMN:
                return _status_tip(member)
            if index.column() < 2:
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
        if not 0 <= column < len(COLUMNS) or (column, order) == self._sort:
            return
        self._sort = (column, order)
        if self._fetcher is not None:
            self.set_fetcher(self._fetcher)
            return
        key = COLUMNS[column][2]
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=lambda r: (key(r) is None, str(key(r) or "").casefold()),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.layoutChanged.emit()
