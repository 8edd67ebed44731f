"""Who attended, for how long, and what credit that earns: per registration, from session
check-ins, online joins (a Zoom report) or both, with the treasurer's overrides.

The rules, in one place for the screens, the command line and the certificates:

- attended time is the union of the sessions a person was marked present at and their
  online join/leave intervals, clipped to the meeting's credit-eligible agenda (breaks,
  meals and exhibits count for nothing; parallel tracks count once);
- someone checked in at the door with no finer record (no session marks, no joins) is
  counted present for the whole credit-eligible programme, as a sign-in sheet is;
- credits follow `services.credits` (quarter-hour floor, the designated maximum); a
  meeting with attendance hours only gets hours by the same arithmetic, uncapped;
- a per-person override wins, and the audit trail records who changed it and why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, joinedload

from sro_desktop.db.models import (
    AttendanceInterval,
    CreditType,
    MeetingSession,
    Registration,
    RegistrationStatus,
    SessionAttendance,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.credits import (
    Interval,
    attended_minutes,
    credits_for_minutes,
    hours_for_minutes,
)
from sro_desktop.services.meetings import get_meeting
from sro_desktop.services.registrations import get_registration, name_key

__all__ = [
    "AttendanceBasis",
    "AttendeeCredit",
    "IntervalsRecorded",
    "PersonKey",
    "attendance_summary",
    "attendee_credit",
    "member_attendance",
    "record_attendance_intervals",
    "set_credit_override",
]

_ZERO = Decimal("0.00")
_QUARTER = Decimal("0.25")


class AttendanceBasis(StrEnum):
    """Where a person's attended time came from."""

    NONE = "none"
    CHECK_IN = "check_in"
    SESSIONS = "sessions"
    ONLINE = "online"
    SESSIONS_AND_ONLINE = "sessions_and_online"

    @property
    def label(self) -> str:
        return _BASIS_LABELS[self]


_BASIS_LABELS = {
    AttendanceBasis.NONE: "No attendance recorded",
    AttendanceBasis.CHECK_IN: "Checked in (whole programme)",
    AttendanceBasis.SESSIONS: "Sessions marked",
    AttendanceBasis.ONLINE: "Online joins",
    AttendanceBasis.SESSIONS_AND_ONLINE: "Sessions and online joins",
}


@dataclass(frozen=True)
class AttendeeCredit:
    """One registration's attendance and credit, as certificates and transcripts use it.

    `minutes` are credit-eligible minutes attended. `credits` is what the person gets in
    the meeting's credit type: AMA PRA Category 1 Credits™ (capped), or hours for a
    meeting offering attendance hours only, or 0 for a meeting offering no credit; an
    override replaces it. `hours` are hours of attendance by the same quarter-hour floor.
    """

    registration_id: int
    meeting_id: int
    member_id: int
    first_name: str
    last_name: str
    credentials: str
    email: str | None
    status: RegistrationStatus
    checked_in_at: datetime | None
    credit_type: CreditType
    max_credits: Decimal | None
    minutes: int
    computed_credits: Decimal
    credits_override: Decimal | None
    override_reason: str
    basis: AttendanceBasis

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None

    @property
    def overridden(self) -> bool:
        return self.credits_override is not None

    @property
    def credits(self) -> Decimal:
        return self.credits_override if self.credits_override is not None else self.computed_credits

    @property
    def hours(self) -> Decimal:
        if self.credit_type is CreditType.ATTENDANCE:
            return self.credits
        return hours_for_minutes(self.minutes)

    @property
    def attended(self) -> bool:
        """Present in any recorded way (or given credit by override)."""
        return self.checked_in or self.basis is not AttendanceBasis.NONE or self.overridden

    def to_json(self) -> dict[str, Any]:
        return {
            "registration_id": self.registration_id,
            "meeting_id": self.meeting_id,
            "member_id": self.member_id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "credentials": self.credentials,
            "status": self.status.value,
            "checked_in": self.checked_in,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "minutes": self.minutes,
            "credit_type": self.credit_type.value,
            "credits": float(self.credits),
            "hours": float(self.hours),
            "computed_credits": float(self.computed_credits),
            "credits_override": (
                float(self.credits_override) if self.credits_override is not None else None
            ),
            "override_reason": self.override_reason,
            "basis": self.basis.value,
        }


# --- computing -------------------------------------------------------------------------


def attendance_summary(
    session: Session, meeting_id: int, *, include_absent: bool = False
) -> list[AttendeeCredit]:
    """Each attendee of a meeting (or, with `include_absent`, each registered or
    waitlisted person) with minutes, credits and hours, by last name."""
    get_meeting(session, meeting_id)
    people = _compute(session, Registration.meeting_id == meeting_id)
    if not include_absent:
        people = [person for person in people if person.attended]
    return people


