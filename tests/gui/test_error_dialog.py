"""An unexpected error: a dialog saying what failed and where the log is, a traceback in
the log (without member data), and the data as it was before the action."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sro_desktop.db.models import Member
from sro_desktop.errors import DataRefused
from sro_desktop.gui.errors import exception_hook, failure_location, install_exception_hook
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.logs import configure_logging, log_file

SECRET = "private.person@clinic.example.org"


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    shown: list[tuple[str, str, str]] = []
    for kind in ("critical", "warning"):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            lambda _parent, title, text, kind=kind: shown.append((kind, title, text)),
        )
    return shown


@pytest.fixture
def app_log() -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers)
    path = configure_logging()
    assert path is not None
    try:
        yield path
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def _people(window: MainWindow) -> int:
    assert window.database is not None
    with window.database.session() as session:
        return int(session.scalar(select(func.count(Member.id))) or 0)


def test_a_failing_menu_action_rolls_back_and_says_what_failed(
    qtbot: QtBot,
    window: MainWindow,
    demo_path: Path,
    dialogs: list[tuple[str, str, str]],
    app_log: Path,
) -> None:
    window.open_database_file(demo_path)
    before = _people(window)

    def half_done_change() -> None:
        assert window.database is not None
        with window.database.transaction(action="Add a colleague") as session:
            session.add(Member(first_name="Half", last_name="Done", email=SECRET))
            session.flush()
            raise KeyError(f"no column for {SECRET}")

    action = window._action(window.edit_menu, "Add a &colleague…", half_done_change)
    action.trigger()

    assert _people(window) == before  # nothing of the action was saved
    [(kind, title, text)] = dialogs
    assert (kind, title) == ("critical", "Add a colleague")
    assert text.startswith("“Add a colleague” did not complete because of a problem inside")
    assert "KeyError in test_error_dialog.py, line" in text
    assert "nothing of this action was saved" in text
    assert str(log_file()) in text
    logged = app_log.read_text(encoding="utf-8")
    assert "Add a colleague failed" in logged and "Traceback" in logged and "KeyError" in logged
    assert SECRET not in logged


def test_a_user_error_in_an_action_is_its_sentence(
    qtbot: QtBot, window: MainWindow, dialogs: list[tuple[str, str, str]]
) -> None:
    def refuse() -> None:
        raise DataRefused("Row 4 has no last name; fill it in and import again.")

    window._action(window.edit_menu, "Import", refuse).trigger()
    assert dialogs == [
        ("warning", "Import", "Row 4 has no last name; fill it in and import again.")
    ]


def test_the_exception_hook_logs_and_shows_an_unnamed_failure(
    qtbot: QtBot, dialogs: list[tuple[str, str, str]], app_log: Path
) -> None:
    previous = sys.excepthook
    install_exception_hook()
    try:
        assert sys.excepthook is exception_hook
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook = previous
    [(kind, title, text)] = dialogs
    assert (kind, title) == ("critical", "Unexpected error")
    assert text.startswith("What you just did did not complete")
    assert "ZeroDivisionError in test_error_dialog.py" in text
    assert "ZeroDivisionError: division by zero" in app_log.read_text(encoding="utf-8")


def test_failure_location_prefers_our_own_code() -> None:
    try:
        int("not a number")
    except ValueError as error:
        where = failure_location(error)
    assert where.startswith("ValueError in test_error_dialog.py, line ")
    assert where.endswith("(test_failure_location_prefers_our_own_code)")
    assert failure_location(RuntimeError()) == "RuntimeError"
