"""The Finances page: the fiscal year's figures at a glance, the dashboard of charts, the
income and expense ledgers with reconciliation marks, who owes, and the year-end
treasurer's report (Excel for the books, PDF for the board packet).

The charts module (QtCharts) is imported the first time the dashboard is shown, so the
app starts without loading it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.documents.pdf_files import save_pdf
from sro_desktop.documents.treasurer_report_pdf import treasurer_report_pdf
from sro_desktop.gui.categories_dialog import CategoriesDialog
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.ledger_dialogs import ExpenseDialog, IncomeDialog, OpeningBalanceDialog
from sro_desktop.gui.ledger_tabs import ExpensesTab, IncomeTab, OwedTab
from sro_desktop.gui.ledger_undo import (
    AddExpenseCommand,
    AddIncomeCommand,
    DeleteExpenseCommand,
    EditExpenseCommand,
    LedgerCommand,
    LedgerContext,
    ReconcileCommand,
)
from sro_desktop.gui.task_runner import Cancelled, Progress, TaskRunner
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.currency import format_money
from sro_desktop.services.finance_dashboard import DashboardFigures, dashboard_figures
from sro_desktop.services.ledger import (
    ExpenseValues,
    FiscalYear,
    TransactionKind,
    balance_at_start_of,
    currency,
    current_fiscal_year,
    expense_categories,
    expense_values,
    fiscal_years_with_data,
    meeting_choices,
    opening_balance,
    set_opening_balance,
    total_expenses,
    total_income,
)
from sro_desktop.services.treasurer_report import treasurer_report
from sro_desktop.spreadsheets.treasurer_report_xlsx import write_treasurer_report

if TYPE_CHECKING:
    from sro_desktop.gui.finance_charts import FinanceDashboard

# The changes that alter what this page shows.
WATCHED = (
    "*",
    "payments",
    "expenses",
    "expense_categories",
    "opening_balance",
    "members",
    "memberships",
    "registrations",
    "meetings",
    "organization_settings",
)
DASHBOARD_YEARS = 5
DASHBOARD, INCOME, EXPENSES, OWED = range(4)


class FinancesPage(QWidget):
    """Announces its own changes on `data_changed`; the window broadcasts them back."""

    data_changed = Signal(object)

    def __init__(
        self,
        undo_stack: QUndoStack,
        tasks: TaskRunner,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self._undo_stack = undo_stack
        self._tasks = tasks
        self._today = today
        self._dirty = {DASHBOARD, INCOME, EXPENSES, OWED}
        self.context = LedgerContext(lambda: self._database, self.announce, self)
        self.dashboard: FinanceDashboard | None = None
        self.last_report: Path | None = None
        self.dashboard_shown: DashboardFigures | None = None
        self._after_idle: list[Callable[[], None]] = []

        self.year_box = QComboBox()
        self.year_box.setAccessibleName("Fiscal year")
        self.year_box.setMinimumContentsLength(8)
        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.report_button = QPushButton("Treasurer's &report…")
        self.report_button.setToolTip("Save the year-end report as an Excel workbook or a PDF")
        self.report_button.clicked.connect(self.report_dialog)
        self.opening_button = QPushButton("&Opening balance…")
        self.opening_button.clicked.connect(self.opening_balance_dialog)

        self.income_tab = IncomeTab(self.announce)
        self.expenses_tab = ExpensesTab()
        self.owed_tab = OwedTab(today)
        self.dashboard_holder = QWidget()
        self.dashboard_layout = QVBoxLayout(self.dashboard_holder)
        self.dashboard_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.dashboard_holder, "&Dashboard")
        self.tabs.addTab(self.income_tab, "I&ncome")
        self.tabs.addTab(self.expenses_tab, "E&xpenses")
        self.tabs.addTab(self.owed_tab, "&Who owes")
        self.tabs.currentChanged.connect(lambda _index: self._refresh_visible())

        self.income_tab.reconcile.connect(self.reconcile)
        self.income_tab.add_requested.connect(self.add_income_dialog)
        self.expenses_tab.reconcile.connect(self.reconcile)
        self.expenses_tab.add_requested.connect(self.add_expense_dialog)
        self.expenses_tab.edit_requested.connect(self.edit_expense_dialog)
        self.expenses_tab.delete_requested.connect(self.delete_expenses)
        self.expenses_tab.categories_requested.connect(self.categories_dialog)
        add_expense = QShortcut(QKeySequence("Ctrl+Shift+E"), self)
        add_expense.activated.connect(self.add_expense_dialog)
        add_income = QShortcut(QKeySequence("Ctrl+Shift+I"), self)
        add_income.activated.connect(self.add_income_dialog)

        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Finances</h2>"))
        top.addSpacing(16)
        year_label = QLabel("Fiscal &year:")
        year_label.setBuddy(self.year_box)
        top.addWidget(year_label)
        top.addWidget(self.year_box)
        top.addStretch(1)
        top.addWidget(self.opening_button)
        top.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self._set_enabled(False)

    # -- database and refresh ------------------------------------------------------------

    @property
    def year(self) -> FiscalYear | None:
        data = self.year_box.currentData()
        return data if isinstance(data, FiscalYear) else None

    def focus_search(self) -> bool:
        """Edit > Find (Ctrl+F): search the expenses if they are shown, else the income."""
        if self._database is None:
            return False
        if self.tabs.currentWidget() is not self.expenses_tab:
            self.tabs.setCurrentWidget(self.income_tab)
        search = self.expenses_tab.search
        if self.tabs.currentWidget() is self.income_tab:
            search = self.income_tab.search
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()
        return True

    def select_year(self, year: int) -> bool:
        """Show fiscal year `year` if the list has it."""
        for index in range(self.year_box.count()):
            if self.year_box.itemData(index).year == year:
                self.year_box.setCurrentIndex(index)
                return True
        return False

    def set_database(self, database: Database | None) -> None:
        self._database = database
        self._fill_years()
        self.owed_tab.set_database(database)
        self._set_enabled(database is not None)
        self._dirty = {DASHBOARD, INCOME, EXPENSES, OWED}
        self.refresh()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.year_box, self.report_button, self.opening_button, self.tabs):
            widget.setEnabled(enabled)

    def _fill_years(self, keep: int | None = None) -> None:
        self.year_box.blockSignals(True)
        self.year_box.clear()
        if self._database is not None:
            with self._database.session() as session:
                years = fiscal_years_with_data(session, self._today())
                current = current_fiscal_year(session, self._today())
            for year in years:
                self.year_box.addItem(year.label, year)
            wanted = keep if keep is not None else current.year
            for index in range(self.year_box.count()):
                if self.year_box.itemData(index).year == wanted:
                    self.year_box.setCurrentIndex(index)
        self.year_box.blockSignals(False)

    def _year_changed(self) -> None:
        self._dirty |= {DASHBOARD, INCOME, EXPENSES}  # who owes is as of today, any year
        self.refresh()

    def on_data_changed(self, change: DataChanged) -> None:
        if not change.touches(*WATCHED):
            return
        year = self.year
        self._fill_years(keep=year.year if year else None)
        self._dirty = {DASHBOARD, INCOME, EXPENSES, OWED}
        self.refresh()

    def announce(self, change: DataChanged) -> None:
        """Tell the window (and so every page, this one included) what changed."""
        self.data_changed.emit(change)
        window = self.window()
        if change.summary and isinstance(window, QMainWindow):
            text = change.summary[0].upper() + change.summary[1:]
            window.statusBar().showMessage(text, 8000)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh_visible()

    def refresh(self) -> None:
        self._refresh_summary()
        self._refresh_visible()

    def _refresh_visible(self) -> None:
        if not self.isVisible():
            return
        index = self.tabs.currentIndex()
        if index not in self._dirty:
            return
        self._dirty.discard(index)
        if index == DASHBOARD:
            self._refresh_dashboard()
        elif index == INCOME:
            self.income_tab.set_year(self._database, self.year)
        elif index == EXPENSES:
            self.expenses_tab.set_year(self._database, self.year)
        else:
            self.owed_tab.refresh()

    def _refresh_summary(self) -> None:
        year = self.year
        if self._database is None or year is None:
            self.summary.setText("")
            return
        with self._database.session() as session:
            money = currency(session)
            opening = balance_at_start_of(session, year.start)
            income = total_income(session, year.start, year.after)
            spent = total_expenses(session, year.start, year.after)
            has_opening = opening_balance(session) is not None
        closing = opening + income - spent
        closing_word = "Balance today" if year.contains(self._today()) else "Closing balance"
        note = "" if has_opening else " <i>(no opening balance set: counted from zero)</i>"
        self.summary.setText(
            f"{year.description}: opening balance <b>{format_money(opening, money)}</b> · "
            f"income <b>{format_money(income, money)}</b> · expenses "
            f"<b>{format_money(spent, money)}</b> · net <b>{format_money(income - spent, money)}"
            f"</b> · {closing_word} "
            f"<b>{format_money(closing, money)}</b>{note}"
        )

    def _refresh_dashboard(self) -> None:
        """Gather the figures in the background (at 100,000 members it takes seconds),
        then draw them."""
        if self.dashboard is None:
            from sro_desktop.gui.finance_charts import FinanceDashboard

            self.dashboard = FinanceDashboard()
            self.dashboard_layout.addWidget(self.dashboard)
        database, year, today = self._database, self.year, self._today()
        if database is None or year is None:
            return
        if self._tasks.busy:  # one piece of work at a time; draw when it is done
            self._dirty.add(DASHBOARD)
            self._when_idle(self._refresh_visible)
            return

        def work(progress: Progress) -> DashboardFigures:
            progress.report(0, 0, f"Counting members and money for {year.label}…")
            with database.session() as session:
                return dashboard_figures(session, year, today, DASHBOARD_YEARS)

        def done(figures: DashboardFigures) -> None:
            if self.dashboard is not None and self.year == year:
                self.dashboard.show_data(figures)
                self.dashboard_shown = figures

        def failed(error: BaseException) -> None:
            self._dirty.add(DASHBOARD)
            if not isinstance(error, Cancelled):
                show_error(self, "Finances dashboard", error)

        self._tasks.run("Finances dashboard", work, done, failed)

    def _when_idle(self, step: Callable[[], None]) -> None:
        """Run `step` once the task runner has finished what it is doing."""
        self._after_idle.append(step)
        if len(self._after_idle) == 1:
            self._tasks.busy_changed.connect(self._idle_changed)

    def _idle_changed(self, busy: bool) -> None:
        if busy or not self._after_idle:
            return
        self._tasks.busy_changed.disconnect(self._idle_changed)
        steps, self._after_idle = self._after_idle, []
        for step in steps:
            if self._tasks.busy:
                self._when_idle(step)
            else:
                step()

    # -- actions -------------------------------------------------------------------------

    def _push(self, command: LedgerCommand) -> bool:
        self.context.last_error = None
        self._undo_stack.push(command)
        done = self.context.last_error is None
        # Focus leaves the search box, which would otherwise take Ctrl+Z for itself.
        current = self.tabs.currentWidget()
        if done and isinstance(current, IncomeTab | ExpensesTab):
            current.table.setFocus()
        return done

    def reconcile(self, kind: str, ids: list[int], mark: bool) -> None:
        ledger_kind: TransactionKind = "income" if kind == "income" else "expense"
        self._push(ReconcileCommand(ledger_kind, ids, mark, self.context))

    def _choices(self) -> tuple[list[str], list[tuple[int, str]], str]:
        assert self._database is not None
        with self._database.session() as session:
            return expense_categories(session), meeting_choices(session), currency(session)

    def _default_day(self) -> date:
        year, today = self.year, self._today()
        if year is None or year.contains(today):
            return today
        return year.end if today > year.end else year.start

    def add_expense_dialog(self) -> None:
        if self._database is None:
            return
        categories, meetings, money = self._choices()
        dialog = ExpenseDialog(
            categories=categories,
            meetings=meetings,
            currency=money,
            today=self._default_day(),
            parent=self,
        )
        if dialog.exec() and dialog.values is not None:
            self.add_expense(dialog.values)

    def add_expense(self, values: ExpenseValues) -> bool:
        return self._push(AddExpenseCommand(values, self.context))

    def edit_expense_dialog(self, expense_id: int) -> None:
        if self._database is None:
            return
        categories, meetings, money = self._choices()
        with self._database.session() as session:
            current = expense_values(session, expense_id)
        dialog = ExpenseDialog(
            categories=categories,
            meetings=meetings,
            currency=money,
            initial=current,
            parent=self,
        )
        if dialog.exec() and dialog.values is not None and dialog.values != current:
            self._push(EditExpenseCommand(expense_id, dialog.values, self.context))

    def delete_expenses(self, ids: list[int]) -> None:
        if ids:
            self._push(DeleteExpenseCommand(ids, self.context))

    def add_income_dialog(self) -> None:
        if self._database is None:
            return
        _categories, meetings, money = self._choices()
        dialog = IncomeDialog(
            meetings=meetings, currency=money, today=self._default_day(), parent=self
        )
        if dialog.exec() and dialog.values is not None:
            self._push(AddIncomeCommand(dialog.values, self.context))

    def categories_dialog(self) -> None:
        if self._database is not None:
            CategoriesDialog(self._database, self.announce, self).exec()

    def opening_balance_dialog(self) -> None:
        if self._database is None:
            return
        with self._database.session() as session:
            record = opening_balance(session)
            money = currency(session)
            first = fiscal_years_with_data(session, self._today())[-1].start
        dialog = OpeningBalanceDialog(
            as_of=record.as_of if record else first,
            amount=record.amount if record else None,
            memo=record.memo if record else "",
            currency=money,
            parent=self,
        )
        if dialog.exec() and dialog.result_values is not None:
            as_of, amount, memo = dialog.result_values
            self.save_opening_balance(as_of, amount, memo)

    def save_opening_balance(self, as_of: date, amount: Decimal, memo: str) -> None:
        assert self._database is not None
        action = "Set opening balance"
        try:
            with self._database.transaction(action=action) as session:
                set_opening_balance(session, as_of=as_of, amount=amount, memo=memo)
        except Exception as error:
            show_error(self, action, error)
            return
        self.announce(DataChanged(frozenset({"opening_balance"}), "set the opening balance"))

    # -- the treasurer's report ----------------------------------------------------------

    def report_dialog(self) -> None:
        year = self.year
        if self._database is None or year is None:
            return
        folder = Path(str(QSettings().value("folders/reports", str(Path.home()))))
        suggested = folder / f"Treasurer's report {year.label}.xlsx"
        name, chosen = QFileDialog.getSaveFileName(
            self,
            "Save the treasurer's report",
            str(suggested),
            "Excel workbook (*.xlsx);;PDF for the board packet (*.pdf)",
        )
        if not name:
            return
        out = Path(name)
        if out.suffix.lower() not in (".xlsx", ".pdf"):
            out = out.with_name(out.name + (".pdf" if "pdf" in chosen else ".xlsx"))
        QSettings().setValue("folders/reports", str(out.parent))
        self.export_report(year, out)

    def export_report(self, year: FiscalYear, out: Path) -> None:
        """Build and save the report in the background, with progress."""
        database = self._database
        if database is None:
            return
        if self._tasks.busy:
            self._when_idle(lambda: self.export_report(year, out))
            return
        today = self._today()

        def work(progress: Progress) -> Path:
            progress.report(0, 0, f"Gathering the figures for {year.description}…")
            with database.session() as session:
                report = treasurer_report(session, year, today)
            progress.check()
            progress.report(0, 0, f"Writing {out.name}…")
            if out.suffix.lower() == ".pdf":
                save_pdf(treasurer_report_pdf(report), out, "treasurer's report")
            else:
                write_treasurer_report(report, out)
            return out

        def done(path: Path) -> None:
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(f"Saved the treasurer's report to {path}", 8000)
            self.last_report = path

        def failed(error: BaseException) -> None:
            if not isinstance(error, Cancelled):
                show_error(self, "Treasurer's report", error)

        self._tasks.run("Treasurer's report", work, done, failed)
