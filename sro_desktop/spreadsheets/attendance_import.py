"""Importing who attended a meeting: a Zoom participants report, or a sign-in sheet.

Which one a file is, is told by its content: a table with "Join Time" and "Leave Time"
columns (anywhere below Zoom's meeting-information preamble) is a Zoom report.

* Zoom: each row is one join of one person; rejoins and second devices are the same
  person (see `zoom_report.group_by_person`), matched to the meeting's registrations by
  e-mail and then by name in `services.attendance.record_attendance_intervals`, which
  also skips joins already stored (importing the same report twice adds nothing). The
  preview runs that service inside a savepoint it rolls back, so it shows exactly who
  matches.
* A sign-in sheet: each row is a person who signed (a "Signed in"/"Present" column, when
  there is one, must say yes); they are matched by e-mail, then by name, and checked
  in. Arrival and departure times, when given, are stored as attendance too.

People who match no registration, or several, are problems of their row: register them
(or correct the name) and import again, or import the rest without them. The import is
one undoable batch: intervals carry the batch, check-ins are recorded as updates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from sro_desktop.db.audit import plain
from sro_desktop.db.models import ImportKind, MeetingSession, Registration, RegistrationStatus
from sro_desktop.services.attendance import PersonKey, record_attendance_intervals
from sro_desktop.services.checkin import check_in
from sro_desktop.services.credits import Interval
from sro_desktop.services.import_batches import finish_batch, record_updates, start_batch
from sro_desktop.services.meetings import get_meeting
from sro_desktop.services.values import ValueProblem, parse_bool, parse_datetime
from sro_desktop.spreadsheets import cell_readers
from sro_desktop.spreadsheets.column_mapping import ColumnMap, remember_mapping
from sro_desktop.spreadsheets.member_import import Progress
from sro_desktop.spreadsheets.member_records import ParsedRows, parse_member_rows
from sro_desktop.spreadsheets.reading import read_raw_rows
from sro_desktop.spreadsheets.row_problems import RowProblem, problem
from sro_desktop.spreadsheets.sheet_data import CellValue, Table
from sro_desktop.spreadsheets.zoom_report import ZoomJoin, ZoomReport, parse_zoom_rows

__all__ = [
    "AttendanceImportPlan",
    "apply_attendance_plan",
    "is_zoom_report",
    "parse_sign_in_rows",
    "plan_sign_in_import",
    "plan_zoom_import",
    "read_zoom_report",
]

ZOOM_SOURCE: Final = "zoom"
SIGN_IN_SOURCE: Final = "sign-in sheet"
_LOOKED_AT_ROWS: Final = 60


def _folded(text: str) -> str:
    plain_text = unicodedata.normalize("NFKD", text)
    plain_text = "".join(ch for ch in plain_text if not unicodedata.combining(ch))
    return " ".join(plain_text.replace("_", " ").split()).casefold()


def is_zoom_report(path: Path, sheet: str | None = None) -> bool:
    """Whether the file holds a Zoom participants table (Join Time and Leave Time)."""
    _name, rows = read_raw_rows(path, sheet, max_rows=1_048_576)
    for row in rows[:_LOOKED_AT_ROWS]:
        texts = {_folded(str(value)) for value in row.values if isinstance(value, str)}
        if {"join time", "leave time"} <= texts:
            return True
    return False


def read_zoom_report(path: Path, sheet: str | None = None) -> ZoomReport:
    _name, rows = read_raw_rows(path, sheet)
    return parse_zoom_rows(path.name, [row.values for row in rows])


# --- a sign-in sheet --------------------------------------------------------------------


def _moment(value: CellValue) -> datetime | time | None:
    """A time of day (9:05 AM) or a date and time, as a sign-in sheet gives them."""
    if isinstance(value, time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # a time cell read as a day fraction
        seconds = round(value * 86400)
        return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    try:
        return parse_datetime(value)
    except ValueProblem as problem_:
        if "time of day without a date" not in problem_.message:
            raise
    moment = parse_datetime(f"1/1/2000 {value}")
    return None if moment is None else moment.time()


def parse_sign_in_rows(table: Table, mapping: ColumnMap) -> ParsedRows:
    return parse_member_rows(
        table,
        mapping,
        {
            "signed_in": lambda v: cell_readers.read_with(v, _signed),
            "joined_at": lambda v: cell_readers.read_with(v, _moment),
            "left_at": lambda v: cell_readers.read_with(v, _moment),
        },
    )


def _signed(value: CellValue) -> bool | None:
    """Yes/no, or anything written in a signature column (a name, initials): yes."""
    try:
        return parse_bool(value)
    except ValueProblem:
        return True


# --- the plan ---------------------------------------------------------------------------


@dataclass
class AttendanceImportPlan:
    """Who attended, as matched against the meeting's registrations."""

    source: str  # ZOOM_SOURCE or SIGN_IN_SOURCE
    meeting_id: int
    meeting_title: str
    file_name: str = ""
    table: Table | None = None  # a sign-in sheet
    parsed: ParsedRows | None = None
    report: ZoomReport | None = None
    people: dict[str | PersonKey, list[Interval]] = field(default_factory=dict)
    check_ins: list[tuple[int, str, int, datetime]] = field(default_factory=list)
    already: list[tuple[int, str]] = field(default_factory=list)  # (row, name)
    matched: dict[str, int] = field(default_factory=dict)  # name -> registration id
    intervals_added: int = 0
    intervals_known: int = 0
    duplicates: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[RowProblem]:
        found = list(self.problems)
        if self.parsed is not None:
            found += self.parsed.problems
        if self.report is not None:
            found += self.report.problems
        return sorted(found, key=lambda p: (p.row, p.column))

    def counts(self) -> dict[str, int]:
        if self.source == ZOOM_SOURCE:
            credited = len(set(self.matched.values()))
            return {
                "created": self.intervals_added,
                "updated": 0,
                "unchanged": self.intervals_known,
                "duplicates": self.duplicates,
                "skipped": len({p.row for p in self.errors}),
                "people": credited,
            }
        return {
            "created": len(self.check_ins),
            "updated": 0,
            "unchanged": len(self.already),
            "duplicates": self.duplicates,
            "skipped": len({p.row for p in self.errors}),
            "people": len(self.check_ins) + len(self.already),
        }


