"""Certificates of attendance, of participation and of AMA PRA credit, as one PDF per batch.

Plain data in, PDF out: the caller (a service) gathers each person's `CertificateContent`
and the organization's `CertificateArt`; nothing here touches the database or Qt.
`certificate_text` gives the exact words printed, part by part, for the register;
`check_certificate` lists what would make a certificate wrong before it is printed;
`render_certificates` writes one landscape page per certificate.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from sro_desktop.documents import wording
from sro_desktop.documents.fonts import Font, missing_characters, register_fonts
from sro_desktop.documents.page_art import (
    GREY,
    INK,
    NAVY,
    PageLayout,
    define_art_form,
    load_images,
    page_layout,
    page_size,
)
from sro_desktop.documents.pdf_files import write_in_place
from sro_desktop.documents.text_layout import (
    NO_BREAK_SPACE,
    Line,
    Run,
    draw_centered,
    fit_lines,
    fit_single_line,
    wrap_balanced,
)
from sro_desktop.errors import DataRefused

__all__ = [
    "Cancelled",
    "CertificateArt",
    "CertificateContent",
    "CertificateKind",
    "PrintedPage",
    "certificate_text",
    "check_certificate",
    "font_problems",
    "render_certificates",
    "render_printed",
    "rule_problems",
]


class CertificateKind(StrEnum):
    """Which certificate a person gets."""

    ATTENDANCE = "attendance"  # a meeting without accredited credit: hours only
    PARTICIPATION = "participation"  # a non-physician at a meeting with AMA credit
    PHYSICIAN = "physician"  # a physician at a meeting with AMA credit: credits awarded


@dataclass(frozen=True)
class CertificateArt:
    """What every page of a batch shares: the organization's look and the signatory."""

    organization_name: str
    logo: bytes | None  # PNG or JPEG
    signature: bytes | None  # PNG (transparent background is best) or JPEG
    signatory_name: str
    signatory_title: str
    page_size: str = "letter"  # or "a4"


@dataclass(frozen=True)
class CertificateContent:
    """One person's certificate."""

    kind: CertificateKind
    recipient_name: str
    credentials: str  # "MD", "RN, MSN"; may be empty
    activity_title: str
    learning_format: str  # the AMA learning format, e.g. "live activity"
    location: str  # "Columbus, Ohio" or "Live webinar"
    start_date: date
    end_date: date
    hours: Decimal | None  # hours attended
    credits: Decimal | None  # AMA PRA Category 1 credits awarded (claimed), physicians only
    max_credits: Decimal | None  # credits the activity was designated for
    provider: str | None  # the ACCME-accredited provider
    joint_provider: bool  # True: jointly provided by `provider` and `organization_name`
    organization_name: str
    issued_on: date
    number: str  # "2026-0042"
    verification_code: str  # "K7P-3QX"
    reissued_on: date | None = None  # printed in the footer of a corrected reissue


class Cancelled(Exception):
    """The user cancelled writing the certificates; nothing was written."""


TITLES = {
    CertificateKind.ATTENDANCE: "Certificate of Attendance",
    CertificateKind.PARTICIPATION: "Certificate of Participation",
    CertificateKind.PHYSICIAN: "Certificate of CME Credit",
}


