"""A killed issuing run leaves its hidden `.NAME.xxxxxxxx.part` files behind; the next run
for the same files deletes those (and only those) before it draws anything."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sro_desktop.db.database import Database
from sro_desktop.documents.issue_batch import Staging, prepare_issue, write_issue
from sro_desktop.services.certificate_issuing import plan_certificates
from tests.services.certificate_meetings import (
    TODAY,
    attendee,
    morning_meeting,
    set_up_organization,
)


@pytest.fixture
def meeting_id(database: Database) -> int:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        attendee(session, meeting, "Ada", "Park", "MD", sessions=("Outcomes", "Panel"))
        attendee(session, meeting, "Ben", "Ortiz", "DO", sessions=("Outcomes",))
        return meeting.id


def _issue(
    database: Database, meeting_id: int, *, out: Path | None = None, separate: Path | None = None
) -> list[Path]:
    with Staging() as staging:
        with database.transaction(action="Issue certificates") as session:
            plan = plan_certificates(session, meeting_id, TODAY)
            prepared = prepare_issue(session, plan, today=TODAY)
            result = write_issue(session, prepared, staging, out=out, separate_dir=separate)
        staging.publish()
    return list(result.files)


def _left_over(path: Path, age_seconds: float) -> Path:
    """A staged file as a killed run leaves it, last written `age_seconds` ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 half written")
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))
    return path


def test_stale_parts_of_the_same_file_are_removed_and_nothing_else(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    stale = _left_over(tmp_path / ".certificates.pdf.0a1b2c3d.part", 3600)
    # Being written by a run that started after this one (or a clock set back): kept.
    fresh = _left_over(tmp_path / ".certificates.pdf.99887766.part", -60)
    other_file = _left_over(tmp_path / ".receipt 000012.pdf.0a1b2c3d.part", 3600)
    not_staged = _left_over(tmp_path / ".certificates.pdf.part", 3600)
    users_own = _left_over(tmp_path / "certificates.pdf.0a1b2c3d.part", 3600)

    files = _issue(database, meeting_id, out=tmp_path / "certificates.pdf")

    assert files == [tmp_path / "certificates.pdf"]
    assert files[0].read_bytes().startswith(b"%PDF")
    assert not stale.exists()
    assert fresh.exists() and other_file.exists() and not_staged.exists() and users_own.exists()
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part"))
    assert hidden == sorted(p.name for p in (fresh, other_file, not_staged, users_own))


def test_stale_parts_in_the_folder_of_separate_files_are_removed(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    folder = tmp_path / "each"
    first = _issue(database, meeting_id, separate=folder)
    assert len(first) == 2
    stale = [_left_over(folder / f".{path.name}.deadbeef.part", 120) for path in first]
    stranger = _left_over(folder / ".Someone_Else_Other-Meeting.pdf.deadbeef.part", 120)

    again = _issue(database, meeting_id, separate=folder)

    assert again == first
    assert not any(path.exists() for path in stale)
    assert stranger.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [stranger.name] + [path.name for path in first]
    )


def test_a_run_keeps_its_own_staged_files(tmp_path: Path) -> None:
    with Staging() as staging:
        staging.started = time.time() + 60  # as if the run began after its files were made
        staging.write(tmp_path / "one.pdf", lambda stream: stream.write(b"%PDF-1.7"))
        assert staging.remove_stale([tmp_path / "one.pdf"]) == []
        assert staging.publish() == [tmp_path / "one.pdf"]
    assert [p.name for p in tmp_path.iterdir()] == ["one.pdf"]
