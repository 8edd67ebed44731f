"""A member's status on any date, computed from membership periods and payments.

No background job marks anyone lapsed: the status is a function of the periods, the
payments and the date asked about, so it is right for any as-of date, past or future.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


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
