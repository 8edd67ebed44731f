"""Copies of the database taken with SQLite's online backup API, kept beside it and rotated,
and restoring from them.

The backup API copies a consistent snapshot even while the app has the file open in WAL mode.
Backups go to `backups/` beside the database (0700, files 0600), named
`STEM-YYYYmmdd-HHMMSS-REASON.sqlite3`. Rotation keeps the newest `keep_last` and the newest
one of each of the last `keep_months` months; the two numbers live in
`backups/backup-settings.json` so the window and the command line share them and they travel
with the folder.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sro_desktop.db.engine import create_private_file
from sro_desktop.db.integrity import quick_check, read_only_connection
from sro_desktop.db.locking import DatabaseLock
from sro_desktop.errors import UnusableInput
from sro_desktop.paths import ensure_private_dir

BACKUP_DIR_NAME = "backups"
SETTINGS_FILE_NAME = "backup-settings.json"
KEEP_LAST = 10
KEEP_MONTHLY = 12
_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?-(?P<reason>[a-z-]+)\.sqlite3$")

REASON_LABELS = {
    "before-migration": "Before an upgrade",
    "before-import": "Before an import",
    "before-merge": "Before a merge",
    "before-restore": "Before a restore",
    "before-recovery": "Before a recovery",
    "on-close": "On closing",
    "manual": "Backed up by you",
}


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason.replace("-", " ").capitalize())


@dataclass(frozen=True)
class RetentionPolicy:
    """How many backups rotation keeps: the newest `keep_last`, plus the newest of each of
    the last `keep_months` months."""

    keep_last: int = KEEP_LAST
    keep_months: int = KEEP_MONTHLY

    def __post_init__(self) -> None:
        if not (1 <= self.keep_last <= 1000 and 0 <= self.keep_months <= 120):
            raise UnusableInput(
                "Keep between 1 and 1000 recent backups and between 0 and 120 monthly ones."
            )


@dataclass(frozen=True)
class BackupSummary:
    """What a backup file holds, read without changing it: `people` is None when the file
    cannot be read as an SRO Desktop database."""

    people: int | None
    problem: str | None
    size_bytes: int


def backup_dir_for(database: Path) -> Path:
    return database.parent / BACKUP_DIR_NAME


def _private_backup_dir(database: Path) -> Path:
    folder = ensure_private_dir(backup_dir_for(database))
    os.chmod(folder, 0o700)
    return folder


def load_retention(database: Path) -> RetentionPolicy:
    """The rotation numbers for `database`'s backups (the defaults if none were saved)."""
    path = backup_dir_for(database) / SETTINGS_FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RetentionPolicy(int(data["keep_last"]), int(data["keep_months"]))
    except (OSError, ValueError, KeyError, TypeError, UnusableInput):
        return RetentionPolicy()


def save_retention(database: Path, policy: RetentionPolicy) -> None:
    path = _private_backup_dir(database) / SETTINGS_FILE_NAME
    create_private_file(path)
    text = json.dumps({"keep_last": policy.keep_last, "keep_months": policy.keep_months})
    path.write_text(text + "\n", encoding="utf-8")


