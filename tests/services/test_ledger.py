"""The ledger: exact decimal sums, fiscal-year boundaries, categories, reconciliation marks
and balances counted from the opening balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import Expense, OrganizationSettings, PaymentMethod, PaymentPurpose
from sro_desktop.errors import DataRefused
from sro_desktop.services.currency import format_money
from sro_desktop.services.ledger import (
    ExpenseValues,
    FiscalYear,
    add_expense,
    add_expense_category,
    balance_at_start_of,
    delete_expense,
    expense_categories,
    expense_rows,
    expenses_by_category,
    fiscal_year,
    fiscal_year_of,
    income_by_purpose,
    income_rows,
    monthly_totals,
    move_expense_category,
    remove_expense_category,
    rename_expense_category,
    set_opening_balance,
    set_reconciled,
    total_expenses,
    total_income,
    update_expense,
)
from tests.services.finance_factories import expense, income


def test_amounts_add_up_exactly_with_no_float_drift(database: Database) -> None:
    with database.transaction() as session:
        for _ in range(10):
            expense(session, "0.10", date(2026, 3, 1))
        expense(session, "0.20", date(2026, 3, 2))
        income(session, "1000000.00", date(2026, 3, 3))
        income(session, "0.01", date(2026, 3, 3))
    with database.session() as session:
        spent = total_expenses(session, date(2026, 1, 1), date(2027, 1, 1))
        received = total_income(session, date(2026, 1, 1), date(2027, 1, 1))
        rows = expense_rows(session)
    assert spent == Decimal("1.20")
    assert isinstance(spent, Decimal)
    assert received == Decimal("1000000.01")
    assert received - spent == Decimal("999998.81")
    assert all(isinstance(r.amount, Decimal) and r.amount == Decimal("0.10") for r in rows[:10])
    # 0.1 added ten times in binary floating point is not 1.0; the books never see that.
    assert sum([0.1] * 10) != 1.0


def test_money_is_shown_with_the_currency_and_a_printable_minus_sign() -> None:
    assert format_money(Decimal("1234.5")) == "$1,234.50"
    assert format_money(Decimal("-35")) == "-$35.00"
    assert format_money(Decimal("-0.004")) == "$0.00"
    assert format_money(Decimal("10"), "EUR") == "€10.00"
    assert format_money(Decimal("10"), "CHF") == "CHF 10.00"


@pytest.mark.parametrize(
    ("start_month", "day", "year", "start", "end"),
    [
        (1, date(2026, 1, 1), 2026, date(2026, 1, 1), date(2026, 12, 31)),
        (1, date(2026, 12, 31), 2026, date(2026, 1, 1), date(2026, 12, 31)),
        (7, date(2026, 6, 30), 2026, date(2025, 7, 1), date(2026, 6, 30)),
        (7, date(2026, 7, 1), 2027, date(2026, 7, 1), date(2027, 6, 30)),
        (10, date(2025, 10, 1), 2026, date(2025, 10, 1), date(2026, 9, 30)),
        (10, date(2025, 9, 30), 2025, date(2024, 10, 1), date(2025, 9, 30)),
        (3, date(2024, 2, 29), 2024, date(2023, 3, 1), date(2024, 2, 29)),
        (3, date(2025, 2, 28), 2025, date(2024, 3, 1), date(2025, 2, 28)),
        (12, date(2026, 12, 1), 2027, date(2026, 12, 1), date(2027, 11, 30)),
        (12, date(2026, 11, 30), 2026, date(2025, 12, 1), date(2026, 11, 30)),
    ],
)
def test_fiscal_year_boundaries(
    start_month: int, day: date, year: int, start: date, end: date
) -> None:
    fy = fiscal_year_of(day, start_month)
    assert (fy.year, fy.start, fy.end) == (year, start, end)
    assert fy.contains(start) and fy.contains(end)
    assert not fy.contains(fy.after)
    assert fy.after == date(start.year + 1, start.month, 1)
    months = fy.months()
    assert len(months) == 12 and months[0] == start and months[-1].month == end.month


def test_every_day_belongs_to_exactly_one_fiscal_year() -> None:
    for start_month in (1, 4, 7, 10):
        day = date(2023, 1, 1)
        while day < date(2027, 1, 1):
            fy = fiscal_year_of(day, start_month)
            assert fy.contains(day)
            assert not FiscalYear(fy.year - 1, start_month).contains(day)
            assert not FiscalYear(fy.year + 1, start_month).contains(day)
            day = day.fromordinal(day.toordinal() + 1)


def test_a_bad_start_month_is_refused() -> None:
    with pytest.raises(DataRefused, match="13 is not a month"):
        FiscalYear(2026, 13)


def test_transactions_on_the_edges_of_a_july_fiscal_year(database: Database) -> None:
    with database.transaction() as session:
        session.add(OrganizationSettings(name="Org", fiscal_year_start_month=7))
        session.flush()
        income(session, "10.00", date(2025, 6, 30))  # last day of FY 2025
        income(session, "20.00", date(2025, 7, 1))  # first day of FY 2026
        income(session, "40.00", date(2026, 6, 30))  # last day of FY 2026
        expense(session, "5.00", date(2026, 7, 1))  # first day of FY 2027
    with database.session() as session:
        fy = fiscal_year(session, 2026)
        assert fy.label == "FY 2026"
        assert fy.description == "Fiscal year 2026 (July 1, 2025 – June 30, 2026)"
        assert [r.amount for r in income_rows(session, fy.start, fy.after)] == [
            Decimal("20.00"),
            Decimal("40.00"),
        ]
        assert total_expenses(session, fy.start, fy.after) == Decimal("0.00")
        months = monthly_totals(session, fy)
        assert [m.month for m in months][:2] == [date(2025, 7, 1), date(2025, 8, 1)]
        assert months[0].income == Decimal("20.00") and months[-1].income == Decimal("40.00")
        assert sum((m.income for m in months), Decimal(0)) == total_income(
            session, fy.start, fy.after
        )


def test_categories_by_purpose_and_by_expense_category(database: Database) -> None:
    with database.transaction() as session:
        income(session, "150.00", date(2026, 2, 1), PaymentPurpose.DUES)
        income(session, "-25.00", date(2026, 2, 2), PaymentPurpose.REFUND)
        expense(session, "100.00", date(2026, 2, 3), "catering")
        expense(session, "50.50", date(2026, 2, 4), "Catering")
    with database.session() as session:
        by_purpose = income_by_purpose(session, date(2026, 1, 1), date(2027, 1, 1))
        by_category = expenses_by_category(session, date(2026, 1, 1), date(2027, 1, 1))
    assert by_purpose[PaymentPurpose.DUES] == Decimal("150.00")
    assert by_purpose[PaymentPurpose.REFUND] == Decimal("-25.00")
    assert by_purpose[PaymentPurpose.SPONSORSHIP] == Decimal("0.00")
    assert by_category["Catering"] == Decimal("150.50")
    assert list(by_category)[:3] == ["Venue", "Catering", "Speakers"]


def test_default_categories_and_editing_them(database: Database) -> None:
    with database.transaction() as session:
        assert expense_categories(session) == [
            "Venue",
            "Catering",
            "Speakers",
            "Printing",
            "Software",
            "Other",
        ]
        assert add_expense_category(session, "  Bank   fees ") == "Bank fees"
        with pytest.raises(DataRefused, match="already a category called Venue"):
            add_expense_category(session, "venue")
        first = expense(session, "80.00", date(2026, 5, 1), "Printing")
        assert rename_expense_category(session, "printing", "Printing & mailing") == 1
        assert session.get(Expense, first).category == "Printing & mailing"
        with pytest.raises(DataRefused, match="already a category called Venue"):
            rename_expense_category(session, "Software", "VENUE")
        move_expense_category(session, "Bank fees", -10)
        assert expense_categories(session)[0] == "Bank fees"
        # Used: hidden, its expense keeps it. Unused: deleted.
        assert remove_expense_category(session, "Printing & mailing") is False
        assert "Printing & mailing" not in expense_categories(session)
        assert "Printing & mailing" in expense_categories(session, include_hidden=True)
        assert session.get(Expense, first).category == "Printing & mailing"
        assert remove_expense_category(session, "Software") is True
        assert "Software" not in expense_categories(session, include_hidden=True)
        with pytest.raises(DataRefused, match="'Software' is not an expense category"):
            expense(session, "1.00", date(2026, 5, 1), "Software")
        # Adding a hidden one again shows it.
        assert add_expense_category(session, "printing & MAILING") == "Printing & mailing"


def test_expense_validation(database: Database) -> None:
    with database.transaction() as session:
        with pytest.raises(DataRefused, match="more than zero"):
            expense(session, "0", date(2026, 1, 1))
        with pytest.raises(DataRefused, match="more than zero"):
            expense(session, "-5", date(2026, 1, 1))
        with pytest.raises(DataRefused, match="no meeting number 4"):
            expense(session, "5", date(2026, 1, 1), meeting_id=4)
        with pytest.raises(DataRefused, match="check number"):
            add_expense(
                session,
                ExpenseValues(
                    paid_on=date(2026, 1, 1),
                    amount=Decimal("5"),
                    category="Venue",
                    method=PaymentMethod.CHECK,
                ),
            )


def test_edit_and_delete_return_what_was_there(database: Database) -> None:
    with database.transaction() as session:
        expense_id = expense(session, "99.99", date(2026, 4, 1))
        before = update_expense(
            session,
            expense_id,
            ExpenseValues(paid_on=date(2026, 4, 2), amount=Decimal("100"), category="other"),
        )
        assert before.amount == Decimal("99.99") and before.category == "Venue"
        changed = session.get(Expense, expense_id)
        assert changed is not None and changed.category == "Other"
        gone = delete_expense(session, expense_id)
        assert gone.amount == Decimal("100.00")
        assert session.scalars(select(Expense)).all() == []
        with pytest.raises(DataRefused, match="no expense number"):
            delete_expense(session, expense_id)


def test_reconciliation_marks(database: Database) -> None:
    with database.transaction() as session:
        payment = income(session, "10.00", date(2026, 1, 5)).id
        first = expense(session, "1.00", date(2026, 1, 5))
        second = expense(session, "2.00", date(2026, 1, 6))
        assert set_reconciled(session, "expense", [first, second], True) == [first, second]
        assert set_reconciled(session, "expense", [first], True) == []
        assert set_reconciled(session, "income", [payment], True) == [payment]
        with pytest.raises(DataRefused, match="no payment number 999"):
            set_reconciled(session, "income", [999], True)
    with database.session() as session:
        assert [r.id for r in expense_rows(session, reconciled=False)] == []
        assert [r.id for r in income_rows(session, reconciled=True)] == [payment]


def test_balance_counts_from_the_opening_balance_both_ways(database: Database) -> None:
    with database.transaction() as session:
        income(session, "100.00", date(2025, 12, 31))
        expense(session, "30.00", date(2026, 1, 1))
        income(session, "7.50", date(2026, 6, 1))
    with database.session() as session:
        # No opening balance: the books start from zero.
        assert balance_at_start_of(session, date(2025, 12, 31)) == Decimal("0.00")
        assert balance_at_start_of(session, date(2026, 1, 1)) == Decimal("100.00")
    with database.transaction() as session:
        set_opening_balance(session, as_of=date(2026, 1, 1), amount=Decimal("1000.00"))
    with database.session() as session:
        assert balance_at_start_of(session, date(2026, 1, 1)) == Decimal("1000.00")
        assert balance_at_start_of(session, date(2026, 1, 2)) == Decimal("970.00")
        assert balance_at_start_of(session, date(2027, 1, 1)) == Decimal("977.50")
        # Before the anchor: the opening balance less what came in since.
        assert balance_at_start_of(session, date(2025, 12, 31)) == Decimal("900.00")
        assert balance_at_start_of(session, date(2020, 1, 1)) == Decimal("900.00")
