"""Money in (payments: dues, fees, sponsorships) and money out (expenses)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sro_desktop.db.models.base import Base, Hundredths, UtcDateTime, str_enum, utc_now
from sro_desktop.db.models.enums import PaymentMethod, PaymentPurpose

if TYPE_CHECKING:
    from sro_desktop.db.models.members import Member, Membership


class Payment(Base):
    """Money received. Dues and registration fees are recorded once, here, and the
    treasurer's books read the same record."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    # Negative for a refund.
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod))
    # A check number or a card/transfer reference.
    reference: Mapped[str] = mapped_column(String(100), default="")
    purpose: Mapped[PaymentPurpose] = mapped_column(str_enum(PaymentPurpose))
    payer_name: Mapped[str] = mapped_column(String(200), default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    reconciled: Mapped[bool] = mapped_column(default=False)
    receipt_number: Mapped[int | None] = mapped_column(Integer, unique=True)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    member: Mapped[Member | None] = relationship()
    membership: Mapped[Membership | None] = relationship(back_populates="payments")


class Expense(Base):
    """Money paid out: venue, catering, speakers, printing, software."""

    __tablename__ = "expenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    category: Mapped[str] = mapped_column(String(100))
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod))
    reference: Mapped[str] = mapped_column(String(100), default="")
    payee: Mapped[str] = mapped_column(String(200), default="")
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    memo: Mapped[str] = mapped_column(Text, default="")
    reconciled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
