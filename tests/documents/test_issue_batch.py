"""Issuing a meeting's certificates end to end, read back from the PDFs: one page per
eligible person with their name, credits and statements, fonts embedded, one file per
person, the register written only once the files are complete, reprints and reissues."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import Certificate, CertificateKind, Meeting, Member
from sro_desktop.documents.certificates import Cancelled
from sro_desktop.documents.issue_batch import (
    Action,
    IssueResult,
    PreparedIssue,
    Staging,
    person_file_name,
    prepare_issue,
    preview_issue,
    reprint,
    write_issue,
)
from sro_desktop.documents.wording import format_amount
from sro_desktop.errors import DataRefused, UnusableInput
from sro_desktop.services.certificate_issuing import plan_certificates
from sro_desktop.services.certificate_register import register_entries, search_register
from tests.conftest import TODAY
from tests.services.certificate_meetings import (
    ORGANIZATION,
    PROVIDER,
    attendee,
    morning_meeting,
    set_up_organization,
)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None, reason="no poppler"
)
NAMES = {
    "Nguyễn Thị Minh Khai": "MD",
    "Αλέξανδρος Παπαδόπουλος": "DO",
    "Ольга Кузнецова": "RN",
    "María José Núñez-Ørsted": "PharmD",
    "Maximiliana Josefina Alexandrina von Hohenzollern-Sigmaringen de la Cruz": "MD, PhD",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(path: Path | bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return [_flat(page.extract_text()) for page in reader.pages]


def _pdftotext(path: Path) -> list[str]:
    output = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [_flat(page) for page in output.split("\f")[: len(PdfReader(path).pages)]]


def _meeting(session: Session) -> int:
    set_up_organization(session)
    meeting = morning_meeting(session)
    for index, (name, credentials) in enumerate(NAMES.items()):
        first, _, last = name.rpartition(" ")
        sessions = ("Outcomes", "Panel") if index % 2 == 0 else ("Outcomes",)
        attendee(session, meeting, first, last, credentials, sessions=sessions)
    attendee(session, meeting, "Eve", "Stone", "MD")  # no attendance
    return meeting.id


def _issue(
    database: Database,
    meeting_id: int,
    *,
    out: Path | None = None,
    separate: Path | None = None,
    today: date = TODAY,
    reason: str = "",
    member_ids: list[int] | None = None,
    force_reissue: bool = False,
    is_cancelled: object = None,
) -> IssueResult:
    with Staging() as staging:
        with database.transaction(action="Issue certificates") as session:
            plan = plan_certificates(session, meeting_id, today, member_ids=member_ids)
            prepared = prepare_issue(
                session, plan, today=today, reason=reason, force_reissue=force_reissue
            )
            result = write_issue(
                session,
                prepared,
                staging,
                out=out,
                separate_dir=separate,
                is_cancelled=is_cancelled,  # type: ignore[arg-type]
            )
        staging.publish()
    return result


def _prepared(database: Database, meeting_id: int, **options: object) -> PreparedIssue:
    with database.session() as session:
        plan = plan_certificates(session, meeting_id, TODAY)
        return prepare_issue(session, plan, today=TODAY, **options)  # type: ignore[arg-type]


def _register(database: Database) -> list[Certificate]:
    with database.session() as session:
        return list(session.scalars(select(Certificate).order_by(Certificate.number)))


@pytest.fixture
def meeting_id(database: Database) -> int:
    with database.transaction() as session:
        return _meeting(session)


def test_one_page_per_eligible_person_with_the_right_words(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "certificates.pdf"
    result = _issue(database, meeting_id, out=out)
    assert result.files == (out,)
    pages = _pages(out)
    assert len(pages) == result.pages == len(NAMES)  # Eve Stone has no attendance
    by_name = {page: page for page in pages}
    register = _register(database)
    assert [c.number for c in register] == [f"2026-{i:04d}" for i in range(1, len(NAMES) + 1)]
    for page, certificate in zip(pages, sorted(register, key=lambda c: c.number), strict=True):
        parts = certificate.printed_text["parts"]
        assert _flat(parts["name"]) in page
        assert certificate.number in page
        assert certificate.verification_code in page
        assert ORGANIZATION.upper() in page
        assert "Margaret Ellis, MEd, CHCP" in page
        assert "November 27, 2026" in page
        assert "Spring Symposium on Outcomes" in page
        assert "Columbus Convention Center, Columbus, OH · March 4, 2026" in page
        if certificate.kind is CertificateKind.PHYSICIAN:
            credits = "3.0" if certificate.credits == Decimal("3.00") else "1.5"
            assert f"awarded {credits} AMA PRA Category 1 Credits™." in page
            assert (
                f"{PROVIDER} designates this live activity for a maximum of 3.0 AMA PRA "
                "Category 1 Credits™. Physicians should claim only the credit commensurate "
                "with the extent of their participation in the activity."
            ) in page
            assert "Certificate of CME Credit" in page
        else:
            assert certificate.kind is CertificateKind.PARTICIPATION
            assert "Certificate of Participation" in page
            assert "for a total of" in page
            assert "designated for 3.0 AMA PRA Category 1 Credits™" in page
        assert (
            f"through the joint providership of {PROVIDER} and {ORGANIZATION}. {PROVIDER} is "
            "accredited by the ACCME"
        ) in page
    assert not any("Eve Stone" in page for page in by_name)


def test_credits_printed_are_those_earned_not_the_maximum(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    _issue(database, meeting_id, out=tmp_path / "c.pdf")
    pages = _pages(tmp_path / "c.pdf")
    greek = next(page for page in pages if "Παπαδόπουλος" in page)  # the first session only
    assert "awarded 1.5 AMA PRA Category 1 Credits™" in greek
    with database.session() as session:
        credits = {c.member.last_name: c.credits for c in session.scalars(select(Certificate))}
    assert credits["Παπαδόπουλος"] == Decimal("1.50")
    assert credits["Khai"] == Decimal("3.00")


@needs_poppler
def test_every_alphabet_prints_and_the_fonts_are_embedded(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "c.pdf"
    _issue(database, meeting_id, out=out)
    text = " ".join(_pdftotext(out))
    for name, credentials in NAMES.items():
        if len(name) < 40:
            assert f"{name}, {credentials}" in text
    assert "Hohenzollern-Sigmaringen" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), fonts.stdout  # emb column
    assert {"NotoSerif-Bold", "NotoSerif-Italic", "NotoSerif-Regular", "NotoSans-Regular"} <= {
        row.split()[0].split("+")[-1] for row in rows
    }


def test_the_register_holds_exactly_the_words_printed(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    _issue(database, meeting_id, out=tmp_path / "c.pdf")
    pages = _pages(tmp_path / "c.pdf")
    for page, certificate in zip(pages, _register(database), strict=True):
        stored = certificate.printed_text
        assert stored["version"] == 1
        assert stored["art"]["signatory_name"] == "Margaret Ellis, MEd, CHCP"
        for key in ("title", "activity", "details", "award", "issued", "footer"):
            assert _flat(stored["parts"][key]) in page, key


def test_separate_files_are_named_for_emailing(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    folder = tmp_path / "email"
    result = _issue(database, meeting_id, separate=folder)
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted(path.name for path in result.separate)
    assert len(names) == len(NAMES)
    assert "Khai_Nguyen-Thi-Minh_Spring-Symposium-on-Outcomes.pdf" in names
    assert "Παπαδοπουλος_Αλεξανδρος_Spring-Symposium-on-Outcomes.pdf" in names
    assert "Кузнецова_Ольга_Spring-Symposium-on-Outcomes.pdf" in names
    assert "Nunez-Orsted_Maria-Jose_Spring-Symposium-on-Outcomes.pdf" in names
    for path in result.separate:
        assert len(PdfReader(path).pages) == 1
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_both_one_pdf_and_separate_files_in_one_batch(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    result = _issue(database, meeting_id, out=tmp_path / "all.pdf", separate=tmp_path / "each")
    assert len(result.files) == 1 + len(NAMES)
    assert len(_register(database)) == len(NAMES)


@pytest.mark.parametrize(
    ("last", "first", "meeting", "expected"),
    [
        ("Doe", "Jane Q.", "Annual Conference 2026", "Doe_Jane-Q_Annual-Conference-2026.pdf"),
        (
            "O'Brien",
            "Seán",
            "Webinar: Standards / Update",
            "O-Brien_Sean_Webinar-Standards-Update.pdf",
        ),
        ("Łukasz", "Đặng", "A?B*C", "Lukasz_Dang_A-B-C.pdf"),
        ("", "", "", "Unnamed_Meeting.pdf"),
        ("../../etc", "passwd", "x", "etc_passwd_x.pdf"),
    ],
)
def test_person_file_names_are_safe(last: str, first: str, meeting: str, expected: str) -> None:
    assert person_file_name(last, first, meeting) == expected


def test_cancelling_records_nothing_and_leaves_no_file(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    calls = 0

    def cancel_on_third_page() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2

    with pytest.raises(Cancelled):
        _issue(
            database,
            meeting_id,
            out=tmp_path / "c.pdf",
            separate=tmp_path / "each",
            is_cancelled=cancel_on_third_page,
        )
    assert _register(database) == []
    assert list(tmp_path.glob("*.pdf")) == []
    assert list((tmp_path / "each").iterdir()) == []  # no temporary file left either


def test_a_file_that_cannot_be_written_records_nothing(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    with pytest.raises(UnusableInput, match="could not be written"):
        _issue(database, meeting_id, out=tmp_path / "missing folder" / "c.pdf")
    assert _register(database) == []


def test_problems_stop_printing_before_anything_is_drawn(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    with database.transaction() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.accredited_provider = ""
    prepared = _prepared(database, meeting_id)
    assert not prepared.can_print
    with pytest.raises(DataRefused, match="accredited provider"):
        _issue(database, meeting_id, out=tmp_path / "c.pdf")
    assert not (tmp_path / "c.pdf").exists()
    assert _register(database) == []


def test_printing_again_keeps_numbers_and_changes_nothing(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    _issue(database, meeting_id, out=tmp_path / "first.pdf")
    before = [(c.number, c.verification_code, c.printed_text) for c in _register(database)]
    prepared = _prepared(database, meeting_id)
    assert {c.action for c in prepared.certificates} == {Action.REPRINT}
    result = _issue(database, meeting_id, out=tmp_path / "again.pdf", today=date(2027, 1, 5))
    assert (result.new, result.reissued, result.reprinted) == (0, 0, len(NAMES))
    after = [(c.number, c.verification_code, c.printed_text) for c in _register(database)]
    assert after == before
    assert _pages(tmp_path / "again.pdf") == _pages(tmp_path / "first.pdf")


def test_a_changed_certificate_needs_a_reason_and_keeps_its_number(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    _issue(database, meeting_id, out=tmp_path / "first.pdf")
    with database.transaction() as session:
        olga = session.scalars(select(Member).where(Member.first_name == "Ольга")).one()
        olga.first_name = "Ольга Ивановна"
        olga_id = olga.id
    prepared = _prepared(database, meeting_id)
    assert [c.action for c in prepared.certificates].count(Action.REISSUE) == 1
    assert any("Give a reason" in problem for problem in prepared.problems)
    assert "Ольга Ивановна Кузнецова (name)" in " ".join(prepared.problems)
    with pytest.raises(DataRefused):
        _issue(database, meeting_id, out=tmp_path / "x.pdf")

    result = _issue(
        database,
        meeting_id,
        out=tmp_path / "fixed.pdf",
        reason="patronymic added",
        today=date(2026, 12, 2),
    )
    assert (result.new, result.reissued, result.reprinted) == (0, 1, len(NAMES) - 1)
    with database.session() as session:
        certificate = session.scalars(
            select(Certificate).where(Certificate.member_id == olga_id)
        ).one()
        assert certificate.reissue_count == 1
        assert certificate.reissue_reason == "patronymic added"
        assert certificate.last_reissued_on == date(2026, 12, 2)
        assert certificate.issued_on == TODAY
        number = certificate.number
        assert session.scalar(select(func.count()).select_from(Certificate)) == len(NAMES)
    page = next(p for p in _pages(tmp_path / "fixed.pdf") if "Ивановна" in p)
    assert number in page
    assert "reissued December 2, 2026" in page
    assert "November 27, 2026" in page  # the date of issue stays


def test_reprint_from_the_register_is_the_same_document(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    _issue(database, meeting_id, out=tmp_path / "first.pdf")
    original = _pages(tmp_path / "first.pdf")
    with database.transaction() as session:
        # Later edits to the person do not change a reprint of what was issued.
        session.scalars(
            select(Member).where(Member.last_name == "Кузнецова")
        ).one().credentials = ""
        entries = search_register(session, "кузнецова 2026")
        assert len(entries) == 1
        buffer = io.BytesIO()
        reprint(session, entries, out=buffer)
        files = reprint(session, entries, separate_dir=tmp_path / "resend")
    [page] = _pages(buffer.getvalue())
    assert page in original
    assert "Ольга Кузнецова, RN" in page
    assert [f.name for f in files] == ["Кузнецова_Ольга_Spring-Symposium-on-Outcomes.pdf"]
    assert len(_register(database)) == len(NAMES)


def test_reissue_on_request_for_one_person(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    _issue(database, meeting_id, out=tmp_path / "first.pdf")
    with database.session() as session:
        entry = search_register(session, "khai")[0]
    result = _issue(
        database,
        meeting_id,
        out=tmp_path / "one.pdf",
        member_ids=[entry.member_id],
        reason="lost the original",
        force_reissue=True,
    )
    assert (result.pages, result.reissued) == (1, 1)
    with database.session() as session:
        [again] = register_entries(session, [entry.id])
    assert (again.number, again.verification_code) == (entry.number, entry.verification_code)
    assert again.reissue_count == 1


def test_preview_is_marked_and_records_nothing(database: Database, meeting_id: int) -> None:
    prepared = _prepared(database, meeting_id)
    buffer = io.BytesIO()
    assert preview_issue(prepared, buffer, limit=2) == 2
    pages = _pages(buffer.getvalue())
    assert len(pages) == 2
    assert all("PREVIEW · NOT ISSUED" in page for page in pages)
    assert _register(database) == []


def test_a4_paper(database: Database, meeting_id: int, tmp_path: Path) -> None:
    with Staging() as staging:
        with database.transaction() as session:
            plan = plan_certificates(session, meeting_id, TODAY)
            prepared = prepare_issue(session, plan, today=TODAY, page_size="a4")
            write_issue(session, prepared, staging, out=tmp_path / "a4.pdf")
        staging.publish()
    box = PdfReader(tmp_path / "a4.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_the_demo_annual_conference_prints_one_page_per_eligible_attendee(
    demo_database: Database, tmp_path: Path
) -> None:
    with demo_database.session() as session:
        [annual] = [m.id for m in session.scalars(select(Meeting)) if "Annual" in m.title]
        plan = plan_certificates(session, annual, TODAY)
    out = tmp_path / "annual.pdf"
    result = _issue(demo_database, annual, out=out)
    pages = _pages(out)
    assert len(pages) == len(plan.certificates) == result.pages
    for page, planned in zip(pages, plan.certificates, strict=True):
        assert planned.name in page
        if planned.kind is CertificateKind.PHYSICIAN:
            assert planned.credits is not None
            assert f"awarded {format_amount(planned.credits)} AMA PRA" in page
            assert "maximum of 8.25 AMA PRA Category 1 Credits™" in page
        else:
            assert "Certificate of Participation" in page
    with demo_database.session() as session:
        assert session.scalar(select(func.count()).select_from(Certificate)) == len(pages)
