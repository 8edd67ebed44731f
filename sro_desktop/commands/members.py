"""Commands about people: `members list`, `add`, `show`, `archive`, `unarchive`, `delete`,
`duplicates`, `not-duplicate` and `merge`."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from sro_desktop.commands import arguments, member_files
from sro_desktop.commands.context import CommandContext, print_json, print_table

if TYPE_CHECKING:
    from sro_desktop.db.models import EmployerType, JobRole
    from sro_desktop.services.members import MemberRow

# Spelled out so that building the parser imports no models or services (start-up time);
# tests/cli/test_cli_startup.py keeps them equal to the enums and to MERGE_FIELDS.
EMPLOYER_TYPE_NAMES = (
    "hospital",
    "medical_school",
    "education_company",
    "society",
    "industry",
    "publisher",
    "venue",
    "other",
)
JOB_ROLE_NAMES = ("leader", "manager", "coordinator", "administrative", "other")
MERGE_FIELD_NAMES = (
    "first_name",
    "last_name",
    "credentials",
    "email",
    "phone",
    "organization",
    "job_role",
    "job_title",
    "address",
    "member_since",
    "notes",
)
DUPLICATE_THRESHOLD = 6.0  # DuplicateRule's default


def _employer_types() -> type[EmployerType]:
    from sro_desktop.db.models import EmployerType

    return EmployerType


def _job_roles() -> type[JobRole]:
    from sro_desktop.db.models import JobRole

    return JobRole


def register(commands: argparse._SubParsersAction[Any]) -> None:
    members = commands.add_parser("members", help="the membership list")
    verbs = members.add_subparsers(dest="verb", metavar="VERB", required=True)
    _register_list(verbs)
    _register_add(verbs)
    member_files.add_verbs(verbs)  # members import / members export
    show = verbs.add_parser(
        "show",
        help="one member's whole record",
        description="Show one member's details, membership history, payments, meetings "
        "and certificates.",
    )
    show.add_argument("member", type=arguments.member_id, metavar="ID")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(handler=run_show)
    for name, text, handler in (
        ("archive", "hide a member from the list, keeping their records", run_archive),
        ("unarchive", "bring an archived member back to the list", run_unarchive),
        (
            "delete",
            "delete a member who has no payments, registrations or certificates",
            run_delete,
        ),
    ):
        verb = verbs.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        verb.add_argument("member", type=arguments.member_id, metavar="ID")
        verb.set_defaults(handler=handler)
    duplicates = verbs.add_parser(
        "duplicates",
        help="find people entered twice",
        description="List likely duplicate people, scored by matching first name (2), last "
        "name (3), email (4), phone (3) and organization (1); pairs scoring at least the "
        "threshold are shown, highest first.",
    )
    duplicates.add_argument("--threshold", type=float, default=DUPLICATE_THRESHOLD)
    duplicates.add_argument("--json", action="store_true", help="print a JSON array")
    duplicates.set_defaults(handler=run_duplicates)
    distinct = verbs.add_parser(
        "not-duplicate",
        help="remember that two people are different",
        description="Remember that two members are different people, so `duplicates` does "
        "not suggest them again.",
    )
    distinct.add_argument("first", type=arguments.member_id, metavar="ID")
    distinct.add_argument("second", type=arguments.member_id, metavar="ID")
    distinct.set_defaults(handler=run_not_duplicate)
    merge = verbs.add_parser(
        "merge",
        help="merge two records of one person",
        description="Merge OTHER_ID into KEEP_ID: every membership, payment, registration "
        "and certificate of OTHER_ID moves to KEEP_ID, then OTHER_ID is deleted. KEEP_ID's "
        "details stay, except blanks, which are filled from OTHER_ID, and the fields named "
        "with --take. The database is backed up first (`backups list` shows it as "
        "'Before a merge').",
    )
    merge.add_argument("keep", type=arguments.member_id, metavar="KEEP_ID")
    merge.add_argument("other", type=arguments.member_id, metavar="OTHER_ID")
    merge.add_argument(
        "--take",
        action="append",
        default=[],
        choices=MERGE_FIELD_NAMES,
        metavar="FIELD",
        help=f"use OTHER_ID's value of this field (repeatable: {', '.join(MERGE_FIELD_NAMES)})",
    )
    merge.add_argument("--json", action="store_true", help="print the merged member as JSON")
    merge.set_defaults(handler=run_merge)


def _register_list(verbs: argparse._SubParsersAction[Any]) -> None:
    listing = verbs.add_parser(
        "list",
        help="list members with their status",
        description="List everyone in the database with employer, membership type and status.",
    )
    listing.add_argument(
        "--status", type=arguments.member_status, help="only members with this status"
    )
    listing.add_argument("--search", default="", help="only members matching these words")
    listing.add_argument("--state", help="only members in this state or province (code)")
    listing.add_argument(
        "--organization-type",
        type=arguments.choice(_employer_types),
        help="only members whose organization is of this type",
    )
    listing.add_argument(
        "--include-archived", action="store_true", help="list archived members too"
    )
    listing.add_argument(
        "--as-of",
        type=arguments.iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="compute status on this date (default: today)",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list)


def _register_add(verbs: argparse._SubParsersAction[Any]) -> None:
    add = verbs.add_parser(
        "add",
        help="add a member",
        description="Add a person. The email is lower-cased and must not belong to anyone "
        "else; a state may be written as a code or a name (Pennsylvania is saved as PA).",
    )
    add.add_argument("--first", required=True, help="first name")
    add.add_argument("--last", required=True, help="last name")
    add.add_argument("--email", required=True, help="email address")
    add.add_argument("--phone", default="", help="phone number, kept as typed")
    add.add_argument("--organization", default="", help="employer (added if new)")
    add.add_argument(
        "--organization-type",
        type=arguments.choice(_employer_types),
        help=f"type of a new organization: {', '.join(EMPLOYER_TYPE_NAMES)}",
    )
    add.add_argument(
        "--role",
        type=arguments.choice(_job_roles),
        help=f"one of {', '.join(JOB_ROLE_NAMES)}",
    )
    add.add_argument("--credentials", default="", help="such as 'MD, PhD'")
    add.add_argument("--state", default="", help="state or province, code or name")
    add.add_argument("--json", action="store_true", help="print the new member as JSON")
    add.set_defaults(handler=run_add, may_create=True)


def _print_rows(rows: list[MemberRow]) -> None:
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


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.members import MemberFilter, member_rows

    member_filter = MemberFilter(
        search=args.search,
        status=args.status,
        state=args.state.strip().upper() if args.state else None,
        organization_type=args.organization_type,
        include_archived=args.include_archived,
    )
    with context.database().session() as session:
        rows = member_rows(session, args.as_of or date.today(), member_filter=member_filter)
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    _print_rows(rows)
    print(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}")
    return 0


def run_add(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.member_editing import MemberDraft, add_member
    from sro_desktop.services.members import member_row

    draft = MemberDraft(
        first_name=args.first,
        last_name=args.last,
        email=args.email,
        phone=args.phone,
        organization=args.organization,
        organization_type=args.organization_type,
        job_role=args.role,
        credentials=args.credentials,
        state=args.state,
    )
    database = context.database()
    with database.transaction(action="Add member") as session:
        member = add_member(session, draft)
        member_id = member.id
    with database.session() as session:
        row = member_row(session, member_id, date.today())
    assert row is not None
    if args.json:
        print_json(row.to_json())
    else:
        print(f"Added member #{row.id}: {_describe(row)}")
    return 0


def _describe(row: MemberRow) -> str:
    name = f"{row.first_name} {row.last_name}" + (f", {row.credentials}" if row.credentials else "")
    return name + (f" <{row.email}>" if row.email else "")


def run_show(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.member_record import member_record
    from sro_desktop.services.members import member_row

    with context.database().session() as session:
        record = member_record(session, args.member, date.today())
        row = member_row(session, args.member, date.today())
    assert row is not None
    member = record.member
    data = {
        **row.to_json(),
        "archived": member.archived,
        "job_title": member.job_title,
        "address": [member.address_line1, member.address_line2, member.city, member.postal_code],
        "notes": member.notes,
        "memberships": [
            {
                "id": p.membership_id,
                "type": p.membership_type,
                "start": p.start,
                "end": p.end,
                "dues": p.dues,
                "paid": p.paid,
                "standing": p.standing,
            }
            for p in record.periods
        ],
        "payments": [vars(p) for p in record.payments],
        "meetings": [vars(m) for m in record.meetings],
        "certificates": [vars(c) for c in record.certificates],
    }
    if args.json:
        print_json(data)
        return 0
    print(f"#{row.id} {_describe(row)} — {row.status.value}")
    if row.organization:
        print(f"  {row.organization}")
    print("Memberships:")
    for p in record.periods:
        end = f"{p.end:%m/%d/%Y}" if p.end else "never expires"
        print(
            f"  {p.membership_type} {p.start:%m/%d/%Y} – {end}: dues {p.dues}, "
            f"paid {p.paid} ({p.standing})"
        )
    print("Payments:")
    for payment in record.payments:
        how = " ".join(p for p in (payment.method, payment.reference) if p)
        print(f"  {payment.paid_on:%m/%d/%Y} {payment.amount} {payment.purpose} ({how})")
    print("Meetings:")
    for meeting in record.meetings:
        print(f"  {meeting.start_date:%m/%d/%Y} {meeting.title} ({meeting.status})")
    print("Certificates:")
    for certificate in record.certificates:
        print(f"  {certificate.number} {certificate.meeting_title} ({certificate.kind})")
    return 0


def run_archive(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.member_editing import set_archived

    with context.database().transaction(action="Archive member") as session:
        member = set_archived(session, args.member, True)
        print(f"Archived member #{member.id}: {member.full_name}")
    return 0


def run_unarchive(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.member_editing import set_archived

    with context.database().transaction(action="Unarchive member") as session:
        member = set_archived(session, args.member, False)
        print(f"Brought back member #{member.id}: {member.full_name}")
    return 0


def run_delete(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.member_editing import delete_member, get_member

    with context.database().transaction(action="Delete member") as session:
        name = get_member(session, args.member).full_name
        delete_member(session, args.member)
    print(f"Deleted member #{args.member}: {name}")
    return 0


def run_duplicates(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.duplicates import DuplicateRule, find_duplicates
    from sro_desktop.services.member_editing import get_member

    rule = DuplicateRule(threshold=args.threshold)
    with context.database().session() as session:
        pairs = find_duplicates(session, rule)
        names = {}
        for pair in pairs:
            for member_id in (pair.first_id, pair.second_id):
                if member_id not in names:
                    names[member_id] = get_member(session, member_id).full_name
    if args.json:
        print_json(
            [
                {
                    "first_id": p.first_id,
                    "first_name": names[p.first_id],
                    "second_id": p.second_id,
                    "second_name": names[p.second_id],
                    "score": p.score,
                    "reasons": list(p.reasons),
                }
                for p in pairs
            ]
        )
        return 0
    print_table(
        ["Score", "ID", "Name", "ID", "Name", "Why"],
        [
            [
                f"{p.score:g}",
                str(p.first_id),
                names[p.first_id],
                str(p.second_id),
                names[p.second_id],
                ", ".join(p.reasons),
            ]
            for p in pairs
        ],
    )
    print(f"{len(pairs)} likely duplicate pair{'s' if len(pairs) != 1 else ''}")
    return 0


def run_not_duplicate(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.duplicates import mark_not_duplicate

    with context.database().transaction(action="Not a duplicate") as session:
        mark_not_duplicate(session, args.first, args.second)
    print(f"Remembered: #{args.first} and #{args.second} are different people.")
    return 0


def run_merge(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.backup import take_backup
    from sro_desktop.services.duplicates import Choice, check_merge, merge_members
    from sro_desktop.services.members import member_row

    database = context.database()
    choices: dict[str, Choice] = {name: "other" for name in args.take}
    with database.session() as session:
        check_merge(session, args.keep, args.other, choices)  # refused: no backup made
    take_backup(database.path, "before-merge")  # a merge cannot be undone from here
    with database.transaction(action="Merge members") as session:
        result = merge_members(session, args.keep, args.other, choices)
    with database.session() as session:
        row = member_row(session, result.kept_id, date.today())
    assert row is not None
    if args.json:
        print_json(row.to_json())
    else:
        print(f"{result.summary()}.")
        print(f"Kept #{row.id}: {_describe(row)}")
    return 0