def _name_column(report: ZoomReport) -> str:
    return "Name (original name)"


def plan_zoom_import(
    session: Session, report: ZoomReport, meeting_id: int, file_name: str
) -> AttendanceImportPlan:
    """Match the report's people to registrations (a dry run of the real recording)."""
    meeting = get_meeting(session, meeting_id)
    plan = AttendanceImportPlan(
        ZOOM_SOURCE, meeting_id, meeting.title, file_name=file_name, report=report
    )
    first_rows: dict[PersonKey, ZoomJoin] = {}
    keys: list[PersonKey] = []
    for row in report.rows:
        key = PersonKey(name=row.name, email=row.email.strip().lower() if row.email else None)
        existing = next((k for k in keys if _same_person(k, key)), None)
        if existing is not None:
            plan.people[existing].append(Interval(row.joined_at, row.left_at))
            continue
        plan.people[key] = [Interval(row.joined_at, row.left_at)]
        keys.append(key)
        first_rows[key] = row
    savepoint = session.begin_nested()
    try:
        result = record_attendance_intervals(session, meeting_id, plan.people, ZOOM_SOURCE)
        plan.matched = dict(result.matched)
        plan.intervals_added = len(result.added)
        plan.intervals_known = result.duplicates
    finally:
        savepoint.rollback()
    # Rows beyond one per person: rejoins, and second devices matched to the same person.
    rows_per_person: dict[Any, int] = {}
    for key in keys:
        label = key.email or key.name
        person = result.matched.get(label, label)
        rows_per_person[person] = rows_per_person.get(person, 0) + len(plan.people[key])
    plan.duplicates = sum(count - 1 for count in rows_per_person.values())
    labels = {(key.email or key.name): key for key in keys}
    for label in result.unmatched + result.ambiguous:
        found = labels.get(label)
        join = first_rows.get(found) if found is not None else None
        why = (
            "matches more than one registrant; correct the name or add the email"
            if label in result.ambiguous
            else "is not registered for this meeting; register them, then import again"
        )
        plan.problems.append(
            problem(
                join.row_number if join else 0,
                _name_column(report),
                join.name if join else label,
                f"{join.name if join else label} {why}",
            )
        )
    return plan


def _same_person(known: PersonKey, key: PersonKey) -> bool:
    if known.email and key.email:
        return known.email == key.email
    return _folded(known.name) == _folded(key.name)


def _registrants(
    session: Session, meeting_id: int
) -> tuple[dict[str, Registration], dict[str, list[Registration]]]:
    registrations = list(
        session.scalars(
            select(Registration)
            .where(Registration.meeting_id == meeting_id)
            .options(joinedload(Registration.member))
        )
    )
    by_email = {r.member.email.lower(): r for r in registrations if r.member.email}
    by_name: dict[str, list[Registration]] = {}
    for registration in registrations:
        key = _folded(registration.member.full_name)
        by_name.setdefault(key, []).append(registration)
    return by_email, by_name


def _meeting_start(session: Session, meeting_id: int, day: date) -> datetime:
    first = session.scalar(
        select(MeetingSession.starts_at)
        .where(MeetingSession.meeting_id == meeting_id)
        .order_by(MeetingSession.starts_at)
        .limit(1)
    )
    return first if first is not None else datetime.combine(day, time(9))


