"""Registrations: the fee from standing, category and date; payments in the shared books;
capacity and the waitlist in order; cancellation with refund and promotion; walk-ins."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AuditEntry,
    Member,
    Membership,
    Payment,
    PaymentMethod,
    PaymentPurpose,
    RegistrationCategory,
    RegistrationStatus,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.meetings import MeetingInput, update_meeting
from sro_desktop.services.registrations import (
    NewPerson,
    PaymentInput,
    PaymentStatus,
    admit_from_waitlist,
    cancel_registration,
    change_category,
    default_category,
    fill_open_places,
    record_registration_payment,
    register,
    register_new_person,
    register_walk_in,
    registration_rows,
)
from tests.services.meeting_factories import DAY, meeting, person

EARLY = date(2026, 8, 1)
LATE = date(2026, 9, 1)
REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


def _card(amount: str, on: date = EARLY) -> PaymentInput:
    return PaymentInput(Decimal(amount), PaymentMethod.CARD, on, reference="A1")


# --- category and fee -------------------------------------------------------------------


def test_a_member_in_good_standing_pays_the_member_fee(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        paid_up = person(session, "Ana", "López", paid_member=True)
        lapsed = person(session, "Ben", "Kim", paid_member=True, year=2024)
        contact = person(session, "Chen", "Wang")
        assert default_category(session, paid_up.id, EARLY) is RegistrationCategory.MEMBER
        assert default_category(session, lapsed.id, EARLY) is RegistrationCategory.NON_MEMBER
        assert default_category(session, contact.id, EARLY) is RegistrationCategory.NON_MEMBER
        early = register(session, created.id, paid_up.id, on=EARLY)
        late = register(session, created.id, lapsed.id, on=LATE)
        student = register(
            session, created.id, contact.id, on=EARLY, category=RegistrationCategory.STUDENT
        )
        assert (early.category, early.fee) == (RegistrationCategory.MEMBER, Decimal("236.00"))
        assert (late.category, late.fee) == (RegistrationCategory.NON_MEMBER, Decimal("395.00"))
        assert (student.category, student.fee) == (RegistrationCategory.STUDENT, Decimal("95.00"))


def test_a_member_in_grace_still_pays_the_member_fee(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        grace = person(session, "Dana", "Reed", paid_member=True, year=2025)
        # Paid through Dec 31, 2025; 30 days of grace reach Jan 30, 2026.
        assert default_category(session, grace.id, date(2026, 1, 20)) is (
            RegistrationCategory.MEMBER
        )
        assert default_category(session, grace.id, date(2026, 2, 1)) is (
            RegistrationCategory.NON_MEMBER
        )
        del created


def test_changing_category_reprices_at_the_registration_date(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        someone = person(session, "Ana", "López")
        registration = register(session, created.id, someone.id, on=EARLY)
        assert registration.fee == Decimal("316.00")
        change_category(session, registration.id, RegistrationCategory.SPEAKER)
        assert registration.fee == Decimal("0.00")
        change_category(session, registration.id, RegistrationCategory.MEMBER)
        assert registration.fee == Decimal("236.00")  # still the early-bird price


def test_registering_twice_is_refused(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        someone = person(session, "Ana", "López")
        register(session, created.id, someone.id, on=EARLY)
        with pytest.raises(DataRefused, match="Ana López is already registered"):
            register(session, created.id, someone.id, on=EARLY)


def test_unknown_meeting_or_person_is_refused_with_the_number(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        someone = person(session, "Ana", "López")
        with pytest.raises(DataRefused, match="no meeting number 999"):
            register(session, 999, someone.id)
        with pytest.raises(DataRefused, match="no person number 999"):
            register(session, created.id, 999)


# --- non-members -------------------------------------------------------------------------


def test_a_new_non_member_becomes_a_person_not_a_member(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        registration = register_new_person(
            session,
            created.id,
            NewPerson("Zoë", "Müller", " Zoe.Muller@Example.ORG ", credentials="RN"),
            on=EARLY,
        )
        member = registration.member
        assert (member.first_name, member.last_name, member.email, member.credentials) == (
            "Zoë",
            "Müller",
            "zoe.muller@example.org",
            "RN",
        )
        assert registration.category is RegistrationCategory.NON_MEMBER
        memberships = select(Membership).where(Membership.member_id == member.id)
        assert session.scalars(memberships).all() == []


def test_a_new_person_with_a_known_email_is_the_known_person(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        known = person(session, "Ana", "López", email="ana@example.org", paid_member=True)
        registration = register_new_person(
            session, created.id, NewPerson("Ana", "Lopez", "ANA@example.org"), on=EARLY
        )
        assert registration.member_id == known.id
        assert registration.category is RegistrationCategory.MEMBER
        assert session.scalar(select(Member.id).where(Member.last_name == "Lopez")) is None


def test_a_bad_email_is_refused_with_the_reason(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        with pytest.raises(DataRefused, match="no @"):
            register_new_person(session, created.id, NewPerson("Ana", "López", "ana.example.org"))


# --- payments ----------------------------------------------------------------------------


def test_payments_are_kept_in_the_shared_books(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        someone = person(session, "Ana", "López", paid_member=True)
        registration = register(session, created.id, someone.id, on=EARLY, payment=_card("100.00"))
        [row] = registration_rows(session, created.id)
        assert (row.paid, row.balance, row.payment_status) == (
            Decimal("100.00"),
            Decimal("136.00"),
            PaymentStatus.PART_PAID,
        )
        record_registration_payment(session, registration.id, _card("136.00"))
        [row] = registration_rows(session, created.id)
        assert (row.paid, row.balance, row.payment_status) == (
            Decimal("236.00"),
            Decimal("0.00"),
            PaymentStatus.PAID,
        )
        payments = session.scalars(
            select(Payment).where(Payment.registration_id == registration.id)
        ).all()
        assert {(p.purpose, p.meeting_id, p.member_id) for p in payments} == {
            (PaymentPurpose.REGISTRATION, created.id, someone.id)
        }


def test_a_free_registration_shows_no_fee(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        speaker = person(session, "Ana", "López")
        register(session, created.id, speaker.id, category=RegistrationCategory.SPEAKER)
        [row] = registration_rows(session, created.id)
        assert row.payment_status is PaymentStatus.NO_FEE
        assert row.to_json()["fee"] == "0.00"


# --- capacity and the waitlist ---------------------------------------------------------


def test_registrations_beyond_capacity_wait_in_order(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, capacity=2)
        people = [person(session, "P", str(n)) for n in range(5)]
        registrations = [register(session, created.id, p.id, on=EARLY) for p in people]
        assert [r.status for r in registrations] == [REGISTERED] * 2 + [WAITLISTED] * 3
        assert [r.waitlist_position for r in registrations] == [None, None, 1, 2, 3]


def test_a_cancellation_offers_the_place_to_the_first_waitlisted(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, capacity=2)
        people = [person(session, "P", str(n)) for n in range(5)]
        first, second, third, fourth, fifth = (
            register(session, created.id, p.id, on=EARLY) for p in people
        )
        result = cancel_registration(session, first.id)
        assert result.promoted == [third]
        assert (third.status, third.waitlist_position) == (REGISTERED, None)
        assert [(r.status, r.waitlist_position) for r in (fourth, fifth)] == [
            (WAITLISTED, 1),
            (WAITLISTED, 2),
        ]
        # A waitlisted person cancelling frees no place; those behind move up.
        result = cancel_registration(session, fourth.id)
        assert result.promoted == []
        assert fifth.waitlist_position == 1
        assert second.status is REGISTERED


def test_raising_the_capacity_fills_places_from_the_waitlist(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, capacity=1)
        people = [person(session, "P", str(n)) for n in range(4)]
        registrations = [register(session, created.id, p.id, on=EARLY) for p in people]
        update_meeting(
            session,
            created.id,
            MeetingInput(
                title=created.title,
                start_date=created.start_date,
                capacity=3,
                early_bird_deadline=created.early_bird_deadline,
            ),
        )
        assert fill_open_places(session, created.id) == registrations[1:3]
        assert registrations[3].waitlist_position == 1


def test_a_waitlisted_person_can_be_admitted_over_capacity(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, capacity=1)
        people = [person(session, "P", str(n)) for n in range(3)]
        _, second, third = (register(session, created.id, p.id, on=EARLY) for p in people)
        admit_from_waitlist(session, second.id)
        assert second.status is REGISTERED
        assert third.waitlist_position == 1
        with pytest.raises(DataRefused, match="not on the waitlist"):
            admit_from_waitlist(session, second.id)


# --- cancelling ------------------------------------------------------------------------


def test_a_cancellation_keeps_its_history_and_refund(database: Database) -> None:
    with database.transaction(action="Register") as session:
        created = meeting(session)
        someone = person(session, "Ana", "López")
        registration = register(session, created.id, someone.id, on=EARLY, payment=_card("316.00"))
        registration_id = registration.id
    with database.transaction(action="Cancel registration") as session:
        result = cancel_registration(
            session,
            registration_id,
            refund=PaymentInput(Decimal("250.00"), PaymentMethod.CHECK, LATE, "1042"),
            reason="family emergency",
        )
        assert result.refund is not None
        assert (result.refund.amount, result.refund.purpose) == (
            Decimal("-250.00"),
            PaymentPurpose.REFUND,
        )
        assert "family emergency" in result.refund.memo
    with database.session() as session:
        [row] = registration_rows(session, created.id)
        assert row.status is CANCELLED and row.cancelled_at is not None
        assert (row.fee, row.paid, row.refunded) == (
            Decimal("316.00"),
            Decimal("66.00"),
            Decimal("250.00"),
        )
        assert row.payment_status is PaymentStatus.REFUNDED
        assert row.balance == Decimal("0.00")
        trail = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == "registrations", AuditEntry.row_id == registration_id)
            .order_by(AuditEntry.id)
        ).all()
        assert [(e.action, e.user_action) for e in trail] == [
            ("insert", "Register"),
            ("update", "Cancel registration"),
        ]
        assert trail[1].new_values["status"] == "cancelled"


def test_a_refund_cannot_exceed_what_was_paid(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        someone = person(session, "Ana", "López")
        registration = register(session, created.id, someone.id, on=EARLY, payment=_card("100"))
        with pytest.raises(DataRefused, match=r"more than the 100\.00 Ana López paid"):
            cancel_registration(
                session,
                registration.id,
                refund=PaymentInput(Decimal("150"), PaymentMethod.CHECK, LATE),
            )
        assert registration.status is REGISTERED


def test_cancelling_twice_is_refused_and_registering_again_reuses_the_record(
    database: Database,
) -> None:
    with database.transaction() as session:
        created = meeting(session)
        someone = person(session, "Ana", "López")
        registration = register(session, created.id, someone.id, on=EARLY)
        cancel_registration(session, registration.id)
        with pytest.raises(DataRefused, match="already cancelled"):
            cancel_registration(session, registration.id)
        again = register(session, created.id, someone.id, on=LATE)
        assert again.id == registration.id
        assert (again.status, again.cancelled_at, again.fee) == (
            REGISTERED,
            None,
            Decimal("395.00"),
        )


# --- walk-ins ----------------------------------------------------------------------------


def test_a_walk_in_is_registered_over_capacity_and_checked_in(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, capacity=1)
        register(session, created.id, person(session, "Ana", "López").id, on=EARLY)
        walk_in = register_walk_in(
            session,
            created.id,
            NewPerson("Omar", "Shah", "omar@example.org"),
            payment=PaymentInput(Decimal("395"), PaymentMethod.CASH, DAY),
        )
        assert walk_in.status is REGISTERED
        assert walk_in.checked_in_at is not None
        assert walk_in.member.email == "omar@example.org"
        rows = {row.last_name: row for row in registration_rows(session, created.id)}
        assert rows["Shah"].payment_status is PaymentStatus.PAID
