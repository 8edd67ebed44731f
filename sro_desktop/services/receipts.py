"""Receipt numbers and what a receipt says.

A payment gets a receipt number the first time a receipt is issued for it, inside the
transaction that issues it: the number is the highest one so far plus one, so numbers never
repeat (the column is unique) and never skip (a receipt that fails to print rolls its
transaction back, number and all). Printing it again keeps the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Meeting,
    Member,
    Membership,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.ledger import INCOME_CATEGORY_LABELS, currency
from sro_desktop.services.organization import organization_settings
from sro_desktop.services.owed import short_date


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on one receipt."""

    number: int
    payment_id: int
    organization: str
    organization_address: str
    organization_contact: str
    payer: str
    payer_address: str
    paid_on: date
    amount: Decimal
    currency: str
    category: str
    description: str
    method: PaymentMethod
    reference: str
    memo: str
    reprint: bool

    @property
    def number_text(self) -> str:
        return f"{self.number:06d}"

    @property
    def method_text(self) -> str:
        if self.method is PaymentMethod.CHECK and self.reference:
            return f"Check no. {self.reference}"
        if self.reference:
            return f"{self.method.label} (ref. {self.reference})"
        return self.method.label


def next_receipt_number(session: Session) -> int:
    return (session.scalar(select(func.max(Payment.receipt_number))) or 0) + 1


def issue_receipt(session: Session, payment_id: int) -> ReceiptData:
    """The receipt for a payment, numbering it if it has no receipt yet.

    Call it first in its transaction: it takes the database's write lock before reading
    the highest number, so two programs issuing receipts at once cannot pick the same one.
    """
    # A write that changes nothing, to hold the write lock while the number is chosen.
    touched = session.execute(
        update(Payment)
        .where(Payment.id == payment_id)
        .values(receipt_number=Payment.receipt_number)
        .execution_options(synchronize_session=False)
    )
    payment = session.get(Payment, payment_id, populate_existing=True)
    if payment is None or touched.rowcount == 0:  # type: ignore[attr-defined]
        raise DataRefused(f"There is no payment number {payment_id}.")
    if payment.amount <= 0:
        raise DataRefused(
            f"Payment {payment_id} is a refund of {-payment.amount}; a receipt is for money "
            "received, so none is issued for it."
        )
    reprint = payment.receipt_number is not None
    if not reprint:
        payment.receipt_number = next_receipt_number(session)
        session.flush()
    return _receipt_data(session, payment, reprint)


def receipt_for_existing(session: Session, payment_id: int) -> ReceiptData | None:
    """The receipt already issued for a payment (None if none was)."""
    payment = session.get(Payment, payment_id)
    if payment is None or payment.receipt_number is None:
        return None
    return _receipt_data(session, payment, True)


def _receipt_data(session: Session, payment: Payment, reprint: bool) -> ReceiptData:
    assert payment.receipt_number is not None
    settings = organization_settings(session)
    member = session.get(Member, payment.member_id) if payment.member_id else None
    payer = payment.payer_name or (member.full_name if member else "")
    contact = " · ".join(part for part in (settings.email, settings.phone) if part)
    return ReceiptData(
        number=payment.receipt_number,
        payment_id=payment.id,
        organization=settings.name or "Our organization",
        organization_address=settings.address,
        organization_contact=contact,
        payer=payer or "—",
        payer_address=_address(member) if member else "",
        paid_on=payment.paid_on,
        amount=payment.amount,
        currency=currency(session),
        category=INCOME_CATEGORY_LABELS[payment.purpose],
        description=_description(session, payment),
        method=payment.method,
        reference=payment.reference,
        memo=payment.memo,
        reprint=reprint,
    )


def _address(member: Member) -> str:
    place = " ".join(
        part
        for part in (
            f"{member.city}," if member.city and member.state else member.city,
            member.state,
            member.postal_code,
        )
        if part
    )
    lines = [member.address_line1, member.address_line2, place]
    return "\n".join(line for line in lines if line)


def _description(session: Session, payment: Payment) -> str:
    """What the money was for, in words."""
    if payment.membership_id is not None:
        row = session.execute(
            select(MembershipType.name, Membership.start_date, Membership.end_date)
            .join(MembershipType, Membership.membership_type_id == MembershipType.id)
            .where(Membership.id == payment.membership_id)
        ).first()
        if row is not None:
            period = short_date(row.start_date)
            if row.end_date is not None:
                period += f" – {short_date(row.end_date)}"
            return f"{row.name} membership dues, {period}"
    meeting = session.get(Meeting, payment.meeting_id) if payment.meeting_id else None
    label = INCOME_CATEGORY_LABELS[payment.purpose]
    if meeting is not None:
        what = "Registration fee" if payment.purpose is PaymentPurpose.REGISTRATION else label
        return f"{what}: {meeting.title} ({short_date(meeting.start_date)})"
    return payment.memo or label
