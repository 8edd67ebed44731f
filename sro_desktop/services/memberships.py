"""Membership types, terms and renewals, dues payments, and who is due to renew.

A term is how long one period of a type lasts: a calendar year, the organization's fiscal
year, a year from the member's own start date (anniversary), or forever (honorary). A
renewal adds the period after the member's latest one, with the type's dues owed; the
member's status then follows from the periods and payments (see `membership_status`).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Integer, cast, func, insert, select
from sqlalchemy.orm import Session

from sro_desktop.db.audit import plain, record_audit
from sro_desktop.db.models import (
    Member,
    Membership,
    MembershipTerm,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.membership_status import MemberStatus, status_by_member
from sro_desktop.services.organization import grace_days, organization_settings
from sro_desktop.services.payments import record_payment
from sro_desktop.services.row_changes import note_inserted
from sro_desktop.services.values import ValueProblem, clean_text, parse_money

ZERO = Decimal("0.00")
MAX_GRACE_DAYS = 365


# --- terms ------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day `years` later; February 29 becomes February 28 in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def fiscal_year_containing(day: date, start_month: int) -> tuple[date, date]:
    """The fiscal year (first and last day) that `day` falls in."""
    year = day.year if day.month >= start_month else day.year - 1
    start = date(year, start_month, 1)
    return start, add_years(start, 1) - timedelta(days=1)


def term_end(term: MembershipTerm, start: date, fiscal_start_month: int) -> date | None:
    """The last day of a period of `term` that starts on `start` (None: never ends)."""
    if term is MembershipTerm.LIFETIME:
        return None
    if term is MembershipTerm.CALENDAR_YEAR:
        return date(start.year, 12, 31)
    if term is MembershipTerm.FISCAL_YEAR:
        return fiscal_year_containing(start, fiscal_start_month)[1]
    return add_years(start, 1) - timedelta(days=1)


def next_period(
    term: MembershipTerm,
    latest_end: date | None,
    as_of: date,
    fiscal_start_month: int,
) -> tuple[date, date | None]:
    """The period a renewal adds: it starts the day after the latest period ended (or on
    `as_of` for a first period) and runs to the end of its term. A member whose periods
    ended long ago does not pay for the missed years: the new period is the one covering
    `as_of` (for an anniversary term, the same anniversary day in the right year)."""
    if latest_end is None:
        start = as_of
        if term is MembershipTerm.CALENDAR_YEAR:
            start = date(as_of.year, 1, 1)
        elif term is MembershipTerm.FISCAL_YEAR:
            start = fiscal_year_containing(as_of, fiscal_start_month)[0]
        return start, term_end(term, start, fiscal_start_month)
    start = latest_end + timedelta(days=1)
    end = term_end(term, start, fiscal_start_month)
    if end is not None and end < as_of:
        if term is MembershipTerm.ANNIVERSARY:
            years = as_of.year - start.year
            start = add_years(start, years)
            if add_years(start, 1) - timedelta(days=1) < as_of:
                start = add_years(start, 1)
            elif start > as_of:
                start = add_years(start, -1)
                if add_years(start, 1) - timedelta(days=1) < as_of:
                    start = add_years(start, 1)
        elif term is MembershipTerm.CALENDAR_YEAR:
            start = date(as_of.year, 1, 1)
        else:
            start = fiscal_year_containing(as_of, fiscal_start_month)[0]
        end = term_end(term, start, fiscal_start_month)
    return start, end


# --- membership types -------------------------------------------------------------------


@dataclass(frozen=True)
class TypeDraft:
    """A membership type as typed in its form."""

    name: str
    dues: str
    term: MembershipTerm
    honorary: bool = False
    active: bool = True
    description: str = ""


def membership_types(session: Session, *, include_inactive: bool = True) -> list[MembershipType]:
    query = select(MembershipType).order_by(MembershipType.name)
    if not include_inactive:
        query = query.where(MembershipType.active.is_(True))
    return list(session.scalars(query))


def check_type(session: Session, draft: TypeDraft, type_id: int | None = None) -> dict[str, str]:
    """What is wrong with a type form, by field ("name", "dues"); empty when nothing is."""
    problems: dict[str, str] = {}
    name = clean_text(draft.name) or ""
    if not name:
        problems["name"] = "Give the type a name, such as Individual."
    elif len(name) > 100:
        problems["name"] = "The name is too long; keep it to 100 characters."
    else:
        clash = session.scalars(
            select(MembershipType).where(
                func.lower(MembershipType.name) == name.lower(), MembershipType.id != (type_id or 0)
            )
        ).first()
        if clash is not None:
            problems["name"] = f"There is already a type called {clash.name}."
    try:
        dues = parse_money(draft.dues)
        if dues is not None and dues < 0:
            problems["dues"] = "Dues cannot be negative."
    except ValueProblem as problem:
        problems["dues"] = f"{problem}."
    if draft.honorary and draft.term is not MembershipTerm.LIFETIME:
        problems["term"] = "An honorary membership never expires; choose “Never expires”."
    return problems


def save_membership_type(
    session: Session, draft: TypeDraft, type_id: int | None = None
) -> MembershipType:
    """Add a type (type_id None) or change one. New dues apply to periods added later;
    periods already added keep the dues they were added with."""
    problems = check_type(session, draft, type_id)
    if problems:
        field_name, problem = next(iter(problems.items()))
        raise DataRefused(f"Membership type {field_name}: {problem}")
    if type_id is None:
        kind = MembershipType(name="")
        session.add(kind)
    else:
        found = session.get(MembershipType, type_id)
        if found is None:
            raise DataRefused(f"There is no membership type #{type_id}.")
        kind = found
    kind.name = clean_text(draft.name) or ""
    kind.dues = ZERO if draft.honorary else parse_money(draft.dues) or ZERO
    kind.term = draft.term
    kind.honorary = draft.honorary
    kind.active = draft.active
    kind.description = draft.description.strip()
    session.flush()
    return kind


def delete_membership_type(session: Session, type_id: int) -> None:
    """Delete a type nobody has held; a type in use can only be retired (made inactive)."""
    kind = session.get(MembershipType, type_id)
    if kind is None:
        raise DataRefused(f"There is no membership type #{type_id}.")
    used = session.scalar(
        select(func.count()).select_from(Membership).where(Membership.membership_type_id == type_id)
    )
    if used:
        raise DataRefused(
            f"{kind.name} is held by {used} membership period{'s' if used != 1 else ''}, so "
            "it cannot be deleted; untick “Offered” to retire it instead."
        )
    session.delete(kind)
    session.flush()


def set_membership_settings(session: Session, grace: int, fiscal_start_month: int) -> None:
    """The days of grace after a period ends, and the month the fiscal year starts."""
    if not 0 <= grace <= MAX_GRACE_DAYS:
        raise DataRefused(f"Grace days must be between 0 and {MAX_GRACE_DAYS}.")
    if not 1 <= fiscal_start_month <= 12:
        raise DataRefused("The fiscal year must start in a month from 1 to 12.")
    settings = organization_settings(session)
    settings.grace_days = grace
    settings.fiscal_year_start_month = fiscal_start_month
    session.flush()


# --- renewals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedPeriod:
    """A period a renewal adds (or would add)."""

    member_id: int
    membership_type_id: int
    type_name: str
    start: date
    end: date | None
    dues: Decimal
    first: bool = False  # the member's first membership


@dataclass(frozen=True)
class RenewalResult:
    """What a renewal added, and whom it skipped and why."""

    added: list[PlannedPeriod]
    skipped: list[tuple[int, str]]
    membership_ids: list[int]

    def summary(self) -> str:
        added = len(self.added)
        text = f"Renewed {added} member{'s' if added != 1 else ''}"
        if self.skipped:
            text += f"; skipped {len(self.skipped)} ({self.skipped[0][1]}"
            text += ", …)" if len(self.skipped) > 1 else ")"
        return text


@dataclass(frozen=True)
class _Latest:
    member_id: int
    type_id: int
    start: date
    end: date | None


def _latest_periods(session: Session, member_ids: Sequence[int]) -> dict[int, _Latest]:
    latest: dict[int, _Latest] = {}
    for start in range(0, len(member_ids), 500):
        chunk = member_ids[start : start + 500]
        newest = (
            select(
                Membership.member_id,
                cast(
                    func.substr(
                        func.max(func.printf("%s%010d", Membership.start_date, Membership.id)), 11
                    ),
                    Integer,
                ).label("membership_id"),
            )
            .where(Membership.member_id.in_(chunk))
            .group_by(Membership.member_id)
            .subquery()
        )
        rows = session.execute(
            select(
                Membership.member_id,
                Membership.membership_type_id,
                Membership.start_date,
                Membership.end_date,
            ).join(newest, newest.c.membership_id == Membership.id)
        )
        for row in rows:
            latest[row.member_id] = _Latest(
                row.member_id, row.membership_type_id, row.start_date, row.end_date
            )
        # A later-ending period can start earlier (an edited history): keep the latest end.
        ends = session.execute(
            select(Membership.member_id, func.max(Membership.end_date).label("end"))
            .where(Membership.member_id.in_(chunk))
            .group_by(Membership.member_id)
        )
        for member_id, end in ends:
            found = latest.get(member_id)
            if found is not None and found.end is not None and end is not None:
                latest[member_id] = _Latest(
                    found.member_id, found.type_id, found.start, max(found.end, end)
                )
    return latest


def plan_renewals(
    session: Session,
    member_ids: Sequence[int],
    as_of: date,
    *,
    membership_type_id: int | None = None,
    skip_renewed: bool = True,
) -> tuple[list[PlannedPeriod], list[tuple[int, str]]]:
    """The periods renewing `member_ids` would add, and who would be skipped and why.

    Each member renews into the type of their latest period, or `membership_type_id` when
    given (which also starts a first membership for someone who never had one). With
    `skip_renewed`, a member whose latest period starts after `as_of` is skipped as already
    renewed, so renewing everyone twice by mistake adds nothing the second time."""
    types = {kind.id: kind for kind in session.scalars(select(MembershipType))}
    chosen = types.get(membership_type_id) if membership_type_id is not None else None
    if membership_type_id is not None and chosen is None:
        raise DataRefused(f"There is no membership type #{membership_type_id}.")
    fiscal_start = organization_settings(session).fiscal_year_start_month
    latest = _latest_periods(session, list(member_ids))
    planned: list[PlannedPeriod] = []
    skipped: list[tuple[int, str]] = []
    for member_id in member_ids:
        previous = latest.get(member_id)
        kind = chosen or (types[previous.type_id] if previous is not None else None)
        if kind is None:
            skipped.append((member_id, "no membership to renew; choose a type to start one"))
            continue
        if previous is not None and previous.end is None:
            skipped.append(
                (member_id, f"their {types[previous.type_id].name} membership never expires")
            )
            continue
        if previous is not None and skip_renewed and previous.start > as_of:
            skipped.append((member_id, f"already renewed through {previous.end:%m/%d/%Y}"))
            continue
        if not kind.active and chosen is None:
            skipped.append((member_id, f"{kind.name} is no longer offered; choose another type"))
            continue
        start, end = next_period(
            kind.term, previous.end if previous is not None else None, as_of, fiscal_start
        )
        dues = ZERO if kind.honorary else kind.dues
        planned.append(
            PlannedPeriod(member_id, kind.id, kind.name, start, end, dues, previous is None)
        )
    return planned, skipped


def renew_members(
    session: Session,
    member_ids: Sequence[int],
    as_of: date,
    *,
    membership_type_id: int | None = None,
    skip_renewed: bool = True,
) -> RenewalResult:
    """Add the next period, with its dues owed, for each of `member_ids` (see
    `plan_renewals`). Written in bulk, with its audit trail, so renewing thousands at once
    takes a moment, not minutes."""
    planned, skipped = plan_renewals(
        session,
        member_ids,
        as_of,
        membership_type_id=membership_type_id,
        skip_renewed=skip_renewed,
    )
    ids: list[int] = []
    rows = [
        {
            "member_id": p.member_id,
            "membership_type_id": p.membership_type_id,
            "start_date": p.start,
            "end_date": p.end,
            "dues": p.dues,
        }
        for p in planned
    ]
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        result = session.execute(
            insert(Membership).returning(Membership.id, sort_by_parameter_order=True), chunk
        )
        ids.extend(result.scalars())
    record_audit(
        session,
        Membership.__tablename__,
        [
            {
                "row_id": membership_id,
                "member_id": row["member_id"],
                "action": "insert",
                "new_values": {k: plain(v) for k, v in row.items()},
            }
            for membership_id, row in zip(ids, rows, strict=True)
        ],
    )
    note_inserted(session, Membership.__table__, ids)  # type: ignore[arg-type]
    # Someone starting their first membership is a member from its first day.
    for period in (p for p in planned if p.first):
        member = session.get(Member, period.member_id)
        if member is not None and member.member_since is None:
            member.member_since = period.start
    session.flush()
    return RenewalResult(planned, skipped, ids)


def member_ids_with_status(
    session: Session, as_of: date, statuses: Collection[MemberStatus]
) -> list[int]:
    """Everyone (not archived) whose status on `as_of` is one of `statuses`."""
    status = status_by_member(as_of, grace_days(session))
    query = (
        select(Member.id)
        .join(status, status.c.member_id == Member.id)
        .where(Member.archived.is_(False), status.c.status.in_([s.value for s in statuses]))
        .order_by(Member.id)
    )
    return list(session.scalars(query))


# --- dues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodBalance:
    """One membership period with what was paid against it."""

    membership_id: int
    membership_type: str
    start: date
    end: date | None
    dues: Decimal
    paid: Decimal
    honorary: bool

    @property
    def outstanding(self) -> Decimal:
        return ZERO if self.honorary else max(self.dues - self.paid, ZERO)

    @property
    def standing(self) -> str:
        if self.honorary or self.end is None:
            return "Never expires"
        if self.paid >= self.dues:
            return "Paid"
        return "Part paid" if self.paid > 0 else "Unpaid"


def period_balances(session: Session, member_id: int) -> list[PeriodBalance]:
    """A member's periods, oldest first, with what was paid against each."""
    paid = (
        select(Payment.membership_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.member_id == member_id, Payment.membership_id.is_not(None))
        .group_by(Payment.membership_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Membership.id,
            MembershipType.name,
            Membership.start_date,
            Membership.end_date,
            Membership.dues,
            paid.c.paid,
            MembershipType.honorary,
        )
        .join(MembershipType, MembershipType.id == Membership.membership_type_id)
        .outerjoin(paid, paid.c.membership_id == Membership.id)
        .where(Membership.member_id == member_id)
        .order_by(Membership.start_date, Membership.id)
    )
    return [
        PeriodBalance(
            row.id,
            row.name,
            row.start_date,
            row.end_date,
            row.dues,
            row.paid if row.paid is not None else ZERO,
            row.honorary,
        )
        for row in rows
    ]


