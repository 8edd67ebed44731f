"""The Certificates page as a user meets it, on the demo database: the plan for the annual
conference, issuing one PDF or one per person (with cancel), the register's search,
resend and reissue, and the meeting's other documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sro_desktop.db.models import Certificate, Member
from sro_desktop.documents.issue_batch import Action
from sro_desktop.gui.certificates_page import CertificatesPage
from sro_desktop.gui.main_window import MainWindow


def _page(window: MainWindow, demo_path: Path) -> CertificatesPage:
    assert window.open_database_file(demo_path)
    window.show_page("Certificates")
    page = window.certificates_page
    assert window.stack.currentWidget() is page
    index = page.meeting_combo.findText("Annual Conference", flags=_contains())
    assert index >= 0
    page.meeting_combo.setCurrentIndex(index)
    return page


def _contains() -> object:
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchContains


def _certificates(window: MainWindow) -> int:
    assert window.database is not None
    with window.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Certificate)) or 0)


def _wait_idle(qtbot: QtBot, page: CertificatesPage) -> None:
    qtbot.waitUntil(lambda: not page.tasks.busy, timeout=30000)


def test_the_plan_is_shown_before_anything_prints(
    qtbot: QtBot, window: MainWindow, demo_path: Path, qtmodeltester: ModelTester
) -> None:
    page = _page(window, demo_path)
    prepared = page.prepared
    assert prepared is not None
    assert prepared.problems == []
    count = len(prepared.certificates)
    assert page.planned_model.rowCount() == count > 50
    assert page.not_eligible_model.rowCount() == len(prepared.plan.not_eligible) > 0
    assert f"{count} certificates" in page.summary_label.text()
    assert "physician certificate" in page.summary_label.text()
    assert not page.problems_label.isVisibleTo(page)
    assert not page.reason_edit.isVisibleTo(page)  # nothing to reissue yet
    assert page.print_button.isEnabled()
    assert page.separate_button.isEnabled()
    assert page.planned_model.index(0, 3).data() == "2026-0001"
    assert page.not_eligible_model.index(0, 1).data() == "No attendance recorded."
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    alignment = Qt.ItemDataRole.TextAlignmentRole
    assert page.planned_model.headerData(2, Qt.Orientation.Horizontal, alignment) == right
    assert page.planned_model.headerData(0, Qt.Orientation.Horizontal, alignment) is None
    kinds = {page.planned_model.index(r, 1).data() for r in range(count)}
    assert kinds <= {"Attendance", "Participation", "Physician"} and len(kinds) >= 2
    # Both lists name people the same way: "Last, First (credentials)".
    person = prepared.plan.not_eligible[0]
    shown = page.not_eligible_model.index(0, 0).data()
    assert shown.startswith(f"{person.last_name}, {person.first_name}")
    assert page.planned_model.index(0, 0).data().startswith(
        f"{prepared.certificates[0].planned.last_name}, "
    )
    qtmodeltester.check(page.planned_model)
    qtmodeltester.check(page.not_eligible_model)

    winter = page.meeting_combo.findText("Winter", flags=_contains())
    page.meeting_combo.setCurrentIndex(winter)
    assert page.problems_label.isVisibleTo(page)
    assert "has not ended yet" in page.problems_label.text()
    assert not page.print_button.isEnabled()


def test_issuing_one_pdf_records_the_batch_and_opens_the_preview(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    page = _page(window, demo_path)
    assert page.prepared is not None
    count = len(page.prepared.certificates)
    out = tmp_path / "annual.pdf"
    with qtbot.waitSignal(window.data_changed, timeout=30000):
        assert page.issue_to(out=out) is not None
    _wait_idle(qtbot, page)
    assert page.last_result is not None
    assert page.last_result.new == count
    assert len(PdfReader(out).pages) == count
    assert _certificates(window) == count
    assert "Issued" in window.statusBar().currentMessage()
    preview = page.previews[-1]
    assert preview.isVisible()
    assert preview.preview.page_count == count
    # The page refreshed: everyone is now in the register, printed again unchanged.
    assert page.prepared is not None
    assert {c.action for c in page.prepared.certificates} == {Action.REPRINT}
    assert page.register_model.rowCount() == count
    assert "already issued" in page.summary_label.text()


def test_cancelling_prints_and_records_nothing(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    page = _page(window, demo_path)
    progress = page.issue_to(out=tmp_path / "annual.pdf", separate_dir=tmp_path / "each")
    assert progress is not None
    progress.cancel()
    _wait_idle(qtbot, page)
    assert "Cancelled" in window.statusBar().currentMessage()
    assert _certificates(window) == 0
    assert not (tmp_path / "annual.pdf").exists()
    assert list((tmp_path / "each").iterdir()) == []
    assert page.print_button.isEnabled()


def test_one_pdf_per_person_for_emailing(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    page = _page(window, demo_path)
    assert page.prepared is not None
    count = len(page.prepared.certificates)
    folder = tmp_path / "email"
    page.issue_to(separate_dir=folder)
    _wait_idle(qtbot, page)
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == count
    assert all("_Annual-Conference-2026" in f.name for f in files)
    assert f"{count} PDF files are in {folder}" in page.folder_message.text()
    page.folder_message.close()


def test_register_search_verify_resend_and_reissue(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    page = _page(window, demo_path)
    page.issue_to(out=tmp_path / "annual.pdf")
    _wait_idle(qtbot, page)
    page.tabs.setCurrentIndex(1)
    first = page.register_model.rows[-1]
    qtmodeltester.check(page.register_model)

    qtbot.keyClicks(page.search_edit, f"{first.last_name} 2026")
    qtbot.waitUntil(lambda: 0 < page.register_model.rowCount() < 20)
    assert all(first.last_name in r.printed_name for r in page.register_model.rows)
    page.search_edit.setText(first.verification_code.replace("-", " ").lower())
    page.refresh_register()
    assert page.register_model.rowCount() == 1
    assert "genuine certificate" in page.verify_label.text()
    assert first.number in page.verify_label.text()
    page.search_edit.setText("ZZZ-ZZZ")
    page.refresh_register()
    assert "No certificate has the verification code ZZZ-ZZZ" in page.verify_label.text()

    page.search_edit.setText(first.number)
    page.refresh_register()
    page.register_table.selectRow(0)
    assert page.resend_button.isEnabled()
    assert page.reissue_button.isEnabled()
    before = len(page.previews)
    page.resend_selected()
    _wait_idle(qtbot, page)
    assert len(page.previews) == before + 1
    assert page.previews[-1].preview.page_count == 1
    assert page.previews[-1].preview.suggested_name.endswith("_Annual-Conference-2026.pdf")
    assert _certificates(window) == len(page.planned_model.rows)  # a resend records nothing

    page.reissue(first, "lost the original")
    _wait_idle(qtbot, page)
    page.refresh_register()
    [again] = page.register_model.rows
    assert (again.number, again.verification_code) == (first.number, first.verification_code)
    assert again.reissue_count == 1
    assert again.reissue_reason == "lost the original"
    assert page.previews[-1].preview.page_count == 1


def test_a_corrected_name_needs_a_reason_before_reprinting(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    page = _page(window, demo_path)
    page.issue_to(out=tmp_path / "annual.pdf")
    _wait_idle(qtbot, page)
    assert page.prepared is not None
    someone = page.prepared.certificates[0].planned
    assert window.database is not None
    with window.database.transaction() as session:
        member = session.get(Member, someone.member_id)
        assert member is not None
        member.first_name = f"{member.first_name} Q."
    page.refresh_plan()
    assert page.problems_label.isVisibleTo(page)
    assert "Give a reason" in page.problems_label.text()
    assert page.reason_edit.isVisibleTo(page)
    assert not page.print_button.isEnabled()
    qtbot.keyClicks(page.reason_edit, "middle initial added")
    qtbot.waitUntil(lambda: page.print_button.isEnabled(), timeout=5000)
    assert not page.problems_label.isVisibleTo(page)
    page.issue_to(out=tmp_path / "again.pdf")
    _wait_idle(qtbot, page)
    assert page.last_result is not None
    assert page.last_result.reissued == 1
    assert page.last_result.new == 0


def test_sign_in_sheet_badges_and_transcript_open_in_a_preview(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    page = _page(window, demo_path)
    page.session_combo.setCurrentIndex(2)  # the second session of the agenda
    page.show_sign_in_sheet()
    _wait_idle(qtbot, page)
    sheet = page.previews[-1]
    assert sheet.preview.page_count >= 3
    assert sheet.windowTitle().startswith("Sign-in sheet")
    page.outlines_check.setChecked(True)
    page.show_badges()
    _wait_idle(qtbot, page)
    assert page.previews[-1].windowTitle().startswith("Name badges")
    member_id = page.planned_model.rows[0].planned.member_id
    page.show_transcript(member_id)
    _wait_idle(qtbot, page)
    assert page.previews[-1].windowTitle() == "CME transcript"
    for dialog in list(page.previews):
        dialog.close()
    assert page.previews == []
    assert not page.print_current()  # File > Print… has no preview left to print


@pytest.mark.usefixtures("window")
def test_file_print_with_nothing_to_print_says_so(window: MainWindow, demo_path: Path) -> None:
    window.open_database_file(demo_path)
    window.show_page("Certificates")
    window.print_action.trigger()
    assert "Nothing to print" in window.statusBar().currentMessage()
