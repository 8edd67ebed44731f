"""Running a meetings action from the GUI: one transaction, its failure shown, its change
announced; and the undoable form for Edit > Undo (check-in, session marks).

A step that fails (refused, or changed elsewhere meanwhile) is reported and its command
drops out of the undo history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import report_bug
from sro_desktop.services.changes import DataChanged

T = TypeVar("T")
MEETING_TABLES = frozenset({"meetings", "meeting_sessions"})
REGISTRATION_TABLES = frozenset({"registrations", "session_attendance", "attendance_intervals"})
MONEY_TABLES = REGISTRATION_TABLES | {"payments"}


@dataclass
class ActionContext:
    """What actions need from the screen: the open database, where to announce a change,
    and how to show a refusal (a dialog on the page, a red line at the door)."""

    database: Callable[[], Database | None]
    announce: Callable[[DataChanged], None]
    refuse: Callable[[str, UserError], None]
    last_error: BaseException | None = field(default=None)


def run_action(
    context: ActionContext,
    action: str,
    work: Callable[[Session], T],
    tables: frozenset[str],
    summary: Callable[[T], str] | None = None,
) -> T | None:
    """Run `work` in one transaction named `action`; None when it failed (and was shown)."""
    context.last_error = None
    database = context.database()
    if database is None:
        return None
    try:
        with database.transaction(action=action) as session:
            result = work(session)
    except UserError as error:
        context.last_error = error
        context.refuse(action, error)
        return None
    except Exception as error:
        context.last_error = error
        report_bug(None, action, error)
        return None
    context.announce(DataChanged(tables, summary(result) if summary else action))
    return result


class StepCommand(QUndoCommand):
    """An undoable action: `do` on redo, `undo_step` on undo, each one transaction that
    returns the sentence for the status line."""

    def __init__(
        self,
        text: str,
        context: ActionContext,
        do: Callable[[Session], str],
        undo_step: Callable[[Session], str],
        tables: frozenset[str] = REGISTRATION_TABLES,
    ) -> None:
        super().__init__(text)
        self._context = context
        self._do = do
        self._undo = undo_step
        self._tables = tables

    def _run(self, action: str, step: Callable[[Session], str]) -> None:
        if run_action(self._context, action, step, self._tables, lambda message: message) is None:
            self.setObsolete(True)

    def redo(self) -> None:
        self._run(self.text(), self._do)

    def undo(self) -> None:
        self._run(f"Undo {self.text()[0].lower()}{self.text()[1:]}", self._undo)
