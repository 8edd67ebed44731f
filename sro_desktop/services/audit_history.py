"""Reading the audit trail: who changed what, when, from which value to which, and why.

`audit_rows(session, AuditFilter(...))` lists entries newest first with the member's name
(the current one, or the last one recorded for someone since deleted) and each changed
field as a `FieldChange`. Reading only: nothing here ever deletes history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import AuditEntry, ImportBatch, Member

TABLE_LABELS = {
    "members": "Member",
    "memberships": "Membership",
    "payments": "Payment",
    "registrations": "Registration",
    "certificates": "Certificate",
}
ACTION_LABELS = {"insert": "Added", "update": "Changed", "delete": "Deleted"}
# Columns that say nothing in a one-line summary (the member has a column of its own).
_QUIET_FIELDS = {"id", "member_id", "created_at", "updated_at"}
_FIELD_LABELS = {
    "email": "E-mail",
    "phone_digits": "Phone digits",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "postal_code": "ZIP / postal code",
    "import_batch_id": "Import batch",
}


def field_label(name: str) -> str:
    """A column name in words: "first_name" -> "First name"."""
    if name in _FIELD_LABELS:
        return _FIELD_LABELS[name]
    if name.endswith("_id"):
        return name[:-3].replace("_", " ").capitalize() + " ID"
    return name.replace("_", " ").capitalize()


def value_text(value: object) -> str:
    """A recorded value as a person reads it (the audit stores plain JSON values)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: object
    new: object

    @property
    def label(self) -> str:
        return field_label(self.name)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry, ready to show or export."""

    id: int
    at: datetime
    table: str
    row_id: int
    member_id: int | None
    member_name: str
    action: str
    changes: tuple[FieldChange, ...]
    user_action: str
    import_batch_id: int | None
    import_file: str | None

    @property
    def record_label(self) -> str:
        return TABLE_LABELS.get(self.table, self.table)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def reason(self) -> str:
        """Why it changed: the user's action, and the import batch if there was one."""
        parts = [self.user_action] if self.user_action else []
        if self.import_batch_id is not None:
            source = f" ({self.import_file})" if self.import_file else ""
            parts.append(f"import batch {self.import_batch_id}{source}")
        return "; ".join(parts)

    def summary(self, limit: int = 4) -> str:
        """The changed fields in one line: "E-mail: a@x.org → b@x.org; City: (empty) → Dover"."""
        shown = [c for c in self.changes if c.name not in _QUIET_FIELDS]
        if self.action == "insert":
            shown = [c for c in shown if value_text(c.new)]
        pieces: list[str] = []
        for change in shown[:limit]:
            if self.action == "insert":
                pieces.append(f"{change.label}: {value_text(change.new)}")
            elif self.action == "delete":
                pieces.append(f"{change.label}: {value_text(change.old)}")
            else:
                before = value_text(change.old) or "(empty)"
                after = value_text(change.new) or "(empty)"
                pieces.append(f"{change.label}: {before} → {after}")
        if len(shown) > limit:
            pieces.append(f"and {len(shown) - limit} more")
        return "; ".join(pieces)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "record": self.table,
            "record_id": self.row_id,
            "member_id": self.member_id,
            "member": self.member_name,
            "change": self.action,
            "fields": {c.name: {"old": c.old, "new": c.new} for c in self.changes},
            "action": self.user_action,
            "import_batch_id": self.import_batch_id,
        }


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list; every criterion left empty matches everything.

    `since`/`until` are local calendar days, both included. `text` matches the action,
    the import file, or any recorded value (case-insensitive).
    """

    member_id: int | None = None
    tables: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    text: str = ""
    import_batch_id: int | None = None
    limit: int | None = None


_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def _filtered(query: _Query, criteria: AuditFilter) -> _Query:
    if criteria.member_id is not None:
        query = query.where(AuditEntry.member_id == criteria.member_id)
    if criteria.tables:
        query = query.where(AuditEntry.table_name.in_(criteria.tables))
    if criteria.actions:
        query = query.where(AuditEntry.action.in_(criteria.actions))
    if criteria.since is not None:
        query = query.where(AuditEntry.at >= _local_midnight_utc(criteria.since))
    if criteria.until is not None:
        query = query.where(AuditEntry.at < _local_midnight_utc(criteria.until + timedelta(1)))
    if criteria.import_batch_id is not None:
        query = query.where(AuditEntry.import_batch_id == criteria.import_batch_id)
    words = criteria.text.strip()
    if words:
        pattern = f"%{words.casefold()}%"
        query = query.where(
            or_(
                func.lower(AuditEntry.user_action).like(pattern),
                func.lower(cast(AuditEntry.old_values, String)).like(pattern),
                func.lower(cast(AuditEntry.new_values, String)).like(pattern),
                func.lower(func.coalesce(ImportBatch.file_name, "")).like(pattern),
            )
        )
    return query


def count_audit_entries(session: Session, criteria: AuditFilter | None = None) -> int:
    criteria = criteria or AuditFilter()
    query = select(func.count(AuditEntry.id)).outerjoin(
        ImportBatch, ImportBatch.id == AuditEntry.import_batch_id
    )
    return int(session.scalar(_filtered(query, criteria)) or 0)


def _recorded_name(entry: AuditEntry) -> str:
    values = entry.new_values or entry.old_values or {}
    first = values.get("first_name") if isinstance(values, dict) else None
    last = values.get("last_name") if isinstance(values, dict) else None
    return " ".join(str(part) for part in (first, last) if part)


def audit_rows(session: Session, criteria: AuditFilter | None = None) -> list[AuditRow]:
    """Audit entries matching `criteria`, newest first."""
    criteria = criteria or AuditFilter()
    query = (
        select(AuditEntry, Member.first_name, Member.last_name, ImportBatch.file_name)
        .outerjoin(Member, Member.id == AuditEntry.member_id)
        .outerjoin(ImportBatch, ImportBatch.id == AuditEntry.import_batch_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    query = _filtered(query, criteria)
    if criteria.limit is not None:
        query = query.limit(criteria.limit)
    # Names of members since deleted: the last values their own entries recorded.
    rows: list[tuple[AuditEntry, str | None, str | None, str | None]] = [
        (row[0], row[1], row[2], row[3]) for row in session.execute(query)
    ]
    missing = {
        entry.member_id
        for entry, first, _last, _file in rows
        if entry.member_id is not None and first is None
    }
    gone_names = _names_of_deleted_members(session, missing) if missing else {}
    result: list[AuditRow] = []
    for entry, first, last, file_name in rows:
        if first is not None:
            name = f"{first} {last}".strip()
        else:
            name = gone_names.get(entry.member_id, "") if entry.member_id is not None else ""
        result.append(_row(entry, name, file_name))
    return result


def _names_of_deleted_members(session: Session, member_ids: set[int]) -> dict[int, str]:
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.table_name == "members", AuditEntry.row_id.in_(member_ids))
        .order_by(AuditEntry.id)
    )
    names: dict[int, str] = {}
    for entry in entries:
        name = _recorded_name(entry)
        if name:
            names[entry.row_id] = name
    return names


def _row(entry: AuditEntry, member_name: str, file_name: str | None) -> AuditRow:
    old = entry.old_values if isinstance(entry.old_values, dict) else {}
    new = entry.new_values if isinstance(entry.new_values, dict) else {}
    names = list(dict.fromkeys([*new, *old]))
    return AuditRow(
        id=entry.id,
        at=entry.at,
        table=entry.table_name,
        row_id=entry.row_id,
        member_id=entry.member_id,
        member_name=member_name,
        action=entry.action,
        changes=tuple(FieldChange(n, old.get(n), new.get(n)) for n in names),
        user_action=entry.user_action,
        import_batch_id=entry.import_batch_id,
        import_file=file_name,
    )
