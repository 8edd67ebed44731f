"""The member dialogs as a user drives them: the form with its checks as you type, a
member's page with dues and renewal, bulk renewal, renewals due, duplicates, membership
types, deleting, and Edit > Undo for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sro_desktop.db.models import Member, Membership, MembershipType, Payment
from sro_desktop.gui.dues_payment_dialog import DuesPaymentDialog
from sro_desktop.gui.duplicates_view import DuplicatesView
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.member_dialog import MemberDialog
from sro_desktop.gui.member_record_dialog import MemberRecordDialog
from sro_desktop.gui.membership_types_dialog import MembershipTypesDialog
from sro_desktop.gui.renewal_dialogs import RenewMemberDialog
from sro_desktop.gui.renewals_due_view import RenewalsDueView
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def demo_day(window: MainWindow) -> None:
    """The app reckons statuses on the day the demo data was made for, not the real today."""
    assert window.members_page.member_actions is not None
    window.members_page.member_actions.today = lambda: TODAY


def _count(window: MainWindow, model: type, *where: object) -> int:
    assert window.database is not None
    with window.database.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def _yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_args, **_kw: QMessageBox.StandardButton.Yes
    )


def test_add_a_member_through_the_dialog(qtbot: QtBot, window: MainWindow, demo_path: Path) -> None:
    window.open_database_file(demo_path)
    page = window.members_page
    page.new_action.trigger()
    dialog = window.findChild(MemberDialog)
    assert isinstance(dialog, MemberDialog) and dialog.isVisible()
    save = dialog.save_button
    assert not save.isEnabled()  # names are required
    assert dialog.messages["first_name"].text() == "First name is required."

    qtbot.keyClicks(dialog.edits["first_name"], "Maria")
    qtbot.keyClicks(dialog.edits["last_name"], "Gonzalez")
    qtbot.keyClicks(dialog.edits["email"], "Maria.Gonzalez@")
    assert not save.isEnabled()
    assert "is not an email address: nothing comes after the @" in dialog.messages["email"].text()
    assert dialog.summary.text() == "1 field to fix before saving"
    qtbot.keyClicks(dialog.edits["email"], "Example.org ")
    assert dialog.messages["email"].text() == "Saved as maria.gonzalez@example.org"
    qtbot.keyClicks(dialog.edits["state"], "Pennsylvania")
    assert dialog.messages["state"].text() == "Saved as PA (Pennsylvania)"
    qtbot.keyClicks(dialog.edits["credentials"], "rn, bsn")
    assert dialog.messages["credentials"].text() == "Saved as RN, BSN"
    qtbot.keyClicks(dialog.edits["phone"], "215 55")
    assert not save.isEnabled() and "too short" in dialog.messages["phone"].text()
    qtbot.keyClicks(dialog.edits["phone"], "5 0199")
    dialog.organization.setCurrentText("Penn Valley Health System")
    # A known organization brings its type along.
    assert dialog.organization_type.currentText() == "Hospital / health system"
    assert save.isEnabled()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert page.count_label.text() == "301 people"
    member_id = page.selected_member_id()
    assert member_id is not None
    row = page.model.row_at(page.table.currentIndex().row())
    assert (row.first_name, row.email, row.state, row.phone) == (
        "Maria",
        "maria.gonzalez@example.org",
        "PA",
        "215 555 0199",
    )
    assert window.undo_stack.undoText() == "Add Maria Gonzalez"

    # Edit > Undo (Ctrl+Z) takes her away again, Redo brings her back.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.count_label.text() == "300 people"
    assert _count(window, Member, Member.id == member_id) == 0
    window.undo_stack.redo()
    assert page.count_label.text() == "301 people"
    assert _count(window, Member, Member.email == "maria.gonzalez@example.org") == 1


def test_the_dialog_names_who_has_the_email(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    page = window.members_page
    taken = page.model.row_at(0)
    dialog = page.new_member()
    assert isinstance(dialog, MemberDialog)
    qtbot.keyClicks(dialog.edits["first_name"], "Someone")
    qtbot.keyClicks(dialog.edits["last_name"], "Else")
    qtbot.keyClicks(dialog.edits["email"], (taken.email or "").upper())
    assert dialog.messages["email"].text() == (
        f"{taken.email} already belongs to {taken.first_name} {taken.last_name} "
        f"(member #{taken.id}); two people cannot share an email."
    )
    assert not dialog.save_button.isEnabled()
    dialog.reject()


def test_edit_from_the_member_page_then_undo(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    page = window.members_page
    page.table.selectRow(0)
    member_id = page.selected_member_id()
    assert member_id is not None
    record = page.open_selected()
    assert isinstance(record, MemberRecordDialog)
    before = record.heading.text()
    record.edit()
    dialog = record.findChild(MemberDialog)
    assert isinstance(dialog, MemberDialog)
    dialog.edits["last_name"].setText("Zwicky")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Zwicky" in record.heading.text()
    assert page.model.row_at(page.model.rowCount() - 1).last_name == "Zwicky"  # sorted last
    window.undo_stack.undo()
    assert record.heading.text() == before
    record.close()


def test_member_page_history_dues_and_renewal(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    page = window.members_page
    # Someone pending: a period with dues unpaid.
    page.status_filter.setCurrentIndex(page.status_filter.findText("Pending"))
    page.table.selectRow(0)
    member_id = page.selected_member_id()
    assert member_id is not None
    record = page.open_selected()
    assert isinstance(record, MemberRecordDialog)
    assert "Pending" in record.status.text()
    assert record.tabs.tabText(0).startswith(f"Membership history ({record.periods.rowCount()})")
    assert "owed" in record.tabs.tabText(0)
    payments_before = record.payments.rowCount()

    record.record_dues()
    dues = record.findChild(DuesPaymentDialog)
    assert isinstance(dues, DuesPaymentDialog)
    save = dues.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dues.amount.text() in ("150.00", "450.00", "1000.00", "40.00")  # what is owed
    dues.method.setCurrentIndex(dues.method.findText("Check"))
    assert not save.isEnabled() and dues.reference_label.text() == "Check number:"
    qtbot.keyClicks(dues.reference, "4417")
    assert save.isEnabled()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert record.payments.rowCount() == payments_before + 1
    assert "Current" in record.status.text()
    assert page.model.rowCount() == 0 or member_id not in [
        page.model.row_at(r).id for r in range(page.model.rowCount())
    ]  # no longer pending

    periods_before = record.periods.rowCount()
    record.renew()
    renew = record.findChild(RenewMemberDialog)
    assert isinstance(renew, RenewMemberDialog)
    assert renew.outcome.text().startswith("Adds the period ")
    renew.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert record.periods.rowCount() == periods_before + 1
    assert window.undo_stack.undoText().startswith("Renew ")

    window.undo_stack.undo()  # the renewal
    assert record.periods.rowCount() == periods_before
    window.undo_stack.undo()  # the payment
    assert record.payments.rowCount() == payments_before
    assert "Pending" in record.status.text()
    record.close()


def test_renew_everyone_shown_in_the_background(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _yes(monkeypatch)
    window.open_database_file(demo_path)
    page = window.members_page
    page.status_filter.setCurrentIndex(page.status_filter.findText("Current"))
    shown = page.total
    before = _count(window, Membership)
    page.renew_shown_action.trigger()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20000)
    assert _count(window, Membership) == before + shown
    assert window.statusBar().currentMessage() == f"Renewed {shown} members"
    assert window.undo_stack.undoText() == f"Renew {shown} members"
    window.undo_stack.undo()
    assert _count(window, Membership) == before


def test_renewals_due_view_copies_emails_for_bcc(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    window.members_page.due_action.trigger()
    view = window.findChild(RenewalsDueView)
    assert isinstance(view, RenewalsDueView)
    view.days.setValue(60)
    assert view.model.rowCount() == len(view.due) > 0
    view.separator.setCurrentIndex(1)
    view.copy_emails()
    copied = QGuiApplication.clipboard().text()
    assert copied.split("; ") == [d.email for d in view.due if d.email]
    assert view.summary.text().startswith(f"Copied {len(copied.split('; '))} email addresses")
    view.close()


def test_find_and_merge_duplicates_then_undo(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.open_database_file(demo_path)
    window.members_page.duplicates_action.trigger()
    view = window.findChild(DuplicatesView)
    assert isinstance(view, DuplicatesView)
    qtbot.mouseClick(view.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20000)
    pairs = view.model.rowCount()
    pair = view.current_pair()
    assert pair is not None
    assert view.comparison.isEnabled()
    keep, other, _choices = view.comparison.choices()
    assert {keep, other} == {pair.first_id, pair.second_id}
    with window.database.session() as session:  # type: ignore[union-attr]
        payments = session.scalar(
            select(func.count()).select_from(Payment).where(Payment.member_id.in_([keep, other]))
        )
    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() < pairs
    assert window.members_page.count_label.text() == "299 people"
    assert _count(window, Payment, Payment.member_id == keep) == payments
    assert window.undo_stack.undoText().startswith("Merge ")
    window.undo_stack.undo()
    assert window.members_page.count_label.text() == "300 people"
    assert _count(window, Member, Member.id == other) == 1

    # "Not a duplicate" is remembered: the pair is not found again.
    first = view.current_pair()
    assert first is not None
    qtbot.mouseClick(view.distinct_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20000)
    assert (first.first_id, first.second_id) not in [(p.first_id, p.second_id) for p in view.pairs]
    view.close()


def test_membership_types_and_settings(qtbot: QtBot, window: MainWindow, demo_path: Path) -> None:
    window.open_database_file(demo_path)
    window.members_page.types_action.trigger()
    dialog = window.findChild(MembershipTypesDialog)
    assert isinstance(dialog, MembershipTypesDialog)
    assert dialog.model.rowCount() == 5
    dialog.new_type()
    qtbot.keyClicks(dialog.name, "individual")
    assert not dialog.save_button.isEnabled()
    assert "already a type called Individual" in dialog.problems.text()
    dialog.name.setText("Retired")
    dialog.dues.setText("$75")
    dialog.save_type()
    assert dialog.model.rowCount() == 6
    assert _count(window, MembershipType, MembershipType.name == "Retired") == 1
    # The new type is offered in the table's filter.
    page = window.members_page
    qtbot.waitUntil(lambda: not page.rebuilding)  # the list is rebuilt in the background
    assert page.type_filter.findText("Retired") > 0
    dialog.grace.setValue(0)
    dialog.save_settings()
    window.undo_stack.undo()  # the settings
    window.undo_stack.undo()  # the new type
    assert _count(window, MembershipType, MembershipType.name == "Retired") == 0
    dialog.close()


def test_delete_is_refused_with_records_and_offers_archive(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_database_file(demo_path)
    page = window.members_page
    page.table.selectRow(0)
    member_id = page.selected_member_id()
    shown: list[str] = []

    def choose_archive() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        archive = next(b for b in box.buttons() if b.text() == "Archive")
        archive.click()

    QTimer.singleShot(0, choose_archive)
    page.delete_selected()
    assert shown and "so they cannot be deleted" in shown[0]
    assert page.count_label.text() == "299 people"
    assert _count(window, Member, Member.id == member_id, Member.archived.is_(True)) == 1

    # Someone without records is deleted after asking, and Undo brings them back.
    _yes(monkeypatch)
    dialog = page.new_member()
    assert isinstance(dialog, MemberDialog)
    dialog.edits["first_name"].setText("Temp")
    dialog.edits["last_name"].setText("Person")
    dialog.save_button.click()
    page.delete_key_action.trigger()
    assert _count(window, Member, Member.first_name == "Temp") == 0
    window.undo_stack.undo()
    assert _count(window, Member, Member.first_name == "Temp") == 1
