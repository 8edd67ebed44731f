"""Who owes the organization money: dues not (fully) paid for membership periods that have
started, and fees not (fully) paid for registrations that stand (not cancelled, not
waitlisted). Per person and in total.

What was paid is read from the same `Payment` records the ledger shows (payments linked to
the membership or registration, refunds subtracting), so the list and the books agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Meeting,
    Member,
    Membership,
    MembershipType,
    Payment,
    Registration,
    RegistrationStatus,
)
from sro_desktop.services.currency import ZERO, cents

OwedKind = Literal["dues", "registration"]


@dataclass(frozen=True)
class OwedItem:
    """One unpaid (or part-paid) membership period or registration."""

    kind: OwedKind
    member_id: int
    description: str
    since: date  # when it became due: the period's start, or the registration's date
    due: Decimal
    paid: Decimal
    membership_id: int | None = None
    registration_id: int | None = None
    meeting_id: int | None = None

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.description,
            "since": self.since.isoformat(),
            "due": str(self.due),
            "paid": str(self.paid),
            "outstanding": str(self.outstanding),
            "membership_id": self.membership_id,
            "registration_id": self.registration_id,
            "meeting_id": self.meeting_id,
        }


@dataclass(frozen=True)
class PersonOwing:
    member_id: int
    name: str
    email: str
    items: tuple[OwedItem, ...]

    @property
    def total(self) -> Decimal:
        return cents(sum((item.outstanding for item in self.items), ZERO))

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "name": self.name,
            "email": self.email,
            "total": str(self.total),
            "items": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True)
class OwedList:
    as_of: date
    people: tuple[PersonOwing, ...]

    @property
    def items(self) -> list[OwedItem]:
        return [item for person in self.people for item in person.items]

    def total_of(self, kind: OwedKind | None = None) -> Decimal:
        amounts = [i.outstanding for i in self.items if kind is None or i.kind == kind]
        return cents(sum(amounts, ZERO))

    @property
    def total(self) -> Decimal:
        return self.total_of(None)

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "total": str(self.total),
            "dues_total": str(self.total_of("dues")),
            "registrations_total": str(self.total_of("registration")),
            "people": [person.to_json() for person in self.people],
        }


def short_date(day: date) -> str:
    """A date like "Mar 5, 2026", the same on every platform (unlike strftime %-d)."""
    return f"{day:%b} {day.day}, {day.year}"


def who_owes(session: Session, as_of: date) -> OwedList:
    """Everyone with something unpaid on `as_of`, largest total first, then by name."""
    items: dict[int, list[OwedItem]] = defaultdict(list)
    for item in _unpaid_dues(session, as_of) + _unpaid_registrations(session, as_of):
        items[item.member_id].append(item)
    if not items:
        return OwedList(as_of, ())
    people = session.execute(
        select(Member.id, Member.first_name, Member.last_name, Member.email).where(
            Member.id.in_(list(items))
        )
    ).all()
    owing = [
        PersonOwing(
            member_id=row.id,
            name=f"{row.first_name} {row.last_name}".strip(),
            email=row.email or "",
            items=tuple(sorted(items[row.id], key=lambda i: (i.since, i.kind))),
        )
        for row in people
    ]
    owing.sort(key=lambda p: (-p.total, p.name.lower(), p.member_id))
    return OwedList(as_of, tuple(owing))


def _unpaid_dues(session: Session, as_of: date) -> list[OwedItem]:
    paid = (
        select(Payment.membership_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.membership_id.is_not(None), Payment.paid_on <= as_of)
        .group_by(Payment.membership_id)
        .subquery()
    )
    query = (
        select(
            Membership.id,
            Membership.member_id,
            Membership.start_date,
            Membership.end_date,
            Membership.dues,
            MembershipType.name,
            paid.c.paid,
        )
        .join(MembershipType, Membership.membership_type_id == MembershipType.id)
        .join(Member, Membership.member_id == Member.id)
        .outerjoin(paid, paid.c.membership_id == Membership.id)
        .where(
            Membership.start_date <= as_of,
            Membership.dues > 0,
            MembershipType.honorary.is_(False),
            Member.archived.is_(False),
        )
    )
    result = []
    for row in session.execute(query):
        paid_amount = cents(row.paid) if row.paid is not None else ZERO
        if paid_amount >= row.dues:
            continue
        period = short_date(row.start_date)
        if row.end_date is not None:
            period += f" – {short_date(row.end_date)}"
        result.append(
            OwedItem(
                kind="dues",
                member_id=row.member_id,
                description=f"{row.name} dues, {period}",
                since=row.start_date,
                due=row.dues,
                paid=paid_amount,
                membership_id=row.id,
            )
        )
    return result


def _unpaid_registrations(session: Session, as_of: date) -> list[OwedItem]:
    paid = (
        select(Payment.registration_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.registration_id.is_not(None), Payment.paid_on <= as_of)
        .group_by(Payment.registration_id)
        .subquery()
    )
    query = (
        select(
            Registration.id,
            Registration.member_id,
            Registration.meeting_id,
            Registration.fee,
            Registration.registered_at,
            Meeting.title,
            Meeting.start_date,
            paid.c.paid,
        )
        .join(Meeting, Registration.meeting_id == Meeting.id)
        .join(Member, Registration.member_id == Member.id)
        .outerjoin(paid, paid.c.registration_id == Registration.id)
        .where(
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.fee > 0,
            Member.archived.is_(False),
        )
    )
    result = []
    for row in session.execute(query):
        registered_on = row.registered_at.date()
        if registered_on > as_of:
            continue
        paid_amount = cents(row.paid) if row.paid is not None else ZERO
        if paid_amount >= row.fee:
            continue
        result.append(
            OwedItem(
                kind="registration",
                member_id=row.member_id,
                description=f"Registration: {row.title} ({short_date(row.start_date)})",
                since=registered_on,
                due=row.fee,
                paid=paid_amount,
                registration_id=row.id,
                meeting_id=row.meeting_id,
            )
        )
    return result