def copy_database(source: Path, destination: Path) -> None:
    """Copy the live database at `source` into a new private file at `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
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
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.chmod(destination, 0o600)


def take_backup(
    database: Path,
    reason: str,
    *,
    now: datetime | None = None,
    policy: RetentionPolicy | None = None,
    rotate: bool = True,
) -> Path:
    """Back up `database` into its backups folder, named by time and reason, then rotate
    (unless `rotate` is False: a restore rotates only after it has read its source)."""
    moment = now or datetime.now()
    folder = _private_backup_dir(database)
    stem = database.stem
    name = f"{stem}-{moment.strftime(_STAMP_FORMAT)}-{reason}.sqlite3"
    destination = folder / name
    counter = 1
    while destination.exists():
        destination = folder / f"{stem}-{moment.strftime(_STAMP_FORMAT)}-{counter}-{reason}.sqlite3"
        counter += 1
    copy_database(database, destination)
    if rotate:
        rotate_backups(database, policy, protect=frozenset({destination}))
    return destination


def take_backup_if_due(
    database: Path, reason: str = "on-close", *, now: datetime | None = None
) -> Path | None:
    """Take a `reason` backup unless one was already taken today; the backup or None."""
    moment = now or datetime.now()
    if not database.exists() or database.stat().st_size == 0:
        return None
    for backup in list_backups(database):
        if backup.reason == reason and backup.taken_at.date() == moment.date():
            return None
    return take_backup(database, reason, now=moment)


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
        try:
            taken = datetime.strptime(match["stamp"], _STAMP_FORMAT)
        except ValueError:
            continue
        found.append(BackupFile(path, taken, match["reason"]))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def rotate_backups(
    database: Path, policy: RetentionPolicy | None = None, protect: frozenset[Path] = frozenset()
) -> list[Path]:
    """Keep the newest `keep_last` backups, the newest one of each of the last
    `keep_months` months and those in `protect`; delete the rest. Returns what was deleted."""
    policy = policy or load_retention(database)
    backups = list_backups(database)
    keep = {b.path for b in backups[: policy.keep_last]} | protect
    months_seen: set[tuple[int, int]] = set()
    for backup in backups:
        month = (backup.taken_at.year, backup.taken_at.month)
        if month not in months_seen and len(months_seen) < policy.keep_months:
            months_seen.add(month)
            keep.add(backup.path)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def summarize_backup(path: Path) -> BackupSummary:
    """How many people a backup holds and whether it passes SQLite's quick check."""
    try:
        size = path.stat().st_size
    except OSError as error:
        return BackupSummary(None, error.strerror or "cannot be read", 0)
    check = quick_check(path)
    if not check.ok:
        return BackupSummary(None, check.problems[0], size)
    try:
        connection = read_only_connection(path)
        try:
            people = int(connection.execute("SELECT count(*) FROM members").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return BackupSummary(None, "not an SRO Desktop database", size)
    return BackupSummary(people, None, size)


def newest_good_backup(database: Path) -> BackupFile | None:
    """The newest backup of `database` that passes its quick check and holds our tables."""
    for backup in list_backups(database):
        if summarize_backup(backup.path).people is not None:
            return backup
    return None


def _check_restorable(source: Path) -> None:
    if not source.is_file():
        raise UnusableInput(f"The backup {source} does not exist; choose another file.")
    summary = summarize_backup(source)
    if summary.problem is not None:
        raise UnusableInput(
            f"{source.name} cannot be restored ({summary.problem}); choose another backup."
        )


def _copy_into_live(source: Path, destination: Path) -> None:
    """Write `source` over `destination` through SQLite, so the destination's WAL and
    shared-memory files stay consistent with it (a plain file copy would not)."""
    src = read_only_connection(source)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(destination, 0o600)


def restore_backup(database: Path, source: Path, *, now: datetime | None = None) -> Path:
    """Replace the content of `database` with the backup `source`, after backing up the
    current content ("before-restore"). The database must not be open here; this takes
    its lock for the duration. Returns the before-restore backup."""
    _check_restorable(source)
    if source.resolve() == database.resolve():
        raise UnusableInput(f"{source.name} is the database itself; choose a backup of it.")
    with DatabaseLock(database):
        safety = take_backup(database, "before-restore", now=now, rotate=False)
        _copy_into_live(source, database)
    rotate_backups(database, protect=frozenset({safety}))
    return safety


def damaged_copy_name(database: Path, moment: datetime) -> Path:
    return database.with_name(f"{database.stem}-damaged-{moment:{_STAMP_FORMAT}}{database.suffix}")


def recover_from_backup(database: Path, source: Path, *, now: datetime | None = None) -> Path:
    """Put the backup `source` in place of a damaged `database`, keeping the damaged file
    (with its -wal and -shm) unchanged under a new name, which is returned."""
    _check_restorable(source)
    moment = now or datetime.now()
    kept = damaged_copy_name(database, moment)
    with DatabaseLock(database):
        for suffix in ("", "-wal", "-shm"):
            part = database.with_name(database.name + suffix)
            if part.exists():
                part.rename(kept.with_name(kept.name + suffix))
        copy_database(source, database)
    return kept
