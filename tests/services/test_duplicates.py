"""Duplicate scoring, the search with remembered "not a duplicate" pairs, and merging two
records of one person without losing any linked record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AttendanceInterval,
    Certificate,
    CertificateKind,
    Employer,
    EmployerType,
    Meeting,
    MeetingSession,
    Member,
    Membership,
    MembershipType,
    NotDuplicatePair,
    Payment,
    PaymentMethod,
    PaymentPurpose,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    SessionAttendance,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.duplicates import (
    DuplicateRule,
    default_choices,
    find_duplicates,
    mark_not_duplicate,
    merge_candidate,
    merge_members,
    person_key,
    score_pair,
)

RULE = DuplicateRule()


def _key(
    first: str,
    last: str,
    email: str | None = None,
    phone: str = "",
    employer: int | None = None,
    organization: str | None = None,
    member_id: int = 1,
) -> object:
    return person_key(member_id, first, last, email, phone, employer, organization)


@pytest.mark.parametrize(
    ("a", "b", "score", "reasons"),
    [
        # Same full name alone is not enough (5 < 6)...
        (("Ana", "García"), ("ana", "GARCIA"), 5.0, ("same first name", "same last name")),
        # ...with the same organization it is.
        (
            ("Ana", "García", None, "", 3),
            ("Ana", "Garcia", None, "", 3),
            6.0,
            ("same first name", "same last name", "same organization"),
        ),
        # A short form of a first name counts half; same phone digits however written.
        (
            ("Rob", "Smith", None, "2155550100"),
            ("Robert", "Smith", None, "2155550100"),
            7.0,
            ("similar first name", "same last name", "same phone"),
        ),
        # Same mailbox at another domain counts half of the email weight.
        (
            ("Ana", "Lee", "ana.lee@old.org"),
            ("Anna", "Lee", "ana.lee@new.org"),
            5.0,
            ("same last name", "same mailbox at another domain"),
        ),
        # Same email is the strongest single sign.
        (("A", "B", "x@y.org"), ("C", "D", "x@y.org"), 4.0, ("same email",)),
        # Organization by name when neither has an employer record.
        (
            ("Jo", "Ng", None, "", None, "Penn Valley"),
            ("Jo", "Ng", None, "", None, "penn valley"),
            6.0,
            ("same first name", "same last name", "same organization"),
        ),
        (("Ana", "Lee"), ("Bob", "Kim"), 0.0, ()),
    ],
)
def test_score_pair(
    a: tuple[object, ...], b: tuple[object, ...], score: float, reasons: tuple[str, ...]
) -> None:
    assert score_pair(_key(*a), _key(*b), RULE) == (score, reasons)  # type: ignore[arg-type]


def test_weights_and_threshold_are_the_users() -> None:
    a = _key("Ana", "García")
    b = _key("Ana", "Garcia")
    heavy_names = DuplicateRule(first_name=3, last_name=4, threshold=7)
    assert score_pair(a, b, heavy_names)[0] == 7.0  # type: ignore[arg-type]


def _person(session: Session, first: str, last: str, **values: object) -> Member:
    member = Member(first_name=first, last_name=last, **values)
    session.add(member)
    session.flush()
    return member


def test_find_duplicates_reports_pairs_above_threshold_and_remembers_distinct_ones(
    database: Database,
) -> None:
    with database.transaction() as session:
        hospital = Employer(name="Penn Valley Health", type=EmployerType.HOSPITAL)
        session.add(hospital)
        a = _person(session, "Ana", "García", email="ana@pvh.org", employer=hospital)
        b = _person(session, "Ana", "Garcia", email="ana.garcia@gmail.com", employer=hospital)
        c = _person(session, "Rob", "Smith", phone="215.555.0100", phone_digits="2155550100")
        d = _person(session, "Robert", "Smith", phone="(215) 555-0100", phone_digits="2155550100")
        _person(session, "Ana", "García", email="other.ana@x.org")  # name only: 5, not shown
        archived = _person(session, "Robert", "Smith", phone_digits="2155550100", archived=True)
        ids = (a.id, b.id, c.id, d.id, archived.id)
    with database.session() as session:
        seen: list[tuple[int, int]] = []
        pairs = find_duplicates(session, progress=lambda done, total: seen.append((done, total)))
        assert [(p.first_id, p.second_id, p.score) for p in pairs] == [
            (ids[2], ids[3], 7.0),
            (ids[0], ids[1], 6.0),
        ]
        assert seen and seen[-1][0] == seen[-1][1]
    with database.transaction() as session:
        mark_not_duplicate(session, ids[3], ids[2])
        mark_not_duplicate(session, ids[2], ids[3])  # twice is once
        assert session.scalar(select(func.count()).select_from(NotDuplicatePair)) == 1
        with pytest.raises(DataRefused):
            mark_not_duplicate(session, ids[0], ids[0])
    with database.session() as session:
        assert [(p.first_id, p.second_id) for p in find_duplicates(session)] == [(ids[0], ids[1])]


def _full_history(database: Database) -> tuple[int, int]:
    """Two records of one person, each with memberships, payments, registrations (one
    meeting both registered for), attendance and certificates."""
    with database.transaction() as session:
        kind = MembershipType(name="Individual", dues=Decimal("150.00"))
        spring = Meeting(
            title="Spring Workshop", start_date=date(2026, 3, 12), end_date=date(2026, 3, 12)
        )
        annual = Meeting(
            title="Annual Conference", start_date=date(2026, 9, 24), end_date=date(2026, 9, 25)
        )
        webinar = Meeting(title="Webinar", start_date=date(2026, 6, 10), end_date=date(2026, 6, 10))
        session.add_all([kind, spring, annual, webinar])
        session.flush()
        keynote = MeetingSession(
            meeting=annual,
            title="Keynote",
            starts_at=datetime(2026, 9, 24, 9),
            ends_at=datetime(2026, 9, 24, 10),
        )
        panel = MeetingSession(
            meeting=annual,
            title="Panel",
            starts_at=datetime(2026, 9, 24, 11),
            ends_at=datetime(2026, 9, 24, 12),
        )
        session.add_all([keynote, panel])
        keep = _person(session, "Ana", "García", email="ana@pvh.org", phone="", notes="Board 2025")
        other = _person(
            session,
            "Ana",
            "Garcia",
            email="ana.garcia@gmail.com",
            phone="(215) 555-0100",
            phone_digits="2155550100",
            state="PA",
            member_since=date(2019, 5, 1),
            notes="Prefers email",
        )
        third = _person(session, "Zed", "Zee")
        session.add(
            NotDuplicatePair(
                member_low_id=min(other.id, third.id), member_high_id=max(other.id, third.id)
            )
        )
        for person, year in ((keep, 2025), (other, 2026)):
            membership = Membership(
                member_id=person.id,
                membership_type=kind,
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
                dues=kind.dues,
            )
            session.add(membership)
            session.flush()
            session.add(
                Payment(
                    member_id=person.id,
                    membership_id=membership.id,
                    paid_on=date(year, 1, 5),
                    amount=kind.dues,
                    method=PaymentMethod.CHECK,
                    reference="100",
                    purpose=PaymentPurpose.DUES,
                )
            )
        # Both registered for the annual conference (the duplicate's classic sign).
        mine = Registration(
            meeting=annual,
            member_id=keep.id,
            category=RegistrationCategory.MEMBER,
            fee=Decimal("295"),
            status=RegistrationStatus.CANCELLED,
            registered_at=datetime(2026, 8, 1, tzinfo=UTC),
        )
        theirs = Registration(
            meeting=annual,
            member_id=other.id,
            category=RegistrationCategory.MEMBER,
            fee=Decimal("295"),
            registered_at=datetime(2026, 8, 2, tzinfo=UTC),
            checked_in_at=datetime(2026, 9, 24, 8, 40, tzinfo=UTC),
        )
        spring_reg = Registration(
            meeting=spring,
            member_id=other.id,
            category=RegistrationCategory.MEMBER,
            fee=Decimal("75"),
        )
        web_reg = Registration(
            meeting=webinar,
            member_id=keep.id,
            category=RegistrationCategory.MEMBER,
            fee=Decimal("0"),
        )
        session.add_all([mine, theirs, spring_reg, web_reg])
        session.flush()
        session.add_all(
            [
                SessionAttendance(registration_id=mine.id, session_id=keynote.id),
                SessionAttendance(registration_id=theirs.id, session_id=keynote.id),
                SessionAttendance(registration_id=theirs.id, session_id=panel.id),
                AttendanceInterval(
                    registration=mine,
                    joined_at=datetime(2026, 9, 24, 9),
                    left_at=datetime(2026, 9, 24, 10),
                ),
                Payment(
                    member_id=other.id,
                    registration_id=theirs.id,
                    meeting_id=annual.id,
                    paid_on=date(2026, 8, 2),
                    amount=Decimal("295"),
                    method=PaymentMethod.CARD,
                    purpose=PaymentPurpose.REGISTRATION,
                ),
                Certificate(
                    number="2026-0001",
                    verification_code="AAA",
                    member_id=other.id,
                    meeting_id=spring.id,
                    kind=CertificateKind.ATTENDANCE,
                    issued_on=date(2026, 3, 13),
                ),
                Certificate(
                    number="2026-0002",
                    verification_code="BBB",
                    member_id=keep.id,
                    meeting_id=webinar.id,
                    kind=CertificateKind.ATTENDANCE,
                    issued_on=date(2026, 6, 11),
                ),
            ]
        )
        return keep.id, other.id


def _counts(session: Session, member_id: int) -> dict[str, int]:
    def count(model: type) -> int:
        return (
            session.scalar(
                select(func.count()).select_from(model).where(model.member_id == member_id)  # type: ignore[attr-defined]
            )
            or 0
        )

    return {
        "memberships": count(Membership),
        "payments": count(Payment),
        "registrations": count(Registration),
        "certificates": count(Certificate),
    }


def test_merge_keeps_every_linked_record_of_both(database: Database) -> None:
    keep_id, other_id = _full_history(database)
    with database.session() as session:
        keep, other = session.get(Member, keep_id), session.get(Member, other_id)
        assert keep is not None and other is not None
        choices = default_choices(keep, other)
        assert choices["phone"] == "other"  # blank on the kept record
        assert choices["member_since"] == "other" and choices["notes"] == "both"
        assert choices["email"] == "keep"
        assert merge_candidate(session, keep_id).describe_history() == (
            "1 membership, 1 payment, 2 registrations, 1 certificate"
        )
        attendance_before = session.scalar(select(func.count()).select_from(SessionAttendance))
        assert attendance_before == 3
    with database.transaction() as session:
        result = merge_members(session, keep_id, other_id, {"email": "other"})
    assert (result.memberships, result.payments, result.registrations, result.certificates) == (
        1,
        2,
        2,
        1,
    )
    with database.session() as session:
        assert session.get(Member, other_id) is None
        kept = session.get(Member, keep_id)
        assert kept is not None
        assert kept.email == "ana.garcia@gmail.com"  # chosen
        assert (kept.phone, kept.phone_digits, kept.state) == ("(215) 555-0100", "2155550100", "PA")
        assert kept.member_since == date(2019, 5, 1)
        assert kept.notes == "Board 2025\n\nPrefers email"
        assert _counts(session, keep_id) == {
            "memberships": 2,
            "payments": 3,
            "registrations": 3,
            "certificates": 2,
        }
        # The two annual-conference registrations became one: the registered one, with the
        # attendance of both (the keynote once), the interval, the payment and check-in.
        annual = session.scalars(select(Meeting).where(Meeting.title == "Annual Conference")).one()
        registration = session.scalars(
            select(Registration).where(Registration.meeting_id == annual.id)
        ).one()
        assert registration.status is RegistrationStatus.REGISTERED
        assert registration.member_id == keep_id
        assert registration.checked_in_at == datetime(2026, 9, 24, 8, 40, tzinfo=UTC)
        assert len(registration.session_attendance) == 2
        assert len(registration.intervals) == 1
        fee = session.scalars(
            select(Payment).where(Payment.purpose == PaymentPurpose.REGISTRATION)
        ).one()
        assert fee.registration_id == registration.id
        # The "not a duplicate" mark moved to the kept record.
        pair = session.scalars(select(NotDuplicatePair)).one()
        assert keep_id in (pair.member_low_id, pair.member_high_id)
        assert database.integrity_check() == []


def test_merge_refuses_two_certificates_for_one_meeting(database: Database) -> None:
    keep_id, other_id = _full_history(database)
    with database.transaction() as session:
        spring = session.scalars(select(Meeting).where(Meeting.title == "Spring Workshop")).one()
        session.add(
            Certificate(
                number="2026-0003",
                verification_code="CCC",
                member_id=keep_id,
                meeting_id=spring.id,
                kind=CertificateKind.ATTENDANCE,
                issued_on=date(2026, 3, 13),
            )
        )
    with database.transaction() as session, pytest.raises(DataRefused) as refused:
        merge_members(session, keep_id, other_id)
    assert "2026-0003 and 2026-0001" in str(refused.value)
    with database.session() as session:
        assert session.get(Member, other_id) is not None


def test_merge_refuses_nonsense(database: Database) -> None:
    keep_id, other_id = _full_history(database)
    with database.transaction() as session:
        with pytest.raises(DataRefused, match="two different people"):
            merge_members(session, keep_id, keep_id)
        with pytest.raises(DataRefused, match="no field shoe_size"):
            merge_members(session, keep_id, other_id, {"shoe_size": "other"})  # type: ignore[dict-item]
        with pytest.raises(DataRefused, match="no member #999"):
            merge_members(session, keep_id, 999)
