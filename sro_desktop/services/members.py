"""Reading the membership list: one row per person with employer, type and status."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import Employer, Member, Membership, MembershipType, Payment
from sro_desktop.services.membership_status import (
    MemberStatus,
    Period,
    membership_status,
    paid_through,
)
from sro_desktop.services.organization import grace_days

_PHONE_LIKE = re.compile(r"[\d()\-. +]+")


@dataclass(frozen=True)
class MemberRow:
    """What the members table and `members list` show for one person."""

    id: int
    first_name: str
    last_name: str
    credentials: str
    email: str | None
    phone: str
    organization: str | None
    organization_type: str | None
    job_role: str | None
    state: str
    member_since: date | None
    status: MemberStatus
    membership_type: str | None
    paid_through: date | None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        for key in ("member_since", "paid_through"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data


def search_condition(text: str) -> ColumnElement[bool] | None:
    """Every word of `text` must appear in the name, email, organization, state or phone."""
    words = text.split()
    if not words:
        return None
    conditions = []
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        fields: list[ColumnElement[bool]] = [
            Member.first_name.ilike(pattern, escape="\\"),
            Member.last_name.ilike(pattern, escape="\\"),
            Member.email.ilike(pattern, escape="\\"),
            Member.credentials.ilike(pattern, escape="\\"),
            Member.state.ilike(pattern, escape="\\"),
            Employer.name.ilike(pattern, escape="\\"),
        ]
        digits = "".join(ch for ch in word if ch.isdigit())
        if len(digits) >= 3 and _PHONE_LIKE.fullmatch(word):
            fields.append(Member.phone_digits.contains(digits))
        conditions.append(or_(*fields))
    return and_(*conditions)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def member_rows(
    session: Session,
    as_of: date,
    *,
    search: str = "",
    status: MemberStatus | None = None,
    include_archived: bool = False,
) -> list[MemberRow]:
    """The membership list as of a date, filtered by a search text and a status."""
    query = (
        select(
            Member.id,
            Member.first_name,
            Member.last_name,
            Member.credentials,
            Member.email,
            Member.phone,
            Employer.name,
            Employer.type,
            Member.job_role,
            Member.state,
            Member.member_since,
        )
        .outerjoin(Employer, Member.employer_id == Employer.id)
        .order_by(func.lower(Member.last_name), func.lower(Member.first_name), Member.id)
    )
    if not include_archived:
        query = query.where(Member.archived.is_(False))
    condition = search_condition(search)
    if condition is not None:
        query = query.where(condition)
    people = session.execute(query).all()
    periods, type_names = _periods_by_member(session)
    grace = grace_days(session)
    rows = []
    for person in people:
        member_periods = periods.get(person.id, [])
        member_status = membership_status(member_periods, as_of, grace)
        if status is not None and member_status != status:
            continue
        rows.append(
            MemberRow(
                id=person.id,
                first_name=person.first_name,
                last_name=person.last_name,
                credentials=person.credentials,
                email=person.email,
                phone=person.phone,
                organization=person.name,
                organization_type=person.type.value if person.type else None,
                job_role=person.job_role.value if person.job_role else None,
                state=person.state,
                member_since=person.member_since,
                status=member_status,
                membership_type=type_names.get(person.id),
                paid_through=paid_through(member_periods),
            )
        )
    return rows


def _periods_by_member(session: Session) -> tuple[dict[int, list[Period]], dict[int, str]]:
    """Every membership period with what was paid against it, grouped by member, and the
    name of each member's latest membership type."""
    paid = (
        select(Payment.membership_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.membership_id.is_not(None))
        .group_by(Payment.membership_id)
        .subquery()
    )
    query = (
        select(
            Membership.member_id,
            Membership.start_date,
            Membership.end_date,
            Membership.dues,
            paid.c.paid,
            MembershipType.honorary,
            MembershipType.name,
        )
        .join(MembershipType, Membership.membership_type_id == MembershipType.id)
        .outerjoin(paid, paid.c.membership_id == Membership.id)
        .order_by(Membership.member_id, Membership.start_date)
    )
    periods: dict[int, list[Period]] = defaultdict(list)
    type_names: dict[int, str] = {}
    for row in session.execute(query):
        paid_amount = row.paid if row.paid is not None else Decimal("0.00")
        periods[row.member_id].append(
            Period(row.start_date, row.end_date, row.dues, paid_amount, row.honorary)
        )
        type_names[row.member_id] = row.name
    return periods, type_names


def count_members(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Member)) or 0
