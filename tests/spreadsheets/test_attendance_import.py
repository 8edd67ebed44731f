"""Importing attendance: a Zoom participants report and a sign-in sheet."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import AttendanceInterval, ImportKind, Registration
from sro_desktop.services.import_batches import undo_batch
from sro_desktop.services.registrations import register
from sro_desktop.spreadsheets.attendance_import import (
    is_zoom_report,
    parse_sign_in_rows,
    read_zoom_report,
)
from sro_desktop.spreadsheets.column_mapping import suggest_mapping
from sro_desktop.spreadsheets.import_runner import (
    import_sign_in_sheet,
    import_zoom_report,
    read_for_import,
)
from tests.services.meeting_factories import DAY, agenda_item, meeting, person
from tests.spreadsheets.import_files import write_csv, write_rows

# Ana rejoins after a drop; Ben joins from his laptop and his phone; the host is not
# registered.
ZOOM = """\
Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,
81234567890,Annual Conference,09/24/2026 08:55:02 AM,09/24/2026 12:01:40 PM,host@sro.org,187,4,

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room
Ana Lopez (Ana María López),ana@hospital.org,09/24/2026 09:02:11 AM,09/24/2026 10:15:00 AM,73,Yes,No
Ana Lopez (Ana María López),ANA@hospital.org,09/24/2026 10:21:40 AM,09/24/2026 12:00:05 PM,99,Yes,No
Ben Ode,ben@school.edu,09/24/2026 09:00:00 AM,09/24/2026 12:00:00 PM,180,Yes,No
Ben's iPhone (Ben Ode),,09/24/2026 09:30:00 AM,09/24/2026 10:00:00 AM,30,Yes,No
Host Account,host@sro.org,09/24/2026 08:55:02 AM,09/24/2026 12:01:40 PM,187,No,No
"""


@pytest.fixture
def meeting_id(database: Database) -> int:
    with database.transaction() as session:
        found = meeting(session, sessions=[agenda_item("Morning", "09:00", "12:00")])
        for first, last, email in (
            ("Ana", "Lopez", "ana@hospital.org"),
            ("Ben", "Ode", "ben@school.edu"),
            ("Cai", "Wu", "cai@example.org"),
        ):
            member = person(session, first, last, email=email)
            register(session, found.id, member.id, on=DAY)
        return found.id


def _intervals(database: Database) -> list[tuple[str, datetime, datetime]]:
    with database.session() as session:
        rows = session.scalars(select(AttendanceInterval).order_by(AttendanceInterval.joined_at))
        return [(r.registration.member.email or "", r.joined_at, r.left_at) for r in rows]


def test_a_zoom_report_counts_rejoins_and_second_devices_once(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "participants.csv", ZOOM)
    assert is_zoom_report(path)
    report = read_zoom_report(path)

    refused = import_zoom_report(database, path.name, report, meeting_id)
    assert not refused.written
    [problem] = refused.errors
    assert problem.row == 9 and "Host Account is not registered" in problem.message

    done = import_zoom_report(database, path.name, report, meeting_id, skip_invalid=True)

    assert done.written
    assert done.details["people"] == 2
    assert done.duplicates == 2  # Ana's rejoin and Ben's phone
    assert done.created == 4
    assert done.summary().startswith(
        "Imported participants.csv: 4 new times in the meeting (2 people), 0 updated"
    )
    assert [email for email, *_ in _intervals(database)] == [
        "ben@school.edu",
        "ana@hospital.org",
        "ben@school.edu",
        "ana@hospital.org",
    ]
    again = import_zoom_report(database, path.name, report, meeting_id, skip_invalid=True)
    assert (again.created, again.unchanged) == (0, 4)

    assert done.batch_id is not None
    with database.transaction() as session:
        result = undo_batch(session, done.batch_id)
    assert result.removed["attendance_intervals"] == 4
    assert _intervals(database) == []


def test_a_sign_in_sheet_checks_people_in(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "sign-in.xlsx",
        [
            ["Annual Conference — sign-in sheet"],
            [],
            ["Name", "Email", "Signature", "Time In", "Time Out"],
            ["Ana Lopez", None, "A. Lopez", time(8, 50), time(12, 5)],
            ["Ben Ode", "ben@school.edu", None, None, None],
            ["Cai Wu", "CAI@example.org", "x", None, None],
            ["Dan Fox", "dan@example.org", "DF", None, None],
        ],
    )
    assert not is_zoom_report(path)
    table = read_for_import(path)
    mapping = suggest_mapping(table.headers, ImportKind.ATTENDANCE)
    assert mapping.fields == {
        "Name": "full_name",
        "Email": "email",
        "Signature": "signed_in",
        "Time In": "joined_at",
        "Time Out": "left_at",
    }
    report = import_sign_in_sheet(
        database, parse_sign_in_rows(table, mapping), meeting_id, skip_invalid=True
    )

    assert (report.created, report.skipped) == (2, 1)
    assert ": 2 check-ins, 0 updated" in report.summary()
    assert "Dan Fox is not registered" in report.errors[0].message
    with database.session() as session:
        checked = {r.member.email: r.checked_in_at for r in session.scalars(select(Registration))}
    assert checked["ben@school.edu"] is None  # did not sign
    assert checked["ana@hospital.org"] is not None
    assert checked["cai@example.org"] is not None
    assert _intervals(database) == [
        ("ana@hospital.org", datetime.combine(DAY, time(8, 50)), datetime.combine(DAY, time(12, 5)))
    ]

    assert report.batch_id is not None
    with database.transaction() as session:
        undo_batch(session, report.batch_id)
    with database.session() as session:
        assert all(r.checked_in_at is None for r in session.scalars(select(Registration)))
    assert _intervals(database) == []
