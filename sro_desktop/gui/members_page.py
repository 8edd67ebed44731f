"""The Members page: the list with a search box that filters as you type and filters for
status, membership type, state and organization type, all combined; and the Members menu
with everything done to people (add, edit, open a member's page, dues, renewals,
duplicates, membership types).

The list reads from a prepared member list on its own connection (`MemberListReader`),
a page of rows at a time, so it stays quick with a hundred thousand people. After a broad
change (an import, F5) the list is rebuilt in the background while the old one stays on
screen; the new rows then take its place with the selection and scroll position kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.db.models import EmployerType
from sro_desktop.gui.column_fitting import fit_columns
from sro_desktop.gui.dues_payment_dialog import dues_payment_dialog
from sro_desktop.gui.duplicates_view import duplicates_view
from sro_desktop.gui.errors import guarded, report_bug
from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.member_dialog import add_member_dialog, edit_member_dialog
from sro_desktop.gui.member_list_reader import (
    REFRESH_LIMIT,
    ListBuild,
    ListView,
    MemberListReader,
    read_view,
)
from sro_desktop.gui.member_record_dialog import open_member_record
from sro_desktop.gui.member_removal import archive_member, delete_member_asking
from sro_desktop.gui.members_model import MembersTableModel
from sro_desktop.gui.membership_types_dialog import membership_types_dialog
from sro_desktop.gui.renewal_dialogs import renew_many, renew_member_dialog
from sro_desktop.gui.renewals_due_view import renewals_due_view
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.member_editing import MembersChanged, get_member
from sro_desktop.services.members import FilterChoices, MemberFilter
from sro_desktop.services.membership_status import MemberStatus
from sro_desktop.services.memberships import bcc_list
from sro_desktop.services.regions import REGION_BY_CODE

if TYPE_CHECKING:
    from sro_desktop.gui.main_window import MainWindow

SEARCH_DELAY_MS = 150
BUILD_POLL_MS = 25  # how often the GUI thread looks at a list being rebuilt
#: From this many people, a newly opened database's list is built in the background (a
#: second at 100,000) while the window is already usable; below, at once.
FIRST_BUILD_IN_BACKGROUND = 20_000


@contextmanager
def _busy() -> Iterator[None]:
    """The wait cursor while the list is rebuilt (a second or so at 100,000 people)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


_WATCHED = (
    "*",
    "members",
    "memberships",
    "payments",
    "employers",
    "membership_types",
    "organization_settings",
    "not_duplicate_pairs",
)


