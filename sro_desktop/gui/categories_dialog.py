"""Editing the expense categories: add, rename (its expenses follow), remove (hidden when
still in use), and order. Each change is its own saved action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.ledger import (
    add_expense_category,
    expense_categories,
    move_expense_category,
    remove_expense_category,
    rename_expense_category,
)


class CategoriesDialog(QDialog):
    def __init__(
        self,
        database: Database,
        changed: Callable[[DataChanged], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Expense categories")
        self._database = database
        self._changed = changed
        self.list = QListWidget()
        self.list.setAccessibleName("Expense categories")
        note = QLabel(
            "Renaming a category renames it on its expenses too. A category that expenses "
            "still use is hidden from the list when removed; its expenses keep it."
        )
        note.setWordWrap(True)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.rename_button = QPushButton("&Rename…")
        self.remove_button = QPushButton("Re&move")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        for button, slot in (
            (self.add_button, self.add),
            (self.rename_button, self.rename),
            (self.remove_button, self.remove),
            (self.up_button, lambda: self.move_selected(-1)),
            (self.down_button, lambda: self.move_selected(1)),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        current = select or (self.list.currentItem().text() if self.list.currentItem() else None)
        with self._database.session() as session:
            names = expense_categories(session)
        self.list.clear()
        self.list.addItems(names)
        for index in range(self.list.count()):
            if self.list.item(index).text() == current:
                self.list.setCurrentRow(index)
                break
        else:
            self.list.setCurrentRow(0 if names else -1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        chosen = row >= 0
        self.rename_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(chosen and row < self.list.count() - 1)

    def _selected(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None else None

    def _save(self, action: str, work: Callable[..., object], summary: str) -> bool:
        try:
            with self._database.transaction(action=action) as session:
                work(session)
        except UserError as error:
            show_error(self, action, error)
            return False
        self._changed(DataChanged(frozenset({"expense_categories", "expenses"}), summary))
        return True

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add category", "Name of the new category:")
        if (
            ok
            and name.strip()
            and self._save(
                "Add expense category",
                lambda s: add_expense_category(s, name),
                f"added the category {name.strip()}",
            )
        ):
            self.refresh(" ".join(name.split()))

    def rename(self, new_name: str | None = None) -> None:
        old = self._selected()
        if old is None:
            return
        if new_name is None:
            new_name, ok = QInputDialog.getText(self, "Rename category", "New name:", text=old)
            if not ok:
                return
        if new_name.strip() and self._save(
            "Rename expense category",
            lambda s: rename_expense_category(s, old, new_name),
            f"renamed {old} to {new_name.strip()}",
        ):
            self.refresh(" ".join(new_name.split()))

    def remove(self) -> None:
        name = self._selected()
        if name is not None and self._save(
            "Remove expense category",
            lambda s: remove_expense_category(s, name),
            f"removed the category {name}",
        ):
            self.refresh()

    def move_selected(self, steps: int) -> None:
        name = self._selected()
        if name is not None and self._save(
            "Reorder expense categories",
            lambda s: move_expense_category(s, name, steps),
            "reordered the categories",
        ):
            self.refresh(name)
