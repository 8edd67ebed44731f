"""The sign-in sheet, read back: everyone registered in alphabetical order (accents
ignored), credentials, organization, the meeting in every page's header, page numbers."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import Employer, Meeting, MeetingSession, RegistrationStatus
from sro_desktop.documents.sign_in_sheet import render_sign_in_sheet, sign_in_sheet
from sro_desktop.errors import DataRefused
from tests.services.certificate_meetings import (
    ORGANIZATION,
    attendee,
    morning_meeting,
    set_up_organization,
)


def _pages(data: bytes | Path) -> list[str]:
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_alphabetical_with_credentials_organization_and_header(database: Database) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        hospital = Employer(name="Riverside Methodist Hospital")
        session.add(hospital)
        attendee(session, meeting, "Zoë", "Álvarez", "MD").employer = hospital
        attendee(session, meeting, "Adam", "Zimmer", "RN, BSN")
        attendee(session, meeting, "Ольга", "Кузнецова", "PhD")
        attendee(session, meeting, "Bea", "Alvarez", "")
        attendee(session, meeting, "Wendy", "Waiting", status=RegistrationStatus.WAITLISTED)
        attendee(session, meeting, "Carl", "Cancelled", status=RegistrationStatus.CANCELLED)
        session.flush()
        sheet = sign_in_sheet(session, meeting.id)
    assert [f"{r.last_name}, {r.first_name}" for r in sheet.rows] == [
        "Alvarez, Bea",
        "Álvarez, Zoë",
        "Zimmer, Adam",
        "Кузнецова, Ольга",
    ]
    buffer = io.BytesIO()
    assert render_sign_in_sheet(sheet, buffer, printed_on=date(2026, 3, 1)) == 1
    [page] = _pages(buffer.getvalue())
    assert ORGANIZATION.upper() in page
    assert "Spring Symposium on Outcomes" in page
    assert "March 4, 2026 · Columbus Convention Center, Columbus, OH" in page
    assert "Name Credentials Organization Signature" in page
    assert "Álvarez, Zoë MD Riverside Methodist Hospital" in page
    assert "Zimmer, Adam RN, BSN" in page
    assert "Кузнецова, Ольга PhD" in page
    assert page.index("Alvarez, Bea") < page.index("Álvarez, Zoë") < page.index("Zimmer")
    assert "Waiting" not in page
    assert "Cancelled" not in page
    assert "Page 1 of 1" in page
    assert "4 registered · printed March 1, 2026" in page


def test_many_pages_repeat_the_header_and_number_them(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        for index in range(70):
            attendee(session, meeting, f"Person{index:02d}", f"Surname{index:02d}", "MD")
        sheet = sign_in_sheet(session, meeting.id)
    out = tmp_path / "sheet.pdf"
    pages = render_sign_in_sheet(sheet, out)
    texts = _pages(out)
    assert len(texts) == pages >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text
        assert "Spring Symposium on Outcomes" in text
        assert "Name Credentials Organization Signature" in text
    names = re.findall(r"Surname(\d\d)", " ".join(texts))
    assert names == [f"{i:02d}" for i in range(70)]
    assert PdfReader(out).pages[0].mediabox.width == 612  # portrait US Letter


def test_a_session_sheet_names_the_session(database: Database) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        attendee(session, meeting, "Ana", "López", "MD")
        panel = session.scalars(select(MeetingSession).where(MeetingSession.title == "Panel")).one()
        sheet = sign_in_sheet(session, meeting.id, session_id=panel.id)
        other = morning_meeting(session, title="Other")
        with pytest.raises(DataRefused, match="not part of"):
            sign_in_sheet(session, other.id, session_id=panel.id)
    buffer = io.BytesIO()
    render_sign_in_sheet(sheet, buffer, page_size="a4", walk_in_lines=0)
    [page] = _pages(buffer.getvalue())
    assert "Panel · March 4, 2026, 10:45 AM – 12:15 PM" in page
    assert "walk-ins" not in page
    assert round(float(PdfReader(io.BytesIO(buffer.getvalue())).pages[0].mediabox.width)) == 595


def test_the_demo_conference_sheet(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.session() as session:
        annual = next(m for m in session.scalars(select(Meeting)) if "Annual" in m.title)
        sheet = sign_in_sheet(session, annual.id)
    out = tmp_path / "annual.pdf"
    pages = render_sign_in_sheet(sheet, out)
    text = " ".join(_pages(out))
    assert len(sheet.rows) > 100
    for row in sheet.rows:
        assert f"{row.last_name}, {row.first_name}" in text
    assert f"Page {pages} of {pages}" in text