class MembersPage(QWidget):
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self._reader: MemberListReader | None = None
        self.member_actions: MemberActions | None = None
        self.model = MembersTableModel(parent=self)
        self.total = 0
        # A rebuild of the list running in the background, and what arrived meanwhile.
        self._build: ListBuild[ListView] | None = None
        self._build_again = False
        self._changed_while_building: set[int] = set()
        self._build_timer = QTimer(self, interval=BUILD_POLL_MS)
        self._build_timer.timeout.connect(self._poll_build)

        self.search_edit = QLineEdit(
            placeholderText="Search by name, email, organization, state, phone…"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search members")
        self.status_filter = self._combo("Status filter", "All statuses")
        for status in MemberStatus:
            self.status_filter.addItem(status.value, status.value)
        self.type_filter = self._combo("Membership type filter", "All types")
        self.state_filter = self._combo("State filter", "All states")
        self.organization_filter = self._combo("Organization type filter", "All employers")
        for kind in EmployerType:
            self.organization_filter.addItem(kind.label, kind.value)
        self.archived_check = QCheckBox("Show archived")
        self.count_label = QLabel()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._search_timer.start)
        for combo in (
            self.status_filter,
            self.type_filter,
            self.state_filter,
            self.organization_filter,
        ):
            combo.currentIndexChanged.connect(self.refresh)
        self.archived_check.toggled.connect(self.refresh)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.model.requery_started.connect(self.table.scrollToTop)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self._columns_fitted = False
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)

        self.empty_panel = self._build_empty_panel()
        self.new_button = QPushButton("&New member…")
        self.renew_shown_button = QPushButton("Renew shown…")
        self.due_button = QPushButton("Renewals due…")
        self.duplicates_button = QPushButton("Find duplicates…")
        self.copy_button = QPushButton("Copy emails")
        self.copy_button.setToolTip("Copy the emails of everyone shown, for a BCC field")
        self.renew_shown_button.setToolTip("Add the next membership period for everyone shown")
        self.due_button.setToolTip("Whose membership ends soon, or is in its grace days")
        self.duplicates_button.setToolTip("People who may have been entered twice, to merge")

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for widget in (
            self.status_filter,
            self.type_filter,
            self.state_filter,
            self.organization_filter,
        ):
            filters.addWidget(widget, 1)
        filters.addWidget(self.archived_check)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("<h2>Members</h2>"))
        heading.addStretch(1)
        for button in (
            self.new_button,
            self.renew_shown_button,
            self.due_button,
            self.duplicates_button,
            self.copy_button,
        ):
            heading.addWidget(button)
            button.setEnabled(False)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(filters)
        layout.addWidget(self.empty_panel)
        # While a large database's first list is built (see set_database).
        self.loading_label = QLabel()
        self.loading_label.setWordWrap(True)
        self.loading_label.hide()
        layout.addWidget(self.loading_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

    def focus_search(self) -> bool:
        """Edit > Find (Ctrl+F): the cursor into the search box, its text selected."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()
        return True

    def today(self) -> date:
        """The day the list's statuses are for."""
        return self.member_actions.today() if self.member_actions is not None else date.today()

    @staticmethod
    def _combo(name: str, everything: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(everything, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(9)
        combo.setToolTip(name)
        return combo

    def _build_empty_panel(self) -> QFrame:
        panel = QFrame()
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel(
            "<b>This database has no members yet.</b><br>"
            "Load the demo data to explore a sample organization, add a member with "
            "<i>New member</i>, or import your membership spreadsheet."
        )
        text.setWordWrap(True)
        self.demo_button = QPushButton("Load demo data")
        self.demo_button.clicked.connect(self.demo_requested.emit)
        row = QHBoxLayout(panel)
        row.addWidget(text, 1)
        row.addWidget(self.demo_button)
        panel.hide()
        return panel

    # -- wiring into the window ----------------------------------------------------------

    def install(self, window: MainWindow) -> None:
        """Connect to the window: its undo stack and broadcast, and a Members menu."""
        self.member_actions = MemberActions(window)
        menu = QMenu("&Members", window)
        window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
        self.members_menu = menu

        def add(text: str, slot: Any, shortcut: str | None = None, *, row: bool = False) -> QAction:
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(guarded(window, text.rstrip("…").replace("&", ""), slot))
            menu.addAction(action)
            if row:
                self._row_actions.append(action)
            return action

        self._row_actions: list[QAction] = []
        self.new_action = add("&New member…", self.new_member, "Ctrl+Shift+N")
        self.open_action = add("&Open member page", self.open_selected, "Ctrl+O", row=True)
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.edit_action = add("&Edit member…", self.edit_selected, "Ctrl+E", row=True)
        self.dues_action = add(
            "Record &dues payment…", self.dues_for_selected, "Ctrl+Shift+P", row=True
        )
        self.renew_action = add("&Renew membership…", self.renew_selected, "Ctrl+R", row=True)
        self.archive_action = add("&Archive / unarchive", self.archive_selected, row=True)
        self.delete_action = add("De&lete member…", self.delete_selected, row=True)
        menu.addSeparator()
        self.renew_shown_action = add("Renew &all shown…", self.renew_shown)
        self.due_action = add("Renewals d&ue…", self.renewals_due)
        self.duplicates_action = add("Find d&uplicates…", self.find_duplicates)
        self.copy_action = add("&Copy emails of everyone shown", self.copy_emails, "Ctrl+Shift+C")
        menu.addSeparator()
        self.types_action = add("Membership &types and settings…", self.membership_types)
        self.refresh_action = add("Re&fresh", self.reload, "F5")
        self.delete_key_action = QAction("Delete member", self.table)
        self.delete_key_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_key_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_key_action.triggered.connect(
            guarded(window, "Delete member", self.delete_selected)
        )
        self.table.addAction(self.delete_key_action)

        for button, slot in (
            (self.new_button, self.new_action),
            (self.renew_shown_button, self.renew_shown_action),
            (self.due_button, self.due_action),
            (self.duplicates_button, self.duplicates_action),
            (self.copy_button, self.copy_action),
        ):
            button.clicked.connect(slot.trigger)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._enable_actions()

    def _enable_actions(self) -> None:
        has_db = self._database is not None and self.member_actions is not None
        # Acting on the people shown waits for the list (while a large one first loads).
        has_list = has_db and self.list_ready
        for button, enabled in (
            (self.new_button, has_db),
            (self.renew_shown_button, has_list),
            (self.due_button, has_db),
            (self.duplicates_button, has_db),
            (self.copy_button, has_list),
        ):
            button.setEnabled(enabled)
        if self.member_actions is None:
            return
        for action, enabled in (
            (self.new_action, has_db),
            (self.renew_shown_action, has_list),
            (self.due_action, has_db),
            (self.duplicates_action, has_db),
            (self.copy_action, has_list),
            (self.types_action, has_db),
            (self.refresh_action, has_db),
        ):
            action.setEnabled(enabled)
        self._selection_changed()

    def _selection_changed(self) -> None:
        if self.member_actions is None:
            return
        selected = self.selected_member_id() is not None
        for action in self._row_actions:
            action.setEnabled(selected and self._database is not None)

    # -- the database and the list -------------------------------------------------------

    def set_database(self, database: Database | None) -> None:
        self._forget_build()
        self.loading_label.hide()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._database = database
        if database is not None:
            self._reader = MemberListReader(database)
            people = self._reader.people()
            if people >= FIRST_BUILD_IN_BACKGROUND:
                self._load_in_background(people)
                return
            with _busy():
                self._reader.ensure_ready(self.today())
            self._fill_choices()
        self._enable_actions()
        self.refresh()

    def _load_in_background(self, people: int) -> None:
        """Show an empty list saying it is loading, and build the real one meanwhile."""
        self.model.set_fetcher(None)
        self.total = 0
        self.empty_panel.hide()
        self._fill_choices()
        self._enable_actions()
        self.rebuild_in_background()
        self.count_label.setText(f"Loading {people:,} people…")
        self.loading_label.setText(
            f"<b>Loading the list of {people:,} people…</b> It shows in a moment; "
            "meanwhile you can add a member or use the other pages."
        )
        self.loading_label.show()

    @property
    def list_ready(self) -> bool:
        """Whether the member list has been built (it is, but for the first seconds after
        opening a large database)."""
        return self._reader is not None and self._reader.as_of is not None

    def _fill_choices(self, choices: FilterChoices | None = None) -> None:
        """The states and membership types in use, keeping what was chosen."""
        if choices is None:
            if self._reader is None:
                return
            choices = self._reader.choices()
        for combo, items in (
            (self.type_filter, [(name, type_id) for type_id, name in choices.membership_types]),
            (
                self.state_filter,
                [
                    (
                        f"{code} – {REGION_BY_CODE[code].name}" if code in REGION_BY_CODE else code,
                        code,
                    )
                    for code in choices.states
                ],
            ),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def current_filter(self) -> MemberFilter:
        status = self.status_filter.currentData()
        kind = self.organization_filter.currentData()
        return MemberFilter(
            search=self.search_edit.text(),
            status=MemberStatus(status) if status else None,
            membership_type_id=self.type_filter.currentData(),
            state=self.state_filter.currentData(),
            organization_type=EmployerType(kind) if kind else None,
            include_archived=self.archived_check.isChecked(),
        )

    def on_data_changed(self, change: DataChanged) -> None:
        if self._reader is None or not change.touches(*_WATCHED):
            return
        today = self.today()
        ids = change.member_ids if isinstance(change, MembersChanged) else frozenset()
        if ids and len(ids) <= REFRESH_LIMIT and self._reader.as_of == today:
            # A few people: their rows are rebuilt at once (milliseconds).
            self._reader.refresh(ids, today)
            if self._build is not None:
                # The list being built may have been read before this change.
                self._changed_while_building.update(ids)
            self.refresh(keep_position=True)
        else:
            self.rebuild_in_background()

    def reload(self) -> None:
        """Rebuild the list from the file (after changes made elsewhere)."""
        self.rebuild_in_background()

    @property
    def rebuilding(self) -> bool:
        """Whether a new list is being built in the background."""
        return self._build is not None

    def rebuild_in_background(self) -> None:
        """Build the list anew in a worker thread; the old one stays on screen (and
        scrolls) until the new one, with the rows to show first, is ready."""
        reader = self._reader
        if reader is None:
            return
        if self._build is not None:
            self._build_again = True  # once this one is done: it may predate the change
            return
        sort, descending = self.model.sort_order()
        self._build = reader.start_rebuild(
            self.today(),
            partial(
                read_view,
                member_filter=self.current_filter(),
                sort=sort,
                descending=descending,
                at_least=self.model.loaded(),
            ),
        )
        self._changed_while_building.clear()
        self._build_timer.start()
        self._show_count(updating=True)

    def _poll_build(self) -> None:
        build, reader = self._build, self._reader
        if build is None or reader is None:
            self._build_timer.stop()
            return
        if not build.done:
            return
        self._build_timer.stop()
        self._build = None
        try:
            view = reader.adopt(build)
        except Exception as error:  # the old list stays; say what failed
            self._build_again = False
            self._show_count()
            report_bug(self.window(), "Refresh the member list", error)
            return
        changed = sorted(self._changed_while_building)
        self._changed_while_building.clear()
        if changed:
            reader.refresh(changed, build.today)
        self._fill_choices(view.choices)
        self._enable_actions()
        self.loading_label.hide()
        sort, descending = self.model.sort_order()
        if not changed and (view.member_filter, view.sort, view.descending) == (
            self.current_filter(),
            sort,
            descending,
        ):
            self._show_view(view)
        else:  # the search, filters or order changed meanwhile: read them now
            self.refresh(keep_position=True)
        if self._build_again:
            self._build_again = False
            self.rebuild_in_background()

    def _show_view(self, view: ListView) -> None:
        """Show rows read in the background, keeping the selection and scroll position."""
        assert self._reader is not None
        self._search_timer.stop()
        selected = self.selected_member_id()
        scroll = self.table.verticalScrollBar().value()
        self.model.show_read(
            partial(self._reader.page, view.member_filter), view.page.rows, view.page.next_after
        )
        self.total = view.total
        self._show_count()
        self.empty_panel.setVisible(self.total == 0 and view.people == 0)
        self._restore_position(selected, scroll)

    def _forget_build(self) -> None:
        self._build_timer.stop()
        self._build = None
        self._build_again = False
        self._changed_while_building.clear()
        if self._reader is not None:
            self._reader.cancel_rebuild()

    def _show_count(self, *, updating: bool = False) -> None:
        noun = "person" if self.total == 1 else "people"
        text = f"{self.total:,} {noun}"
        self.count_label.setText(f"{text} · updating…" if updating or self.rebuilding else text)

    def _restore_position(self, selected: int | None, scroll: int) -> None:
        if self.model.rowCount() and not self._columns_fitted:
            self._fit_columns()
        if selected is not None:
            row = self.model.row_of(selected)
            if row is not None:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.table.verticalScrollBar().setValue(scroll)
        self._selection_changed()

    def refresh(self, *, keep_position: bool = False) -> None:
        """Show the list for the current search text and filters."""
        self._search_timer.stop()
        if self._reader is None:
            self.model.set_fetcher(None)
            self.count_label.setText("")
            self.empty_panel.hide()
            return
        reader = self._reader
        if self.rebuilding and not self.list_ready:
            return  # the first list is being built; shown, as now chosen, when ready
        if reader.ensure_ready(self.today()):
            self._fill_choices()
        member_filter = self.current_filter()
        selected = self.selected_member_id() if keep_position else None
        scroll = self.table.verticalScrollBar().value() if keep_position else 0
        self.model.set_fetcher(
            partial(reader.page, member_filter),
            at_least=self.model.loaded() if keep_position else 0,
        )
        # A list that fits in its first page is counted already; only a longer one is
        # counted in SQL.
        loaded_all = not self.model.canFetchMore()
        self.total = self.model.rowCount() if loaded_all else reader.count(member_filter)
        self._show_count()
        self.empty_panel.setVisible(self.total == 0 and reader.people() == 0)
        self._restore_position(selected, scroll)

    def _fit_columns(self) -> None:
        """Size columns to their content once, capped so no column hogs the width."""
        fit_columns(self.table, cap=280)
        self._columns_fitted = True

    # -- the selected person -------------------------------------------------------------

    def selected_member_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.row_at(index.row()).id

    def select_member(self, member_id: int) -> bool:
        row = self.model.row_of(member_id)
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid() and self.member_actions is not None:
            open_member_record(
                self.member_actions, self.model.row_at(index.row()).id, self.window()
            )

    def _context_menu(self, point: QPoint) -> None:
        if self.member_actions is None or not self.table.indexAt(point).isValid():
            return
        menu = QMenu(self)
        for action in self._row_actions:
            menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(point))

    def _with_selected(self) -> tuple[MemberActions, int] | None:
        member_id = self.selected_member_id()
        if self.member_actions is None or member_id is None:
            return None
        return self.member_actions, member_id

    # -- actions -------------------------------------------------------------------------

    def new_member(self) -> QWidget | None:
        if self.member_actions is None or self._database is None:
            return None
        return add_member_dialog(self.member_actions, self.window(), self._show_added)

    def _show_added(self, member_id: int) -> None:
        if not self.select_member(member_id):
            self.window().statusBar().showMessage(  # type: ignore[attr-defined]
                f"Added member #{member_id}; the filters hide them from the list", 8000
            )

    def open_selected(self) -> QWidget | None:
        chosen = self._with_selected()
        return open_member_record(*chosen, self.window()) if chosen else None

    def edit_selected(self) -> QWidget | None:
        chosen = self._with_selected()
        return edit_member_dialog(*chosen, self.window()) if chosen else None

    def dues_for_selected(self) -> QWidget | None:
        chosen = self._with_selected()
        return dues_payment_dialog(*chosen, self.window()) if chosen else None

    def renew_selected(self) -> QWidget | None:
        chosen = self._with_selected()
        return renew_member_dialog(*chosen, self.window()) if chosen else None

    def archive_selected(self) -> None:
        chosen = self._with_selected()
        if chosen is None:
            return
        actions, member_id = chosen
        archived = actions.read(lambda session: get_member(session, member_id).archived)
        archive_member(actions, member_id, not archived, self.window())

    def delete_selected(self) -> None:
        chosen = self._with_selected()
        if chosen is not None:
            delete_member_asking(*chosen, self.window())

    def renew_shown(self) -> None:
        if self.member_actions is None or self._reader is None:
            return
        renew_many(self.member_actions, self._reader.ids(self.current_filter()), self.window())

    def renewals_due(self) -> QWidget | None:
        if self.member_actions is None or self._database is None:
            return None
        return renewals_due_view(self.member_actions, self.window())

    def find_duplicates(self) -> QWidget | None:
        if self.member_actions is None or self._database is None:
            return None
        return duplicates_view(self.member_actions, self.window())

    def membership_types(self) -> QWidget | None:
        if self.member_actions is None or self._database is None:
            return None
        return membership_types_dialog(self.member_actions, self.window())

    def emails_text(self) -> str:
        if self._reader is None:
            return ""
        return bcc_list(self._reader.emails(self.current_filter()))

    def copy_emails(self) -> None:
        text = self.emails_text()
        QGuiApplication.clipboard().setText(text)
        count = len(text.split(",")) if text else 0
        self.window().statusBar().showMessage(  # type: ignore[attr-defined]
            f"Copied {count:,} email address{'es' if count != 1 else ''} of the people shown; "
            "paste them into the BCC field of a new message",
            8000,
        )
