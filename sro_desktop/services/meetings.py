"""Meetings: creating and editing them, their fees by category, their agenda, and the fee
a person owes on a given day.

A meeting offers no credit, attendance hours (a certificate of attendance), or
*AMA PRA Category 1 Credit*™ designated by a named accredited provider up to a maximum;
when the provider is not the organization itself, the meeting is jointly provided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    CreditType,
    Meeting,
    MeetingFee,
    MeetingFormat,
    MeetingSession,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    SessionAttendance,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.credits import Interval, credits_for_minutes, minutes
from sro_desktop.services.organization import organization_settings

MAX_FEE = Decimal("100000.00")
MAX_DESIGNATED_CREDITS = Decimal("100.00")
_QUARTER = Decimal("0.25")
_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class FeeInput:
    """The price for one registration category; `early_bird_fee` applies up to the
    meeting's early-bird deadline."""

    category: RegistrationCategory
    fee: Decimal
    early_bird_fee: Decimal | None = None


@dataclass(frozen=True)
class MeetingInput:
    """What the meeting dialog and `meetings add` collect. `end_date` defaults to the start."""

    title: str
    start_date: date
    end_date: date | None = None
    format: MeetingFormat = MeetingFormat.IN_PERSON
    venue: str = ""
    link: str = ""
    capacity: int | None = None
    early_bird_deadline: date | None = None
    credit_type: CreditType = CreditType.ATTENDANCE
    accredited_provider: str = ""
    max_credits: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class SessionInput:
    """One agenda item; times are local wall-clock times at the meeting."""

    title: str
    starts_at: datetime
    ends_at: datetime
    track: str = ""
    credit_eligible: bool = True


