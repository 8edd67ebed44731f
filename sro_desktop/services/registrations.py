"""Registering people for meetings: the fee by category and date, capacity and the
waitlist, payments and refunds, cancellation, and walk-ins at the door.

A registration is never deleted: a cancelled one keeps its fee, payments, refund and (in
the audit trail) its history. A place freed by a cancellation goes to the first person
on the waitlist.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
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
from sro_desktop.db.models.base import utc_now
from sro_desktop.errors import DataRefused
from sro_desktop.services.meetings import fee_for, get_meeting
from sro_desktop.services.membership_status import MemberStatus, Period, membership_status
from sro_desktop.services.organization import grace_days
from sro_desktop.services.payments import MAX_AMOUNT, record_payment
from sro_desktop.services.values import ValueProblem, normalize_email

# A person in one of these standings pays the member fee by default.
MEMBER_STANDINGS = frozenset({MemberStatus.CURRENT, MemberStatus.GRACE, MemberStatus.HONORARY})
_ZERO = Decimal("0.00")


class PaymentStatus(StrEnum):
    NO_FEE = "No fee"
    UNPAID = "Unpaid"
    PART_PAID = "Part paid"
    PAID = "Paid"
    OVERPAID = "Overpaid"
    REFUNDED = "Refunded"
    NOTHING_DUE = "Nothing due"


@dataclass(frozen=True)
class NewPerson:
    """Someone not yet in the database (a non-member registrant, a walk-in)."""

    first_name: str
    last_name: str
    email: str | None = None
    credentials: str = ""


@dataclass(frozen=True)
class PaymentInput:
    """Money taken with a registration (at the desk, or from the form)."""

    amount: Decimal
    method: PaymentMethod
    paid_on: date
    reference: str = ""


@dataclass(frozen=True)
class RegistrationRow:
    """What the registrations table and `registrations list` show for one registration."""

    id: int
    meeting_id: int
    member_id: int
    first_name: str
    last_name: str
    credentials: str
    email: str | None
    category: RegistrationCategory
    status: RegistrationStatus
    waitlist_position: int | None
    fee: Decimal
    paid: Decimal  # payments less refunds
    refunded: Decimal
    payment_status: PaymentStatus
    registered_at: datetime
    cancelled_at: datetime | None
    checked_in_at: datetime | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def balance(self) -> Decimal:
        """What is still owed: nothing until a place is held, nor once cancelled."""
        if self.status is not RegistrationStatus.REGISTERED:
            return _ZERO
        return max(self.fee - self.paid, _ZERO)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("category", "status", "payment_status"):
            data[key] = data[key].value
        for key in ("fee", "paid", "refunded"):
            data[key] = str(data[key])
        data["balance"] = str(self.balance)
        return data


@dataclass(frozen=True)
class CancelResult:
    registration: Registration
    refund: Payment | None
    promoted: list[Registration] = field(default_factory=list)


# --- who pays what ---------------------------------------------------------------------


def member_standing(session: Session, member_id: int, on: date) -> MemberStatus:
    """A person's membership status on `on`, from their periods and payments."""
    paid = (
        select(Payment.membership_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.membership_id.is_not(None))
        .group_by(Payment.membership_id)
        .subquery()
    )
    query = (
        select(
            Membership.start_date,
            Membership.end_date,
            Membership.dues,
            paid.c.paid,
            MembershipType.honorary,
        )
        .join(MembershipType, Membership.membership_type_id == MembershipType.id)
        .outerjoin(paid, paid.c.membership_id == Membership.id)
        .where(Membership.member_id == member_id)
    )
    periods = [
        Period(row.start_date, row.end_date, row.dues, row.paid or _ZERO, row.honorary)
        for row in session.execute(query)
    ]
    return membership_status(periods, on, grace_days(session))


def default_category(session: Session, member_id: int, on: date) -> RegistrationCategory:
    """Member for a member in good standing (current, in grace, honorary), else non-member."""
    if member_standing(session, member_id, on) in MEMBER_STANDINGS:
        return RegistrationCategory.MEMBER
    return RegistrationCategory.NON_MEMBER


def quote_fee(
    session: Session,
    meeting_id: int,
    member_id: int | None,
    category: RegistrationCategory | None,
    on: date,
) -> tuple[RegistrationCategory, Decimal]:
    """The category (defaulted from the person's standing) and fee a registration would get."""
    meeting = get_meeting(session, meeting_id)
    if category is None:
        category = (
            default_category(session, member_id, on)
            if member_id is not None
            else RegistrationCategory.NON_MEMBER
        )
    return category, fee_for(meeting, category, on)


# --- people ----------------------------------------------------------------------------


