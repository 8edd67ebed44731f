"""Table models of the import wizard: the column mapping (editable), the preview of the
first rows with their problems, and the plain lists of the review page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from sro_desktop.gui.theme_colors import text_brush, tint
from sro_desktop.spreadsheets.column_mapping import ColumnMap, Field
from sro_desktop.spreadsheets.sheet_data import Table

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
NOT_IMPORTED = "— not imported —"
PROBLEM_BRUSH = QBrush(QColor("#F8D7DA"))
_EXAMPLES = 3


class TextTableModel(QAbstractTableModel):
    """Rows of text; cells listed in `problems` are tinted and carry their message."""

    def __init__(self, headers: Sequence[str] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[list[str]] = []
        self._problems: dict[tuple[int, int], str] = {}

    def set_rows(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        problems: dict[tuple[int, int], str] | None = None,
    ) -> None:
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = [list(row) for row in rows]
        self._problems = dict(problems or {})
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = index.row(), index.column()
        cells = self._rows[row]
        text = cells[column] if column < len(cells) else ""
        problem = self._problems.get((row, column))
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem or (text if len(text) > 30 else None)
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return QBrush(tint(PROBLEM_BRUSH.color()))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


class MappingModel(QAbstractTableModel):
    """One row per column of the file: its header, example values, and the field it feeds."""

    mapping_changed = Signal()
    HEADERS = ("Column in the file", "Examples", "Imports as")
    FIELD_COLUMN = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._examples: list[str] = []
        self._fields: dict[str, Field] = {}
        self._chosen: dict[str, str] = {}

    def set_table(self, table: Table, fields: Sequence[Field], mapping: ColumnMap) -> None:
        self.beginResetModel()
        self._headers = list(table.headers)
        self._fields = {field.key: field for field in fields}
        self._chosen = dict(mapping.fields)
        self._examples = []
        for position in range(len(self._headers)):
            values = [
                str(row.values[position])
                for row in table.rows[:50]
                if row.values[position] is not None
            ][:_EXAMPLES]
            self._examples.append(", ".join(v if len(v) < 30 else v[:29] + "…" for v in values))
        self.endResetModel()

    def field_choices(self) -> list[tuple[str, str | None]]:
        return [(NOT_IMPORTED, None)] + [(f.label, f.key) for f in self._fields.values()]

    def chosen(self) -> dict[str, str]:
        return {h: self._chosen[h] for h in self._headers if h in self._chosen}

    def choose(self, row: int, key: str | None) -> None:
        header = self._headers[row]
        if key is None:
            self._chosen.pop(header, None)
        else:
            for other, other_key in list(self._chosen.items()):
                if other_key == key and other != header:
                    del self._chosen[other]  # a field comes from one column
            self._chosen[header] = key
        self.dataChanged.emit(
            self.index(0, self.FIELD_COLUMN), self.index(len(self._headers) - 1, self.FIELD_COLUMN)
        )
        self.mapping_changed.emit()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == self.FIELD_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._headers):
            return None
        header = self._headers[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return header
            if column == 1:
                return self._examples[index.row()]
            key = self._chosen.get(header)
            return self._fields[key].label if key in self._fields else NOT_IMPORTED
        if role == Qt.ItemDataRole.EditRole and column == self.FIELD_COLUMN:
            return self._chosen.get(header)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and header not in self._chosen:
            return text_brush("#777777")
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.FIELD_COLUMN:
            return False
        self.choose(index.row(), value if value in self._fields else None)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class FieldDelegate(QStyledItemDelegate):
    """A drop-down of the fields for the "Imports as" column."""

    def __init__(self, model: MappingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QComboBox(parent)
        for label, key in self._model.field_choices():
            editor.addItem(label, key)
        editor.activated.connect(lambda _i, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
