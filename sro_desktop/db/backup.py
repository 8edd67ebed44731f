"""Copies of the database taken with SQLite's online backup API, kept beside it and rotated.

The backup API copies a consistent snapshot even while the app has the file open in WAL mode.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sro_desktop.db.engine import create_private_file
from sro_desktop.paths import ensure_private_dir

BACKUP_DIR_NAME = "backups"
KEEP_LAST = 10
KEEP_MONTHLY = 12
_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?-(?P<reason>[a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str


def backup_dir_for(database: Path) -> Path:
    return database.parent / BACKUP_DIR_NAME


def copy_database(source: Path, destination: Path) -> None:
    """Copy the live database at `source` into a new private file at `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # A backup is one self-contained file: no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(destination)


def take_backup(database: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Back up `database` into its backups folder, named by time and reason, then rotate."""
    moment = now or datetime.now()
    folder = ensure_private_dir(backup_dir_for(database))
    stem = database.stem
    name = f"{stem}-{moment.strftime(_STAMP_FORMAT)}-{reason}.sqlite3"
    destination = folder / name
    counter = 1
    while destination.exists():
        destination = folder / f"{stem}-{moment.strftime(_STAMP_FORMAT)}-{counter}-{reason}.sqlite3"
        counter += 1
    copy_database(database, destination)
    rotate_backups(database)
    return destination


def list_backups(database: Path) -> list[BackupFile]:
    """The backups of `database`, newest first."""
    folder = backup_dir_for(database)
    if not folder.is_dir():
        return []
    found: list[BackupFile] = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != database.stem:
            continue
        taken = datetime.strptime(match["stamp"], _STAMP_FORMAT)
        found.append(BackupFile(path, taken, match["reason"]))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def rotate_backups(
    database: Path, keep_last: int = KEEP_LAST, keep_monthly: int = KEEP_MONTHLY
) -> list[Path]:
    """Keep the newest `keep_last` backups and the newest one of each of the last
    `keep_monthly` months; delete the rest. Returns what was deleted."""
    backups = list_backups(database)
    keep = {b.path for b in backups[:keep_last]}
    months_seen: set[tuple[int, int]] = set()
    for backup in backups:
        month = (backup.taken_at.year, backup.taken_at.month)
        if month not in months_seen and len(months_seen) < keep_monthly:
            months_seen.add(month)
            keep.add(backup.path)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
