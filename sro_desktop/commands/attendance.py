"""The `attendance` command: `attendance list` prints who attended a meeting, their
credit-eligible minutes and their credits.

`attendance_parser` makes the `attendance` parser and its verbs; other verbs (such as
`attendance import`) are added next to `list` in `register`.
"""

from __future__ import annotations

import argparse
from typing import Any

from sro_desktop.commands import arguments, imports
from sro_desktop.commands.context import CommandContext, print_json, print_table


def attendance_parser(
    commands: argparse._SubParsersAction[Any],
) -> argparse._SubParsersAction[Any]:
    """The `attendance` parser's verbs, for each verb module to add itself to."""
    attendance = commands.add_parser(
        "attendance", help="who attended a meeting, for how long, and their credit"
    )
    verbs: argparse._SubParsersAction[Any] = attendance.add_subparsers(
        dest="verb", metavar="VERB", required=True
    )
    return verbs


def add_list_verb(verbs: argparse._SubParsersAction[Any]) -> None:
    listing = verbs.add_parser(
        "list",
        help="list attendees with minutes and credits",
        description="List each attendee of a meeting with credit-eligible minutes attended and "
        "credits (AMA PRA Category 1 Credits™, or hours for a meeting offering attendance "
        "hours only), after the designated maximum and any override.",
    )
    listing.add_argument("--meeting", required=True, type=arguments.record_id, metavar="ID")
    listing.add_argument(
        "--all", action="store_true", help="include registrants with no attendance recorded"
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list, read_only=True)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    verbs = attendance_parser(commands)
    add_list_verb(verbs)
    imports.add_attendance_verb(verbs)  # attendance import (issue 4)


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.attendance import attendance_summary
    from sro_desktop.services.meetings import duration_text, get_meeting

    with context.database().session() as session:
        meeting = get_meeting(session, args.meeting)
        title, credit_type = meeting.title, meeting.credit_type
        people = attendance_summary(session, args.meeting, include_absent=args.all)
    if args.json:
        print_json([person.to_json() for person in people])
        return 0
    print_table(
        ["Member", "Name", "Email", "Attended", "Credits", "Recorded by", "Override reason"],
        [
            [
                str(p.member_id),
                f"{p.last_name}, {p.first_name}",
                p.email or "",
                duration_text(p.minutes),
                f"{p.credits}{' *' if p.overridden else ''}",
                p.basis.label,
                p.override_reason if p.overridden else "",
            ]
            for p in people
        ],
    )
    attended = sum(1 for p in people if p.attended)
    absent = f", {len(people) - attended} without attendance" if args.all else ""
    print(f"“{title}” ({credit_type.label}): {attended} attended{absent}; * = overridden")
    return 0
