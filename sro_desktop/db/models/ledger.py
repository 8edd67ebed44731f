"""The treasurer's own bookkeeping records: the editable list of expense categories and
the one opening balance every other balance is counted from."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sro_desktop.db.models.base import Base, Hundredths, UtcDateTime, utc_now


class ExpenseCategory(Base):
    """A name the treasurer files expenses under ("Venue", "Catering"). `Expense.category`
    holds the name; renaming a category renames it on its expenses in the same action.
    A category still in use is hidden rather than deleted."""

    __tablename__ = "expense_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(default=False)


class OpeningBalance(Base):
    """The organization's money at the start of one day, as the treasurer took over the
    books (one row at most). The balance on any other day is this amount plus the ledger's
    income minus expenses in between, so every year's closing equals the next one's opening."""

    __tablename__ = "opening_balance"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    memo: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