def attendee_credit(session: Session, registration_id: int) -> AttendeeCredit:
    """One registration's attendance and credit (a cancelled one gets none)."""
    registration = get_registration(session, registration_id)
    if registration.status is RegistrationStatus.CANCELLED:
        raise DataRefused(f"{registration.member.full_name}'s registration was cancelled.")
    return _compute(session, Registration.id == registration_id)[0]


def member_attendance(session: Session, member_id: int) -> list[AttendeeCredit]:
    """Every meeting a person registered for (not cancelled), attended or not."""
    return _compute(session, Registration.member_id == member_id)


def _compute(session: Session, which: ColumnElement[bool]) -> list[AttendeeCredit]:
    active = which & (Registration.status != RegistrationStatus.CANCELLED)
    registrations = list(
        session.scalars(
            select(Registration)
            .where(active)
            .options(joinedload(Registration.member), joinedload(Registration.meeting))
        )
    )
    meeting_ids = {r.meeting_id for r in registrations}
    agenda: dict[int, Interval] = {}
    eligible: dict[int, list[Interval]] = defaultdict(list)
    for item in session.scalars(
        select(MeetingSession).where(MeetingSession.meeting_id.in_(meeting_ids))
    ):
        agenda[item.id] = Interval(item.starts_at, item.ends_at)
        if item.credit_eligible:
            eligible[item.meeting_id].append(agenda[item.id])
    marked: dict[int, list[Interval]] = defaultdict(list)
    for registration_id, session_id in session.execute(
        select(SessionAttendance.registration_id, SessionAttendance.session_id)
        .join(Registration, SessionAttendance.registration_id == Registration.id)
        .where(active)
    ):
        marked[registration_id].append(agenda[session_id])
    online: dict[int, list[Interval]] = defaultdict(list)
    for registration_id, joined, left in session.execute(
        select(
            AttendanceInterval.registration_id,
            AttendanceInterval.joined_at,
            AttendanceInterval.left_at,
        )
        .join(Registration, AttendanceInterval.registration_id == Registration.id)
        .where(active)
    ):
        if left > joined:
            online[registration_id].append(Interval(joined, left))

    people = []
    for registration in registrations:
        meeting = registration.meeting
        programme = eligible[meeting.id]
        sessions, joins = marked[registration.id], online[registration.id]
        basis = _basis(bool(sessions), bool(joins), registration.checked_in_at is not None)
        present = programme if basis is AttendanceBasis.CHECK_IN else sessions + joins
        attended = attended_minutes(present, programme)
        member = registration.member
        people.append(
            AttendeeCredit(
                registration_id=registration.id,
                meeting_id=meeting.id,
                member_id=member.id,
                first_name=member.first_name,
                last_name=member.last_name,
                credentials=member.credentials,
                email=member.email,
                status=registration.status,
                checked_in_at=registration.checked_in_at,
                credit_type=meeting.credit_type,
                max_credits=meeting.max_credits,
                minutes=attended,
                computed_credits=_credits(meeting.credit_type, meeting.max_credits, attended),
                credits_override=registration.credits_override,
                override_reason=registration.credits_override_reason,
                basis=basis,
            )
        )
    people.sort(
        key=lambda p: (name_key(p.last_name), name_key(p.first_name), p.meeting_id, p.member_id)
    )
    return people


def _basis(sessions: bool, joins: bool, checked_in: bool) -> AttendanceBasis:
    if sessions and joins:
        return AttendanceBasis.SESSIONS_AND_ONLINE
    if sessions:
        return AttendanceBasis.SESSIONS
    if joins:
        return AttendanceBasis.ONLINE
    return AttendanceBasis.CHECK_IN if checked_in else AttendanceBasis.NONE


def _credits(credit_type: CreditType, max_credits: Decimal | None, attended: int) -> Decimal:
    if credit_type is CreditType.AMA_PRA_1:
        return credits_for_minutes(attended, max_credits)
    if credit_type is CreditType.ATTENDANCE:
        return hours_for_minutes(attended)
    return _ZERO


# --- overrides -------------------------------------------------------------------------


def set_credit_override(
    session: Session, registration_id: int, credits: Decimal | None, reason: str
) -> Registration:
    """Give a person `credits` instead of the computed figure (None goes back to the
    computed one). A reason is required; the audit trail records the change."""
    registration = get_registration(session, registration_id)
    meeting = registration.meeting
    name = registration.member.full_name
    reason = " ".join(reason.split())
    if registration.status is RegistrationStatus.CANCELLED:
        raise DataRefused(f"{name}'s registration was cancelled; it earns no credit.")
    if credits is None:
        registration.credits_override = None
        registration.credits_override_reason = reason
        session.flush()
        return registration
    if meeting.credit_type is CreditType.NONE:
        raise DataRefused(f"“{meeting.title}” offers no credit, so there is nothing to override.")
    if not reason:
        raise DataRefused(
            f"Say why {name}'s credits differ from the computed figure (e.g. “left at "
            "lunch, per the sign-out sheet”); the reason is kept with the change."
        )
    if credits < 0 or credits % _QUARTER:
        raise DataRefused(
            f"{credits} is not a number of quarter credits; enter 0 or a multiple of 0.25 "
            "(for example 2.75)."
        )
    if meeting.max_credits is not None and credits > meeting.max_credits:
        raise DataRefused(
            f"{credits} is more than the {meeting.max_credits} credits designated for "
            f"“{meeting.title}”; no one may be given more than the maximum."
        )
    registration.credits_override = credits.quantize(Decimal("0.01"))
    registration.credits_override_reason = reason
    session.flush()
    return registration


