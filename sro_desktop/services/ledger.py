"""The treasurer's ledger: income (the same `Payment` records the members and meetings
screens create) and expenses, fiscal years, editable expense categories, reconciliation
marks and the balance on any day.

Income categories are the payment purposes (dues, registration fees, sponsorships,
exhibitor fees, donations, refunds, other): they are what the members and meetings screens
record, so they are a fixed list. Expense categories are the treasurer's own, kept in
`expense_categories` and edited freely.

Balances: one `OpeningBalance` row says how much money there was at the start of one day;
the balance on any other day is that amount plus income minus expenses in between (or
minus, for a day before it). With no opening balance the books start from zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Expense,
    ExpenseCategory,
    Meeting,
    Member,
    OpeningBalance,
    OrganizationSettings,
    Payment,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.currency import ZERO, cents

MAX_AMOUNT = Decimal("1000000.00")

INCOME_CATEGORY_LABELS: dict[PaymentPurpose, str] = {
    PaymentPurpose.DUES: "Membership dues",
    PaymentPurpose.REGISTRATION: "Registration fees",
    PaymentPurpose.SPONSORSHIP: "Sponsorships",
    PaymentPurpose.EXHIBITOR: "Exhibitor fees",
    PaymentPurpose.DONATION: "Donations",
    PaymentPurpose.REFUND: "Refunds",
    PaymentPurpose.OTHER: "Other income",
}
# Income the ledger itself records; dues and registration fees come from the members and
# meetings screens, so they are never typed twice.
LEDGER_INCOME_PURPOSES = (
    PaymentPurpose.SPONSORSHIP,
    PaymentPurpose.EXHIBITOR,
    PaymentPurpose.DONATION,
    PaymentPurpose.OTHER,
)

TransactionKind = Literal["income", "expense"]


# --- fiscal years -----------------------------------------------------------------------


@dataclass(frozen=True)
class FiscalYear:
    """Twelve months from `start_month`, named by the calendar year they end in
    (with a July start, fiscal year 2026 runs July 1, 2025 to June 30, 2026)."""

    year: int
    start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise DataRefused(f"{self.start_month} is not a month; use 1 (January) to 12.")
        if not 1901 <= self.year <= 9998:
            raise DataRefused(f"{self.year} is not a year the books can hold.")

    @property
    def start(self) -> date:
        first_year = self.year if self.start_month == 1 else self.year - 1
        return date(first_year, self.start_month, 1)

    @property
    def after(self) -> date:
        """The first day of the next fiscal year."""
        return date(self.start.year + 1, self.start_month, 1)

    @property
    def end(self) -> date:
        """The last day, inclusive."""
        return self.after - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.after

    def months(self) -> list[date]:
        """The first day of each of its twelve months, in order."""
        result = []
        year, month = self.start.year, self.start.month
        for _ in range(12):
            result.append(date(year, month, 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    @property
    def label(self) -> str:
        if self.start_month == 1:
            return str(self.year)
        return f"FY {self.year}"

    @property
    def description(self) -> str:
        span = f"{_long_date(self.start)} – {_long_date(self.end)}"
        if self.start_month == 1:
            return f"Year {self.year} ({span})"
        return f"Fiscal year {self.year} ({span})"


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def fiscal_year_of(day: date, start_month: int) -> FiscalYear:
    """The fiscal year a day falls in."""
    year = day.year + (1 if start_month > 1 and day.month >= start_month else 0)
    return FiscalYear(year, start_month)


def fiscal_year_start_month(session: Session) -> int:
    value = session.scalar(select(OrganizationSettings.fiscal_year_start_month).limit(1))
    return value if value and 1 <= value <= 12 else 1


def fiscal_year(session: Session, year: int) -> FiscalYear:
    """Fiscal year `year` with the organization's start month."""
    return FiscalYear(year, fiscal_year_start_month(session))