def person_for(session: Session, person: NewPerson) -> Member:
    """The person with this email if there is one, else a new contact (not a member)."""
    first, last = " ".join(person.first_name.split()), " ".join(person.last_name.split())
    try:
        email = normalize_email(person.email) if person.email else None
    except ValueProblem as problem:
        raise DataRefused(f"The email {problem}; correct it or leave it empty.") from None
    if email is not None:
        existing = session.scalar(select(Member).where(Member.email == email))
        if existing is not None:
            return existing
    if not first or not last:
        raise DataRefused("Type the person's first and last name.")
    if len(first) > 100 or len(last) > 100:
        raise DataRefused("A name is longer than 100 characters; shorten it.")
    member = Member(
        first_name=first, last_name=last, email=email, credentials=person.credentials.strip()
    )
    session.add(member)
    session.flush()
    return member


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise DataRefused(
            f"There is no person number {member_id}; see the members list for the numbers."
        )
    return member


def get_registration(session: Session, registration_id: int) -> Registration:
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise DataRefused(f"There is no registration number {registration_id}.")
    return registration


def find_registration(session: Session, meeting_id: int, member_id: int) -> Registration:
    """A person's registration for a meeting, or a refusal saying they have none."""
    meeting = get_meeting(session, meeting_id)
    member = _member(session, member_id)
    registration = session.scalar(
        select(Registration).where(
            Registration.meeting_id == meeting_id, Registration.member_id == member_id
        )
    )
    if registration is None:
        raise DataRefused(
            f"{member.full_name} is not registered for “{meeting.title}”; register them first."
        )
    return registration


# --- registering -----------------------------------------------------------------------


def register(
    session: Session,
    meeting_id: int,
    member_id: int,
    *,
    category: RegistrationCategory | None = None,
    on: date | None = None,
    allow_over_capacity: bool = False,
    payment: PaymentInput | None = None,
) -> Registration:
    """Register a person; the fee comes from the category (by default from their
    membership standing) and the date. When the meeting is full they join the end of the
    waitlist, unless `allow_over_capacity` (a walk-in the desk admits).

    Someone who cancelled earlier is registered again on the same record.
    """
    meeting = get_meeting(session, meeting_id)
    member = _member(session, member_id)
    now = utc_now()
    on = on or date.today()
    registration = session.scalar(
        select(Registration).where(
            Registration.meeting_id == meeting_id, Registration.member_id == member_id
        )
    )
    if registration is not None and registration.status is not RegistrationStatus.CANCELLED:
        where = (
            f"on the waitlist (place {registration.waitlist_position})"
            if registration.status is RegistrationStatus.WAITLISTED
            else "registered"
        )
        raise DataRefused(f"{member.full_name} is already {where} for “{meeting.title}”.")
    category, fee = quote_fee(session, meeting_id, member_id, category, on)
    # Decide the place before the new row exists, so a flush cannot count it.
    fill_open_places(session, meeting_id)
    gets_place = allow_over_capacity or _has_open_place(session, meeting)
    waitlisted = RegistrationStatus.WAITLISTED
    position = None if gets_place else count_registrations(session, meeting_id, waitlisted) + 1
    if registration is None:
        # By id, not by relationship: appending to meeting.registrations would load them all.
        registration = Registration(meeting_id=meeting.id, member_id=member.id)
        session.add(registration)
    registration.category = category
    registration.fee = fee
    registration.registered_at = (
        now if on == date.today() else datetime.combine(on, time(12), tzinfo=UTC)
    )
    registration.cancelled_at = None
    registration.checked_in_at = None
    registration.status = (
        RegistrationStatus.REGISTERED if gets_place else RegistrationStatus.WAITLISTED
    )
    registration.waitlist_position = position
    session.flush()
    if payment is not None:
        record_registration_payment(session, registration.id, payment)
    return registration


def register_new_person(
    session: Session,
    meeting_id: int,
    person: NewPerson,
    *,
    category: RegistrationCategory | None = None,
    on: date | None = None,
    allow_over_capacity: bool = False,
    payment: PaymentInput | None = None,
) -> Registration:
    """Register someone typed in by name: the person with that email if known, else a new
    contact in the database (not a member)."""
    member = person_for(session, person)
    return register(
        session,
        meeting_id,
        member.id,
        category=category,
        on=on,
        allow_over_capacity=allow_over_capacity,
        payment=payment,
    )


def register_walk_in(
    session: Session,
    meeting_id: int,
    person: NewPerson | int,
    *,
    category: RegistrationCategory | None = None,
    payment: PaymentInput | None = None,
) -> Registration:
    """Someone at the door who had not registered: registered on the spot (over capacity
    if need be, since the desk decided to admit them) and checked in."""
    member_id = person if isinstance(person, int) else person_for(session, person).id
    registration = register(
        session,
        meeting_id,
        member_id,
        category=category,
        allow_over_capacity=True,
        payment=payment,
    )
    registration.checked_in_at = utc_now()
    session.flush()
    return registration