# --- recording online attendance -------------------------------------------------------


@dataclass(frozen=True)
class PersonKey:
    """Who a set of joins belongs to: matched by email first, then by name."""

    name: str
    email: str | None = None


@dataclass
class IntervalsRecorded:
    """What `record_attendance_intervals` did: who matched which registration, who did
    not match (or matched several people), and the interval rows it added."""

    matched: dict[str, int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    added: list[AttendanceInterval] = field(default_factory=list)
    duplicates: int = 0


_HONORIFIC = re.compile(r"^(?:dr|prof|mr|mrs|ms|mx)\.?\s+", re.IGNORECASE)
# Zoom's "Display Name (Original Name)", e.g. "Ben's iPhone (Ben Ode)".
_ORIGINAL_NAME = re.compile(r"^(?P<shown>.*?)\s*\((?P<original>[^()]*)\)\s*$")


def _name_forms(name: str) -> set[str]:
    """Comparable forms of a display name: "Dr. Ana López, MD" and "López, Ana" both
    give "ana lopez"; "Ben's iPhone (Ben Ode)" gives both names."""
    texts = [name]
    if match := _ORIGINAL_NAME.match(name):
        texts = [match["shown"], match["original"]]
    forms = set()
    for text in texts:
        text = _HONORIFIC.sub("", " ".join(text.split()))
        if "," in text:
            before, _, after = text.partition(",")
            if len(before.split()) >= 2:
                forms.add(before)  # "Ana López, MD": credentials after the comma
            else:
                forms.add(f"{after} {before}")  # "López, Ana"
        else:
            forms.add(text)
    return {" ".join(name_key(form).replace(".", " ").split()) for form in forms} - {""}


def record_attendance_intervals(
    session: Session,
    meeting_id: int,
    people: Mapping[str | PersonKey, Iterable[Interval]],
    source: str,
    batch_id: int | None = None,
) -> IntervalsRecorded:
    """Store online attendance (e.g. a Zoom report grouped by person) against the
    meeting's registrations.

    A key is a `PersonKey`, or a plain string read as an email when it has an @ and as a
    name otherwise. Matching is by email, then by the registrant's name (Zoom's "Display
    (Original Name)" is tried both ways, so pass the raw name to match a second device);
    a name shared by two registrants matches neither. Intervals already stored for that
    registration are not added again, so importing the same report twice changes nothing.
    """
    get_meeting(session, meeting_id)
    registrations = list(
        session.scalars(
            select(Registration)
            .where(
                Registration.meeting_id == meeting_id,
                Registration.status != RegistrationStatus.CANCELLED,
            )
            .options(joinedload(Registration.member))
        )
    )
    by_email = {r.member.email.lower(): r for r in registrations if r.member.email}
    by_name: dict[str, list[Registration]] = defaultdict(list)
    for registration in registrations:
        for form in _name_forms(registration.member.full_name):
            by_name[form].append(registration)
    existing: set[tuple[int, datetime, datetime]] = {
        (registration_id, joined, left)
        for registration_id, joined, left in session.execute(
            select(
                AttendanceInterval.registration_id,
                AttendanceInterval.joined_at,
                AttendanceInterval.left_at,
            )
            .join(Registration, AttendanceInterval.registration_id == Registration.id)
            .where(Registration.meeting_id == meeting_id)
        )
    }

    result = IntervalsRecorded()
    for key, intervals in people.items():
        person = key if isinstance(key, PersonKey) else _key_from_text(key)
        label = key if isinstance(key, str) else (key.email or key.name)
        found: Registration | None = None
        if person.email:
            found = by_email.get(person.email.strip().lower())
        if found is None and person.name:
            candidates = {
                r.id: r for form in _name_forms(person.name) for r in by_name.get(form, [])
            }
            if len(candidates) > 1:
                result.ambiguous.append(label)
                continue
            found = next(iter(candidates.values()), None)
        if found is None:
            result.unmatched.append(label)
            continue
        result.matched[label] = found.id
        for interval in intervals:
            identity = (found.id, interval.start, interval.end)
            if identity in existing:
                result.duplicates += 1
                continue
            existing.add(identity)
            row = AttendanceInterval(
                registration=found,
                joined_at=interval.start,
                left_at=interval.end,
                source=source[:40],
                import_batch_id=batch_id,
            )
            session.add(row)
            result.added.append(row)
    session.flush()
    return result


def _key_from_text(text: str) -> PersonKey:
    text = text.strip()
    return PersonKey(name="", email=text) if "@" in text else PersonKey(name=text)
