"""Quality-pass checks on the documents as printed: columns line up like a finished form."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sro_desktop.documents.receipts import receipt_pdf
from tests.documents.test_receipt_and_report_pdf import _receipt


def _words(pdf: Path) -> list[tuple[str, float, float]]:
    """Each word with its left and right edge, read back by poppler."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [(w, float(left), float(right)) for left, right, w in re.findall(pattern, html)]


def test_the_receipt_amount_heading_sits_over_the_amounts(tmp_path: Path) -> None:
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(receipt_pdf(_receipt()))
    words = _words(pdf)
    [heading] = [right for word, _left, right in words if word == "AMOUNT"]
    amounts = [right for word, _left, right in words if word.startswith("$")]
    assert amounts
    assert all(abs(heading - right) < 1.5 for right in amounts), (heading, amounts)
