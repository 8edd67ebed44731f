"""The receipt and the treasurer's report as real PDFs, read back with poppler: the words
and figures printed, accented names intact, every font embedded."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

from sro_desktop.db.database import Database
from sro_desktop.db.models import PaymentMethod
from sro_desktop.documents.receipts import receipt_pdf
from sro_desktop.documents.treasurer_report_pdf import treasurer_report_pdf
from sro_desktop.services.ledger import FiscalYear, set_opening_balance
from sro_desktop.services.receipts import ReceiptData
from sro_desktop.services.treasurer_report import treasurer_report
from tests.services.finance_factories import expense, meeting


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:]]


def _receipt(**changes: object) -> ReceiptData:
    values: dict[str, object] = {
        "number": 42,
        "payment_id": 7,
        "organization": "Tri-State Alliance for CME",
        "organization_address": "P.O. Box 1187\nWilmington, DE 19899",
        "organization_contact": "treasurer@tristatecme.example.org",
        "payer": "Nguyễn Thị Ánh & Zoë Müller",
        "payer_address": "12 Elm St\nDover, DE 19901",
        "paid_on": date(2026, 1, 3),
        "amount": Decimal("1250.50"),
        "currency": "USD",
        "category": "Membership dues",
        "description": "Institutional membership dues, Jan 1, 2026 – Dec 31, 2026",
        "method": PaymentMethod.CHECK,
        "reference": "10443",
        "memo": "<b>not markup</b>",
        "reprint": False,
    }
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]


def test_receipt_prints_everything_a_payer_needs(tmp_path: Path) -> None:
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(receipt_pdf(_receipt()))
    text = _text(pdf)
    for expected in (
        "RECEIPT",
        "No. 000042",
        "Date received: Jan 3, 2026",
        "Tri-State Alliance for CME",
        "Wilmington, DE 19899",
        "Nguyễn Thị Ánh & Zoë Müller",
        "Dover, DE 19901",
        "Institutional membership dues, Jan 1, 2026 – Dec 31, 2026",
        "$1,250.50",
        "Check no. 10443",
        "<b>not markup</b>",
    ):
        assert expected in text, expected
    assert "Copy of receipt" not in text
    fonts = _fonts(pdf)
    assert fonts and all(row[-5] == "yes" for row in fonts)  # every font embedded
    assert all("Noto" in row[0] for row in fonts)


def test_a_reprint_says_it_is_a_copy_with_the_same_number(tmp_path: Path) -> None:
    pdf = tmp_path / "again.pdf"
    pdf.write_bytes(receipt_pdf(_receipt(reprint=True)))
    text = " ".join(_text(pdf).split())
    assert "Copy of receipt no. 000042" in text and "No. 000042" in text


def test_treasurer_report_pdf_shows_the_summary(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        set_opening_balance(session, as_of=date(2026, 1, 1), amount=Decimal("1000.00"))
        workshop = meeting(session, "Spring Workshop", date(2026, 3, 12))
        expense(session, "250.25", date(2026, 3, 1), "Catering", workshop.id)
        report = treasurer_report(session, FiscalYear(2026, 1), date(2026, 11, 27))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(treasurer_report_pdf(report))
    text = " ".join(_text(pdf).split())
    assert "Treasurer's report — Year 2026 (January 1, 2026 – December 31, 2026)" in text
    assert "Opening balance, Jan 1, 2026 $1,000.00" in text
    assert "Total expenses $250.25" in text
    assert "Closing balance, Dec 31, 2026 $749.75" in text
    assert "Catering $250.25" in text
    # A loss prints its minus sign (the embedded fonts must have the glyph).
    assert "Spring Workshop $0.00 $0.00 $0.00 $250.25 -$250.25" in text
    assert "1 of 1 transactions are not yet reconciled" in text
    assert all(row[-5] == "yes" for row in _fonts(pdf))


def test_the_demo_report_pdf_runs_to_several_pages(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.session() as session:
        report = treasurer_report(session, FiscalYear(2026, 1), date(2026, 11, 27))
    pdf = tmp_path / "demo.pdf"
    pdf.write_bytes(treasurer_report_pdf(report))
    text = _text(pdf)
    assert "Annual Conference 2026" in text
    assert "Page 2" in text
    assert "the treasurer's workbook lists every one" in text
