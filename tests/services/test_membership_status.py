"""Status on boundary dates: current, grace, lapsed, pending, honorary, non-member."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sro_desktop.services.membership_status import (
    MemberStatus,
    Period,
    membership_status,
    paid_through,
)

DUES = Decimal("150.00")
Y2025 = Period(date(2025, 1, 1), date(2025, 12, 31), DUES, DUES)
Y2026_UNPAID = Period(date(2026, 1, 1), date(2026, 12, 31), DUES, Decimal("0.00"))
Y2026_PARTLY = Period(date(2026, 1, 1), date(2026, 12, 31), DUES, Decimal("100.00"))


@pytest.mark.parametrize(
    ("periods", "as_of", "expected"),
    [
        ([], date(2026, 1, 1), MemberStatus.NON_MEMBER),
        ([Y2025], date(2025, 1, 1), MemberStatus.CURRENT),
        ([Y2025], date(2025, 12, 31), MemberStatus.CURRENT),
        ([Y2025], date(2026, 1, 1), MemberStatus.GRACE),
        ([Y2025], date(2026, 1, 30), MemberStatus.GRACE),  # 30 days after the end
        ([Y2025], date(2026, 1, 31), MemberStatus.LAPSED),
        ([Y2025], date(2024, 12, 31), MemberStatus.PENDING),  # not started yet
        ([Y2025, Y2026_UNPAID], date(2026, 1, 15), MemberStatus.GRACE),
        ([Y2025, Y2026_UNPAID], date(2026, 3, 1), MemberStatus.PENDING),
        ([Y2026_UNPAID], date(2026, 1, 1), MemberStatus.PENDING),
        ([Y2026_PARTLY], date(2026, 6, 1), MemberStatus.PENDING),
        ([Y2026_UNPAID], date(2027, 1, 1), MemberStatus.LAPSED),
        ([Y2025, Y2026_UNPAID], date(2027, 6, 1), MemberStatus.LAPSED),
        (
            [Period(date(2020, 5, 1), None, Decimal("0"), Decimal("0"), honorary=True)],
            date(2040, 1, 1),
            MemberStatus.HONORARY,
        ),
        (
            [Period(date(2026, 1, 1), date(2026, 12, 31), Decimal("0.00"), Decimal("0.00"))],
            date(2026, 6, 1),
            MemberStatus.CURRENT,  # a free membership is paid in full
        ),
    ],
)
def test_status_on_boundaries(periods: list[Period], as_of: date, expected: MemberStatus) -> None:
    assert membership_status(periods, as_of, grace_days=30) == expected


def test_grace_days_are_configurable() -> None:
    assert membership_status([Y2025], date(2026, 1, 1), grace_days=0) == MemberStatus.LAPSED
    assert membership_status([Y2025], date(2026, 3, 1), grace_days=90) == MemberStatus.GRACE


def test_paid_through_is_the_end_of_the_last_paid_period() -> None:
    assert paid_through([Y2025, Y2026_UNPAID]) == date(2025, 12, 31)
    assert paid_through([Y2026_UNPAID]) is None
