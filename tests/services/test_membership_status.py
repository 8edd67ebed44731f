"""Status on boundary dates: current, grace, lapsed, pending, honorary, non-member."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    Member,
    Membership,
    MembershipTerm,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.services.members import member_rows
from sro_desktop.services.membership_status import (
    MemberStatus,
    Period,
    membership_status,
    paid_through,
)
from sro_desktop.services.organization import organization_settings
from tests.conftest import TODAY

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


# --- the SQL version agrees with the rule above ------------------------------------------

BOUNDARY_DATES = [
    date(2024, 12, 31),
    date(2025, 1, 1),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2026, 1, 15),
    date(2026, 1, 30),
    date(2026, 1, 31),
    date(2026, 3, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2027, 6, 1),
    date(2040, 1, 1),
]
HISTORIES: list[list[Period]] = [
    [],
    [Y2025],
    [Y2025, Y2026_UNPAID],
    [Y2026_UNPAID],
    [Y2026_PARTLY],
    [Period(date(2020, 5, 1), None, Decimal("0"), Decimal("0"), honorary=True)],
    [Period(date(2026, 1, 1), date(2026, 12, 31), Decimal("0.00"), Decimal("0.00"))],
    # Overpaid, refunded to short, paid twice over two payments.
    [Period(date(2025, 1, 1), date(2025, 12, 31), DUES, Decimal("200.00"))],
    [Period(date(2025, 1, 1), date(2025, 12, 31), DUES, Decimal("149.99"))],
    # An honorary period after lapsing; a paid period after an unpaid one.
    [Y2025, Period(date(2026, 6, 1), None, Decimal("0"), Decimal("0"), honorary=True)],
    [Y2026_UNPAID, Period(date(2027, 1, 1), date(2027, 12, 31), DUES, DUES)],
    # Overlapping periods, one open-ended but not honorary.
    [Y2025, Period(date(2025, 6, 1), None, DUES, Decimal("0.00"))],
]


def _store(database: Database, histories: list[list[Period]]) -> list[int]:
    """One member per history; payments made so that each period's paid total is right."""
    ids = []
    with database.transaction() as session:
        regular = MembershipType(name="Individual", dues=DUES)
        honorary = MembershipType(
            name="Honorary", term=MembershipTerm.LIFETIME, honorary=True, dues=Decimal("0")
        )
        session.add_all([regular, honorary])
        for number, periods in enumerate(histories):
            member = Member(first_name="P", last_name=str(number))
            session.add(member)
            session.flush()
            ids.append(member.id)
            for period in periods:
                membership = Membership(
                    member_id=member.id,
                    membership_type=honorary if period.honorary else regular,
                    start_date=period.start,
                    end_date=period.end,
                    dues=period.dues,
                )
                session.add(membership)
                session.flush()
                if period.paid:
                    # Two payments, the second a partial refund, add up to `paid`.
                    for amount in (period.paid + Decimal("10.00"), Decimal("-10.00")):
                        session.add(
                            Payment(
                                member_id=member.id,
                                membership_id=membership.id,
                                paid_on=period.start,
                                amount=amount,
                                method=PaymentMethod.CASH,
                                purpose=PaymentPurpose.DUES,
                            )
                        )
    return ids


@pytest.mark.parametrize("grace", [0, 30, 90])
def test_sql_status_agrees_with_the_rule_on_boundaries(database: Database, grace: int) -> None:
    ids = _store(database, HISTORIES)
    with database.transaction() as session:
        organization_settings(session).grace_days = grace
    with database.session() as session:
        for as_of in BOUNDARY_DATES:
            shown = {row.id: row for row in member_rows(session, as_of)}
            for member_id, periods in zip(ids, HISTORIES, strict=True):
                expected = membership_status(periods, as_of, grace)
                assert shown[member_id].status is expected, (periods, as_of)
                assert shown[member_id].paid_through == paid_through(periods)


def test_sql_status_agrees_with_the_rule_on_the_demo_data(demo_database: Database) -> None:
    with demo_database.session() as session:
        periods: dict[int, list[Period]] = {}
        for member_id, period in _periods(session):
            periods.setdefault(member_id, []).append(period)
        for as_of in (date(2025, 6, 1), date(2026, 1, 20), date(2026, 2, 10), TODAY):
            for row in member_rows(session, as_of):
                mine = periods.get(row.id, [])
                assert row.status is membership_status(mine, as_of, 30), row
                assert row.paid_through == paid_through(mine)


def _periods(session: Session) -> list[tuple[int, Period]]:
    result = []
    for membership in session.scalars(select(Membership)):
        paid = sum((p.amount for p in membership.payments), Decimal("0.00"))
        result.append(
            (
                membership.member_id,
                Period(
                    membership.start_date,
                    membership.end_date,
                    membership.dues,
                    paid,
                    membership.membership_type.honorary,
                ),
            )
        )
    return result
