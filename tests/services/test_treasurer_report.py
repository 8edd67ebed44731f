"""The treasurer's report adds up: each total is the sum of its lines, closing = opening +
income − expenses, one year's closing is the next year's opening, and each meeting's
result counts its own fees, sponsorship and expenses."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desktop.db.database import Database
from sro_desktop.db.models import OrganizationSettings, PaymentPurpose
from sro_desktop.services.ledger import (
    FiscalYear,
    balance_at_start_of,
    set_opening_balance,
    set_reconciled,
)
from sro_desktop.services.treasurer_report import treasurer_report
from tests.services.finance_factories import expense, income, meeting

TODAY = date(2026, 11, 27)

amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2, allow_nan=False
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
purposes = st.sampled_from([p for p in PaymentPurpose if p is not PaymentPurpose.REFUND])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start_month=st.sampled_from([1, 4, 7, 10]),
    opening=st.one_of(st.none(), amounts, amounts.map(lambda a: -a)),
    opening_day=days,
    money_in=st.lists(st.tuples(amounts, days, purposes), max_size=12),
    refunds=st.lists(st.tuples(amounts, days), max_size=3),
    money_out=st.lists(st.tuples(amounts, days), max_size=12),
)
def test_reports_add_up_and_chain_year_to_year(
    database: Database,
    start_month: int,
    opening: Decimal | None,
    opening_day: date,
    money_in: list[tuple[Decimal, date, PaymentPurpose]],
    refunds: list[tuple[Decimal, date]],
    money_out: list[tuple[Decimal, date]],
) -> None:
    with database.session() as session, session.begin():
        session.add(OrganizationSettings(name="Org", fiscal_year_start_month=start_month))
        session.flush()
        if opening is not None:
            set_opening_balance(session, as_of=opening_day, amount=opening)
        for amount, day, purpose in money_in:
            income(session, str(amount), day, purpose)
        for amount, day in refunds:
            income(session, str(-amount), day, PaymentPurpose.REFUND)
        for amount, day in money_out:
            expense(session, str(amount), day)
        previous = None
        for year in range(2024, 2029):
            report = treasurer_report(session, FiscalYear(year, start_month), TODAY)
            assert report.total_income == sum((line.amount for line in report.income), Decimal(0))
            assert report.total_expenses == sum(
                (line.amount for line in report.expenses), Decimal(0)
            )
            assert report.closing_balance == (
                report.opening_balance + report.total_income - report.total_expenses
            )
            assert report.closing_balance == balance_at_start_of(session, report.year.after)
            # The year's transactions are exactly what moved the balance.
            assert sum((t.amount for t in report.transactions), Decimal(0)) == report.net
            if previous is not None:
                assert report.opening_balance == previous.closing_balance
            previous = report
        session.rollback()


def test_a_year_with_meetings_sponsors_and_refunds(database: Database) -> None:
    with database.transaction() as session:
        session.add(OrganizationSettings(name="Tri-State Alliance for CME", currency="USD"))
        session.flush()
        set_opening_balance(session, as_of=date(2026, 1, 1), amount=Decimal("5000.00"))
        spring = meeting(session, "Spring Workshop", date(2026, 3, 12))
        autumn = meeting(session, "Annual Conference", date(2026, 9, 24))
        meeting(session, "Next Spring", date(2027, 3, 1))
        income(session, "150.00", date(2026, 1, 10), PaymentPurpose.DUES)
        income(
            session, "75.00", date(2026, 2, 1), PaymentPurpose.REGISTRATION, meeting_id=spring.id
        )
        income(session, "-75.00", date(2026, 3, 1), PaymentPurpose.REFUND, meeting_id=spring.id)
        income(
            session, "295.00", date(2026, 8, 1), PaymentPurpose.REGISTRATION, meeting_id=autumn.id
        )
        income(
            session, "2500.00", date(2026, 7, 1), PaymentPurpose.SPONSORSHIP, meeting_id=autumn.id
        )
        income(session, "500.00", date(2026, 7, 2), PaymentPurpose.EXHIBITOR, meeting_id=autumn.id)
        autumn_venue = expense(session, "3000.00", date(2026, 9, 25), "Venue", autumn.id)
        expense(session, "120.00", date(2026, 3, 12), "Catering", spring.id)
        expense(session, "49.99", date(2026, 1, 31), "Software")
        # Next year's money is not this year's.
        income(session, "150.00", date(2027, 1, 2), PaymentPurpose.DUES)
        set_reconciled(session, "expense", [autumn_venue], True)
    with database.session() as session:
        report = treasurer_report(session, FiscalYear(2026, 1), TODAY)
    income_lines = {line.label: line.amount for line in report.income}
    assert income_lines["Membership dues"] == Decimal("150.00")
    assert income_lines["Registration fees"] == Decimal("370.00")
    assert income_lines["Refunds"] == Decimal("-75.00")
    assert income_lines["Sponsorships"] == Decimal("2500.00")
    assert income_lines["Exhibitor fees"] == Decimal("500.00")
    assert report.total_income == Decimal("3445.00")
    assert report.total_expenses == Decimal("3169.99")
    assert report.opening_balance == Decimal("5000.00")
    assert report.closing_balance == Decimal("5275.01")
    results = {m.title: m for m in report.meetings}
    assert set(results) == {"Spring Workshop", "Annual Conference"}
    assert results["Spring Workshop"].fees == Decimal("0.00")
    assert results["Spring Workshop"].net == Decimal("-120.00")
    conference = results["Annual Conference"]
    assert (conference.fees, conference.sponsorship, conference.expenses) == (
        Decimal("295.00"),
        Decimal("3000.00"),
        Decimal("3000.00"),
    )
    assert conference.net == Decimal("295.00")
    assert len(report.transactions) == 9
    assert len(report.unreconciled) == 8
    assert report.unreconciled_total == report.net + Decimal("3000.00")


def test_the_demo_year_reconciles(demo_database: Database) -> None:
    with demo_database.session() as session:
        this_year = treasurer_report(session, FiscalYear(2026, 1), TODAY)
        last_year = treasurer_report(session, FiscalYear(2025, 1), TODAY)
    assert this_year.opening_balance == last_year.closing_balance
    assert this_year.total_income > 0
    assert this_year.meetings[0].title.startswith("Spring Workshop")
    fees = sum((m.fees for m in this_year.meetings), Decimal(0))
    registration = next(x for x in this_year.income if x.label == "Registration fees")
    assert fees == registration.amount
    assert this_year.prepared_on == TODAY and this_year.year.end - this_year.year.start == (
        timedelta(days=364)
    )
