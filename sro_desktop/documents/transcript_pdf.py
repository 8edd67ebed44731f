"""A member's CME transcript as a PDF: each meeting attended with its dates, format,
credit and certificate number, and the totals per kind of credit for the chosen years.

The figures come from `services.transcript` (the same attendance rules as certificates);
the certificate numbers from the register, so a reader can verify any line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import Certificate, CreditType
from sro_desktop.documents.fonts import Font
from sro_desktop.documents.report_pages import (
    GREY,
    INK,
    NAVY,
    RULE,
    SHADE,
    PageHeader,
    build_document,
    cell,
    save_pdf,
    style,
)
from sro_desktop.documents.wording import (
    AMA_CREDIT_PATTERN,
    credit_phrase,
    format_amount,
    format_date,
    format_date_range,
    hours_text,
)
from sro_desktop.services.certificate_issuing import organization
from sro_desktop.services.credentials import is_physician
from sro_desktop.services.transcript import Transcript, TranscriptLine, member_transcript

__all__ = ["TranscriptDocument", "render_transcript", "transcript_document"]

PAGE_SIZES = {"letter": letter, "a4": A4}
_FORMATS = {"in_person": "In person", "webinar": "Live webinar", "hybrid": "Hybrid"}


@dataclass(frozen=True)
class TranscriptDocument:
    organization: str
    signatory_name: str
    signatory_title: str
    transcript: Transcript
    certificate_numbers: dict[int, str]  # meeting id -> the register's number


def transcript_document(
    session: Session, member_id: int, start: date | None = None, end: date | None = None
) -> TranscriptDocument:
    transcript = member_transcript(session, member_id, start, end)
    org = organization(session)
    numbers: dict[int, str] = {
        meeting_id: number
        for meeting_id, number in session.execute(
            select(Certificate.meeting_id, Certificate.number).where(
                Certificate.member_id == member_id
            )
        )
    }
    return TranscriptDocument(
        org.name, org.signatory_name, org.signatory_title, transcript, numbers
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _italic_credit(text: str) -> str:
    """Paragraph markup with each "AMA PRA Category 1 Credit(s)™" in italics (AMA style)."""
    escaped = _escape(text)
    return AMA_CREDIT_PATTERN.sub(
        lambda match: f'<font face="{Font.SERIF_ITALIC}">{match.group()}</font>', escaped
    )


def _credit(line: TranscriptLine, physician: bool) -> str:
    if line.credit_type is CreditType.AMA_PRA_1 and physician:
        return f"{format_amount(line.credits)} credit{'' if line.credits == 1 else 's'}"
    if line.credit_type is CreditType.AMA_PRA_1:
        return hours_text(line.hours)
    if line.credit_type is CreditType.ATTENDANCE:
        return hours_text(line.credits)
    return "No credit"


def _kind(line: TranscriptLine, physician: bool) -> str:
    """What the figure is: AMA credit for a physician; for anyone else, hours of
    participation in an activity designated for AMA credit (only physicians claim it)."""
    if line.credit_type is CreditType.AMA_PRA_1 and physician:
        return credit_phrase(line.credits)
    if line.credit_type is CreditType.AMA_PRA_1:
        return f"Participation \u00b7 designated for {credit_phrase(Decimal(2))}"
    if line.credit_type is CreditType.ATTENDANCE:
        return "Attendance hours"
    return "No credit offered"


def _period(transcript: Transcript) -> str:
    if transcript.start and transcript.end:
        return f"Activities from {format_date(transcript.start)} to {format_date(transcript.end)}"
    if transcript.start:
        return f"Activities since {format_date(transcript.start)}"
    if transcript.end:
        return f"Activities up to {format_date(transcript.end)}"
    return "All activities on record"


def _totals(transcript: Transcript, physician: bool) -> list[str]:
    """One line per kind of credit, as this person may claim it."""
    lines = []
    for kind in (CreditType.AMA_PRA_1, CreditType.ATTENDANCE, CreditType.NONE):
        group = [line for line in transcript.lines if line.credit_type is kind]
        if not group:
            continue
        count = f"{len(group)} activit{'y' if len(group) == 1 else 'ies'}"
        if kind is CreditType.AMA_PRA_1 and physician:
            credits = sum((line.credits for line in group), Decimal(0))
            amount = f"{format_amount(credits)} {credit_phrase(credits)}"
        elif kind is CreditType.AMA_PRA_1:
            hours = sum((line.hours for line in group), Decimal(0))
            amount = (
                f"{hours_text(hours)} of participation in activities designated for "
                f"{credit_phrase(Decimal(2))}"
            )
        elif kind is CreditType.ATTENDANCE:
            amount = (
                f"{hours_text(sum((line.credits for line in group), Decimal(0)))} of attendance"
            )
        else:
            amount = "attended, without credit"
        lines.append(f"{amount} \u00b7 {count}")
    return lines


def render_transcript(
    document: TranscriptDocument,
    out: Path | BinaryIO,
    *,
    issued_on: date,
    page_size: str = "letter",
) -> int:
    """Write the transcript (portrait, as many pages as it takes); returns the page count.
    A person with nothing in the period still gets a page saying so."""
    pagesize = PAGE_SIZES[page_size.lower()]
    width = pagesize[0] - 2 * 0.6 * 72
    transcript = document.transcript
    head = style("head", Font.SANS_BOLD, 8, NAVY)
    body = style("body", Font.SERIF, 9.5, INK)
    small = style("small", Font.SANS, 8, GREY)
    right = style("right", Font.SERIF, 9.5, INK, alignment=TA_RIGHT)
    columns = [width * 0.2, width * 0.42, width * 0.12, width * 0.12]
    columns.append(width - sum(columns))
    data: list[list[object]] = [
        [cell(t, head) for t in ("Date", "Activity", "Format", "Credit", "Certificate")]
    ]
    physician = is_physician(transcript.credentials)
    for line in transcript.lines:
        under = _italic_credit(_kind(line, physician))
        if line.credit_type is CreditType.AMA_PRA_1 and line.accredited_provider:
            under += f" \u00b7 provider: {_escape(line.accredited_provider)}"
        provider = f"<br/><font size=7.5 color='#5B6470'>{under}</font>"
        data.append(
            [
                cell(format_date_range(line.start_date, line.end_date), small),
                Paragraph(_escape(line.title) + provider, body),
                cell(_FORMATS.get(line.format.value, line.format.label), small),
                cell(_credit(line, physician), right),
                cell(document.certificate_numbers.get(line.meeting_id, ""), small),
            ]
        )
    story: list[object] = []
    if transcript.lines:
        table = Table(data, colWidths=columns, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 14))
        totals = Table(
            [[Paragraph("Totals", style("totals", Font.SANS_BOLD, 9, NAVY))]]
            + [[Paragraph(_italic_credit(text), body)] for text in _totals(transcript, physician)],
            colWidths=[width],
        )
        totals.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story.append(totals)
    else:
        story.append(
            Paragraph(
                "No attended activities are on record for this period.",
                style("none", Font.SERIF_ITALIC, 11, GREY),
            )
        )
    story.append(Spacer(1, 16))
    note = (
        f"This transcript lists the activities {_escape(document.organization)} has on record "
        f"for {_escape(transcript.full_name)}, with the credit recorded for each. Physicians "
        f"should claim only the credit commensurate with the extent of their participation. "
        f"A certificate number can be verified with {_escape(document.organization)}."
    )
    story.append(Paragraph(note, style("note", Font.SERIF, 8.5, GREY, leading=11.5)))
    if document.signatory_name:
        story.append(Spacer(1, 18))
        story.append(Paragraph(_escape(document.signatory_name), style("sig", Font.SERIF_BOLD, 10)))
        if document.signatory_title:
            story.append(Paragraph(_escape(document.signatory_title), small))
    name = transcript.full_name
    if transcript.credentials:
        name = f"{name}, {transcript.credentials}"
    header = PageHeader(
        organization=document.organization,
        title="CME transcript",
        subtitle=name,
        detail=_period(transcript) + (f" \u00b7 {transcript.email}" if transcript.email else ""),
        footer_note=f"Issued {format_date(issued_on)}",
    )
    return save_pdf(
        out,
        lambda stream: build_document(
            stream, header, story, pagesize, document_title=f"CME transcript \u2013 {name}"
        ),
        "transcript",
    )
