"""The Finances page as a user meets it: the dashboard's charts with their numbers, adding
an expense (and undoing it), ticking reconciliation marks, printing a receipt, saving the
treasurer's report and the list of who owes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries, QStackedBarSeries
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from sro_desktop.db.models import Expense, Payment, PaymentMethod
from sro_desktop.gui.finances_page import DASHBOARD, EXPENSES, INCOME, OWED, FinancesPage
from sro_desktop.gui.ledger_dialogs import ExpenseDialog
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.services.currency import format_money
from sro_desktop.services.ledger import ExpenseValues, FiscalYear, monthly_totals
from sro_desktop.services.treasurer_report import treasurer_report

TODAY = date(2026, 11, 27)


def _open(window: MainWindow, path: Path) -> FinancesPage:
    assert window.open_database_file(path)
    window.show_page("Finances")
    page = window.finances_page
    assert page.select_year(2026)
    return page


def _cells(table: object, row: int) -> list[str]:
    from PySide6.QtWidgets import QTableWidget

    assert isinstance(table, QTableWidget)
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_dashboard_charts_and_their_numbers(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    page = _open(window, demo_path)
    page.tabs.setCurrentIndex(DASHBOARD)
    qtbot.waitUntil(lambda: page.dashboard_shown is not None, timeout=10000)
    dashboard = page.dashboard
    assert dashboard is not None

    [membership] = dashboard.membership.chart.series()
    assert isinstance(membership, QStackedBarSeries)
    assert [s.label() for s in membership.barSets()] == [
        "Current",
        "Grace",
        "Pending",
        "Lapsed",
        "Honorary",
    ]
    years = dashboard.membership.table
    assert [years.item(r, 0).text() for r in range(years.rowCount())] == ["2024", "2025", "2026"]
    # Beside the chart, the same counts: the 2026 column sums match the members total.
    last = _cells(years, 2)
    assert sum(int(x.replace(",", "")) for x in last[1:-1]) == int(last[-1].replace(",", ""))
    current = membership.barSets()[0]
    assert current.at(2) == int(last[1].replace(",", ""))

    [money] = dashboard.money.chart.series()
    assert isinstance(money, QBarSeries)
    income_set, _expense_set = money.barSets()
    assert income_set.count() == 12
    with window.database.session() as session:  # type: ignore[union-attr]
        months = monthly_totals(session, FiscalYear(2026, 1))
        report = treasurer_report(session, FiscalYear(2026, 1), TODAY)
    assert [income_set.at(i) for i in range(12)] == [float(m.income) for m in months]
    totals = _cells(dashboard.money.table, 12)
    assert totals[:3] == [
        "2026",
        format_money(report.total_income),
        format_money(report.total_expenses),
    ]

    [meetings] = dashboard.meetings.chart.series()
    assert isinstance(meetings, QHorizontalBarSeries)
    table = dashboard.meetings.table
    assert table.rowCount() == 4
    assert _cells(table, 0)[0].startswith("Spring Workshop")
    assert _cells(table, 0)[3] == "60"
    assert "Balance today" in page.summary.text()


def _without_expenses(path: Path) -> None:
    """The demo's books with no expenses yet, so each one this test adds is plain to see."""
    from sqlalchemy import delete

    from sro_desktop.db.database import open_database

    database = open_database(path)
    with database.transaction() as session:
        session.execute(delete(Expense))
    database.close()


def test_add_an_expense_then_undo_and_redo(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    _without_expenses(demo_path)
    page = _open(window, demo_path)
    page.tabs.setCurrentIndex(EXPENSES)
    tab = page.expenses_tab
    assert tab.model.rowCount() == 0
    values = ExpenseValues(
        paid_on=date(2026, 9, 25),
        amount=Decimal("12400.00"),
        category="Venue",
        method=PaymentMethod.TRANSFER,
        payee="Harborview Conference Hotel",
        meeting_id=3,
    )
    assert page.add_expense(values)
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 5).data() == "$12,400.00"
    assert "expenses <b>$12,400.00</b>" in page.summary.text()
    assert window.undo_stack.undoText() == "Add expense"

    window.undo_stack.undo()
    assert tab.model.rowCount() == 0
    assert "expenses <b>$0.00</b>" in page.summary.text()
    window.undo_stack.redo()
    assert tab.model.rowCount() == 1

    # Delete it (Delete key on the selected row), then undo the deletion.
    tab.table.selectRow(0)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert tab.model.rowCount() == 0
    assert window.undo_stack.undoText() == "Delete expense"
    window.undo_stack.undo()
    assert tab.model.rowCount() == 1
    assert tab.model.row_at(0).payee == "Harborview Conference Hotel"

    # A refused expense shows its reason and leaves no undo step behind.
    top = window.undo_stack.undoText()
    qtbot_messages: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    original = QMessageBox.warning
    QMessageBox.warning = lambda _parent, _title, text: qtbot_messages.append(text)  # type: ignore[method-assign,assignment,misc]
    try:
        assert not page.add_expense(
            ExpenseValues(paid_on=date(2026, 1, 1), amount=Decimal("5"), category="Lunch")
        )
    finally:
        QMessageBox.warning = original  # type: ignore[method-assign]
    assert qtbot_messages and "'Lunch' is not an expense category" in qtbot_messages[0]
    assert window.undo_stack.undoText() == top == "Add expense"


