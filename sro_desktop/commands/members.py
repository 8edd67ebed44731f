"""Commands about people: `members list`."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sro_desktop.commands.context import CommandContext, print_json, print_table
from sro_desktop.services.members import member_rows
from sro_desktop.services.membership_status import MemberStatus


def _status(text: str) -> MemberStatus:
    for status in MemberStatus:
        if status.value.lower() == text.strip().lower():
            return status
    choices = ", ".join(s.value.lower() for s in MemberStatus)
    raise argparse.ArgumentTypeError(f"'{text}' is not a status; use one of {choices}")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def register(commands: argparse._SubParsersAction[Any]) -> None:
    members = commands.add_parser("members", help="the membership list")
    verbs = members.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser(
        "list",
        help="list members with their status",
        description="List everyone in the database with employer, membership type and status.",
    )
    listing.add_argument("--status", type=_status, help="only members with this status")
    listing.add_argument("--search", default="", help="only members matching these words")
    listing.add_argument(
        "--as-of",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="compute status on this date (default: today)",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list)


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    with context.database().session() as session:
        rows = member_rows(
            session, args.as_of or date.today(), search=args.search, status=args.status
        )
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    print_table(
        ["ID", "Name", "Credentials", "Email", "Organization", "State", "Status"],
        [
            [
                str(r.id),
                f"{r.last_name}, {r.first_name}",
                r.credentials,
                r.email or "",
                r.organization or "",
                r.state,
                r.status.value,
            ]
            for r in rows
        ],
    )
    print(f"{len(rows)} people")
    return 0
