"""Registering many at once gives what registering them one by one gives: categories from
standing, fees by date, places then the waitlist in order, payments, the audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.database import open_database
from sro_desktop.db.models import (
    AuditEntry,
    Payment,
    PaymentMethod,
    Registration,
    RegistrationCategory,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.bulk_registrations import NewRegistration, add_people, register_many
from sro_desktop.services.registrations import (
    NewPerson,
    PaymentInput,
    cancel_registration,
    person_for,
    record_registration_payment,
    register,
)
from tests.services.meeting_factories import meeting, person

EARLY, LATE = date(2026, 8, 1), date(2026, 9, 1)


def _setting(session: Session) -> tuple[int, list[int]]:
    """A meeting with three places, one of them taken by someone who then cancels (so a
    waitlisted person is promoted first), and six people, half of them paid members."""
    meeting_id = meeting(session, capacity=3).id
    people = [person(session, f"Person{n}", "Test", paid_member=n % 2 == 0).id for n in range(6)]
    first = register(session, meeting_id, people[0], on=EARLY)
    register(session, meeting_id, people[1], on=EARLY)
    register(session, meeting_id, people[2], on=EARLY)
    register(session, meeting_id, people[3], on=EARLY)  # waitlisted, place 1
    cancel_registration(session, first.id)  # people[3] moves up
    return meeting_id, people[4:]


def _entries(member_ids: list[int]) -> list[NewRegistration]:
    pay = PaymentInput(Decimal("95"), PaymentMethod.OTHER, LATE, "Imported from form.csv")
    return [
        NewRegistration(member_ids[0], None, LATE, pay),  # a member, late: 295, waitlisted
        NewRegistration(member_ids[1], RegistrationCategory.STUDENT, EARLY, pay),
        NewRegistration(member_ids[2], None, EARLY, None, fee=Decimal("10.00")),
    ]


def _outcome(session: Session, meeting_id: int) -> list[tuple[Any, ...]]:
    rows = session.scalars(
        select(Registration).where(Registration.meeting_id == meeting_id).order_by(Registration.id)
    )
    registrations = [
        (r.member_id, r.category, r.fee, r.status, r.waitlist_position, r.registered_at)
        for r in rows
    ]
    payments = [
        (p.member_id, p.amount, p.purpose, p.payer_name, p.memo, p.reference, p.paid_on)
        for p in session.scalars(select(Payment).where(Payment.meeting_id == meeting_id))
    ]
    audited = sorted(
        (entry.table_name, entry.action)
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.user_action == "test"))
    )
    return [registrations, payments, audited]


def _run(tmp_path: Path, bulk: bool) -> list[tuple[Any, ...]]:
    database = open_database(tmp_path / f"{'bulk' if bulk else 'single'}.sqlite3")
    with database.transaction() as session:
        meeting_id, others = _setting(session)
    with database.transaction(action="test") as session:
        [newcomer] = add_people(session, [NewPerson("New", "Comer", "NEW@example.org", "MD")])
        entries = _entries([*others, newcomer.id])
        if bulk:
            register_many(session, meeting_id, entries)
        else:
            for entry in entries:
                registration = register(
                    session, meeting_id, entry.member_id, category=entry.category, on=entry.on
                )
                if entry.fee is not None:
                    registration.fee = entry.fee
                if entry.payment is not None:
                    record_registration_payment(session, registration.id, entry.payment)
                session.flush()
    with database.session() as session:
        outcome = _outcome(session, meeting_id)
    database.close()
    return outcome


def test_many_at_once_is_the_same_as_one_by_one(tmp_path: Path) -> None:
    at_once = _run(tmp_path, bulk=True)
    one_by_one = _run(tmp_path, bulk=False)

    # The same registrations and payments, and an audit entry for every row added (one
    # by one, the agreed fee was written after the registration, as an update as well).
    assert at_once[:2] == one_by_one[:2]
    assert at_once[2] == [entry for entry in one_by_one[2] if entry[1] == "insert"]
    registrations = at_once[0]
    # The waitlisted person took the cancelled place; the newcomers queue behind.
    assert [(r[1], r[2], r[3].value, r[4]) for r in registrations[-3:]] == [
        (RegistrationCategory.MEMBER, Decimal("295.00"), "waitlisted", 1),
        (RegistrationCategory.STUDENT, Decimal("95.00"), "waitlisted", 2),
        (RegistrationCategory.NON_MEMBER, Decimal("10.00"), "waitlisted", 3),
    ]
    assert len(at_once[1]) == 2 and ("registrations", "insert") in at_once[2]


def test_the_same_person_twice_or_someone_registered_already_is_refused(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "refused.sqlite3")
    with database.transaction() as session:
        meeting_id, others = _setting(session)
        register_many(session, meeting_id, [NewRegistration(others[0])])
        with pytest.raises(DataRefused, match=r"registered .* already"):
            register_many(session, meeting_id, [NewRegistration(others[0])])
        with pytest.raises(DataRefused, match="first and last name"):
            add_people(session, [NewPerson("", "Solo")])
        known = person_for(session, NewPerson("X", "Y", "person4.test@example.org"))
        assert add_people(session, [NewPerson("X", "Y", "Person4.Test@example.org")]) == [known]
    database.close()
