"""Commands about the audit trail: `audit list` and `audit export FILE.xlsx`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table
from sro_desktop.errors import UnusableInput

if TYPE_CHECKING:
    from sro_desktop.services.audit_history import AuditFilter

# audit_history.TABLE_LABELS' keys, spelled out so that building the parser imports no
# services (start-up time; tests/cli/test_cli_startup.py keeps them equal).
RECORD_NAMES = ("certificates", "members", "memberships", "payments", "registrations")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--member", type=arguments.member_id, metavar="ID", help="only this member")
    parser.add_argument(
        "--record",
        choices=RECORD_NAMES,
        action="append",
        help="only changes to this kind of record (may be repeated)",
    )
    parser.add_argument(
        "--since", type=arguments.iso_date, metavar="YYYY-MM-DD", help="from this day on"
    )
    parser.add_argument(
        "--until", type=arguments.iso_date, metavar="YYYY-MM-DD", help="up to this day"
    )
    parser.add_argument("--search", default="", help="only entries mentioning this text")
    parser.add_argument(
        "--batch", type=arguments.positive_int, metavar="ID", help="only this import batch"
    )


def register(commands: argparse._SubParsersAction[Any]) -> None:
    audit = commands.add_parser("audit", help="the history of every change")
    verbs = audit.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser(
        "list",
        help="list changes, newest first",
        description="List recorded changes to members, memberships, payments, registrations "
        "and certificates: when, what, old and new values, and the action or import batch.",
    )
    _add_filters(listing)
    listing.add_argument(
        "--limit", type=arguments.positive_int, metavar="N", help="at most N entries"
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list, read_only=True)
    export = verbs.add_parser(
        "export",
        help="write the changes to an .xlsx workbook",
        description="Write the matching changes to an Excel workbook, one row per changed field.",
    )
    export.add_argument("file", type=Path, metavar="FILE.xlsx", help="the workbook to write")
    _add_filters(export)
    export.set_defaults(handler=run_export, read_only=True)


def _criteria(args: argparse.Namespace, limit: int | None = None) -> AuditFilter:
    from sro_desktop.services.audit_history import AuditFilter

    return AuditFilter(
        member_id=args.member,
        tables=tuple(args.record or ()),
        since=args.since,
        until=args.until,
        text=args.search,
        import_batch_id=args.batch,
        limit=limit,
    )


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.audit_history import audit_rows

    with context.database().session() as session:
        rows = audit_rows(session, _criteria(args, args.limit))
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    print_table(
        ["When", "Member", "Record", "Change", "What", "Why"],
        [
            [
                f"{row.at.astimezone():%Y-%m-%d %H:%M}",
                f"{row.member_id} {row.member_name}".strip() if row.member_id else "",
                f"{row.record_label} {row.row_id}",
                row.action_label,
                row.summary(),
                row.reason,
            ]
            for row in rows
        ],
    )
    print(f"{len(rows)} changes")
    return 0


def run_export(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.audit_history import audit_rows
    from sro_desktop.spreadsheets.audit_export import export_audit

    destination: Path = args.file.expanduser().absolute()
    if destination.suffix.lower() != ".xlsx":
        raise UnusableInput(f"{destination.name} does not end in .xlsx; name an .xlsx file.")
    if not destination.parent.is_dir():
        raise UnusableInput(f"The folder {destination.parent} does not exist; create it first.")
    with context.database().session() as session:
        rows = audit_rows(session, _criteria(args))
    written = export_audit(rows, destination)
    print(f"Wrote {len(rows)} changes ({written} rows) to {destination}")
    return 0
