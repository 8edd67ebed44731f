"""The figures behind the Finances page's charts: membership by status over the years,
income against expenses by month (from the ledger), and each meeting's registrations
against its capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import Meeting, Member, Registration, RegistrationStatus
from sro_desktop.services.ledger import (
    FiscalYear,
    MonthTotals,
    currency,
    fiscal_years_with_data,
    monthly_totals,
)
from sro_desktop.services.membership_status import MemberStatus, status_by_member
from sro_desktop.services.organization import grace_days

# The statuses a membership chart shows (non-members are contacts, not members).
CHARTED_STATUSES = (
    MemberStatus.CURRENT,
    MemberStatus.GRACE,
    MemberStatus.PENDING,
    MemberStatus.LAPSED,
    MemberStatus.HONORARY,
)


@dataclass(frozen=True)
class StatusCounts:
    """How many members had each status at the end of a fiscal year (or today, for the
    year under way)."""

    year: FiscalYear
    as_of: date
    counts: dict[MemberStatus, int]

    @property
    def members(self) -> int:
        return sum(self.counts.get(status, 0) for status in CHARTED_STATUSES)


def membership_by_status(
    session: Session, years: list[FiscalYear], today: date
) -> list[StatusCounts]:
    """Membership counts by status at each year's end (today for a year not yet over),
    counting only people who had joined by then (the status rule would call later joiners
    pending) and who are not archived. One grouped query per year, done by the database."""
    grace = grace_days(session)
    result = []
    for year in years:
        as_of = min(year.end, today)
        statuses = status_by_member(as_of, grace, name="chart_status")
        query = (
            select(statuses.c.status, func.count())
            .join(Member, Member.id == statuses.c.member_id)
            .where(
                Member.archived.is_(False),
                or_(Member.member_since.is_(None), Member.member_since <= as_of),
            )
            .group_by(statuses.c.status)
        )
        counts = {MemberStatus(status): count for status, count in session.execute(query)}
        result.append(StatusCounts(year, as_of, {s: counts.get(s, 0) for s in MemberStatus}))
    return result


@dataclass(frozen=True)
class MeetingFill:
    """A meeting's registrations (standing), waitlist and capacity."""

    meeting_id: int
    title: str
    start_date: date
    capacity: int | None
    registered: int
    waitlisted: int

    @property
    def percent_full(self) -> int | None:
        if not self.capacity:
            return None
        return round(100 * self.registered / self.capacity)


def meeting_fill(session: Session, year: FiscalYear) -> list[MeetingFill]:
    """Every meeting starting in the fiscal year with its registrations and capacity."""
    counts: dict[tuple[int, RegistrationStatus], int] = {}
    for meeting_id, status, count in session.execute(
        select(Registration.meeting_id, Registration.status, func.count())
        .join(Meeting, Registration.meeting_id == Meeting.id)
        .where(Meeting.start_date >= year.start, Meeting.start_date < year.after)
        .group_by(Registration.meeting_id, Registration.status)
    ):
        counts[(meeting_id, status)] = count
    meetings = session.scalars(
        select(Meeting)
        .where(Meeting.start_date >= year.start, Meeting.start_date < year.after)
        .order_by(Meeting.start_date, Meeting.id)
    )
    return [
        MeetingFill(
            meeting_id=m.id,
            title=m.title,
            start_date=m.start_date,
            capacity=m.capacity,
            registered=counts.get((m.id, RegistrationStatus.REGISTERED), 0),
            waitlisted=counts.get((m.id, RegistrationStatus.WAITLISTED), 0),
        )
        for m in meetings
    ]


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the Finances dashboard draws for one fiscal year."""

    currency: str
    year_label: str
    memberships: list[StatusCounts]
    months: list[MonthTotals]
    meetings: list[MeetingFill]


def dashboard_figures(
    session: Session, year: FiscalYear, today: date, years_back: int = 5
) -> DashboardFigures:
    """The dashboard's figures: membership by status for up to `years_back` fiscal years
    ending with `year` (those the books have data for), and `year`'s months and meetings."""
    known = {fy.year for fy in fiscal_years_with_data(session, today)}
    years = [
        FiscalYear(y, year.start_month)
        for y in range(year.year - years_back + 1, year.year + 1)
        if y in known
    ] or [year]
    return DashboardFigures(
        currency=currency(session),
        year_label=year.label,
        memberships=membership_by_status(session, years, today),
        months=monthly_totals(session, year),
        meetings=meeting_fill(session, year),
    )