def plan_sign_in_import(
    session: Session, parsed: ParsedRows, meeting_id: int
) -> AttendanceImportPlan:
    meeting = get_meeting(session, meeting_id)
    plan = AttendanceImportPlan(
        SIGN_IN_SOURCE,
        meeting_id,
        meeting.title,
        file_name=parsed.table.file_name,
        table=parsed.table,
        parsed=parsed,
    )
    by_email, by_name = _registrants(session, meeting_id)
    start = _meeting_start(session, meeting_id, meeting.start_date)
    seen: set[int] = set()
    get = parsed.get
    for index in range(len(parsed)):
        if index in parsed.invalid:
            continue
        if "signed_in" in parsed.values and get("signed_in", index) is not True:
            continue  # a blank or "no" in the sign-in column: not here
        row = parsed.row_numbers[index]
        name = f"{get('first_name', index) or ''} {get('last_name', index) or ''}".strip()
        email = get("email", index)
        registration = by_email.get(email) if email else None
        column = parsed.header("email" if email else "last_name")
        if registration is None:
            candidates = by_name.get(_folded(name), [])
            if len(candidates) > 1:
                plan.problems.append(
                    problem(
                        row, column, name, f"{name} matches more than one registrant; add the email"
                    )
                )
                continue
            registration = candidates[0] if candidates else None
        if registration is None:
            plan.problems.append(
                problem(
                    row,
                    column,
                    email or name,
                    f"{name or email} is not registered for this meeting; register them "
                    "(or as a walk-in), then import again",
                )
            )
            continue
        if registration.id in seen:
            plan.duplicates += 1
            continue
        seen.add(registration.id)
        if registration.status is not RegistrationStatus.REGISTERED:
            state = (
                "is on the waitlist; admit them first"
                if registration.status is RegistrationStatus.WAITLISTED
                else "cancelled their registration; register them again first"
            )
            plan.problems.append(problem(row, column, email or name, f"{name} {state}"))
            continue
        arrived = _on_day(get("joined_at", index), meeting.start_date)
        left = _on_day(get("left_at", index), meeting.start_date)
        if arrived is not None and left is not None and left > arrived:
            plan.people[PersonKey(name=name, email=email)] = [Interval(arrived, left)]
        if registration.checked_in_at is not None:
            plan.already.append((row, name))
            continue
        plan.check_ins.append((row, name, registration.id, arrived or start))
    return plan


def _on_day(value: Any, day: date) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, time):
        return datetime.combine(day, value)
    return None


def apply_attendance_plan(
    session: Session, plan: AttendanceImportPlan, progress: Progress | None = None
) -> int:
    """Record the attendance as one batch in the caller's transaction; the batch id."""
    table = plan.table
    batch = start_batch(
        session,
        ImportKind.ATTENDANCE,
        plan.file_name or "Zoom report",
        sheet=table.sheet if table is not None else "",
        mapping=plan.parsed.mapping.fields if plan.parsed is not None else {},
        meeting_id=plan.meeting_id,
    )
    if progress is not None:
        progress.report(0, 0, "Recording attendance…")
    if plan.people:
        record_attendance_intervals(
            session, plan.meeting_id, plan.people, plan.source, batch_id=batch.id
        )
    updates: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    # Held here: the session keeps loaded rows only while something refers to them.
    loaded = _load_registrations(session, [check[2] for check in plan.check_ins])
    for done, (_row, _name, registration_id, arrived) in enumerate(plan.check_ins):
        if progress is not None and done % 200 == 0:
            progress.check()
            progress.report(done, len(plan.check_ins), "Checking people in…")
        moment = arrived.astimezone(UTC) if arrived.tzinfo else arrived.astimezone().astimezone(UTC)
        registration = check_in(session, registration_id, at=moment)
        updates.append(
            (
                registration.id,
                {"checked_in_at": None},
                {"checked_in_at": plain(registration.checked_in_at)},
            )
        )
    del loaded
    record_updates(session, batch.id, "registrations", updates)
    counts = plan.counts()
    finish_batch(batch, counts)
    if table is not None and plan.parsed is not None:
        remember_mapping(session, table.headers, ImportKind.ATTENDANCE, plan.parsed.mapping)
    session.flush()
    return batch.id


def _load_registrations(session: Session, ids: Sequence[int]) -> list[Registration]:
    """The registrations to check in, with their people, in a query per 500 instead of
    two per person: `check_in` then finds them in the session."""
    loaded: list[Registration] = []
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        query = (
            select(Registration)
            .options(joinedload(Registration.member))
            .where(Registration.id.in_(part))
        )
        loaded.extend(session.scalars(query).all())
    return loaded


def describe(plan: AttendanceImportPlan) -> Sequence[str]:
    """Lines for the preview: who is credited, who is already recorded."""
    if plan.source == ZOOM_SOURCE:
        return [f"{name}" for name in sorted(plan.matched)]
    return [name for _row, name, _id, _at in plan.check_ins]