def change_category(
    session: Session, registration_id: int, category: RegistrationCategory
) -> Registration:
    """Move a registration to another category; the fee is that category's on the day
    they registered."""
    registration = get_registration(session, registration_id)
    registered_on = registration.registered_at.astimezone().date()
    registration.fee = fee_for(registration.meeting, category, registered_on)
    registration.category = category
    session.flush()
    return registration


# --- the waitlist ----------------------------------------------------------------------


def count_registrations(session: Session, meeting_id: int, status: RegistrationStatus) -> int:
    """How many of the meeting's registrations have `status`."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.meeting_id == meeting_id, Registration.status == status)
        )
        or 0
    )


def _registered_count(session: Session, meeting_id: int) -> int:
    return count_registrations(session, meeting_id, RegistrationStatus.REGISTERED)


def _has_open_place(session: Session, meeting: Meeting) -> bool:
    if meeting.capacity is None:
        return True
    return _registered_count(session, meeting.id) < meeting.capacity


def _waitlist(session: Session, meeting_id: int) -> list[Registration]:
    """The waitlisted registrations in their order."""
    return list(
        session.scalars(
            select(Registration)
            .where(
                Registration.meeting_id == meeting_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.waitlist_position, Registration.registered_at, Registration.id)
        )
    )


def _renumber(waitlist: Sequence[Registration]) -> None:
    for position, registration in enumerate(waitlist, start=1):
        if registration.waitlist_position != position:
            registration.waitlist_position = position


def _admit(registration: Registration) -> None:
    registration.status = RegistrationStatus.REGISTERED
    registration.waitlist_position = None


def fill_open_places(session: Session, meeting_id: int) -> list[Registration]:
    """Give open places to the waitlist, first come first served; returns who got one."""
    meeting = get_meeting(session, meeting_id)
    if meeting.capacity is not None:
        free = meeting.capacity - _registered_count(session, meeting_id)
        if free <= 0:
            return []  # the usual case when registering into a full meeting: no loading
    waitlist = _waitlist(session, meeting_id)
    promoted = waitlist if meeting.capacity is None else waitlist[:free]
    for registration in promoted:
        _admit(registration)
    _renumber(waitlist[len(promoted) :])
    session.flush()
    return promoted


def admit_from_waitlist(session: Session, registration_id: int) -> Registration:
    """Give a waitlisted person a place now, even over capacity (e.g. at the door when
    there are no-shows); those behind them move up."""
    registration = get_registration(session, registration_id)
    if registration.status is not RegistrationStatus.WAITLISTED:
        raise DataRefused(f"{registration.member.full_name} is not on the waitlist.")
    _admit(registration)
    _renumber(_waitlist(session, registration.meeting_id))
    session.flush()
    return registration


def return_to_waitlist(session: Session, registration_id: int, position: int) -> Registration:
    """Put a registration back on the waitlist at `position` (undoing an admission);
    those from that place on move down one."""
    registration = get_registration(session, registration_id)
    if registration.status is not RegistrationStatus.REGISTERED:
        raise DataRefused(f"{registration.member.full_name} does not hold a place.")
    waitlist = _waitlist(session, registration.meeting_id)
    index = max(0, min(position - 1, len(waitlist)))
    registration.status = RegistrationStatus.WAITLISTED
    _renumber([*waitlist[:index], registration, *waitlist[index:]])
    session.flush()
    return registration


# --- money and cancelling --------------------------------------------------------------


def amount_paid(session: Session, registration_id: int) -> Decimal:
    """Payments for a registration less its refunds."""
    total = session.scalar(
        select(func.sum(Payment.amount)).where(Payment.registration_id == registration_id)
    )
    return total if total is not None else _ZERO


def check_registration_payment(amount: Decimal) -> None:
    """Refuse an amount no registration fee can be (refunds are made by cancelling)."""
    if amount <= 0 or amount > MAX_AMOUNT:
        raise DataRefused(
            f"A registration payment of {amount} is not possible; enter the amount "
            "received (refunds are made by cancelling)."
        )


def record_registration_payment(
    session: Session, registration_id: int, payment: PaymentInput
) -> Payment:
    """A registration fee received, in the same payments the treasurer's books read."""
    registration = get_registration(session, registration_id)
    check_registration_payment(payment.amount)
    return record_payment(
        session,
        amount=payment.amount,
        paid_on=payment.paid_on,
        method=payment.method,
        purpose=PaymentPurpose.REGISTRATION,
        registration_id=registration.id,
        reference=payment.reference,
        payer_name=registration.member.full_name,
        memo=f"Registration: {registration.meeting.title}",
    )


