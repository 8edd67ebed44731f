"""`payments list [--year Y] [--json]` (issue 7), added to the `payments` parser that
commands/payments.py builds. No `register` here: payments.py calls `register_list`."""

from __future__ import annotations

import argparse
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table


def register_list(verbs: argparse._SubParsersAction[Any]) -> None:
    listing = verbs.add_parser(
        "list",
        help="list payments received",
        description="List payments (dues, registration fees, sponsorships, donations, refunds) "
        "with their category, method, receipt number and reconciliation mark.",
    )
    listing.add_argument(
        "--year",
        type=arguments.year,
        metavar="Y",
        help="only fiscal year Y (named by the year it ends in; the fiscal-year start month "
        "is an organization setting)",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list)


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import currency, fiscal_year_window, income_rows, sum_amounts

    with context.database().session() as session:
        money = currency(session)
        rows = income_rows(session, *fiscal_year_window(session, args.year))
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    print_table(
        ["ID", "Date", "Payer", "Category", "Method", "Amount", "Receipt", "Rec."],
        [
            [
                str(r.id),
                r.paid_on.isoformat(),
                r.payer,
                r.category,
                r.method.label + (f" {r.reference}" if r.reference else ""),
                format_money(r.amount, money),
                f"{r.receipt_number:06d}" if r.receipt_number else "",
                "✓" if r.reconciled else "",
            ]
            for r in rows
        ],
    )
    total = sum_amounts([r.amount for r in rows])
    print(f"{len(rows)} payments, {format_money(total, money)} in all")
    return 0