def _clean(text: str) -> str:
    """NFC, so decomposed accents (e + combining marks, as macOS file names and some web
    forms give them) become the precomposed letters the fonts draw with correct stacking."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _positive(amount: Decimal | None) -> Decimal | None:
    return amount if amount is not None and amount > 0 else None


def certificate_text(content: CertificateContent) -> dict[str, str]:
    """The words printed, by part, in page order (parts that do not apply are left out).

    Keys: title, intro, name, lead, activity, details, award, designated (participation),
    designation and accreditation (when credit applies), issued, footer.
    """
    name = _clean(content.recipient_name)
    credentials = _clean(content.credentials)
    learning_format = _clean(content.learning_format) or "live activity"
    text = {
        "title": TITLES[content.kind],
        "intro": "This certifies that",
        "name": f"{name}, {credentials}" if credentials else name,
    }
    if content.kind is CertificateKind.ATTENDANCE:
        text["lead"] = "has attended"
    else:
        text["lead"] = f"has participated in the {learning_format}"
    text["activity"] = _clean(content.activity_title)
    dates = wording.format_date_range(content.start_date, content.end_date)
    location = _clean(content.location)
    text["details"] = f"{location} \u00b7 {dates}" if location else dates

    hours = _positive(content.hours)
    credits = _positive(content.credits)
    max_credits = _positive(content.max_credits)
    provider = _clean(content.provider or "")
    if content.kind is CertificateKind.PHYSICIAN:
        if credits is not None:
            text["award"] = f"and is awarded {wording.credits_text(credits)}."
    elif hours is not None:
        text["award"] = f"for a total of {wording.hours_text(hours)}."
    if content.kind is CertificateKind.PARTICIPATION and max_credits is not None:
        text["designated"] = wording.participation_statement(max_credits)
    if content.kind is CertificateKind.PHYSICIAN and provider and max_credits is not None:
        text["designation"] = wording.designation_statement(provider, learning_format, max_credits)
    if content.kind is not CertificateKind.ATTENDANCE and provider:
        joint_with = _clean(content.organization_name) if content.joint_provider else None
        text["accreditation"] = wording.accreditation_statement(provider, joint_with=joint_with)
    text["issued"] = wording.format_date(content.issued_on)
    text["footer"] = (
        f"Certificate {_clean(content.number)} \u00b7 verify code "
        f"{_clean(content.verification_code)}"
    )
    if content.reissued_on is not None:
        text["footer"] += f" \u00b7 reissued {wording.format_date(content.reissued_on)}"
    return text


def rule_problems(content: CertificateContent) -> list[str]:
    """Problems that make a certificate wrong (the renderer refuses these)."""
    problems: list[str] = []
    who = _clean(content.recipient_name)
    if not who:
        problems.append("The certificate has no recipient name.")
        who = "this person"
    if content.end_date < content.start_date:
        problems.append(
            f"The activity ends ({wording.format_date(content.end_date)}) before it starts "
            f"({wording.format_date(content.start_date)}). Correct the meeting's dates."
        )
    if not _clean(content.activity_title):
        problems.append("The certificate has no activity title.")
    kind = content.kind
    if kind is not CertificateKind.PHYSICIAN and _positive(content.hours) is None:
        problems.append(
            f"No hours are recorded for {who}; a certificate of {kind.value} must state "
            "the hours attended."
        )
    if kind is CertificateKind.ATTENDANCE:
        return problems
    label = (
        "A physician certificate"
        if kind is CertificateKind.PHYSICIAN
        else "A certificate of participation"
    )
    if not _clean(content.provider or ""):
        problems.append(
            f"{label} needs the accredited provider's name (the ACCME-accredited "
            "organization that designated the activity for credit). Add it to the meeting."
        )
    max_credits = _positive(content.max_credits)
    if max_credits is None:
        problems.append(
            f"{label} needs the maximum number of AMA PRA Category 1 Credits™ the activity "
            "was designated for. Add it to the meeting."
        )
    elif not wording.is_quarter_step(max_credits):
        problems.append(
            f"The activity's maximum credits ({max_credits}) must be in quarter credits "
            "(0.25, 0.5, 0.75...)."
        )
    if kind is not CertificateKind.PHYSICIAN:
        return problems
    credits = _positive(content.credits)
    if credits is None:
        problems.append(
            f"No credits are recorded for {who}; a physician certificate must state the "
            "credits earned."
        )
        return problems
    if max_credits is not None and credits > max_credits:
        problems.append(
            f"{who} is given {wording.format_amount(credits)} credits, more than the "
            f"{wording.format_amount(max_credits)} the activity was designated for."
        )
    if not wording.is_quarter_step(credits):
        problems.append(
            f"{who}'s credits ({credits}) must be in quarter credits (0.25, 0.5, 0.75...)."
        )
    return problems


def check_certificate(content: CertificateContent) -> list[str]:
    """Everything wrong with a certificate, in plain words; empty when it can be printed.

    Besides the ACCME/AMA rules, warns when the name has letters the certificate's fonts
    cannot draw (they would print as empty boxes), so the user can correct the spelling.
    """
    return rule_problems(content) + font_problems(certificate_text(content))


def font_problems(text: dict[str, str]) -> list[str]:
    """The printed name's letters the certificate font has no glyph for, as a warning."""
    name = text.get("name", "")
    missing = missing_characters(name, Font.SERIF_BOLD)
    if not missing:
        return []
    return [
        f"The name “{name}” has letters the certificate font cannot print "
        f"({', '.join(missing)}); they would show as empty boxes."
    ]


# --- drawing -----------------------------------------------------------------------------

_ASCENT = 0.78  # of the font size, for spacing blocks; Noto's capitals are ~0.71 em
_DESCENT = 0.26


@dataclass(frozen=True)
class _Block:
    runs: tuple[Run, ...]
    size: float
    color: Color
    space_before: float = 0.0
    leading: float = 1.3  # times the size
    is_name: bool = False
    max_width_factor: float = 1.0
    min_size: float = 0.0  # shrinking to fit stops here (small print stays legible)


