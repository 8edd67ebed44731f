"""The main window: navigation, pages, the File menu and the status bar.

It owns the open `Database` and broadcasts one `data_changed` per user action; pages decide
for themselves whether to refresh.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from sro_desktop.errors import UserError
from sro_desktop.gui.errors import guarded, show_error
from sro_desktop.gui.pages import LoadingPage
from sro_desktop.gui.recent_files import recent_databases, remember_database
from sro_desktop.gui.task_runner import Progress, TaskRunner
from sro_desktop.services.changes import DataChanged

if TYPE_CHECKING:
    from sro_desktop.db.database import Database
    from sro_desktop.gui.certificates_page import CertificatesPage
    from sro_desktop.gui.finances_page import FinancesPage
    from sro_desktop.gui.meetings_page import MeetingsPage
    from sro_desktop.gui.members_page import MembersPage
    from sro_desktop.services.demo import DemoSummary
    from sro_desktop.services.organization import OrganizationDetails

# The window shows first with these placeholders; the pages, and the database and
# reporting libraries they need, load on the first turn of the event loop (start-up time).
PAGE_NAMES = ("Members", "Meetings", "Certificates", "Finances")

DATABASE_FILTER = "SRO Desktop databases (*.sqlite3 *.sqlite *.db);;All files (*)"
STATUS_MESSAGE_MS = 8000
log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    data_changed = Signal(object)
    database_opened = Signal(object)

    def __init__(
        self, settings: QSettings, parent: QWidget | None = None, *, build_pages: bool = True
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.database: Database | None = None
        self.tasks = TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle("SRO Desktop")

        self.pages: dict[str, QWidget] = {name: LoadingPage(name) for name in PAGE_NAMES}
        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Sections")
        self.stack = QStackedWidget()
        for name, page in self.pages.items():
            self.navigation.addItem(name)
            self.stack.addWidget(page)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.navigation.setCurrentRow(0)
        self.navigation.setMaximumWidth(220)

        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([160, 940])
        self.setCentralWidget(splitter)

        self.database_label = QLabel()
        self.sharing_label = QLabel()
        self.sharing_label.hide()
        self._warned_paths: set[Path] = set()
        self.statusBar().addPermanentWidget(self.sharing_label)
        self.statusBar().addPermanentWidget(self.database_label)
        self._build_menus()
        self._restore_geometry()
        self.pages_built = False
        if build_pages:
            self.build_pages()

    def build_pages(self) -> None:
        """Make the real pages and their menus (the heavy imports happen here)."""
        self.install_shortcuts()
        from sro_desktop.gui import file_transfer
        from sro_desktop.gui.certificates_page import CertificatesPage
        from sro_desktop.gui.finances_page import FinancesPage
        from sro_desktop.gui.meetings_page import MeetingsPage
        from sro_desktop.gui.members_page import MembersPage

        current = self.navigation.currentRow()
        self.members_page: MembersPage = MembersPage()
        self.set_page("Members", self.members_page)
        self.members_page.demo_requested.connect(lambda: self.load_demo_data())
        self.data_changed.connect(self.members_page.on_data_changed)
        # Meetings (issue 5): registrations, check-in, attendance and credits.
        self.meetings_page: MeetingsPage = MeetingsPage(self.undo_stack)
        self.set_page("Meetings", self.meetings_page)
        self.meetings_page.changed.connect(self.data_changed.emit)
        self.meetings_page.status_message.connect(
            lambda message: self.statusBar().showMessage(message, STATUS_MESSAGE_MS)
        )
        self.data_changed.connect(self.meetings_page.on_data_changed)
        self.database_opened.connect(self.meetings_page.set_database)
        # Finances (issue 7): the page announces its changes; the window broadcasts them.
        self.finances_page: FinancesPage = FinancesPage(self.undo_stack, self.tasks)
        self.set_page("Finances", self.finances_page)
        self.finances_page.data_changed.connect(self.data_changed.emit)
        self.data_changed.connect(self.finances_page.on_data_changed)
        self.database_opened.connect(self.finances_page.set_database)
        # Certificates (issue 6): issuing, the register, sign-in sheets, badges, transcripts.
        self.certificates_page: CertificatesPage = CertificatesPage(self.tasks, self.settings)
        self.set_page("Certificates", self.certificates_page)
        self.certificates_page.data_changed.connect(self.data_changed.emit)
        self.certificates_page.status_message.connect(
            lambda message: self.statusBar().showMessage(message, STATUS_MESSAGE_MS)
        )
        self.data_changed.connect(self.certificates_page.on_data_changed)
        self.database_opened.connect(self.certificates_page.set_database)
        file_transfer.install(self)  # File > Import…, Export, Import history; drops (issue 4)
        self.members_page.install(self)  # Members menu, undo and broadcast (issue 3)
        # Replacing the placeholders moved the stack's current page; show the chosen one.
        self.navigation.setCurrentRow(max(current, 0))
        self.stack.setCurrentIndex(self.navigation.currentRow())
        self.pages_built = True

    # -- menus ---------------------------------------------------------------------------

    def set_page(self, name: str, page: QWidget) -> None:
        """Put `page` in the navigation under `name`, replacing a placeholder of that name."""
        if name in self.pages:
            old = self.pages[name]
            index = self.stack.indexOf(old)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
        else:
            self.navigation.addItem(name)
            self.stack.addWidget(page)
        self.pages[name] = page

    def print_current(self) -> None:
        """File > Print…: the current page prints what it previews (if it can)."""
        page = self.stack.currentWidget()
        printer = getattr(page, "print_current", None)
        if not callable(printer) or not printer():
            self.statusBar().showMessage(
                "Nothing to print here; open a preview first.", STATUS_MESSAGE_MS
            )

    def show_page(self, name: str) -> None:
        self.navigation.setCurrentRow(list(self.pages).index(name))

    def _build_menus(self) -> None:
        # Shortcuts are set by install_shortcuts(), after the first paint: the first
        # setShortcut() makes PySide6 build the Qt namespace's enums (~50 ms of start-up).
        self._shortcuts: list[tuple[QAction, QKeySequence.StandardKey]] = []
        self._shortcuts_installed = False
        file_menu = self.file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action(
            file_menu, "&New database…", self.new_database_dialog, QKeySequence.StandardKey.New
        )
        self.open_action = self._action(
            file_menu, "&Open database…", self.open_database_dialog, QKeySequence.StandardKey.Open
        )
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.backup_action = self._action(file_menu, "&Back up now…", self.back_up_dialog)
        self.restore_action = self._action(
            file_menu, "Restore from bac&kup…", self.restore_backup_dialog
        )
        self.audit_action = self._action(file_menu, "&Audit trail…", self.audit_trail_dialog)
        # The organization's settings (issue 9); Ctrl+, where the platform has no key of its own.
        self.settings_action = self._action(
            file_menu, "&Settings…", self.settings_dialog, QKeySequence.StandardKey.Preferences
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addSeparator()
        self.print_action = self._action(
            file_menu, "&Print…", self.print_current, QKeySequence.StandardKey.Print
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        # One undo history for the session: features push QUndoCommands onto it.
        self.edit_menu = self.menuBar().addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        self._shortcuts.append((undo, QKeySequence.StandardKey.Undo))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        self._shortcuts.append((redo, QKeySequence.StandardKey.Redo))
        # The stack keeps the actions' text and enabled state; triggering them goes
        # through step_history, which says in the status bar what was undone or redone.
        undo.triggered.disconnect()
        undo.triggered.connect(lambda: self.step_history(undo=True))
        redo.triggered.disconnect()
        redo.triggered.connect(lambda: self.step_history(undo=False))
        self.edit_menu.addAction(undo)
        self.edit_menu.addAction(redo)
        self.edit_menu.addSeparator()
        # Ctrl+F: the search box of the page shown (issue 9); pages offer focus_search().
        self.find_action = self._action(
            self.edit_menu, "&Find…", self.focus_search, QKeySequence.StandardKey.Find
        )
        help_menu = self.help_menu = self.menuBar().addMenu("&Help")
        self.help_action = self._action(
            help_menu, "&User guide", self.show_help, QKeySequence.StandardKey.HelpContents
        )
        help_menu.addSeparator()
        self.about_action = self._action(help_menu, "&About SRO Desktop", self._about)

    def step_history(self, *, undo: bool) -> None:
        """Edit > Undo or Redo, then "Undone: <action>" / "Redone: <action>" in the status
        bar. A step that was refused drops out of the history and says why itself."""
        stack = self.undo_stack
        if not (stack.canUndo() if undo else stack.canRedo()):
            return
        text = stack.undoText() if undo else stack.redoText()
        steps = stack.count()
        if undo:
            stack.undo()
        else:
            stack.redo()
        if stack.count() == steps and text:
            done = "Undone" if undo else "Redone"
            self.statusBar().showMessage(f"{done}: {text}", STATUS_MESSAGE_MS)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        shortcut: QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if self._shortcuts_installed:
                action.setShortcut(QKeySequence(shortcut))
            else:
                self._shortcuts.append((action, shortcut))
        assert callable(slot)
        action.triggered.connect(guarded(self, text.replace("&", "").rstrip("…"), slot))
        menu.addAction(action)
        return action

    def install_shortcuts(self) -> None:
        """Give the window's actions their keys (once; build_pages() calls it)."""
        if self._shortcuts_installed:
            return
        self._shortcuts_installed = True
        for action, key in self._shortcuts:
            action.setShortcut(QKeySequence(key))
        if self.settings_action.shortcut().isEmpty():  # no Preferences key on this system
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = recent_databases(self.settings)
        for path in paths:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_database_file(p))
        if not paths:
            self.recent_menu.addAction("No recent databases").setEnabled(False)

    def _about(self) -> None:
        from sro_desktop.gui.about_dialog import show_about

        show_about(self, self.database.path if self.database is not None else None)

    def show_help(self) -> None:
        """Help > User guide (F1): the guide in a window of its own."""
        from sro_desktop.gui.help_window import show_help

        show_help(self)

    def focus_search(self) -> None:
        """Edit > Find (Ctrl+F): the cursor into the search box of the page shown."""
        focus = getattr(self.stack.currentWidget(), "focus_search", None)
        if not callable(focus) or not focus():
            self.statusBar().showMessage("There is nothing to search here.", STATUS_MESSAGE_MS)

    # -- the database --------------------------------------------------------------------

    def open_database_file(self, path: Path) -> bool:
        """Open `path` (creating it if new) and show it; on failure keep what was open."""
        from sro_desktop.db.database import open_database
        from sro_desktop.db.integrity import DatabaseDamaged
        from sro_desktop.gui import backups_dialog

        if not self.pages_built:
            self.build_pages()
        if self.database is not None and self.database.path == path.expanduser().absolute():
            self.close_database(backup=False)  # opening it again: let go of our own lock
        try:
            database = open_database(path)
        except DatabaseDamaged as error:
            return backups_dialog.offer_recovery(self, error)
        except UserError as error:
            show_error(self, "Could not open the database", error)
            return False
        self.close_database()
        self.database = database
        self.undo_stack.clear()  # undo steps belong to the database they changed
        remember_database(self.settings, database.path)
        self.settings.setValue("folders/last", str(database.path.parent))
        self.database_label.setText(f"Database: {database.path}")
        self.setWindowTitle(f"{database.path.name} — SRO Desktop")
        self.members_page.set_database(database)
        self.database_opened.emit(database)
        message = f"Opened {database.path}"
        if database.migration_backup is not None:
            message += f"; upgraded it after saving a backup to {database.migration_backup}"
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)
        self._show_sharing_warnings(database)
        return True

    def _show_sharing_warnings(self, database: Database) -> None:
        """A database in a synced folder (or last opened elsewhere) gets a lasting note in
        the status bar, and a dialog the first time in this session."""
        self.sharing_label.setVisible(bool(database.warnings))
        if not database.warnings:
            return
        self.sharing_label.setText("⚠ Open on one computer at a time")
        self.sharing_label.setToolTip("\n\n".join(database.warnings))
        if database.path not in self._warned_paths:
            self._warned_paths.add(database.path)
            QMessageBox.warning(self, "Shared database", "\n\n".join(database.warnings))

    def close_database(self, *, backup: bool = True) -> None:
        """Close the open database (releasing its lock), after the day's on-close backup."""
        database = self.database
        if database is None:
            return
        from sro_desktop.db.backup import take_backup_if_due

        self.tasks.wait_until_idle()
        if backup:
            try:
                take_backup_if_due(database.path, "on-close")
            except (OSError, sqlite3.Error) as error:
                log.warning("the on-close backup failed: %s", error)
        self.members_page.set_database(None)  # lets go of the list's reading connection
        database.close()
        self.database = None

    def restore_backup_dialog(self) -> None:
        from sro_desktop.gui import backups_dialog

        if self.database is None:
            return
        dialog = backups_dialog.RestoreDialog(self.database.path, self)
        path = self.database.path
        dialog.restore_requested.connect(
            lambda source: backups_dialog.restore_database(self, path, source)
        )
        dialog.exec()

    def settings_dialog(self) -> None:
        from sro_desktop.gui.settings_dialog import open_settings

        open_settings(self)

    def audit_trail_dialog(self) -> None:
        from sro_desktop.gui import audit_view

        if self.database is not None:
            audit_view.show_audit_trail(self, self.database, self.settings)

    def _last_folder(self) -> str:
        return str(self.settings.value("folders/last", str(Path.home())))

    def new_database_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "New database",
            str(Path(self._last_folder()) / "organization.sqlite3"),
            DATABASE_FILTER,
        )
        if name:
            path = Path(name)
            if path.exists() and path.stat().st_size > 0:
                show_error(
                    self,
                    "New database",
                    UserError(
                        f"{path.name} already exists; choose Open database to open it, "
                        "or pick a new name."
                    ),
                )
                return
            self.open_database_file(path)

    def open_database_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open database", self._last_folder(), DATABASE_FILTER
        )
        if name:
            self.open_database_file(Path(name))

    def back_up_dialog(self) -> None:
        from sro_desktop.db.backup import backup_dir_for

        if self.database is None:
            return
        folder = backup_dir_for(self.database.path)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y-%m-%d %H%M")
        suggested = folder / f"{self.database.path.stem} backup {stamp}.sqlite3"
        name, _ = QFileDialog.getSaveFileName(self, "Back up now", str(suggested), DATABASE_FILTER)
        if name:
            self.back_up_to(Path(name))

    def back_up_to(self, destination: Path) -> None:
        from sro_desktop.db.backup import copy_database

        assert self.database is not None
        try:
            copy_database(self.database.path, destination)
        except OSError as error:
            show_error(
                self,
                "Back up now",
                UserError(
                    f"The backup could not be written to {destination} ({error.strerror}); "
                    "choose another folder."
                ),
            )
            return
        self.statusBar().showMessage(f"Backed up to {destination}", STATUS_MESSAGE_MS)

    def load_demo_data(self, typed: OrganizationDetails | None = None) -> None:
        """Fill the (empty) database with the demo data in the background; `typed` is what
        the welcome was told of the organization, kept over the demo's (see services.demo)."""
        from sro_desktop.services.demo import fill_demo_data

        database = self.database
        if database is None or self.tasks.busy:
            return

        def work(progress: Progress) -> DemoSummary:
            progress.report(0, 0, "Adding the demo organization…")
            with database.transaction(action="Load demo data") as session:
                return fill_demo_data(session, date.today(), typed=typed)

        def done(summary: DemoSummary) -> None:
            self.data_changed.emit(DataChanged.everything("demo data loaded"))
            self.statusBar().showMessage(
                f"Loaded demo data: {summary.members} members and {summary.meetings} meetings",
                STATUS_MESSAGE_MS,
            )

        self.tasks.run(
            "Loading demo data", work, done, lambda error: show_error(self, "Load demo data", error)
        )

    # -- window state --------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(QSize(1100, 700))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        self.close_database()
        super().closeEvent(event)
