"""Backups: a consistent private copy, and rotation (the last ten and one per month)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

from sro_desktop.db.backup import copy_database, list_backups, rotate_backups, take_backup
from sro_desktop.db.database import Database
from sro_desktop.db.models import Member


def test_copy_holds_committed_data_while_the_database_is_open(
    database: Database, tmp_path: Path
) -> None:
    with database.transaction() as session:
        session.add(Member(first_name="Zoë", last_name="Müller", email="zoe@example.org"))
    destination = tmp_path / "copy.sqlite3"
    copy_database(database.path, destination)
    assert stat.S_IMODE(destination.stat().st_mode) == 0o600
    connection = sqlite3.connect(destination)
    try:
        assert connection.execute("SELECT first_name, last_name FROM members").fetchall() == [
            ("Zoë", "Müller")
        ]
    finally:
        connection.close()
    assert not destination.with_name(destination.name + "-wal").exists()


def test_rotation_keeps_the_last_ten_and_one_per_month(database: Database) -> None:
    start = datetime(2025, 1, 15, 9, 0, 0)
    # Two backups a month for 14 months, then 12 more on the last day.
    moments = [start + timedelta(days=30 * m + d) for m in range(14) for d in (0, 10)]
    moments += [moments[-1] + timedelta(hours=h + 1) for h in range(12)]
    for moment in moments:
        take_backup(database.path, "test", now=moment)
    kept = list_backups(database.path)
    kept_times = {b.taken_at for b in kept}
    newest_ten = sorted(moments, reverse=True)[:10]
    assert set(newest_ten) <= kept_times
    months = {(m.year, m.month) for m in kept_times}
    assert len(months) == 12
    assert len(kept) == 10 + 11  # the newest month is already among the last ten
    assert rotate_backups(database.path) == []