@dataclass(frozen=True)
class AgendaRow:
    """One agenda item as the agenda table shows it."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    track: str
    credit_eligible: bool

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def as_input(self) -> SessionInput:
        return SessionInput(
            self.title, self.starts_at, self.ends_at, self.track, self.credit_eligible
        )


@dataclass(frozen=True)
class MeetingRow:
    """What the meetings list and `meetings list` show for one meeting."""

    id: int
    title: str
    format: MeetingFormat
    start_date: date
    end_date: date
    venue: str
    link: str
    capacity: int | None
    credit_type: CreditType
    accredited_provider: str
    joint_providership: bool
    max_credits: Decimal | None
    session_count: int
    registered: int
    waitlisted: int
    cancelled: int
    checked_in: int

    @property
    def credit_label(self) -> str:
        return credit_description(self.credit_type, self.max_credits)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = self.format.value
        data["credit_type"] = self.credit_type.value
        data["max_credits"] = float(self.max_credits) if self.max_credits is not None else None
        return data


def credit_description(credit_type: CreditType, max_credits: Decimal | None) -> str:
    """ "9.00 AMA PRA Category 1 Credits™", "Attendance hours only" or "No credit"."""
    if credit_type is CreditType.AMA_PRA_1 and max_credits is not None:
        noun = "Credit™" if max_credits == 1 else "Credits™"
        return f"{max_credits} AMA PRA Category 1 {noun}"
    return credit_type.label


# --- reading ---------------------------------------------------------------------------


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting with this id, or a refusal naming the id."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise DataRefused(
            f"There is no meeting number {meeting_id}; see the meetings list for the numbers."
        )
    return meeting


def meeting_rows(session: Session) -> list[MeetingRow]:
    """Every meeting, earliest first, with its registration counts."""
    status = Registration.status

    def counted(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    counts = (
        select(
            Registration.meeting_id,
            counted(status == RegistrationStatus.REGISTERED).label("registered"),
            counted(status == RegistrationStatus.WAITLISTED).label("waitlisted"),
            counted(status == RegistrationStatus.CANCELLED).label("cancelled"),
            counted(
                (status == RegistrationStatus.REGISTERED) & Registration.checked_in_at.is_not(None)
            ).label("checked_in"),
        )
        .group_by(Registration.meeting_id)
        .subquery()
    )
    agenda = (
        select(MeetingSession.meeting_id, func.count().label("sessions"))
        .group_by(MeetingSession.meeting_id)
        .subquery()
    )
    query = (
        select(Meeting, counts, agenda.c.sessions)
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .outerjoin(agenda, agenda.c.meeting_id == Meeting.id)
        .order_by(Meeting.start_date, Meeting.id)
    )
    rows = []
    for row in session.execute(query):
        meeting: Meeting = row.Meeting
        rows.append(
            MeetingRow(
                id=meeting.id,
                title=meeting.title,
                format=meeting.format,
                start_date=meeting.start_date,
                end_date=meeting.end_date,
                venue=meeting.venue,
                link=meeting.link,
                capacity=meeting.capacity,
                credit_type=meeting.credit_type,
                accredited_provider=meeting.accredited_provider,
                joint_providership=meeting.joint_providership,
                max_credits=meeting.max_credits,
                session_count=row.sessions or 0,
                registered=row.registered or 0,
                waitlisted=row.waitlisted or 0,
                cancelled=row.cancelled or 0,
                checked_in=row.checked_in or 0,
            )
        )
    return rows


def meeting_details(session: Session, meeting_id: int) -> tuple[MeetingInput, list[FeeInput]]:
    """A meeting as the edit dialog shows it: its details and its fees."""
    meeting = get_meeting(session, meeting_id)
    details = MeetingInput(
        title=meeting.title,
        start_date=meeting.start_date,
        end_date=meeting.end_date,
        format=meeting.format,
        venue=meeting.venue,
        link=meeting.link,
        capacity=meeting.capacity,
        early_bird_deadline=meeting.early_bird_deadline,
        credit_type=meeting.credit_type,
        accredited_provider=meeting.accredited_provider,
        max_credits=meeting.max_credits,
        notes=meeting.notes,
    )
    order = list(RegistrationCategory)
    fees = sorted(
        (FeeInput(f.category, f.fee, f.early_bird_fee) for f in meeting.fees),
        key=lambda fee: order.index(fee.category),
    )
    return details, fees


def meeting_row(session: Session, meeting_id: int) -> MeetingRow:
    get_meeting(session, meeting_id)
    return next(row for row in meeting_rows(session) if row.id == meeting_id)


# --- creating and editing --------------------------------------------------------------


def create_meeting(
    session: Session,
    data: MeetingInput,
    fees: Sequence[FeeInput] = (),
    sessions: Sequence[SessionInput] = (),
) -> Meeting:
    """Add a meeting with its fees and agenda; returns it flushed, with its id."""
    meeting = Meeting()
    _apply(session, meeting, data)
    session.add(meeting)
    set_fees(session, meeting, fees)
    for item in sessions:
        _check_session(meeting, item)
        meeting.sessions.append(_new_session(item))
    session.flush()
    return meeting


def update_meeting(session: Session, meeting_id: int, data: MeetingInput) -> Meeting:
    """Change a meeting's details (not its fees or agenda).

    Raising the capacity opens places; the caller offers them to the waitlist
    (`registrations.fill_open_places`) in the same transaction.
    """
    meeting = get_meeting(session, meeting_id)
    _apply(session, meeting, data)
    outside = [s for s in meeting.sessions if not _within(meeting, s.starts_at, s.ends_at)]
    if outside:
        raise DataRefused(
            f"The agenda item “{outside[0].title}” on {outside[0].starts_at:%b %d, %Y} would fall "
            "outside the new dates; move or delete it first, or keep the dates."
        )
    session.flush()
    return meeting


def _apply(session: Session, meeting: Meeting, data: MeetingInput) -> None:
    title = " ".join(data.title.split())
    if not title:
        raise DataRefused("A meeting needs a title; type one in.")
    if len(title) > 300:
        raise DataRefused("The meeting's title is longer than 300 characters; shorten it.")
    end_date = data.end_date or data.start_date
    if end_date < data.start_date:
        raise DataRefused(
            f"The meeting ends ({end_date:%b %d, %Y}) before it starts "
            f"({data.start_date:%b %d, %Y}); correct the end date."
        )
    if data.capacity is not None and data.capacity < 1:
        raise DataRefused(
            f"A capacity of {data.capacity} is not possible; enter the number of places, "
            "or leave it empty for no limit."
        )
    if data.early_bird_deadline is not None and data.early_bird_deadline > end_date:
        raise DataRefused(
            f"The early-bird deadline ({data.early_bird_deadline:%b %d, %Y}) is after the "
            "meeting; choose a date before it starts."
        )
    provider = " ".join(data.accredited_provider.split())
    max_credits: Decimal | None = None
    if data.credit_type is CreditType.AMA_PRA_1:
        if not provider:
            raise DataRefused(
                "AMA PRA Category 1 Credit™ is designated by an accredited provider; "
                "name the provider (your organization, or the one you partner with)."
            )
        max_credits = _designated(data.max_credits)
    else:
        provider = ""
    meeting.title = title
    meeting.format = data.format
    meeting.start_date = data.start_date
    meeting.end_date = end_date
    meeting.venue = data.venue.strip()
    meeting.link = data.link.strip()
    meeting.capacity = data.capacity
    meeting.early_bird_deadline = data.early_bird_deadline
    meeting.credit_type = data.credit_type
    meeting.accredited_provider = provider
    meeting.joint_providership = bool(provider) and not is_the_organization(session, provider)
    meeting.max_credits = max_credits
    meeting.notes = data.notes.strip()


def _designated(max_credits: Decimal | None) -> Decimal:
    if max_credits is None or max_credits <= 0:
        raise DataRefused(
            "Enter the maximum number of AMA PRA Category 1 Credits™ designated for the "
            "meeting (for example 1.5)."
        )
    if max_credits > MAX_DESIGNATED_CREDITS:
        raise DataRefused(
            f"{max_credits} credits is more than any meeting designates; check the number."
        )
    if max_credits % _QUARTER:
        raise DataRefused(
            f"{max_credits} credits is not a whole number of quarter credits; the AMA "
            "designates credit in steps of 0.25 (for example 1.25 or 1.5)."
        )
    return max_credits.quantize(_CENTS)


def is_the_organization(session: Session, provider: str) -> bool:
    """Whether `provider` names the organization itself (so the meeting is directly
    provided), by its full or short name."""
    settings = organization_settings(session)
    wanted = provider.casefold().strip()
    names = {settings.name.casefold().strip(), settings.short_name.casefold().strip()}
    return wanted in names - {""}


def default_provider(session: Session) -> str:
    """The organization's name when it is itself accredited, else nothing."""
    settings = organization_settings(session)
    return settings.name if settings.accredited_provider else ""