def cancel_registration(
    session: Session,
    registration_id: int,
    *,
    refund: PaymentInput | None = None,
    reason: str = "",
) -> CancelResult:
    """Cancel a registration, refund what is asked (never more than was paid), and give
    the freed place to the first person on the waitlist."""
    registration = get_registration(session, registration_id)
    name = registration.member.full_name
    if registration.status is RegistrationStatus.CANCELLED:
        raise DataRefused(f"{name}'s registration is already cancelled.")
    refund_payment: Payment | None = None
    if refund is not None:
        paid = amount_paid(session, registration_id)
        if refund.amount <= 0:
            raise DataRefused(
                f"A refund of {refund.amount} is not possible; enter the amount to give back, "
                "or none."
            )
        if refund.amount > paid:
            raise DataRefused(
                f"A refund of {refund.amount} is more than the {paid} {name} paid; "
                "refund at most what was paid."
            )
        memo = f"Refund: {registration.meeting.title}"
        if reason.strip():
            memo += f" ({reason.strip()})"
        refund_payment = record_payment(
            session,
            amount=-refund.amount,
            paid_on=refund.paid_on,
            method=refund.method,
            purpose=PaymentPurpose.REFUND,
            registration_id=registration.id,
            reference=refund.reference,
            payer_name=name,
            memo=memo,
        )
    had_place = registration.status is RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.waitlist_position = None
    registration.cancelled_at = utc_now()
    session.flush()
    promoted: list[Registration] = []
    if had_place:
        promoted = fill_open_places(session, registration.meeting_id)
    else:
        _renumber(_waitlist(session, registration.meeting_id))
        session.flush()
    return CancelResult(registration, refund_payment, promoted)


# --- reading ---------------------------------------------------------------------------


def payment_status(
    status: RegistrationStatus, fee: Decimal, paid: Decimal, refunded: Decimal
) -> PaymentStatus:
    if refunded > 0 and (status is RegistrationStatus.CANCELLED or paid <= 0):
        return PaymentStatus.REFUNDED
    if status is RegistrationStatus.CANCELLED and paid <= 0:
        return PaymentStatus.NOTHING_DUE
    if fee == 0 and paid == 0:
        return PaymentStatus.NO_FEE
    if paid <= 0:
        return PaymentStatus.UNPAID
    if paid < fee:
        return PaymentStatus.PART_PAID
    if paid > fee:
        return PaymentStatus.OVERPAID
    return PaymentStatus.PAID


_STATUS_ORDER = {
    RegistrationStatus.REGISTERED: 0,
    RegistrationStatus.WAITLISTED: 1,
    RegistrationStatus.CANCELLED: 2,
}


def registration_rows(session: Session, meeting_id: int) -> list[RegistrationRow]:
    """Every registration of a meeting: registered by name, then the waitlist in order,
    then the cancelled."""
    get_meeting(session, meeting_id)
    money: dict[int, list[Decimal]] = defaultdict(lambda: [_ZERO, _ZERO])
    for registration_id, amount in session.execute(
        select(Registration.id, Payment.amount)
        .join(Payment, Payment.registration_id == Registration.id)
        .where(Registration.meeting_id == meeting_id)
    ):
        money[registration_id][0] += amount
        if amount < 0:
            money[registration_id][1] -= amount
    query = (
        select(Registration, Member)
        .join(Member, Registration.member_id == Member.id)
        .where(Registration.meeting_id == meeting_id)
    )
    rows = []
    for registration, member in session.execute(query).all():
        paid, refunded = money[registration.id]
        rows.append(
            RegistrationRow(
                id=registration.id,
                meeting_id=meeting_id,
                member_id=member.id,
                first_name=member.first_name,
                last_name=member.last_name,
                credentials=member.credentials,
                email=member.email,
                category=registration.category,
                status=registration.status,
                waitlist_position=registration.waitlist_position,
                fee=registration.fee,
                paid=paid,
                refunded=refunded,
                payment_status=payment_status(
                    registration.status, registration.fee, paid, refunded
                ),
                registered_at=registration.registered_at,
                cancelled_at=registration.cancelled_at,
                checked_in_at=registration.checked_in_at,
            )
        )
    rows.sort(
        key=lambda r: (
            _STATUS_ORDER[r.status],
            r.waitlist_position or 0,
            name_key(r.last_name),
            name_key(r.first_name),
            r.id,
        )
    )
    return rows


def registration_matches(row: RegistrationRow, text: str) -> bool:
    """Whether every word of `text` is part of the registrant's name or email."""
    haystack = name_key(f"{row.first_name} {row.last_name} {row.email or ''}")
    return all(word in haystack for word in name_key(text).split())


def name_key(text: str) -> str:
    """A name for sorting and matching: accents and apostrophes dropped, case folded, so
    "Díaz" sorts with "Diaz" and "obrien" finds "O'Brien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("'", "").replace("’", "").casefold()
