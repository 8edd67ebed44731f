"""Zoom participants reports in the shapes Zoom really exports, read from real CSV files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.zoom_report import (
    RowProblem,
    ZoomJoin,
    group_by_person,
    parse_zoom_rows,
    read_zoom_csv,
)

# The classic export with "Add meeting information" ticked: a two-line block, a blank
# line, then the participants. Ana rejoins after a drop; Ben joins from laptop and phone.
WITH_PREAMBLE = """\
Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,
81234567890,Spring CME Webinar,03/04/2026 08:55:02 AM,03/04/2026 12:01:40 PM,host@sro.org,187,4,

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room
Ana Lopez (Ana María López),ana@hospital.org,03/04/2026 09:02:11 AM,03/04/2026 10:15:00 AM,73,Yes,No
Ana Lopez (Ana María López),ANA@hospital.org,03/04/2026 10:21:40 AM,03/04/2026 12:00:05 PM,99,Yes,No
Ben Ode,ben@school.edu,03/04/2026 09:00:00 AM,03/04/2026 12:00:00 PM,180,Yes,No
Ben's iPhone (Ben Ode),ben@school.edu,03/04/2026 09:30:00 AM,03/04/2026 10:00:00 AM,30,Yes,No
"Reyes, Carla",,03/04/2026 08:58:00 AM,03/04/2026 09:01:00 AM,3,Yes,Yes
"Reyes, Carla",,03/04/2026 09:01:00 AM,03/04/2026 11:45:00 AM,164,Yes,No
"""

# Newer exports: lower-case headers, "Email", seconds dropped, and no meeting block.
WITHOUT_PREAMBLE = """\
Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,Recording consent
Dee Park,dee@ed.com,3/4/2026 9:02,3/4/2026 10:30,88,No,Y
Eli  Stone ,,2026-03-04 09:10:00,2026-03-04 11:00:00,110,Yes,
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "report.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def test_a_report_with_the_meeting_block(tmp_path: Path) -> None:
    report = read_zoom_csv(write(tmp_path, WITH_PREAMBLE))

    assert report.topic == "Spring CME Webinar"
    assert report.meeting_id == "81234567890"
    assert report.problems == ()
    first = report.rows[0]
    assert first == ZoomJoin(
        row_number=5,
        name="Ana Lopez (Ana María López)",
        email="ana@hospital.org",
        joined_at=datetime(2026, 3, 4, 9, 2, 11),
        left_at=datetime(2026, 3, 4, 10, 15),
    )
    assert report.rows[1].left_at == datetime(2026, 3, 4, 12, 0, 5)


def test_waiting_room_time_is_not_attendance(tmp_path: Path) -> None:
    report = read_zoom_csv(write(tmp_path, WITH_PREAMBLE))
    carla = [row for row in report.rows if row.name == "Reyes, Carla"]
    assert [(row.row_number, row.joined_at.minute) for row in carla] == [(10, 1)]


def test_rejoins_and_second_devices_are_grouped_per_person(tmp_path: Path) -> None:
    people = group_by_person(read_zoom_csv(write(tmp_path, WITH_PREAMBLE)))

    assert set(people) == {"ana@hospital.org", "ben@school.edu", "reyes, carla"}
    assert [row.row_number for row in people["ana@hospital.org"]] == [5, 6]
    assert [row.row_number for row in people["ben@school.edu"]] == [7, 8]


def test_a_report_without_the_meeting_block(tmp_path: Path) -> None:
    report = read_zoom_csv(write(tmp_path, WITHOUT_PREAMBLE))

    assert (report.topic, report.meeting_id, report.problems) == (None, None, ())
    dee, eli = report.rows
    assert (dee.row_number, dee.email) == (2, "dee@ed.com")
    assert dee.joined_at == datetime(2026, 3, 4, 9, 2)
    assert (eli.email, eli.left_at) == (None, datetime(2026, 3, 4, 11, 0))
    assert set(group_by_person(report)) == {"dee@ed.com", "eli stone"}


def test_a_byte_order_mark_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    report = read_zoom_csv(write(tmp_path, WITH_PREAMBLE, encoding="utf-8-sig"))
    assert report.meeting_id == "81234567890"
    assert len(report.rows) == 5


def test_a_file_saved_by_excel_in_windows_1252(tmp_path: Path) -> None:
    text = WITHOUT_PREAMBLE + "Zoë Müller,zoe@klinik.de,3/4/2026 9:05,3/4/2026 9:50,45,No,Y\n"
    report = read_zoom_csv(write(tmp_path, text, encoding="cp1252"))
    assert report.rows[-1].name == "Zoë Müller"
    assert report.problems == ()


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    text = WITH_PREAMBLE.replace(",", "\t").replace('"Reyes\t Carla"', "Carla Reyes")
    report = read_zoom_csv(write(tmp_path, text, encoding="utf-16"))
    assert report.topic == "Spring CME Webinar"
    assert [row.name for row in report.rows][-1] == "Carla Reyes"


def test_the_meeting_block_in_the_newer_layout(tmp_path: Path) -> None:
    text = (
        "Topic,ID,Duration (minutes),Start time,End time,Participants\n"
        'Ethics Hour,"812 3456 7890",60,03/04/2026 05:55:00 PM,03/04/2026 07:00:00 PM,1\n'
        ",,,,,\n"
        "Name (original name),Email,Join time,Leave time,Duration (minutes),Guest\n"
        "Fay Lin,fay@x.org,03/04/2026 06:00:00 PM,03/04/2026 07:00:00 PM,60,No\n"
    )
    report = read_zoom_csv(write(tmp_path, text))
    assert (report.topic, report.meeting_id) == ("Ethics Hour", "812 3456 7890")
    assert report.rows[0].joined_at == datetime(2026, 3, 4, 18, 0)


