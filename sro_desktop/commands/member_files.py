"""`members import FILE` and `members export FILE.xlsx`, added to the `members` command.

`commands.members` owns the `members` parser; it calls `add_verbs` with its subparsers,
so these verbs live here, beside the spreadsheet code they drive.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json
from sro_desktop.commands.imports import (
    add_import_options,
    check_mapping,
    finish_import,
    mapping_changes,
)
from sro_desktop.errors import UnusableInput

__all__ = ["add_verbs", "xlsx_path"]


# exports.MEMBER_COLUMNS' keys, spelled out so that building the parser imports no
# spreadsheets code (start-up time; tests/cli/test_cli_startup.py keeps them equal).
MEMBER_COLUMN_KEYS = (
    "last_name",
    "first_name",
    "credentials",
    "email",
    "phone",
    "organization",
    "organization_type",
    "job_role",
    "state",
    "member_since",
    "status",
    "membership_type",
    "paid_through",
)


def _columns(text: str) -> list[str]:
    from sro_desktop.spreadsheets.exports import MEMBER_COLUMNS

    keys = [part.strip() for part in text.split(",") if part.strip()]
    known = [key for key, *_ in MEMBER_COLUMNS]
    for key in keys:
        if key not in known:
            raise argparse.ArgumentTypeError(
                f"'{key}' is not a member column; use some of {', '.join(known)}"
            )
    return keys


def xlsx_path(path: Path) -> Path:
    """`path`, with .xlsx added when it has no extension; another extension is refused."""
    if not path.suffix:
        return path.with_name(path.name + ".xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UnusableInput(
            f"{path.name}: exports are Excel workbooks; give the file a name ending in .xlsx."
        )
    return path


def add_verbs(verbs: argparse._SubParsersAction[Any]) -> None:
    importing = verbs.add_parser(
        "import",
        help="import a roster from a spreadsheet",
        description="Import people from .xlsx, .xlsm, .xls, .ods or .csv: the header row is "
        "found below any titles, columns are matched to fields by their headers (or as "
        "remembered for a file with the same headers), rows for the same email are one "
        "person, existing people are updated field by field, and membership type, year or "
        "expiry and dues paid add memberships and payments. The import is one batch that "
        "`imports undo` takes back.",
    )
    add_import_options(importing)
    importing.set_defaults(handler=run_import, may_create=True)
    exporting = verbs.add_parser(
        "export",
        help="export the member list to a workbook",
        description="Write the member list (all, or filtered) to an .xlsx workbook with a "
        "bold, frozen header row, filters, dates and a column per field.",
    )
    exporting.add_argument("file", type=Path, metavar="FILE.xlsx")
    exporting.add_argument(
        "--status", type=arguments.member_status, help="only members with this status"
    )
    exporting.add_argument("--search", default="", help="only members matching these words")
    exporting.add_argument(
        "--columns",
        type=_columns,
        metavar="KEY,KEY",
        help=f"the columns, in order (default: all): {', '.join(MEMBER_COLUMN_KEYS)}",
    )
    exporting.add_argument("--json", action="store_true", help="print a JSON object")
    exporting.set_defaults(handler=run_export)


def run_import(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.models import ImportKind
    from sro_desktop.spreadsheets.column_mapping import MEMBER_FIELDS
    from sro_desktop.spreadsheets.import_runner import import_members, read_and_prepare

    changes = mapping_changes(args.map, {field.key for field in MEMBER_FIELDS})
    database = context.database()
    parsed = read_and_prepare(database, args.file, args.sheet, ImportKind.MEMBERS, changes=changes)
    table = parsed.table
    check_mapping(parsed, changes)
    report = import_members(database, parsed, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
    return finish_import(args, table, report)


def run_export(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.members import MemberFilter
    from sro_desktop.spreadsheets.exports import export_members

    path = xlsx_path(args.file)
    member_filter = MemberFilter(search=args.search, status=args.status)
    with context.database().session() as session:
        result = export_members(
            session, path, as_of=date.today(), member_filter=member_filter, columns=args.columns
        )
    if args.json:
        print_json({"file": str(result.path), "rows": result.rows})
    else:
        print(result.summary())
    return 0