def test_reconcile_marks_by_ticking_and_undo(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    page = _open(window, demo_path)
    page.tabs.setCurrentIndex(INCOME)
    tab = page.income_tab
    first = tab.model.row_at(0)
    box = tab.model.index(0, 7)
    assert box.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    tab.model.setData(box, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert tab.model.index(0, 7).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    with window.database.session() as session:  # type: ignore[union-attr]
        assert session.get(Payment, first.id).reconciled  # type: ignore[union-attr]
    tab.unreconciled_only.setChecked(True)
    assert all(not tab.model.row_at(r).reconciled for r in range(tab.model.rowCount()))
    assert first.id not in {tab.model.row_at(r).id for r in range(tab.model.rowCount())}
    window.undo_stack.undo()
    assert first.id in {tab.model.row_at(r).id for r in range(tab.model.rowCount())}


def test_print_a_receipt_from_the_income_tab(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    page = _open(window, demo_path)
    page.tabs.setCurrentIndex(INCOME)
    tab = page.income_tab
    tab.open_saved_files = False
    payment = tab.model.row_at(3)
    out = tmp_path / "receipt.pdf"
    assert tab.save_receipt(payment.id, out) == 1
    assert out.read_bytes().startswith(b"%PDF")
    shown = {tab.model.row_at(r).id: tab.model.index(r, 6).data() for r in range(4)}
    assert shown[payment.id] == "000001"
    assert tab.save_receipt(payment.id, tmp_path / "again.pdf") == 1


def test_treasurers_report_and_who_owes_are_saved(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    page = _open(window, demo_path)
    workbook = tmp_path / "report.xlsx"
    page.export_report(FiscalYear(2026, 1), workbook)
    qtbot.waitUntil(lambda: page.last_report == workbook, timeout=10000)
    summary = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Summary").to_python()
    assert any(row[0] == "Total income" and row[1] > 0 for row in summary)
    assert "Saved the treasurer's report" in window.statusBar().currentMessage()

    page.tabs.setCurrentIndex(OWED)
    owed = page.owed_tab
    assert owed.model.rowCount() > 0
    assert "people owe" in owed.summary.text()
    export = tmp_path / "owed"
    assert owed.export_to(export)
    assert (tmp_path / "owed.xlsx").exists()


def test_expense_dialog_checks_what_is_typed(qtbot: QtBot) -> None:
    dialog = ExpenseDialog(
        categories=["Venue", "Catering"],
        meetings=[(3, "Annual Conference 2026 (Sep 24, 2026)")],
        currency="USD",
        today=TODAY,
    )
    qtbot.addWidget(dialog)
    dialog.amount.setText("12.345")
    dialog.accept()
    assert dialog.values is None and "fraction of a cent" in dialog.problem.text()
    dialog.amount.setText("$1,250.50")
    dialog.method.setCurrentIndex(dialog.method.findData(PaymentMethod.CHECK))
    dialog.accept()
    assert dialog.values is None and "check number" in dialog.problem.text()
    dialog.reference.setText("1044")
    dialog.category.setCurrentText("Catering")
    dialog.meeting.setCurrentIndex(1)
    dialog.accept()
    assert dialog.values == ExpenseValues(
        paid_on=TODAY,
        amount=Decimal("1250.50"),
        category="Catering",
        method=PaymentMethod.CHECK,
        reference="1044",
        meeting_id=3,
    )


def test_ledger_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow, demo_path: Path
) -> None:
    page = _open(window, demo_path)
    page.add_expense(ExpenseValues(paid_on=TODAY, amount=Decimal("1"), category="Other"))
    for index in (INCOME, EXPENSES, OWED):
        page.tabs.setCurrentIndex(index)  # a tab reads its rows when it is shown
    for model in (page.income_tab.model, page.expenses_tab.model, page.owed_tab.model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    with window.database.session() as session:  # type: ignore[union-attr]
        assert session.scalars(select(Expense).where(Expense.category == "Other")).all()


def test_charts_are_not_loaded_when_the_app_starts() -> None:
    code = (
        "import sys; import sro_desktop.gui.main_window; "
        "sys.exit('PySide6.QtCharts' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
