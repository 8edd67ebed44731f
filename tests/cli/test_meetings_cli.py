"""The meeting commands end to end on a real database file: add a meeting, register people
until the waitlist starts, cancel, check in and undo, and read attendance and credits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sro_desktop.app import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> Any:
    """Run a command that must succeed and print JSON; return the parsed JSON."""
    code, out, err = run(capsys, "--db", str(db), *argv)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_a_webinar_from_creation_to_credits(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    db = str(demo_path)
    meeting = cli(
        capsys,
        demo_path,
        "meetings", "add", "--title", "Standards Update", "--start", "2026-12-10",
        "--starts-at", "12:00", "--ends-at", "13:30", "--format", "webinar",
        "--capacity", "2", "--credits", "1.5", "--provider", "Keystone Medical Education, LLC",
        "--fee", "member=0", "--fee", "non-member=35",
        "--json",
    )  # fmt: skip
    assert meeting["title"] == "Standards Update"
    assert (meeting["format"], meeting["capacity"], meeting["credit_type"]) == (
        "webinar",
        2,
        "ama_pra_1",
    )
    assert (meeting["max_credits"], meeting["joint_providership"]) == (1.5, True)
    [agenda_item] = meeting["sessions"]
    assert agenda_item["starts_at"] == "2026-12-10T12:00:00"
    assert agenda_item["credit_eligible"] is True
    meeting_id = str(meeting["id"])

    listed = cli(capsys, demo_path, "meetings", "list", "--json")
    assert [m["id"] for m in listed if m["title"] == "Standards Update"] == [meeting["id"]]

    for member in ("5", "6", "7"):
        code, out, _ = run(capsys, "--db", db, "registrations", "add", "--meeting", meeting_id,
                           "--member", member)  # fmt: skip
        assert code == 0
    assert "waitlist at place 1" in out
    code, _, _ = run(capsys, "--db", db, "registrations", "add", "--meeting", meeting_id,
                     "--member", "270", "--category", "student")  # fmt: skip
    assert code == 1  # this meeting has no student fee

    registrations = cli(capsys, demo_path, "registrations", "list", "--meeting", meeting_id,
                        "--json")  # fmt: skip
    assert sorted((r["member_id"], r["status"], r["waitlist_position"]) for r in registrations) == [
        (5, "registered", None),
        (6, "registered", None),
        (7, "waitlisted", 1),
    ]
    assert {r["fee"] for r in registrations} == {"0.00"}  # demo members 5-7 pay the member fee

    code, out, _ = run(capsys, "--db", db, "registrations", "cancel", "--meeting", meeting_id,
                       "--member", "5")  # fmt: skip
    assert code == 0 and "moved up from the waitlist" in out

    code, out, _ = run(capsys, "--db", db, "checkin", "--meeting", meeting_id, "--member", "7")
    assert code == 0 and "(1 of 2 checked in)" in out
    code, _, err = run(capsys, "--db", db, "checkin", "--meeting", meeting_id, "--member", "7")
    assert code == 1 and "already checked in" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--db", db, "checkin", "--meeting", meeting_id, "--member", "5")
    assert code == 1 and "was cancelled" in err
    run(capsys, "--db", db, "checkin", "--meeting", meeting_id, "--member", "6")
    code, out, _ = run(capsys, "--db", db, "checkin", "--meeting", meeting_id, "--member", "6",
                       "--undo")  # fmt: skip
    assert code == 0 and "(1 of 2 checked in)" in out

    attendees = cli(capsys, demo_path, "attendance", "list", "--meeting", meeting_id, "--json")
    assert len(attendees) == 1
    [attendee] = attendees
    assert {"member_id", "email", "first_name", "last_name", "minutes", "credits"} <= set(attendee)
    assert (attendee["member_id"], attendee["minutes"], attendee["credits"]) == (7, 90, 1.5)
    assert attendee["email"].endswith(".example.org")


def test_a_session_mark_counts_instead_of_the_whole_programme(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    # The demo's annual conference (meeting 3) has two days, parallel tracks and meals.
    db = str(demo_path)
    meetings = cli(capsys, demo_path, "meetings", "list", "--json")
    conference = next(m for m in meetings if m["title"].startswith("Annual Conference"))
    new = cli(
        capsys,
        demo_path,
        "meetings", "add", "--title", "Half day", "--start", "2026-12-01",
        "--starts-at", "09:00", "--ends-at", "12:10", "--credits", "3",
        "--provider", "Tri-State Alliance for CME", "--json",
    )  # fmt: skip
    assert new["joint_providership"] is False  # the organization itself
    session_id = str(new["sessions"][0]["id"])
    meeting_id = str(new["id"])
    run(capsys, "--db", db, "registrations", "add", "--meeting", meeting_id, "--member", "10")
    code, out, _ = run(capsys, "--db", db, "checkin", "--meeting", meeting_id, "--member", "10",
                       "--session", session_id)  # fmt: skip
    assert code == 0 and "Marked" in out
    [attendee] = cli(capsys, demo_path, "attendance", "list", "--meeting", meeting_id, "--json")
    # 3 h 10 min is 3.0 credits after rounding down, and the cap is 3.
    assert (attendee["minutes"], attendee["credits"], attendee["basis"]) == (190, 3.0, "sessions")
    assert conference["session_count"] == 10


def test_attendance_only_meeting_gives_hours(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    db = str(demo_path)
    meeting = cli(
        capsys, demo_path, "meetings", "add", "--title", "Workshop", "--start", "2026-12-01",
        "--starts-at", "09:00", "--ends-at", "10:20", "--json",
    )  # fmt: skip
    assert meeting["credit_type"] == "attendance"
    assert meeting["max_credits"] is None and meeting["accredited_provider"] == ""
    meeting_id = str(meeting["id"])
    run(capsys, "--db", db, "registrations", "add", "--meeting", meeting_id, "--member", "10")
    run(capsys, "--db", db, "checkin", "--meeting", meeting_id, "--member", "10")
    [attendee] = cli(capsys, demo_path, "attendance", "list", "--meeting", meeting_id, "--json")
    assert (attendee["minutes"], attendee["credits"], attendee["hours"]) == (80, 1.25, 1.25)
    assert attendee["credit_type"] == "attendance"


def test_text_output_and_usage_errors(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    db = str(db_path)
    code, out, err = run(capsys, "--db", db, "meetings", "add", "--title", "Plain",
                         "--start", "2026-12-01")  # fmt: skip
    assert code == 0 and out.startswith("Added meeting 1: Plain, Dec 01, 2026 (In person)")
    code, out, _ = run(capsys, "--db", db, "meetings", "list")
    assert code == 0 and "Plain" in out and out.rstrip().endswith("1 meeting")
    for argv, message in [
        (["meetings", "add", "--title", "X", "--start", "2026-12-01", "--credits", "2"],
         "--provider"),
        (["meetings", "add", "--title", "X", "--start", "2026-12-01", "--starts-at", "09:00"],
         "both --starts-at and --ends-at"),
        (["meetings", "add", "--title", "X", "--start", "12/01/2026"], "YYYY-MM-DD"),
        (["meetings", "add", "--title", "X", "--start", "2026-12-01", "--format", "zoom"],
         "not a format"),
        (["registrations", "add", "--meeting", "1", "--member", "1", "--category", "vip"],
         "not a category"),
    ]:  # fmt: skip
        code, _, err = run(capsys, "--db", db, *argv)
        assert code == 2, argv
        assert message in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", db, "registrations", "list", "--meeting", "42")
    assert code == 1 and "no meeting number 42" in err
    code, _, err = run(capsys, "--db", db, "checkin", "--meeting", "1", "--member", "42")
    assert code == 1 and "no person number 42" in err


def test_help_for_every_meeting_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["meetings", "add", "--help"],
        ["meetings", "list", "--help"],
        ["registrations", "add", "--help"],
        ["registrations", "list", "--help"],
        ["registrations", "cancel", "--help"],
        ["checkin", "--help"],
        ["attendance", "list", "--help"],
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "usage:" in out
