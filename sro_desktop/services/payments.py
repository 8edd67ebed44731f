"""Recording money received. Dues, registration fees, sponsorships and donations are all
one `Payment`, recorded once here, and every screen and report reads the same record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from sro_desktop.db.models import Membership, Payment, PaymentMethod, PaymentPurpose, Registration
from sro_desktop.errors import DataRefused

MAX_AMOUNT = Decimal("1000000.00")


def record_payment(
    session: Session,
    *,
    amount: Decimal,
    paid_on: date,
    method: PaymentMethod,
    purpose: PaymentPurpose,
    member_id: int | None = None,
    membership_id: int | None = None,
    registration_id: int | None = None,
    meeting_id: int | None = None,
    reference: str = "",
    payer_name: str = "",
    memo: str = "",
) -> Payment:
    """Add a payment (negative for a refund) and return it, flushed so it has an id.

    A payment against a membership or registration takes its member (and meeting) from it.
    """
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount == 0 or abs(amount) > MAX_AMOUNT:
        raise DataRefused(f"A payment of {amount} is not possible; enter the amount received.")
    if membership_id is not None:
        membership = session.get(Membership, membership_id)
        if membership is None:
            raise DataRefused(f"There is no membership number {membership_id}.")
        member_id = membership.member_id
    if registration_id is not None:
        registration = session.get(Registration, registration_id)
        if registration is None:
            raise DataRefused(f"There is no registration number {registration_id}.")
        member_id = registration.member_id
        meeting_id = registration.meeting_id
    payment = Payment(
        member_id=member_id,
        membership_id=membership_id,
        registration_id=registration_id,
        meeting_id=meeting_id,
        amount=amount,
        paid_on=paid_on,
        method=method,
        purpose=purpose,
        reference=reference.strip(),
        payer_name=payer_name.strip(),
        memo=memo.strip(),
    )
    session.add(payment)
    session.flush()
    return payment


def delete_payment(session: Session, payment_id: int) -> Payment:
    """Remove a payment entered by mistake (undoing its entry); returns it, detached.

    A payment that has had a receipt keeps it: the receipt's number is spoken for, so the
    payment is refused here (refund it instead)."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise DataRefused(f"There is no payment number {payment_id}; it may have been deleted.")
    if payment.receipt_number is not None:
        raise DataRefused(
            f"Payment {payment_id} has receipt no. {payment.receipt_number}; a receipted "
            "payment stays in the books. Record a refund instead."
        )
    session.delete(payment)
    session.flush()
    return payment
