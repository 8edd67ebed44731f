"""The check-in screen driven from the keyboard alone, as the volunteer at the door does:
type part of a name, Enter, next person; Ctrl+Z and Ctrl+Backspace to take a check-in
back; a waitlisted person admitted; a walk-in with Ctrl+N; marking one session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    CreditType,
    Member,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from sro_desktop.gui.checkin_screen import CheckInScreen
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.registration_dialog import RegistrationDialog
from sro_desktop.services.meetings import FeeInput, MeetingInput, SessionInput, create_meeting
from sro_desktop.services.registrations import register

TODAY = date.today()


def _meeting(database: Database, people: list[str], capacity: int) -> int:
    """Today's meeting with two parallel tracks; demo people (by email start) registered."""
    with database.transaction() as session:
        meeting = create_meeting(
            session,
            MeetingInput(
                title="Door test",
                start_date=TODAY,
                capacity=capacity,
                credit_type=CreditType.AMA_PRA_1,
                accredited_provider="Keystone Medical Education, LLC",
                max_credits=Decimal("2"),
            ),
            [
                FeeInput(RegistrationCategory.MEMBER, Decimal("100")),
                FeeInput(RegistrationCategory.NON_MEMBER, Decimal("150")),
            ],
            [
                SessionInput("Track A", _at(10), _at(11), track="A"),
                SessionInput("Track B", _at(10), _at(11), track="B"),
            ],
        )
        for start in people:
            member = session.scalars(
                select(Member).where(Member.email.like(f"{start}%")).order_by(Member.id)
            ).first()
            assert member is not None, start
            register(session, meeting.id, member.id)
        return meeting.id


def _at(hour: int) -> object:
    from datetime import datetime, time

    return datetime.combine(TODAY, time(hour))


def _registration(database: Database, meeting_id: int, email_start: str) -> Registration:
    with database.session() as session:
        registration = session.scalars(
            select(Registration)
            .join(Member)
            .where(Registration.meeting_id == meeting_id, Member.email.like(f"{email_start}%"))
        ).one()
        return registration


@pytest.fixture
def door(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> Iterator[tuple[CheckInScreen, Database, int]]:
    assert window.open_database_file(demo_path)
    database = window.database
    assert database is not None
    meeting_id = _meeting(
        database, ["daniel.adams", "julia.ahmed", "chen.anderson", "nadia.adams"], capacity=3
    )
    page = window.meetings_page
    page.refresh(select=meeting_id)
    screen = page.open_checkin()
    assert screen is not None
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.search_edit.hasFocus)
    yield screen, database, meeting_id
    screen.close()


def type_in(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)


def test_a_person_is_checked_in_from_the_keyboard_and_undone(
    qtbot: QtBot, door: tuple[CheckInScreen, Database, int]
) -> None:
    screen, database, meeting_id = door
    assert "0</b> of <b>3</b> checked in" in screen.count_label.text()
    assert "1 waiting" in screen.count_label.text()

    type_in(qtbot, screen.search_edit, "ahmed j")
    assert [row.full_name for row in screen.model.rows()] == ["Julia Ahmed"]
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)

    julia = _registration(database, meeting_id, "julia.ahmed")
    assert julia.checked_in_at is not None
    assert screen.search_edit.text() == ""  # ready for the next person
    assert "1</b> of <b>3</b> checked in" in screen.count_label.text()
    assert "Julia Ahmed checked in at" in screen.message_label.text()
    assert "owes 100.00" in screen.message_label.text()

    # Enter on someone already in says so and changes nothing.
    type_in(qtbot, screen.search_edit, "julia")
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert "already checked in" in screen.message_label.text()

    # Ctrl+Z in the search box undoes the check-in, not the typing.
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _registration(database, meeting_id, "julia.ahmed").checked_in_at is None
    assert "0</b> of <b>3</b> checked in" in screen.count_label.text()
    assert "Took back Julia Ahmed's check-in" in screen.message_label.text()
    # Ctrl+Shift+Z (redo) checks her in again.
    qtbot.keyClick(
        screen.search_edit,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert _registration(database, meeting_id, "julia.ahmed").checked_in_at is not None


def test_arrow_keys_choose_among_matches_and_ctrl_backspace_takes_back(
    qtbot: QtBot, door: tuple[CheckInScreen, Database, int]
) -> None:
    screen, database, meeting_id = door
    type_in(qtbot, screen.search_edit, "adams")
    assert [row.full_name for row in screen.model.rows()] == ["Daniel Adams", "Nadia Adams"]
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Down)
    assert screen.highlighted() is not None
    assert screen.highlighted().full_name == "Nadia Adams"  # type: ignore[union-attr]
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Up)
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert _registration(database, meeting_id, "daniel.adams").checked_in_at is not None

    arrived = _registration(database, meeting_id, "daniel.adams").checked_in_at
    type_in(qtbot, screen.search_edit, "daniel")
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert _registration(database, meeting_id, "daniel.adams").checked_in_at is None
    assert screen.search_edit.text() == "daniel"  # the text was not word-deleted
    # Taking back was a mistake too: Ctrl+Z restores the check-in with its first time.
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _registration(database, meeting_id, "daniel.adams").checked_in_at == arrived

    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Escape)
    assert screen.search_edit.text() == ""
    type_in(qtbot, screen.search_edit, "nobody at all")
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert "No one matches" in screen.message_label.text()


