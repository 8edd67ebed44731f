"""Small, exact meetings for certificate tests, built with plain ORM rows: a morning of two
90-minute credit-eligible sessions around a break (3 credits), people who attended all of
it, part of it, a few minutes of it or nothing, and the organization's settings."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    AttendanceInterval,
    CreditType,
    Meeting,
    MeetingFormat,
    MeetingSession,
    Member,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    SessionAttendance,
)
from sro_desktop.services.organization import organization_settings

DAY = date(2026, 3, 4)
TODAY = date(2026, 11, 27)
ORGANIZATION = "Ohio Valley Alliance for CME Professionals"
PROVIDER = "Ohio State University College of Medicine"


def picture(size: tuple[int, int] = (300, 120)) -> bytes:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size[1] - 10, size[1] - 10), outline=(29, 53, 87, 255), width=8)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def set_up_organization(session: Session, *, name: str = ORGANIZATION) -> None:
    settings = organization_settings(session)
    settings.name = name
    settings.signatory_name = "Margaret Ellis, MEd, CHCP"
    settings.signatory_title = "President"
    settings.logo = picture()
    settings.signature = picture((400, 110))
    session.flush()


def _at(clock: str, day: date = DAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock))


def morning_meeting(
    session: Session,
    *,
    title: str = "Spring Symposium on Outcomes",
    credit_type: CreditType = CreditType.AMA_PRA_1,
    max_credits: Decimal | None = Decimal("3.00"),
    provider: str = PROVIDER,
    joint: bool = True,
    meeting_format: MeetingFormat = MeetingFormat.IN_PERSON,
    venue: str = "Columbus Convention Center, Columbus, OH",
    day: date = DAY,
) -> Meeting:
    """09:00–10:30 and 10:45–12:15 count for credit (3 hours); the break does not."""
    meeting = Meeting(
        title=title,
        format=meeting_format,
        start_date=day,
        end_date=day,
        venue=venue,
        credit_type=credit_type,
        accredited_provider=provider,
        joint_providership=joint,
        max_credits=max_credits,
    )
    meeting.sessions = [
        MeetingSession(title="Outcomes", starts_at=_at("09:00", day), ends_at=_at("10:30", day)),
        MeetingSession(
            title="Break",
            starts_at=_at("10:30", day),
            ends_at=_at("10:45", day),
            credit_eligible=False,
        ),
        MeetingSession(title="Panel", starts_at=_at("10:45", day), ends_at=_at("12:15", day)),
    ]
    session.add(meeting)
    session.flush()
    return meeting


def attendee(
    session: Session,
    meeting: Meeting,
    first: str,
    last: str,
    credentials: str = "",
    *,
    sessions: tuple[str, ...] = (),
    checked_in: bool = False,
    joined: tuple[tuple[str, str], ...] = (),
    status: RegistrationStatus = RegistrationStatus.REGISTERED,
    email: str | None = None,
    member: Member | None = None,
) -> Member:
    """A registrant (new, or `member`) marked present at `sessions` (by title), checked in
    at the door, or online from/to the given clock times."""
    if member is None:
        member = Member(
            first_name=first,
            last_name=last,
            credentials=credentials,
            email=email or f"{first}.{last}.{meeting.id}@example.org".lower().replace(" ", ""),
        )
        session.add(member)
        session.flush()
    registration = Registration(
        meeting=meeting,
        member=member,
        category=RegistrationCategory.MEMBER,
        fee=Decimal("0"),
        status=status,
        checked_in_at=datetime.combine(meeting.start_date, time(8, 50), tzinfo=UTC)
        if checked_in
        else None,
    )
    session.add(registration)
    session.flush()
    by_title = {item.title: item for item in meeting.sessions}
    for title in sessions:
        session.add(SessionAttendance(registration=registration, session_id=by_title[title].id))
    day = meeting.start_date
    for start, end in joined:
        session.add(
            AttendanceInterval(
                registration=registration,
                joined_at=_at(start, day),
                left_at=_at(end, day),
                source="zoom",
            )
        )
    session.flush()
    return member