def record_dues_payment(
    session: Session,
    *,
    member_id: int,
    amount: Decimal,
    paid_on: date,
    method: PaymentMethod,
    reference: str = "",
    membership_id: int | None = None,
    memo: str = "",
) -> Payment:
    """Record dues received from a member against one of their periods: the one given, else
    the oldest with dues outstanding, else the latest."""
    member = session.get(Member, member_id)
    if member is None:
        raise DataRefused(f"There is no member #{member_id}; check the number.")
    balances = period_balances(session, member_id)
    if membership_id is not None:
        if membership_id not in {b.membership_id for b in balances}:
            raise DataRefused(
                f"Membership #{membership_id} is not one of {member.full_name}'s periods."
            )
    elif balances:
        owing = [b for b in balances if b.outstanding > 0]
        membership_id = (owing[0] if owing else balances[-1]).membership_id
    else:
        raise DataRefused(
            f"{member.full_name} has no membership to pay dues for; renew or start one first."
        )
    if method is PaymentMethod.CHECK and not reference.strip():
        raise DataRefused("Give the check number for a payment by check.")
    return record_payment(
        session,
        amount=amount,
        paid_on=paid_on,
        method=method,
        purpose=PaymentPurpose.DUES,
        membership_id=membership_id,
        reference=reference,
        payer_name=member.full_name,
        memo=memo,
    )


