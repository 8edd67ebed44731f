"""Undo and redo of member actions through their recorded row changes: edits, adds,
deletes, merges and renewals come back exactly, and a step that would overwrite a later
change is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import AuditEntry, Base, Member, PaymentMethod, PaymentPurpose
from sro_desktop.errors import DataRefused
from sro_desktop.services.duplicates import merge_members
from sro_desktop.services.member_editing import (
    MemberDraft,
    add_member,
    delete_member,
    draft_of,
    update_member,
)
from sro_desktop.services.memberships import renew_members
from sro_desktop.services.payments import record_payment
from sro_desktop.services.row_changes import (
    RowChanges,
    recording_row_changes,
    redo_row_changes,
    undo_row_changes,
)
from tests.conftest import TODAY
from tests.services.test_duplicates import _full_history

_SKIPPED_TABLES = {"audit_entries"}
_SKIPPED_COLUMNS = {"updated_at"}


def snapshot(database: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but the audit trail (which only grows)."""
    with database.session() as session:
        return {
            table.name: [
                {k: v for k, v in row.items() if k not in _SKIPPED_COLUMNS}
                for row in session.execute(select(table).order_by(*table.primary_key)).mappings()
            ]
            for table in Base.metadata.sorted_tables
            if table.name not in _SKIPPED_TABLES
        }


def record(database: Database, work: Any, what: str = "action") -> RowChanges:
    with database.transaction(action=what) as session, recording_row_changes(session) as changes:
        work(session)
    return changes


def undo(database: Database, changes: RowChanges, what: str = "action") -> None:
    with database.transaction(action=f"Undo {what}") as session:
        undo_row_changes(session, changes, what)


def redo(database: Database, changes: RowChanges, what: str = "action") -> None:
    with database.transaction(action=f"Redo {what}") as session:
        redo_row_changes(session, changes, what)


def _first_member(database: Database) -> int:
    with database.session() as session:
        member_id = session.scalar(select(Member.id).order_by(Member.id))
        assert member_id is not None
        return member_id


def test_undo_and_redo_an_edit(demo_database: Database) -> None:
    member_id = _first_member(demo_database)
    before = snapshot(demo_database)

    def edit(session: Any) -> None:
        member = session.get(Member, member_id)
        draft = draft_of(member)
        changed = MemberDraft(
            **{
                **draft.__dict__,
                "last_name": "Changed",
                "state": "Ontario",
                "organization": "A Brand New Employer",
            }
        )
        update_member(session, member_id, changed)

    changes = record(demo_database, edit, "Edit")
    after = snapshot(demo_database)
    assert after != before
    assert {c.table for c in changes.changes} == {"members", "employers"}
    assert changes.member_ids == {member_id}
    undo(demo_database, changes, "Edit")
    assert snapshot(demo_database) == before
    redo(demo_database, changes, "Edit")
    assert snapshot(demo_database) == after
    with demo_database.session() as session:
        actions = session.scalars(
            select(AuditEntry.user_action).where(AuditEntry.member_id == member_id)
        ).all()
        assert "Undo Edit" in actions and "Redo Edit" in actions


def test_undo_an_add_and_redo_it_with_the_same_id(database: Database) -> None:
    before = snapshot(database)
    added: list[int] = []
    changes = record(
        database,
        lambda s: added.append(
            add_member(s, MemberDraft(first_name="Ana", last_name="Lee", email="ana@x.org")).id
        ),
    )
    after = snapshot(database)
    undo(database, changes)
    assert snapshot(database) == before
    redo(database, changes)
    assert snapshot(database) == after
    with database.session() as session:
        assert session.get(Member, added[0]) is not None


def test_undo_a_delete_brings_back_the_periods_and_marks(demo_database: Database) -> None:
    with demo_database.transaction() as session:
        member = add_member(session, MemberDraft(first_name="Del", last_name="Me"))
        renew_members(session, [member.id], TODAY, membership_type_id=1)
        from sro_desktop.db.models import NotDuplicatePair

        session.add(NotDuplicatePair(member_low_id=1, member_high_id=member.id))
        member_id = member.id
    before = snapshot(demo_database)
    changes = record(demo_database, lambda s: delete_member(s, member_id))
    assert {c.table for c in changes.changes} == {"members", "memberships", "not_duplicate_pairs"}
    undo(demo_database, changes)
    assert snapshot(demo_database) == before


def test_undo_a_merge_puts_every_row_back(database: Database) -> None:
    keep_id, other_id = _full_history(database)
    before = snapshot(database)
    changes = record(
        database, lambda s: merge_members(s, keep_id, other_id, {"email": "other"}), "Merge"
    )
    after = snapshot(database)
    assert changes.member_ids >= {keep_id, other_id}
    undo(database, changes, "Merge")
    assert snapshot(database) == before
    assert database.integrity_check() == []
    redo(database, changes, "Merge")
    assert snapshot(database) == after


def test_undo_a_bulk_renewal(demo_database: Database) -> None:
    before = snapshot(demo_database)
    with demo_database.session() as session:
        everyone = list(session.scalars(select(Member.id)))
    changes = record(demo_database, lambda s: renew_members(s, everyone, TODAY), "Renew")
    added = [c for c in changes.changes if c.action == "insert"]
    assert len(added) > 200 and {c.table for c in added} == {"memberships"}
    after = snapshot(demo_database)
    undo(demo_database, changes, "Renew")
    assert snapshot(demo_database) == before
    redo(demo_database, changes, "Renew")
    assert snapshot(demo_database) == after


def test_undo_refuses_to_overwrite_a_later_change(demo_database: Database) -> None:
    member_id = _first_member(demo_database)

    def rename(name: str) -> Any:
        def work(session: Any) -> None:
            member = session.get(Member, member_id)
            update_member(
                session, member_id, MemberDraft(**{**draft_of(member).__dict__, "first_name": name})
            )

        return work

    changes = record(demo_database, rename("First"))
    with demo_database.transaction() as session:  # another action, not on this undo history
        rename("Second")(session)
    before = snapshot(demo_database)
    with pytest.raises(DataRefused) as refused:
        undo(demo_database, changes, "Edit First")
    assert str(refused.value) == (
        f"“Edit First” cannot be undone: person #{member_id} was changed since by another "
        "action; change it by hand instead."
    )
    assert snapshot(demo_database) == before


def test_undo_an_add_is_refused_once_records_hang_off_the_person(database: Database) -> None:
    added: list[Member] = []
    changes = record(
        database, lambda s: added.append(add_member(s, MemberDraft(first_name="A", last_name="B")))
    )
    with database.transaction() as session:
        record_payment(
            session,
            amount=Decimal("25"),
            paid_on=date(2026, 1, 1),
            method=PaymentMethod.CASH,
            purpose=PaymentPurpose.DONATION,
            member_id=added[0].id,
        )
    with pytest.raises(DataRefused, match="cannot be undone"):
        undo(database, changes)
    with database.session() as session:
        assert session.get(Member, added[0].id) is not None
