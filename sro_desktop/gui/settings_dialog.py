"""File > Settings…: the organization's details, as certificates, receipts and reports
print them, with the currency, fiscal year and grace days the books and statuses use.

Saving is one transaction ("Edit settings") and one Edit > Undo step; every page hears of
it through `data_changed` (table "organization_settings") and refreshes what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QVBoxLayout, QWidget

from sro_desktop.errors import UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.organization_form import SETTINGS_COLUMNS, OrganizationForm
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.organization import (
    OrganizationDetails,
    organization_details,
    restore_organization_details,
    update_organization_settings,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from sro_desktop.db.database import Database
    from sro_desktop.gui.main_window import MainWindow

ACTION = "Edit settings"
SETTINGS_CHANGED = DataChanged(frozenset({"organization_settings"}), "Saved the settings")


class SettingsDialog(QDialog):
    """The form over the saved settings; `saved` holds (before, after) once saved."""

    def __init__(
        self,
        database: Database,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.database = database
        self.saved: tuple[OrganizationDetails, OrganizationDetails] | None = None
        with database.session() as session:
            self.before = organization_details(session)
        self.form = OrganizationForm(SETTINGS_COLUMNS, settings)
        self.form.set_details(self.before)
        note = QLabel(
            "What certificates, receipts and reports print about your organization. "
            "Certificates already issued keep what they printed."
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save is not None
        self.save_button = save
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # Grow, rather than squeeze, when a message appears under a field.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addStretch()
        layout.addWidget(self.buttons)
        self._can_save: bool | None = None
        self.form.on_change = self._refresh
        self._refresh()

    def _refresh(self) -> None:
        problems = self.form.problems()
        self.form.show_problems(problems)
        if self._can_save != (not problems):  # every key press: touch only a change
            self._can_save = not problems
            self.save_button.setEnabled(self._can_save)

    def save(self) -> None:
        details = self.form.details()
        try:
            with self.database.transaction(action=ACTION) as session:
                update_organization_settings(session, details)
                after = organization_details(session)
        except UserError as error:
            show_error(self, "Save the settings", error)
            return
        self.saved = (self.before, after)
        self.accept()


class SettingsCommand(QUndoCommand):
    """Edit > Undo of a settings edit: puts the earlier settings back (and redo again)."""

    def __init__(
        self,
        before: OrganizationDetails,
        after: OrganizationDetails,
        apply: Callable[[OrganizationDetails, str], bool],
    ) -> None:
        super().__init__(ACTION)
        self.before = before
        self.after = after
        self._apply = apply
        self._done = True  # pushed after saving: the first redo() does nothing

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        if not self._apply(self.after, f"Redo {ACTION.lower()}"):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self._apply(self.before, f"Undo {ACTION.lower()}"):
            self.setObsolete(True)


def open_settings(window: MainWindow) -> SettingsDialog | None:
    """File > Settings…: show the dialog; once saved, broadcast and add an undo step."""
    database = window.database
    if database is None:
        show_error(window, "Settings", UserError("Open or create a database first (File menu)."))
        return None
    dialog = SettingsDialog(database, window.settings, window)

    def apply(details: OrganizationDetails, action: str) -> bool:
        if window.database is not database:
            return False
        try:
            with database.transaction(action=action) as session:
                restore_organization_details(session, details)
        except UserError as error:
            show_error(window, action, error)
            return False
        window.data_changed.emit(SETTINGS_CHANGED)
        return True

    def saved() -> None:
        if dialog.saved is None:
            return
        before, after = dialog.saved
        window.data_changed.emit(SETTINGS_CHANGED)
        if before != after:
            window.undo_stack.push(SettingsCommand(before, after, apply))
        window.statusBar().showMessage("Saved the settings.", 8000)

    dialog.accepted.connect(saved)
    dialog.open()
    return dialog
