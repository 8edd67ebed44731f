"""The treasurer's workbook and the who-owes export: plain values a second reader
(python-calamine) sees without recalculating, currency formats, no formulas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from sro_desktop.db.database import Database
from sro_desktop.db.models import PaymentPurpose
from sro_desktop.services.ledger import FiscalYear, set_opening_balance
from sro_desktop.services.owed import who_owes
from sro_desktop.services.treasurer_report import treasurer_report
from sro_desktop.spreadsheets.owed_xlsx import write_owed
from sro_desktop.spreadsheets.treasurer_report_xlsx import write_treasurer_report
from tests.services.finance_factories import expense, income, meeting

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'


def _rows(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _label_values(rows: list[list[object]]) -> dict[str, object]:
    return {str(r[0]): r[1] for r in rows if r and r[0] != ""}


def test_workbook_values_match_the_report(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        set_opening_balance(session, as_of=date(2026, 1, 1), amount=Decimal("1000.10"))
        event = meeting(session, "Annual Conference", date(2026, 9, 24))
        income(
            session, "2500.00", date(2026, 7, 1), PaymentPurpose.SPONSORSHIP, meeting_id=event.id
        )
        income(session, "0.10", date(2026, 7, 2))
        expense(session, "0.20", date(2026, 7, 3), "Printing", event.id)
        report = treasurer_report(session, FiscalYear(2026, 1), date(2026, 11, 27))
    out = tmp_path / "report.xlsx"
    write_treasurer_report(report, out)

    summary = _label_values(_rows(out, "Summary"))
    assert summary["Opening balance, Jan 1, 2026"] == 1000.10
    assert summary["Total income"] == 2500.10
    assert summary["Total expenses"] == 0.20
    assert summary["Closing balance, Dec 31, 2026"] == 3500.00
    assert summary["Sponsorships"] == 2500.00
    # Opening + income − expenses = closing, as read back from the file.
    opening, received, spent = (
        Decimal(str(summary[k]))
        for k in ("Opening balance, Jan 1, 2026", "Total income", "Total expenses")
    )
    assert opening + received - spent == Decimal(str(summary["Closing balance, Dec 31, 2026"]))

    meetings = _rows(out, "Meetings")
    assert meetings[0][:3] == ["Meeting", "Date", "Fees"]
    assert meetings[1][0] == "Annual Conference" and meetings[1][1] == date(2026, 9, 24)
    assert meetings[1][3] == 2500.00 and meetings[1][6] == 2499.80

    transactions = _rows(out, "Transactions")
    assert len(transactions) == 1 + 3
    assert [row[8] for row in transactions[1:]] == [2500.00, 0.10, -0.20]
    unreconciled = _rows(out, "Unreconciled")
    assert len(unreconciled) == 4

    book = openpyxl.load_workbook(out)
    money_columns = {"Summary": "B", "Meetings": "CDEFG", "Transactions": "I", "Unreconciled": "I"}
    numbers = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.column_letter in money_columns[sheet.title] and isinstance(
                    cell.value, int | float
                ):
                    assert cell.number_format == MONEY, f"{sheet.title}!{cell.coordinate}"
                    numbers += 1
    assert numbers > 20
    assert book["Summary"]["B6"].number_format == MONEY
    assert book["Transactions"]["I2"].number_format == MONEY
    assert book["Transactions"]["A2"].number_format == "yyyy-mm-dd"


def test_text_that_looks_like_a_formula_stays_text(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        payment = income(session, "5.00", date(2026, 2, 1))
        payment.payer_name = '=HYPERLINK("http://x","y")'
        payment.memo = "+1 for the raffle"
        session.flush()
        report = treasurer_report(session, FiscalYear(2026, 1), date(2026, 11, 27))
    out = tmp_path / "report.xlsx"
    write_treasurer_report(report, out)
    cell = openpyxl.load_workbook(out)["Transactions"]["E2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")'
    assert _rows(out, "Transactions")[1][7] == "+1 for the raffle"


def test_who_owes_export(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.session() as session:
        owed = who_owes(session, date(2026, 11, 27))
    out = tmp_path / "owed.xlsx"
    write_owed(owed, "USD", out)
    people = _rows(out, "By person")
    header = people.index(["Member ID", "Name", "Email", "Items", "Outstanding"])
    body = people[header + 1 : header + 1 + len(owed.people)]
    assert [row[1] for row in body] == [p.name for p in owed.people]
    assert [Decimal(str(row[4])) for row in body] == [p.total for p in owed.people]
    total_row = people[header + 1 + len(owed.people)]
    assert total_row[1] == "Total" and Decimal(str(total_row[4])) == owed.total
    items = _rows(out, "Items")
    assert len(items) == 1 + len(owed.items)
    assert openpyxl.load_workbook(out)["Items"]["I2"].number_format == MONEY


def test_every_sheet_prints_one_page_wide(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.session() as session:
        report = treasurer_report(session, FiscalYear(2026, 1), date(2026, 11, 27))
    out = tmp_path / "report.xlsx"
    write_treasurer_report(report, out)
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        assert sheet.sheet_properties.pageSetUpPr is not None, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.page_setup.fitToHeight == 0, sheet.title
    assert book["Transactions"].page_setup.orientation == "landscape"


def test_headings_of_amounts_sit_over_their_figures(
    demo_database: Database, tmp_path: Path
) -> None:
    with demo_database.session() as session:
        report = treasurer_report(session, FiscalYear(2026, 1), date(2026, 11, 27))
        owed = who_owes(session, date(2026, 11, 27))
    out = tmp_path / "report.xlsx"
    write_treasurer_report(report, out)
    owed_out = tmp_path / "owed.xlsx"
    write_owed(owed, "USD", owed_out)
    sheets = [*openpyxl.load_workbook(out).worksheets, *openpyxl.load_workbook(owed_out)]
    checked = 0
    for sheet in sheets:
        for row in sheet.iter_rows():
            if not row or not row[0].font.bold or row[0].fill.fgColor.rgb[-6:] != "DDE4EE":
                continue  # not a heading row
            below = sheet.cell(row=row[0].row + 1, column=1).row
            for cell in row:
                figure = sheet.cell(row=below, column=cell.column).value
                if isinstance(figure, int | float) and not isinstance(figure, bool):
                    assert cell.alignment.horizontal == "right", (sheet.title, cell.value)
                    checked += 1
                elif isinstance(figure, str):
                    assert cell.alignment.horizontal != "right", (sheet.title, cell.value)
    assert checked >= 10
