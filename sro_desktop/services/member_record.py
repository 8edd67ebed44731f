"""Everything about one person in one place: details, membership history with what was
paid, payments, meetings attended and certificates, for the member page and `members show`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import Certificate, Meeting, Member, Payment, Registration
from sro_desktop.services.member_editing import get_member
from sro_desktop.services.membership_status import (
    MemberStatus,
    Period,
    membership_status,
    paid_through,
)
from sro_desktop.services.memberships import PeriodBalance, period_balances
from sro_desktop.services.organization import grace_days


@dataclass(frozen=True)
class PaymentLine:
    id: int
    paid_on: date
    amount: Decimal
    method: str
    reference: str
    purpose: str
    memo: str
    membership_id: int | None


@dataclass(frozen=True)
class MeetingLine:
    registration_id: int
    meeting_id: int
    title: str
    start_date: date
    category: str
    status: str
    checked_in_at: datetime | None
    fee: Decimal


@dataclass(frozen=True)
class CertificateLine:
    id: int
    number: str
    meeting_title: str
    kind: str
    credits: Decimal | None
    hours: Decimal | None
    issued_on: date


@dataclass(frozen=True)
class MemberRecord:
    member: Member
    status: MemberStatus
    paid_through: date | None
    periods: list[PeriodBalance]
    payments: list[PaymentLine]
    meetings: list[MeetingLine]
    certificates: list[CertificateLine]

    @property
    def outstanding(self) -> Decimal:
        return sum((p.outstanding for p in self.periods), Decimal("0.00"))


def member_record(session: Session, member_id: int, as_of: date) -> MemberRecord:
    """One person's whole record as of a date."""
    member = get_member(session, member_id)
    _ = member.employer  # loaded now, read after the session closes
    periods = period_balances(session, member_id)
    rule_periods = [Period(p.start, p.end, p.dues, p.paid, p.honorary) for p in periods]
    payments = [
        PaymentLine(
            p.id,
            p.paid_on,
            p.amount,
            p.method.label,
            p.reference,
            p.purpose.label,
            p.memo,
            p.membership_id,
        )
        for p in session.scalars(
            select(Payment)
            .where(Payment.member_id == member_id)
            .order_by(Payment.paid_on.desc(), Payment.id.desc())
        )
    ]
    meetings = [
        MeetingLine(
            registration.id,
            meeting.id,
            meeting.title,
            meeting.start_date,
            registration.category.label,
            registration.status.label,
            registration.checked_in_at,
            registration.fee,
        )
        for registration, meeting in session.execute(
            select(Registration, Meeting)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .where(Registration.member_id == member_id)
            .order_by(Meeting.start_date.desc())
        )
    ]
    certificates = [
        CertificateLine(
            certificate.id,
            certificate.number,
            title,
            certificate.kind.label,
            certificate.credits,
            certificate.hours,
            certificate.issued_on,
        )
        for certificate, title in session.execute(
            select(Certificate, Meeting.title)
            .join(Meeting, Meeting.id == Certificate.meeting_id)
            .where(Certificate.member_id == member_id)
            .order_by(Certificate.issued_on.desc())
        )
    ]
    return MemberRecord(
        member=member,
        status=membership_status(rule_periods, as_of, grace_days(session)),
        paid_through=paid_through(rule_periods),
        periods=periods,
        payments=payments,
        meetings=meetings,
        certificates=certificates,
    )
