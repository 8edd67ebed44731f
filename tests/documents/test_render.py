"""Real certificate PDFs, read back with pypdf and poppler's pdftotext / pdffonts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sro_desktop.documents.certificates import (
    Cancelled,
    CertificateContent,
    CertificateKind,
    certificate_text,
    render_certificates,
)
from sro_desktop.errors import DataRefused, UnusableInput
from tests.documents.factories import NAMES, make_art, make_content, picture

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")
needs_pdffonts = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="no pdffonts")


def _batch() -> list[CertificateContent]:
    """Every kind, every alphabet, and the 90-character name."""
    contents = [
        make_content(CertificateKind.PHYSICIAN, recipient_name=name, number=f"2026-{i:04d}")
        for i, name in enumerate(NAMES.values(), start=1)
    ]
    contents.append(
        make_content(CertificateKind.PHYSICIAN, credits=Decimal("1"), number="2026-0090")
    )
    contents.append(
        make_content(
            CertificateKind.PARTICIPATION, recipient_name=NAMES["cyrillic"], number="2026-0091"
        )
    )
    contents.append(
        make_content(
            CertificateKind.ATTENDANCE, recipient_name=NAMES["vietnamese"], number="2026-0092"
        )
    )
    return contents


@pytest.fixture(scope="module")
def batch_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("certificates") / "batch.pdf"
    assert render_certificates(make_art(), _batch(), path) == len(_batch())
    return path


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdftotext_pages(path: Path) -> list[str]:
    output = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [_flat(page) for page in output.split("\f")[: len(PdfReader(path).pages)]]


def test_one_page_per_certificate(batch_pdf: Path) -> None:
    assert len(PdfReader(batch_pdf).pages) == len(_batch())


def test_pages_are_landscape_letter(batch_pdf: Path) -> None:
    box = PdfReader(batch_pdf).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (792, 612)


def test_names_and_wording_in_extracted_text(batch_pdf: Path) -> None:
    pages = [_flat(page.extract_text()) for page in PdfReader(batch_pdf).pages]
    for page, content in zip(pages, _batch(), strict=True):
        text = certificate_text(content)
        assert _flat(text["name"]) in page
        for part in ("title", "award", "designation", "accreditation", "footer", "issued"):
            if part in text:
                assert _flat(text[part]) in page, part


@needs_pdftotext
def test_names_and_statements_with_pdftotext(batch_pdf: Path) -> None:
    pages = _pdftotext_pages(batch_pdf)
    for page, content in zip(pages, _batch(), strict=True):
        text = certificate_text(content)
        assert content.recipient_name in page
        assert f"verify code {content.verification_code}" in page
        if content.kind is CertificateKind.PHYSICIAN:
            credits = (
                "1.0 AMA PRA Category 1 Credit™."
                if content.credits == 1
                else ("6.25 AMA PRA Category 1 Credits™.")
            )
            assert f"and is awarded {credits}" in page
            assert "Physicians should claim only the credit commensurate" in page
            assert _flat(text["designation"]) in page
            assert _flat(text["accreditation"]) in page
    assert "AMA PRA" not in pages[-1]  # the certificate of attendance


def _text_runs(path: Path) -> list[list[tuple[str, str]]]:
    """Per page, each drawn text piece with the font it was drawn in."""
    pages: list[list[tuple[str, str]]] = []
    for page in PdfReader(path).pages:
        runs: list[tuple[str, str]] = []

        def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
            if text.strip() and isinstance(font, dict):
                runs.append((text, str(font.get("/BaseFont"))))  # noqa: B023

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def test_ama_phrase_is_in_italics(batch_pdf: Path) -> None:
    for runs, content in zip(_text_runs(batch_pdf), _batch(), strict=True):
        phrases = [(t, f) for t, f in runs if "Category 1 Credit" in t]
        if content.kind is CertificateKind.ATTENDANCE:
            assert phrases == []
            continue
        assert phrases, content.kind
        for text, font in phrases:
            assert re.fullmatch(r"\s*AMA PRA Category 1 Credits?™\s*", text), text
            assert font.endswith("NotoSerif-Italic"), font


def test_the_name_is_in_the_bold_serif(batch_pdf: Path) -> None:
    runs = _text_runs(batch_pdf)[0]
    assert (f"{NAMES['vietnamese']}, MD", "/AAAAAA+NotoSerif-Bold") in [
        (t.strip(), f) for t, f in runs
    ]


@needs_pdffonts
def test_every_font_is_embedded(batch_pdf: Path) -> None:
    output = subprocess.run(
        ["pdffonts", str(batch_pdf)], check=True, capture_output=True, text=True
    ).stdout
    rows = output.splitlines()[2:]
    assert rows
    names = {row.split()[0].split("+")[-1] for row in rows}
    assert {"NotoSerif-Bold", "NotoSerif-Italic", "NotoSerif-Regular", "NotoSans-Regular"} <= names
    header = output.splitlines()[0]
    emb = header.index("emb")
    for row in rows:
        assert row[emb : emb + 3] == "yes", row


def test_artwork_is_one_form_used_by_every_page(batch_pdf: Path) -> None:
    reader = PdfReader(batch_pdf)
    form_ids = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        xobjects = resources["/XObject"]
        assert len(xobjects) == 1
        (reference,) = xobjects.values()
        assert reference.get_object()["/Subtype"] == "/Form"
        form_ids.add(reference.idnum)
        (name,) = xobjects.keys()
        contents = page.get_contents()
        assert contents is not None
        assert f"{name} Do".encode() in contents.get_data()
    assert len(form_ids) == 1
    form: Any = reader.get_object(form_ids.pop())
    # the pictures (logo, signature) live inside the form, stored once
    assert len(form["/Resources"]["/XObject"]) == 2


@needs_pdftotext
def test_long_names_stay_inside_the_frame(batch_pdf: Path, tmp_path: Path) -> None:
    html = tmp_path / "words.html"
    subprocess.run(["pdftotext", "-bbox", str(batch_pdf), str(html)], check=True)
    boxes = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html.read_text())
    assert boxes
    for x_min, x_max in boxes:
        assert float(x_min) >= 31
        assert float(x_max) <= 792 - 31


def test_a4_and_no_pictures(tmp_path: Path) -> None:
    path = tmp_path / "a4.pdf"
    art = make_art(page_size="a4", logo=None, signature=None)
    assert render_certificates(art, [make_content()], path) == 1
    page = PdfReader(path).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    resources: Any = page["/Resources"]
    (reference,) = resources["/XObject"].values()
    assert "/XObject" not in reference.get_object()["/Resources"]


def test_jpeg_pictures(tmp_path: Path) -> None:
    art = make_art(logo=picture("JPEG"), signature=picture("JPEG"))
    assert render_certificates(art, [make_content()], tmp_path / "jpeg.pdf") == 1


def test_unreadable_logo_is_the_users_problem(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="logo"):
        render_certificates(make_art(logo=b"not a picture"), [make_content()], tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_writes_to_a_stream() -> None:
    stream = io.BytesIO()
    assert render_certificates(make_art(), [make_content(), make_content()], stream) == 2
    assert len(PdfReader(io.BytesIO(stream.getvalue())).pages) == 2


def test_progress_after_each_page(tmp_path: Path) -> None:
    seen: list[int] = []
    render_certificates(make_art(), [make_content()] * 3, tmp_path / "p.pdf", progress=seen.append)
    assert seen == [1, 2, 3]


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "cancelled.pdf"
    seen: list[int] = []
    with pytest.raises(Cancelled):
        render_certificates(
            make_art(),
            [make_content()] * 5,
            path,
            progress=seen.append,
            is_cancelled=lambda: len(seen) >= 2,
        )
    assert seen == [1, 2]
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "certificates.pdf"
    path.write_bytes(b"last year's certificates")
    with pytest.raises(Cancelled):
        render_certificates(make_art(), [make_content()], path, is_cancelled=lambda: True)
    assert path.read_bytes() == b"last year's certificates"
    assert list(tmp_path.iterdir()) == [path]


def test_cancel_writes_nothing_to_a_stream() -> None:
    stream = io.BytesIO()
    with pytest.raises(Cancelled):
        render_certificates(make_art(), [make_content()], stream, is_cancelled=lambda: True)
    assert stream.getvalue() == b""


def test_a_wrong_certificate_stops_the_batch(tmp_path: Path) -> None:
    contents = [make_content(), make_content(provider=None, recipient_name="Ann Lee")]
    with pytest.raises(DataRefused, match="Ann Lee"):
        render_certificates(make_art(), contents, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_print(tmp_path: Path) -> None:
    with pytest.raises(DataRefused, match="no certificates"):
        render_certificates(make_art(), [], tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_the_users_problem(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="could not be saved"):
        render_certificates(make_art(), [make_content()], tmp_path / "missing" / "x.pdf")


def test_overwrites_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "certificates.pdf"
    path.write_bytes(b"old")
    assert render_certificates(make_art(), [make_content()], path) == 1
    assert path.read_bytes().startswith(b"%PDF")
    assert list(tmp_path.iterdir()) == [path]


def test_accents_without_precomposed_letters(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Ẹ́mẹ́kà Ọ̀kọ̀nkwọ́")
    path = tmp_path / "marks.pdf"
    content = make_content(CertificateKind.ATTENDANCE, recipient_name=name)
    assert render_certificates(make_art(), [content], path) == 1
    text = unicodedata.normalize("NFC", PdfReader(path).pages[0].extract_text())
    assert unicodedata.normalize("NFC", name) in text
