"""Bookkeeping commands: `ledger balance`, `ledger opening-balance` and `ledger reconcile`."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext
from sro_desktop.errors import UnusableInput


def register(commands: argparse._SubParsersAction[Any]) -> None:
    ledger = commands.add_parser("ledger", help="the books: balance and reconciliation")
    verbs = ledger.add_subparsers(dest="verb", metavar="VERB", required=True)

    balance = verbs.add_parser("balance", help="the organization's money on a day")
    balance.add_argument(
        "--on", type=arguments.iso_date, metavar="YYYY-MM-DD", help="default: today"
    )
    balance.set_defaults(handler=run_balance)

    opening = verbs.add_parser(
        "opening-balance",
        help="show or set the opening balance every balance is counted from",
        description="The money the organization had at the start of one day (from the bank "
        "statement when you took over the books). With no options, show it.",
    )
    opening.add_argument("--amount", type=arguments.amount, metavar="A")
    opening.add_argument("--as-of", type=arguments.iso_date, metavar="YYYY-MM-DD")
    opening.add_argument("--memo", default="")
    opening.set_defaults(handler=run_opening, may_create=True)

    reconcile = verbs.add_parser(
        "reconcile", help="mark payments or expenses as matched to the bank statement"
    )
    reconcile.add_argument(
        "--payment", type=arguments.record_id, nargs="+", default=[], metavar="ID"
    )
    reconcile.add_argument(
        "--expense", type=arguments.record_id, nargs="+", default=[], metavar="ID"
    )
    reconcile.add_argument("--clear", action="store_true", help="remove the mark instead")
    reconcile.set_defaults(handler=run_reconcile)


def run_balance(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import balance_at_start_of, currency

    day = args.on or date.today()
    with context.database().session() as session:
        amount = balance_at_start_of(session, day)
        money = currency(session)
    print(f"Balance at the start of {day.isoformat()}: {format_money(amount, money)}")
    return 0


def run_opening(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.ledger import currency, opening_balance, set_opening_balance

    database = context.database()
    if (args.amount is None) != (args.as_of is None):
        raise UnusableInput("To set the opening balance, give both --amount and --as-of.")
    if args.amount is not None:
        with database.transaction(action="Set opening balance (command line)") as session:
            set_opening_balance(session, as_of=args.as_of, amount=args.amount, memo=args.memo)
    with database.session() as session:
        record = opening_balance(session)
        money = currency(session)
        if record is None:
            print("No opening balance is set; the books start from zero.")
        else:
            print(
                f"Opening balance: {format_money(record.amount, money)} at the start of "
                f"{record.as_of.isoformat()}" + (f" ({record.memo})" if record.memo else "")
            )
    return 0


def run_reconcile(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.ledger import set_reconciled

    if not args.payment and not args.expense:
        raise UnusableInput("Name the payments (--payment ID) or expenses (--expense ID).")
    mark = not args.clear
    with context.database().transaction(action="Reconcile (command line)") as session:
        changed = len(set_reconciled(session, "income", args.payment, mark))
        changed += len(set_reconciled(session, "expense", args.expense, mark))
    word = "reconciled" if mark else "not reconciled"
    print(f"Marked {changed} transactions as {word}.")
    return 0
