"""Import batches: what one import of one file added and changed, and undoing it later.

Every import is recorded as an `ImportBatch`. What it changed is kept so it can be
undone, even weeks later:

* people, employers and membership types it added: an `ImportChange` ("insert") for
  each run of consecutive ids, ``row_id`` the first and ``old_values`` ``{"through":
  last}`` (an import gives its new rows consecutive ids, so 100,000 people are one row);
* rows of tables that carry an ``import_batch_id`` column (memberships, payments,
  registrations, attendance intervals) are known by that column, which is cheaper
  than a change record per row on a large import;
* people it updated: an `ImportChange` ("update") whose ``old_values`` holds
  ``{"old": {field: value}, "new": {field: value}}`` in JSON form (see `db.audit.plain`).

Undo deletes what the batch added and puts back the old values of what it updated,
all in the caller's transaction. It refuses, saying why, when that would lose later
work: a later import changed the same people (undo that one first), or someone the
batch added has since been given payments, registrations or certificates.
A field changed again by hand after the import keeps its newer value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sro_desktop.db.audit import BATCH_KEY, plain
from sro_desktop.db.models import (
    AttendanceInterval,
    Certificate,
    Employer,
    ImportBatch,
    ImportChange,
    ImportKind,
    Member,
    Membership,
    MembershipType,
    Payment,
    Registration,
)
from sro_desktop.db.models.base import Base, Hundredths, utc_now
from sro_desktop.errors import DataRefused
from sro_desktop.services.bulk_rows import (
    audit_rows,
    delete_rows,
    insert_rows,
    stored_form,
    table_of,
    update_rows,
)

__all__ = [
    "BatchSummary",
    "UndoResult",
    "finish_batch",
    "list_batches",
    "record_inserts",
    "record_updates",
    "start_batch",
    "undo_batch",
]

#: Tables whose rows carry the batch that added them.
_TAGGED: tuple[type[Base], ...] = (AttendanceInterval, Payment, Registration, Membership)
#: Tables whose added rows are listed as ImportChange rows, in the order to delete them.
_LISTED: tuple[type[Base], ...] = (Member, Employer, MembershipType)
_MODELS: dict[str, type[Base]] = {table_of(model).name: model for model in (*_TAGGED, *_LISTED)}


def start_batch(
    session: Session,
    kind: ImportKind,
    file_name: str,
    *,
    sheet: str = "",
    mapping: Mapping[str, str] | None = None,
    meeting_id: int | None = None,
) -> ImportBatch:
    """Record the start of an import; its changes are then tagged with the batch.

    The flush also takes SQLite's write lock, so ids read after this are ours to give.
    """
    batch = ImportBatch(
        kind=kind,
        file_name=file_name[:500],
        sheet=sheet[:200],
        mapping=dict(mapping or {}),
        meeting_id=meeting_id,
    )
    session.add(batch)
    session.flush()
    session.info[BATCH_KEY] = batch.id
    return batch


def finish_batch(batch: ImportBatch, counts: Mapping[str, int]) -> None:
    """Record what the batch did, from its plan's counts (see import_runner.PlanLike)."""
    batch.created = counts["created"]
    batch.updated = counts["updated"]
    batch.unchanged = counts["unchanged"]
    batch.skipped = counts["skipped"]


def record_inserts(session: Session, batch_id: int, table_name: str, ids: Iterable[int]) -> None:
    """Note the rows the batch added, as runs of consecutive ids."""
    runs: list[tuple[int, int]] = []
    for row_id in sorted(ids):
        if runs and runs[-1][1] == row_id - 1:
            runs[-1] = (runs[-1][0], row_id)
        else:
            runs.append((row_id, row_id))
    insert_rows(
        session,
        ImportChange,
        ("batch_id", "table_name", "row_id", "action", "old_values"),
        [
            (
                batch_id,
                table_name,
                first,
                "insert",
                f'{{"through": {last}}}' if last > first else "{}",
            )
            for first, last in runs
        ],
    )


def _inserted_ids(change: ImportChange) -> range:
    through = change.old_values.get("through") if change.old_values else None
    last = through if isinstance(through, int) else change.row_id
    return range(change.row_id, last + 1)


def record_updates(
    session: Session,
    batch_id: int,
    table_name: str,
    changes: Iterable[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
) -> None:
    """(row id, old values, new values) of each updated row, values in JSON form."""
    to_json = stored_form(session, ImportChange, "old_values")
    insert_rows(
        session,
        ImportChange,
        ("batch_id", "table_name", "row_id", "action", "old_values"),
        [
            (batch_id, table_name, row_id, "update", to_json({"old": old, "new": new}))
            for row_id, old, new in changes
        ],
    )


@dataclass(frozen=True)
class BatchSummary:
    """One import as `imports list` and the import history show it."""

    id: int
    kind: str
    file: str
    sheet: str
    created_at: datetime
    created: int
    updated: int
    unchanged: int
    skipped: int
    undone_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "file": self.file,
            "sheet": self.sheet,
            "created_at": self.created_at.isoformat(),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
        }


