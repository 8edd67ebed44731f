"""A read-only table of a few rows of text, for the small lists of a member's record, the
renewals due and the duplicate pairs. Each row carries a key (an id) for the caller."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
KEY_ROLE = Qt.ItemDataRole.UserRole


class TextRowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], numeric: Sequence[int] = ()) -> None:
        super().__init__()
        self._headers = list(headers)
        self._numeric = set(numeric)
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[Any] = []

    def set_rows(self, rows: Sequence[tuple[Any, Sequence[str]]]) -> None:
        """Rows as (key, texts)."""
        self.beginResetModel()
        self._keys = [key for key, _ in rows]
        self._rows = [tuple(texts) for _, texts in rows]
        self.endResetModel()

    def key(self, row: int) -> Any:
        return self._keys[row]

    def keys(self) -> list[Any]:
        return list(self._keys)

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KEY_ROLE:
            return self._keys[index.row()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None
