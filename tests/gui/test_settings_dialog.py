"""File > Settings… as a treasurer uses it: change the signatory, save, see it on the
next certificate; wrong values stop Save; Edit > Undo puts the old settings back."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sro_desktop.app import main
from sro_desktop.db.models import Meeting
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.settings_dialog import SettingsDialog
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.organization import OrganizationDetails, organization_details


def _details(window: MainWindow) -> OrganizationDetails:
    assert window.database is not None
    with window.database.session() as session:
        return organization_details(session)


def _open_settings(window: MainWindow) -> SettingsDialog:
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    return dialog


def _logo(path: Path) -> Path:
    out = BytesIO()
    Image.new("RGB", (400, 120), (31, 95, 168)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_the_settings_action_sits_in_the_file_menu_with_a_shortcut(window: MainWindow) -> None:
    actions = [a.text() for a in window.file_menu.actions()]
    assert actions.index("&Settings…") == actions.index("&Audit trail…") + 1
    shortcut = window.settings_action.shortcut()
    assert not shortcut.isEmpty()
    preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    assert shortcut in preferences or shortcut == QKeySequence("Ctrl+,")


def test_edit_save_undo_and_redo(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    dialog = _open_settings(window)
    form = dialog.form
    # The form shows what is saved.
    assert form.edits["name"].text() == "Tri-State Alliance for CME"
    assert form.edits["states"].text() == "PA, NJ, DE"
    assert form.address.toPlainText() == "P.O. Box 1187\nWilmington, DE 19899"
    assert form.currency.currentData() == "USD"
    assert form.grace.value() == 30

    form.edits["signatory_name"].setText("Rosalind Okafor, PhD")
    form.edits["signatory_title"].setText("Board Chair")
    form.edits["states"].setText("PA, NJ, DE, Maryland")
    form.grace.setValue(60)
    form.fiscal_month.setCurrentIndex(6)
    form.logo.load_file(_logo(tmp_path / "logo.png"))
    with qtbot.waitSignal(window.data_changed) as changed:
        dialog.save_button.click()
    assert isinstance(changed.args[0], DataChanged)
    assert changed.args[0].touches("organization_settings")
    assert not dialog.isVisible()
    saved = _details(window)
    assert (saved.signatory_name, saved.signatory_title) == ("Rosalind Okafor, PhD", "Board Chair")
    assert saved.states == "PA,NJ,DE,MD"
    assert (saved.grace_days, saved.fiscal_year_start_month) == (60, 7)
    assert saved.logo == (tmp_path / "logo.png").read_bytes()
    assert saved.name == "Tri-State Alliance for CME"  # untouched fields stay

    assert window.undo_stack.undoText() == "Edit settings"
    with qtbot.waitSignal(window.data_changed):
        window.undo_stack.undo()
    undone = _details(window)
    assert undone.signatory_name == "Dana Whitfield, MS, CHCP"
    assert (undone.grace_days, undone.logo) == (30, None)
    window.undo_stack.redo()
    assert _details(window) == saved


def test_wrong_values_keep_save_off_and_say_why(window: MainWindow, demo_path: Path) -> None:
    assert window.open_database_file(demo_path)
    dialog = _open_settings(window)
    form = dialog.form
    assert dialog.save_button.isEnabled()
    form.edits["name"].setText("  ")
    assert not dialog.save_button.isEnabled()
    assert "Organization name is required" in form.messages["name"].text()
    form.edits["name"].setText("Tri-State Alliance for CME")
    form.edits["email"].setText("treasurer@")
    assert not dialog.save_button.isEnabled()
    assert "nothing comes after the @" in form.messages["email"].text()
    form.edits["email"].setText("treasurer@tristate.example.org")
    assert dialog.save_button.isEnabled()
    dialog.reject()
    assert _details(window).email == "treasurer@tristatecme.example.org"  # cancelled
    assert window.undo_stack.count() == 0


def test_saving_unchanged_settings_adds_no_undo_step(window: MainWindow, demo_path: Path) -> None:
    assert window.open_database_file(demo_path)
    before = _details(window)
    _open_settings(window).save_button.click()
    assert _details(window) == before
    assert window.undo_stack.count() == 0


def test_settings_need_an_open_database(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "sro_desktop.gui.errors.QMessageBox.warning",
        lambda _parent, _title, text: shown.append(text),
    )
    window.settings_action.trigger()
    assert shown == ["Open or create a database first (File menu)."]
    assert QApplication.activeModalWidget() is None


def test_the_signatory_saved_in_settings_prints_on_a_certificate(
    capsys: pytest.CaptureFixture[str], window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    dialog = _open_settings(window)
    dialog.form.edits["name"].setText("Keystone Society for CME Professionals")
    dialog.form.edits["signatory_name"].setText("Rosalind Okafor, PhD")
    dialog.form.edits["signatory_title"].setText("Board Chair")
    dialog.save_button.click()
    assert window.database is not None
    with window.database.session() as session:
        meeting = next(m.id for m in session.scalars(select(Meeting)) if "Annual" in m.title)
    window.close_database(backup=False)  # the command line takes its own lock

    pdf = tmp_path / "certificates.pdf"
    code = main(["--db", str(demo_path), "certificates", "issue", "--meeting", str(meeting),
                 "--out", str(pdf), "--date", "2026-11-27"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Rosalind Okafor, PhD" in text
    assert "Board Chair" in text
    assert "Keystone Society for CME Professionals" in text
