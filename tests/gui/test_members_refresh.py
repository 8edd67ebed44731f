"""The Members page after a broad change (an import, F5): the list is rebuilt in the
background while the window keeps answering, and the new rows then show with the
selection and scroll position where they were."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, update

from sro_desktop.db.models import Member
from sro_desktop.gui import members_page
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.members_model import BATCH
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.member_editing import MembersChanged
from sro_desktop.services.members import member_rows

DAY = date(2026, 11, 27)
PEOPLE = 12_000


@pytest.fixture(scope="module")
def big_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_members_view import make_large_database

    path = tmp_path_factory.mktemp("members") / "big.sqlite3"
    make_large_database(path, members=PEOPLE, today=DAY)
    return path


@pytest.fixture
def page_window(window: MainWindow, big_path: Path, tmp_path: Path) -> MainWindow:
    copy = tmp_path / "big.sqlite3"
    copy.write_bytes(big_path.read_bytes())
    assert window.open_database_file(copy)
    assert window.members_page.member_actions is not None
    window.members_page.member_actions.today = lambda: DAY
    window.members_page.reload()
    return window


def _wait_for_rebuild(qtbot: QtBot, window: MainWindow) -> list[int]:
    """Wait for the rebuild to finish, counting the ticks of a 10 ms timer meanwhile."""
    page = window.members_page
    ticks: list[int] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1) if page.rebuilding else None)
    timer.start()
    qtbot.waitUntil(lambda: not page.rebuilding, timeout=60_000)
    timer.stop()
    return ticks


def _add_person(window: MainWindow, first: str, last: str) -> int:
    assert window.database is not None
    with window.database.transaction(action="Import") as session:
        result = session.execute(
            insert(Member).returning(Member.id),
            [{"first_name": first, "last_name": last, "email": f"{first}@example.net"}],
        )
        return int(result.scalar_one())


def test_a_broad_change_rebuilds_in_the_background(qtbot: QtBot, page_window: MainWindow) -> None:
    window = page_window
    page = window.members_page
    _wait_for_rebuild(qtbot, window)
    shown = int(page.count_label.text().split()[0].replace(",", ""))
    # Scroll into the second page of rows and select someone there.
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.loaded() >= BATCH * 2)
    page.table.selectRow(BATCH + 200)
    chosen = page.selected_member_id()
    assert chosen is not None
    page.table.scrollTo(page.model.index(BATCH + 200, 0))
    scroll = page.table.verticalScrollBar().value()
    assert scroll > 0

    added = _add_person(window, "Aaron", "Aardvark")  # sorts first: every row moves down
    window.data_changed.emit(DataChanged.everything("imported 1 member"))

    # The call returned at once with the rebuild still running, the old rows on screen.
    assert page.rebuilding
    assert page.count_label.text() == f"{shown:,} people · updating…"
    assert page.model.row_at(0).id != added
    ticks = _wait_for_rebuild(qtbot, window)
    assert len(ticks) >= 3, "the GUI thread was blocked while the list was rebuilt"

    # The rows are right afterwards: the newcomer first, then everyone in name order.
    assert page.count_label.text() == f"{shown + 1:,} people"
    assert window.database is not None
    with window.database.session() as session:
        expected = [row.id for row in member_rows(session, DAY)]
    loaded = page.model.loaded()
    assert loaded >= BATCH * 2
    assert [page.model.row_at(r).id for r in range(loaded)] == expected[:loaded]
    assert page.model.row_at(0).id == added
    # The same person is still selected, and the view has not jumped.
    assert page.selected_member_id() == chosen
    assert page.table.verticalScrollBar().value() == scroll


def test_changes_during_a_rebuild_are_not_lost(qtbot: QtBot, page_window: MainWindow) -> None:
    window = page_window
    page = window.members_page
    _wait_for_rebuild(qtbot, window)
    page.reload()  # F5
    assert page.rebuilding
    # An edit of one person and another broad change arrive while the list is built.
    first = page.model.row_at(0).id
    assert window.database is not None
    with window.database.transaction(action="Edit member") as session:
        session.execute(update(Member).where(Member.id == first).values(last_name="Zzyzx"))
    window.data_changed.emit(MembersChanged(frozenset({"members"}), "edit", frozenset({first})))
    added = _add_person(window, "Abel", "Aardvark")
    window.data_changed.emit(DataChanged.everything("imported 1 member"))
    _wait_for_rebuild(qtbot, window)
    assert page.model.row_at(0).id == added
    assert first not in [page.model.row_at(r).id for r in range(10)]
    page.search_edit.setText("zzyzx")
    page.refresh()
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [first]


def test_closing_the_database_during_a_rebuild(qtbot: QtBot, page_window: MainWindow) -> None:
    window = page_window
    page = window.members_page
    _wait_for_rebuild(qtbot, window)
    page.reload()
    assert page.rebuilding
    window.close_database()
    assert not page.rebuilding
    assert page.model.rowCount() == 0


def test_a_large_database_opens_at_once_and_its_list_follows(
    qtbot: QtBot,
    window: MainWindow,
    big_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(members_page, "FIRST_BUILD_IN_BACKGROUND", PEOPLE // 2)
    copy = tmp_path / "big.sqlite3"
    copy.write_bytes(big_path.read_bytes())
    assert window.open_database_file(copy)
    page = window.members_page
    # The window is back at once: the list is still being built.
    assert page.rebuilding and not page.list_ready
    assert page.count_label.text() == f"Loading {PEOPLE:,} people…"
    assert page.loading_label.isVisibleTo(page)
    assert f"Loading the list of {PEOPLE:,} people" in page.loading_label.text()
    assert page.model.rowCount() == 0
    assert not page.copy_action.isEnabled() and not page.renew_shown_action.isEnabled()
    assert page.new_action.isEnabled()
    # A search typed meanwhile neither builds the list at once nor is lost.
    page.search_edit.setText("zzyzx")
    page.refresh()
    assert not page.list_ready
    with window.database.transaction(action="Edit member") as session:  # type: ignore[union-attr]
        session.execute(update(Member).where(Member.id == 7).values(last_name="Zzyzx"))
    window.data_changed.emit(MembersChanged(frozenset({"members"}), "edit", frozenset({7})))
    ticks = _wait_for_rebuild(qtbot, window)
    assert len(ticks) >= 3, "the GUI thread was blocked while the list was built"
    assert page.list_ready and page.copy_action.isEnabled()
    assert not page.loading_label.isVisibleTo(page)
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [7]
    assert page.count_label.text() == "1 person"
    page.search_edit.setText("")
    page.refresh()
    assert page.count_label.text() == f"{PEOPLE:,} people"
