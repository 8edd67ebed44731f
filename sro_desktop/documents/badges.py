"""Name badges, eight to a US Letter sheet of Avery 5395-style adhesive badges.

Each badge: the meeting at the top, the name large (shrunk to fit, or on two lines when
long), credentials, organization and state below. Positions follow the Avery 5395 layout
(2 x 4 badges of 3⅜" x 2⅓", 0.6875" from the left, 0.5833" from the top, 3.75" and 2.5"
apart, as published in the gLabels template), so printing at 100 % ("actual size") lands
each badge on its label. `outlines=True` draws the label edges, for a test on plain paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import Employer, Meeting, Member, Registration, RegistrationStatus
from sro_desktop.documents.fonts import Font, register_fonts
from sro_desktop.documents.report_pages import GOLD, GREY, INK, NAVY, RULE, save_pdf
from sro_desktop.documents.text_layout import (
    Line,
    balanced_two_lines,
    draw_centered,
    fit_single_line,
    line_width,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.certificate_issuing import organization
from sro_desktop.services.regions import region_name
from sro_desktop.services.registrations import name_key

__all__ = ["AVERY_5395", "Badge", "BadgeSheet", "badges_for_meeting", "render_badges"]


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of labels: label size, the first label's corner and the step between."""

    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    step_x: float
    step_y: float
    corner_radius: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def origin(self, index: int, page_height: float) -> tuple[float, float]:
        """Bottom-left corner of the `index`-th label on a sheet, filled row by row."""
        row, column = divmod(index % self.per_sheet, self.columns)
        x = self.left + column * self.step_x
        y = page_height - self.top - row * self.step_y - self.height
        return x, y


AVERY_5395 = LabelSheet(
    columns=2,
    rows=4,
    width=3.375 * inch,
    height=(7 / 3) * inch,
    left=0.6875 * inch,
    top=(7 / 12) * inch,
    step_x=3.75 * inch,
    step_y=2.5 * inch,
    corner_radius=0.1875 * inch,
)


@dataclass(frozen=True)
class Badge:
    first_name: str
    last_name: str
    credentials: str
    organization: str
    state: str  # the full name: "Pennsylvania"


@dataclass(frozen=True)
class BadgeSheet:
    organization: str
    meeting_title: str
    badges: tuple[Badge, ...]


