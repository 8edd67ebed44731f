"""The plan before printing: which certificate each person gets, who gets none and why, and
the rules that stop a batch (no physician certificate without a provider and a designated
maximum, credits never above it, nothing before the meeting has ended)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    CertificateKind,
    CreditType,
    Meeting,
    MeetingFormat,
    Registration,
    RegistrationStatus,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.certificate_issuing import (
    CertificatePlan,
    meeting_choices,
    meeting_location,
    plan_certificates,
)
from tests.conftest import TODAY
from tests.services.certificate_meetings import (
    ORGANIZATION,
    PROVIDER,
    attendee,
    morning_meeting,
    set_up_organization,
)


def _by_name(plan: CertificatePlan) -> dict[str, object]:
    found: dict[str, object] = {c.name: c for c in plan.certificates}
    found.update({n.name: n.reason for n in plan.not_eligible})
    return found


def _ama_meeting(session: Session, **changes: object) -> Meeting:
    set_up_organization(session)
    meeting = morning_meeting(session, **changes)  # type: ignore[arg-type]
    attendee(session, meeting, "Ana", "López", "MD", sessions=("Outcomes", "Panel"))
    attendee(session, meeting, "Ben", "Okafor", "DO, MPH", sessions=("Outcomes",))
    attendee(session, meeting, "Chloé", "Martin", "RN, BSN", sessions=("Outcomes", "Panel"))
    attendee(session, meeting, "Dmitri", "Ivanov", "MD", checked_in=True)
    attendee(session, meeting, "Eve", "Stone", "MD")  # registered, never came
    attendee(session, meeting, "Farid", "Haddad", "MD", joined=(("09:00", "09:10"),))
    attendee(session, meeting, "Gail", "Ng", "PharmD", joined=(("08:00", "08:55"),))
    attendee(session, meeting, "Hugo", "Wait", "MD", status=RegistrationStatus.WAITLISTED)
    attendee(
        session,
        meeting,
        "Ida",
        "Gone",
        "MD",
        sessions=("Outcomes",),
        status=RegistrationStatus.CANCELLED,
    )
    return meeting


def test_physicians_get_credits_others_hours_and_absentees_nothing(database: Database) -> None:
    with database.transaction() as session:
        meeting = _ama_meeting(session)
        plan = plan_certificates(session, meeting.id, TODAY)
    assert plan.problems == []
    assert plan.can_print
    people = _by_name(plan)
    ana, ben, chloe, dmitri = (
        people[n] for n in ("Ana López", "Ben Okafor", "Chloé Martin", "Dmitri Ivanov")
    )
    assert (ana.kind, ana.credits, ana.hours) == (  # type: ignore[attr-defined]
        CertificateKind.PHYSICIAN,
        Decimal("3.00"),
        Decimal("3.00"),
    )
    assert (ben.kind, ben.credits) == (  # type: ignore[attr-defined]
        CertificateKind.PHYSICIAN,
        Decimal("1.50"),
    )
    assert (chloe.kind, chloe.credits, chloe.hours) == (  # type: ignore[attr-defined]
        CertificateKind.PARTICIPATION,
        None,
        Decimal("3.00"),
    )
    assert dmitri.credits == Decimal("3.00")  # type: ignore[attr-defined]
    assert people["Eve Stone"] == "No attendance recorded."
    assert people["Hugo Wait"] == "On the waitlist; no attendance recorded."
    assert "15 minutes" in str(people["Farid Haddad"])  # 10 minutes: 0 credits
    assert "credit-eligible" in str(people["Gail Ng"])  # joined before it began
    assert "Ida Gone" not in people  # a cancelled registration is not listed
    assert [c.name for c in plan.certificates] == [
        "Dmitri Ivanov",
        "Ana López",
        "Chloé Martin",
        "Ben Okafor",
    ]
    assert len(plan.certificates) + len(plan.not_eligible) == 8


def test_a_meeting_with_attendance_hours_gives_everyone_a_certificate_of_attendance(
    database: Database,
) -> None:
    with database.transaction() as session:
        meeting = _ama_meeting(
            session, credit_type=CreditType.ATTENDANCE, max_credits=None, provider=""
        )
        plan = plan_certificates(session, meeting.id, TODAY)
    assert plan.problems == []
    assert {c.kind for c in plan.certificates} == {CertificateKind.ATTENDANCE}
    assert {c.name: c.hours for c in plan.certificates}["Ben Okafor"] == Decimal("1.50")
    assert all(c.credits is None for c in plan.certificates)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"provider": ""}, "names no accredited provider"),
        ({"max_credits": None}, "no maximum number of credits"),
        ({"max_credits": Decimal("2.60")}, "quarter credits"),
        ({"provider": ORGANIZATION, "joint": True}, "jointly provided"),
        ({"credit_type": CreditType.NONE}, "no credit"),
    ],
)
def test_meeting_level_rules_stop_the_whole_batch(
    database: Database, changes: dict[str, object], words: str
) -> None:
    with database.transaction() as session:
        meeting = _ama_meeting(session, **changes)
        plan = plan_certificates(session, meeting.id, TODAY)
    assert not plan.can_print
    assert any(words in problem for problem in plan.problems), plan.problems


def test_credits_are_never_above_the_maximum(database: Database) -> None:
    with database.transaction() as session:
        meeting = _ama_meeting(session)
        # The maximum lowered after an override was set above the new maximum.
        ana = session.scalars(
            select(Registration)
            .join(Registration.member)
            .where(Registration.meeting_id == meeting.id)
        ).first()
        assert ana is not None
        ana.credits_override = Decimal("3.00")
        ana.credits_override_reason = "stayed for the whole day"
        meeting.max_credits = Decimal("2.50")
        session.flush()
        plan = plan_certificates(session, meeting.id, TODAY)
    assert not plan.can_print
    assert any("more than the 2.5" in problem for problem in plan.problems), plan.problems


def test_nothing_is_printed_before_the_meeting_ends(database: Database) -> None:
    with database.transaction() as session:
        meeting = _ama_meeting(session)
        plan = plan_certificates(session, meeting.id, date(2026, 3, 1))
    assert any("has not ended yet" in problem for problem in plan.problems)


def test_no_attendance_at_all_is_a_problem_not_an_empty_pdf(database: Database) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        attendee(session, meeting, "Eve", "Stone", "MD")
        plan = plan_certificates(session, meeting.id, TODAY)
    assert plan.certificates == []
    assert any("no attendance is recorded" in problem for problem in plan.problems)


def test_only_the_chosen_people(database: Database) -> None:
    with database.transaction() as session:
        meeting = _ama_meeting(session)
        ana = next(
            r.member for r in session.scalars(select(Registration)) if r.member.first_name == "Ana"
        )
        plan = plan_certificates(session, meeting.id, TODAY, member_ids=[ana.id])
        assert [c.name for c in plan.certificates] == ["Ana López"]
        assert plan.not_eligible == []
        stranger = plan_certificates(session, meeting.id, TODAY, member_ids=[ana.id, 99999])
    assert any("not registered" in problem for problem in stranger.problems)


def test_an_unknown_meeting_is_refused(database: Database) -> None:
    with database.session() as session, pytest.raises(DataRefused, match="no meeting"):
        plan_certificates(session, 4242, TODAY)


@pytest.mark.parametrize(
    ("meeting_format", "venue", "expected"),
    [
        (MeetingFormat.IN_PERSON, "Columbus Convention Center", "Columbus Convention Center"),
        (MeetingFormat.WEBINAR, "", "Online"),
        (MeetingFormat.WEBINAR, "Studio B", "Online"),
        (MeetingFormat.HYBRID, "Harborview Hotel", "Harborview Hotel and online"),
    ],
)
def test_location_and_learning_format_follow_the_meeting(
    database: Database, meeting_format: MeetingFormat, venue: str, expected: str
) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session, meeting_format=meeting_format, venue=venue)
        attendee(session, meeting, "Ana", "López", "MD", sessions=("Outcomes",))
        plan = plan_certificates(session, meeting.id, TODAY)
    assert meeting_location(meeting) == expected
    assert plan.meeting.location == expected
    assert plan.meeting.learning_format == "live activity"
    assert plan.meeting.provider == PROVIDER


def test_the_demo_annual_conference(demo_database: Database) -> None:
    with demo_database.session() as session:
        [annual] = [m for m in session.scalars(select(Meeting)) if "Annual" in m.title]
        plan = plan_certificates(session, annual.id, TODAY)
        choices = meeting_choices(session)
    assert plan.problems == []
    assert plan.count(CertificateKind.PHYSICIAN) > 0
    assert plan.count(CertificateKind.PARTICIPATION) > 0
    assert all(
        c.credits is not None and Decimal(0) < c.credits <= Decimal("9.00")
        for c in plan.certificates
        if c.kind is CertificateKind.PHYSICIAN
    )
    assert [c.start_date for c in choices] == sorted((c.start_date for c in choices), reverse=True)
