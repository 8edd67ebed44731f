"""Integrity on open: SQLite's quick check runs when a file opens; a damaged file is
refused, named, and left exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from sro_desktop.db.database import open_database
from sro_desktop.db.integrity import DatabaseDamaged, full_check, quick_check
from sro_desktop.db.locking import lock_path_for
from tests.db.damage import damage

MEMBERS_FOR_TIMING = 100_000


def _files(path: Path) -> dict[str, str]:
    """Digest of the database and any -wal/-shm beside it."""
    found = {}
    for suffix in ("", "-wal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            found[suffix] = hashlib.sha256(part.read_bytes()).hexdigest()
    return found


def test_a_sound_file_passes_both_checks(demo_path: Path) -> None:
    assert quick_check(demo_path).ok
    result = full_check(demo_path)
    assert result.ok and result.problems == ()


def test_a_damaged_file_is_refused_on_open_and_left_untouched(demo_path: Path) -> None:
    damage(demo_path)
    before = _files(demo_path)

    with pytest.raises(DatabaseDamaged) as refused:
        open_database(demo_path)

    message = str(refused.value)
    assert message.startswith("demo.sqlite3 is damaged (SQLite's check found: ")
    assert "left untouched" in message and "Restore from backup" in message
    assert refused.value.path == demo_path and refused.value.problems
    assert _files(demo_path) == before
    assert not lock_path_for(demo_path).exists()  # the lock was let go


def test_checks_read_without_writing_even_with_a_wal(db_path: Path) -> None:
    """A file with committed transactions still in its WAL is checked as it stands and
    the WAL is not folded into it (that would change a file someone may need to rescue)."""
    database = open_database(db_path)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    keeper = sqlite3.connect(db_path)  # holds the WAL open across the writes
    keeper.execute("PRAGMA wal_autocheckpoint=0")
    with database.transaction() as session:
        session.execute(
            text(
                "INSERT INTO members (first_name, last_name, credentials, phone, phone_digits,"
                " job_title, address_line1, address_line2, city, state, postal_code, country,"
                " notes, archived, created_at, updated_at) VALUES ('A', 'B', '', '', '', '', "
                "'', '', '', '', '', 'US', '', 0, '2026-01-01', '2026-01-01')"
            )
        )
    assert db_path.with_name(db_path.name + "-wal").stat().st_size > 0
    main_before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert quick_check(db_path).ok and full_check(db_path).ok
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == main_before
    keeper.close()
    database.close()


def test_a_file_that_is_not_a_database_at_all_is_a_problem(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    result = quick_check(junk)
    assert not result.ok and result.problems[0]


def test_the_quick_check_on_open_is_cheap_for_a_large_membership(tmp_path: Path) -> None:
    """Measured on 100,000 members with their memberships: the check every open pays."""
    path = tmp_path / "large.sqlite3"
    open_database(path).close()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO membership_types (name, dues, term, honorary, active, description) "
            "VALUES ('Regular', 7500, 'calendar_year', 0, 1, '')"
        )
        connection.executemany(
            "INSERT INTO members (first_name, last_name, credentials, email, phone, phone_digits,"
            " job_title, address_line1, address_line2, city, state, postal_code, country, notes,"
            " archived, created_at, updated_at) VALUES (?, ?, 'MD', ?, '(215) 555-0100',"
            " '2155550100', 'Director', '1 Main St', '', 'Philadelphia', 'PA', '19104', 'US',"
            " '', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (
                (f"First{n}", f"Last{n}", f"person{n}@example.org")
                for n in range(MEMBERS_FOR_TIMING)
            ),
        )
        connection.execute(
            "INSERT INTO memberships (member_id, membership_type_id, start_date, end_date, dues,"
            " created_at) SELECT id, 1, '2026-01-01', '2026-12-31', 7500, '2026-01-01' "
            "FROM members"
        )
    connection.close()

    best = min(quick_check(path).seconds for _ in range(3))
    started = time.perf_counter()
    open_database(path).close()
    opening = time.perf_counter() - started

    size_mb = path.stat().st_size / 1_048_576
    print(f"quick_check of {size_mb:.0f} MB ({MEMBERS_FOR_TIMING:,} members): {best * 1000:.0f} ms")
    assert best < 1.5
    assert opening < best + 2.0
