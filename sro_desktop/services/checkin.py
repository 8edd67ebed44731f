"""Checking people in at the door and marking who is present at each session.

The door screen loads the meeting's registrants once (`checkin_rows`) and filters them
as the volunteer types (`search_registrants`), so typing never waits for the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    SessionAttendance,
)
from sro_desktop.db.models.base import utc_now
from sro_desktop.errors import DataRefused
from sro_desktop.services.meetings import get_meeting, get_session
from sro_desktop.services.registrations import (
    admit_from_waitlist as admit_from_waitlist_now,
)
from sro_desktop.services.registrations import (
    find_registration,
    get_registration,
    name_key,
    registration_rows,
)


@dataclass(frozen=True)
class CheckInRow:
    """One registrant as the door screen shows them."""

    registration_id: int
    member_id: int
    first_name: str
    last_name: str
    credentials: str
    email: str | None
    category: RegistrationCategory
    status: RegistrationStatus
    waitlist_position: int | None
    checked_in_at: datetime | None
    balance: Decimal
    search_text: str
    # When the desk marks attendance at one agenda item: which, and when this person was.
    session_id: int | None = None
    marked_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None

    @property
    def done_at(self) -> datetime | None:
        """When this person was checked in, or marked at the session being marked."""
        return self.marked_at if self.session_id is not None else self.checked_in_at


@dataclass(frozen=True)
class CheckInCounts:
    checked_in: int
    registered: int
    waitlisted: int


def checkin_rows(
    session: Session, meeting_id: int, session_id: int | None = None
) -> list[CheckInRow]:
    """Everyone registered, waitlisted or cancelled (so the desk can tell a cancelled
    person why they are not on the list), with what they still owe; with `session_id`,
    also when each was marked present at that agenda item."""
    marks = present_at_session(session, session_id) if session_id is not None else {}
    return [
        CheckInRow(
            registration_id=row.id,
            member_id=row.member_id,
            first_name=row.first_name,
            last_name=row.last_name,
            credentials=row.credentials,
            email=row.email,
            category=row.category,
            status=row.status,
            waitlist_position=row.waitlist_position,
            checked_in_at=row.checked_in_at,
            balance=row.balance,
            search_text=name_key(f"{row.first_name} {row.last_name} {row.email or ''}"),
            session_id=session_id,
            marked_at=marks.get(row.id),
        )
        for row in registration_rows(session, meeting_id)
    ]


def search_registrants(rows: Sequence[CheckInRow], text: str) -> list[CheckInRow]:
    """The rows where every word typed is part of the name or email, in any case and
    with or without accents; people whose first or last name starts with the first word
    come first, and cancelled registrations last."""
    words = name_key(text).split()
    if not words:
        return sorted(rows, key=_order)
    found = [row for row in rows if all(word in row.search_text for word in words)]
    first = words[0]

    def rank(row: CheckInRow) -> tuple[int, int, str, str]:
        starts = name_key(row.last_name).startswith(first) or name_key(row.first_name).startswith(
            first
        )
        cancelled = row.status is RegistrationStatus.CANCELLED
        return (int(cancelled), int(not starts), *_names(row))

    return sorted(found, key=rank)


def _names(row: CheckInRow) -> tuple[str, str]:
    return name_key(row.last_name), name_key(row.first_name)


def _order(row: CheckInRow) -> tuple[int, str, str]:
    return (int(row.status is RegistrationStatus.CANCELLED), *_names(row))


def check_in(
    session: Session,
    registration_id: int,
    *,
    at: datetime | None = None,
    admit_from_waitlist: bool = False,
) -> Registration:
    """Mark a registrant as arrived. A waitlisted person is refused unless the desk
    admits them (`admit_from_waitlist`); a cancelled one is refused."""
    registration = get_registration(session, registration_id)
    name = registration.member.full_name
    if registration.status is RegistrationStatus.CANCELLED:
        cancelled = registration.cancelled_at
        when = f" on {cancelled.astimezone():%b %d, %Y}" if cancelled else ""
        raise DataRefused(
            f"{name}'s registration was cancelled{when}; register them again as a walk-in."
        )
    if registration.status is RegistrationStatus.WAITLISTED:
        if not admit_from_waitlist:
            raise DataRefused(
                f"{name} is on the waitlist (place {registration.waitlist_position}); "
                "admit them from the waitlist first."
            )
        admit_from_waitlist_now(session, registration_id)
    if registration.checked_in_at is not None:
        raise DataRefused(
            f"{name} was already checked in at {registration.checked_in_at.astimezone():%H:%M}."
        )
    registration.checked_in_at = at or utc_now()
    session.flush()
    return registration


def check_in_member(
    session: Session, meeting_id: int, member_id: int, *, admit_from_waitlist: bool = False
) -> Registration:
    """Check in a person by meeting and member number (the command line's way)."""
    registration = find_registration(session, meeting_id, member_id)
    return check_in(session, registration.id, admit_from_waitlist=admit_from_waitlist)


def undo_check_in(session: Session, registration_id: int) -> Registration:
    """Take back a mistaken check-in. Session attendance marked for them stays."""
    registration = get_registration(session, registration_id)
    if registration.checked_in_at is None:
        raise DataRefused(f"{registration.member.full_name} is not checked in.")
    registration.checked_in_at = None
    session.flush()
    return registration


def checkin_counts(
    session: Session, meeting_id: int, session_id: int | None = None
) -> CheckInCounts:
    """Checked in of registered, and how many wait, for the running count at the desk;
    with `session_id`, those marked present at that agenda item instead of checked in."""
    get_meeting(session, meeting_id)
    if session_id is not None:
        whole = checkin_counts(session, meeting_id)
        marked = session.scalar(
            select(func.count())
            .select_from(SessionAttendance)
            .join(Registration, SessionAttendance.registration_id == Registration.id)
            .where(
                SessionAttendance.session_id == session_id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
        )
        return CheckInCounts(marked or 0, whole.registered, whole.waitlisted)
    query = (
        select(
            Registration.status,
            func.count(),
            func.count(Registration.checked_in_at),
        )
        .where(Registration.meeting_id == meeting_id)
        .group_by(Registration.status)
    )
    counts = {status: (total, arrived) for status, total, arrived in session.execute(query)}
    registered, checked_in = counts.get(RegistrationStatus.REGISTERED, (0, 0))
    waitlisted, _ = counts.get(RegistrationStatus.WAITLISTED, (0, 0))
    return CheckInCounts(checked_in=checked_in, registered=registered, waitlisted=waitlisted)


# --- sessions --------------------------------------------------------------------------


def mark_present(
    session: Session, registration_id: int, session_id: int, *, at: datetime | None = None
) -> SessionAttendance:
    """Mark a registrant present at one agenda item; someone seen at a session has also
    arrived, so they are checked in if they were not."""
    registration = get_registration(session, registration_id)
    agenda_item = get_session(session, session_id)
    name = registration.member.full_name
    if agenda_item.meeting_id != registration.meeting_id:
        raise DataRefused(
            f"“{agenda_item.title}” is not part of the meeting {name} registered for."
        )
    if registration.status is not RegistrationStatus.REGISTERED:
        raise DataRefused(
            f"{name} is {registration.status.label.lower()}, not registered; "
            "only registered people can be marked present."
        )
    existing = session.scalar(
        select(SessionAttendance).where(
            SessionAttendance.registration_id == registration_id,
            SessionAttendance.session_id == session_id,
        )
    )
    if existing is not None:
        raise DataRefused(f"{name} is already marked present at “{agenda_item.title}”.")
    now = at or utc_now()
    mark = SessionAttendance(registration=registration, session_id=session_id, marked_at=now)
    session.add(mark)
    if registration.checked_in_at is None:
        registration.checked_in_at = now
    session.flush()
    return mark


def unmark_present(session: Session, registration_id: int, session_id: int) -> None:
    """Take back a mistaken session mark."""
    registration = get_registration(session, registration_id)
    mark = session.scalar(
        select(SessionAttendance).where(
            SessionAttendance.registration_id == registration_id,
            SessionAttendance.session_id == session_id,
        )
    )
    if mark is None:
        agenda_item = get_session(session, session_id)
        raise DataRefused(
            f"{registration.member.full_name} is not marked present at “{agenda_item.title}”."
        )
    registration.session_attendance.remove(mark)
    session.delete(mark)
    session.flush()


def present_at_session(session: Session, session_id: int) -> dict[int, datetime]:
    """Registration ids marked present at an agenda item, with when they were marked."""
    get_session(session, session_id)
    rows = session.execute(
        select(SessionAttendance.registration_id, SessionAttendance.marked_at).where(
            SessionAttendance.session_id == session_id
        )
    )
    return {registration_id: marked_at for registration_id, marked_at in rows}
