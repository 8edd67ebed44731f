"""The receipt for a payment, as a one-page PDF (US Letter, the receipt in the top half so
it can be folded into a window envelope or cut off).

Plain data in (`services.receipts.ReceiptData`), PDF bytes out. Noto fonts, so payers'
names print in any Latin, Greek or Cyrillic spelling.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sro_desktop.documents.fonts import Font, register_fonts
from sro_desktop.services.currency import format_money
from sro_desktop.services.owed import short_date
from sro_desktop.services.receipts import ReceiptData

NAVY = colors.HexColor("#1f3a5f")
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#9aa7b8")
FRAME_PADDING = 6  # platypus frames inset their content by this much on each side


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=str(Font.SERIF), fontSize=10.5, leading=14)
    return {
        "org": ParagraphStyle(
            "org", base, fontName=str(Font.SERIF_BOLD), fontSize=15, leading=19, textColor=NAVY
        ),
        "small": ParagraphStyle(
            "small", base, fontName=str(Font.SANS), fontSize=9, leading=12, textColor=GREY
        ),
        "title": ParagraphStyle(
            "title",
            base,
            fontName=str(Font.SERIF_BOLD),
            fontSize=20,
            leading=24,
            alignment=TA_RIGHT,
            textColor=NAVY,
        ),
        "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
        "label": ParagraphStyle(
            "label", base, fontName=str(Font.SANS), fontSize=8.5, leading=11, textColor=GREY
        ),
        "label_right": ParagraphStyle(
            "label_right",
            base,
            fontName=str(Font.SANS),
            fontSize=8.5,
            leading=11,
            textColor=GREY,
            alignment=TA_RIGHT,
        ),
        "body": base,
        "bold": ParagraphStyle("bold", base, fontName=str(Font.SERIF_BOLD)),
        "bold_right": ParagraphStyle(
            "bold_right", base, fontName=str(Font.SERIF_BOLD), fontSize=12, alignment=TA_RIGHT
        ),
        "note": ParagraphStyle(
            "note", base, fontName=str(Font.SERIF_ITALIC), fontSize=9.5, textColor=GREY
        ),
    }


def _text(value: str) -> str:
    """Plain text for a Paragraph: XML-escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in value.splitlines())


def receipt_pdf(receipt: ReceiptData) -> bytes:
    """The receipt as PDF bytes."""
    register_fonts()
    styles = _styles()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.8 * inch,
        rightMargin=0.8 * inch,
        topMargin=0.7 * inch,
        bottomMargin=0.7 * inch,
        title=f"Receipt {receipt.number_text} – {receipt.organization}",
        author=receipt.organization,
        creator="SRO Desktop",
        subject=f"Receipt for payment {receipt.payment_id}",
        initialFontName=str(Font.SERIF),  # else an unembedded Helvetica lands in the file
    )
    width = document.width - 2 * FRAME_PADDING
    money = format_money(receipt.amount, receipt.currency)

    organization = [Paragraph(_text(receipt.organization), styles["org"])]
    if receipt.organization_address:
        organization.append(Paragraph(_text(receipt.organization_address), styles["small"]))
    if receipt.organization_contact:
        organization.append(Paragraph(_text(receipt.organization_contact), styles["small"]))
    heading = [
        Paragraph("RECEIPT", styles["title"]),
        Paragraph(f"No. {receipt.number_text}", styles["right"]),
        Paragraph(f"Date received: {short_date(receipt.paid_on)}", styles["right"]),
    ]
    head = Table([[organization, heading]], colWidths=[width * 0.6, width * 0.4], hAlign="LEFT")
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), str(Font.SERIF)),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, NAVY),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 10),
            ]
        )
    )

    payer = [
        Paragraph("RECEIVED FROM", styles["label"]),
        Paragraph(_text(receipt.payer), styles["bold"]),
    ]
    if receipt.payer_address:
        payer.append(Paragraph(_text(receipt.payer_address), styles["body"]))

    lines = Table(
        [
            [Paragraph("FOR", styles["label"]), Paragraph("AMOUNT", styles["label_right"])],
            [
                [
                    Paragraph(_text(receipt.description), styles["body"]),
                    Paragraph(_text(receipt.category), styles["small"]),
                ],
                Paragraph(money, styles["right"]),
            ],
            [Paragraph("Total received", styles["bold"]), Paragraph(money, styles["bold_right"])],
        ],
        colWidths=[width * 0.75, width * 0.25],
        hAlign="LEFT",
    )
    lines.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), str(Font.SERIF)),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
                ("TOPPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    story = [
        head,
        Spacer(1, 14),
        *payer,
        Spacer(1, 14),
        lines,
        Spacer(1, 10),
        Paragraph(f"Paid by: {_text(receipt.method_text)}", styles["body"]),
    ]
    if receipt.memo and receipt.memo not in receipt.description:
        story.append(Paragraph(f"Note: {_text(receipt.memo)}", styles["body"]))
    story += [
        Spacer(1, 16),
        Paragraph("Thank you for your payment.", styles["note"]),
    ]
    if receipt.reprint:
        story.append(
            Paragraph(
                f"Copy of receipt no. {receipt.number_text}, first issued for payment "
                f"{receipt.payment_id}; the number is unchanged.",
                styles["note"],
            )
        )
    document.build(story)
    return buffer.getvalue()
