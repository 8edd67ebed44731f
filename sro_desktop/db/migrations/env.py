"""Alembic environment: runs on the connection the app hands it (see db/migrate.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from sro_desktop.db.models import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if _connection is None:
    raise RuntimeError("Run migrations through sro_desktop.db.migrate, which passes a connection.")
run_migrations(_connection)
