"""The Income, Expenses and Who owes tabs of the Finances page.

Each tab shows rows read from the services for the fiscal year chosen on the page; what
the user does (add, edit, delete, reconcile, print a receipt, export) is handed to the page
as an undoable action or done in one transaction here, then announced as `DataChanged`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.documents.pdf_files import StagedFile
from sro_desktop.documents.receipts import receipt_pdf
from sro_desktop.errors import UserError
from sro_desktop.gui.column_fitting import fit_columns
from sro_desktop.gui.errors import report_bug, show_error
from sro_desktop.gui.ledger_models import RowsModel, expense_model, income_model, owed_model
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.currency import format_money
from sro_desktop.services.ledger import (
    ExpenseRow,
    FiscalYear,
    IncomeRow,
    TransactionKind,
    currency,
    expense_rows,
    income_rows,
    sum_amounts,
)
from sro_desktop.services.owed import OwedList, who_owes
from sro_desktop.services.receipts import issue_receipt, next_receipt_number
from sro_desktop.spreadsheets.owed_xlsx import write_owed

Announce = Callable[[DataChanged], None]


def _table(model: RowsModel[Any]) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


# Columns kept narrower than the rest (their full text is in the tooltip), so that the
# Reconciled ticks and the amount outstanding stay in sight on a laptop screen instead of
# past the scroll bar.
_NARROW_COLUMNS = {"Meeting": 140, "Email": 230, "What is owed": 280}


def _fit(table: QTableView, cap: int = 190) -> None:
    model = table.model()
    horizontal = Qt.Orientation.Horizontal
    titles = (str(model.headerData(c, horizontal)) for c in range(model.columnCount()))
    caps = {c: _NARROW_COLUMNS[t] for c, t in enumerate(titles) if t in _NARROW_COLUMNS}
    fit_columns(table, cap=cap, caps=caps)


def _matches(words: list[str], *fields: str) -> bool:
    text = " ".join(fields).casefold()
    return all(word in text for word in words)


class _LedgerTab(QWidget):
    """Shared frame: a search box, an "only unreconciled" box, buttons, a table, a total;
    subclasses say which rows it lists (`read_rows`) and what the search looks in."""

    reconcile = Signal(str, list, bool)  # kind, ids, mark

    def __init__(
        self, kind: TransactionKind, noun: str, search_hint: str, model: RowsModel[Any]
    ) -> None:
        super().__init__()
        self.kind, self.noun, self.model = kind, noun, model
        model.reconcile_requested.connect(lambda ids, mark: self.reconcile.emit(kind, ids, mark))
        self.database: Database | None = None
        self.year: FiscalYear | None = None
        self.search = QLineEdit(placeholderText=search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        self.unreconciled_only = QCheckBox("Only &unreconciled")
        self.mark_button = QPushButton("Mark reconciled")
        self.clear_button = QPushButton("Clear mark")
        self.total_label = QLabel()
        self.bar = QHBoxLayout()
        self.bar.addWidget(self.search, 2)
        self.bar.addWidget(self.unreconciled_only)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.mark_button)
        self.buttons.addWidget(self.clear_button)
        self.search.textChanged.connect(self.refresh)
        self.unreconciled_only.toggled.connect(self.refresh)
        self.mark_button.clicked.connect(lambda: self._mark(True))
        self.clear_button.clicked.connect(lambda: self._mark(False))

    def lay_out(self, table: QTableView) -> None:
        self.table = table
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self.bar)
        layout.addWidget(table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total_label, 1)
        bottom.addLayout(self.buttons)
        layout.addLayout(bottom)
        self._fitted = False
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def set_year(self, database: Database | None, year: FiscalYear | None) -> None:
        self.database, self.year = database, year
        self.refresh()

    def read_rows(self, session: Session, reconciled: bool | None) -> Sequence[Any]:
        """The tab's rows of `self.year` (only those with this mark, when given)."""
        raise NotImplementedError

    def searched(self, row: Any) -> tuple[str, ...]:
        """The texts of `row` that the search box looks in."""
        raise NotImplementedError

    def refresh(self) -> None:
        if self.database is None or self.year is None:
            self.model.set_rows([])
            self.total_label.setText("")
            return
        only_open = self.unreconciled_only.isChecked()
        with self.database.session() as session:
            rows = self.read_rows(session, reconciled=False if only_open else None)
            money = currency(session)
        words = self.search.text().casefold().split()
        if words:
            rows = [r for r in rows if _matches(words, *self.searched(r))]
        self.model.set_rows(list(rows), money)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        total = format_money(sum_amounts([r.amount for r in rows]), money)
        self.total_label.setText(f"{len(rows):,} {self.noun}, {total}")
        self.after_fill(len(rows))

    def _mark(self, mark: bool) -> None:
        ids = [self.model.row_at(r).id for r in self.selected_rows()]
        if ids:
            self.reconcile.emit(self.kind, ids, mark)

    def update_buttons(self) -> None:
        chosen = bool(self.selected_rows())
        self.mark_button.setEnabled(chosen)
        self.clear_button.setEnabled(chosen)

    def after_fill(self, rows: int) -> None:
        if rows and not self._fitted:
            _fit(self.table)
            self._fitted = True
        self.update_buttons()


