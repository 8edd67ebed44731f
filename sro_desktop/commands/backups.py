"""Commands about backups: `backup [FILE]`, `restore FILE`, `backups list`, `backups settings`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sro_desktop.commands.context import CommandContext, print_json, print_table
from sro_desktop.errors import UnusableInput


def register(commands: argparse._SubParsersAction[Any]) -> None:
    backup = commands.add_parser(
        "backup",
        help="back up the database now",
        description="Copy the database with SQLite's backup API, safely even while the app "
        "has it open. Without FILE the copy goes to the backups folder beside the database.",
    )
    backup.add_argument("file", nargs="?", type=Path, metavar="FILE", help="where to write it")
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup",
        description="Replace the database's content with the backup FILE. The current "
        "content is backed up first (or, if the file is damaged, kept unchanged under a new "
        "name). The app must not have the database open.",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    restore.set_defaults(handler=run_restore, may_create=True)

    backups = commands.add_parser("backups", help="the backups kept beside the database")
    verbs = backups.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser(
        "list",
        help="list the backups with their date, reason and number of people",
        description="List the backups in the backups folder beside the database, newest first.",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list)
    settings = verbs.add_parser(
        "settings",
        help="show or change how many backups are kept",
        description="Rotation keeps the newest N backups and the newest one of each of the "
        "last M months. With no option, prints the numbers in force.",
    )
    settings.add_argument("--keep-last", type=int, metavar="N", help="recent backups to keep")
    settings.add_argument("--keep-months", type=int, metavar="M", help="monthly backups to keep")
    settings.set_defaults(handler=run_settings)


def _existing_database(context: CommandContext) -> Path:
    path = context.path.expanduser().absolute()
    if not path.is_file() or path.stat().st_size == 0:
        raise UnusableInput(f"There is no database at {path}; check the --db path.")
    return path


def run_backup(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.backup import copy_database, summarize_backup, take_backup

    path = _existing_database(context)
    if args.file is None:
        destination = take_backup(path, "manual")
    else:
        destination = args.file.expanduser().absolute()
        if destination.exists():
            raise UnusableInput(
                f"{destination} already exists; choose a new file name for the backup."
            )
        if destination == path:
            raise UnusableInput("The backup cannot be the database itself; choose another file.")
        try:
            copy_database(path, destination)
        except OSError as error:
            raise UnusableInput(
                f"The backup could not be written to {destination} ({error.strerror}); "
                "choose another folder."
            ) from error
    people = summarize_backup(destination).people
    print(f"Backed up {path.name} ({people} people) to {destination}")
    return 0


def run_restore(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.backup import recover_from_backup, restore_backup, summarize_backup
    from sro_desktop.db.database import open_database
    from sro_desktop.db.integrity import quick_check

    path = context.path.expanduser().absolute()
    source = args.file.expanduser().absolute()
    if path.is_file() and path.stat().st_size > 0 and not quick_check(path).ok:
        kept = recover_from_backup(path, source)
        note = f"the damaged file was kept unchanged as {kept}"
    elif path.is_file():
        safety = restore_backup(path, source)
        note = f"its previous content was backed up to {safety}"
    else:
        raise UnusableInput(f"There is no database at {path}; check the --db path.")
    # Opening brings an older backup's schema up to date and proves it opens.
    database = open_database(path)
    database.close()
    people = summarize_backup(path).people
    print(f"Restored {path.name} from {source.name} ({people} people); {note}.")
    return 0


def run_list(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.backup import list_backups, summarize_backup

    path = context.path.expanduser().absolute()
    rows = []
    for backup in list_backups(path):
        summary = summarize_backup(backup.path)
        rows.append((backup, summary))
    if args.json:
        print_json(
            [
                {
                    "path": str(b.path),
                    "taken_at": b.taken_at,
                    "reason": b.reason,
                    "people": s.people,
                    "size_bytes": s.size_bytes,
                    "problem": s.problem,
                }
                for b, s in rows
            ]
        )
        return 0
    print_table(
        ["Taken", "Reason", "People", "Size", "File"],
        [
            [
                f"{b.taken_at:%Y-%m-%d %H:%M:%S}",
                b.reason_label,
                str(s.people) if s.people is not None else f"damaged: {s.problem}",
                f"{s.size_bytes / 1_048_576:.1f} MB",
                b.path.name,
            ]
            for b, s in rows
        ],
    )
    print(f"{len(rows)} backups in {path.parent / 'backups'}")
    return 0


def run_settings(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.db.backup import (
        RetentionPolicy,
        load_retention,
        rotate_backups,
        save_retention,
    )

    path = context.path.expanduser().absolute()
    policy = load_retention(path)
    if args.keep_last is not None or args.keep_months is not None:
        policy = RetentionPolicy(
            args.keep_last if args.keep_last is not None else policy.keep_last,
            args.keep_months if args.keep_months is not None else policy.keep_months,
        )
        save_retention(path, policy)
        removed = rotate_backups(path, policy)
        if removed:
            print(f"Removed {len(removed)} backups beyond the new numbers.")
    print(
        f"Keeping the newest {policy.keep_last} backups and one a month for "
        f"{policy.keep_months} months."
    )
    return 0