@dataclass(frozen=True)
class _Placed:
    lines: list[Line]
    size: float
    leading: float
    color: Color
    space_before: float

    @property
    def height(self) -> float:
        return (
            self.space_before
            + self.size * (_ASCENT + _DESCENT)
            + (len(self.lines) - 1) * self.leading
        )


def _with_italic_credit(text: str, font: Font) -> tuple[Run, ...]:
    """Runs of `text` in `font`, with each "AMA PRA Category 1 Credit(s)™" in italics, kept
    on one line together with the amount before it ("6.25 AMA PRA ...")."""
    runs: list[Run] = []
    position = 0
    for match in wording.AMA_CREDIT_PATTERN.finditer(text):
        before = text[position : match.start()]
        if before.endswith(" ") and before[:-1][-1:].isdigit():
            before = before[:-1] + NO_BREAK_SPACE
        if before:
            runs.append((before, font))
        runs.append((match.group().replace(" ", NO_BREAK_SPACE), Font.SERIF_ITALIC))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], font))
    return tuple(runs)


def _blocks(text: dict[str, str]) -> list[_Block]:
    blocks = [
        _Block(((text["intro"], Font.SERIF_ITALIC),), 13, GREY),
        _Block(((text["name"], Font.SERIF_BOLD),), 34, INK, space_before=8, is_name=True),
        _Block(((text["lead"], Font.SERIF),), 13, INK, space_before=10),
        _Block(((text["activity"], Font.SERIF_BOLD),), 17, NAVY, space_before=4, leading=1.2),
        _Block(((text["details"], Font.SERIF),), 12, INK, space_before=4),
    ]
    if "award" in text:
        blocks.append(_Block(_with_italic_credit(text["award"], Font.SERIF), 13, INK, 8))
    if "designated" in text:
        blocks.append(_Block(_with_italic_credit(text["designated"], Font.SERIF), 11, INK, 4))
    statements = [text[key] for key in ("designation", "accreditation") if key in text]
    for index, statement in enumerate(statements):
        blocks.append(
            _Block(
                _with_italic_credit(statement, Font.SERIF),
                8,
                GREY,
                space_before=16 if index == 0 else 5,
                leading=1.35,
                max_width_factor=0.92,
                min_size=7,
            )
        )
    return blocks


def _place(blocks: list[_Block], width: float, scale: float) -> list[_Placed]:
    placed: list[_Placed] = []
    for block in blocks:
        size = max(block.size * scale, min(block.size, block.min_size))
        max_width = width * block.max_width_factor
        if block.is_name:
            fitted = fit_lines(
                block.runs, max_width, size=size, min_size=22 * scale, floor_size=14 * scale
            )
            lines, size = fitted.lines, fitted.size
        else:
            lines = list(wrap_balanced(block.runs, max_width / size))
        placed.append(
            _Placed(lines, size, size * block.leading, block.color, block.space_before * scale)
        )
    return placed


def _layout_content(text: dict[str, str], layout: PageLayout) -> list[_Placed]:
    """Fit the variable part between the title and the signatures, shrinking if needed."""
    blocks = _blocks(text)
    available = layout.content_top - layout.content_bottom
    scale = 1.0
    placed = _place(blocks, layout.content_width, scale)
    while sum(p.height for p in placed) > available and scale > 0.6:
        scale -= 0.05
        placed = _place(blocks, layout.content_width, scale)
    return placed


def _draw_page(canvas: Canvas, text: dict[str, str], layout: PageLayout) -> None:
    center = layout.center_x
    title: Line = ((text["title"], Font.SERIF_BOLD),)
    title_size = fit_single_line(title, layout.content_width, 30, 18)
    canvas.setFillColor(NAVY)
    draw_centered(canvas, [title], center, layout.title_baseline, title_size, 0)

    placed = _layout_content(text, layout)
    total = sum(p.height for p in placed)
    available = layout.content_top - layout.content_bottom
    y = layout.content_top - max(0.0, (available - total) * 0.45)
    for block in placed:
        y -= block.space_before + block.size * _ASCENT
        canvas.setFillColor(block.color)
        draw_centered(canvas, block.lines, center, y, block.size, block.leading)
        y -= (len(block.lines) - 1) * block.leading + block.size * _DESCENT

    canvas.setFillColor(INK)
    canvas.setFont(str(Font.SERIF), 12)
    canvas.drawCentredString(layout.date_x, layout.sign_line_y + 6, text["issued"])
    canvas.setFillColor(GREY)
    canvas.setFont(str(Font.SANS), 7)
    canvas.drawCentredString(center, layout.footer_baseline, text["footer"])


def _refuse_if_wrong(content: CertificateContent) -> None:
    problems = rule_problems(content)
    if problems:
        who = _clean(content.recipient_name) or "(no name)"
        raise DataRefused(
            f"Certificate {content.number} for {who} cannot be printed: " + " ".join(problems)
        )


