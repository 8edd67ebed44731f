"""The year-end treasurer's report for a fiscal year, as plain data: opening balance,
income and expenses by category, net, closing balance, each meeting's profit or loss, and
the transactions not yet reconciled. The workbook and the PDF both print this, so they
always agree.

Every figure is an exact Decimal, and the report holds together by construction:
closing = opening + total income − total expenses, and each total is the sum of its lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import Expense, Meeting, Payment, PaymentPurpose
from sro_desktop.services.currency import ZERO, cents
from sro_desktop.services.ledger import (
    INCOME_CATEGORY_LABELS,
    FiscalYear,
    LedgerEntry,
    balance_at_start_of,
    currency,
    expenses_by_category,
    income_by_purpose,
    ledger_entries,
    sum_amounts,
)
from sro_desktop.services.organization import organization_settings

# Which income counts as a meeting's fees, and which as its sponsorship.
FEE_PURPOSES = (PaymentPurpose.REGISTRATION, PaymentPurpose.REFUND)
SPONSOR_PURPOSES = (PaymentPurpose.SPONSORSHIP, PaymentPurpose.EXHIBITOR)
OTHER_PURPOSES = tuple(p for p in PaymentPurpose if p not in FEE_PURPOSES + SPONSOR_PURPOSES)


@dataclass(frozen=True)
class ReportLine:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class MeetingResult:
    """One meeting's money within the fiscal year."""

    meeting_id: int
    title: str
    start_date: date
    fees: Decimal  # registration fees less refunds
    sponsorship: Decimal  # sponsorships and exhibitor fees
    other_income: Decimal  # anything else linked to the meeting (donations, other)
    expenses: Decimal

    @property
    def income(self) -> Decimal:
        return self.fees + self.sponsorship + self.other_income

    @property
    def net(self) -> Decimal:
        return self.income - self.expenses


@dataclass(frozen=True)
class TreasurerReport:
    organization: str
    currency: str
    year: FiscalYear
    prepared_on: date
    opening_balance: Decimal
    income: tuple[ReportLine, ...]
    expenses: tuple[ReportLine, ...]
    meetings: tuple[MeetingResult, ...]
    transactions: tuple[LedgerEntry, ...]

    @property
    def total_income(self) -> Decimal:
        return sum_amounts([line.amount for line in self.income])

    @property
    def total_expenses(self) -> Decimal:
        return sum_amounts([line.amount for line in self.expenses])

    @property
    def net(self) -> Decimal:
        return self.total_income - self.total_expenses

    @property
    def closing_balance(self) -> Decimal:
        return self.opening_balance + self.net

    @property
    def unreconciled(self) -> list[LedgerEntry]:
        return [entry for entry in self.transactions if not entry.reconciled]

    @property
    def unreconciled_total(self) -> Decimal:
        return sum_amounts([entry.amount for entry in self.unreconciled])


def treasurer_report(session: Session, year: FiscalYear, prepared_on: date) -> TreasurerReport:
    """Gather the report for one fiscal year."""
    start, after = year.start, year.after
    income = income_by_purpose(session, start, after)
    income_lines = tuple(
        ReportLine(INCOME_CATEGORY_LABELS[purpose], amount)
        for purpose, amount in income.items()
        if amount != ZERO or purpose is not PaymentPurpose.REFUND
    )
    expense_lines = tuple(
        ReportLine(name, amount)
        for name, amount in expenses_by_category(session, start, after).items()
    )
    settings = organization_settings(session)
    return TreasurerReport(
        organization=settings.name or "Our organization",
        currency=currency(session),
        year=year,
        prepared_on=prepared_on,
        opening_balance=balance_at_start_of(session, start),
        income=income_lines,
        expenses=expense_lines,
        meetings=tuple(meeting_results(session, year)),
        transactions=tuple(ledger_entries(session, start, after)),
    )


def meeting_results(session: Session, year: FiscalYear) -> list[MeetingResult]:
    """Each meeting held in the fiscal year, or with money in it: fees and sponsorship
    against its expenses, counting only what was received and paid within the year."""
    start, after = year.start, year.after
    income: dict[int, dict[PaymentPurpose, Decimal]] = {}
    for meeting_id, purpose, amount in session.execute(
        select(Payment.meeting_id, Payment.purpose, func.sum(Payment.amount))
        .where(Payment.meeting_id.is_not(None), Payment.paid_on >= start, Payment.paid_on < after)
        .group_by(Payment.meeting_id, Payment.purpose)
    ):
        if meeting_id is not None:
            income.setdefault(meeting_id, {})[purpose] = cents(amount)
    spent: dict[int, Decimal] = {}
    for meeting_id, amount in session.execute(
        select(Expense.meeting_id, func.sum(Expense.amount))
        .where(Expense.meeting_id.is_not(None), Expense.paid_on >= start, Expense.paid_on < after)
        .group_by(Expense.meeting_id)
    ):
        if meeting_id is not None:
            spent[meeting_id] = cents(amount)
    meetings = session.scalars(
        select(Meeting)
        .where(
            or_(
                Meeting.start_date.between(start, year.end),
                Meeting.id.in_(list(income) + list(spent)),
            )
        )
        .order_by(Meeting.start_date, Meeting.id)
    )
    results = []
    for meeting in meetings:
        by_purpose = income.get(meeting.id, {})
        results.append(
            MeetingResult(
                meeting_id=meeting.id,
                title=meeting.title,
                start_date=meeting.start_date,
                fees=_total(FEE_PURPOSES, by_purpose),
                sponsorship=_total(SPONSOR_PURPOSES, by_purpose),
                other_income=_total(OTHER_PURPOSES, by_purpose),
                expenses=spent.get(meeting.id, ZERO),
            )
        )
    return results


def _total(purposes: tuple[PaymentPurpose, ...], amounts: dict[PaymentPurpose, Decimal]) -> Decimal:
    return sum_amounts([amounts.get(purpose, ZERO) for purpose in purposes])
