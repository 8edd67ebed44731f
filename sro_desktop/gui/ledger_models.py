"""Table models of the Finances page: income, expenses and who owes, each a list of plain
rows from the services, with money right-aligned and a checkable "Reconciled" column.

Ticking a reconciled box does not write anything itself: the model asks
(`reconcile_requested`) and the page records it as one undoable action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from sro_desktop.services.currency import format_money
from sro_desktop.services.ledger import ExpenseRow, IncomeRow
from sro_desktop.services.owed import PersonOwing, short_date

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
Row = TypeVar("Row")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    value: Callable[[Row], Any]


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of rows; `reconciled` names the attribute of a checkable column."""

    reconcile_requested = Signal(list, bool)  # row ids, new mark

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        *,
        currency: str = "USD",
        reconciled_column: int | None = None,
        row_id: Callable[[Row], int] | None = None,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[Row] = []
        self.currency = currency
        self._reconciled_column = reconciled_column
        self._row_id = row_id

    def set_rows(self, rows: Sequence[Row], currency: str | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if currency is not None:
            self.currency = currency
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def _text(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return ""
        if isinstance(value, Decimal):
            return format_money(value, self.currency)
        if isinstance(value, date):
            return short_date(value)
        return str(value)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        value = self._columns[index.column()].value(row)
        checkable = index.column() == self._reconciled_column
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(value)
        if role == Qt.ItemDataRole.CheckStateRole and checkable:
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if isinstance(value, Decimal | int) and not checkable else LEFT)
        if role == Qt.ItemDataRole.UserRole:
            # The sort key: numbers and dates as themselves, text case-folded.
            if isinstance(value, Decimal | int | date | bool):
                return value
            return self._text(value).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._text(value)
            return text if len(text) > 18 else None  # longer text may be cut off
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self._reconciled_column:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != self._reconciled_column
            or self._row_id is None
        ):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.reconcile_requested.emit([self._row_id(self._rows[index.row()])], checked)
        return False  # the page re-reads the rows once the mark is saved

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].title
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        getter = self._columns[column].value

        def key(row: Row) -> tuple[int, Any]:
            value = getter(row)
            if value is None:
                return (1, "")
            if isinstance(value, Decimal | int | date | bool):
                return (0, value)
            return (0, self._text(value).casefold())

        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


INCOME_COLUMNS: tuple[Column[IncomeRow], ...] = (
    Column("Date", lambda r: r.paid_on),
    Column("Payer", lambda r: r.payer),
    Column("Category", lambda r: r.category),
    Column("Meeting", lambda r: r.meeting),
    Column("Method", lambda r: r.method.label + (f" {r.reference}" if r.reference else "")),
    Column("Amount", lambda r: r.amount),
    Column("Receipt", lambda r: f"{r.receipt_number:06d}" if r.receipt_number else ""),
    Column("Reconciled", lambda r: r.reconciled),
    Column("Memo", lambda r: r.memo),
)
INCOME_RECONCILED = 7

EXPENSE_COLUMNS: tuple[Column[ExpenseRow], ...] = (
    Column("Date", lambda r: r.paid_on),
    Column("Payee", lambda r: r.payee),
    Column("Category", lambda r: r.category),
    Column("Meeting", lambda r: r.meeting),
    Column("Method", lambda r: r.method.label + (f" {r.reference}" if r.reference else "")),
    Column("Amount", lambda r: r.amount),
    Column("Reconciled", lambda r: r.reconciled),
    Column("Memo", lambda r: r.memo),
)
EXPENSE_RECONCILED = 6

OWED_COLUMNS: tuple[Column[PersonOwing], ...] = (
    Column("Name", lambda p: p.name),
    Column("Email", lambda p: p.email),
    Column("What is owed", lambda p: "; ".join(i.description for i in p.items)),
    Column("Oldest", lambda p: min(i.since for i in p.items)),
    Column("Outstanding", lambda p: p.total),
)


def income_model() -> RowsModel[IncomeRow]:
    return RowsModel(INCOME_COLUMNS, reconciled_column=INCOME_RECONCILED, row_id=lambda r: r.id)


def expense_model() -> RowsModel[ExpenseRow]:
    return RowsModel(EXPENSE_COLUMNS, reconciled_column=EXPENSE_RECONCILED, row_id=lambda r: r.id)


def owed_model() -> RowsModel[PersonOwing]:
    return RowsModel(OWED_COLUMNS)
