"""Backups in the window: the restore dialog, restoring, the damaged-file rescue, the
daily backup on close, the one-writer message and the synced-folder warning."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sro_desktop.db.backup import (
    BackupFile,
    RetentionPolicy,
    list_backups,
    load_retention,
    take_backup,
)
from sro_desktop.db.integrity import DatabaseDamaged
from sro_desktop.db.models import Member
from sro_desktop.gui import backups_dialog
from sro_desktop.gui.backups_dialog import Recovery, RestoreDialog
from sro_desktop.gui.main_window import MainWindow
from tests.db.damage import damage


def _people(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM members").fetchone()[0])
    finally:
        connection.close()


def _answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _add_person(window: MainWindow) -> None:
    assert window.database is not None
    with window.database.transaction(action="Add member") as session:
        session.add(Member(first_name="Later", last_name="Addition"))


def test_the_dialog_lists_backups_with_date_reason_and_people(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_path: Path
) -> None:
    take_backup(demo_path, "manual")
    take_backup(demo_path, "before-import")
    dialog = RestoreDialog(demo_path)
    qtbot.addWidget(dialog)
    dialog.finish_summaries()
    model = dialog.model
    assert model.rowCount() == 2
    shown = [[model.index(r, c).data() for c in range(5)] for r in range(2)]
    assert {row[1] for row in shown} == {"Backed up by you", "Before an import"}
    assert {row[2] for row in shown} == {"300"}
    assert {row[4] for row in shown} == {"ok"}
    assert dialog.restore_button.isEnabled()
    qtmodeltester.check(model, force_py=True)


def test_a_damaged_backup_is_shown_as_such_and_cannot_be_restored(
    qtbot: QtBot, demo_path: Path
) -> None:
    damage(take_backup(demo_path, "manual"))
    dialog = RestoreDialog(demo_path)
    qtbot.addWidget(dialog)
    dialog.finish_summaries()
    assert str(dialog.model.index(0, 4).data()).startswith("damaged: ")
    assert not dialog.restore_button.isEnabled()


def test_restoring_from_the_dialog_backs_up_first_and_reopens(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.open_database_file(demo_path)
    take_backup(demo_path, "manual")
    _add_person(window)
    asked = _answer_yes(monkeypatch)
    dialog = RestoreDialog(demo_path, window)
    qtbot.addWidget(dialog)
    dialog.finish_summaries()
    dialog.restore_requested.connect(
        lambda source: backups_dialog.restore_database(window, demo_path, source)
    )
    dialog.table.selectRow(0)
    dialog.restore_selected()

    assert "backed up by you, 300 people" in asked[0]
    assert window.database is not None and window.database.path == demo_path
    assert window.members_page.model.rowCount() == 300
    safety = [b for b in list_backups(demo_path) if b.reason == "before-restore"]
    assert len(safety) == 1 and _people(safety[0].path) == 301
    assert "Restored demo.sqlite3" in window.statusBar().currentMessage()


def test_restore_from_a_file_of_another_name(
    qtbot: QtBot,
    window: MainWindow,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_database_file(demo_path)
    copy = tmp_path / "sent by the old treasurer.sqlite3"
    window.back_up_to(copy)
    _add_person(window)
    _answer_yes(monkeypatch)
    dialog = RestoreDialog(demo_path, window)
    qtbot.addWidget(dialog)
    restored: list[Path] = []
    dialog.restore_requested.connect(restored.append)
    dialog.restore_from_file(copy)
    assert restored == [copy]
    assert backups_dialog.restore_database(window, demo_path, copy)
    assert window.members_page.model.rowCount() == 300


def test_a_failed_restore_keeps_the_database_open(
    qtbot: QtBot,
    window: MainWindow,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_database_file(demo_path)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    assert not backups_dialog.restore_database(window, demo_path, tmp_path / "gone.sqlite3")
    assert shown and "does not exist" in shown[0]
    assert window.database is not None and window.database.path == demo_path


def test_changing_how_many_backups_are_kept(qtbot: QtBot, demo_path: Path) -> None:
    for _ in range(4):
        take_backup(demo_path, "manual")
    dialog = RestoreDialog(demo_path)
    qtbot.addWidget(dialog)
    dialog.keep_last.setValue(2)
    dialog.keep_months.setValue(0)
    dialog.apply_retention()
    assert load_retention(demo_path) == RetentionPolicy(2, 0)
    assert dialog.model.rowCount() == 2 and len(list_backups(demo_path)) == 2


def test_a_damaged_database_offers_the_newest_good_backup(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = take_backup(demo_path, "manual")
    damage(demo_path)
    damaged_bytes = demo_path.read_bytes()
    offered: list[tuple[str, BackupFile | None, Path]] = []

    def ask(
        _parent: object, error: DatabaseDamaged, newest: BackupFile | None, kept_as: Path
    ) -> Recovery:
        offered.append((str(error), newest, kept_as))
        return Recovery.RESTORE_NEWEST

    monkeypatch.setattr(backups_dialog, "ask_to_recover", ask)
    assert window.open_database_file(demo_path)

    [(message, newest, kept_as)] = offered
    assert message.startswith("demo.sqlite3 is damaged")
    assert newest is not None and newest.path == good
    assert "-damaged-" in kept_as.name
    kept = [p for p in demo_path.parent.iterdir() if "-damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert window.members_page.model.rowCount() == 300
    assert "the damaged file was kept as" in window.statusBar().currentMessage()


def test_a_damaged_database_left_alone_when_the_user_cancels(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    take_backup(demo_path, "manual")
    damage(demo_path)
    damaged_bytes = demo_path.read_bytes()
    monkeypatch.setattr(backups_dialog, "ask_to_recover", lambda *_args: Recovery.CANCEL)
    assert not window.open_database_file(demo_path)
    assert demo_path.read_bytes() == damaged_bytes
    assert window.database is None


def test_closing_the_window_backs_up_once_a_day(
    qtbot: QtBot, settings: QSettings, demo_path: Path
) -> None:
    for _ in range(2):
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.open_database_file(demo_path)
        window.close()
    on_close = [b for b in list_backups(demo_path) if b.reason == "on-close"]
    assert len(on_close) == 1


def test_a_second_window_is_told_where_the_database_is_open(
    qtbot: QtBot,
    window: MainWindow,
    settings: QSettings,
    demo_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    window.open_database_file(demo_path)
    second = MainWindow(settings)
    qtbot.addWidget(second)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    assert not second.open_database_file(demo_path)
    assert shown == [
        f"demo.sqlite3 is already open in SRO Desktop (on this computer, process {os.getpid()}, "
        f"since {shown[0].split('since ')[1].split(')')[0]}); switch to that window or close it "
        "there first, then open the file again."
    ]
    window.close()
    assert second.open_database_file(demo_path)  # free once the first has closed it


def test_a_synced_folder_is_flagged_in_the_status_bar_and_once_in_a_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    path = tmp_path / "OneDrive - Contoso" / "sro.sqlite3"
    assert window.open_database_file(path)
    assert window.sharing_label.isVisibleTo(window)
    assert "OneDrive" in window.sharing_label.toolTip()
    assert len(shown) == 1 and "one computer at a time" in shown[0]
    window.open_database_file(path)
    assert len(shown) == 1  # once per session is enough


def test_menus_offer_restore_and_audit(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions()]
    assert "Restore from bac&kup…" in texts and "&Audit trail…" in texts
