"""Commands about meetings: `meetings add` and `meetings list`.

Also the readers of the meeting vocabulary the other meeting commands share (categories,
formats, fees); dates, times and amounts are read by `commands.arguments`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sro_desktop.db.models import Meeting, MeetingFormat, RegistrationCategory
    from sro_desktop.services.meetings import FeeInput, SessionInput

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table
from sro_desktop.errors import UnusableInput

# --- argument readers --------------------------------------------------------------------


# What may be typed for a category or a format (the models load only when one is read).
def category_names() -> dict[str, RegistrationCategory]:
    from sro_desktop.db.models import RegistrationCategory

    return {
        "member": RegistrationCategory.MEMBER,
        "non_member": RegistrationCategory.NON_MEMBER,
        "nonmember": RegistrationCategory.NON_MEMBER,
        "student": RegistrationCategory.STUDENT,
        "speaker": RegistrationCategory.SPEAKER,
        "complimentary": RegistrationCategory.SPEAKER,
    }


def format_names() -> dict[str, MeetingFormat]:
    from sro_desktop.db.models import MeetingFormat

    return {
        "in_person": MeetingFormat.IN_PERSON,
        "inperson": MeetingFormat.IN_PERSON,
        "webinar": MeetingFormat.WEBINAR,
        "hybrid": MeetingFormat.HYBRID,
    }


category_argument = arguments.named(
    category_names, "a category", "member, non-member, student or speaker"
)
format_argument = arguments.named(format_names, "a format", "in-person, webinar or hybrid")


def fee_argument(text: str) -> FeeInput:
    """CATEGORY=AMOUNT or CATEGORY=AMOUNT/EARLY, e.g. member=295/236."""
    from sro_desktop.services.meetings import FeeInput

    name, equals, amounts = text.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a fee; write it as CATEGORY=AMOUNT, e.g. member=295 or "
            "member=295/236 with an early-bird price"
        )
    regular, _, early = amounts.partition("/")
    return FeeInput(
        category_argument(name),
        arguments.decimal_number(regular),
        arguments.decimal_number(early) if early.strip() else None,
    )


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# --- the commands ----------------------------------------------------------------------


def register(commands: argparse._SubParsersAction[Any]) -> None:
    meetings = commands.add_parser("meetings", help="conferences, webinars and workshops")
    verbs = meetings.add_subparsers(dest="verb", metavar="VERB", required=True)

    add = verbs.add_parser(
        "add",
        help="add a meeting",
        description="Add a meeting. With --starts-at and --ends-at it gets one "
        "credit-eligible session on the start date. --credits designates that many AMA PRA "
        "Category 1 Credits™ from the accredited provider named by --provider (jointly "
        "provided when that is not your organization); without --credits the meeting offers "
        "attendance hours only.",
    )
    add.add_argument("--title", required=True)
    add.add_argument("--start", required=True, type=arguments.iso_date, metavar="YYYY-MM-DD")
    add.add_argument("--end", type=arguments.iso_date, metavar="YYYY-MM-DD")
    add.add_argument("--starts-at", type=arguments.time_of_day, metavar="HH:MM")
    add.add_argument("--ends-at", type=arguments.time_of_day, metavar="HH:MM")
    add.add_argument(
        "--format",
        type=format_argument,
        default="in_person",  # argparse reads a text default through `type`
        metavar="in-person|webinar|hybrid",
    )
    add.add_argument("--venue", default="")
    add.add_argument("--link", default="", help="the webinar or meeting link")
    add.add_argument("--capacity", type=arguments.positive_int, metavar="N")
    add.add_argument(
        "--credits", type=arguments.decimal_number, metavar="N", help="AMA PRA Category 1 Credits™"
    )
    add.add_argument("--provider", metavar="NAME", help="the accredited provider")
    add.add_argument(
        "--fee",
        type=fee_argument,
        action="append",
        default=[],
        metavar="CATEGORY=AMOUNT[/EARLY]",
        help="a fee, e.g. member=295/236 (repeat for each category)",
    )
    add.add_argument(
        "--early-bird-deadline",
        type=arguments.iso_date,
        metavar="YYYY-MM-DD",
        help="early-bird prices apply up to and including this day",
    )
    add.add_argument("--json", action="store_true", help="print the meeting as JSON")
    add.set_defaults(handler=run_add, may_create=True)

    listing = verbs.add_parser(
        "list",
        help="list meetings",
        description="List every meeting, earliest first, with registration counts.",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list, read_only=True)


def _agenda(args: argparse.Namespace) -> list[SessionInput]:
    from sro_desktop.services.meetings import SessionInput

    if (args.starts_at is None) != (args.ends_at is None):
        raise UnusableInput("Give both --starts-at and --ends-at, or neither.")
    if args.starts_at is None:
        return []
    return [
        SessionInput(
            title=args.title,
            starts_at=datetime.combine(args.start, args.starts_at),
            ends_at=datetime.combine(args.start, args.ends_at),
        )
    ]


def run_add(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.models import CreditType
    from sro_desktop.services.meetings import (
        MeetingInput,
        create_meeting,
        default_provider,
        designation_warning,
    )

    if args.provider is not None and args.credits is None:
        raise UnusableInput(
            "--provider names who designates the credit; give --credits N with it, or "
            "leave both out for attendance hours only."
        )
    agenda = _agenda(args)
    database = context.database()
    with database.transaction(action=f"Add meeting {args.title}") as session:
        provider = args.provider if args.provider is not None else default_provider(session)
        if args.credits is not None and not provider.strip():
            raise UnusableInput(
                "--credits needs the accredited provider who designates them; add --provider NAME."
            )
        details = MeetingInput(
            title=args.title,
            start_date=args.start,
            end_date=args.end,
            format=args.format,
            venue=args.venue,
            link=args.link,
            capacity=args.capacity,
            early_bird_deadline=args.early_bird_deadline,
            credit_type=CreditType.AMA_PRA_1 if args.credits is not None else CreditType.ATTENDANCE,
            accredited_provider=provider if args.credits is not None else "",
            max_credits=args.credits,
        )
        meeting = create_meeting(session, details, args.fee, agenda)
        warning = designation_warning(meeting)
        data = meeting_json(session, meeting)
    if args.json:
        print_json(data)
    else:
        print(
            f"Added meeting {data['id']}: {data['title']}, {_dates(args.start, args.end)} "
            f"({args.format.label}), {data['credit']}."
        )
    if warning:
        print(f"sro-desktop: note: {warning}", file=sys.stderr)
    return 0


def meeting_json(session: Session, meeting: Meeting) -> dict[str, Any]:
    """A meeting with its fees and agenda, as `meetings add --json` prints it."""
    from sro_desktop.services.meetings import meeting_row

    row = meeting_row(session, meeting.id)
    data = row.to_json()
    data["credit"] = row.credit_label
    data["early_bird_deadline"] = meeting.early_bird_deadline
    data["fees"] = [
        {
            "category": fee.category.value,
            "fee": str(fee.fee),
            "early_bird_fee": str(fee.early_bird_fee) if fee.early_bird_fee is not None else None,
        }
        for fee in meeting.fees
    ]
    data["sessions"] = [
        {
            "id": item.id,
            "title": item.title,
            "starts_at": item.starts_at,
            "ends_at": item.ends_at,
            "track": item.track,
            "credit_eligible": item.credit_eligible,
        }
        for item in meeting.sessions
    ]
    return data


def _dates(start: date, end: date | None) -> str:
    if end is None or end == start:
        return f"{start:%b %d, %Y}"
    return f"{start:%b %d} – {end:%b %d, %Y}"


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.meetings import meeting_rows

    with context.database().session() as session:
        rows = meeting_rows(session)
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    print_table(
        ["ID", "Dates", "Title", "Format", "Credit", "Registered", "Waitlist", "Checked in"],
        [
            [
                str(r.id),
                _dates(r.start_date, r.end_date),
                r.title,
                r.format.label,
                r.credit_label,
                f"{r.registered}/{r.capacity}" if r.capacity else str(r.registered),
                str(r.waitlisted),
                str(r.checked_in),
            ]
            for r in rows
        ],
    )
    print(f"{len(rows)} meeting{'s' if len(rows) != 1 else ''}")
    return 0
