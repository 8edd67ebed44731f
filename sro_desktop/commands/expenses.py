"""Commands about money paid out: `expenses add`, `expenses list`, `expenses categories`."""

from __future__ import annotations

import argparse
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table


def register(commands: argparse._SubParsersAction[Any]) -> None:
    expenses = commands.add_parser("expenses", help="money paid out: venue, catering, speakers")
    verbs = expenses.add_subparsers(dest="verb", metavar="VERB", required=True)

    adding = verbs.add_parser(
        "add",
        help="record an expense",
        description="Record money paid out. The category must be one of the expense "
        "categories (see 'expenses categories').",
    )
    adding.add_argument("--amount", type=arguments.amount, required=True, metavar="A")
    adding.add_argument(
        "--date",
        type=arguments.iso_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the day it was paid",
    )
    adding.add_argument("--category", required=True, metavar="C")
    adding.add_argument(
        "--meeting", type=arguments.record_id, metavar="ID", help="the meeting it was for"
    )
    adding.add_argument("--payee", default="", metavar="P", help="who was paid")
    adding.add_argument(
        "--method",
        type=arguments.payment_method,
        default="other",  # argparse reads a text default through `type`
        help="check, card, cash, transfer or other (default: other)",
    )
    adding.add_argument(
        "--reference", default="", help="the check number, or a card or transfer reference"
    )
    adding.add_argument("--memo", default="")
    adding.set_defaults(handler=run_add, may_create=True)

    listing = verbs.add_parser("list", help="list expenses")
    listing.add_argument("--year", type=arguments.year, metavar="Y", help="only fiscal year Y")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list)

    categories = verbs.add_parser(
        "categories",
        help="list or edit the expense categories",
        description="With no option, list the categories. A category still used by "
        "expenses is hidden when removed; renaming renames it on its expenses too.",
    )
    edits = categories.add_mutually_exclusive_group()
    edits.add_argument("--add", metavar="NAME")
    edits.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"))
    edits.add_argument("--remove", metavar="NAME")
    categories.set_defaults(handler=run_categories)


def run_add(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import ExpenseValues, add_expense, currency

    values = ExpenseValues(
        paid_on=args.date,
        amount=args.amount,
        category=args.category,
        method=args.method,
        reference=args.reference,
        payee=args.payee,
        meeting_id=args.meeting,
        memo=args.memo,
    )
    with context.database().transaction(action="Add expense (command line)") as session:
        expense = add_expense(session, values)
        money = currency(session)
        summary = (
            f"Recorded expense {expense.id}: {format_money(expense.amount, money)} for "
            f"{expense.category} on {expense.paid_on.isoformat()}"
        )
    print(summary + (f" to {values.payee.strip()}" if values.payee.strip() else "") + ".")
    return 0


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import currency, expense_rows, fiscal_year_window, sum_amounts

    with context.database().session() as session:
        money = currency(session)
        rows = expense_rows(session, *fiscal_year_window(session, args.year))
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    print_table(
        ["ID", "Date", "Payee", "Category", "Meeting", "Method", "Amount", "Rec."],
        [
            [
                str(r.id),
                r.paid_on.isoformat(),
                r.payee,
                r.category,
                r.meeting,
                r.method.label + (f" {r.reference}" if r.reference else ""),
                format_money(r.amount, money),
                "✓" if r.reconciled else "",
            ]
            for r in rows
        ],
    )
    total = sum_amounts([r.amount for r in rows])
    print(f"{len(rows)} expenses, {format_money(total, money)} in all")
    return 0


def run_categories(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.ledger import (
        add_expense_category,
        expense_categories,
        remove_expense_category,
        rename_expense_category,
    )

    database = context.database()
    if args.add or args.rename or args.remove:
        with database.transaction(action="Edit expense categories (command line)") as session:
            if args.add:
                name = add_expense_category(session, args.add)
                message = f"Added the category {name}."
            elif args.rename:
                count = rename_expense_category(session, args.rename[0], args.rename[1])
                message = f"Renamed {args.rename[0]} to {args.rename[1]} on {count} expenses."
            else:
                deleted = remove_expense_category(session, args.remove)
                message = (
                    f"Removed the category {args.remove}."
                    if deleted
                    else f"Hid the category {args.remove}; its expenses keep it."
                )
        print(message)
        return 0
    with database.session() as session:
        for name in expense_categories(session):
            print(name)
    return 0