def fiscal_year_window(session: Session, year: int | None) -> tuple[date | None, date | None]:
    """(start, after) of fiscal year `year` for the listing functions below, or
    (None, None), all time, when no year is given."""
    if year is None:
        return None, None
    chosen = fiscal_year(session, year)
    return chosen.start, chosen.after


def current_fiscal_year(session: Session, today: date) -> FiscalYear:
    return fiscal_year_of(today, fiscal_year_start_month(session))


def currency(session: Session) -> str:
    value = session.scalar(select(OrganizationSettings.currency).limit(1))
    return (value or "USD").upper()


def fiscal_years_with_data(session: Session, today: date) -> list[FiscalYear]:
    """Every fiscal year from the first transaction's to the current one, newest first."""
    start_month = fiscal_year_start_month(session)
    days = [
        session.scalar(select(func.min(Payment.paid_on))),
        session.scalar(select(func.min(Expense.paid_on))),
        session.scalar(select(func.max(Payment.paid_on))),
        session.scalar(select(func.max(Expense.paid_on))),
    ]
    known = [d for d in days if d is not None] + [today]
    first = fiscal_year_of(min(known), start_month)
    last = fiscal_year_of(max(known), start_month)
    return [FiscalYear(y, start_month) for y in range(last.year, first.year - 1, -1)]


# --- listing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeRow:
    """One payment as the ledger shows it."""

    id: int
    paid_on: date
    amount: Decimal
    purpose: PaymentPurpose
    method: PaymentMethod
    reference: str
    payer: str
    member_id: int | None
    meeting_id: int | None
    meeting: str
    memo: str
    reconciled: bool
    receipt_number: int | None

    @property
    def category(self) -> str:
        return INCOME_CATEGORY_LABELS[self.purpose]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.paid_on.isoformat(),
            "amount": str(self.amount),
            "category": self.purpose.value,
            "category_label": self.category,
            "method": self.method.value,
            "reference": self.reference,
            "payer": self.payer,
            "member_id": self.member_id,
            "meeting_id": self.meeting_id,
            "meeting": self.meeting,
            "memo": self.memo,
            "reconciled": self.reconciled,
            "receipt_number": self.receipt_number,
        }


@dataclass(frozen=True)
class ExpenseRow:
    """One expense as the ledger shows it."""

    id: int
    paid_on: date
    amount: Decimal
    category: str
    method: PaymentMethod
    reference: str
    payee: str
    meeting_id: int | None
    meeting: str
    memo: str
    reconciled: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.paid_on.isoformat(),
            "amount": str(self.amount),
            "category": self.category,
            "method": self.method.value,
            "reference": self.reference,
            "payee": self.payee,
            "meeting_id": self.meeting_id,
            "meeting": self.meeting,
            "memo": self.memo,
            "reconciled": self.reconciled,
        }


def payer_of(payment_payer: str, first_name: str | None, last_name: str | None) -> str:
    if payment_payer:
        return payment_payer
    return f"{first_name or ''} {last_name or ''}".strip()


_Q = TypeVar("_Q", bound="Select[*tuple[Any, ...]]")


def _dated(
    query: _Q,
    model: type[Payment] | type[Expense],
    start: date | None,
    after: date | None,
    reconciled: bool | None = None,
) -> _Q:
    """`query` narrowed to the payments or expenses dated from `start` up to (not
    including) `after`, and marked reconciled (or not) when `reconciled` is given."""
    if start is not None:
        query = query.where(model.paid_on >= start)
    if after is not None:
        query = query.where(model.paid_on < after)
    if reconciled is not None:
        query = query.where(model.reconciled.is_(reconciled))
    return query


