"""Small builders for meeting tests: people with or without a paid membership, and a
meeting with fees and an agenda, made through the real services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    CreditType,
    Meeting,
    MeetingFormat,
    Member,
    Membership,
    MembershipType,
    PaymentMethod,
    PaymentPurpose,
    RegistrationCategory,
)
from sro_desktop.services.meetings import FeeInput, MeetingInput, SessionInput, create_meeting
from sro_desktop.services.payments import record_payment

DAY = date(2026, 9, 24)


def at(clock: str, day: date = DAY) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute)


def person(
    session: Session,
    first: str,
    last: str,
    *,
    email: str | None = None,
    paid_member: bool = False,
    year: int = DAY.year,
) -> Member:
    """A person; with `paid_member`, holding a paid membership for `year`."""
    member = Member(
        first_name=first,
        last_name=last,
        email=email or f"{first}.{last}@example.org".lower().replace(" ", ""),
    )
    session.add(member)
    session.flush()
    if paid_member:
        kind = session.scalar(select(MembershipType).where(MembershipType.name == "Individual"))
        if kind is None:
            kind = MembershipType(name="Individual", dues=Decimal("150.00"))
            session.add(kind)
        membership = Membership(
            member=member,
            membership_type=kind,
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 31),
            dues=Decimal("150.00"),
        )
        session.add(membership)
        session.flush()
        record_payment(
            session,
            amount=Decimal("150.00"),
            paid_on=date(year, 1, 5),
            method=PaymentMethod.CHECK,
            purpose=PaymentPurpose.DUES,
            membership_id=membership.id,
        )
    return member


STANDARD_FEES = (
    FeeInput(RegistrationCategory.MEMBER, Decimal("295"), Decimal("236")),
    FeeInput(RegistrationCategory.NON_MEMBER, Decimal("395"), Decimal("316")),
    FeeInput(RegistrationCategory.STUDENT, Decimal("95")),
    FeeInput(RegistrationCategory.SPEAKER, Decimal("0")),
)


def meeting(
    session: Session,
    *,
    title: str = "Annual Conference",
    capacity: int | None = None,
    credit_type: CreditType = CreditType.AMA_PRA_1,
    max_credits: Decimal | None = Decimal("9.00"),
    provider: str = "Keystone Medical Education, LLC",
    fees: Sequence[FeeInput] = STANDARD_FEES,
    sessions: Sequence[SessionInput] = (),
    end_date: date | None = None,
    early_bird_deadline: date | None = date(2026, 8, 25),
    meeting_format: MeetingFormat = MeetingFormat.IN_PERSON,
) -> Meeting:
    return create_meeting(
        session,
        MeetingInput(
            title=title,
            start_date=DAY,
            end_date=end_date,
            format=meeting_format,
            capacity=capacity,
            early_bird_deadline=early_bird_deadline,
            credit_type=credit_type,
            accredited_provider=provider if credit_type is CreditType.AMA_PRA_1 else "",
            max_credits=max_credits if credit_type is CreditType.AMA_PRA_1 else None,
        ),
        fees,
        sessions,
    )


def agenda_item(
    title: str, start: str, end: str, *, track: str = "", eligible: bool = True, day: date = DAY
) -> SessionInput:
    return SessionInput(title, at(start, day), at(end, day), track=track, credit_eligible=eligible)
