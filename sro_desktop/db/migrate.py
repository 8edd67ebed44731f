"""Make and upgrade the schema with Alembic, backing up an existing file first."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from sro_desktop.db.backup import take_backup
from sro_desktop.errors import UnusableInput

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(script_location: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision(config: Config | None = None) -> str:
    head = ScriptDirectory.from_config(config or alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine, path: Path, config: Config | None = None) -> Path | None:
    """Bring the database at `path` to the newest schema. Returns the backup taken, if any.

    A file that already holds data is copied before any migration touches it.
    """
    config = config or alembic_config()
    current = current_revision(engine)
    if current == head_revision(config):
        return None
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    if current is None and tables:
        raise UnusableInput(
            f"{path.name} is an SQLite database, but not one made by SRO Desktop; "
            "open or create an SRO Desktop database instead."
        )
    backup = take_backup(path, "before-migration") if current is not None else None
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup
