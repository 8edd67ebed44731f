"""The frame shared by list-like documents (sign-in sheets, transcripts): a header naming
the organization and the document on every page, and "Page 2 of 5" at the foot.

"of 5" is known only once every page is laid out, so the canvas keeps each page's drawing
until the end and writes the footers then (reportlab's usual two-step numbering).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from sro_desktop.documents.fonts import Font, register_fonts
from sro_desktop.documents.pdf_files import write_in_place
from sro_desktop.documents.text_layout import fit_single_line

NAVY = HexColor("#1D3557")
GOLD = HexColor("#A8843A")
INK = HexColor("#1F2933")
GREY = HexColor("#5B6470")
RULE = HexColor("#C9CED6")
SHADE = HexColor("#F3F5F8")


@dataclass(frozen=True)
class PageHeader:
    """What every page says at its top and foot."""

    organization: str
    title: str  # "Sign-in sheet", "CME transcript"
    subtitle: str  # the meeting and its date, or the member
    detail: str = ""  # a third line: the venue, a date range
    footer_note: str = ""  # left of the page number: "Printed March 4, 2026"


def style(
    name: str,
    font: Font = Font.SANS,
    size: float = 9.5,
    color: Any = INK,
    leading: float | None = None,
    alignment: int = 0,
) -> ParagraphStyle:
    register_fonts()
    return ParagraphStyle(
        name,
        fontName=str(font),
        fontSize=size,
        leading=leading if leading is not None else size * 1.25,
        textColor=color,
        alignment=alignment,
    )


def cell(text: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """A table cell that wraps; the text is escaped (a name with "&" or "<" prints as is)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, paragraph_style)


def _numbered_canvas(header: PageHeader) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds each page until the end, then draws the header and "Page n of N"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                _draw_frame(self, header, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_frame(canvas: Canvas, header: PageHeader, number: int, total: int) -> None:
    width, height = canvas._pagesize
    left, right = 0.6 * 72, width - 0.6 * 72
    canvas.saveState()
    top = height - 0.55 * 72
    canvas.setFillColor(NAVY)
    organization = header.organization.upper()
    size = fit_single_line(((organization, Font.SERIF_BOLD),), right - left, 9, 6)
    canvas.setFont(str(Font.SERIF_BOLD), size)
    canvas.drawString(left, top, organization)
    canvas.setFont(str(Font.SANS), 9)
    canvas.setFillColor(GREY)
    canvas.drawRightString(right, top, header.title)
    title_size = fit_single_line(((header.subtitle, Font.SERIF_BOLD),), right - left, 15, 9)
    canvas.setFillColor(INK)
    canvas.setFont(str(Font.SERIF_BOLD), title_size)
    canvas.drawString(left, top - 21, header.subtitle)
    y = top - 21
    if header.detail:
        detail_size = fit_single_line(((header.detail, Font.SANS),), right - left, 9.5, 6.5)
        canvas.setFont(str(Font.SANS), detail_size)
        canvas.setFillColor(GREY)
        canvas.drawString(left, y - 14, header.detail)
        y -= 14
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(left, y - 8, right, y - 8)
    canvas.setFont(str(Font.SANS), 8)
    canvas.setFillColor(GREY)
    foot = 0.4 * 72
    canvas.drawRightString(right, foot, f"Page {number} of {total}")
    if header.footer_note:
        canvas.drawString(left, foot, header.footer_note)
    canvas.restoreState()


def header_height(header: PageHeader) -> float:
    """Points the header takes below the top of the page, its rule and a gap included."""
    return 0.55 * 72 + 21 + (14 if header.detail else 0) + 8 + 12


def build_document(
    target: Any,
    header: PageHeader,
    story: list[Any],
    pagesize: tuple[float, float],
    *,
    document_title: str,
    on_page: Callable[[Canvas, Any], None] | None = None,
) -> int:
    """Lay `story` out under the header on as many pages as it takes; returns the count."""
    register_fonts()
    width, height = pagesize
    margin = 0.6 * 72
    top = header_height(header)
    document = BaseDocTemplate(
        target,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=top,
        bottomMargin=0.7 * 72,
        title=document_title,
        author=header.organization,
        creator="SRO Desktop",
        pageCompression=1,
        initialFontName=str(Font.SANS),
    )
    frame = Frame(
        margin,
        0.7 * 72,
        width - 2 * margin,
        height - top - 0.7 * 72,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=on_page or (lambda c, d: None))]
    )
    document.build(story, canvasmaker=_numbered_canvas(header))
    return int(document.page)


def save_pdf(out: Path | BinaryIO, draw: Callable[[BinaryIO], int], what: str) -> int:
    """Run `draw` into memory, then write the bytes to `out`: a stream, or a path replaced
    atomically (a hidden temporary file renamed), so a failure never leaves half a PDF."""
    buffer = BytesIO()
    pages = draw(buffer)
    if not isinstance(out, Path):
        out.write(buffer.getvalue())
        return pages
    write_in_place(out, lambda stream: stream.write(buffer.getvalue()), what)
    return pages
