"""The PDF preview: a real PDF paged through and zoomed, printed through QPrinter (to a PDF
file, read back), opened in the system viewer, saved as a copy."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from sro_desktop.documents.badges import Badge, BadgeSheet, render_badges
from sro_desktop.documents.certificates import render_certificates
from sro_desktop.errors import UnusableInput
from sro_desktop.gui.pdf_preview import PdfPreview, print_pdf, show_pdf
from tests.documents.factories import make_art, make_content


def _certificates(count: int) -> bytes:
    buffer = io.BytesIO()
    contents = [
        make_content(number=f"2026-{i:04d}", issued_on=date(2026, 3, 10)) for i in range(count)
    ]
    render_certificates(make_art(), contents, buffer)
    return buffer.getvalue()


@pytest.fixture
def preview(qtbot: QtBot) -> PdfPreview:
    widget = PdfPreview()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


def test_paging_and_zoom(qtbot: QtBot, preview: PdfPreview) -> None:
    preview.load(_certificates(5), "Five certificates")
    assert preview.page_count == 5
    assert preview.page_count_label.text().strip() == "of 5"
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView  # landscape: whole page
    assert not preview.previous_action.isEnabled()
    preview.next_action.trigger()
    qtbot.waitUntil(lambda: preview.current_page == 1)
    assert preview.page_box.value() == 2
    preview.page_box.setValue(5)
    qtbot.waitUntil(lambda: preview.current_page == 4)
    assert not preview.next_action.isEnabled()
    preview.go_to(99)
    assert preview.current_page == 4
    preview.previous_page()
    qtbot.waitUntil(lambda: preview.current_page == 3)
    before = preview.view.zoomFactor()
    preview.zoom_in_action.trigger()
    assert preview.view.zoomFactor() > before
    preview.zoom_out_action.trigger()
    preview.zoom_out_action.trigger()
    assert preview.view.zoomFactor() < before
    preview.fit_width_action.trigger()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_a_portrait_document_reads_by_width(preview: PdfPreview, tmp_path: Path) -> None:
    path = tmp_path / "badges.pdf"
    render_badges(BadgeSheet("Org", "Meeting", (Badge("Ana", "López", "MD", "", ""),)), path)
    preview.load(path, "Badges")
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert preview.suggested_name == "badges.pdf"


def test_printing_draws_every_page_on_the_printer(
    qtbot: QtBot, preview: PdfPreview, tmp_path: Path
) -> None:
    preview.load(_certificates(3), "Three certificates")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printed: list[int] = []
    preview.print_to(printer, printed.append)
    qtbot.waitUntil(lambda: printed == [3], timeout=20000)
    pages = PdfReader(tmp_path / "printed.pdf").pages
    assert len(pages) == 3
    assert float(pages[0].mediabox.width) > float(pages[0].mediabox.height)  # landscape
    assert "Sent 3 pages to print" in preview.status_label.text()


def test_printing_a_page_range(preview: PdfPreview, tmp_path: Path) -> None:
    preview.load(_certificates(4), "Four")
    assert preview.path is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    assert print_pdf(preview.path, printer, first=2, last=3) == 2
    assert len(PdfReader(tmp_path / "two.pdf").pages) == 2


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_in_the_pdf_viewer_and_save_a_copy(preview: PdfPreview, tmp_path: Path) -> None:
    data = _certificates(1)
    preview.load(data, "Certificate 2026-0000 — Jane Doe", "Doe_Jane_Annual.pdf")
    assert preview.path is not None
    assert preview.path.read_bytes() == data
    assert preview.path.stat().st_mode & 0o077 == 0  # private temporary copy
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        assert preview.open_externally()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in opened.urls] == [str(preview.path)]
    copy = preview.save_copy(tmp_path / "copy")
    assert copy == tmp_path / "copy.pdf"
    assert copy.read_bytes() == data
    assert preview.suggested_name == "Doe_Jane_Annual.pdf"


def test_an_unreadable_file_is_refused_plainly(preview: PdfPreview, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    with pytest.raises(UnusableInput, match="not a readable PDF"):
        preview.load(bad, "Bad")
    assert preview.page_count == 0
    assert not preview.print_action.isEnabled()


def test_show_pdf_opens_a_window_for_other_documents(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = show_pdf(None, _certificates(2), "A receipt, or anything")
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "A receipt, or anything"
    assert dialog.preview.page_count == 2
    dialog.close()
