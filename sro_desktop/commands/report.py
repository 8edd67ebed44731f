"""Reports: `report treasurer` (the year-end report as .xlsx or .pdf), `report owed`
(who owes dues or registration fees) and `report unreconciled`."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table


def register(commands: argparse._SubParsersAction[Any]) -> None:
    report = commands.add_parser("report", help="the treasurer's reports")
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)

    treasurer = kinds.add_parser(
        "treasurer",
        help="the year-end treasurer's report",
        description="Save the treasurer's report for a fiscal year: opening balance, "
        "income and expenses by category, net, closing balance, each meeting's profit or "
        "loss and the unreconciled transactions. The file name's ending picks the format.",
    )
    treasurer.add_argument("--year", type=arguments.year, required=True, metavar="Y")
    treasurer.add_argument(
        "--out",
        type=arguments.output_file(".xlsx", ".pdf"),
        required=True,
        metavar="FILE.xlsx|FILE.pdf",
    )
    treasurer.set_defaults(handler=run_treasurer)

    owed = kinds.add_parser(
        "owed",
        help="who owes dues or registration fees",
        description="List unpaid dues (membership periods that have started) and unpaid "
        "registration fees, per person and in total.",
    )
    owed.add_argument("--as-of", type=arguments.iso_date, metavar="YYYY-MM-DD")
    owed.add_argument("--out", type=arguments.output_file(".xlsx"), metavar="FILE.xlsx")
    owed.add_argument("--json", action="store_true", help="print JSON")
    owed.set_defaults(handler=run_owed)

    unreconciled = kinds.add_parser(
        "unreconciled", help="payments and expenses not yet matched to a bank statement"
    )
    unreconciled.add_argument("--year", type=arguments.year, metavar="Y")
    unreconciled.add_argument("--json", action="store_true", help="print a JSON array")
    unreconciled.set_defaults(handler=run_unreconciled)


def run_treasurer(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.pdf_files import save_pdf
    from sro_desktop.documents.treasurer_report_pdf import treasurer_report_pdf
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import fiscal_year
    from sro_desktop.services.treasurer_report import treasurer_report
    from sro_desktop.spreadsheets.treasurer_report_xlsx import write_treasurer_report

    with context.database().session() as session:
        report = treasurer_report(session, fiscal_year(session, args.year), date.today())
    if args.out.suffix.lower() == ".pdf":
        save_pdf(treasurer_report_pdf(report), args.out, "treasurer's report")
    else:
        write_treasurer_report(report, args.out)
    money = report.currency
    print(
        f"Saved the treasurer's report for {report.year.description} to {args.out}: "
        f"income {format_money(report.total_income, money)}, expenses "
        f"{format_money(report.total_expenses, money)}, closing balance "
        f"{format_money(report.closing_balance, money)}."
    )
    return 0


def run_owed(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import currency
    from sro_desktop.services.owed import who_owes
    from sro_desktop.spreadsheets.owed_xlsx import write_owed

    as_of = args.as_of or date.today()
    with context.database().session() as session:
        owed = who_owes(session, as_of)
        money = currency(session)
    if args.out is not None:
        write_owed(owed, money, args.out)
    if args.json:
        print_json(owed.to_json())
        return 0
    if args.out is None:
        print_table(
            ["ID", "Name", "Email", "Items", "Outstanding"],
            [
                [str(p.member_id), p.name, p.email, str(len(p.items)), format_money(p.total, money)]
                for p in owed.people
            ],
        )
    print(
        f"{len(owed.people)} people owe {format_money(owed.total, money)} "
        f"(dues {format_money(owed.total_of('dues'), money)}, registrations "
        f"{format_money(owed.total_of('registration'), money)})"
        + (f"; saved to {args.out}" if args.out is not None else "")
        + "."
    )
    return 0


def run_unreconciled(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import (
        currency,
        fiscal_year_window,
        ledger_entries,
        sum_amounts,
    )

    with context.database().session() as session:
        money = currency(session)
        start, after = fiscal_year_window(session, args.year)
        entries = ledger_entries(session, start, after, reconciled=False)
    if args.json:
        print_json([entry.to_json() for entry in entries])
        return 0
    print_table(
        ["Kind", "ID", "Date", "Category", "Payer / payee", "Amount"],
        [
            [
                e.kind,
                str(e.id),
                e.paid_on.isoformat(),
                e.category,
                e.party,
                format_money(e.amount, money),
            ]
            for e in entries
        ],
    )
    total = sum_amounts([e.amount for e in entries])
    print(f"{len(entries)} transactions not reconciled, {format_money(total, money)} net.")
    return 0