# --- who is due -------------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalDue:
    """A member whose paid-up membership ends within the window, or who is in grace."""

    member_id: int
    first_name: str
    last_name: str
    email: str | None
    membership_type: str | None
    status: MemberStatus
    paid_through: date
    lapses_on: date

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def renewals_due(session: Session, as_of: date, days: int) -> list[RenewalDue]:
    """Members who are current or in grace on `as_of` but will not be current `days` later
    (their paid periods end and no paid renewal follows), soonest to lapse first.

    `lapses_on` is the first day they count as lapsed: the day after the grace days."""
    grace = grace_days(session)
    now = status_by_member(as_of, grace, name="status_now")
    later = status_by_member(as_of + timedelta(days=days), grace, name="status_later")
    query = (
        select(
            Member.id,
            Member.first_name,
            Member.last_name,
            Member.email,
            MembershipType.name,
            now.c.status,
            now.c.paid_through,
        )
        .join(now, now.c.member_id == Member.id)
        .join(later, later.c.member_id == Member.id)
        .outerjoin(MembershipType, MembershipType.id == now.c.membership_type_id)
        .where(
            Member.archived.is_(False),
            now.c.status.in_([MemberStatus.CURRENT.value, MemberStatus.GRACE.value]),
            later.c.status.not_in([MemberStatus.CURRENT.value, MemberStatus.HONORARY.value]),
            now.c.paid_through.is_not(None),
        )
    )
    due = []
    for row in session.execute(query):
        paid_through = date.fromisoformat(row.paid_through)
        due.append(
            RenewalDue(
                row.id,
                row.first_name,
                row.last_name,
                row.email,
                row.name,
                MemberStatus(row.status),
                paid_through,
                paid_through + timedelta(days=grace + 1),
            )
        )
    due.sort(key=lambda d: (d.paid_through, d.last_name.casefold(), d.first_name.casefold()))
    return due


