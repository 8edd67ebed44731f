"""Check-in at the door: finding a registrant as you type, checking in and undoing it,
the running count, waitlisted and cancelled people, and per-session attendance."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sro_desktop.db.database import Database
from sro_desktop.db.models import RegistrationStatus
from sro_desktop.errors import DataRefused
from sro_desktop.services.checkin import (
    check_in,
    check_in_member,
    checkin_counts,
    checkin_rows,
    mark_present,
    present_at_session,
    search_registrants,
    undo_check_in,
    unmark_present,
)
from sro_desktop.services.meetings import add_session
from sro_desktop.services.registrations import cancel_registration, register
from tests.services.meeting_factories import DAY, agenda_item, meeting, person


def _names(rows: list[object]) -> list[str]:
    return [row.full_name for row in rows]  # type: ignore[attr-defined]


def test_search_finds_any_part_of_the_name_or_email(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        for first, last, email in [
            ("José", "Martínez", "jm@keystone.example.org"),
            ("Siobhan", "O'Brien", "sob@penn.example.org"),
            ("Ana", "López", "ana.lopez@penn.example.org"),
            ("Anand", "Shah", "ashah@clearwater.example.org"),
            ("Dmitri", "Ivanov", "divanov@keystone.example.org"),
        ]:
            register(session, created.id, person(session, first, last, email=email).id, on=DAY)
        rows = checkin_rows(session, created.id)

    assert _names(search_registrants(rows, "jose")) == ["José Martínez"]
    assert _names(search_registrants(rows, "MARTI")) == ["José Martínez"]
    assert _names(search_registrants(rows, "obrien")) == ["Siobhan O'Brien"]
    assert _names(search_registrants(rows, "o'bri")) == ["Siobhan O'Brien"]
    assert _names(search_registrants(rows, "keystone")) == ["Dmitri Ivanov", "José Martínez"]
    assert _names(search_registrants(rows, "ana penn")) == ["Ana López"]
    # Names starting with what is typed come before names merely containing it.
    assert _names(search_registrants(rows, "an")) == [
        "Ana López",
        "Anand Shah",
        "Dmitri Ivanov",
        "Siobhan O'Brien",
    ]
    assert search_registrants(rows, "zzz") == []
    assert len(search_registrants(rows, "  ")) == 5


def test_check_in_then_undo(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        ana = register(session, created.id, person(session, "Ana", "López").id, on=DAY)
        register(session, created.id, person(session, "Ben", "Kim").id, on=DAY)
        arrived = datetime(2026, 9, 24, 12, 5, tzinfo=UTC)
        check_in(session, ana.id, at=arrived)
        assert ana.checked_in_at == arrived
        assert checkin_counts(session, created.id).checked_in == 1
        with pytest.raises(DataRefused, match="already checked in at"):
            check_in(session, ana.id)
        undo_check_in(session, ana.id)
        assert ana.checked_in_at is None
        counts = checkin_counts(session, created.id)
        assert (counts.checked_in, counts.registered) == (0, 2)
        with pytest.raises(DataRefused, match="is not checked in"):
            undo_check_in(session, ana.id)


def test_waitlisted_people_are_admitted_only_on_purpose(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session, capacity=1)
        register(session, created.id, person(session, "Ana", "López").id, on=DAY)
        waiting = register(session, created.id, person(session, "Ben", "Kim").id, on=DAY)
        with pytest.raises(DataRefused, match=r"on the waitlist \(place 1\)"):
            check_in(session, waiting.id)
        check_in(session, waiting.id, admit_from_waitlist=True)
        assert waiting.status is RegistrationStatus.REGISTERED
        assert waiting.checked_in_at is not None
        counts = checkin_counts(session, created.id)
        assert (counts.checked_in, counts.registered, counts.waitlisted) == (1, 2, 0)


def test_cancelled_people_are_refused_and_listed_last(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        gone = register(session, created.id, person(session, "Aaron", "Adams").id, on=DAY)
        register(session, created.id, person(session, "Zack", "Adams").id, on=DAY)
        cancel_registration(session, gone.id)
        with pytest.raises(DataRefused, match="was cancelled on"):
            check_in(session, gone.id)
        rows = checkin_rows(session, created.id)
        assert _names(search_registrants(rows, "adams")) == ["Zack Adams", "Aaron Adams"]


def test_check_in_by_member_number(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        ana = person(session, "Ana", "López")
        stranger = person(session, "Ben", "Kim")
        register(session, created.id, ana.id, on=DAY)
        assert check_in_member(session, created.id, ana.id).checked_in_at is not None
        with pytest.raises(DataRefused, match="Ben Kim is not registered"):
            check_in_member(session, created.id, stranger.id)


def test_marking_a_session_checks_the_person_in(database: Database) -> None:
    with database.transaction() as session:
        created = meeting(session)
        other = meeting(session, title="Other")
        keynote = add_session(session, created.id, agenda_item("Keynote", "09:00", "10:00"))
        elsewhere = add_session(session, other.id, agenda_item("Elsewhere", "09:00", "10:00"))
        ana = register(session, created.id, person(session, "Ana", "López").id, on=DAY)
        mark_present(session, ana.id, keynote.id)
        assert ana.checked_in_at is not None
        assert set(present_at_session(session, keynote.id)) == {ana.id}
        with pytest.raises(DataRefused, match="already marked present"):
            mark_present(session, ana.id, keynote.id)
        with pytest.raises(DataRefused, match="not part of the meeting"):
            mark_present(session, ana.id, elsewhere.id)
        unmark_present(session, ana.id, keynote.id)
        assert present_at_session(session, keynote.id) == {}
        with pytest.raises(DataRefused, match="not marked present"):
            unmark_present(session, ana.id, keynote.id)