def list_batches(session: Session) -> list[BatchSummary]:
    """Every import, newest first (demo data and workbook restores included)."""
    batches = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))
    return [
        BatchSummary(
            id=batch.id,
            kind=batch.kind.value,
            file=batch.file_name,
            sheet=batch.sheet,
            created_at=batch.created_at,
            created=batch.created,
            updated=batch.updated,
            unchanged=batch.unchanged,
            skipped=batch.skipped,
            undone_at=batch.undone_at,
        )
        for batch in batches
    ]


@dataclass
class UndoResult:
    """What undoing a batch did, for the status bar and the command line."""

    batch_id: int
    file: str
    removed: dict[str, int] = field(default_factory=dict)
    restored: int = 0
    kept_newer: int = 0

    def summary(self) -> str:
        people = self.removed.get("members", 0)
        parts = [f"removed {people} {'person' if people == 1 else 'people'} it added"]
        for table, label in (
            ("memberships", "membership period"),
            ("payments", "payment"),
            ("registrations", "registration"),
            ("attendance_intervals", "attendance record"),
        ):
            count = self.removed.get(table, 0)
            if count:
                parts.append(f"{count} {label}{'' if count == 1 else 's'}")
        parts.append(
            f"put back the earlier details of {self.restored} "
            f"{'person' if self.restored == 1 else 'people'}"
        )
        text = f"Undid the import of {self.file}: " + ", ".join(parts)
        if self.kept_newer:
            text += (
                f"; {self.kept_newer} detail{'' if self.kept_newer == 1 else 's'} changed "
                "since the import kept the newer value"
            )
        return text + "."


