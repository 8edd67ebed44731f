"""`workbook export FILE.xlsx` and `workbook import FILE.xlsx`: the whole database as one
workbook (a sheet per table) and back into an empty database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sro_desktop.commands.context import CommandContext, print_json
from sro_desktop.commands.member_files import xlsx_path


def register(commands: argparse._SubParsersAction[Any]) -> None:
    workbook = commands.add_parser("workbook", help="the whole database as one workbook, and back")
    verbs = workbook.add_subparsers(dest="verb", metavar="VERB", required=True)
    exporting = verbs.add_parser(
        "export",
        help="write every table to one workbook",
        description="Write the whole database to an .xlsx workbook: an About sheet, then a "
        "sheet per table with its column names as headers and its rows in id order. "
        "`workbook import` reads it back into an empty database without loss.",
    )
    exporting.add_argument("file", type=Path, metavar="FILE.xlsx")
    exporting.add_argument("--json", action="store_true", help="print rows per table as JSON")
    exporting.set_defaults(handler=run_export)
    importing = verbs.add_parser(
        "import",
        help="fill an empty database from a database workbook",
        description="Fill an empty database from a workbook made by `workbook export`, ids "
        "and links as they were. Refused unless the database is empty (create a new one "
        "with --db NEW.sqlite3).",
    )
    importing.add_argument("file", type=Path, metavar="FILE.xlsx")
    importing.add_argument("--json", action="store_true", help="print rows per table as JSON")
    importing.set_defaults(handler=run_import, may_create=True)


def run_export(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.spreadsheets.database_workbook import export_database

    path = xlsx_path(args.file)
    with context.database().session() as session:
        counts = export_database(session, path)
    if args.json:
        print_json({"file": str(path), "rows": counts})
    else:
        total = sum(counts.values())
        print(f"Exported {total:,} rows of {len(counts)} tables to {path}")
    return 0


def run_import(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.backup import take_backup
    from sro_desktop.spreadsheets.database_workbook import import_database

    database = context.database()
    take_backup(database.path, "before-import")
    with database.transaction(action=f"Import database workbook {args.file.name}") as session:
        restored = import_database(session, args.file)
    if args.json:
        print_json({"file": str(args.file), "rows": restored.rows})
    else:
        print(restored.summary())
    return 0
