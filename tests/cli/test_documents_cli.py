"""`documents sign-in-sheet / badges / transcript` against a copy of the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from sro_desktop.app import main
from sro_desktop.db.database import open_database
from sro_desktop.db.models import Meeting, MeetingSession, Registration


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _ids(path: Path) -> tuple[int, int, int]:
    """The annual conference, its second session, and someone registered for it."""
    database = open_database(path)
    try:
        with database.session() as session:
            annual = next(m for m in session.scalars(select(Meeting)) if "Annual" in m.title)
            second = session.scalars(
                select(MeetingSession.id)
                .where(MeetingSession.meeting_id == annual.id)
                .order_by(MeetingSession.starts_at, MeetingSession.id)
            ).all()[1]
            member = session.scalars(
                select(Registration.member_id).where(Registration.meeting_id == annual.id)
            ).first()
            assert member is not None
            return annual.id, second, member
    finally:
        database.close()


def test_sign_in_sheet_badges_and_transcript(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    annual, second, member = _ids(demo_path)
    db = ("--db", str(demo_path))

    sheet = tmp_path / "sheet.pdf"
    code, out, err = run(
        capsys, *db, "documents", "sign-in-sheet", "--meeting", str(annual), "--out", str(sheet)
    )
    assert (code, err) == (0, "")
    assert "Saved the sign-in sheet" in out
    pages = PdfReader(sheet).pages
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1].extract_text()

    session_sheet = tmp_path / "session.pdf"
    code, out, err = run(
        capsys,
        *db,
        "documents",
        "sign-in-sheet",
        "--meeting",
        str(annual),
        "--session",
        str(second),
        "--out",
        str(session_sheet),
        "--paper",
        "a4",
    )
    assert (code, err) == (0, "")
    assert "Keynote" in PdfReader(session_sheet).pages[0].extract_text()

    badges = tmp_path / "badges.pdf"
    code, out, err = run(
        capsys,
        *db,
        "documents",
        "badges",
        "--meeting",
        str(annual),
        "--out",
        str(badges),
        "--outlines",
    )
    assert (code, err) == (0, "")
    count = int(out.split("Saved ")[1].split()[0])
    assert len(PdfReader(badges).pages) == -(-count // 8)

    transcript = tmp_path / "transcript.pdf"
    code, out, err = run(
        capsys,
        *db,
        "documents",
        "transcript",
        "--member",
        str(member),
        "--out",
        str(transcript),
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    )
    assert (code, err) == (0, "")
    text = PdfReader(transcript).pages[0].extract_text()
    assert "CME transcript" in text
    assert "January 1, 2026" in text


@pytest.mark.parametrize(
    ("argv", "words", "exit_code"),
    [
        (("documents", "badges", "--meeting", "999", "--out", "b.pdf"), "no meeting", 1),
        (("documents", "transcript", "--member", "999999", "--out", "t.pdf"), "no person", 1),
        (("documents", "badges", "--meeting", "1", "--out", "b.txt"), ".pdf", 2),
        (
            ("documents", "sign-in-sheet", "--meeting", "1", "--out", "/no/such/folder/s.pdf"),
            "does not exist",
            2,
        ),
        (
            ("documents", "transcript", "--member", "1", "--out", "t.pdf", "--from", "2026-13-01"),
            "not a date",
            2,
        ),
    ],
)
def test_errors_are_one_sentence(
    capsys: pytest.CaptureFixture[str],
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    words: str,
    exit_code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, "--db", str(demo_path), *argv)
    assert code == exit_code
    assert words in err
    assert "Traceback" not in err
