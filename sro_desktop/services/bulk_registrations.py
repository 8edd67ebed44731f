"""Registering many people for a meeting at once (an import), as one by one would.

`registrations.register` is made for one person at the desk: it looks up the meeting,
the person, their membership standing, the places left and the waitlist, and flushes,
a dozen statements for each registration, so a form export of 2,000 rows took seconds.
Here the same rules run over the whole list with a handful of statements: standings
read for everyone at once, places given in list order (the waitlist continued in
the same order once the meeting is full), and the new people, registrations and
payments each added in one flush, which the audit trail records as always.

Only new registrations come here; taking up a cancelled registration again (or
changing one) goes through `registrations` as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Member,
    Membership,
    MembershipType,
    Payment,
    PaymentPurpose,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from sro_desktop.db.models.base import utc_now
from sro_desktop.errors import DataRefused
from sro_desktop.services.meetings import fee_for, get_meeting
from sro_desktop.services.membership_status import Period, membership_status
from sro_desktop.services.organization import grace_days
from sro_desktop.services.registrations import (
    MEMBER_STANDINGS,
    NewPerson,
    PaymentInput,
    check_registration_payment,
    count_registrations,
    fill_open_places,
)
from sro_desktop.services.values import ValueProblem, normalize_email

__all__ = ["NewRegistration", "add_people", "membership_periods", "register_many"]

_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class NewRegistration:
    """One person to register: the category (None: from their standing), the day they
    registered (None: today) and any payment taken with it."""

    member_id: int
    category: RegistrationCategory | None = None
    on: date | None = None
    payment: PaymentInput | None = None
    #: The fee agreed, instead of the category's (which must still exist).
    fee: Decimal | None = None


def add_people(session: Session, people: Sequence[NewPerson]) -> list[Member]:
    """`registrations.person_for` for each: the person with the email if known, else a new
    contact (checked the same way), all added in one flush."""
    emails: list[str | None] = []
    for person in people:
        try:
            emails.append(normalize_email(person.email) if person.email else None)
        except ValueProblem as problem:
            raise DataRefused(f"The email {problem}; correct it or leave it empty.") from None
    known: dict[str, Member] = {}
    wanted = sorted({email for email in emails if email is not None})
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        known.update(
            (member.email, member)
            for member in session.scalars(select(Member).where(Member.email.in_(part)))
            if member.email is not None
        )
    found: list[Member] = []
    added: list[Member] = []
    for person, email in zip(people, emails, strict=True):
        existing = known.get(email) if email is not None else None
        if existing is not None:
            found.append(existing)
            continue
        first, last = " ".join(person.first_name.split()), " ".join(person.last_name.split())
        if not first or not last:
            raise DataRefused("Type the person's first and last name.")
        if len(first) > 100 or len(last) > 100:
            raise DataRefused("A name is longer than 100 characters; shorten it.")
        member = Member(
            first_name=first, last_name=last, email=email, credentials=person.credentials.strip()
        )
        if email is not None:
            known[email] = member
        added.append(member)
        found.append(member)
    session.add_all(added)
    session.flush()
    return found


def membership_periods(session: Session, member_ids: Sequence[int]) -> dict[int, list[Period]]:
    """Each person's membership periods as `registrations.member_standing` reads them,
    in one query per 500 people."""
    paid = (
        select(Payment.membership_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.membership_id.is_not(None))
        .group_by(Payment.membership_id)
        .subquery()
    )
    periods: dict[int, list[Period]] = defaultdict(list)
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), 500):
        query = (
            select(
                Membership.member_id,
                Membership.start_date,
                Membership.end_date,
                Membership.dues,
                paid.c.paid,
                MembershipType.honorary,
            )
            .join(MembershipType, Membership.membership_type_id == MembershipType.id)
            .outerjoin(paid, paid.c.membership_id == Membership.id)
            .where(Membership.member_id.in_(ids[start : start + 500]))
        )
        for row in session.execute(query):
            periods[row.member_id].append(
                Period(row.start_date, row.end_date, row.dues, row.paid or _ZERO, row.honorary)
            )
    return periods


def register_many(
    session: Session,
    meeting_id: int,
    entries: Sequence[NewRegistration],
    import_batch_id: int | None = None,
) -> list[Registration]:
    """Register each person in turn, as `registrations.register` would one after another:
    the fee from the category (by default from their standing) and the day, a place
    while there is one, then the end of the waitlist. None of them may be registered for
    the meeting already (cancelled registrations are taken up by `register`). The
    registrations and payments belong to `import_batch_id` when given."""
    if not entries:
        return []
    meeting = get_meeting(session, meeting_id)
    today = date.today()
    now = utc_now()
    already = set(
        session.scalars(
            select(Registration.member_id).where(
                Registration.meeting_id == meeting_id,
                Registration.member_id.in_({entry.member_id for entry in entries}),
            )
        )
    )
    if already:
        raise DataRefused(
            f"Person number {min(already)} is registered for “{meeting.title}” already."
        )
    defaulted = [entry.member_id for entry in entries if entry.category is None]
    periods = membership_periods(session, defaulted) if defaulted else {}
    grace = grace_days(session)
    # Places: the waitlist first takes any that are open, then these people in order.
    fill_open_places(session, meeting_id)
    registered = count_registrations(session, meeting_id, RegistrationStatus.REGISTERED)
    waitlisted = count_registrations(session, meeting_id, RegistrationStatus.WAITLISTED)
    registrations: list[Registration] = []
    for entry in entries:
        on = entry.on or today
        category = entry.category
        if category is None:  # from their standing on the day they registered
            standing = membership_status(periods.get(entry.member_id, []), on, grace)
            member = standing in MEMBER_STANDINGS
            category = RegistrationCategory.MEMBER if member else RegistrationCategory.NON_MEMBER
        fee = fee_for(meeting, category, on)
        if entry.fee is not None:
            fee = entry.fee
        if meeting.capacity is None or registered < meeting.capacity:
            status, position = RegistrationStatus.REGISTERED, None
            registered += 1
        else:
            waitlisted += 1
            status, position = RegistrationStatus.WAITLISTED, waitlisted
        registrations.append(
            Registration(
                meeting_id=meeting.id,
                member_id=entry.member_id,
                category=category,
                fee=fee,
                registered_at=now if on == today else datetime.combine(on, time(12), tzinfo=UTC),
                cancelled_at=None,
                checked_in_at=None,
                status=status,
                waitlist_position=position,
                import_batch_id=import_batch_id,
            )
        )
    session.add_all(registrations)
    session.flush()
    payments = [entry.payment for entry in entries]
    _add_payments(session, meeting.title, registrations, payments, import_batch_id)
    return registrations


def _add_payments(
    session: Session,
    title: str,
    registrations: Sequence[Registration],
    payments: Sequence[PaymentInput | None],
    import_batch_id: int | None,
) -> None:
    """The payments taken with the registrations, as `record_registration_payment` adds
    them one by one."""
    wanted = [(r, p) for r, p in zip(registrations, payments, strict=True) if p is not None]
    if not wanted:
        return
    names = {
        member_id: f"{first} {last}".strip()
        for member_id, first, last in _names(session, [r.member_id for r, _p in wanted])
    }
    added: list[Payment] = []
    for registration, payment in wanted:
        amount = Decimal(payment.amount).quantize(Decimal("0.01"))
        check_registration_payment(amount)
        added.append(
            Payment(
                member_id=registration.member_id,
                registration_id=registration.id,
                meeting_id=registration.meeting_id,
                amount=amount,
                paid_on=payment.paid_on,
                method=payment.method,
                purpose=PaymentPurpose.REGISTRATION,
                reference=payment.reference.strip(),
                payer_name=names.get(registration.member_id, "").strip(),
                memo=f"Registration: {title}".strip(),
                import_batch_id=import_batch_id,
            )
        )
    session.add_all(added)
    session.flush()


def _names(session: Session, member_ids: Sequence[int]) -> list[tuple[int, str, str]]:
    ids = sorted(set(member_ids))
    found: list[tuple[int, str, str]] = []
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        query = select(Member.id, Member.first_name, Member.last_name).where(Member.id.in_(part))
        found.extend((row[0], row[1], row[2]) for row in session.execute(query))
    return found
