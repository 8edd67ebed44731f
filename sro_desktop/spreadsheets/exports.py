"""The workbooks a treasurer hands out: the member list, a meeting roster, the renewals list.

Each export reads through the same services the screens use, so a file shows what the
screen shows: the member list with its current filter and columns, a meeting's
registrations in the roster's order, and who is due to renew. Formatting, safety
against formula injection and the atomic write are `workbook_writer`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from sro_desktop.db.models import EmployerType
from sro_desktop.errors import UnusableInput
from sro_desktop.services.meetings import get_meeting
from sro_desktop.services.members import MemberFilter, MemberRow, member_rows
from sro_desktop.services.memberships import renewals_due
from sro_desktop.services.organization import organization_settings
from sro_desktop.services.registrations import RegistrationRow, registration_rows
from sro_desktop.spreadsheets.workbook_writer import Column, Kind, SheetSpec, write_workbook

__all__ = [
    "MEMBER_COLUMNS",
    "ExportResult",
    "export_members",
    "export_renewals",
    "export_roster",
]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int

    def summary(self) -> str:
        return f"Exported {self.rows:,} row{'s' if self.rows != 1 else ''} to {self.path}"


def _employer_type(value: str | None) -> str:
    return EmployerType(value).label if value else ""


#: Member list columns: key (as the members table names them), header, kind, value.
MEMBER_COLUMNS: Final[tuple[tuple[str, str, Kind, Callable[[MemberRow], Any]], ...]] = (
    ("last_name", "Last name", "text", lambda r: r.last_name),
    ("first_name", "First name", "text", lambda r: r.first_name),
    ("credentials", "Credentials", "text", lambda r: r.credentials),
    ("email", "Email", "text", lambda r: r.email),
    ("phone", "Phone", "text", lambda r: r.phone),
    ("organization", "Organization", "text", lambda r: r.organization),
    (
        "organization_type",
        "Organization type",
        "text",
        lambda r: _employer_type(r.organization_type),
    ),
    ("job_role", "Job role", "text", lambda r: (r.job_role or "").replace("_", " ").capitalize()),
    ("state", "State", "text", lambda r: r.state),
    ("member_since", "Member since", "date", lambda r: r.member_since),
    ("status", "Status", "text", lambda r: r.status.value),
    ("membership_type", "Membership", "text", lambda r: r.membership_type),
    ("paid_through", "Paid through", "date", lambda r: r.paid_through),
)
_MEMBER_KEYS: Final = {key for key, *_ in MEMBER_COLUMNS}


def _organization(session: Session) -> str:
    return organization_settings(session).name or "SRO Desktop"


def export_members(
    session: Session,
    path: Path,
    *,
    as_of: date | None = None,
    member_filter: MemberFilter | None = None,
    columns: Sequence[str] | None = None,
) -> ExportResult:
    """The member list as filtered, with the chosen columns (default: all), in name order."""
    as_of = as_of or date.today()
    wanted = list(columns) if columns else [key for key, *_ in MEMBER_COLUMNS]
    unknown = [key for key in wanted if key not in _MEMBER_KEYS]
    if unknown:
        raise UnusableInput(
            f"There is no member column named {', '.join(unknown)}; use "
            f"{', '.join(key for key, *_ in MEMBER_COLUMNS)}."
        )
    chosen = [spec for key in wanted for spec in MEMBER_COLUMNS if spec[0] == key]
    rows = member_rows(session, as_of, member_filter=member_filter or MemberFilter())
    described = _describe_filter(member_filter)
    spec = SheetSpec(
        title="Members",
        columns=[Column(header, kind) for _key, header, kind, _value in chosen],
        rows=([value(row) for _key, _header, _kind, value in chosen] for row in rows),
        preamble=(
            f"{_organization(session)} — members",
            f"Status on {_long_date(as_of)}{described}; {len(rows):,} people.",
        ),
    )
    write_workbook(path, [spec])
    return ExportResult(path, len(rows))


def _describe_filter(member_filter: MemberFilter | None) -> str:
    if member_filter is None:
        return ""
    parts = []
    if member_filter.status is not None:
        parts.append(f"status {member_filter.status.value}")
    if member_filter.search.strip():
        parts.append(f"matching “{member_filter.search.strip()}”")
    if member_filter.state:
        parts.append(f"in {member_filter.state}")
    if member_filter.organization_type is not None:
        parts.append(member_filter.organization_type.label.lower())
    return f" ({', '.join(parts)})" if parts else ""


_ROSTER_COLUMNS: Final[tuple[tuple[str, Kind, Callable[[RegistrationRow], Any]], ...]] = (
    ("Last name", "text", lambda r: r.last_name),
    ("First name", "text", lambda r: r.first_name),
    ("Credentials", "text", lambda r: r.credentials),
    ("Email", "text", lambda r: r.email),
    ("Category", "text", lambda r: r.category.label),
    ("Status", "text", lambda r: r.status.label),
    ("Waitlist", "integer", lambda r: r.waitlist_position),
    ("Fee", "money", lambda r: r.fee),
    ("Paid", "money", lambda r: r.paid),
    ("Balance", "money", lambda r: r.balance),
    ("Payment", "text", lambda r: r.payment_status.value.replace("_", " ").capitalize()),
    ("Registered", "datetime", lambda r: r.registered_at),
    ("Checked in", "datetime", lambda r: r.checked_in_at),
)


def export_roster(session: Session, path: Path, meeting_id: int) -> ExportResult:
    """A meeting's registrations: registered by name, then the waitlist, then cancelled."""
    meeting = get_meeting(session, meeting_id)
    rows = registration_rows(session, meeting_id)
    when = _long_date(meeting.start_date)
    if meeting.end_date and meeting.end_date != meeting.start_date:
        when += f" – {_long_date(meeting.end_date)}"
    spec = SheetSpec(
        title="Roster",
        columns=[Column(header, kind) for header, kind, _ in _ROSTER_COLUMNS],
        rows=([value(row) for _h, _k, value in _ROSTER_COLUMNS] for row in rows),
        preamble=(
            f"{meeting.title} — roster",
            f"{when}{', ' + meeting.venue if meeting.venue else ''}; "
            f"{len(rows):,} registrations, exported {datetime.now():%m/%d/%Y %H:%M}.",
        ),
    )
    write_workbook(path, [spec])
    return ExportResult(path, len(rows))


