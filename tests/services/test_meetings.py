"""Meetings: details and their checks, credit designation and joint providership, fees by
category and date, the agenda with parallel tracks, and the meetings list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sro_desktop.db.database import Database
from sro_desktop.db.models import CreditType, MeetingFormat, RegistrationCategory
from sro_desktop.errors import DataRefused
from sro_desktop.services.meetings import (
    FeeInput,
    MeetingInput,
    add_session,
    credit_description,
    delete_session,
    designation_warning,
    eligible_minutes,
    fee_for,
    meeting_rows,
    set_fees,
    update_meeting,
    update_session,
)
from sro_desktop.services.organization import organization_settings
from tests.services.meeting_factories import DAY, agenda_item, at, meeting, person

MEMBER = RegistrationCategory.MEMBER
NON_MEMBER = RegistrationCategory.NON_MEMBER
STUDENT = RegistrationCategory.STUDENT
SPEAKER = RegistrationCategory.SPEAKER


def test_a_new_meeting_keeps_what_was_entered(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, capacity=150, end_date=date(2026, 9, 25))
        meeting_id = created.id
    with database.session() as session:
        [row] = meeting_rows(session)
    assert row.id == meeting_id
    assert (row.title, row.start_date, row.end_date) == (
        "Annual Conference",
        DAY,
        date(2026, 9, 25),
    )
    assert row.capacity == 150
    assert row.credit_type is CreditType.AMA_PRA_1
    assert row.max_credits == Decimal("9.00")
    assert row.credit_label == "9.00 AMA PRA Category 1 Credits™"
    assert (row.registered, row.waitlisted, row.checked_in) == (0, 0, 0)


def test_end_date_defaults_to_the_start(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, credit_type=CreditType.ATTENDANCE)
        assert created.end_date == created.start_date
        assert created.accredited_provider == ""
        assert created.max_credits is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "   "}, "needs a title"),
        ({"end_date": date(2026, 9, 23)}, "ends .* before it starts"),
        ({"capacity": 0}, "capacity of 0"),
        ({"early_bird_deadline": date(2026, 10, 1)}, "early-bird deadline .* after"),
        ({"accredited_provider": ""}, "name the provider"),
        ({"max_credits": None}, "maximum number of AMA PRA"),
        ({"max_credits": Decimal("1.1")}, "steps of 0.25"),
    ],
)
def test_impossible_details_are_refused(
    database: Database, change: dict[str, object], message: str
) -> None:
    details: dict[str, object] = {
        "title": "Webinar",
        "start_date": DAY,
        "credit_type": CreditType.AMA_PRA_1,
        "accredited_provider": "Keystone Medical Education, LLC",
        "max_credits": Decimal("1.5"),
        **change,
    }
    with database.transaction() as session:
        created = meeting(session, credit_type=CreditType.ATTENDANCE)
        with pytest.raises(DataRefused, match=message):
            update_meeting(session, created.id, MeetingInput(**details))  # type: ignore[arg-type]


def test_provider_other_than_the_organization_means_joint_providership(
    database: Database,
) -> None:
    with database.transaction() as session:
        settings = organization_settings(session)
        settings.name, settings.short_name = "Tri-State Alliance for CME", "TSACME"
        joint = meeting(session, provider="Keystone Medical Education, LLC")
        direct = meeting(session, title="Own", provider="tri-state alliance for cme")
        short = meeting(session, title="Short", provider="TSACME")
        assert joint.joint_providership
        assert not direct.joint_providership
        assert not short.joint_providership


def test_switching_to_attendance_hours_drops_the_designation(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        update_meeting(
            session,
            created.id,
            MeetingInput(
                title="Annual Conference",
                start_date=DAY,
                credit_type=CreditType.ATTENDANCE,
                accredited_provider="ignored",
                max_credits=Decimal("9"),
            ),
        )
        assert (created.accredited_provider, created.max_credits) == ("", None)
        assert not created.joint_providership
        assert credit_description(created.credit_type, None) == "Attendance hours only"


# --- fees ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "on", "expected"),
    [
        (MEMBER, date(2026, 8, 1), "236.00"),  # early bird
        (MEMBER, date(2026, 8, 25), "236.00"),  # the deadline day itself is early
        (MEMBER, date(2026, 8, 26), "295.00"),
        (NON_MEMBER, date(2026, 7, 1), "316.00"),
        (NON_MEMBER, date(2026, 9, 24), "395.00"),
        (STUDENT, date(2026, 7, 1), "95.00"),  # no early-bird price: the regular one
        (SPEAKER, date(2026, 7, 1), "0.00"),
    ],
)
def test_fee_by_category_and_date(
    database: Database, category: RegistrationCategory, on: date, expected: str
) -> None:
    with database.transaction() as session:
        created = meeting(session)
        assert fee_for(created, category, on) == Decimal(expected)


def test_a_category_without_a_fee_is_refused_but_speakers_are_complimentary(
    database: Database,
) -> None:
    with database.transaction() as session:
        created = meeting(session, fees=[FeeInput(MEMBER, Decimal("50"))])
        with pytest.raises(DataRefused, match="has no student fee"):
            fee_for(created, STUDENT, DAY)
        assert fee_for(created, SPEAKER, DAY) == Decimal("0.00")
        free = meeting(session, title="Free webinar", fees=[])
        assert fee_for(free, NON_MEMBER, DAY) == Decimal("0.00")


def test_fees_are_replaced_as_a_set(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        set_fees(
            session,
            created,
            [FeeInput(MEMBER, Decimal("300")), FeeInput(STUDENT, Decimal("50"), Decimal("40"))],
        )
        fees = {fee.category: (fee.fee, fee.early_bird_fee) for fee in created.fees}
    assert fees == {
        MEMBER: (Decimal("300.00"), None),
        STUDENT: (Decimal("50.00"), Decimal("40.00")),
    }


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        (FeeInput(MEMBER, Decimal("-1")), "not possible"),
        (FeeInput(MEMBER, Decimal("10.005")), "fraction of a cent"),
        (FeeInput(MEMBER, Decimal("100"), Decimal("120")), "is a discount"),
    ],
)
def test_impossible_fees_are_refused(database: Database, fee: FeeInput, message: str) -> None:
    with database.transaction() as session:
        created = meeting(session)
        with pytest.raises(DataRefused, match=message):
            set_fees(session, created, [fee])


def test_an_early_bird_price_needs_a_deadline(database: Database) -> None:
    with (
        database.transaction() as session,
        pytest.raises(DataRefused, match="no early-bird deadline"),
    ):
        meeting(session, early_bird_deadline=None)


# --- the agenda ------------------------------------------------------------------------


def test_parallel_tracks_count_once_in_the_eligible_time(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(
            session,
            sessions=[
                agenda_item("Breakfast", "07:30", "08:30", eligible=False),
                agenda_item("Keynote", "08:30", "09:45"),
                agenda_item("Track A", "10:15", "11:45", track="A"),
                agenda_item("Track B", "10:15", "11:45", track="B"),
                agenda_item("Lunch", "11:45", "12:45", eligible=False),
            ],
        )
        assert eligible_minutes(created) == 75 + 90
        assert designation_warning(created) is not None  # 9 credits on 2 h 45 min
        created.max_credits = Decimal("2.75")
        assert designation_warning(created) is None


def test_a_session_must_end_after_it_starts_and_fall_within_the_meeting(
    database: Database,
) -> None:
    with database.transaction() as session:
        created = meeting(session)
        with pytest.raises(DataRefused, match=r"ends .* before it starts"):
            add_session(session, created.id, agenda_item("Keynote", "10:00", "09:00"))
        with pytest.raises(DataRefused, match="outside the meeting's dates"):
            add_session(
                session, created.id, agenda_item("Day two", "09:00", "10:00", day=date(2026, 9, 25))
            )
        item = add_session(session, created.id, agenda_item("Keynote", "09:00", "10:00"))
        update_session(session, item.id, agenda_item("Keynote", "09:00", "10:30", track=" A "))
        assert (item.ends_at, item.track) == (at("10:30"), "A")


def test_moving_the_meeting_away_from_its_agenda_is_refused(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, credit_type=CreditType.ATTENDANCE)
        add_session(session, created.id, agenda_item("Keynote", "09:00", "10:00"))
        with pytest.raises(DataRefused, match="outside the new dates"):
            update_meeting(
                session,
                created.id,
                MeetingInput(title="Moved", start_date=date(2026, 10, 1)),
            )


def test_deleting_a_session_with_attendance_needs_confirmation(database: Database) -> None:
    from sro_desktop.services.checkin import mark_present
    from sro_desktop.services.registrations import register

    with database.transaction() as session:
        created = meeting(session)
        item = add_session(session, created.id, agenda_item("Keynote", "09:00", "10:00"))
        someone = person(session, "Ana", "López")
        registration = register(session, created.id, someone.id, on=DAY)
        mark_present(session, registration.id, item.id)
        with pytest.raises(DataRefused, match="1 person is marked present"):
            delete_session(session, item.id)
        delete_session(session, item.id, with_attendance=True)
        assert created.sessions == []
        assert registration.session_attendance == []


def test_meetings_list_counts_registrations(database: Database) -> None:
    from sro_desktop.services.checkin import check_in
    from sro_desktop.services.registrations import cancel_registration, register

    with database.transaction() as session:
        created = meeting(session, capacity=2, meeting_format=MeetingFormat.HYBRID)
        people = [person(session, "P", str(n)) for n in range(4)]
        registrations = [register(session, created.id, p.id, on=DAY) for p in people]
        check_in(session, registrations[0].id)
        cancel_registration(session, registrations[1].id)
    with database.session() as session:
        [row] = meeting_rows(session)
    # One cancelled; its place went to the first on the waitlist; one still waits.
    assert (row.registered, row.waitlisted, row.cancelled, row.checked_in) == (2, 1, 1, 1)
    assert row.to_json()["format"] == "hybrid"
