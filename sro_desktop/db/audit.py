"""The audit trail: every change to members, memberships, payments, registrations and
certificates is written to `audit_entries` in the same transaction, automatically.

It hooks the ORM flush, so service code gets it for free. The caller names the user
action (`Database.transaction(action=...)`) or import batch through `session.info`.
Bulk writes that bypass the ORM must call `record_audit` themselves.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from sro_desktop.db.models import (
    AuditEntry,
    Certificate,
    Member,
    Membership,
    Payment,
    Registration,
)
from sro_desktop.db.models.base import Base, utc_now

AUDITED: tuple[type[Base], ...] = (Member, Membership, Payment, Registration, Certificate)
ACTION_KEY = "audit_action"
BATCH_KEY = "import_batch_id"
_AUDIT_TABLE = Base.metadata.tables[AuditEntry.__tablename__]
# Bookkeeping columns whose change alone is not worth an entry.
_IGNORED = {"updated_at"}


def plain(value: object) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _member_id(target: Base) -> int | None:
    if isinstance(target, Member):
        return target.id
    value = getattr(target, "member_id", None)
    return value if isinstance(value, int) else None


def _columns(target: Base) -> dict[str, Any]:
    mapper = inspect(target).mapper
    return {column.key: plain(getattr(target, column.key)) for column in mapper.column_attrs}


def _changes(target: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(target)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for attribute in state.mapper.column_attrs:
        if attribute.key in _IGNORED:
            continue
        history = state.attrs[attribute.key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if plain(before) != plain(after):
                old[attribute.key] = plain(before)
                new[attribute.key] = plain(after)
    return old, new


def record_audit(
    session: Session,
    table_name: str,
    rows: list[dict[str, Any]],
) -> None:
    """Write audit entries directly (for bulk writes that bypass the ORM). Each row has
    `row_id`, `action`, and optionally `member_id`, `old_values`, `new_values`."""
    if not rows:
        return
    now = utc_now()
    action = str(session.info.get(ACTION_KEY, ""))
    batch = session.info.get(BATCH_KEY)
    session.execute(
        insert(AuditEntry),
        [
            {
                "at": now,
                "table_name": table_name,
                "row_id": row["row_id"],
                "member_id": row.get("member_id"),
                "action": row["action"],
                "old_values": row.get("old_values", {}),
                "new_values": row.get("new_values", {}),
                "user_action": action,
                "import_batch_id": batch,
            }
            for row in rows
        ],
    )


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, _context: UOWTransaction) -> None:
    entries: list[dict[str, Any]] = []
    for target in session.new:
        if isinstance(target, AUDITED):
            entries.append(_entry(session, target, "insert", {}, _columns(target)))
    for target in session.dirty:
        if isinstance(target, AUDITED) and session.is_modified(target):
            old, new = _changes(target)
            if new:
                entries.append(_entry(session, target, "update", old, new))
    for target in session.deleted:
        if isinstance(target, AUDITED):
            entries.append(_entry(session, target, "delete", _columns(target), {}))
    if entries:
        session.connection().execute(insert(_AUDIT_TABLE), entries)


def _entry(
    session: Session, target: Base, action: str, old: dict[str, Any], new: dict[str, Any]
) -> dict[str, Any]:
    # The identity key is set only after the flush; the primary key value is there now.
    row_id = inspect(target).mapper.primary_key_from_instance(target)[0]
    return {
        "at": utc_now(),
        "table_name": target.__tablename__,
        "row_id": row_id,
        "member_id": _member_id(target),
        "action": action,
        "old_values": old,
        "new_values": new,
        "user_action": str(session.info.get(ACTION_KEY, "")),
        "import_batch_id": session.info.get(BATCH_KEY),
    }
