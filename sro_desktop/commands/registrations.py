"""Commands about registrations: `registrations add`, `list` and `cancel`."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sro_desktop.commands import arguments, imports
from sro_desktop.commands.context import CommandContext, print_json, print_table
from sro_desktop.commands.meetings import category_argument, money
from sro_desktop.errors import UnusableInput


def register(commands: argparse._SubParsersAction[Any]) -> None:
    registrations = commands.add_parser("registrations", help="who registered for a meeting")
    verbs = registrations.add_subparsers(dest="verb", metavar="VERB", required=True)
    imports.add_registrations_verb(verbs)  # registrations import (issue 4)

    add = verbs.add_parser(
        "add",
        help="register a person for a meeting",
        description="Register a person. The category defaults to member for a member in good "
        "standing and non-member otherwise; the fee is the category's on the registration "
        "date (early-bird up to the deadline). A full meeting puts them on the waitlist.",
    )
    add.add_argument("--meeting", required=True, type=arguments.record_id, metavar="ID")
    add.add_argument(
        "--member",
        required=True,
        type=arguments.record_id,
        metavar="ID",
        help="the person's number",
    )
    add.add_argument(
        "--category", type=category_argument, metavar="member|non-member|student|speaker"
    )
    add.add_argument(
        "--on",
        type=arguments.iso_date,
        metavar="YYYY-MM-DD",
        help="registration date (default today)",
    )
    add.add_argument(
        "--paid", type=arguments.decimal_number, metavar="AMOUNT", help="amount paid now"
    )
    add.add_argument("--method", type=arguments.payment_method, default="card")
    add.add_argument("--reference", default="", help="check number or card reference")
    add.add_argument("--json", action="store_true", help="print the registration as JSON")
    add.set_defaults(handler=run_add)

    listing = verbs.add_parser(
        "list",
        help="list a meeting's registrations",
        description="List a meeting's registrations: registered, then the waitlist in order, "
        "then the cancelled, with fee, amount paid and check-in.",
    )
    listing.add_argument("--meeting", required=True, type=arguments.record_id, metavar="ID")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list, read_only=True)

    cancel = verbs.add_parser(
        "cancel",
        help="cancel a registration (with an optional refund)",
        description="Cancel a registration; its history and payments are kept. A freed place "
        "goes to the first person on the waitlist.",
    )
    cancel.add_argument("--meeting", required=True, type=arguments.record_id, metavar="ID")
    cancel.add_argument("--member", required=True, type=arguments.record_id, metavar="ID")
    cancel.add_argument("--refund", type=arguments.decimal_number, metavar="AMOUNT")
    cancel.add_argument("--method", type=arguments.payment_method, default="check")
    cancel.add_argument("--reason", default="")
    cancel.set_defaults(handler=run_cancel)


def run_add(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.models import RegistrationStatus
    from sro_desktop.services.registrations import PaymentInput, registration_rows
    from sro_desktop.services.registrations import register as register_person

    if args.paid is not None and args.paid <= 0:
        raise UnusableInput(f"--paid {args.paid} is not an amount received; leave it out.")
    on = args.on or date.today()
    payment = (
        PaymentInput(args.paid, args.method, on, args.reference) if args.paid is not None else None
    )
    database = context.database()
    with database.transaction(action="Register") as session:
        registration = register_person(
            session,
            args.meeting,
            args.member,
            category=args.category,
            on=on,
            payment=payment,
        )
        row = next(r for r in registration_rows(session, args.meeting) if r.id == registration.id)
        title = registration.meeting.title
    if args.json:
        print_json(row.to_json())
        return 0
    category = row.category.label.lower()
    fee = f"{category} fee {money(row.fee)}" if row.fee else f"{category}, no fee"
    if row.status is RegistrationStatus.WAITLISTED:
        print(
            f"“{title}” is full: {row.full_name} is on the waitlist at place "
            f"{row.waitlist_position} ({fee})."
        )
    elif row.fee:
        print(f"Registered {row.full_name} for “{title}”: {fee}, {row.payment_status.lower()}.")
    else:
        print(f"Registered {row.full_name} for “{title}” ({fee}).")
    return 0


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.models import RegistrationStatus
    from sro_desktop.services.meetings import get_meeting
    from sro_desktop.services.registrations import registration_rows

    with context.database().session() as session:
        rows = registration_rows(session, args.meeting)
        title = get_meeting(session, args.meeting).title
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    print_table(
        ["ID", "Member", "Name", "Email", "Category", "Status", "Fee", "Paid", "Checked in"],
        [
            [
                str(r.id),
                str(r.member_id),
                f"{r.last_name}, {r.first_name}",
                r.email or "",
                r.category.label,
                (
                    f"Waitlist {r.waitlist_position}"
                    if r.status is RegistrationStatus.WAITLISTED
                    else r.status.label
                ),
                money(r.fee),
                money(r.paid),
                f"{r.checked_in_at.astimezone():%b %d %H:%M}" if r.checked_in_at else "",
            ]
            for r in rows
        ],
    )
    counts = {status: sum(1 for r in rows if r.status is status) for status in RegistrationStatus}
    print(
        f"“{title}”: {counts[RegistrationStatus.REGISTERED]} registered, "
        f"{counts[RegistrationStatus.WAITLISTED]} waitlisted, "
        f"{counts[RegistrationStatus.CANCELLED]} cancelled"
    )
    return 0


def run_cancel(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.registrations import (
        PaymentInput,
        cancel_registration,
        find_registration,
    )

    refund = (
        PaymentInput(args.refund, args.method, date.today()) if args.refund is not None else None
    )
    database = context.database()
    with database.transaction(action="Cancel registration") as session:
        registration = find_registration(session, args.meeting, args.member)
        result = cancel_registration(session, registration.id, refund=refund, reason=args.reason)
        name = registration.member.full_name
        promoted = [r.member.full_name for r in result.promoted]
    message = f"Cancelled {name}'s registration"
    if result.refund is not None:
        message += f" and refunded {money(-result.refund.amount)}"
    print(message + ".")
    for person in promoted:
        print(f"{person} moved up from the waitlist and now has a place.")
    return 0
