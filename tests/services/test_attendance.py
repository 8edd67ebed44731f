"""Attended time and credit per registration, by the AMA's arithmetic: rounding down to
the quarter, parallel sessions once, the designated cap, two devices, rejoins, session
check-ins united with online joins, overrides, and matching a Zoom report to registrants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AttendanceInterval,
    AuditEntry,
    CreditType,
    ImportBatch,
    ImportKind,
    Meeting,
    MeetingFormat,
    Registration,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.attendance import (
    AttendanceBasis,
    AttendeeCredit,
    PersonKey,
    attendance_summary,
    attendee_credit,
    record_attendance_intervals,
    set_credit_override,
)
from sro_desktop.services.checkin import check_in, mark_present
from sro_desktop.services.credits import Interval
from sro_desktop.services.registrations import cancel_registration, register
from sro_desktop.spreadsheets.zoom_report import read_zoom_csv
from tests.services.meeting_factories import agenda_item, at, meeting, person


@dataclass
class Conference:
    """An in-person day: breakfast, a keynote, two parallel tracks, lunch, a panel."""

    meeting: Meeting
    sessions: dict[str, int]
    people: dict[str, Registration]


def _conference(session: Session, *, max_credits: str = "9.00", names: int = 3) -> Conference:
    created = meeting(
        session,
        max_credits=Decimal(max_credits),
        sessions=[
            agenda_item("Breakfast", "07:30", "08:30", eligible=False),
            agenda_item("Keynote", "08:30", "09:45"),  # 75 min
            agenda_item("Track A", "10:15", "11:45", track="A"),  # 90 min
            agenda_item("Track B", "10:15", "11:45", track="B"),  # parallel
            agenda_item("Lunch", "11:45", "12:45", eligible=False),
            agenda_item("Panel", "12:45", "14:35"),  # 110 min
        ],
    )
    people = {}
    for first in ["Ana", "Ben", "Chen", "Dee", "Eli"][:names]:
        member = person(session, first, "Tester", email=f"{first.lower()}@example.org")
        people[first] = register(session, created.id, member.id, on=date(2026, 9, 1))
    return Conference(created, {s.title: s.id for s in created.sessions}, people)


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.transaction() as session:
        yield session


def _credit(session: Session, registration: Registration) -> AttendeeCredit:
    return attendee_credit(session, registration.id)


def _mark(session: Session, conference: Conference, who: str, *titles: str) -> None:
    for title in titles:
        mark_present(session, conference.people[who].id, conference.sessions[title])


# --- sessions ----------------------------------------------------------------------------


def test_marked_sessions_are_added_and_rounded_down(session: Session) -> None:
    conference = _conference(session)
    _mark(session, conference, "Ana", "Keynote", "Track A")  # 75 + 90 = 165 min
    ana = _credit(session, conference.people["Ana"])
    assert (ana.minutes, ana.credits, ana.hours) == (165, Decimal("2.75"), Decimal("2.75"))
    assert ana.basis is AttendanceBasis.SESSIONS
    _mark(session, conference, "Ben", "Keynote")  # 75 min -> 1.25
    assert _credit(session, conference.people["Ben"]).credits == Decimal("1.25")


def test_meals_and_breaks_earn_nothing(session: Session) -> None:
    conference = _conference(session)
    _mark(session, conference, "Ana", "Breakfast", "Lunch")
    ana = _credit(session, conference.people["Ana"])
    assert (ana.minutes, ana.credits) == (0, Decimal("0.00"))
    assert ana.attended  # present, just not for credit


def test_parallel_sessions_count_once(session: Session) -> None:
    conference = _conference(session)
    _mark(session, conference, "Ana", "Track A", "Track B")
    assert _credit(session, conference.people["Ana"]).minutes == 90


def test_credit_never_exceeds_the_designated_maximum(session: Session) -> None:
    conference = _conference(session, max_credits="4.00")
    _mark(session, conference, "Ana", "Keynote", "Track A", "Panel")  # 275 min = 4.5
    ana = _credit(session, conference.people["Ana"])
    assert (ana.minutes, ana.computed_credits, ana.credits) == (275, Decimal("4.00"), Decimal("4"))
    assert ana.hours == Decimal("4.50")  # hours of participation are not capped


def test_a_door_check_in_alone_counts_the_whole_programme(session: Session) -> None:
    conference = _conference(session)
    check_in(session, conference.people["Ana"].id)
    ana = _credit(session, conference.people["Ana"])
    assert ana.basis is AttendanceBasis.CHECK_IN
    assert (ana.minutes, ana.credits) == (275, Decimal("4.50"))


def test_absent_registrants_are_left_out_unless_asked_for(session: Session) -> None:
    conference = _conference(session)
    check_in(session, conference.people["Ana"].id)
    cancel_registration(session, conference.people["Chen"].id)
    attendees = attendance_summary(session, conference.meeting.id)
    assert [a.first_name for a in attendees] == ["Ana"]
    everyone = attendance_summary(session, conference.meeting.id, include_absent=True)
    assert [(a.first_name, a.minutes, a.basis) for a in everyone] == [
        ("Ana", 275, AttendanceBasis.CHECK_IN),
        ("Ben", 0, AttendanceBasis.NONE),
    ]
    assert everyone[1].to_json()["credits"] == 0.0


# --- online joins ------------------------------------------------------------------------


def _joins(*spans: tuple[str, str]) -> list[Interval]:
    return [Interval(at(start), at(end)) for start, end in spans]


def test_two_devices_at_once_count_once(session: Session) -> None:
    conference = _conference(session)
    record_attendance_intervals(
        session,
        conference.meeting.id,
        {"ana@example.org": _joins(("08:30", "09:45"), ("08:40", "09:30"))},
        "zoom",
    )
    ana = _credit(session, conference.people["Ana"])
    assert (ana.minutes, ana.credits, ana.basis) == (75, Decimal("1.25"), AttendanceBasis.ONLINE)


def test_a_rejoin_leaves_the_gap_out_and_time_outside_sessions_counts_nothing(
    session: Session,
) -> None:
    conference = _conference(session)
    # 08:00-09:00 is 30 min of keynote; dropped 09:00-09:20; 09:20-12:00 is 25 + 90.
    record_attendance_intervals(
        session,
        conference.meeting.id,
        {"ana@example.org": _joins(("08:00", "09:00"), ("09:20", "12:00"))},
        "zoom",
    )
    ana = _credit(session, conference.people["Ana"])
    assert (ana.minutes, ana.credits) == (145, Decimal("2.25"))


def test_sessions_and_joins_are_united(session: Session) -> None:
    conference = _conference(session)
    _mark(session, conference, "Ana", "Keynote")  # in the room 08:30-09:45
    record_attendance_intervals(  # then online from the hotel room, overlapping a little
        session,
        conference.meeting.id,
        {"ana@example.org": _joins(("09:30", "11:45"))},
        "zoom",
    )
    ana = _credit(session, conference.people["Ana"])
    assert ana.basis is AttendanceBasis.SESSIONS_AND_ONLINE
    assert ana.minutes == 75 + 90


def test_joins_are_matched_by_email_then_by_name(session: Session) -> None:
    conference = _conference(session, names=5)
    result = record_attendance_intervals(
        session,
        conference.meeting.id,
        {
            "BEN@example.org": _joins(("08:30", "09:00")),
            PersonKey(name="Chen Tester", email="chen.personal@gmail.example"): _joins(
                ("08:30", "09:00")
            ),
            "tester, dee": _joins(("08:30", "09:00")),
            "Dr. Eli Tester, MD": _joins(("08:30", "09:00")),
            "nobody@example.org": _joins(("08:30", "09:00")),
            "Someone Else": _joins(("08:30", "09:00")),
        },
        "zoom",
    )
    people = conference.people
    assert result.matched == {
        "BEN@example.org": people["Ben"].id,
        "chen.personal@gmail.example": people["Chen"].id,
        "tester, dee": people["Dee"].id,
        "Dr. Eli Tester, MD": people["Eli"].id,
    }
    assert result.unmatched == ["nobody@example.org", "Someone Else"]
    assert len(result.added) == 4


def test_a_name_shared_by_two_registrants_matches_neither(session: Session) -> None:
    created = meeting(session, sessions=[agenda_item("Keynote", "08:30", "09:45")])
    for email in ("ana.one@example.org", "ana.two@example.org"):
        register(session, created.id, person(session, "Ana", "López", email=email).id)
    result = record_attendance_intervals(
        session, created.id, {"Ana Lopez": _joins(("08:30", "09:00"))}, "zoom"
    )
    assert (result.ambiguous, result.matched, result.added) == (["Ana Lopez"], {}, [])


def test_recording_the_same_joins_twice_adds_nothing(session: Session) -> None:
    conference = _conference(session)
    joins = {"ana@example.org": _joins(("08:30", "09:45"))}
    batch = ImportBatch(kind=ImportKind.ATTENDANCE, file_name="zoom.csv")
    session.add(batch)
    session.flush()
    first = record_attendance_intervals(
        session, conference.meeting.id, joins, "zoom", batch_id=batch.id
    )
    again = record_attendance_intervals(session, conference.meeting.id, joins, "zoom")
    assert (len(first.added), len(again.added), again.duplicates) == (1, 0, 1)
    stored = session.scalars(select(AttendanceInterval)).all()
    assert [(row.source, row.import_batch_id) for row in stored] == [("zoom", batch.id)]


ZOOM_REPORT = """\
Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,
81234567890,Standards Update,09/24/2026 11:55:02 AM,09/24/2026 01:31:40 PM,host@sro.org,96,4,

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room
Ana Tester,ana@example.org,09/24/2026 11:58:11 AM,09/24/2026 12:40:00 PM,42,Yes,No
Ana Tester,ana@example.org,09/24/2026 12:47:40 PM,09/24/2026 01:31:05 PM,44,Yes,No
Ben Tester,ben@example.org,09/24/2026 12:00:00 PM,09/24/2026 01:30:00 PM,90,Yes,No
Ben's iPhone (Ben Tester),,09/24/2026 12:30:00 PM,09/24/2026 01:00:00 PM,30,Yes,No
"Tester, Chen",,09/24/2026 11:50:00 AM,09/24/2026 12:01:00 PM,11,Yes,Yes
"Tester, Chen",,09/24/2026 12:01:00 PM,09/24/2026 12:59:30 PM,58,Yes,No
"""


def test_a_zoom_report_becomes_credit_for_a_webinar(session: Session, tmp_path: Path) -> None:
    created = meeting(
        session,
        title="Standards Update",
        meeting_format=MeetingFormat.WEBINAR,
        max_credits=Decimal("1.50"),
        sessions=[agenda_item("Standards Update", "12:00", "13:30")],
    )
    registrations = {
        first: register(
            session, created.id, person(session, first, "Tester", email=f"{first}@example.org").id
        )
        for first in ("ana", "ben", "chen")
    }
    report_file = tmp_path / "participants.csv"
    report_file.write_text(ZOOM_REPORT, encoding="utf-8")
    # Keyed by Zoom's raw name and email, so "Ben's iPhone (Ben Tester)" finds Ben.
    people: dict[str | PersonKey, list[Interval]] = defaultdict(list)
    for join in read_zoom_csv(report_file).rows:
        people[PersonKey(join.name, join.email)].append(Interval(join.joined_at, join.left_at))
    result = record_attendance_intervals(session, created.id, people, "zoom")
    assert result.unmatched == [] and result.ambiguous == []
    assert len(set(result.matched.values())) == 3
    credit = {
        name: (a.minutes, a.credits)
        for name, r in registrations.items()
        for a in [attendee_credit(session, r.id)]
    }
    assert credit == {
        "ana": (82, Decimal("1.25")),  # 12:00-12:40 and 12:47:40-13:30: 82 min 20 s
        "ben": (90, Decimal("1.50")),  # the phone's half hour lies inside the laptop's
        "chen": (58, Decimal("0.75")),  # the waiting room is not attendance: 12:01-12:59:30
    }


# --- attendance hours and no credit --------------------------------------------------------


def test_attendance_hours_only_are_uncapped_hours(session: Session) -> None:
    created = meeting(
        session,
        credit_type=CreditType.ATTENDANCE,
        sessions=[agenda_item("Workshop", "09:00", "16:10")],
    )
    registration = register(session, created.id, person(session, "Ana", "López").id)
    check_in(session, registration.id)
    ana = _credit(session, registration)
    assert (ana.credit_type, ana.minutes, ana.credits, ana.hours) == (
        CreditType.ATTENDANCE,
        430,
        Decimal("7.00"),
        Decimal("7.00"),
    )


def test_a_meeting_without_credit_gives_none_but_keeps_the_hours(session: Session) -> None:
    created = meeting(
        session, credit_type=CreditType.NONE, sessions=[agenda_item("Social", "18:00", "19:00")]
    )
    registration = register(session, created.id, person(session, "Ana", "López").id)
    check_in(session, registration.id)
    ana = _credit(session, registration)
    assert (ana.credits, ana.hours) == (Decimal("0.00"), Decimal("1.00"))
    with pytest.raises(DataRefused, match="offers no credit"):
        set_credit_override(session, registration.id, Decimal("1"), "asked")


# --- overrides ---------------------------------------------------------------------------


def test_an_override_wins_and_is_recorded_with_its_reason(database: Database) -> None:
    with database.transaction() as session:
        conference = _conference(session)
        check_in(session, conference.people["Ana"].id)
        ana_id = conference.people["Ana"].id
    with database.transaction(action="Override credits") as session:
        set_credit_override(session, ana_id, Decimal("2.5"), "  left after lunch  ")
    with database.session() as session:
        ana = attendee_credit(session, ana_id)
        assert (ana.computed_credits, ana.credits, ana.overridden) == (
            Decimal("4.50"),
            Decimal("2.50"),
            True,
        )
        assert ana.override_reason == "left after lunch"
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "registrations",
                AuditEntry.row_id == ana_id,
                AuditEntry.user_action == "Override credits",
            )
        ).one()
        assert entry.new_values == {
            "credits_override": "2.50",
            "credits_override_reason": "left after lunch",
        }
    with database.transaction() as session:
        set_credit_override(session, ana_id, None, "")
        assert attendee_credit(session, ana_id).credits == Decimal("4.50")


@pytest.mark.parametrize(
    ("credits", "reason", "message"),
    [
        (Decimal("2"), " ", "Say why"),
        (Decimal("2.1"), "partial", "multiple of 0.25"),
        (Decimal("-1"), "partial", "multiple of 0.25"),
        (Decimal("9.25"), "extra", "more than the 9.00 credits designated"),
    ],
)
def test_impossible_overrides_are_refused(
    session: Session, credits: Decimal, reason: str, message: str
) -> None:
    conference = _conference(session)
    with pytest.raises(DataRefused, match=message):
        set_credit_override(session, conference.people["Ana"].id, credits, reason)


def test_an_override_alone_makes_an_attendee(session: Session) -> None:
    conference = _conference(session)
    set_credit_override(session, conference.people["Ben"].id, Decimal("1"), "sign-in sheet")
    [ben] = attendance_summary(session, conference.meeting.id)
    assert (ben.first_name, ben.minutes, ben.credits) == ("Ben", 0, Decimal("1.00"))
    assert ben.to_json()["credits"] == 1.0