def income_rows(
    session: Session,
    start: date | None = None,
    after: date | None = None,
    *,
    reconciled: bool | None = None,
) -> list[IncomeRow]:
    """Payments dated from `start` up to (not including) `after`, oldest first."""
    # Plain columns, not Payment objects: a year of a large organization is 60,000 rows.
    query = (
        select(
            Payment.id,
            Payment.paid_on,
            Payment.amount,
            Payment.purpose,
            Payment.method,
            Payment.reference,
            Payment.payer_name,
            Payment.member_id,
            Payment.meeting_id,
            Payment.memo,
            Payment.reconciled,
            Payment.receipt_number,
            Member.first_name,
            Member.last_name,
            Meeting.title,
        )
        .outerjoin(Member, Payment.member_id == Member.id)
        .outerjoin(Meeting, Payment.meeting_id == Meeting.id)
        .order_by(Payment.paid_on, Payment.id)
    )
    query = _dated(query, Payment, start, after, reconciled)
    return [
        IncomeRow(
            id=row.id,
            paid_on=row.paid_on,
            amount=row.amount,
            purpose=row.purpose,
            method=row.method,
            reference=row.reference,
            payer=payer_of(row.payer_name, row.first_name, row.last_name),
            member_id=row.member_id,
            meeting_id=row.meeting_id,
            meeting=row.title or "",
            memo=row.memo,
            reconciled=row.reconciled,
            receipt_number=row.receipt_number,
        )
        for row in session.execute(query)
    ]


def expense_rows(
    session: Session,
    start: date | None = None,
    after: date | None = None,
    *,
    reconciled: bool | None = None,
) -> list[ExpenseRow]:
    """Expenses dated from `start` up to (not including) `after`, oldest first."""
    query = (
        select(Expense, Meeting.title)
        .outerjoin(Meeting, Expense.meeting_id == Meeting.id)
        .order_by(Expense.paid_on, Expense.id)
    )
    query = _dated(query, Expense, start, after, reconciled)
    return [
        ExpenseRow(
            id=expense.id,
            paid_on=expense.paid_on,
            amount=expense.amount,
            category=expense.category,
            method=expense.method,
            reference=expense.reference,
            payee=expense.payee,
            meeting_id=expense.meeting_id,
            meeting=title or "",
            memo=expense.memo,
            reconciled=expense.reconciled,
        )
        for expense, title in session.execute(query)
    ]


# --- totals and balances ----------------------------------------------------------------


def _sum(value: Decimal | None) -> Decimal:
    return cents(value) if value is not None else ZERO


def total_income(session: Session, start: date | None, after: date | None) -> Decimal:
    return _sum(session.scalar(_dated(select(func.sum(Payment.amount)), Payment, start, after)))


def total_expenses(session: Session, start: date | None, after: date | None) -> Decimal:
    return _sum(session.scalar(_dated(select(func.sum(Expense.amount)), Expense, start, after)))


def income_by_purpose(session: Session, start: date, after: date) -> dict[PaymentPurpose, Decimal]:
    """Income per category in the period; every category present, zero when none."""
    totals = dict.fromkeys(PaymentPurpose, ZERO)
    query = (
        select(Payment.purpose, func.sum(Payment.amount))
        .where(Payment.paid_on >= start, Payment.paid_on < after)
        .group_by(Payment.purpose)
    )
    for purpose, amount in session.execute(query):
        totals[purpose] = _sum(amount)
    return totals


def expenses_by_category(session: Session, start: date, after: date) -> dict[str, Decimal]:
    """Expenses per category in the period: the visible categories (zero when none) in
    their order, then any other category name found on an expense."""
    totals = {name: ZERO for name in expense_categories(session)}
    query = (
        select(Expense.category, func.sum(Expense.amount))
        .where(Expense.paid_on >= start, Expense.paid_on < after)
        .group_by(Expense.category)
        .order_by(Expense.category)
    )
    for category, amount in session.execute(query):
        totals[category] = totals.get(category, ZERO) + _sum(amount)
    return totals


@dataclass(frozen=True)
class MonthTotals:
    month: date  # its first day
    income: Decimal
    expenses: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.expenses


