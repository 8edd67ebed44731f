"""Backups beyond the copy itself: configurable rotation, the daily on-close backup, what a
backup holds, restoring one (keeping what it replaces) and rescuing a damaged file."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sro_desktop.db.backup import (
    RetentionPolicy,
    backup_dir_for,
    list_backups,
    load_retention,
    newest_good_backup,
    recover_from_backup,
    restore_backup,
    save_retention,
    summarize_backup,
    take_backup,
    take_backup_if_due,
)
from sro_desktop.db.database import Database, open_database
from sro_desktop.db.locking import DatabaseInUse
from sro_desktop.db.models import Member
from sro_desktop.errors import UnusableInput
from tests.db.damage import damage


def _people(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM members").fetchone()[0])
    finally:
        connection.close()


def _add(database: Database, count: int, prefix: str = "p") -> None:
    with database.transaction(action="Add people") as session:
        for n in range(count):
            session.add(Member(first_name=f"{prefix}{n}", last_name="Test"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rotation_numbers_are_saved_beside_the_backups_and_used(database: Database) -> None:
    assert load_retention(database.path) == RetentionPolicy(10, 12)
    save_retention(database.path, RetentionPolicy(keep_last=3, keep_months=0))
    assert load_retention(database.path) == RetentionPolicy(3, 0)
    start = datetime(2026, 1, 1, 9, 0)
    for hour in range(6):
        take_backup(database.path, "manual", now=start + timedelta(hours=hour))
    kept = list_backups(database.path)
    assert [b.taken_at.hour for b in kept] == [14, 13, 12]
    settings = backup_dir_for(database.path) / "backup-settings.json"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600


def test_a_retention_policy_out_of_range_is_refused() -> None:
    with pytest.raises(UnusableInput, match="between 1 and 1000"):
        RetentionPolicy(keep_last=0)


def test_an_unreadable_settings_file_falls_back_to_the_defaults(database: Database) -> None:
    folder = backup_dir_for(database.path)
    folder.mkdir()
    (folder / "backup-settings.json").write_text("{not json")
    assert load_retention(database.path) == RetentionPolicy()


def test_the_on_close_backup_is_taken_at_most_once_a_day(database: Database) -> None:
    morning = datetime(2026, 3, 2, 9, 0)
    first = take_backup_if_due(database.path, now=morning)
    assert first is not None and "on-close" in first.name
    assert take_backup_if_due(database.path, now=morning + timedelta(hours=8)) is None
    # Another kind of backup the same day does not count.
    take_backup(database.path, "before-import", now=morning + timedelta(hours=9))
    assert take_backup_if_due(database.path, now=morning + timedelta(hours=10)) is None
    assert take_backup_if_due(database.path, now=morning + timedelta(days=1)) is not None


def test_backups_are_private(database: Database) -> None:
    backup = take_backup(database.path, "manual")
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_a_summary_counts_people_and_reports_damage(database: Database, tmp_path: Path) -> None:
    _add(database, 7)
    backup = take_backup(database.path, "manual")
    summary = summarize_backup(backup)
    assert (summary.people, summary.problem) == (7, None)
    assert summary.size_bytes == backup.stat().st_size

    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(backup.read_bytes())
    damage(damaged)
    assert summarize_backup(damaged).people is None
    assert summarize_backup(damaged).problem

    foreign = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE t (x)")
    connection.close()
    assert summarize_backup(foreign).problem == "not an SRO Desktop database"


def test_restore_replaces_the_content_after_backing_it_up(db_path: Path) -> None:
    database = open_database(db_path)
    _add(database, 3)
    backup = take_backup(db_path, "manual")
    _add(database, 5, prefix="later")
    database.close()
    save_retention(db_path, RetentionPolicy(keep_last=1, keep_months=0))

    safety = restore_backup(db_path, backup)

    assert _people(db_path) == 3
    assert _people(safety) == 8 and "before-restore" in safety.name
    reopened = open_database(db_path)  # a restored file opens as any other
    assert reopened.integrity_check() == []
    reopened.close()


def test_restore_refuses_while_the_database_is_open(database: Database) -> None:
    backup = take_backup(database.path, "manual")
    with pytest.raises(DatabaseInUse):
        restore_backup(database.path, backup)


def test_restore_refuses_a_damaged_or_foreign_file(db_path: Path, tmp_path: Path) -> None:
    open_database(db_path).close()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(UnusableInput, match=r"junk\.sqlite3 cannot be restored"):
        restore_backup(db_path, junk)
    with pytest.raises(UnusableInput, match="does not exist"):
        restore_backup(db_path, tmp_path / "missing.sqlite3")
    assert list_backups(db_path) == []  # nothing was touched


def test_newest_good_backup_passes_over_a_damaged_one(database: Database) -> None:
    _add(database, 2)
    good = take_backup(database.path, "manual", now=datetime(2026, 5, 1, 8, 0))
    bad = take_backup(database.path, "manual", now=datetime(2026, 5, 2, 8, 0))
    damage(bad)
    newest = newest_good_backup(database.path)
    assert newest is not None and newest.path == good


def test_recovery_keeps_the_damaged_file_byte_for_byte(db_path: Path) -> None:
    database = open_database(db_path)
    _add(database, 4)
    backup = take_backup(db_path, "manual")
    database.close()
    damage(db_path)
    before = _digest(db_path)

    kept = recover_from_backup(db_path, backup, now=datetime(2026, 6, 1, 12, 30))

    assert kept.name == "test-damaged-20260601-123000.sqlite3"
    assert _digest(kept) == before
    assert _people(db_path) == 4
    open_database(db_path).close()
