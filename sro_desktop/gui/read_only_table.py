"""A read-only list shown as a table: the model skeleton (fixed column headers, no child
rows) and the view set up for picking one row, shared by the audit trail and the backups
list so that both behave the same way (one row at a time, no editing, no row numbers).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ReadOnlyTableModel(QAbstractTableModel):
    """Columns named by `HEADERS`; a subclass says how many rows (`row_total`) and what
    each cell shows (`cell`) for the roles it answers (`ROLES`: its text and tooltip)."""

    HEADERS: tuple[str, ...] = ()
    ROLES: tuple[Qt.ItemDataRole, ...] = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)

    def row_total(self) -> int:
        raise NotImplementedError

    def cell(self, row_number: int, column: int, role: int) -> object:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in self.ROLES:
            return None
        return self.cell(index.row(), index.column(), role)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


def read_only_table(model: QAbstractTableModel, name: str, *, word_wrap: bool = True) -> QTableView:
    """A table of `model` where one whole row is chosen at a time and nothing is edited;
    `name` is what a screen reader says."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(word_wrap)
    view.setAccessibleName(name)
    return view