def monthly_totals(session: Session, year: FiscalYear) -> list[MonthTotals]:
    """Income and expenses for each month of a fiscal year (twelve rows)."""
    income: dict[str, Decimal] = {}
    spent: dict[str, Decimal] = {}
    for model, target in ((Payment, income), (Expense, spent)):
        month = func.strftime("%Y-%m", model.paid_on)
        query = (
            select(month, func.sum(model.amount))
            .where(model.paid_on >= year.start, model.paid_on < year.after)
            .group_by(month)
        )
        for key, amount in session.execute(query):
            target[key] = _sum(amount)
    return [
        MonthTotals(first, income.get(f"{first:%Y-%m}", ZERO), spent.get(f"{first:%Y-%m}", ZERO))
        for first in year.months()
    ]


def opening_balance(session: Session) -> OpeningBalance | None:
    return session.scalars(select(OpeningBalance).order_by(OpeningBalance.id).limit(1)).first()


def set_opening_balance(
    session: Session, *, as_of: date, amount: Decimal, memo: str = ""
) -> OpeningBalance:
    """Say how much money the organization had at the start of `as_of` (replacing any
    earlier statement); every balance is counted from it."""
    amount = cents(amount)
    if abs(amount) > MAX_AMOUNT * 100:
        raise DataRefused(f"An opening balance of {amount} is not possible; check the amount.")
    record = opening_balance(session)
    if record is None:
        record = OpeningBalance(as_of=as_of, amount=amount, memo=memo.strip())
        session.add(record)
    else:
        record.as_of, record.amount, record.memo = as_of, amount, memo.strip()
    session.flush()
    return record


def balance_at_start_of(session: Session, day: date) -> Decimal:
    """The organization's money at the start of `day`, before anything dated that day."""
    record = opening_balance(session)
    if record is None:
        return total_income(session, None, day) - total_expenses(session, None, day)
    if day >= record.as_of:
        between = total_income(session, record.as_of, day) - total_expenses(
            session, record.as_of, day
        )
        return record.amount + between
    between = total_income(session, day, record.as_of) - total_expenses(session, day, record.as_of)
    return record.amount - between


# --- expense categories -----------------------------------------------------------------


def expense_categories(session: Session, *, include_hidden: bool = False) -> list[str]:
    """The category names, in the treasurer's order."""
    query = select(ExpenseCategory.name).order_by(ExpenseCategory.position, ExpenseCategory.id)
    if not include_hidden:
        query = query.where(ExpenseCategory.hidden.is_(False))
    return list(session.scalars(query))


def _category(session: Session, name: str) -> ExpenseCategory | None:
    return session.scalars(
        select(ExpenseCategory).where(func.lower(ExpenseCategory.name) == name.strip().lower())
    ).first()


def _clean_category_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise DataRefused("A category needs a name; type one, such as Venue or Catering.")
    if len(cleaned) > 100:
        raise DataRefused(f"The category name '{cleaned[:40]}…' is too long; keep it short.")
    return cleaned


def add_expense_category(session: Session, name: str) -> str:
    """Add a category at the end of the list (or show a hidden one again)."""
    cleaned = _clean_category_name(name)
    existing = _category(session, cleaned)
    if existing is not None:
        if not existing.hidden:
            raise DataRefused(f"There is already a category called {existing.name}.")
        existing.hidden = False
        session.flush()
        return existing.name
    last = session.scalar(select(func.max(ExpenseCategory.position))) or 0
    session.add(ExpenseCategory(name=cleaned, position=last + 1))
    session.flush()
    return cleaned


def rename_expense_category(session: Session, old: str, new: str) -> int:
    """Rename a category and every expense filed under it; returns how many expenses."""
    category = _category(session, old)
    if category is None:
        raise DataRefused(f"There is no category called {old}.")
    cleaned = _clean_category_name(new)
    clash = _category(session, cleaned)
    if clash is not None and clash.id != category.id:
        raise DataRefused(
            f"There is already a category called {clash.name}; pick another name, or remove "
            f"{category.name} and file its expenses under {clash.name}."
        )
    expenses = list(session.scalars(select(Expense).where(Expense.category == category.name)))
    for expense in expenses:
        expense.category = cleaned
    category.name = cleaned
    session.flush()
    return len(expenses)