def badges_for_meeting(session: Session, meeting_id: int) -> BadgeSheet:
    """A badge for everyone registered (not the waitlist or the cancelled), by last name."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise DataRefused(f"There is no meeting with the number {meeting_id}.")
    query = (
        select(Member, Employer.name)
        .join(Registration, Registration.member_id == Member.id)
        .outerjoin(Employer, Member.employer_id == Employer.id)
        .where(
            Registration.meeting_id == meeting_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    people = sorted(
        session.execute(query),
        key=lambda pair: (name_key(pair[0].last_name), name_key(pair[0].first_name)),
    )
    badges = tuple(
        Badge(
            " ".join(member.first_name.split()),
            " ".join(member.last_name.split()),
            " ".join(member.credentials.split()),
            " ".join((employer or "").split()),
            region_name(member.state) if member.state else "",
        )
        for member, employer in people
    )
    return BadgeSheet(organization(session).name, " ".join(meeting.title.split()), badges)


_PAD = 12.0
_BAND = 30.0  # the header band's height
_NAME_LEADING = 0.12  # extra space between the two lines of a long name, of the size


def _fitted_line(
    canvas: Canvas,
    text: str,
    font: Font,
    size: float,
    min_size: float,
    center_x: float,
    baseline: float,
    width: float,
) -> None:
    if not text:
        return
    line = ((text, font),)
    fitted = fit_single_line(line, width, size, min_size)
    draw_centered(canvas, [line], center_x, baseline, fitted, 0)


def _name_lines(badge: Badge, width: float, room: float) -> tuple[list[Line], float]:
    """The name as large as fits: one line up to 28 pt; if that would be small, first and
    last name on two lines (balanced), up to 22 pt and within `room` points of height."""
    full = " ".join(part for part in (badge.first_name, badge.last_name) if part) or " "
    line: Line = ((full, Font.SANS_BOLD),)
    size = fit_single_line(line, width, 28, 6)
    two = balanced_two_lines(line) if size < 20 else None
    if two is None:
        return [line], size
    widest = max(line_width(part) for part in two)
    two_size = min(22.0, room / (1 + _NAME_LEADING), int(2 * width / widest) / 2)
    if two_size <= size:
        return [line], size
    return two, max(two_size, 6.0)


def _wrapped(
    text: str, font: Font, size: float, min_size: float, width: float
) -> tuple[list[Line], float]:
    """One line shrunk to fit, or two balanced lines when one would go below `min_size`."""
    line: Line = ((text, font),)
    fitted = fit_single_line(line, width, size, min_size)
    if line_width(line) * fitted <= width:
        return [line], fitted
    two = balanced_two_lines(line)
    if two is None:
        return [line], fitted
    widest = max(line_width(part) for part in two)
    return two, max(6.0, min(size, int(2 * width / widest) / 2))


def _draw_badge(
    canvas: Canvas, sheet: BadgeSheet, badge: Badge, x: float, y: float, labels: LabelSheet
) -> None:
    """Header band with the meeting; below it, from the bottom up: state, organization,
    credentials; the name large and centered in the room that is left."""
    width, height = labels.width, labels.height
    center = x + width / 2
    inner = width - 2 * _PAD
    top = y + height
    canvas.setFillColor(NAVY)
    canvas.rect(x, top - _BAND, width, _BAND, stroke=0, fill=1)
    canvas.setFillColor(GOLD)
    canvas.rect(x, top - _BAND - 2, width, 2, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    _fitted_line(canvas, sheet.meeting_title, Font.SANS_BOLD, 10, 6, center, top - 14, inner)
    canvas.setFillColorRGB(0.85, 0.88, 0.93)
    _fitted_line(canvas, sheet.organization, Font.SANS, 7, 5, center, top - 25, inner)

    baseline = y + 14.0
    if badge.state:
        canvas.setFillColor(GREY)
        _fitted_line(canvas, badge.state, Font.SANS, 9, 6, center, baseline, inner)
        baseline += 14
    if badge.organization:
        lines, size = _wrapped(badge.organization, Font.SANS, 10, 8, inner)
        leading = size * 1.2
        canvas.setFillColor(INK)
        draw_centered(canvas, lines, center, baseline + leading * (len(lines) - 1), size, leading)
        baseline += leading * len(lines) + 4
    if badge.credentials:
        canvas.setFillColor(NAVY)
        size = fit_single_line(((badge.credentials, Font.SANS_BOLD),), inner, 12, 7)
        baseline += 2
        _fitted_line(canvas, badge.credentials, Font.SANS_BOLD, 12, 7, center, baseline, inner)
        baseline += size * 1.3
    room_top = top - _BAND - 8
    room_bottom = baseline + 2
    lines, size = _name_lines(badge, inner, room_top - room_bottom)
    leading = size * (1 + _NAME_LEADING)
    block = size * 0.72 + leading * (len(lines) - 1)  # cap height of the first line down
    first_baseline = (room_top + room_bottom) / 2 + block / 2 - size * 0.72
    canvas.setFillColor(INK)
    draw_centered(canvas, lines, center, first_baseline, size, leading)


def _draw_sheets(
    target: BinaryIO, sheet: BadgeSheet, labels: LabelSheet, outlines: bool, blanks: int
) -> int:
    register_fonts()
    page_height = letter[1]
    canvas = Canvas(target, pagesize=letter, pageCompression=1, initialFontName=str(Font.SANS))
    canvas.setTitle(f"Name badges \u2013 {sheet.meeting_title}")
    canvas.setAuthor(sheet.organization)
    canvas.setCreator("SRO Desktop")
    slots: list[Badge | None] = [None] * blanks + list(sheet.badges)
    pages = 0
    for start in range(0, len(slots), labels.per_sheet):
        for index, badge in enumerate(slots[start : start + labels.per_sheet]):
            x, y = labels.origin(index, page_height)
            if outlines:
                canvas.setStrokeColor(RULE)
                canvas.setLineWidth(0.5)
                canvas.roundRect(x, y, labels.width, labels.height, labels.corner_radius)
            if badge is not None:
                canvas.saveState()
                path = canvas.beginPath()
                path.roundRect(x, y, labels.width, labels.height, labels.corner_radius)
                canvas.clipPath(path, stroke=0, fill=0)
                _draw_badge(canvas, sheet, badge, x, y, labels)
                canvas.restoreState()
        canvas.showPage()
        pages += 1
    canvas.save()
    return pages


def render_badges(
    sheet: BadgeSheet,
    out: Path | BinaryIO,
    *,
    labels: LabelSheet = AVERY_5395,
    outlines: bool = False,
    skip: int = 0,
) -> int:
    """Write the badges as a PDF, eight per page; returns the number of pages.

    `skip` leaves that many labels empty at the start of the first sheet, to use up a
    sheet already partly used."""
    if not sheet.badges:
        raise DataRefused(
            f"No one is registered for “{sheet.meeting_title}” yet, so there are no badges "
            "to print."
        )
    blanks = max(0, min(skip, labels.per_sheet - 1))
    return save_pdf(
        out, lambda stream: _draw_sheets(stream, sheet, labels, outlines, blanks), "badges"
    )