def export_renewals(
    session: Session, path: Path, *, as_of: date | None = None, days: int = 60
) -> ExportResult:
    """Members whose paid membership ends within `days` or who are in grace now."""
    as_of = as_of or date.today()
    due = renewals_due(session, as_of, days)
    columns = (
        Column("Last name"),
        Column("First name"),
        Column("Email"),
        Column("Membership"),
        Column("Status"),
        Column("Paid through", "date"),
        Column("Lapses on", "date"),
    )
    spec = SheetSpec(
        title="Renewals",
        columns=columns,
        rows=(
            [
                d.last_name,
                d.first_name,
                d.email,
                d.membership_type,
                d.status.value,
                d.paid_through,
                d.lapses_on,
            ]
            for d in due
        ),
        preamble=(
            f"{_organization(session)} — renewals due",
            f"Members whose membership ends by {_later(as_of, days)} "
            f"or who are in grace on {as_of:%m/%d/%Y}; {len(due):,} people.",
        ),
    )
    write_workbook(path, [spec])
    return ExportResult(path, len(due))


def _long_date(day: date) -> str:
    """ "March 4, 2026" (strftime's %-d is not portable)."""
    return f"{day:%B} {day.day}, {day.year}"


def _later(as_of: date, days: int) -> str:
    return f"{date.fromordinal(as_of.toordinal() + days):%m/%d/%Y}"