def remove_expense_category(session: Session, name: str) -> bool:
    """Remove a category from the list. One still used by expenses is hidden instead (its
    expenses keep it); returns True when it was deleted outright."""
    category = _category(session, name)
    if category is None:
        raise DataRefused(f"There is no category called {name}.")
    used = session.scalar(
        select(func.count()).select_from(Expense).where(Expense.category == category.name)
    )
    if used:
        category.hidden = True
        session.flush()
        return False
    session.delete(category)
    session.flush()
    return True


def move_expense_category(session: Session, name: str, steps: int) -> None:
    """Move a category up (negative steps) or down the list."""
    names = expense_categories(session, include_hidden=True)
    category = _category(session, name)
    if category is None:
        raise DataRefused(f"There is no category called {name}.")
    index = names.index(category.name)
    target = max(0, min(len(names) - 1, index + steps))
    names.insert(target, names.pop(index))
    by_name = {c.name: c for c in session.scalars(select(ExpenseCategory))}
    for position, each in enumerate(names):
        by_name[each].position = position
    session.flush()


def resolve_expense_category(session: Session, name: str) -> str:
    """The category's canonical name for what a person typed ("venue" -> "Venue")."""
    category = _category(session, name) if name.strip() else None
    if category is None:
        choices = ", ".join(expense_categories(session))
        raise DataRefused(
            f"'{name.strip()}' is not an expense category; use one of {choices}, or add it "
            "to the categories first."
        )
    return category.name


# --- expenses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpenseValues:
    """What an expense holds, as typed in the dialog or on the command line."""

    paid_on: date
    amount: Decimal
    category: str
    method: PaymentMethod = PaymentMethod.OTHER
    reference: str = ""
    payee: str = ""
    meeting_id: int | None = None
    memo: str = ""
    reconciled: bool = False

    @classmethod
    def of(cls, expense: Expense) -> ExpenseValues:
        return cls(**{field.name: getattr(expense, field.name) for field in fields(cls)})

    def apply_to(self, expense: Expense) -> None:
        """Give `expense` these values (the fields share their names)."""
        for field in fields(self):
            setattr(expense, field.name, getattr(self, field.name))


def _checked(session: Session, values: ExpenseValues) -> ExpenseValues:
    amount = cents(values.amount)
    if amount <= 0:
        raise DataRefused(
            f"An expense of {amount} is not possible; enter the amount paid, more than zero."
        )
    if amount > MAX_AMOUNT:
        raise DataRefused(f"An expense of {amount} is more than the books allow; check it.")
    category = resolve_expense_category(session, values.category)
    if values.meeting_id is not None and session.get(Meeting, values.meeting_id) is None:
        raise DataRefused(f"There is no meeting number {values.meeting_id}.")
    reference = values.reference.strip()
    if values.method is PaymentMethod.CHECK and not reference:
        raise DataRefused("An expense paid by check needs the check number; type it in.")
    return replace(
        values,
        amount=amount,
        category=category,
        reference=reference[:100],
        payee=values.payee.strip()[:200],
        memo=values.memo.strip(),
    )


def add_expense(session: Session, values: ExpenseValues) -> Expense:
    """Record money paid out; returns it flushed, with its id."""
    expense = Expense()
    _checked(session, values).apply_to(expense)
    session.add(expense)
    session.flush()
    return expense


def _expense(session: Session, expense_id: int) -> Expense:
    expense = session.get(Expense, expense_id)
    if expense is None:
        raise DataRefused(f"There is no expense number {expense_id}; it may have been deleted.")
    return expense


