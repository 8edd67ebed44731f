"""The audit trail records inserts, updates and deletes with old and new values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import AuditEntry, Employer, Member, PaymentMethod, PaymentPurpose
from sro_desktop.services.payments import record_payment


def _entries(database: Database) -> list[AuditEntry]:
    with database.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_insert_update_delete_are_recorded_with_the_action(database: Database) -> None:
    with database.transaction(action="Add member") as session:
        member = Member(first_name="Ana", last_name="García", email="ana@example.org")
        session.add(member)
        session.add(Employer(name="Not audited"))
    with database.transaction(action="Edit member") as session:
        found = session.get(Member, member.id)
        assert found is not None
        found.email = "ana.garcia@example.org"
        found.first_name = "Ana"  # unchanged value: not an entry of its own
    with database.transaction(action="Delete member") as session:
        session.delete(session.get(Member, member.id))

    entries = _entries(database)
    assert [(e.table_name, e.action, e.user_action) for e in entries] == [
        ("members", "insert", "Add member"),
        ("members", "update", "Edit member"),
        ("members", "delete", "Delete member"),
    ]
    assert all(e.row_id == member.id and e.member_id == member.id for e in entries)
    assert entries[0].new_values["last_name"] == "García"
    assert entries[1].old_values == {"email": "ana@example.org"}
    assert entries[1].new_values == {"email": "ana.garcia@example.org"}
    assert entries[2].old_values["email"] == "ana.garcia@example.org"


def test_a_rolled_back_action_leaves_no_audit_entry(database: Database) -> None:
    try:
        with database.transaction(action="Doomed") as session:
            session.add(Member(first_name="X", last_name="Y"))
            session.flush()
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert _entries(database) == []


def test_payments_are_audited_with_their_member(database: Database) -> None:
    with database.transaction(action="Record payment") as session:
        member = Member(first_name="Bo", last_name="Lee")
        session.add(member)
        session.flush()
        payment = record_payment(
            session,
            amount=Decimal("150"),
            paid_on=date(2026, 1, 5),
            method=PaymentMethod.CHECK,
            purpose=PaymentPurpose.DUES,
            member_id=member.id,
            reference=" 1042 ",
        )
        assert payment.reference == "1042"
    payment_entry = next(e for e in _entries(database) if e.table_name == "payments")
    assert payment_entry.member_id == member.id
    assert payment_entry.new_values["amount"] == "150.00"
    assert payment_entry.new_values["method"] == "check"
