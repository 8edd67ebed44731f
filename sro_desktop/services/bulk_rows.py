"""Writing many rows at once, as fast as SQLite allows, in the same form the ORM writes.

An import of a large roster writes a hundred thousand rows; through the ORM (or even
SQLAlchemy Core with a dict per row) that alone takes longer than reading the file. So
bulk writes go to the driver as one prepared statement and a list of plain tuples. The
values must then already be in their stored form: `stored_form` gives SQLAlchemy's own
conversion for a column (dates as ISO text, money as cents, UTC timestamps, enums as
their value), so what is written here reads back through the models exactly as if the
ORM had written it; callers convert each distinct value once, not every cell.

Ids are given by the caller (`next_ids`), so related rows can point at each other
without asking SQLite row by row. The caller must already hold the write lock (any
write earlier in the transaction takes it), so no other writer can take the same ids.
Nothing here records the audit trail: the caller does, with `audit_rows`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from sro_desktop.db.audit import ACTION_KEY, BATCH_KEY
from sro_desktop.db.models import AuditEntry
from sro_desktop.db.models.base import Base

__all__ = [
    "audit_inserts",
    "audit_rows",
    "bulk_load",
    "delete_rows",
    "insert_rows",
    "is_plain_constant",
    "next_id",
    "stored_form",
    "table_of",
    "update_rows",
]


def table_of(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def stored_form(session: Session, model: type[Base], column: str) -> Callable[[Any], Any]:
    """The function turning a Python value of `model.column` into what the driver stores."""
    dialect = session.get_bind().dialect
    # The dialect's own implementation: on SQLite, dates and times become text here.
    processor = table_of(model).c[column].type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return _same
    return processor


def _same(value: Any) -> Any:
    return value


def next_id(session: Session, model: type[Base]) -> int:
    """The first id after the largest in use (SQLite would hand out the same)."""
    table = table_of(model)
    largest = session.scalar(select(func.max(table.c.id)))
    return (largest or 0) + 1


def insert_rows(
    session: Session,
    model: type[Base],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert `rows` (tuples in the order of `columns`, values in stored form).

    `constants` are columns with the same value in every row, written into the statement
    itself (each row then binds fewer values); only None, whole numbers and plain text of
    letters, digits, spaces and ``:.-`` are accepted there.
    """
    if not rows:
        return
    table = table_of(model)
    fixed = dict(constants or {})
    unknown = [name for name in [*columns, *fixed] if name not in table.c]
    if unknown:  # a misspelt column fails here, before any write
        raise KeyError(f"{table.name} has no column {unknown[0]}")
    names = ", ".join(f'"{name}"' for name in [*columns, *fixed])
    marks = ", ".join(["?"] * len(columns) + [_literal(value) for value in fixed.values()])
    session.flush()
    session.connection().exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', list(rows)
    )


_PLAIN_TEXT = re.compile(r"[A-Za-z0-9 :.\-]*")


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if type(value) is int:
        return str(value)
    if isinstance(value, str) and _PLAIN_TEXT.fullmatch(value):
        return f"'{value}'"
    raise ValueError(f"not a plain constant: {value!r}")


def is_plain_constant(value: Any) -> bool:
    """Whether `value` may be written into a statement as a constant (see insert_rows)."""
    try:
        _literal(value)
    except ValueError:
        return False
    return True


