"""Commands about imports as a whole: `imports list` and `imports undo`, and the options
and output every `... import FILE` command shares.

An import prints one line saying what it did (or, with --json, one object: header_row,
mapping, created, updated, unchanged, duplicates, skipped, errors, batch_id), then the
problems found, each with the spreadsheet's row number, the column, the value and what
is wrong. Without --skip-invalid, any invalid row means nothing is written (exit 1);
--dry-run never writes and exits 0 when the file could be read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table

if TYPE_CHECKING:
    from sro_desktop.spreadsheets.import_runner import ImportReport
    from sro_desktop.spreadsheets.member_records import ParsedRows
    from sro_desktop.spreadsheets.sheet_data import Table
from sro_desktop.errors import UnusableInput

__all__ = [
    "add_attendance_verb",
    "add_import_options",
    "add_registrations_verb",
    "finish_import",
    "mapping_changes",
    "register",
]

_PROBLEMS_SHOWN = 50


def register(commands: argparse._SubParsersAction[Any]) -> None:
    imports = commands.add_parser("imports", help="the history of imports, and undoing one")
    verbs = imports.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser(
        "list",
        help="list past imports",
        description="List every import, newest first: its number, file, when, and how many "
        "people it added, updated and left unchanged.",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list)
    undo = verbs.add_parser(
        "undo",
        help="undo an import",
        description="Take back an import: remove what it added and put back the earlier "
        "details of the people it updated. Refused when later work depends on it.",
    )
    undo.add_argument("batch", type=arguments.record_id, metavar="BATCH_ID")
    undo.set_defaults(handler=run_undo)


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.import_batches import list_batches

    with context.database().session() as session:
        batches = list_batches(session)
    if args.json:
        print_json([batch.to_json() for batch in batches])
        return 0
    print_table(
        ["ID", "When", "What", "File", "New", "Updated", "Unchanged", "Skipped", "Undone"],
        [
            [
                str(b.id),
                f"{b.created_at.astimezone():%Y-%m-%d %H:%M}",
                b.kind,
                b.file,
                str(b.created),
                str(b.updated),
                str(b.unchanged),
                str(b.skipped),
                f"{b.undone_at.astimezone():%Y-%m-%d %H:%M}" if b.undone_at else "",
            ]
            for b in batches
        ],
    )
    print(f"{len(batches)} import{'s' if len(batches) != 1 else ''}")
    return 0


def run_undo(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.import_batches import undo_batch

    database = context.database()
    with database.transaction(action=f"Undo import {args.batch}") as session:
        result = undo_batch(session, args.batch)
    print(result.summary())
    return 0


# --- shared by the import commands ------------------------------------------------------


def add_import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="the spreadsheet to import")
    parser.add_argument(
        "--sheet", metavar="NAME", help="the sheet to read (default: the first with data)"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and show what would change; write nothing",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows and leave out the invalid ones (default: import nothing "
        "if any row is invalid)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="read the column HEADER as FIELD, or as nothing with HEADER= (repeatable)",
    )
    parser.add_argument(
        "--invalid-rows",
        type=Path,
        metavar="FILE.xlsx",
        help="save the rows left out, with what to fix, to this workbook",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def mapping_changes(pairs: list[str], known: set[str]) -> dict[str, str | None]:
    """--map HEADER=FIELD pairs as mapping changes; a blank FIELD unmaps the header."""
    changes: dict[str, str | None] = {}
    for pair in pairs:
        header, separator, field_key = pair.partition("=")
        if not separator or not header.strip():
            raise UnusableInput(f"--map “{pair}” is not HEADER=FIELD, e.g. --map 'E-mail=email'.")
        key = field_key.strip() or None
        if key is not None and key not in known:
            raise UnusableInput(
                f"--map “{pair}”: there is no field “{key}”; use one of {', '.join(sorted(known))}."
            )
        changes[header.strip()] = key
    return changes


def check_mapping(parsed: ParsedRows, changes: dict[str, str | None]) -> None:
    """Refuse --map naming a column the file lacks, and a file none of whose columns
    says who a row is about (every row would be refused for having no name)."""
    from sro_desktop.spreadsheets.column_mapping import says_who

    table = parsed.table
    listed = ", ".join(f"“{h}”" for h in table.headers)
    unknown = [header for header in changes if header not in table.headers]
    if unknown:
        raise UnusableInput(
            f"{table.file_name} has no column “{unknown[0]}”; its columns are {listed}."
        )
    if not says_who(parsed.mapping):
        raise UnusableInput(
            f"No column of {table.file_name} (header row {table.header_row}: {listed}) reads "
            "as a name or an email address, so no one could be imported; name the columns "
            "(e.g. “First Name”, “Last Name”, “Email”) or map them with --map 'HEADER=email'."
        )


def finish_import(args: argparse.Namespace, table: Table | None, report: ImportReport) -> int:
    """Print the report, save the invalid rows if asked, and give the exit code."""
    from sro_desktop.spreadsheets.import_runner import refusal
    from sro_desktop.spreadsheets.invalid_rows import write_invalid_rows

    if args.invalid_rows is not None and report.errors and table is not None:
        count = write_invalid_rows(table, report.errors, args.invalid_rows)
        if not args.json:
            print(f"Saved {count} rows to fix to {args.invalid_rows}")
    refused = bool(report.errors) and not report.dry_run and not report.written
    if args.json:
        print_json(report.to_json())
    else:
        where = f", sheet “{report.sheet}”" if report.sheet else ""
        print(
            f"{report.file}{where}: header in row {report.header_row}; "
            + ", ".join(f"{h} → {f}" for h, f in report.mapping.items())
        )
        if not refused:
            hint = (
                f" Undo it with: sro-desktop imports undo {report.batch_id}"
                if report.batch_id is not None
                else ""
            )
            print(report.summary() + hint)
        for problem in report.errors[:_PROBLEMS_SHOWN]:
            print(f"  {problem}")
        if len(report.errors) > _PROBLEMS_SHOWN:
            print(f"  … and {len(report.errors) - _PROBLEMS_SHOWN} more (see --invalid-rows)")
    if refused:
        raise refusal(report)
    return 0


# --- `registrations import` and `attendance import` (hooked in by their commands) -------


def add_registrations_verb(verbs: argparse._SubParsersAction[Any]) -> None:
    importing = verbs.add_parser(
        "import",
        help="import registrations from an online form's export",
        description="Import a meeting's registrations from a spreadsheet (name, email, "
        "category, fee, paid): people are matched by email, then by name, or added as "
        "contacts; each is registered (a full meeting puts them on the waitlist) with the "
        "fee given or their category's, and what they paid is recorded.",
    )
    importing.add_argument("--meeting", required=True, type=arguments.record_id, metavar="ID")
    add_import_options(importing)
    importing.set_defaults(handler=run_registrations_import)


def add_attendance_verb(verbs: argparse._SubParsersAction[Any]) -> None:
    importing = verbs.add_parser(
        "import",
        help="import a Zoom participants report or a sign-in sheet",
        description="Import who attended a meeting: a Zoom participants report (CSV with "
        "its meeting information on top; rejoins and second devices count once) or a "
        "sign-in sheet (each signed row checks the person in; arrival and departure times "
        "are kept). People are matched to the meeting's registrations by email, then name.",
    )
    importing.add_argument("--meeting", required=True, type=arguments.record_id, metavar="ID")
    add_import_options(importing)
    importing.set_defaults(handler=run_attendance_import)


def run_registrations_import(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.models import ImportKind
    from sro_desktop.services.meetings import get_meeting
    from sro_desktop.spreadsheets.column_mapping import REGISTRATION_FIELDS
    from sro_desktop.spreadsheets.import_runner import import_registrations, read_and_prepare
    from sro_desktop.spreadsheets.registration_import import parse_registration_rows

    changes = mapping_changes(args.map, {f.key for f in REGISTRATION_FIELDS})
    database = context.database()
    with database.session() as session:
        get_meeting(session, args.meeting)
    parsed = read_and_prepare(
        database,
        args.file,
        args.sheet,
        ImportKind.REGISTRATIONS,
        parse_registration_rows,
        changes,
    )
    table = parsed.table
    check_mapping(parsed, changes)
    report = import_registrations(
        database, parsed, args.meeting, dry_run=args.dry_run, skip_invalid=args.skip_invalid
    )
    return finish_import(args, table, report)


def run_attendance_import(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.models import ImportKind
    from sro_desktop.services.meetings import get_meeting
    from sro_desktop.spreadsheets.attendance_import import (
        is_zoom_report,
        parse_sign_in_rows,
        read_zoom_report,
    )
    from sro_desktop.spreadsheets.column_mapping import ATTENDANCE_FIELDS
    from sro_desktop.spreadsheets.import_runner import (
        import_sign_in_sheet,
        import_zoom_report,
        read_and_prepare,
    )

    database = context.database()
    with database.session() as session:
        get_meeting(session, args.meeting)
    if is_zoom_report(args.file, args.sheet):
        zoom = read_zoom_report(args.file, args.sheet)
        report = import_zoom_report(
            database,
            args.file.name,
            zoom,
            args.meeting,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
        )
        return finish_import(args, None, report)
    changes = mapping_changes(args.map, {f.key for f in ATTENDANCE_FIELDS})
    parsed = read_and_prepare(
        database, args.file, args.sheet, ImportKind.ATTENDANCE, parse_sign_in_rows, changes
    )
    table = parsed.table
    check_mapping(parsed, changes)
    report = import_sign_in_sheet(
        database, parsed, args.meeting, dry_run=args.dry_run, skip_invalid=args.skip_invalid
    )
    return finish_import(args, table, report)