# --- fees ------------------------------------------------------------------------------


def set_fees(session: Session, meeting: Meeting, fees: Sequence[FeeInput]) -> None:
    """Make the meeting's fees exactly `fees`: a category left out is not offered."""
    seen: set[RegistrationCategory] = set()
    for item in fees:
        if item.category in seen:
            raise DataRefused(f"The {item.category.label.lower()} fee is given twice; keep one.")
        seen.add(item.category)
        _check_fee(meeting, item)
    by_category = {fee.category: fee for fee in meeting.fees}
    for category, existing in by_category.items():
        if category not in seen:
            meeting.fees.remove(existing)
    for item in fees:
        row = by_category.get(item.category)
        if row is None:
            row = MeetingFee(category=item.category)
            meeting.fees.append(row)
        row.fee = item.fee.quantize(_CENTS)
        row.early_bird_fee = (
            item.early_bird_fee.quantize(_CENTS) if item.early_bird_fee is not None else None
        )
    session.flush()


def _check_fee(meeting: Meeting, item: FeeInput) -> None:
    what = f"The {item.category.label.lower()} fee"
    for amount in (item.fee, item.early_bird_fee):
        if amount is None:
            continue
        if amount < 0 or amount > MAX_FEE:
            raise DataRefused(f"{what} of {amount} is not possible; enter an amount from 0.")
        if amount != amount.quantize(_CENTS):
            raise DataRefused(f"{what} of {amount} has a fraction of a cent; round it.")
    if item.early_bird_fee is not None:
        if meeting.early_bird_deadline is None:
            raise DataRefused(
                f"{what} has an early-bird price but the meeting has no early-bird "
                "deadline; set the deadline or clear the early-bird prices."
            )
        if item.early_bird_fee > item.fee:
            raise DataRefused(
                f"{what}'s early-bird price ({item.early_bird_fee}) is higher than the "
                f"regular price ({item.fee}); an early-bird price is a discount."
            )


def fee_for(meeting: Meeting, category: RegistrationCategory, on: date) -> Decimal:
    """What a registrant of `category` pays when registering on `on`.

    The early-bird price applies up to and including the deadline. A speaker with no fee
    set is complimentary; a meeting with no fees at all is free.
    """
    row = next((fee for fee in meeting.fees if fee.category is category), None)
    if row is None:
        if category is RegistrationCategory.SPEAKER or not meeting.fees:
            return Decimal("0.00")
        raise DataRefused(
            f"“{meeting.title}” has no {category.label.lower()} fee; add one in the "
            "meeting's fees, or choose another category."
        )
    deadline = meeting.early_bird_deadline
    if row.early_bird_fee is not None and deadline is not None and on <= deadline:
        return row.early_bird_fee
    return row.fee


# --- the agenda ------------------------------------------------------------------------


def add_session(session: Session, meeting_id: int, item: SessionInput) -> MeetingSession:
    meeting = get_meeting(session, meeting_id)
    _check_session(meeting, item)
    agenda_item = _new_session(item)
    meeting.sessions.append(agenda_item)
    session.flush()
    return agenda_item


def update_session(session: Session, session_id: int, item: SessionInput) -> MeetingSession:
    agenda_item = get_session(session, session_id)
    _check_session(agenda_item.meeting, item)
    agenda_item.title = " ".join(item.title.split())
    agenda_item.starts_at = item.starts_at
    agenda_item.ends_at = item.ends_at
    agenda_item.track = item.track.strip()
    agenda_item.credit_eligible = item.credit_eligible
    session.flush()
    return agenda_item


