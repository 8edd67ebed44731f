"""Commands about membership periods: `memberships renew`, `types` and `due`."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table
from sro_desktop.errors import DataRefused, UnusableInput


def register(commands: argparse._SubParsersAction[Any]) -> None:
    memberships = commands.add_parser("memberships", help="membership periods and renewals")
    verbs = memberships.add_subparsers(dest="verb", metavar="VERB", required=True)
    renew = verbs.add_parser(
        "renew",
        help="add the next membership period, with its dues owed",
        description="Renew members for their next term: each gets the period after their "
        "latest one (calendar year, fiscal year or a year from their anniversary), with the "
        "type's dues owed. Honorary members are skipped, and so, with --all-current, are "
        "members already renewed beyond today; a member named with --member gets the next "
        "period even then (a further year paid ahead).",
    )
    renew.add_argument(
        "--all-current", action="store_true", help="renew every member whose status is Current"
    )
    renew.add_argument(
        "--member",
        type=arguments.member_id,
        action="append",
        default=[],
        metavar="ID",
        help="renew this member (repeatable)",
    )
    renew.add_argument("--type", help="renew into (or start) this membership type, by name")
    renew.add_argument(
        "--as-of",
        type=arguments.iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the renewal is made (default: today)",
    )
    renew.add_argument(
        "--dry-run", action="store_true", help="show what would be added without adding it"
    )
    renew.add_argument("--json", action="store_true", help="print the periods as JSON")
    renew.set_defaults(handler=run_renew)

    types = verbs.add_parser(
        "types",
        help="list membership types",
        description="List the membership types with dues and term.",
    )
    types.add_argument("--json", action="store_true", help="print a JSON array")
    types.set_defaults(handler=run_types)

    due = verbs.add_parser(
        "due",
        help="who needs to renew soon",
        description="List members whose paid membership ends within DAYS days (or who are "
        "already in their grace days), soonest first.",
    )
    due.add_argument("--days", type=int, default=30, help="how far ahead to look (default 30)")
    due.add_argument("--as-of", type=arguments.iso_date, default=None, metavar="YYYY-MM-DD")
    due.add_argument(
        "--emails",
        action="store_true",
        help="print only their emails, ready to paste into a BCC field",
    )
    due.add_argument(
        "--separator", default=", ", help="between emails (default ', '; Outlook wants '; ')"
    )
    due.add_argument("--json", action="store_true", help="print a JSON array")
    due.set_defaults(handler=run_due)


def run_renew(context: CommandContext, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from sro_desktop.db.models import Member
    from sro_desktop.services.membership_status import MemberStatus
    from sro_desktop.services.memberships import (
        member_ids_with_status,
        membership_types,
        plan_renewals,
        renew_members,
    )

    if not args.all_current and not args.member:
        raise UnusableInput("Say whom to renew: --all-current, or --member ID.")
    as_of = args.as_of or date.today()
    database = context.database()
    with database.transaction(action="Renew memberships") as session:
        type_id = None
        if args.type:
            matches = [t for t in membership_types(session) if t.name.lower() == args.type.lower()]
            if not matches:
                names = ", ".join(t.name for t in membership_types(session))
                raise UnusableInput(
                    f"There is no membership type '{args.type}'; use one of {names}."
                )
            type_id = matches[0].id
        ids = list(dict.fromkeys(args.member))
        missing = sorted(
            set(ids) - set(session.scalars(select(Member.id).where(Member.id.in_(ids))))
        )
        if missing:
            raise DataRefused(f"There is no member #{missing[0]}; check the number.")
        if args.all_current:
            ids += [
                i
                for i in member_ids_with_status(session, as_of, [MemberStatus.CURRENT])
                if i not in ids
            ]
        if args.dry_run:
            planned, skipped = plan_renewals(
                session, ids, as_of, membership_type_id=type_id, skip_renewed=args.all_current
            )
            membership_ids: list[int | None] = [None] * len(planned)
        else:
            result = renew_members(
                session, ids, as_of, membership_type_id=type_id, skip_renewed=args.all_current
            )
            planned, skipped = result.added, result.skipped
            membership_ids = list(result.membership_ids)
    if args.json:
        print_json(
            {
                "added": [
                    {
                        "membership_id": mid,
                        "member_id": p.member_id,
                        "type": p.type_name,
                        "start": p.start,
                        "end": p.end,
                        "dues": p.dues,
                    }
                    for p, mid in zip(planned, membership_ids, strict=True)
                ],
                "skipped": [{"member_id": m, "reason": r} for m, r in skipped],
                "dry_run": args.dry_run,
            }
        )
        return 0
    verb = "Would renew" if args.dry_run else "Renewed"
    for p in planned:
        end = f"{p.end:%m/%d/%Y}" if p.end else "never expires"
        print(f"{verb} #{p.member_id}: {p.type_name} {p.start:%m/%d/%Y} – {end}, dues {p.dues}")
    for member_id, reason in skipped:
        print(f"Skipped #{member_id}: {reason}")
    print(
        f"{len(planned)} renewed, {len(skipped)} skipped"
        + (" (dry run: nothing was changed)" if args.dry_run else "")
    )
    return 0


def run_types(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.memberships import membership_types

    with context.database().session() as session:
        types = membership_types(session)
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "dues": t.dues,
                "term": t.term.value,
                "honorary": t.honorary,
                "active": t.active,
            }
            for t in types
        ]
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["ID", "Name", "Dues", "Term", "Offered"],
        [
            [
                str(r["id"]),
                str(r["name"]),
                str(r["dues"]),
                str(r["term"]),
                "yes" if r["active"] else "no",
            ]
            for r in rows
        ],
    )
    return 0


def run_due(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.memberships import bcc_list, renewals_due

    if args.days < 0:
        raise UnusableInput("--days must be 0 or more.")
    as_of = args.as_of or date.today()
    with context.database().session() as session:
        due = renewals_due(session, as_of, args.days)
    if args.emails:
        print(bcc_list([d.email for d in due], args.separator))
        return 0
    if args.json:
        print_json(
            [
                {
                    "member_id": d.member_id,
                    "first_name": d.first_name,
                    "last_name": d.last_name,
                    "email": d.email,
                    "membership_type": d.membership_type,
                    "status": d.status.value,
                    "paid_through": d.paid_through,
                    "lapses_on": d.lapses_on,
                }
                for d in due
            ]
        )
        return 0
    print_table(
        ["ID", "Name", "Email", "Type", "Paid through", "Lapses on"],
        [
            [
                str(d.member_id),
                d.name,
                d.email or "",
                d.membership_type or "",
                f"{d.paid_through:%m/%d/%Y}",
                f"{d.lapses_on:%m/%d/%Y}",
            ]
            for d in due
        ],
    )
    until = as_of + timedelta(days=args.days)
    print(f"{len(due)} member{'s' if len(due) != 1 else ''} to renew by {until:%m/%d/%Y}")
    return 0
