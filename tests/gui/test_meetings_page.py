"""The Meetings page as the treasurer uses it: create a meeting with fees, build an agenda
with parallel tracks, register people until the waitlist starts, cancel one and see the
first waitlisted promoted, take a payment, override credits, read a transcript."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AuditEntry,
    CreditType,
    Meeting,
    MeetingFormat,
    Payment,
    PaymentPurpose,
    Registration,
    RegistrationStatus,
)
from sro_desktop.gui.agenda_dialog import AgendaItemDialog
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.meeting_dialog import MeetingDialog
from sro_desktop.gui.meeting_models import (
    agenda_model,
    attendance_model,
    checkin_model,
    meetings_model,
    registrations_model,
)
from sro_desktop.gui.meetings_page import MeetingsPage
from sro_desktop.gui.override_dialog import OverrideDialog
from sro_desktop.gui.registration_dialog import RegistrationDialog
from sro_desktop.gui.registration_money_dialogs import CancelDialog, PaymentDialog
from sro_desktop.gui.transcript_dialog import show_transcript
from sro_desktop.services.attendance import attendance_summary
from sro_desktop.services.checkin import checkin_rows
from sro_desktop.services.meetings import agenda_rows, meeting_rows
from sro_desktop.services.registrations import registration_rows


def when_dialog_opens(
    qtbot: QtBot, action: Callable[[QWidget], None], failures: list[BaseException]
) -> None:
    """Run `action` on the next modal dialog once it is up (as a person would act on it);
    if the action fails, the dialog is closed so the test reports instead of hanging."""

    tries = [0]

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            tries[0] += 1
            if tries[0] > 250:
                failures.append(AssertionError("no dialog opened within 5 seconds"))
                return
            QTimer.singleShot(20, act)
            return
        try:
            action(dialog)
        except BaseException as error:
            failures.append(error)
            if isinstance(dialog, QDialog):
                dialog.reject()

    QTimer.singleShot(0, act)


@pytest.fixture
def page(window: MainWindow, demo_path: Path) -> MeetingsPage:
    assert window.open_database_file(demo_path)
    window.show_page("Meetings")
    return window.meetings_page


def _db(page: MeetingsPage) -> Database:
    assert page.database is not None
    return page.database


def test_the_page_lists_the_demo_meetings_and_shows_the_next_one(page: MeetingsPage) -> None:
    assert page.model.rowCount() == 4
    titles = {page.model.row_at(r).title for r in range(4)}
    assert "Annual Conference 2026" in titles
    # The first meeting not yet over is chosen: the winter webinar in December.
    assert page.meeting_id is not None
    assert "Winter Webinar" in page.summary.text()
    assert page.registrations_tab.model.rowCount() == 270
    assert "270 registered" in page.registrations_tab.footer.text()


def test_selecting_a_meeting_fills_its_tabs(qtbot: QtBot, page: MeetingsPage) -> None:
    row = next(r for r in range(page.model.rowCount()) if "Annual" in page.model.row_at(r).title)
    page.table.selectRow(row)
    assert "joint providership" in page.summary.text()
    # The demo designates 8.25 credits on 8 h 15 min of eligible time: no warning.
    assert "supports at most" not in page.summary.text()
    assert page.registrations_tab.model.rowCount() == 135
    page.tabs.setCurrentWidget(page.agenda_tab)
    assert page.agenda_tab.model.rowCount() == 10
    assert "8 h 15 min" in page.agenda_tab.footer.text()
    assert "parallel tracks A, B counted once" in page.agenda_tab.footer.text()
    page.tabs.setCurrentWidget(page.attendance_tab)
    attendees = page.attendance_tab.model.rowCount()
    assert 0 < attendees <= 135
    page.attendance_tab.everyone_check.setChecked(True)
    assert page.attendance_tab.model.rowCount() == 135


def test_a_new_meeting_from_the_dialog(qtbot: QtBot, page: MeetingsPage) -> None:
    failures: list[BaseException] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDialog)
        qtbot.keyClicks(dialog.title_edit, "Fall Symposium")
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findText("Hybrid"))
        dialog.capacity_spin.setValue(2)
        regular, early = dialog.fee_edits[next(iter(dialog.fee_edits))]  # member
        qtbot.keyClicks(regular, "$150")
        qtbot.keyClicks(early, "120")
        dialog.early_bird_check.setChecked(True)
        dialog.credit_combo.setCurrentIndex(
            dialog.credit_combo.findText("AMA", Qt.MatchFlag.MatchContains)
        )
        assert dialog.provider_edit.isEnabled()
        qtbot.keyClicks(dialog.provider_edit, "Keystone Medical Education, LLC")
        dialog.max_credits_spin.setValue(2.75)
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    when_dialog_opens(qtbot, fill, failures)
    page.new_button.click()
    assert not failures, failures
    with _db(page).session() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.title == "Fall Symposium")).one()
        assert (meeting.format, meeting.capacity, meeting.credit_type) == (
            MeetingFormat.HYBRID,
            2,
            CreditType.AMA_PRA_1,
        )
        assert (meeting.max_credits, meeting.joint_providership) == (Decimal("2.75"), True)
        [fee] = meeting.fees
        assert (fee.fee, fee.early_bird_fee) == (Decimal("150.00"), Decimal("120.00"))
    assert page.meeting_id == meeting.id
    assert page.tabs.currentWidget() is page.agenda_tab


def test_a_refused_meeting_keeps_the_dialog_open(
    qtbot: QtBot, page: MeetingsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    failures: list[BaseException] = []
    still_open: list[bool] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDialog)
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)  # no title
        still_open.append(dialog.isVisible())
        dialog.reject()

    when_dialog_opens(qtbot, fill, failures)
    page.new_button.click()
    assert not failures, failures
    assert warnings == ["A meeting needs a title; type one in."]
    assert still_open == [True]
    assert page.model.rowCount() == 4


def _fall_symposium(page: MeetingsPage, capacity: int = 2) -> int:
    from sro_desktop.db.models import RegistrationCategory
    from sro_desktop.services.meetings import FeeInput, MeetingInput, create_meeting

    with _db(page).transaction() as session:
        meeting_id = create_meeting(
            session,
            MeetingInput(
                title="Fall Symposium",
                start_date=date.today(),
                capacity=capacity,
                credit_type=CreditType.AMA_PRA_1,
                accredited_provider="Keystone Medical Education, LLC",
                max_credits=Decimal("2"),
            ),
            [
                FeeInput(RegistrationCategory.MEMBER, Decimal("150")),
                FeeInput(RegistrationCategory.NON_MEMBER, Decimal("200")),
            ],
        ).id
    page.refresh(select=meeting_id)
    return meeting_id


def test_agenda_items_with_parallel_tracks(qtbot: QtBot, page: MeetingsPage) -> None:
    meeting_id = _fall_symposium(page)
    page.tabs.setCurrentWidget(page.agenda_tab)
    failures: list[BaseException] = []

    def item(title: str, start: str, end: str, track: str = "") -> Callable[[QWidget], None]:
        def fill(dialog: QWidget) -> None:
            assert isinstance(dialog, AgendaItemDialog)
            qtbot.keyClicks(dialog.title_edit, title)
            dialog.starts_edit.setTime(dialog.starts_edit.time().fromString(start, "HH:mm"))
            dialog.ends_edit.setTime(dialog.ends_edit.time().fromString(end, "HH:mm"))
            dialog.track_combo.setCurrentText(track)
            qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

        return fill

    for args in [
        ("Keynote", "09:00", "10:00"),
        ("Track A: surveys", "10:15", "11:15", "A"),
        ("Track B: dashboards", "10:15", "11:15", "B"),
        ("Lunch", "11:15", "12:00"),
    ]:
        when_dialog_opens(qtbot, item(*args), failures)
        page.agenda_tab.add_button.click()
    assert not failures, failures
    with _db(page).session() as session:
        agenda = agenda_rows(session, meeting_id)
    assert [(a.title, a.track, a.credit_eligible) for a in agenda] == [
        ("Keynote", "", True),
        ("Track A: surveys", "A", True),
        ("Track B: dashboards", "B", True),
        ("Lunch", "", False),  # guessed from the title
    ]
    assert "2 h" in page.agenda_tab.footer.text()
    assert page.agenda_tab.model.rowCount() == 4


def _register(qtbot: QtBot, page: MeetingsPage, who: str, failures: list[BaseException]) -> None:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, RegistrationDialog)
        qtbot.keyClicks(dialog.search_edit, who)
        qtbot.waitUntil(lambda: dialog.matches.count() > 0)
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)

    when_dialog_opens(qtbot, fill, failures)
    page.registrations_tab.register_button.click()


def test_register_until_the_waitlist_then_cancel_and_promote(
    qtbot: QtBot, page: MeetingsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting_id = _fall_symposium(page, capacity=2)
    failures: list[BaseException] = []
    for who in ("daniel adams", "julia ahmed", "chen anderson", "zoe adams"):
        _register(qtbot, page, who, failures)
    assert not failures, failures
    tab = page.registrations_tab
    assert tab.model.rowCount() == 4
    assert "2 registered, 2 on the waitlist" in tab.footer.text()
    window = page.window()
    assert isinstance(window, MainWindow)
    assert "waitlist at place 2" in window.statusBar().currentMessage()

    # Cancel Daniel: Chen, first on the waitlist, gets the place.
    daniel = next(r for r in range(4) if tab.model.row_at(r).first_name == "Daniel")
    tab.table.selectRow(daniel)

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, CancelDialog)
        assert "The place goes to <b>Chen Anderson</b>" in dialog.intro.text()
        qtbot.keyClicks(dialog.reason_edit, "schedule conflict")
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    when_dialog_opens(qtbot, confirm, failures)
    tab.cancel_button.click()
    assert not failures, failures
    with _db(page).session() as session:
        rows = {r.first_name: r for r in registration_rows(session, meeting_id)}
    assert rows["Daniel"].status is RegistrationStatus.CANCELLED
    assert rows["Chen"].status is RegistrationStatus.REGISTERED
    assert (rows["Zoë"].status, rows["Zoë"].waitlist_position) == (
        RegistrationStatus.WAITLISTED,
        1,
    )
    assert "Chen Anderson moved up from the waitlist" in window.statusBar().currentMessage()


def test_a_payment_and_an_override(qtbot: QtBot, page: MeetingsPage) -> None:
    meeting_id = _fall_symposium(page)
    failures: list[BaseException] = []
    _register(qtbot, page, "julia ahmed", failures)
    tab = page.registrations_tab
    tab.table.selectRow(0)

    def pay(dialog: QWidget) -> None:
        assert isinstance(dialog, PaymentDialog)
        assert dialog.fields.amount_edit.text() == "150.00"  # what is owed
        qtbot.keyClick(dialog.fields.amount_edit, Qt.Key.Key_Return)

    when_dialog_opens(qtbot, pay, failures)
    tab.pay_button.click()
    assert not failures, failures
    with _db(page).session() as session:
        [payment] = session.scalars(select(Payment).where(Payment.meeting_id == meeting_id)).all()
        assert (payment.amount, payment.purpose) == (Decimal("150.00"), PaymentPurpose.REGISTRATION)
        registration = session.scalars(
            select(Registration).where(Registration.meeting_id == meeting_id)
        ).one()
    assert tab.model.row_at(0).payment_status.value == "Paid"

    # Check her in through the service, then override her credits on the attendance tab.
    from sro_desktop.services.checkin import check_in

    with _db(page).transaction() as session:
        check_in(session, registration.id)
    page.tabs.setCurrentWidget(page.attendance_tab)
    attendance = page.attendance_tab
    attendance.table.selectRow(0)

    def override(dialog: QWidget) -> None:
        assert isinstance(dialog, OverrideDialog)
        dialog.credits_spin.setValue(1.5)
        qtbot.keyClicks(dialog.reason_edit, "left at the break")
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    when_dialog_opens(qtbot, override, failures)
    attendance.override_button.click()
    assert not failures, failures
    person = attendance.model.row_at(0)
    assert (person.credits, person.override_reason) == (Decimal("1.50"), "left at the break")
    with _db(page).session() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.user_action == "Override credits")
        ).one()
        assert entry.new_values["credits_override"] == "1.50"


def test_transcript_window(qtbot: QtBot, page: MeetingsPage) -> None:
    with _db(page).session() as session:
        annual = next(m for m in meeting_rows(session) if m.title.startswith("Annual"))
        attendee = attendance_summary(session, annual.id)[0]
    dialog = show_transcript(page, _db(page), attendee.member_id)
    qtbot.addWidget(dialog)
    assert attendee.full_name in dialog.heading.text()
    titles = [dialog.model.row_at(r).title for r in range(dialog.model.rowCount())]
    assert annual.title in titles
    assert "AMA PRA Category 1 Credits™" in dialog.totals.text()
    dialog.range_combo.setCurrentIndex(dialog.range_combo.findText("Last year"))
    assert dialog.model.rowCount() == 0
    assert dialog.totals.text() == "Totals: No meetings attended in this range."


def test_models_pass_qtmodeltester(qtmodeltester: ModelTester, demo_database: Database) -> None:
    with demo_database.session() as session:
        meetings = meeting_rows(session)
        annual = next(m for m in meetings if m.title.startswith("Annual"))
        tables = [
            (meetings_model(), meetings),
            (registrations_model(), registration_rows(session, annual.id)[:40]),
            (agenda_model(), agenda_rows(session, annual.id)),
            (attendance_model(), attendance_summary(session, annual.id)[:40]),
            (checkin_model(), checkin_rows(session, annual.id)[:40]),
        ]
    for model, rows in tables:
        model.set_rows(rows)  # type: ignore[attr-defined]
        qtmodeltester.check(model, force_py=True)
        model.sort(0, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model, force_py=True)


def test_raising_the_capacity_in_the_edit_dialog_fills_from_the_waitlist(
    qtbot: QtBot, page: MeetingsPage
) -> None:
    meeting_id = _fall_symposium(page, capacity=1)
    failures: list[BaseException] = []
    for who in ("daniel adams", "julia ahmed", "chen anderson"):
        _register(qtbot, page, who, failures)

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDialog)
        assert dialog.title_edit.text() == "Fall Symposium"
        member_fee, _ = next(iter(dialog.fee_edits.values()))
        assert member_fee.text() == "150.00"
        dialog.capacity_spin.setValue(2)
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    when_dialog_opens(qtbot, edit, failures)
    page.edit_button.click()
    assert not failures, failures
    with _db(page).session() as session:
        statuses = {r.first_name: r.status for r in registration_rows(session, meeting_id)}
    assert statuses == {
        "Daniel": RegistrationStatus.REGISTERED,
        "Julia": RegistrationStatus.REGISTERED,
        "Chen": RegistrationStatus.WAITLISTED,
    }
    window = page.window()
    assert isinstance(window, MainWindow)
    assert "from the waitlist: Julia Ahmed" in window.statusBar().currentMessage()


def test_a_new_registration_is_selected_in_the_list(qtbot: QtBot, page: MeetingsPage) -> None:
    _fall_symposium(page)
    failures: list[BaseException] = []
    for who in ("daniel adams", "julia ahmed"):
        _register(qtbot, page, who, failures)
    assert not failures, failures
    tab = page.registrations_tab
    chosen = tab.selected()
    assert chosen is not None
    assert (chosen.first_name, chosen.last_name) == ("Julia", "Ahmed")
    assert tab.pay_button.isEnabled()  # the payment can follow at once
