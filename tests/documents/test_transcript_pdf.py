"""A member's CME transcript as a PDF, read back: each meeting attended with its date,
format, credit and certificate number, and totals as the person may claim them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from sro_desktop.db.database import Database
from sro_desktop.db.models import CreditType, MeetingFormat
from sro_desktop.documents.issue_batch import Staging, prepare_issue, write_issue
from sro_desktop.documents.transcript_pdf import render_transcript, transcript_document
from sro_desktop.errors import DataRefused
from sro_desktop.services.certificate_issuing import plan_certificates
from tests.conftest import TODAY
from tests.services.certificate_meetings import (
    ORGANIZATION,
    attendee,
    morning_meeting,
    set_up_organization,
)


def _text(data: bytes | Path) -> str:
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _three_years(database: Database, credentials: str) -> int:
    """Three meetings attended over three years (AMA, attendance hours, a webinar) and one
    registered for but missed; the 2025 conference certificate issued."""
    with database.transaction() as session:
        set_up_organization(session)
        conference = morning_meeting(session, title="Annual Conference 2025", day=date(2025, 9, 24))
        workshop = morning_meeting(
            session,
            title="Spring Workshop",
            day=date(2026, 3, 12),
            credit_type=CreditType.ATTENDANCE,
            max_credits=None,
            provider="",
        )
        webinar = morning_meeting(
            session,
            title="Standards Webinar",
            day=date(2024, 6, 10),
            meeting_format=MeetingFormat.WEBINAR,
            venue="",
        )
        missed = morning_meeting(session, title="Missed Meeting", day=date(2026, 6, 1))
        ana = attendee(
            session, conference, "Ana", "López", credentials, sessions=("Outcomes", "Panel")
        )
        for meeting, sessions in ((workshop, ("Outcomes",)), (webinar, ("Panel",)), (missed, ())):
            attendee(session, meeting, "", "", sessions=sessions, member=ana)
        session.flush()
        conference_id, member_id = conference.id, ana.id
    with Staging() as staging:
        with database.transaction() as session:
            plan = plan_certificates(session, conference_id, TODAY, member_ids=[member_id])
            prepared = prepare_issue(session, plan, today=date(2025, 10, 1))
            write_issue(session, prepared, staging, out=database.path.parent / "c.pdf")
        staging.publish()
    return member_id


def test_a_physicians_transcript(database: Database) -> None:
    member_id = _three_years(database, "MD")
    with database.session() as session:
        document = transcript_document(session, member_id)
    buffer = io.BytesIO()
    assert render_transcript(document, buffer, issued_on=date(2026, 11, 27)) == 1
    text = _text(buffer.getvalue())
    assert ORGANIZATION.upper() in text
    assert "CME transcript" in text
    assert "Ana López, MD" in text
    assert "All activities on record" in text
    assert "June 10, 2024 Standards Webinar" in text
    assert "Live webinar 1.5 credits" in text
    assert "September 24, 2025 Annual Conference 2025" in text
    assert "3.0 credits 2025-0001" in text
    assert "March 12, 2026 Spring Workshop" in text
    assert "1.5 hours" in text
    assert "Missed Meeting" not in text
    assert "4.5 AMA PRA Category 1 Credits™ · 2 activities" in text
    assert "1.5 hours of attendance · 1 activity" in text
    assert "Issued November 27, 2026" in text
    assert "Page 1 of 1" in text
    assert (
        text.index("Standards Webinar")
        < text.index("Annual Conference")
        < text.index("Spring Workshop")
    )


def test_a_non_physician_gets_hours_of_participation_not_ama_credit(database: Database) -> None:
    member_id = _three_years(database, "RN")
    with database.session() as session:
        document = transcript_document(session, member_id, date(2025, 1, 1), date(2026, 12, 31))
    buffer = io.BytesIO()
    render_transcript(document, buffer, issued_on=date(2026, 11, 27), page_size="a4")
    text = _text(buffer.getvalue())
    assert "Activities from January 1, 2025 to December 31, 2026" in text
    assert "Standards Webinar" not in text  # 2024, outside the range
    assert "3.0 hours" in text
    assert "3.0 credits" not in text
    assert (
        "3.0 hours of participation in activities designated for AMA PRA Category 1 Credits™"
        in text
    )


def test_nobody_with_nothing_on_record_still_gets_a_page(database: Database) -> None:
    with database.transaction() as session:
        set_up_organization(session)
        meeting = morning_meeting(session)
        eve = attendee(session, meeting, "Eve", "Stone", "MD")
        document = transcript_document(session, eve.id)
        with pytest.raises(DataRefused):
            transcript_document(session, 999_999)
    buffer = io.BytesIO()
    assert render_transcript(document, buffer, issued_on=date(2026, 1, 2)) == 1
    assert "No attended activities are on record" in _text(buffer.getvalue())
    assert Decimal(0) == document.transcript.total(CreditType.AMA_PRA_1)
