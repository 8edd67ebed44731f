"""A member's transcript: meetings attended with their credit, a date range, and totals per
credit type; meetings registered for but not attended, or cancelled, are left out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import CreditType, MeetingFormat
from sro_desktop.errors import DataRefused
from sro_desktop.services.attendance import set_credit_override
from sro_desktop.services.checkin import check_in
from sro_desktop.services.meetings import MeetingInput, SessionInput, create_meeting
from sro_desktop.services.registrations import cancel_registration, register
from sro_desktop.services.transcript import member_transcript
from tests.services.meeting_factories import at, person


def _meeting(
    session: Session,
    title: str,
    day: date,
    credit_type: CreditType,
    minutes: int,
    max_credits: str | None = None,
) -> int:
    start = at("09:00", day)
    end = at(f"{9 + minutes // 60:02d}:{minutes % 60:02d}", day)
    created = create_meeting(
        session,
        MeetingInput(
            title=title,
            start_date=day,
            format=MeetingFormat.WEBINAR,
            credit_type=credit_type,
            accredited_provider="Keystone Medical Education, LLC",
            max_credits=Decimal(max_credits) if max_credits else None,
        ),
        sessions=[SessionInput(title, start, end)],
    )
    return created.id


def test_transcript_lists_attended_meetings_with_totals_per_credit_type(
    database: Database,
) -> None:
    with database.transaction() as session:
        ana = person(session, "Ana", "López")
        meetings = {
            "2024 conference": _meeting(
                session, "2024 conference", date(2024, 9, 20), CreditType.AMA_PRA_1, 390, "6.5"
            ),
            "spring workshop": _meeting(
                session, "spring workshop", date(2025, 3, 12), CreditType.ATTENDANCE, 195
            ),
            "standards webinar": _meeting(
                session, "standards webinar", date(2025, 6, 10), CreditType.AMA_PRA_1, 90, "1.5"
            ),
            "social": _meeting(session, "social", date(2025, 7, 1), CreditType.NONE, 60),
            "missed": _meeting(session, "missed", date(2025, 8, 1), CreditType.AMA_PRA_1, 60, "1"),
            "cancelled": _meeting(
                session, "cancelled", date(2025, 9, 1), CreditType.AMA_PRA_1, 60, "1"
            ),
        }
        registrations = {
            title: register(session, meeting_id, ana.id).id
            for title, meeting_id in meetings.items()
        }
        for title in ("2024 conference", "spring workshop", "standards webinar", "social"):
            check_in(session, registrations[title])
        set_credit_override(session, registrations["standards webinar"], Decimal("1"), "late")
        check_in(session, registrations["cancelled"])
        cancel_registration(session, registrations["cancelled"])
        member_id = ana.id

    with database.session() as session:
        everything = member_transcript(session, member_id)
        assert [line.title for line in everything.lines] == [
            "2024 conference",
            "spring workshop",
            "standards webinar",
            "social",
        ]
        assert everything.total(CreditType.AMA_PRA_1) == Decimal("7.50")
        assert everything.total(CreditType.ATTENDANCE) == Decimal("3.25")
        assert [(t.credit_type, t.meetings) for t in everything.totals] == [
            (CreditType.AMA_PRA_1, 2),
            (CreditType.ATTENDANCE, 1),
            (CreditType.NONE, 1),
        ]
        assert everything.lines[2].overridden

        year_2025 = member_transcript(session, member_id, date(2025, 1, 1), date(2025, 12, 31))
        assert [line.title for line in year_2025.lines] == [
            "spring workshop",
            "standards webinar",
            "social",
        ]
        assert year_2025.total(CreditType.AMA_PRA_1) == Decimal("1.00")
        assert year_2025.lines[0].to_json()["credits"] == 3.25


def test_a_backwards_range_or_unknown_person_is_refused(database: Database) -> None:
    with database.transaction() as session:
        ana = person(session, "Ana", "López")
        with pytest.raises(DataRefused, match="swap the dates"):
            member_transcript(session, ana.id, date(2026, 1, 1), date(2025, 1, 1))
        with pytest.raises(DataRefused, match="no person number 999"):
            member_transcript(session, 999)