def bcc_list(emails: Sequence[str | None], separator: str = ", ") -> str:
    """Addresses ready to paste into a mail program's BCC field, each once."""
    seen: dict[str, None] = {}
    for email in emails:
        if email:
            seen.setdefault(email.strip().lower(), None)
    return separator.join(seen)


def record_member_payment(
    session: Session,
    *,
    member_id: int,
    amount: Decimal,
    paid_on: date,
    method: PaymentMethod,
    purpose: PaymentPurpose,
    reference: str = "",
    membership_id: int | None = None,
    registration_id: int | None = None,
    memo: str = "",
) -> Payment:
    """Money received from a member: dues go against a membership period (see
    `record_dues_payment`); anything else is recorded against the member."""
    if purpose is PaymentPurpose.DUES:
        return record_dues_payment(
            session,
            member_id=member_id,
            amount=amount,
            paid_on=paid_on,
            method=method,
            reference=reference,
            membership_id=membership_id,
            memo=memo,
        )
    member = session.get(Member, member_id)
    if member is None:
        raise DataRefused(f"There is no member #{member_id}; check the number.")
    if method is PaymentMethod.CHECK and not reference.strip():
        raise DataRefused("Give the check number for a payment by check.")
    if membership_id is not None:
        raise DataRefused("Only dues are paid against a membership; leave the membership out.")
    payment = record_payment(
        session,
        amount=amount,
        paid_on=paid_on,
        method=method,
        purpose=purpose,
        member_id=member_id,
        registration_id=registration_id,
        reference=reference,
        payer_name=member.full_name,
        memo=memo,
    )
    if payment.member_id != member_id:
        raise DataRefused(f"Registration #{registration_id} is not {member.full_name}'s.")
    return payment


def check_payment_form(
    amount: str, method: PaymentMethod, reference: str
) -> tuple[Decimal | None, dict[str, str]]:
    """The amount typed into a payment form, and what is wrong with the form by field
    ("amount", "reference")."""
    problems: dict[str, str] = {}
    value: Decimal | None = None
    try:
        value = parse_money(amount)
    except ValueProblem as problem:
        problems["amount"] = f"{problem}."
    else:
        if value is None:
            problems["amount"] = "Enter the amount received."
        elif value == 0:
            problems["amount"] = "A payment of 0.00 is not possible; enter the amount received."
    if method is PaymentMethod.CHECK and not reference.strip():
        problems["reference"] = "Give the check number."
    return value, problems
