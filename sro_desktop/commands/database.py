"""Commands about the database file itself: `demo` and `check`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from sro_desktop.commands.context import CommandContext, print_json
from sro_desktop.errors import UnusableInput


def register(commands: argparse._SubParsersAction[Any]) -> None:
    demo = commands.add_parser(
        "demo",
        help="fill an empty database with realistic sample data",
        description="Fill an empty database with a sample organization: a few hundred members "
        "over three years, four meetings, registrations, attendance and payments.",
    )
    demo.set_defaults(handler=run_demo, may_create=True)
    check = commands.add_parser(
        "check",
        help="check the database's integrity",
        description="Run SQLite's integrity and foreign-key checks and print the result. "
        "The file is only read, so this works on a damaged file and while the app has it "
        "open. Exits 1 if problems were found; names the newest good backup then.",
    )
    check.add_argument(
        "--quick", action="store_true", help="SQLite's quick check only (what opening runs)"
    )
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.set_defaults(handler=run_check)


def run_demo(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.demo import fill_demo_data

    database = context.database()
    with database.transaction(action="Load demo data") as session:
        summary = fill_demo_data(session, date.today())
    print(
        f"Added demo data to {database.path}: {summary.members} members, "
        f"{summary.non_members} other contacts, {summary.memberships} membership periods, "
        f"{summary.meetings} meetings, {summary.registrations} registrations and "
        f"{summary.payments} payments."
    )
    return 0


def run_check(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.backup import newest_good_backup, summarize_backup
    from sro_desktop.db.integrity import full_check, quick_check
    from sro_desktop.db.locking import read_holder, sharing_warnings, synced_folder_service

    path = context.path.expanduser().absolute()
    if path.is_dir():
        raise UnusableInput(f"{path} is a folder; name a database file inside it instead.")
    if not path.exists() or path.stat().st_size == 0:
        # A new file: opening it makes the schema, then it is checked like any other.
        context.database()
        context.close()
    result = quick_check(path) if args.quick else full_check(path)
    # Damage inside a database is exit 1; a file that is no SQLite database at all is an
    # unusable file, exit 2 (like every other command given it).
    failed = 1 if _is_sqlite_file(path) else 2
    holder = read_holder(path)
    warnings = sharing_warnings(path, None)
    good = None if result.ok else newest_good_backup(path)
    if args.json:
        print_json(
            {
                "path": str(path),
                "ok": result.ok,
                "check": "quick_check" if args.quick else "integrity_check",
                "problems": list(result.problems),
                "seconds": round(result.seconds, 3),
                "open_in": holder.describe() if holder is not None else None,
                "synced_folder": synced_folder_service(path),
                "newest_good_backup": str(good.path) if good is not None else None,
            }
        )
        return 0 if result.ok else failed
    for warning in warnings:
        print(f"Note: {warning}")
    if holder is not None:
        print(f"Note: the app has it open ({holder.describe()}).")
    if result.ok:
        print(f"{path}: ok")
        return 0
    print(f"{path}: {len(result.problems)} problem(s) found:")
    for problem in result.problems:
        print(f"  {problem}")
    if good is None:
        print("No good backup was found beside it; keep this file and ask for help.")
    else:
        people = summarize_backup(good.path).people
        print(
            f"The newest good backup is {good.path} ({good.taken_at:%Y-%m-%d %H:%M}, "
            f"{people} people); restore it with: sro-desktop --db '{path}' restore '{good.path}'"
        )
    return failed


def _is_sqlite_file(path: Path) -> bool:
    """True if the file starts as every SQLite database does."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
