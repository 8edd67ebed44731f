"""Small builders for the finance tests: a member with a membership, a meeting with a
registration, payments and expenses, added straight through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Meeting,
    Member,
    Membership,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentPurpose,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from sro_desktop.services.ledger import ExpenseValues, add_expense
from sro_desktop.services.payments import record_payment


def member(session: Session, first: str = "Zoë", last: str = "Müller") -> Member:
    person = Member(first_name=first, last_name=last, email=f"{first}.{last}@example.org".lower())
    session.add(person)
    session.flush()
    return person


def membership(
    session: Session,
    person: Member,
    start: date,
    end: date | None,
    dues: str = "150.00",
    *,
    honorary: bool = False,
    type_name: str = "Individual",
) -> Membership:
    kind = session.query(MembershipType).filter_by(name=type_name).one_or_none()
    if kind is None:
        kind = MembershipType(name=type_name, dues=Decimal(dues), honorary=honorary)
        session.add(kind)
    period = Membership(
        member=person, membership_type=kind, start_date=start, end_date=end, dues=Decimal(dues)
    )
    session.add(period)
    session.flush()
    return period


def meeting(session: Session, title: str, start: date, capacity: int | None = 100) -> Meeting:
    event = Meeting(title=title, start_date=start, end_date=start, capacity=capacity)
    session.add(event)
    session.flush()
    return event


def registration(
    session: Session,
    event: Meeting,
    person: Member,
    fee: str,
    *,
    on: date,
    status: RegistrationStatus = RegistrationStatus.REGISTERED,
) -> Registration:
    entry = Registration(
        meeting=event,
        member=person,
        category=RegistrationCategory.MEMBER,
        fee=Decimal(fee),
        status=status,
        registered_at=datetime(on.year, on.month, on.day, 10, tzinfo=UTC),
    )
    session.add(entry)
    session.flush()
    return entry


def income(
    session: Session,
    amount: str,
    on: date,
    purpose: PaymentPurpose = PaymentPurpose.DONATION,
    **links: int,
) -> Payment:
    return record_payment(
        session,
        amount=Decimal(amount),
        paid_on=on,
        method=PaymentMethod.CASH,
        purpose=purpose,
        payer_name="A. Donor",
        **links,
    )


def expense(
    session: Session, amount: str, on: date, category: str = "Venue", meeting_id: int | None = None
) -> int:
    return add_expense(
        session,
        ExpenseValues(paid_on=on, amount=Decimal(amount), category=category, meeting_id=meeting_id),
    ).id