def test_a_webinar_report_in_sections_skips_no_shows(tmp_path: Path) -> None:
    text = (
        "Attendee Report,\n"
        "Report Generated:,03/05/2026 08:00 AM\n"
        "Topic,Webinar ID,Actual Start Time\n"
        'Grand Rounds,123 456 789,"Mar 4, 2026 6:00 PM"\n'
        "Host Details,\n"
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes)\n"
        '"Yes",Host,host@sro.org,"Mar 4, 2026 5:50 PM","Mar 4, 2026 7:05 PM",75\n'
        "Attendee Details,\n"
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes)\n"
        'Yes,Gil,gil@x.org,"Mar 4, 2026 18:02:00","Mar 4, 2026 18:58:00",56\n'
        "No,Hal,hal@x.org,--,--,--\n"
    )
    report = read_zoom_csv(write(tmp_path, text))
    assert (report.topic, report.meeting_id) == ("Grand Rounds", "123 456 789")
    assert [(row.row_number, row.name) for row in report.rows] == [(7, "Host"), (10, "Gil")]
    assert report.rows[0].joined_at == datetime(2026, 3, 4, 17, 50)
    assert report.problems == ()


def test_day_first_dates_are_recognised_for_the_whole_file(tmp_path: Path) -> None:
    text = (
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "Ivy,ivy@x.org,04/03/2026 09:00:00,04/03/2026 10:00:00,60,No\n"
        "Jon,jon@x.org,19/03/2026 09:00:00,19/03/2026 10:00:00,60,No\n"
    )
    ivy, jon = read_zoom_csv(write(tmp_path, text)).rows
    assert ivy.joined_at == datetime(2026, 3, 4, 9, 0)
    assert jon.joined_at == datetime(2026, 3, 19, 9, 0)


def test_semicolon_separated_export(tmp_path: Path) -> None:
    text = WITHOUT_PREAMBLE.replace(",", ";")
    assert len(read_zoom_csv(write(tmp_path, text)).rows) == 2


def test_bad_rows_are_reported_with_row_column_and_value(tmp_path: Path) -> None:
    text = WITH_PREAMBLE + (
        "Kim Bad,kim@x.org,03/04/2026 25:61:00 AM,03/04/2026 10:00:00 AM,0,No,No\n"
        "Lee Back,lee@x.org,03/04/2026 11:00:00 AM,03/04/2026 10:00:00 AM,0,No,No\n"
        "Mo Empty,mo@x.org,,03/04/2026 10:00:00 AM,0,No,No\n"
        ",,03/04/2026 09:00:00 AM,03/04/2026 10:00:00 AM,60,Yes,No\n"
    )
    report = read_zoom_csv(write(tmp_path, text))

    assert len(report.rows) == 5
    bad_time, backwards, empty, nobody = report.problems
    assert (bad_time.row, bad_time.column, bad_time.value) == (
        11,
        "Join Time",
        "03/04/2026 25:61:00 AM",
    )
    assert "not a date and time" in bad_time.message
    assert (backwards.row, backwards.column, backwards.value) == (
        12,
        "Leave Time",
        "03/04/2026 10:00:00 AM",
    )
    assert "before the join time" in backwards.message
    assert (empty.row, empty.column, empty.value) == (13, "Join Time", "")
    assert (nobody.row, nobody.column) == (14, "Name (Original Name)")
    assert str(bad_time).startswith("Row 11, Join Time “03/04/2026 25:61:00 AM”: ")


def test_a_csv_that_is_not_a_zoom_report_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "First Name,Last Name,Email\nAna,Lopez,ana@x.org\n", name="members.csv")
    with pytest.raises(UnusableInput, match=r"“members\.csv” does not look like a Zoom"):
        read_zoom_csv(path)


def test_the_unique_users_export_is_refused_with_what_to_untick(tmp_path: Path) -> None:
    text = "Name (Original Name),User Email,Total Duration (Minutes),Guest\nAna,ana@x.org,75,\n"
    with pytest.raises(UnusableInput, match="Show unique users"):
        read_zoom_csv(write(tmp_path, text))


def test_empty_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="does not look like"):
        read_zoom_csv(write(tmp_path, ""))
    with pytest.raises(UnusableInput, match="could not be opened"):
        read_zoom_csv(tmp_path / "gone.csv")


def test_raw_rows_from_a_spreadsheet_reader() -> None:
    rows: list[list[object]] = [
        ["Name (Original Name)", "User Email", "Join Time", "Leave Time"],
        ["Nia", None, datetime(2026, 3, 4, 9, 0), datetime(2026, 3, 4, 10, 0)],
        ["Oz", "oz@x.org", "03/04/2026 09:00:00 AM", None],
    ]
    report = parse_zoom_rows("webinar.xlsx", rows)
    assert report.rows == (
        ZoomJoin(2, "Nia", None, datetime(2026, 3, 4, 9, 0), datetime(2026, 3, 4, 10, 0)),
    )
    assert report.problems == (
        RowProblem(3, "Leave Time", "", "This is empty; every row needs a join and a leave time."),
    )
