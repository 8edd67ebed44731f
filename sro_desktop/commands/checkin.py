"""The `checkin` command: check a registrant in (or undo it), or mark them at a session."""

from __future__ import annotations

import argparse
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext


def register(commands: argparse._SubParsersAction[Any]) -> None:
    checkin = commands.add_parser(
        "checkin",
        help="check a registrant in at a meeting",
        description="Check a registered person in. With --session, mark them present at that "
        "agenda item instead; with --undo, take a mistaken check-in (or mark) back.",
    )
    checkin.add_argument("--meeting", required=True, type=arguments.record_id, metavar="ID")
    checkin.add_argument("--member", required=True, type=arguments.record_id, metavar="ID")
    checkin.add_argument(
        "--session",
        type=arguments.record_id,
        metavar="ID",
        help="an agenda item's number (see meetings add --json)",
    )
    checkin.add_argument("--undo", action="store_true", help="take back a mistaken check-in")
    checkin.add_argument(
        "--admit",
        action="store_true",
        help="admit a waitlisted person (over capacity if need be) and check them in",
    )
    checkin.set_defaults(handler=run_checkin)


def run_checkin(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.checkin import (
        check_in_member,
        checkin_counts,
        mark_present,
        undo_check_in,
        unmark_present,
    )
    from sro_desktop.services.meetings import get_session
    from sro_desktop.services.registrations import find_registration

    database = context.database()
    action = "Undo check-in" if args.undo else "Check in"
    with database.transaction(action=action) as session:
        registration = find_registration(session, args.meeting, args.member)
        name = registration.member.full_name
        if args.session is not None:
            title = get_session(session, args.session).title
            if args.undo:
                unmark_present(session, registration.id, args.session)
                message = f"{name} is no longer marked present at “{title}”"
            else:
                mark_present(session, registration.id, args.session)
                message = f"Marked {name} present at “{title}”"
        elif args.undo:
            undo_check_in(session, registration.id)
            message = f"Took back {name}'s check-in"
        else:
            registration = check_in_member(
                session, args.meeting, args.member, admit_from_waitlist=args.admit
            )
            assert registration.checked_in_at is not None
            message = f"Checked in {name} at {registration.checked_in_at.astimezone():%H:%M}"
        counts = checkin_counts(session, args.meeting)
    print(f"{message} ({counts.checked_in} of {counts.registered} checked in).")
    return 0