class IncomeTab(_LedgerTab):
    """Every payment of the year: dues, registration fees, sponsorships, donations."""

    add_requested = Signal()

    def __init__(self, announce: Announce) -> None:
        super().__init__(
            "income", "payments", "Search payer, category, meeting, memo…", income_model()
        )
        self._announce = announce
        self.open_saved_files = True
        self.add_button = QPushButton("Add &income…")
        self.receipt_button = QPushButton("Recei&pt…")
        self.receipt_button.setToolTip(
            "Save the numbered receipt for the selected payment as a PDF and open it to print"
        )
        self.buttons.insertWidget(0, self.add_button)
        self.buttons.insertWidget(1, self.receipt_button)
        self.add_button.clicked.connect(self.add_requested.emit)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.lay_out(_table(self.model))

    def read_rows(self, session: Session, reconciled: bool | None) -> list[IncomeRow]:
        assert self.year is not None
        return income_rows(session, self.year.start, self.year.after, reconciled=reconciled)

    def searched(self, row: IncomeRow) -> tuple[str, ...]:
        return (row.payer, row.category, row.meeting, row.memo, row.reference)

    def update_buttons(self) -> None:
        super().update_buttons()
        self.receipt_button.setEnabled(len(self.selected_rows()) == 1)

    def print_receipt(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1 or self.database is None:
            return
        row = self.model.row_at(rows[0])
        settings = QSettings()
        folder = Path(str(settings.value("folders/receipts", str(Path.home()))))
        if row.receipt_number is None:
            with self.database.session() as session:
                number = f"{next_receipt_number(session):06d}"  # what it will most likely get
        else:
            number = f"{row.receipt_number:06d}"
        suggested = folder / f"Receipt {number} - {row.payer or 'payer'}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, "Save receipt", str(suggested), "PDF (*.pdf)")
        if name:
            self.save_receipt(row.id, Path(name))

    def save_receipt(self, payment_id: int, out: Path) -> int | None:
        """Issue (or reprint) the receipt into `out`; returns its number."""
        if self.database is None:
            return None
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        action = "Issue receipt"
        try:
            with StagedFile(out, "receipt") as staged:
                with self.database.transaction(action=action) as session:
                    receipt = issue_receipt(session, payment_id)
                    staged.write(receipt_pdf(receipt))
                staged.publish()
        except UserError as error:
            show_error(self, action, error)
            return None
        except Exception as error:
            report_bug(self, action, error)
            return None
        QSettings().setValue("folders/receipts", str(out.parent))
        word = "Reprinted" if receipt.reprint else "Issued"
        self._announce(
            DataChanged(
                frozenset({"payments"}),
                f"{word} receipt no. {receipt.number_text} ({out.name})",
            )
        )
        if self.open_saved_files:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
        return receipt.number


class ExpensesTab(_LedgerTab):
    """Every expense of the year, with add, edit, delete and the categories."""

    add_requested = Signal()
    edit_requested = Signal(int)
    delete_requested = Signal(list)
    categories_requested = Signal()

    def __init__(self) -> None:
        super().__init__(
            "expense", "expenses", "Search payee, category, meeting, memo…", expense_model()
        )
        self.add_button = QPushButton("&Add expense…")
        self.edit_button = QPushButton("Ed&it…")
        self.delete_button = QPushButton("De&lete")
        self.categories_button = QPushButton("Ca&tegories…")
        for index, button in enumerate(
            (self.add_button, self.edit_button, self.delete_button, self.categories_button)
        ):
            self.buttons.insertWidget(index, button)
        self.add_button.clicked.connect(self.add_requested.emit)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        self.categories_button.clicked.connect(self.categories_requested.emit)
        self.lay_out(_table(self.model))
        self.table.doubleClicked.connect(lambda _index: self._edit())
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete)
        self.empty_note = QLabel()

    def read_rows(self, session: Session, reconciled: bool | None) -> list[ExpenseRow]:
        assert self.year is not None
        return expense_rows(session, self.year.start, self.year.after, reconciled=reconciled)

    def searched(self, row: ExpenseRow) -> tuple[str, ...]:
        return (row.payee, row.category, row.meeting, row.memo, row.reference)

    def update_buttons(self) -> None:
        super().update_buttons()
        rows = self.selected_rows()
        self.edit_button.setEnabled(len(rows) == 1)
        self.delete_button.setEnabled(bool(rows))

    def _edit(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self.edit_requested.emit(self.model.row_at(rows[0]).id)

    def _delete(self) -> None:
        ids = [self.model.row_at(r).id for r in self.selected_rows()]
        if ids:
            self.delete_requested.emit(ids)


class OwedTab(QWidget):
    """Who owes dues or registration fees today, per person and in total, with export."""

    def __init__(self, today: Callable[[], date]) -> None:
        super().__init__()
        self.database: Database | None = None
        self._today = today
        self.owed: OwedList | None = None
        self.currency = "USD"
        self.model = owed_model()
        self.table = _table(self.model)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.export_button = QPushButton("E&xport to Excel…")
        self.export_button.clicked.connect(self.export_dialog)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._fitted = False

    def set_database(self, database: Database | None) -> None:
        """Take the database; the page refreshes the tab when it is shown."""
        self.database = database
        self.owed = None

    def refresh(self) -> None:
        if self.database is None:
            self.model.set_rows([])
            self.summary.setText("")
            return
        with self.database.session() as session:
            self.owed = who_owes(session, self._today())
            self.currency = currency(session)
        owed, money = self.owed, self.currency
        self.model.set_rows(list(owed.people), money)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        today = self._today()
        self.summary.setText(
            f"<b>{len(owed.people):,} people owe {format_money(owed.total, money)}</b> as of "
            f"{today:%b} {today.day}, {today.year}: dues "
            f"{format_money(owed.total_of('dues'), money)}, registration fees "
            f"{format_money(owed.total_of('registration'), money)}."
        )
        self.export_button.setEnabled(bool(owed.people))
        if owed.people and not self._fitted:
            _fit(self.table, 320)
            self._fitted = True

    def export_dialog(self) -> None:
        if self.owed is None:
            return
        today = self._today()
        suggested = Path(str(QSettings().value("folders/exports", str(Path.home()))))
        suggested = suggested / f"Who owes {today.isoformat()}.xlsx"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export who owes", str(suggested), "Excel workbook (*.xlsx)"
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, out: Path) -> bool:
        if self.owed is None:
            return False
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        try:
            write_owed(self.owed, self.currency, out)
        except UserError as error:
            show_error(self, "Export who owes", error)
            return False
        QSettings().setValue("folders/exports", str(out.parent))
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Saved the list of who owes to {out}", 8000)
        return True