PrintedPage = tuple[CertificateArt, dict[str, str]]
"""One page as printed: the batch's look and the words of `certificate_text`."""

#: The parts every printed page has; the others are optional.
REQUIRED_PARTS = ("title", "intro", "name", "lead", "activity", "details", "issued", "footer")


def _draw_watermark(canvas: Canvas, text: str, layout: PageLayout) -> None:
    """Big pale diagonal words across the page: a preview must not pass for the real one."""
    canvas.saveState()
    canvas.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.16))
    canvas.setFont(str(Font.SANS_BOLD), 64)
    canvas.translate(layout.width / 2, layout.height / 2)
    canvas.rotate(28)
    canvas.drawCentredString(0, -20, text)
    canvas.restoreState()


def _write_pdf(
    pages: Iterable[PrintedPage],
    target: BinaryIO,
    progress: Callable[[int], None] | None,
    is_cancelled: Callable[[], bool] | None,
    watermark: str = "",
) -> int:
    """Draw the pages; each distinct artwork becomes one form, drawn once and reused."""
    register_fonts()
    canvas: Canvas | None = None
    forms: dict[int, tuple[CertificateArt, str, PageLayout, tuple[float, float]]] = {}
    count = 0
    for art, text in pages:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled
        if canvas is None:
            canvas = Canvas(
                target,
                pagesize=page_size(art.page_size),
                pageCompression=1,
                initialFontName=str(Font.SERIF),
            )
            organization = _clean(art.organization_name)
            canvas.setTitle(f"Certificates \u2013 {organization}")
            canvas.setAuthor(organization)
            canvas.setCreator("SRO Desktop")
        known = forms.get(id(art))
        if known is None:
            logo, signature = load_images(art)
            layout = page_layout(art.page_size, has_logo=logo is not None)
            size = page_size(art.page_size)
            canvas.setPageSize(size)
            name = define_art_form(canvas, art, layout, logo, signature, f"art{len(forms)}")
            known = forms[id(art)] = (art, name, layout, size)
        _art, form, layout, size = known
        canvas.setPageSize(size)
        canvas.doForm(form)
        _draw_page(canvas, text, layout)
        if watermark:
            _draw_watermark(canvas, watermark, layout)
        canvas.showPage()
        count += 1
        if progress is not None:
            progress(count)
    if canvas is None:
        raise DataRefused("There are no certificates to print.")
    if is_cancelled is not None and is_cancelled():
        raise Cancelled
    canvas.save()
    return count


def _checked(art: CertificateArt, contents: Iterable[CertificateContent]) -> Iterator[PrintedPage]:
    for content in contents:
        _refuse_if_wrong(content)
        yield art, certificate_text(content)


def _write(
    out: Path | BinaryIO,
    pages: Iterable[PrintedPage],
    progress: Callable[[int], None] | None,
    is_cancelled: Callable[[], bool] | None,
    watermark: str = "",
) -> int:
    if not isinstance(out, Path):
        buffer = BytesIO()
        count = _write_pdf(pages, buffer, progress, is_cancelled, watermark)
        out.write(buffer.getvalue())
        return count

    return write_in_place(
        out,
        lambda stream: _write_pdf(pages, stream, progress, is_cancelled, watermark),
        "certificates",
    )


def render_printed(
    pages: Iterable[PrintedPage],
    out: Path | BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    watermark: str = "",
) -> int:
    """Print pages from their stored words (a reprint from the register): the same
    drawing as `render_certificates`, without the rules, which held when they were
    first printed. Pages sharing one `CertificateArt` object share its artwork form.
    `watermark` writes big pale words across each page (for a preview not yet issued)."""

    def validated() -> Iterator[PrintedPage]:
        for art, text in pages:
            missing = [part for part in REQUIRED_PARTS if not text.get(part)]
            if missing:
                raise DataRefused(
                    f"The stored text of a certificate lacks its {', '.join(missing)}; it "
                    "cannot be reprinted as it was. Issue it again from its meeting instead."
                )
            yield art, text

    return _write(out, validated(), progress, is_cancelled, watermark)


def render_certificates(
    art: CertificateArt,
    contents: Iterable[CertificateContent],
    out: Path | BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write one page per certificate into one PDF; returns the number of pages.

    `progress(pages_done)` is called after each page; `is_cancelled()` is polled before
    each page, and when it answers True `Cancelled` is raised and nothing is left at `out`
    (a path is written through a hidden temporary file beside it, renamed on success; a
    stream receives bytes only on success). A certificate that breaks the rules of
    `check_certificate` stops the batch with `DataRefused`.
    """
    return _write(out, _checked(art, contents), progress, is_cancelled)
