"""A record of the rows one user action inserted, updated and deleted, so it can be undone
and redone later in the session.

`recording_row_changes(session)` watches the ORM flushes of one action and keeps, for
every row touched, its values before and after, read back from the database itself (so
defaults, cascades of our own and values never loaded are all exact). Bulk inserts that
bypass the ORM add themselves with `RowChanges.record_inserted`.

Undoing walks the record backwards: an inserted row is deleted, an updated one gets its
old values back, a deleted one is inserted again with its old id. Redoing walks forwards.
Each step first checks that the row is still as this action left it; if something else
changed it since, the step is refused with a sentence saying so rather than overwriting
that later change. Undo and redo write the audit trail like any other change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Table, delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapper, Session, object_session

from sro_desktop.db.audit import AUDITED, plain, record_audit
from sro_desktop.db.models import Base
from sro_desktop.errors import DataRefused

_KEY = "row_changes"
_PENDING_KEY = "row_changes_before_update"
# Bookkeeping columns: never compared, never restored.
_IGNORED = frozenset({"updated_at"})
_AUDITED_TABLES = frozenset(model.__tablename__ for model in AUDITED)
_CHUNK = 500

Action = Literal["insert", "update", "delete"]


@dataclass(frozen=True)
class RowChange:
    """One row's change. `before`/`after` map column names to values: the whole row for
    an insert (after) or a delete (before), the changed columns for an update."""

    action: Action
    table: str
    row_id: int
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass
class RowChanges:
    """Everything one action changed, in the order it happened."""

    changes: list[RowChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def member_ids(self) -> frozenset[int]:
        """The people whose rows (or rows hanging off them) this action touched."""
        ids: set[int] = set()
        for change in self.changes:
            if change.table == "members":
                ids.add(change.row_id)
            for values in (change.before, change.after):
                for key in ("member_id", "member_low_id", "member_high_id"):
                    value = values.get(key)
                    if isinstance(value, int):
                        ids.add(value)
        return frozenset(ids)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(change.table for change in self.changes)


def note_inserted(session: Session, table: Table, ids: Sequence[int]) -> None:
    """Add rows inserted without the ORM (a bulk insert) to the record being kept, if any."""
    changes = session.info.get(_KEY)
    if not isinstance(changes, RowChanges):
        return
    rows = _read_rows(session.connection(), table, ids)
    for row_id in ids:
        changes.changes.append(RowChange("insert", table.name, row_id, {}, rows[row_id]))


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _read_rows(
    connection: Connection, table: Table, ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        for row in connection.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            rows[row["id"]] = dict(row)
    return rows


def _read_row(connection: Connection, table: Table, row_id: int) -> dict[str, Any] | None:
    return _read_rows(connection, table, [row_id]).get(row_id)


@contextmanager
def recording_row_changes(session: Session) -> Iterator[RowChanges]:
    """Record what the ORM writes inside the block (flushed at its end)."""
    if _KEY in session.info:
        raise RuntimeError("row changes are already being recorded on this session")
    changes = RowChanges()
    session.flush()
    session.info[_KEY] = changes
    session.info[_PENDING_KEY] = {}
    try:
        yield changes
        session.flush()
    finally:
        session.info.pop(_KEY, None)
        session.info.pop(_PENDING_KEY, None)


def _recorder(target: object) -> tuple[RowChanges, dict[tuple[str, int], dict[str, Any]]] | None:
    session = object_session(target)
    if session is None or _KEY not in session.info:
        return None
    return session.info[_KEY], session.info[_PENDING_KEY]


def _primary_key(mapper: Mapper[Any], target: object) -> int:
    value = mapper.primary_key_from_instance(target)[0]
    assert isinstance(value, int)
    return value


@event.listens_for(Base, "after_insert", propagate=True)
def _after_insert(mapper: Mapper[Any], connection: Connection, target: object) -> None:
    recorder = _recorder(target)
    if recorder is None:
        return
    table = mapper.local_table
    assert isinstance(table, Table)
    row = _read_row(connection, table, _primary_key(mapper, target))
    assert row is not None
    recorder[0].changes.append(RowChange("insert", table.name, row["id"], {}, row))


@event.listens_for(Base, "before_update", propagate=True)
def _before_update(mapper: Mapper[Any], connection: Connection, target: object) -> None:
    recorder = _recorder(target)
    if recorder is None:
        return
    table = mapper.local_table
    assert isinstance(table, Table)
    row_id = _primary_key(mapper, target)
    row = _read_row(connection, table, row_id)
    if row is not None:
        recorder[1][(table.name, row_id)] = row


@event.listens_for(Base, "after_update", propagate=True)
def _after_update(mapper: Mapper[Any], connection: Connection, target: object) -> None:
    recorder = _recorder(target)
    if recorder is None:
        return
    table = mapper.local_table
    assert isinstance(table, Table)
    row_id = _primary_key(mapper, target)
    before = recorder[1].pop((table.name, row_id), None)
    after = _read_row(connection, table, row_id)
    if before is None or after is None:
        return
    changed = [k for k in after if k not in _IGNORED and before.get(k) != after[k]]
    if changed:
        recorder[0].changes.append(
            RowChange(
                "update",
                table.name,
                row_id,
                {k: before[k] for k in changed},
                {k: after[k] for k in changed},
            )
        )


@event.listens_for(Base, "before_delete", propagate=True)
def _before_delete(mapper: Mapper[Any], connection: Connection, target: object) -> None:
    recorder = _recorder(target)
    if recorder is None:
        return
    table = mapper.local_table
    assert isinstance(table, Table)
    row = _read_row(connection, table, _primary_key(mapper, target))
    if row is not None:
        recorder[0].changes.append(RowChange("delete", table.name, row["id"], row, {}))


# --- undo and redo ----------------------------------------------------------------------

_WHAT = {
    "members": "person",
    "memberships": "membership period",
    "payments": "payment",
    "registrations": "registration",
    "certificates": "certificate",
    "membership_types": "membership type",
    "employers": "organization",
}


def _describe(table: str, row_id: int) -> str:
    return f"{_WHAT.get(table, table.replace('_', ' ').rstrip('s'))} #{row_id}"


def undo_row_changes(session: Session, changes: RowChanges, what: str) -> None:
    """Put every row back as it was before the action. `what` names the action in messages."""
    _apply(session, [_inverse(c) for c in reversed(changes.changes)], what, "undone")


def redo_row_changes(session: Session, changes: RowChanges, what: str) -> None:
    """Make the action's changes again after an undo."""
    _apply(session, list(changes.changes), what, "redone")


