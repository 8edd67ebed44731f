"""Commands about money received: `payments add`.

Each verb registers itself from `register` with one `_register_<verb>(verbs)` call, so a
new verb (`payments list`) is one more function and one more line there.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json
from sro_desktop.commands.payments_list import register_list

if TYPE_CHECKING:
    from sro_desktop.db.models import PaymentPurpose

# What `payments add --purpose` takes (the rest are recorded by their own commands).
PURPOSE_NAMES = ("dues", "registration", "sponsorship", "donation", "other")


def purposes() -> list[PaymentPurpose]:
    from sro_desktop.db.models import PaymentPurpose

    return [PaymentPurpose(name) for name in PURPOSE_NAMES]


def register(commands: argparse._SubParsersAction[Any]) -> None:
    payments = commands.add_parser("payments", help="money received")
    verbs = payments.add_subparsers(dest="verb", metavar="VERB", required=True)
    _register_add(verbs)
    register_list(verbs)  # issue 7: commands/payments_list.py


def _register_add(verbs: argparse._SubParsersAction[Any]) -> None:
    add = verbs.add_parser(
        "add",
        help="record a payment from a member",
        description="Record money received from a member. Dues go against the member's "
        "oldest membership period with dues outstanding (or --membership ID).",
    )
    add.add_argument("--member", type=arguments.member_id, required=True, metavar="ID")
    add.add_argument(
        "--amount",
        type=arguments.amount,
        required=True,
        metavar="A",
        help="such as 150 or $1,250.00 (negative for a refund)",
    )
    add.add_argument(
        "--date",
        type=arguments.any_date,
        required=True,
        metavar="D",
        help="the day it was received, such as 2026-03-14 or 3/14/2026",
    )
    add.add_argument(
        "--method",
        type=arguments.payment_method,
        required=True,
        metavar="M",
        help="|".join(arguments.PAYMENT_METHOD_NAMES),
    )
    add.add_argument(
        "--reference", default="", metavar="R", help="check number, or card or transfer reference"
    )
    add.add_argument(
        "--purpose",
        type=arguments.choice(purposes),
        default="dues",  # argparse reads a text default through `type`
        help="|".join(PURPOSE_NAMES) + " (default dues)",
    )
    add.add_argument(
        "--membership",
        type=arguments.record_id,
        metavar="ID",
        help="the membership period dues are for",
    )
    add.add_argument(
        "--registration",
        type=arguments.record_id,
        metavar="ID",
        help="the registration a fee is for",
    )
    add.add_argument("--memo", default="", help="a note kept with the payment")
    add.add_argument("--json", action="store_true", help="print the payment as JSON")
    add.set_defaults(handler=run_add)


def run_add(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.memberships import record_member_payment

    with context.database().transaction(action="Record payment") as session:
        payment = record_member_payment(
            session,
            member_id=args.member,
            amount=args.amount,
            paid_on=args.date,
            method=args.method,
            purpose=args.purpose,
            reference=args.reference,
            membership_id=args.membership,
            registration_id=args.registration,
            memo=args.memo,
        )
        data = {
            "id": payment.id,
            "member_id": payment.member_id,
            "membership_id": payment.membership_id,
            "registration_id": payment.registration_id,
            "amount": payment.amount,
            "paid_on": payment.paid_on,
            "method": payment.method.value,
            "reference": payment.reference,
            "purpose": payment.purpose.value,
        }
    if args.json:
        print_json(data)
    else:
        linked = f" against membership #{data['membership_id']}" if data["membership_id"] else ""
        print(
            f"Recorded payment #{data['id']}: {data['amount']} from member "
            f"#{data['member_id']}{linked} on {args.date:%m/%d/%Y}"
        )
    return 0
