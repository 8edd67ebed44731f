"""The year-end treasurer's report as an Excel workbook: Summary, Meetings, every
Transaction of the year, and the Unreconciled ones. Plain values with currency formats:
no formula needs recalculating to read it.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from sro_desktop.services.ledger import LedgerEntry, sum_amounts
from sro_desktop.services.owed import short_date
from sro_desktop.services.treasurer_report import TreasurerReport
from sro_desktop.spreadsheets.finance_xlsx import TITLE, SheetWriter, new_workbook, save_workbook

TRANSACTION_HEADERS = (
    "Date",
    "Kind",
    "ID",
    "Category",
    "Payer / payee",
    "Method",
    "Reference",
    "Memo",
    "Amount",
    "Reconciled",
)
TRANSACTION_NUMBERS = ("ID", "Amount")
AMOUNT = ("Amount",)
TRANSACTION_WIDTHS = (12, 9, 7, 20, 30, 14, 12, 36, 14, 11)


def treasurer_report_workbook(report: TreasurerReport) -> Workbook:
    workbook = new_workbook()
    _summary(SheetWriter(workbook, "Summary", report.currency, [46, 16]), report)
    _meetings(
        SheetWriter(
            workbook,
            "Meetings",
            report.currency,
            [44, 12, 14, 14, 14, 14, 14, 7],
            freeze_header=True,
        ),
        report,
    )
    for title, entries in (
        ("Transactions", list(report.transactions)),
        ("Unreconciled", report.unreconciled),
    ):
        writer = SheetWriter(
            workbook, title, report.currency, TRANSACTION_WIDTHS, freeze_header=True
        )
        _transactions(writer, entries)
    workbook.properties.title = f"Treasurer's report {report.year.label}"
    workbook.properties.creator = "SRO Desktop"
    return workbook


def write_treasurer_report(report: TreasurerReport, out: Path) -> None:
    save_workbook(treasurer_report_workbook(report), out, "treasurer's report")


def _summary(writer: SheetWriter, report: TreasurerReport) -> None:
    writer.add([report.organization], font=TITLE)
    writer.add([f"Treasurer's report — {report.year.description}"], bold=True)
    writer.add([f"Prepared {short_date(report.prepared_on)}; amounts in {report.currency}"])
    writer.skip()
    writer.header(["Summary", "Amount"], numbers=AMOUNT)
    writer.add([f"Opening balance, {short_date(report.year.start)}", report.opening_balance])
    writer.add(["Total income", report.total_income])
    writer.add(["Total expenses", report.total_expenses])
    writer.add(["Net (income − expenses)", report.net], bold=True)
    writer.total([f"Closing balance, {short_date(report.year.end)}", report.closing_balance])
    writer.skip()
    writer.header(["Income by category", "Amount"], numbers=AMOUNT)
    for line in report.income:
        writer.add([line.label, line.amount])
    writer.total(["Total income", report.total_income])
    writer.skip()
    writer.header(["Expenses by category", "Amount"], numbers=AMOUNT)
    for line in report.expenses:
        writer.add([line.label, line.amount])
    writer.total(["Total expenses", report.total_expenses])
    writer.skip()
    unreconciled = report.unreconciled
    writer.header(["Reconciliation", "Amount"], numbers=AMOUNT)
    writer.add([f"Not yet reconciled: {len(unreconciled)} transactions", report.unreconciled_total])


def _meetings(writer: SheetWriter, report: TreasurerReport) -> None:
    numbers = ["Fees", "Sponsorship", "Other income", "Expenses", "Net", "ID"]
    writer.header(["Meeting", "Date", *numbers], numbers=numbers)
    for m in report.meetings:
        writer.add(
            [
                m.title,
                m.start_date,
                m.fees,
                m.sponsorship,
                m.other_income,
                m.expenses,
                m.net,
                m.meeting_id,
            ]
        )
    if report.meetings:
        writer.total(
            ["All meetings", None]
            + [
                sum_amounts([getattr(m, field) for m in report.meetings])
                for field in ("fees", "sponsorship", "other_income", "expenses", "net")
            ]
        )
    writer.skip()
    writer.add(
        [
            "Fees are registration fees less refunds; sponsorship includes exhibitor fees. "
            "Only money received or paid within the fiscal year is counted."
        ]
    )


def _transactions(writer: SheetWriter, entries: list[LedgerEntry]) -> None:
    writer.header(TRANSACTION_HEADERS, numbers=TRANSACTION_NUMBERS)
    for entry in entries:
        writer.add(
            [
                entry.paid_on,
                "Income" if entry.kind == "income" else "Expense",
                entry.id,
                entry.category,
                entry.party,
                entry.method.label,
                entry.reference,
                entry.memo,
                entry.amount,
                "Yes" if entry.reconciled else "No",
            ]
        )
    writer.filter(len(TRANSACTION_HEADERS))