def update_rows(
    session: Session,
    model: type[Base],
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """Set `columns` of rows by id: each tuple is the new values in stored form, then the id."""
    batch = list(rows)
    if not batch:
        return
    table = table_of(model)
    assignments = ", ".join(f'"{table.c[name].name}" = ?' for name in columns)
    session.flush()
    session.connection().exec_driver_sql(
        f'UPDATE "{table.name}" SET {assignments} WHERE id = ?', batch
    )


def delete_rows(session: Session, model: type[Base], ids: Sequence[int]) -> None:
    """Delete rows by id, a thousand at a time (SQLite limits the number of parameters)."""
    table = table_of(model)
    session.flush()
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        marks = ", ".join("?" for _ in part)
        session.connection().exec_driver_sql(
            f'DELETE FROM "{table.name}" WHERE id IN ({marks})', tuple(part)
        )


_AUDIT_COLUMNS = (
    "at",
    "table_name",
    "row_id",
    "member_id",
    "action",
    "old_values",
    "new_values",
    "user_action",
    "import_batch_id",
)


def audit_rows(
    session: Session,
    table_name: str,
    action: str,
    entries: Iterable[tuple[int, int | None, dict[str, Any], dict[str, Any]]],
    at: datetime,
) -> None:
    """Audit entries for rows written in bulk: (row id, member id, old values, new values).

    Values must be JSON-ready already (see `db.audit.plain`). Empty dicts are written as
    a constant, so the audit of a bulk insert costs little more than the insert.
    """
    stamp = stored_form(session, AuditEntry, "at")(at)
    user_action = str(session.info.get(ACTION_KEY, ""))
    batch = session.info.get(BATCH_KEY)
    dumps = json.dumps
    rows = [
        (
            stamp,
            table_name,
            row_id,
            member_id,
            action,
            dumps(old) if old else "{}",
            dumps(new) if new else "{}",
            user_action,
            batch,
        )
        for row_id, member_id, old, new in entries
    ]
    insert_rows(session, AuditEntry, _AUDIT_COLUMNS, rows)


def audit_inserts(
    session: Session,
    model: type[Base],
    first_id: int,
    last_id: int,
    at: datetime,
    *,
    member_column: str | None = "member_id",
) -> None:
    """Audit entries ("insert") for the rows `first_id`..`last_id` of `model` just written
    in bulk; their values are the rows themselves. One statement inside SQLite, so it
    costs a fraction of sending a hundred thousand entries from Python."""
    if last_id < first_id:
        return
    table = table_of(model)
    member = "id" if model.__name__ == "Member" else member_column
    member_sql = f'"{member}"' if member else "NULL"
    stamp = stored_form(session, AuditEntry, "at")(at)
    user_action = str(session.info.get(ACTION_KEY, ""))
    batch = session.info.get(BATCH_KEY)
    # The new entries come last in every index of the audit table (the same moment, ids
    # in order), so they are appended there and no index needs rebuilding.
    session.flush()
    session.connection().exec_driver_sql(
        f'INSERT INTO "{AuditEntry.__tablename__}" ({", ".join(_AUDIT_COLUMNS)}) '
        f"SELECT ?, ?, id, {member_sql}, 'insert', '{{}}', '{{}}', ?, ? "
        f'FROM "{table.name}" WHERE id BETWEEN ? AND ?',
        (stamp, table.name, user_action, batch, first_id, last_id),
    )


#: Below this many new rows, or when the table already holds more than this many times as
#: many, indexes are kept up to date row by row; above, rebuilt once at the end.
BULK_LOAD_ROWS = 20_000
_BULK_LOAD_SHARE = 2


@contextmanager
def bulk_load(session: Session, model: type[Base], new_rows: int) -> Iterator[None]:
    """Around a large insert: drop the table's plain indexes, rebuild them afterwards.

    Keeping five indexes of a table up to date row by row costs more than building them
    once from the finished table (SQLite sorts instead of inserting at random places),
    when the table is new or small beside the insert. Only non-unique indexes made by
    CREATE INDEX are dropped, and they are made again from their own SQL, inside the
    same transaction: if anything fails, the rollback puts them back too.
    """
    table = table_of(model)
    if new_rows < BULK_LOAD_ROWS:
        yield
        return
    existing = session.scalar(select(func.count()).select_from(table)) or 0
    if existing * _BULK_LOAD_SHARE > new_rows:
        yield
        return
    connection = session.connection()
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
        (table.name,),
    ).all()
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)
