"""A person's transcript: every meeting they attended, with its credit, and the totals
per credit type over a chosen date range ("can you send me my CME for 2024–2026?")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from sro_desktop.db.models import CreditType, Meeting, MeetingFormat, Member
from sro_desktop.errors import DataRefused
from sro_desktop.services.attendance import member_attendance


@dataclass(frozen=True)
class TranscriptLine:
    meeting_id: int
    title: str
    start_date: date
    end_date: date
    format: MeetingFormat
    credit_type: CreditType
    accredited_provider: str
    joint_providership: bool
    minutes: int
    credits: Decimal  # in the meeting's credit type: AMA credits, or hours of attendance
    hours: Decimal
    overridden: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "meeting_id": self.meeting_id,
            "title": self.title,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "format": self.format.value,
            "credit_type": self.credit_type.value,
            "accredited_provider": self.accredited_provider,
            "joint_providership": self.joint_providership,
            "minutes": self.minutes,
            "credits": float(self.credits),
            "hours": float(self.hours),
            "overridden": self.overridden,
        }


@dataclass(frozen=True)
class CreditTotal:
    credit_type: CreditType
    meetings: int
    credits: Decimal


@dataclass(frozen=True)
class Transcript:
    member_id: int
    first_name: str
    last_name: str
    credentials: str
    email: str | None
    start: date | None
    end: date | None
    lines: tuple[TranscriptLine, ...]
    totals: tuple[CreditTotal, ...]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def total(self, credit_type: CreditType) -> Decimal:
        return next((t.credits for t in self.totals if t.credit_type is credit_type), Decimal(0))


def member_transcript(
    session: Session, member_id: int, start: date | None = None, end: date | None = None
) -> Transcript:
    """Meetings the person attended that started within [start, end] (either open),
    earliest first, with totals per credit type (AMA PRA Category 1 Credits™, hours of
    attendance, meetings without credit)."""
    member = session.get(Member, member_id)
    if member is None:
        raise DataRefused(f"There is no person number {member_id}.")
    if start is not None and end is not None and end < start:
        raise DataRefused(
            f"The range ends ({end:%b %d, %Y}) before it starts ({start:%b %d, %Y}); "
            "swap the dates."
        )
    lines = []
    for attendee in member_attendance(session, member_id):
        if not attendee.attended:
            continue
        meeting = session.get(Meeting, attendee.meeting_id)
        assert meeting is not None
        if (start is not None and meeting.start_date < start) or (
            end is not None and meeting.start_date > end
        ):
            continue
        lines.append(
            TranscriptLine(
                meeting_id=meeting.id,
                title=meeting.title,
                start_date=meeting.start_date,
                end_date=meeting.end_date,
                format=meeting.format,
                credit_type=meeting.credit_type,
                accredited_provider=meeting.accredited_provider,
                joint_providership=meeting.joint_providership,
                minutes=attendee.minutes,
                credits=attendee.credits,
                hours=attendee.hours,
                overridden=attendee.overridden,
            )
        )
    lines.sort(key=lambda line: (line.start_date, line.meeting_id))
    totals = tuple(
        CreditTotal(
            credit_type=kind,
            meetings=sum(1 for line in lines if line.credit_type is kind),
            credits=sum((line.credits for line in lines if line.credit_type is kind), Decimal(0)),
        )
        for kind in (CreditType.AMA_PRA_1, CreditType.ATTENDANCE, CreditType.NONE)
        if any(line.credit_type is kind for line in lines)
    )
    return Transcript(
        member_id=member.id,
        first_name=member.first_name,
        last_name=member.last_name,
        credentials=member.credentials,
        email=member.email,
        start=start,
        end=end,
        lines=tuple(lines),
        totals=totals,
    )
