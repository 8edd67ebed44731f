"""The year-end treasurer's report as a PDF for the board packet: summary, income and
expenses by category, each meeting's result, and what is not yet reconciled.

Plain data in (`services.treasurer_report.TreasurerReport`), PDF bytes out.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sro_desktop.documents.fonts import Font, register_fonts
from sro_desktop.services.currency import format_money
from sro_desktop.services.owed import short_date
from sro_desktop.services.treasurer_report import TreasurerReport

NAVY = colors.HexColor("#1f3a5f")
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#9aa7b8")
SHADE = colors.HexColor("#eef2f7")
FRAME_PADDING = 6
# The PDF lists this many unreconciled transactions; the workbook lists them all.
UNRECONCILED_SHOWN = 40


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle("base", fontName=str(Font.SERIF), fontSize=10, leading=13)
        self.body = base
        self.org = ParagraphStyle(
            "org", base, fontName=str(Font.SERIF_BOLD), fontSize=16, leading=20, textColor=NAVY
        )
        self.title = ParagraphStyle("title", base, fontSize=13, leading=17)
        self.small = ParagraphStyle(
            "small", base, fontName=str(Font.SANS), fontSize=8.5, leading=11, textColor=GREY
        )
        self.heading = ParagraphStyle(
            "heading",
            base,
            fontName=str(Font.SERIF_BOLD),
            fontSize=12,
            leading=16,
            textColor=NAVY,
            spaceBefore=14,
            spaceAfter=4,
        )
        self.cell = ParagraphStyle("cell", base, fontSize=9.5, leading=12)
        self.cell_bold = ParagraphStyle("cell_bold", self.cell, fontName=str(Font.SERIF_BOLD))
        self.number = ParagraphStyle("number", self.cell, alignment=TA_RIGHT)
        self.number_bold = ParagraphStyle("number_bold", self.number, fontName=str(Font.SERIF_BOLD))
        self.head = ParagraphStyle(
            "head", self.cell, fontName=str(Font.SANS), fontSize=8, textColor=GREY
        )
        self.head_right = ParagraphStyle("head_right", self.head, alignment=TA_RIGHT)
        self.note = ParagraphStyle(
            "note", base, fontName=str(Font.SERIF_ITALIC), fontSize=9, textColor=GREY
        )


def _text(value: str) -> str:
    return escape(value)


class _Report:
    def __init__(self, report: TreasurerReport, width: float) -> None:
        self.report = report
        self.width = width
        self.styles = _Styles()

    def money(self, amount: Decimal, *, bold: bool = False) -> Paragraph:
        text = _text(format_money(amount, self.report.currency))
        if amount < 0:
            text = f'<font color="#a12622">{text}</font>'
        return Paragraph(text, self.styles.number_bold if bold else self.styles.number)

    def table(
        self,
        rows: list[list[Any]],
        widths: list[float],
        *,
        header: bool = True,
        total: bool = True,
    ) -> Table:
        table = Table(rows, colWidths=[self.width * w for w in widths], hAlign="LEFT")
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), str(Font.SERIF)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header:
            style.append(("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE))
        if total:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY))
            style.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
        table.setStyle(TableStyle(style))
        if header:
            table.repeatRows = 1
        return table

    def story(self) -> list[Flowable]:
        r, s = self.report, self.styles
        story: list[Flowable] = [
            Paragraph(_text(r.organization), s.org),
            Paragraph(f"Treasurer's report — {_text(r.year.description)}", s.title),
            Paragraph(
                f"Prepared {short_date(r.prepared_on)}. Amounts in {r.currency}. Income and "
                "expenses are counted on the date money was received or paid.",
                s.small,
            ),
            Spacer(1, 6),
        ]
        story += self.summary() + self.income() + self.expenses() + self.meetings()
        story += self.reconciliation()
        return story

    def summary(self) -> list[Flowable]:
        r, s = self.report, self.styles
        net_label = "Net (surplus)" if r.net >= 0 else "Net (deficit)"
        rows = [
            [
                Paragraph(f"Opening balance, {short_date(r.year.start)}", s.cell),
                self.money(r.opening_balance),
            ],
            [Paragraph("Total income", s.cell), self.money(r.total_income)],
            [Paragraph("Total expenses", s.cell), self.money(r.total_expenses)],
            [Paragraph(net_label, s.cell_bold), self.money(r.net, bold=True)],
            [
                Paragraph(f"Closing balance, {short_date(r.year.end)}", s.cell_bold),
                self.money(r.closing_balance, bold=True),
            ],
        ]
        table = self.table(rows, [0.55, 0.2], header=False)
        table.setStyle(TableStyle([("LINEABOVE", (0, 3), (-1, 3), 0.6, RULE)]))
        return [Paragraph("Summary", s.heading), table]

    def _category_table(
        self, title: str, lines: list[tuple[str, Decimal]], total: str, amount: Decimal
    ) -> list[Flowable]:
        s = self.styles
        rows: list[list[Any]] = [[Paragraph("CATEGORY", s.head), Paragraph("AMOUNT", s.head_right)]]
        rows += [[Paragraph(_text(label), s.cell), self.money(value)] for label, value in lines]
        rows.append([Paragraph(total, s.cell_bold), self.money(amount, bold=True)])
        return [KeepTogether([Paragraph(title, s.heading), self.table(rows, [0.55, 0.2])])]

    def income(self) -> list[Flowable]:
        r = self.report
        lines = [(line.label, line.amount) for line in r.income]
        return self._category_table("Income by category", lines, "Total income", r.total_income)

    def expenses(self) -> list[Flowable]:
        r = self.report
        lines = [(line.label, line.amount) for line in r.expenses]
        return self._category_table(
            "Expenses by category", lines, "Total expenses", r.total_expenses
        )

    def meetings(self) -> list[Flowable]:
        r, s = self.report, self.styles
        title = Paragraph("Meetings: profit or loss", s.heading)
        if not r.meetings:
            return [title, Paragraph("No meetings in this fiscal year.", s.body)]
        head = ["MEETING", "FEES", "SPONSORSHIP", "OTHER", "EXPENSES", "NET"]
        rows: list[list[Any]] = [
            [Paragraph(head[0], s.head)] + [Paragraph(h, s.head_right) for h in head[1:]]
        ]
        for m in r.meetings:
            rows.append(
                [
                    Paragraph(
                        f"{_text(m.title)}<br/>"
                        f'<font size="8" color="#555555">{short_date(m.start_date)}</font>',
                        s.cell,
                    ),
                    self.money(m.fees),
                    self.money(m.sponsorship),
                    self.money(m.other_income),
                    self.money(m.expenses),
                    self.money(m.net, bold=True),
                ]
            )
        totals = [
            sum((getattr(m, f) for m in r.meetings), Decimal("0.00"))
            for f in ("fees", "sponsorship", "other_income", "expenses", "net")
        ]
        rows.append(
            [Paragraph("All meetings", s.cell_bold)] + [self.money(t, bold=True) for t in totals]
        )
        note = Paragraph(
            "Fees are registration fees less refunds; sponsorship includes exhibitor fees. "
            "Only money received or paid within this fiscal year is counted.",
            s.note,
        )
        return [title, self.table(rows, [0.35, 0.13, 0.13, 0.13, 0.13, 0.13]), Spacer(1, 3), note]

    def reconciliation(self) -> list[Flowable]:
        r, s = self.report, self.styles
        open_items = r.unreconciled
        title = Paragraph("Reconciliation", s.heading)
        count = len(r.transactions)
        if not open_items:
            return [
                title,
                Paragraph(
                    f"All {count} transactions of the year are reconciled with the bank "
                    "statements.",
                    s.body,
                ),
            ]
        story: list[Flowable] = [
            title,
            Paragraph(
                f"{len(open_items)} of {count} transactions are not yet reconciled with the "
                f"bank statements; together they come to "
                f"{_text(format_money(r.unreconciled_total, r.currency))}.",
                s.body,
            ),
            Spacer(1, 4),
        ]
        rows: list[list[Any]] = [
            [Paragraph(h, s.head) for h in ("DATE", "KIND", "CATEGORY", "PAYER / PAYEE")]
            + [Paragraph("AMOUNT", s.head_right)]
        ]
        for entry in open_items[:UNRECONCILED_SHOWN]:
            rows.append(
                [
                    Paragraph(short_date(entry.paid_on), s.cell),
                    Paragraph("Income" if entry.kind == "income" else "Expense", s.cell),
                    Paragraph(_text(entry.category), s.cell),
                    Paragraph(_text(entry.party), s.cell),
                    self.money(entry.amount),
                ]
            )
        story.append(self.table(rows, [0.15, 0.1, 0.2, 0.35, 0.15], total=False))
        hidden = len(open_items) - UNRECONCILED_SHOWN
        if hidden > 0:
            story.append(
                Paragraph(f"…and {hidden} more; the treasurer's workbook lists every one.", s.note)
            )
        return story


def treasurer_report_pdf(report: TreasurerReport) -> bytes:
    """The report as PDF bytes."""
    register_fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.7 * inch,
        bottomMargin=0.8 * inch,
        title=f"Treasurer's report {report.year.label} – {report.organization}",
        author=report.organization,
        creator="SRO Desktop",
        initialFontName=str(Font.SERIF),
    )
    footer = f"{report.organization} · Treasurer's report {report.year.label}"

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(str(Font.SANS), 8)
        canvas.setFillColor(GREY)
        canvas.drawString(doc.leftMargin, 0.5 * inch, footer)
        canvas.drawRightString(
            doc.leftMargin + doc.width, 0.5 * inch, f"Page {canvas.getPageNumber()}"
        )
        canvas.restoreState()

    content = _Report(report, document.width - 2 * FRAME_PADDING)
    document.build(content.story(), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
