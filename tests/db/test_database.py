"""A new database: its pragmas, private file mode, schema by migration, refusals."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from sro_desktop.db.database import Database, open_database
from sro_desktop.db.engine import PAGE_SIZE
from sro_desktop.db.migrate import current_revision, head_revision
from sro_desktop.db.models import Base, Member
from sro_desktop.errors import UnusableInput


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_connection_sets_the_pragmas(database: Database) -> None:
    with database.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.execute(text(f"PRAGMA {name}")).scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


def test_a_new_database_has_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    new = open_database(tmp_path / "new.sqlite3")
    with new.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA page_size").scalar() == PAGE_SIZE
    new.close()
    # A database made before pages grew: 4 KiB pages, already in WAL mode.
    old_path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(old_path)
    old.execute("PRAGMA page_size=4096")
    old.execute("PRAGMA journal_mode=WAL")
    old.close()
    reopened = open_database(old_path)
    with reopened.transaction() as session:
        session.add(Member(first_name="Ada", last_name="Lovelace", email="ada@example.org"))
    assert reopened.integrity_check() == []
    with reopened.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA page_size").scalar() == 4096
    reopened.close()


def test_new_database_file_is_private(database: Database) -> None:
    with database.transaction() as session:
        session.add(Member(first_name="Ada", last_name="Lovelace", email="ada@example.org"))
    assert _mode(database.path) == 0o600
    wal = database.path.with_name(database.path.name + "-wal")
    assert wal.exists()
    assert _mode(wal) == 0o600
    assert _mode(database.path.parent) == 0o700


def test_existing_loose_file_mode_is_tightened(db_path: Path) -> None:
    open_database(db_path).close()
    db_path.chmod(0o644)
    open_database(db_path).close()
    assert _mode(db_path) == 0o600


def test_migrations_make_exactly_the_models_schema(database: Database) -> None:
    assert current_revision(database.engine) == head_revision()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), database.transaction() as session:
        session.add(Member(first_name="A", last_name="B", employer_id=999))


def test_failed_action_leaves_nothing_behind(database: Database) -> None:
    class Stop(Exception):
        pass

    with pytest.raises(Stop), database.transaction() as session:
        session.add(Member(first_name="Half", last_name="Written"))
        session.flush()
        raise Stop
    with database.session() as session:
        assert session.query(Member).count() == 0


def test_a_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("not a database")
    path.chmod(0o644)
    with pytest.raises(UnusableInput, match=r"notes\.sqlite3 is not an SRO Desktop database"):
        open_database(path)
    assert path.read_text() == "not a database"
    assert _mode(path) == 0o644


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    with pytest.raises(UnusableInput, match="not one made by SRO Desktop"):
        open_database(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="is a folder"):
        open_database(tmp_path)


def test_integrity_check_is_empty_for_a_sound_database(database: Database) -> None:
    assert database.integrity_check() == []


def test_integrity_check_reports_a_dangling_reference(database: Database) -> None:
    # Another program, without foreign key enforcement, leaves a dangling reference.
    other = sqlite3.connect(database.path)
    try:
        other.execute(
            "INSERT INTO members (first_name, last_name, credentials, phone, phone_digits, "
            "job_title, address_line1, address_line2, city, state, postal_code, country, "
            "notes, archived, created_at, updated_at, employer_id) VALUES ('A', 'B', '', '', "
            "'', '', '', '', '', '', '', 'US', '', 0, '2026-01-01', '2026-01-01', 42)"
        )
        other.commit()
    finally:
        other.close()
    problems = database.integrity_check()
    assert len(problems) == 1
    assert "members" in problems[0] and "employers" in problems[0]


def _count(database: Database) -> int:
    with database.session() as session:
        return session.query(Member).count()


def test_a_large_transaction_commits_and_copies_the_log_in_the_background(
    database: Database,
) -> None:
    with database.large_transaction("Import roster.xlsx") as session:
        session.add_all(
            Member(first_name="A", last_name=str(n), email=f"a{n}@example.org")
            for n in range(2000)
        )
    assert _count(database) == 2000
    database.wait_for_checkpoint()
    # The database file alone, without its log, already holds the rows.
    alone = database.path.with_name("alone.sqlite3")
    alone.write_bytes(database.path.read_bytes())
    probe = sqlite3.connect(alone)
    assert probe.execute("SELECT count(*) FROM members").fetchone()[0] == 2000
    probe.close()
    with database.engine.connect() as connection:  # the pooled connection is as before
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    database.close()
    reopened = open_database(database.path)
    assert _count(reopened) == 2000
    reopened.close()


def test_a_failed_large_transaction_writes_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError), database.large_transaction("Import") as session:
        session.add(Member(first_name="A", last_name="B", email="a@example.org"))
        session.flush()
        raise RuntimeError("stop")
    assert _count(database) == 0
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
