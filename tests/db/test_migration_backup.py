"""Before a migration touches an existing file, a copy is taken with the backup API."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from pathlib import Path

from sro_desktop.db.database import open_database
from sro_desktop.db.engine import make_engine
from sro_desktop.db.migrate import MIGRATIONS_DIR, alembic_config, current_revision, upgrade_to_head
from sro_desktop.db.models import Member

SECOND_REVISION = '''
"""A test-only revision after the head: adds a column."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50)))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("nickname")
'''


def _migrations_with_one_more_revision(tmp_path: Path, head: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_test_nickname.py").write_text(SECOND_REVISION.format(head=head))
    return folder


def test_opening_a_new_file_takes_no_backup(db_path: Path) -> None:
    database = open_database(db_path)
    assert database.migration_backup is None
    assert not (db_path.parent / "backups").exists()
    database.close()


def test_migrating_an_existing_file_backs_it_up_first(db_path: Path, tmp_path: Path) -> None:
    database = open_database(db_path)
    with database.transaction() as session:
        session.add(Member(first_name="Grace", last_name="Hopper", email="grace@example.org"))
    head = current_revision(database.engine)
    assert head is not None
    database.close()

    config = alembic_config(_migrations_with_one_more_revision(tmp_path, head))
    engine = make_engine(db_path)
    backup = upgrade_to_head(engine, db_path, config)
    assert current_revision(engine) == "9999"
    engine.dispose()

    assert backup is not None
    assert backup.parent == db_path.parent / "backups"
    assert "before-migration" in backup.name
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT first_name FROM members").fetchall() == [("Grace",)]
        columns = [row[1] for row in copy.execute("PRAGMA table_info(members)")]
        assert "nickname" not in columns  # the copy is the file as it was before
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        copy.close()
