"""The Edit > Undo step of a member action: it holds the action's recorded row changes
(see `services.row_changes`) and puts them back, or makes them again, each in its own
transaction. The action itself was already done when the step is pushed.

A step that cannot be undone (someone changed those records since) says why and drops out
of the undo history, so the history never claims to undo what it cannot.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from sro_desktop.services.row_changes import RowChanges

# Runs "undo" or "redo" of the changes; returns False when it was refused.
Replay = Callable[[RowChanges, str, bool], bool]


class RowChangesCommand(QUndoCommand):
    def __init__(self, text: str, changes: RowChanges, replay: Replay) -> None:
        super().__init__(text)
        self.changes = changes
        self._replay = replay
        self._done = True  # pushed after the action ran: the first redo() does nothing

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        if not self._replay(self.changes, self.text(), False):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self._replay(self.changes, self.text(), True):
            self.setObsolete(True)
