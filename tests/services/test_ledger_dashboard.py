"""The dashboard's figures: membership by status agrees with the members list's own status
rule, months add up to the year, meetings show registrations against capacity."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from sro_desktop.db.database import Database
from sro_desktop.services.finance_dashboard import dashboard_figures, membership_by_status
from sro_desktop.services.ledger import FiscalYear, total_expenses, total_income
from sro_desktop.services.members import member_rows
from sro_desktop.services.membership_status import MemberStatus

TODAY = date(2026, 11, 27)


def test_membership_counts_match_the_members_list(demo_database: Database) -> None:
    years = [FiscalYear(y, 1) for y in (2024, 2025, 2026)]
    with demo_database.session() as session:
        counts = membership_by_status(session, years, TODAY)
        for year, counted in zip(years, counts, strict=True):
            as_of = min(year.end, TODAY)
            expected = Counter(
                row.status
                for row in member_rows(session, as_of)
                if row.status is not MemberStatus.NON_MEMBER
                and (row.member_since is None or row.member_since <= as_of)
            )
            assert counted.as_of == as_of
            assert {s: n for s, n in counted.counts.items() if n} == dict(expected)
    assert counts[-1].members > counts[0].members > 0


def test_dashboard_figures_for_the_demo_year(demo_database: Database) -> None:
    year = FiscalYear(2026, 1)
    with demo_database.session() as session:
        figures = dashboard_figures(session, year, TODAY, years_back=5)
        income = total_income(session, year.start, year.after)
        spent = total_expenses(session, year.start, year.after)
    assert [c.year.year for c in figures.memberships] == [2024, 2025, 2026]
    assert len(figures.months) == 12
    assert sum((m.income for m in figures.months), Decimal(0)) == income
    assert sum((m.expenses for m in figures.months), Decimal(0)) == spent
    assert [m.capacity for m in figures.meetings] == [60, 300, 150, 300]
    assert all(0 < m.registered <= (m.capacity or 0) for m in figures.meetings)
    assert figures.meetings[0].percent_full == round(100 * figures.meetings[0].registered / 60)