def _inverse(change: RowChange) -> RowChange:
    action: Action = change.action
    if action == "insert":
        action = "delete"
    elif action == "delete":
        action = "insert"
    return RowChange(action, change.table, change.row_id, change.after, change.before)


def _apply(session: Session, steps: list[RowChange], what: str, done: str) -> None:
    connection = session.connection()
    audit: dict[str, list[dict[str, Any]]] = {}
    index = 0
    try:
        while index < len(steps):
            # Steps of one kind on one table in a row go together (a bulk renewal).
            end = index + 1
            while (
                end < len(steps)
                and steps[end].table == steps[index].table
                and steps[end].action == steps[index].action
                and steps[end].action != "update"
            ):
                end += 1
            _apply_group(connection, steps[index:end], what, done, audit)
            index = end
    except IntegrityError as error:
        raise DataRefused(
            f"“{what}” cannot be {done}: records added since depend on it "
            f"({_integrity_reason(error)})."
        ) from error
    for table_name, rows in audit.items():
        record_audit(session, table_name, rows)
    session.expire_all()


def _integrity_reason(error: IntegrityError) -> str:
    text = str(error.orig) if error.orig is not None else str(error)
    if "UNIQUE" in text and "email" in text:
        return "the email address now belongs to someone else"
    if "FOREIGN KEY" in text:
        return "other records now point to it"
    return "the database refused the change"


def _changed_since(what: str, done: str, table: str, row_id: int) -> DataRefused:
    return DataRefused(
        f"“{what}” cannot be {done}: {_describe(table, row_id)} was changed since by "
        "another action; change it by hand instead."
    )


def _refuse_if_referenced(
    connection: Connection, table: Table, ids: list[int], what: str, done: str
) -> None:
    """Deleting a row others point to would cascade to rows this action never made."""
    for other in Base.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is not table:
                continue
            found = connection.execute(
                select(key.parent).where(key.parent.in_(ids)).limit(1)
            ).scalar()
            if found is not None:
                raise DataRefused(
                    f"“{what}” cannot be {done}: {_describe(table.name, int(found))} now has "
                    f"{_WHAT.get(other.name, other.name.replace('_', ' '))} records added "
                    "since; remove those first."
                )


def _same(current: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(current.get(k) == v for k, v in expected.items() if k not in _IGNORED)


def _apply_group(
    connection: Connection,
    steps: list[RowChange],
    what: str,
    done: str,
    audit: dict[str, list[dict[str, Any]]],
) -> None:
    table = _table(steps[0].table)
    action = steps[0].action
    current = _read_rows(connection, table, [s.row_id for s in steps])
    entries = audit.setdefault(table.name, []) if table.name in _AUDITED_TABLES else None
    if action == "insert":
        for step in steps:
            if step.row_id in current:
                raise _changed_since(what, done, step.table, step.row_id)
        for start in range(0, len(steps), _CHUNK):
            connection.execute(insert(table), [s.after for s in steps[start : start + _CHUNK]])
    elif action == "delete":
        for step in steps:
            row = current.get(step.row_id)
            if row is None or not _same(row, step.before):
                raise _changed_since(what, done, step.table, step.row_id)
        ids = [s.row_id for s in steps]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            _refuse_if_referenced(connection, table, chunk, what, done)
            connection.execute(delete(table).where(table.c.id.in_(chunk)))
    else:
        (step,) = steps
        row = current.get(step.row_id)
        if row is None or not _same(row, step.before):
            raise _changed_since(what, done, step.table, step.row_id)
        connection.execute(update(table).where(table.c.id == step.row_id).values(step.after))
    if entries is not None:
        for step in steps:
            values = step.after or step.before
            member_id = step.row_id if table.name == "members" else values.get("member_id")
            entries.append(
                {
                    "row_id": step.row_id,
                    "member_id": member_id,
                    "action": action,
                    "old_values": {k: plain(v) for k, v in step.before.items()},
                    "new_values": {k: plain(v) for k, v in step.after.items()},
                }
            )