def delete_session(session: Session, session_id: int, *, with_attendance: bool = False) -> None:
    """Remove an agenda item. If people are marked present at it, refuse unless
    `with_attendance` (their marks for it go too)."""
    agenda_item = get_session(session, session_id)
    marked = session.scalar(
        select(func.count())
        .select_from(SessionAttendance)
        .where(SessionAttendance.session_id == session_id)
    )
    if marked and not with_attendance:
        people = "person is" if marked == 1 else "people are"
        raise DataRefused(
            f"{marked} {people} marked present at “{agenda_item.title}”; deleting it would "
            "drop their attendance, so confirm it first."
        )
    agenda_item.meeting.sessions.remove(agenda_item)
    session.delete(agenda_item)
    session.flush()


def agenda_rows(session: Session, meeting_id: int) -> list[AgendaRow]:
    """The agenda in time order; parallel items by track."""
    items = session.scalars(
        select(MeetingSession)
        .where(MeetingSession.meeting_id == meeting_id)
        .order_by(MeetingSession.starts_at, MeetingSession.track, MeetingSession.id)
    )
    return [
        AgendaRow(s.id, s.title, s.starts_at, s.ends_at, s.track, s.credit_eligible) for s in items
    ]


def get_session(session: Session, session_id: int) -> MeetingSession:
    agenda_item = session.get(MeetingSession, session_id)
    if agenda_item is None:
        raise DataRefused(f"There is no agenda item number {session_id}.")
    return agenda_item


def _new_session(item: SessionInput) -> MeetingSession:
    return MeetingSession(
        title=" ".join(item.title.split()),
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        track=item.track.strip(),
        credit_eligible=item.credit_eligible,
    )


def _within(meeting: Meeting, starts_at: datetime, ends_at: datetime) -> bool:
    return meeting.start_date <= starts_at.date() and ends_at.date() <= meeting.end_date


def _check_session(meeting: Meeting, item: SessionInput) -> None:
    title = " ".join(item.title.split())
    if not title:
        raise DataRefused("An agenda item needs a title (e.g. “Keynote” or “Lunch”).")
    if item.ends_at <= item.starts_at:
        raise DataRefused(
            f"“{title}” ends ({item.ends_at:%H:%M}) before it starts ({item.starts_at:%H:%M}); "
            "correct the times."
        )
    if not _within(meeting, item.starts_at, item.ends_at):
        raise DataRefused(
            f"“{title}” on {item.starts_at:%b %d, %Y} is outside the meeting's dates "
            f"({meeting.start_date:%b %d} to {meeting.end_date:%b %d, %Y}); correct the date."
        )
    if len(item.track.strip()) > 100:
        raise DataRefused("The track name is longer than 100 characters; shorten it.")


_NO_CREDIT_WORDS = (
    "break",
    "lunch",
    "breakfast",
    "dinner",
    "coffee",
    "reception",
    "exhibit",
    "meal",
    "networking",
)


def probably_credit_eligible(title: str) -> bool:
    """A default for a new agenda item: breaks, meals, receptions and exhibits earn no
    credit; anything else probably does."""
    words = title.casefold()
    return not any(word in words for word in _NO_CREDIT_WORDS)


def eligible_intervals(sessions: Sequence[MeetingSession]) -> list[Interval]:
    """The credit-eligible agenda items as time intervals (parallel ones overlap)."""
    return [Interval(s.starts_at, s.ends_at) for s in sessions if s.credit_eligible]


def eligible_minutes(meeting: Meeting) -> int:
    """Credit-eligible minutes of the agenda, parallel tracks counted once."""
    return minutes(eligible_intervals(meeting.sessions))


def designation_warning(meeting: Meeting) -> str | None:
    """A sentence when the designated maximum exceeds what the agenda's credit-eligible
    time supports (the AMA caps credit at the time actually available), else None."""
    if meeting.credit_type is not CreditType.AMA_PRA_1 or meeting.max_credits is None:
        return None
    if not any(s.credit_eligible for s in meeting.sessions):
        return (
            "The agenda has no credit-eligible items yet, so nobody can earn credit; "
            "add the sessions."
        )
    available = eligible_minutes(meeting)
    supported = credits_for_minutes(available, None)
    if meeting.max_credits > supported:
        return (
            f"The agenda has {duration_text(available)} of credit-eligible time, which "
            f"supports at most {supported} credits, but {meeting.max_credits} are designated; "
            "lower the maximum or complete the agenda."
        )
    return None


def duration_text(total_minutes: int) -> str:
    """ "6 h 45 min", "45 min", "2 h"."""
    hours, rest = divmod(total_minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