def update_expense(session: Session, expense_id: int, values: ExpenseValues) -> ExpenseValues:
    """Change an expense; returns what it held before (for undo)."""
    expense = _expense(session, expense_id)
    before = ExpenseValues.of(expense)
    _checked(session, values).apply_to(expense)
    session.flush()
    return before


def delete_expense(session: Session, expense_id: int) -> ExpenseValues:
    """Delete an expense; returns what it held (for undo)."""
    expense = _expense(session, expense_id)
    before = ExpenseValues.of(expense)
    session.delete(expense)
    session.flush()
    return before


# --- reconciliation ---------------------------------------------------------------------


def set_reconciled(
    session: Session, kind: TransactionKind, ids: Iterable[int], reconciled: bool
) -> list[int]:
    """Mark transactions as matched (or not) against the bank statement; returns the ids
    whose mark actually changed."""
    wanted = sorted(set(ids))
    records: list[Payment] | list[Expense]
    if kind == "income":
        records = list(session.scalars(select(Payment).where(Payment.id.in_(wanted))))
    else:
        records = list(session.scalars(select(Expense).where(Expense.id.in_(wanted))))
    missing = sorted(set(wanted) - {record.id for record in records})
    if missing:
        noun = "payment" if kind == "income" else "expense"
        raise DataRefused(f"There is no {noun} number {missing[0]}.")
    changed = []
    for record in records:
        if record.reconciled != reconciled:
            record.reconciled = reconciled
            changed.append(record.id)
    session.flush()
    return changed


@dataclass(frozen=True)
class LedgerEntry:
    """A payment or an expense, side by side, as the unreconciled list shows them."""

    kind: TransactionKind
    id: int
    paid_on: date
    amount: Decimal  # positive for income, negative for money paid out
    category: str
    party: str
    method: PaymentMethod
    reference: str
    memo: str
    reconciled: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "date": self.paid_on.isoformat(),
            "amount": str(self.amount),
            "category": self.category,
            "party": self.party,
            "method": self.method.value,
            "reference": self.reference,
            "memo": self.memo,
            "reconciled": self.reconciled,
        }


def ledger_entries(
    session: Session,
    start: date | None = None,
    after: date | None = None,
    *,
    reconciled: bool | None = None,
) -> list[LedgerEntry]:
    """Income and expenses in one list, by date."""

    def entry(
        kind: TransactionKind, row: IncomeRow | ExpenseRow, amount: Decimal, party: str
    ) -> LedgerEntry:
        return LedgerEntry(
            kind,
            row.id,
            row.paid_on,
            amount,
            row.category,
            party,
            row.method,
            row.reference,
            row.memo,
            row.reconciled,
        )

    entries = [
        entry("income", r, r.amount, r.payer)
        for r in income_rows(session, start, after, reconciled=reconciled)
    ]
    entries += [
        entry("expense", r, -r.amount, r.payee)
        for r in expense_rows(session, start, after, reconciled=reconciled)
    ]
    entries.sort(key=lambda e: (e.paid_on, e.kind != "income", e.id))
    return entries


def sum_amounts(amounts: Sequence[Decimal]) -> Decimal:
    """Exact sum, starting from 0.00 so an empty list gives 0.00."""
    total = ZERO
    for amount in amounts:
        total += amount
    return total


def meeting_choices(session: Session) -> list[tuple[int, str]]:
    """Every meeting as (id, "Title (Mar 12, 2026)"), newest first, for a pick-list."""
    return [
        (meeting_id, f"{title} ({start:%b} {start.day}, {start.year})")
        for meeting_id, title, start in session.execute(
            select(Meeting.id, Meeting.title, Meeting.start_date).order_by(
                Meeting.start_date.desc(), Meeting.id.desc()
            )
        )
    ]


def expense_values(session: Session, expense_id: int) -> ExpenseValues:
    """What an expense holds now (to fill the edit dialog)."""
    return ExpenseValues.of(_expense(session, expense_id))
