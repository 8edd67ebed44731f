"""The sign-in sheet for a meeting or one of its sessions: everyone registered, in
alphabetical order, with credentials, organization and a wide column to sign in.

Names of any alphabet print in the shipped Noto fonts. The header (the organization, the
meeting, its date and place, the session) repeats on every page with "Page n of N", the
column titles repeat too, and a few blank lines at the end take walk-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, letter
from reportlab.platypus import LongTable, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Employer,
    Meeting,
    MeetingFormat,
    MeetingSession,
    Member,
    Registration,
    RegistrationStatus,
)
from sro_desktop.documents.fonts import Font
from sro_desktop.documents.report_pages import (
    GREY,
    NAVY,
    RULE,
    SHADE,
    PageHeader,
    build_document,
    cell,
    save_pdf,
    style,
)
from sro_desktop.documents.wording import format_date, format_date_range
from sro_desktop.errors import DataRefused
from sro_desktop.services.certificate_issuing import organization
from sro_desktop.services.registrations import name_key

__all__ = ["SignInRow", "SignInSheet", "render_sign_in_sheet", "sign_in_sheet"]

PAGE_SIZES = {"letter": letter, "a4": A4}
WALK_IN_LINES = 6


@dataclass(frozen=True)
class SignInRow:
    last_name: str
    first_name: str
    credentials: str
    organization: str

    @property
    def sort_key(self) -> tuple[str, str]:
        return name_key(self.last_name), name_key(self.first_name)


@dataclass(frozen=True)
class SignInSheet:
    organization: str
    meeting_title: str
    when: str  # "September 24–25, 2026", or a session's day and hours
    where: str
    session_title: str
    rows: tuple[SignInRow, ...]


def _clock(moment: datetime) -> str:
    text = f"{moment:%I:%M %p}".lstrip("0")
    return text.replace(":00 ", " ")


def sign_in_sheet(
    session: Session, meeting_id: int, *, session_id: int | None = None
) -> SignInSheet:
    """Everyone registered for the meeting (not the waitlist, not the cancelled), sorted by
    last name then first name, accents ignored."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise DataRefused(f"There is no meeting with the number {meeting_id}.")
    session_title = ""
    when = format_date_range(meeting.start_date, meeting.end_date)
    if session_id is not None:
        agenda_item = session.get(MeetingSession, session_id)
        if agenda_item is None or agenda_item.meeting_id != meeting_id:
            raise DataRefused(
                f"Session {session_id} is not part of “{meeting.title}”; see the meeting's "
                "agenda for its sessions."
            )
        session_title = agenda_item.title
        when = (
            f"{format_date(agenda_item.starts_at.date())}, {_clock(agenda_item.starts_at)}"
            f" \u2013 {_clock(agenda_item.ends_at)}"
        )
    where = "Online" if meeting.format is MeetingFormat.WEBINAR else meeting.venue
    query = (
        select(Member, Employer.name)
        .join(Registration, Registration.member_id == Member.id)
        .outerjoin(Employer, Member.employer_id == Employer.id)
        .where(
            Registration.meeting_id == meeting_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    rows = sorted(
        (
            SignInRow(
                " ".join(member.last_name.split()),
                " ".join(member.first_name.split()),
                " ".join(member.credentials.split()),
                employer or "",
            )
            for member, employer in session.execute(query)
        ),
        key=lambda row: row.sort_key,
    )
    return SignInSheet(
        organization(session).name,
        " ".join(meeting.title.split()),
        when,
        " ".join(where.split()),
        session_title,
        tuple(rows),
    )


def render_sign_in_sheet(
    sheet: SignInSheet,
    out: Path | BinaryIO,
    *,
    page_size: str = "letter",
    printed_on: date | None = None,
    walk_in_lines: int = WALK_IN_LINES,
) -> int:
    """Write the sheet as a PDF (portrait); returns the number of pages."""
    pagesize = PAGE_SIZES[page_size.lower()]
    width = pagesize[0] - 2 * 0.6 * 72
    name_style = style("name", Font.SANS, 10)
    small = style("small", Font.SANS, 8.5, GREY)
    head = style("head", Font.SANS, 8, NAVY)
    columns = [0.34 * 72, width * 0.30, width * 0.12, width * 0.25]
    columns.append(width - sum(columns))
    data: list[list[object]] = [
        [cell(text, head) for text in ("", "Name", "Credentials", "Organization", "Signature")]
    ]
    for index, row in enumerate(sheet.rows, start=1):
        name = f"{row.last_name}, {row.first_name}" if row.first_name else row.last_name
        data.append(
            [
                cell(str(index), small),
                cell(name, name_style),
                cell(row.credentials, small),
                cell(row.organization, small),
                "",
            ]
        )
    for _ in range(walk_in_lines):
        data.append([cell("", small), "", "", "", ""])
    table = LongTable(
        data, colWidths=columns, repeatRows=1, rowHeights=[18] + [27] * (len(data) - 1)
    )
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBEFORE", (4, 1), (4, -1), 0.4, RULE),
    ]
    if walk_in_lines:
        first_blank = len(sheet.rows) + 1
        commands.append(("BACKGROUND", (0, first_blank), (-1, -1), SHADE))
    table.setStyle(TableStyle(commands))
    subtitle = sheet.meeting_title
    detail_parts = [sheet.session_title, sheet.when, sheet.where]
    header = PageHeader(
        organization=sheet.organization,
        title="Sign-in sheet",
        subtitle=subtitle,
        detail=" \u00b7 ".join(part for part in detail_parts if part),
        footer_note=(
            f"{len(sheet.rows)} registered"
            + (f" \u00b7 printed {format_date(printed_on)}" if printed_on else "")
            + (" \u00b7 shaded lines are for walk-ins" if walk_in_lines else "")
        ),
    )
    return save_pdf(
        out,
        lambda stream: build_document(
            stream,
            header,
            [table],
            pagesize,
            document_title=f"Sign-in sheet \u2013 {sheet.meeting_title}",
        ),
        "sign-in sheet",
    )