def undo_batch(session: Session, batch_id: int) -> UndoResult:
    """Take back everything batch `batch_id` did (see the module's rules)."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise DataRefused(f"There is no import number {batch_id}; see the list of imports.")
    if batch.undone_at is not None:
        raise DataRefused(
            f"Import {batch_id} ({batch.file_name}) was already undone on "
            f"{batch.undone_at.astimezone():%Y-%m-%d %H:%M}."
        )
    if batch.kind in (ImportKind.DEMO, ImportKind.WORKBOOK):
        raise DataRefused(
            f"Import {batch_id} ({batch.file_name}) filled the whole database and cannot be "
            "undone on its own; restore the backup taken before it instead."
        )
    changes = list(session.scalars(select(ImportChange).where(ImportChange.batch_id == batch_id)))
    inserted: dict[str, list[int]] = defaultdict(list)
    updates: list[ImportChange] = []
    for change in changes:
        if change.action == "insert":
            inserted[change.table_name].extend(_inserted_ids(change))
        else:
            updates.append(change)
    _refuse_if_later_batches(session, batch, changes)
    _refuse_if_used_since(session, batch_id, inserted.get("members", []))

    session.info[BATCH_KEY] = batch_id
    result = UndoResult(batch_id, batch.file_name)
    now = utc_now()
    for model in _TAGGED:
        result.removed[table_of(model).name] = _delete_tagged(session, model, batch_id, now)
    for model in _LISTED:
        name = table_of(model).name
        ids = inserted.get(name, [])
        if model is not Member:
            ids = _unused(session, model, ids)
        result.removed[name] = _delete_listed(session, model, ids, now)
    restored, kept = _restore(session, updates, now)
    result.restored, result.kept_newer = restored, kept
    batch.undone_at = now
    session.flush()
    return result


def _refuse_if_later_batches(
    session: Session, batch: ImportBatch, changes: Sequence[ImportChange]
) -> None:
    touched = {(c.table_name, i) for c in changes for i in _inserted_ids(c)}
    if not touched:
        return
    later = session.scalars(
        select(ImportChange)
        .join(ImportBatch, ImportBatch.id == ImportChange.batch_id)
        .where(ImportBatch.id > batch.id, ImportBatch.undone_at.is_(None))
    )
    blocking = sorted(
        {c.batch_id for c in later if any((c.table_name, i) in touched for i in _inserted_ids(c))}
    )
    if blocking:
        listed = ", ".join(str(number) for number in blocking)
        raise DataRefused(
            f"Import {listed} came later and changed people that import {batch.id} "
            f"({batch.file_name}) added or changed; undo import {listed} first."
        )


def _refuse_if_used_since(session: Session, batch_id: int, member_ids: Sequence[int]) -> None:
    if not member_ids:
        return
    wanted = set(member_ids)
    used: set[int] = set()
    for model in (Payment, Registration, Membership):
        table = table_of(model)
        query = select(table.c.member_id).where(table.c.import_batch_id.is_distinct_from(batch_id))
        used.update(member_id for (member_id,) in session.execute(query) if member_id in wanted)
    used.update(
        member_id
        for (member_id,) in session.execute(select(Certificate.member_id))
        if member_id in wanted
    )
    if not used:
        return
    names = [
        f"{first} {last}".strip()
        for first, last in session.execute(
            select(Member.first_name, Member.last_name).where(Member.id.in_(sorted(used)[:3]))
        )
    ]
    more = f" and {len(used) - 3} more" if len(used) > 3 else ""
    raise DataRefused(
        f"Import {batch_id} cannot be undone: {', '.join(names)}{more}, added by it, "
        "have since been given payments, registrations, memberships or certificates; "
        "remove those first or keep the import."
    )


def _delete_tagged(session: Session, model: type[Base], batch_id: int, now: datetime) -> int:
    table = table_of(model)
    member_column = table.c.get("member_id")
    columns = [table.c.id] + ([member_column] if member_column is not None else [])
    rows = session.execute(select(*columns).where(table.c.import_batch_id == batch_id)).all()
    if not rows:
        return 0
    audit_rows(
        session,
        table.name,
        "delete",
        ((row[0], row[1] if len(row) > 1 else None, {}, {}) for row in rows),
        now,
    )
    session.execute(delete(table).where(table.c.import_batch_id == batch_id))
    return len(rows)


def _unused(session: Session, model: type[Base], ids: Sequence[int]) -> list[int]:
    """The employers or membership types among `ids` that nothing refers to any more."""
    if not ids:
        return []
    if model is Employer:
        used = {i for (i,) in session.execute(select(Member.employer_id).distinct())}
    else:
        used = {i for (i,) in session.execute(select(Membership.membership_type_id).distinct())}
    return [i for i in ids if i not in used]


def _delete_listed(session: Session, model: type[Base], ids: Sequence[int], now: datetime) -> int:
    if not ids:
        return 0
    if model is Member:
        audit_rows(session, "members", "delete", ((i, i, {}, {}) for i in ids), now)
    delete_rows(session, model, list(ids))
    return len(ids)


def _restore(session: Session, updates: Sequence[ImportChange], now: datetime) -> tuple[int, int]:
    """Put back old values where the current value is still the one the import set."""
    by_table: dict[str, list[ImportChange]] = defaultdict(list)
    for change in updates:
        by_table[change.table_name].append(change)
    restored = kept = 0
    for table_name, table_changes in by_table.items():
        model = _MODELS.get(table_name)
        if model is None:
            continue
        table = table_of(model)
        ids = [change.row_id for change in table_changes]
        current: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            for row in session.execute(select(table).where(table.c.id.in_(part))).mappings():
                current[row["id"]] = {key: plain(value) for key, value in row.items()}
        grouped: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        audits: list[tuple[int, int | None, dict[str, Any], dict[str, Any]]] = []
        for change in table_changes:
            now_values = current.get(change.row_id)
            if now_values is None:
                continue
            old = dict(change.old_values.get("old", {}))
            new = dict(change.old_values.get("new", {}))
            back = {k: v for k, v in old.items() if k in now_values and now_values[k] == new.get(k)}
            kept += len(old) - len(back)
            if not back:
                continue
            names = tuple(sorted(back))
            values = tuple(_stored(session, model, k, back[k]) for k in names)
            if "updated_at" in table.c:
                names += ("updated_at",)
                values += (stored_form(session, model, "updated_at")(now),)
            grouped[names].append((*values, change.row_id))
            member_id = change.row_id if model is Member else now_values.get("member_id")
            audits.append((change.row_id, member_id, {k: now_values[k] for k in back}, back))
            restored += 1
        for names, rows in grouped.items():
            update_rows(session, model, names, rows)
        audit_rows(session, table_name, "update", audits, now)
    return restored, kept


def _stored(session: Session, model: type[Base], column: str, value: Any) -> Any:
    """A JSON-form value (as `plain` wrote it) in the stored form of `model.column`."""
    if value is None:
        return None
    column_type = table_of(model).c[column].type
    if isinstance(column_type, Hundredths):
        value = Decimal(str(value))
    elif isinstance(value, str) and column_type.python_type is datetime:
        value = datetime.fromisoformat(value)
    elif isinstance(value, str) and column_type.python_type is date:
        value = date.fromisoformat(value)
    return stored_form(session, model, column)(value)