def _answer_next_dialog(action: Callable[[QWidget], None], failures: list[BaseException]) -> None:
    """Run `action` on the next modal dialog once it is up; close it whatever happens."""

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
        except BaseException as error:  # reported by the test after exec returns
            failures.append(error)
            if isinstance(dialog, QDialog):
                dialog.reject()

    QTimer.singleShot(0, act)


def test_a_waitlisted_person_is_admitted_at_the_door(
    qtbot: QtBot, door: tuple[CheckInScreen, Database, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    screen, database, meeting_id = door
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    type_in(qtbot, screen.search_edit, "nadia")
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert asked and "on the waitlist (place 1)" in asked[0]
    nadia = _registration(database, meeting_id, "nadia.adams")
    assert nadia.status is RegistrationStatus.REGISTERED and nadia.checked_in_at is not None
    # Undo puts her back where she was: not checked in, first on the waitlist.
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    nadia = _registration(database, meeting_id, "nadia.adams")
    assert (nadia.status, nadia.waitlist_position, nadia.checked_in_at) == (
        RegistrationStatus.WAITLISTED,
        1,
        None,
    )


def test_a_walk_in_is_registered_and_checked_in_from_the_keyboard(
    qtbot: QtBot, door: tuple[CheckInScreen, Database, int]
) -> None:
    screen, database, meeting_id = door
    failures: list[BaseException] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, RegistrationDialog)
        # Not in the database: the dialog went straight to a new person, names filled in.
        assert dialog.new_radio.isChecked()
        assert (dialog.first_edit.text(), dialog.last_edit.text()) == ("Grace", "Okafor")
        qtbot.keyClicks(dialog.email_edit, "grace.okafor@example.org")
        assert "Non-member" in dialog.quote_label.text() and "150.00" in dialog.quote_label.text()
        qtbot.keyClick(dialog.email_edit, Qt.Key.Key_Return)

    type_in(qtbot, screen.search_edit, "Grace Okafor")
    _answer_next_dialog(fill, failures)
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not failures, failures
    grace = _registration(database, meeting_id, "grace.okafor")
    assert grace.status is RegistrationStatus.REGISTERED  # over capacity: the desk admitted her
    assert grace.checked_in_at is not None
    assert "Walk-in Grace Okafor registered and checked in, paid 150.00" in (
        screen.message_label.text()
    )


def test_marking_one_session(qtbot: QtBot, door: tuple[CheckInScreen, Database, int]) -> None:
    screen, database, meeting_id = door
    screen.session_combo.setCurrentIndex(
        screen.session_combo.findText("Track B", Qt.MatchFlag.MatchContains)
    )
    assert "present" in screen.count_label.text()
    type_in(qtbot, screen.search_edit, "chen")
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    chen = _registration(database, meeting_id, "chen.anderson")
    assert chen.checked_in_at is not None  # seen at a session, so arrived
    assert "1</b> of <b>3</b> present" in screen.count_label.text()
    assert "marked present at" in screen.message_label.text()
    with database.session() as session:
        from sro_desktop.services.attendance import attendee_credit

        assert attendee_credit(session, chen.id).minutes == 60
