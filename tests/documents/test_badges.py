"""Name badges: eight to a US Letter sheet on the Avery 5395 grid, name, credentials,
organization and state on each, names of any alphabet and length."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import inch
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import Employer, Meeting, RegistrationStatus
from sro_desktop.documents.badges import (
    AVERY_5395,
    Badge,
    BadgeSheet,
    badges_for_meeting,
    render_badges,
)
from sro_desktop.errors import DataRefused
from tests.services.certificate_meetings import attendee, morning_meeting, set_up_organization


def _text(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_the_avery_5395_grid_fits_the_sheet_with_even_margins() -> None:
    labels = AVERY_5395
    page_height = 11 * inch
    corners = [labels.origin(index, page_height) for index in range(8)]
    assert corners[0] == (
        pytest.approx(0.6875 * inch),
        pytest.approx(page_height - 0.5833 * inch - labels.height, abs=0.1),
    )
    right = corners[1][0] + labels.width
    assert right == pytest.approx(8.5 * inch - 0.6875 * inch)  # same margin both sides
    bottom = corners[7][1]
    assert bottom == pytest.approx(7 / 12 * inch)  # same margin top and bottom
    assert labels.origin(8, page_height) == corners[0]  # the next sheet starts over
    assert (labels.width, labels.height) == (
        pytest.approx(3.375 * inch),
        pytest.approx(7 / 3 * inch),
    )


def test_one_badge_per_registered_person_eight_per_sheet(database: Database) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        school = Employer(name="Ohio State University College of Medicine")
        session.add(school)
        ana = attendee(session, meeting, "Ana", "López", "MD, FACP")
        ana.employer = school
        ana.state = "OH"
        for index in range(9):
            attendee(session, meeting, f"Guest{index}", "Zed", "RN")
        attendee(session, meeting, "Wendy", "Waiting", status=RegistrationStatus.WAITLISTED)
        session.flush()
        sheet = badges_for_meeting(session, meeting.id)
    assert len(sheet.badges) == 10
    assert sheet.badges[0] == Badge(
        "Ana", "López", "MD, FACP", "Ohio State University College of Medicine", "Ohio"
    )
    buffer = io.BytesIO()
    assert render_badges(sheet, buffer) == 2
    pages = _text(buffer.getvalue())
    assert len(pages) == 2
    first = pages[0]
    assert "Ana López" in first
    assert "MD, FACP" in first
    assert "Ohio State University College of Medicine" in first
    assert "Ohio" in first
    assert first.count("Spring Symposium on Outcomes") == 8
    assert pages[1].count("Spring Symposium on Outcomes") == 2
    assert "Waiting" not in " ".join(pages)
    box = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612, 792)


def test_long_names_and_other_alphabets_print(tmp_path: Path) -> None:
    names = [
        ("Maximiliana Josefina", "von Hohenzollern-Sigmaringen de la Cruz"),
        ("Nguyễn Thị", "Minh Khai"),
        ("Αλέξανδρος", "Παπαδόπουλος"),
        ("Ольга", "Кузнецова"),
    ]
    sheet = BadgeSheet(
        "Ohio Valley Alliance",
        "Annual Conference",
        tuple(Badge(first, last, "", "", "") for first, last in names),
    )
    out = tmp_path / "badges.pdf"
    assert render_badges(sheet, out, outlines=True, skip=3) == 1
    [page] = _text(out.read_bytes())
    for first, last in names:
        for word in f"{first} {last}".split():
            assert word in page
    assert page.count("Annual Conference") == 4  # three labels skipped


def test_no_registrants_no_badges(database: Database) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        sheet = badges_for_meeting(session, meeting.id)
    with pytest.raises(DataRefused, match="no badges"):
        render_badges(sheet, io.BytesIO())


def test_the_demo_conference_badges(demo_database: Database) -> None:
    with demo_database.session() as session:
        annual = next(m for m in session.scalars(select(Meeting)) if "Annual" in m.title)
        sheet = badges_for_meeting(session, annual.id)
    buffer = io.BytesIO()
    pages = render_badges(sheet, buffer)
    assert pages == -(-len(sheet.badges) // 8)
    text = " ".join(_text(buffer.getvalue()))
    for badge in sheet.badges:
        assert badge.last_name in text
