"""Running one member action the way every screen of the members feature does: one
transaction, its row changes recorded for Edit > Undo, one `MembersChanged` broadcast, a
line in the status bar, and a plain message when it is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import report_bug, show_error
from sro_desktop.gui.row_changes_command import RowChangesCommand
from sro_desktop.gui.task_runner import Cancelled, Progress
from sro_desktop.services.member_editing import MembersChanged
from sro_desktop.services.row_changes import (
    RowChanges,
    recording_row_changes,
    redo_row_changes,
    undo_row_changes,
)

if TYPE_CHECKING:
    from sro_desktop.gui.main_window import MainWindow

T = TypeVar("T")
STATUS_MESSAGE_MS = 8000
# Tables whose changed rows reach beyond the people they name (an organization's type is
# shown for everyone who works there): a change there rebuilds the whole list.
_WIDE_TABLES = frozenset({"employers", "membership_types", "organization_settings"})


def members_changed(changes: RowChanges, summary: str) -> MembersChanged:
    """The broadcast for recorded changes: which tables, and which people if that is all."""
    tables = changes.tables | {"members"}
    wide = any(c.table in _WIDE_TABLES and c.action != "insert" for c in changes.changes)
    ids = frozenset() if wide else changes.member_ids
    return MembersChanged(frozenset(tables), summary, ids)


class MemberActions:
    """The members feature's link to the window: database, undo stack, broadcast."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        # The day statuses, renewals and payments are reckoned on (tests set their own).
        self.today: Callable[[], date] = date.today

    @property
    def database(self) -> Database | None:
        return self.window.database

    def read(self, work: Callable[[Session], T]) -> T:
        """Read something in a short session (raises UserError without a database)."""
        database = self.database
        if database is None:
            raise UserError("No database is open; open one with File > Open database.")
        with database.session() as session:
            return work(session)

    def run(
        self,
        what: str,
        work: Callable[[Session], T],
        summary: Callable[[T], str] | None = None,
        parent: QWidget | None = None,
    ) -> tuple[bool, T | None]:
        """Do `work` as one undoable action named `what`; (False, None) if it failed (the
        failure was shown)."""
        database = self.database
        try:
            if database is None:
                raise UserError("No database is open; open one with File > Open database.")
            with (
                database.transaction(action=what) as session,
                recording_row_changes(session) as changes,
            ):
                result = work(session)
        except UserError as error:
            show_error(parent or self.window, what, error)
            return False, None
        except Exception as error:
            report_bug(parent or self.window, what, error)
            return False, None
        self.finish(what, changes, summary(result) if summary else what)
        return True, result

    def run_in_background(
        self,
        what: str,
        work: Callable[[Session, Progress], T],
        summary: Callable[[T], str],
        done: Callable[[T], None] | None = None,
    ) -> None:
        """Like `run`, for long work: in the task runner, with progress and Cancel."""
        database = self.database
        if database is None or self.window.tasks.busy:
            return

        def background(progress: Progress) -> tuple[T, RowChanges]:
            with database.transaction(action=what) as session:
                with recording_row_changes(session) as changes:
                    result = work(session, progress)
                progress.check()
            return result, changes

        def finished(outcome: Any) -> None:
            result, changes = outcome
            self.finish(what, changes, summary(result))
            if done is not None:
                done(result)

        def failed(error: BaseException) -> None:
            if isinstance(error, Cancelled):
                self.window.statusBar().showMessage(f"{what}: stopped; nothing was changed")
            elif isinstance(error, UserError):
                show_error(self.window, what, error)
            else:
                report_bug(self.window, what, error)

        self.window.tasks.run(what, background, finished, failed)

    def finish(self, what: str, changes: RowChanges, message: str) -> None:
        """Push the undo step and tell every screen."""
        if changes:
            self.window.undo_stack.push(RowChangesCommand(what, changes, self.replay))
        self.window.data_changed.emit(members_changed(changes, message))
        self.window.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def replay(self, changes: RowChanges, what: str, undo: bool) -> bool:
        """Undo (or redo) recorded changes as one transaction; False if refused."""
        verb = "Undo" if undo else "Redo"
        database = self.database
        try:
            if database is None:
                raise UserError("No database is open.")
            with database.transaction(action=f"{verb} {what}") as session:
                if undo:
                    undo_row_changes(session, changes, what)
                else:
                    redo_row_changes(session, changes, what)
        except UserError as error:
            show_error(self.window, f"{verb} {what}", error)
            return False
        except Exception as error:
            report_bug(self.window, f"{verb} {what}", error)
            return False
        message = f"{'Undid' if undo else 'Redid'}: {what}"
        self.window.data_changed.emit(members_changed(changes, message))
        self.window.statusBar().showMessage(message, STATUS_MESSAGE_MS)
        return True
