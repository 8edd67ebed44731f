"""The wizard reads a file as the command line does: the rows are checked while the file
is read (see import_runner.read_and_prepare), and the review uses those checked rows
unless the mapping was changed, when it checks them again with the new one."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from sro_desktop.gui import file_transfer
from sro_desktop.gui.import_wizard import ImportWizard
from sro_desktop.gui.main_window import MainWindow
from tests.spreadsheets.import_files import write_messy_roster

TIMEOUT = 20_000


def _to_mapping(qtbot: QtBot, window: MainWindow, roster: Path) -> ImportWizard:
    wizard = file_transfer.open_import_wizard(window, roster)
    assert wizard is not None
    qtbot.waitUntil(wizard.source_page.isComplete, timeout=TIMEOUT)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.MAPPING, timeout=TIMEOUT)
    return wizard


def _to_review(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.REVIEW, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: wizard.state.review is not None, timeout=TIMEOUT)


def test_the_review_uses_the_rows_checked_while_reading(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    wizard = _to_mapping(qtbot, window, write_messy_roster(tmp_path / "Roster 2026.xlsx"))
    early = wizard.state.parsed_on_reading
    assert early is not None and early.table is wizard.state.table
    assert len(early) == 5  # the five people; not the blank row or the totals row

    _to_review(qtbot, wizard)

    assert wizard.state.parsed is early
    wizard.reject()


def test_a_changed_mapping_checks_the_rows_again(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    wizard = _to_mapping(qtbot, window, write_messy_roster(tmp_path / "Roster 2026.xlsx"))
    assert wizard.state.table is not None
    row = wizard.state.table.headers.index("ST")
    wizard.mapping_page.model.choose(row, None)  # the state column is not imported after all

    _to_review(qtbot, wizard)

    parsed = wizard.state.parsed
    assert parsed is not None and parsed is not wizard.state.parsed_on_reading
    assert "state" not in parsed.values
    assert "state" in (wizard.state.parsed_on_reading or parsed).values
    wizard.reject()
