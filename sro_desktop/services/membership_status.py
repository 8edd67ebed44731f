"""A member's status on any date, computed from membership periods and payments.

No background job marks anyone lapsed: the status is a function of the periods, the
payments and the date asked about, so it is right for any as-of date, past or future.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)

from sro_desktop.db.models import Membership, MembershipType, Payment


class MemberStatus(StrEnum):
    CURRENT = "Current"
    GRACE = "Grace"
    LAPSED = "Lapsed"
    PENDING = "Pending"
    HONORARY = "Honorary"
    NON_MEMBER = "Non-member"


@dataclass(frozen=True)
class Period:
    """One membership period as the status rule sees it."""

    start: date
    end: date | None
    dues: Decimal
    paid: Decimal
    honorary: bool = False

    @property
    def paid_in_full(self) -> bool:
        return self.honorary or self.paid >= self.dues


def membership_status(periods: Sequence[Period], as_of: date, grace_days: int) -> MemberStatus:
    """Current: a period covers the date and is paid. Pending: a period covers the date
    (or is yet to start) and is unpaid, with no paid period recently ended. Grace: the last
    paid period ended no more than `grace_days` before the date. Lapsed: later than that.
    Honorary: an honorary period covers the date. Non-member: no periods at all."""
    if not periods:
        return MemberStatus.NON_MEMBER
    started = [p for p in periods if p.start <= as_of]
    if not started:
        return MemberStatus.PENDING
    covering = [p for p in started if p.end is None or p.end >= as_of]
    if any(p.honorary for p in covering):
        return MemberStatus.HONORARY
    if any(p.paid_in_full for p in covering):
        return MemberStatus.CURRENT
    last_paid_end = paid_through(started)
    if last_paid_end is not None and as_of <= last_paid_end + timedelta(days=grace_days):
        return MemberStatus.GRACE
    if covering:
        return MemberStatus.PENDING
    return MemberStatus.LAPSED


def paid_through(periods: Sequence[Period]) -> date | None:
    """The end of the latest fully paid period (None if none, or if it never ends)."""
    ends = [p.end for p in periods if p.paid_in_full and p.end is not None]
    return max(ends) if ends else None


# --- the same rule in SQL ---------------------------------------------------------------
#
# The members table needs the status of 100,000 people at once, and filtering on it, so the
# rule above is also written as one aggregate query: per member, a few facts about their
# periods on the as-of date, then a CASE over them in the same order as the Python rule.
# The dates it compares with (the as-of date, and the as-of date less the grace days) are
# computed here, once, and passed as parameters. Tests hold the two versions to each other.


def grace_cutoff(as_of: date, grace_days: int) -> date:
    """A period paid through this date or later still leaves its member in grace."""
    return as_of - timedelta(days=grace_days)


def _paid_per_membership(member_ids: Collection[int] | None, name: str) -> Subquery:
    query = (
        select(Payment.membership_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.membership_id.is_not(None))
        .group_by(Payment.membership_id)
    )
    if member_ids is not None:
        query = query.where(
            Payment.membership_id.in_(
                select(Membership.id).where(Membership.member_id.in_(member_ids))
            )
        )
    return query.subquery(name)


def status_by_member(
    as_of: date,
    grace_days: int,
    member_ids: Collection[int] | None = None,
    name: str = "member_status",
) -> Subquery:
    """One row per member who has any period: `member_id`, `status` (a MemberStatus value),
    `paid_through` (ISO date text or NULL) and `membership_type_id` of their latest period.

    Members without periods have no row; they are non-members.
    """
    paid = _paid_per_membership(member_ids, f"{name}_paid")
    started = Membership.start_date <= as_of
    covering = and_(started, or_(Membership.end_date.is_(None), Membership.end_date >= as_of))
    paid_in_full = or_(
        MembershipType.honorary.is_(True),
        func.coalesce(paid.c.paid, literal(0, Integer)) >= Membership.dues,
    )

    def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.max(case((condition, 1), else_=0))

    last_paid_end = func.max(case((and_(paid_in_full, started), Membership.end_date)))
    status = case(
        (func.sum(case((started, 1), else_=0)) == 0, MemberStatus.PENDING.value),
        (flag(and_(MembershipType.honorary.is_(True), covering)) == 1, MemberStatus.HONORARY.value),
        (flag(and_(paid_in_full, covering)) == 1, MemberStatus.CURRENT.value),
        (last_paid_end >= grace_cutoff(as_of, grace_days), MemberStatus.GRACE.value),
        (flag(covering) == 1, MemberStatus.PENDING.value),
        else_=MemberStatus.LAPSED.value,
    )
    # The latest period is the one with the greatest (start date, id); its type is read
    # from the tail of that sort key.
    latest = func.max(
        func.printf(
            "%s%010d%010d", Membership.start_date, Membership.id, Membership.membership_type_id
        )
    )
    query = (
        select(
            Membership.member_id.label("member_id"),
            status.label("status"),
            cast(func.max(case((paid_in_full, Membership.end_date))), String).label("paid_through"),
            cast(func.substr(latest, 21), Integer).label("membership_type_id"),
        )
        .join(MembershipType, Membership.membership_type_id == MembershipType.id)
        .outerjoin(paid, paid.c.membership_id == Membership.id)
        .group_by(Membership.member_id)
    )
    if member_ids is not None:
        query = query.where(Membership.member_id.in_(member_ids))
    return query.subquery(name)
