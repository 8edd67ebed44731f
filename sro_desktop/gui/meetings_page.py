"""The Meetings page: the list of meetings and, for the one chosen, its details, fees and
credit, then tabs for registrations, the agenda and attendance with credits. From here the
treasurer creates and edits meetings and opens the check-in screen for the door."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import CreditType, MeetingFormat
from sro_desktop.errors import UserError
from sro_desktop.gui.checkin_screen import CheckInScreen
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.meeting_actions import MEETING_TABLES, ActionContext, run_action
from sro_desktop.gui.meeting_dialog import MeetingDialog
from sro_desktop.gui.meeting_models import meeting_dates, meetings_model
from sro_desktop.gui.meeting_tabs import AgendaTab, AttendanceTab, RegistrationsTab, make_table
from sro_desktop.gui.theme_colors import css
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.meetings import (
    FeeInput,
    MeetingInput,
    create_meeting,
    default_provider,
    designation_warning,
    get_meeting,
    meeting_details,
    meeting_row,
    meeting_rows,
    set_fees,
    update_meeting,
)
from sro_desktop.services.organization import organization_settings
from sro_desktop.services.registrations import fill_open_places

WATCHED = (
    "*",
    "meetings",
    "meeting_sessions",
    "registrations",
    "session_attendance",
    "attendance_intervals",
    "payments",
    "members",
    "memberships",
)


class MeetingsPage(QWidget):
    changed = Signal(object)  # DataChanged, for the window to broadcast
    status_message = Signal(str)

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.database: Database | None = None
        self.context = ActionContext(lambda: self.database, self._announce, self._refuse)
        self.checkin_screens: dict[int, CheckInScreen] = {}

        self.model = meetings_model()
        self.table = make_table(self.model)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setAccessibleName("Meetings")
        self.table.doubleClicked.connect(self.edit_meeting)
        self.table.selectionModel().selectionChanged.connect(self._load_detail)

        self.new_button = QPushButton("&New meeting…")
        self.new_button.clicked.connect(self.new_meeting)
        self.edit_button = QPushButton("&Edit meeting…")
        self.edit_button.clicked.connect(self.edit_meeting)
        self.checkin_button = QPushButton("&Check-in screen")
        self.checkin_button.setToolTip("Open the check-in screen for the registration table")
        self.checkin_button.clicked.connect(self.open_checkin)
        self.count_label = QLabel()

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.registrations_tab = RegistrationsTab(self)
        self.agenda_tab = AgendaTab(self)
        self.attendance_tab = AttendanceTab(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.registrations_tab, "Registrations")
        self.tabs.addTab(self.agenda_tab, "Agenda")
        self.tabs.addTab(self.attendance_tab, "Attendance && credits")
        self._loaded_tabs: set[QWidget] = set()
        self._stale = False
        self.tabs.currentChanged.connect(self._load_current_tab)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.summary)
        detail_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([170, 500])

        bar = QHBoxLayout()
        bar.addWidget(QLabel("<h2>Meetings</h2>"))
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.checkin_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._load_detail()

    def focus_search(self) -> bool:
        """Edit > Find (Ctrl+F): find a registrant of the meeting chosen."""
        if self.meeting_id is None:
            return False
        self.tabs.setCurrentWidget(self.registrations_tab)
        self.registrations_tab.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.registrations_tab.filter_edit.selectAll()
        return True

    # -- data ------------------------------------------------------------------------------

    @property
    def meeting_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        value = rows[0].data(Qt.ItemDataRole.UserRole) if rows else None
        return value if isinstance(value, int) else None

    def set_database(self, database: Database | None) -> None:
        for screen in list(self.checkin_screens.values()):
            screen.close()
        self.database = database
        self.refresh()

    def on_data_changed(self, change: DataChanged) -> None:
        for screen in self.checkin_screens.values():
            screen.on_data_changed(change)  # the door first: someone is waiting there
        if change.touches(*WATCHED):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True  # read again when shown, not for every change elsewhere

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """Re-read the meetings (keeping the chosen one) and the chosen meeting's tabs."""
        self._stale = False
        chosen = select if select is not None else self.meeting_id
        rows = []
        if self.database is not None:
            with self.database.session() as session:
                rows = meeting_rows(session)
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        row = self.model.find(chosen) if chosen is not None else None
        if row is None and rows:
            row = self._next_meeting_row()
        if row is not None:
            self.table.selectRow(row)
        self.table.selectionModel().blockSignals(False)
        self.table.resizeColumnsToContents()
        self.count_label.setText(f"{len(rows)} meeting{'s' if len(rows) != 1 else ''}")
        self._load_detail()

    def _next_meeting_row(self) -> int:
        """The first meeting not yet over (else the latest): what the treasurer works on."""
        today = date.today()
        upcoming = [
            (r.start_date, index)
            for index, r in enumerate(self.model.rows())
            if r.end_date >= today
        ]
        if upcoming:
            return min(upcoming)[1]
        latest = max(enumerate(self.model.rows()), key=lambda item: item[1].start_date)
        return latest[0]

    def _load_detail(self) -> None:
        meeting_id = self.meeting_id
        has_meeting = meeting_id is not None and self.database is not None
        self.edit_button.setEnabled(has_meeting)
        self.checkin_button.setEnabled(has_meeting)
        self.new_button.setEnabled(self.database is not None)
        self.tabs.setEnabled(has_meeting)
        if self.database is None or meeting_id is None:
            self.summary.setText(
                "<i>No meetings yet. Choose “New meeting…” to add one.</i>"
                if self.database is not None
                else ""
            )
            for tab in (self.registrations_tab, self.agenda_tab, self.attendance_tab):
                tab.clear()
            return
        with self.database.session() as session:
            self.summary.setText(self._summary(session, meeting_id))
        self._loaded_tabs.clear()
        self._load_current_tab()

    def _load_current_tab(self) -> None:
        """Read only the tab in view; the others when they are chosen (a big meeting's
        attendance takes a moment to compute)."""
        tab = self.tabs.currentWidget()
        meeting_id = self.meeting_id
        if self.database is None or meeting_id is None or tab in self._loaded_tabs:
            return
        assert isinstance(tab, RegistrationsTab | AgendaTab | AttendanceTab)
        with self.database.session() as session:
            tab.load(session, meeting_id)
        self._loaded_tabs.add(tab)

    def _summary(self, session: Session, meeting_id: int) -> str:
        row = meeting_row(session, meeting_id)
        details, fees = meeting_details(session, meeting_id)
        warning = designation_warning(get_meeting(session, meeting_id))
        where = [part for part in (details.venue, details.link) if part]
        if details.format is MeetingFormat.WEBINAR and not details.link:
            where.append("<i>no link yet</i>")
        places = (
            f"{row.registered} of {row.capacity} places taken"
            if row.capacity
            else f"{row.registered} registered (no limit)"
        )
        if row.waitlisted:
            places += f", {row.waitlisted} on the waitlist"
        lines = [
            f"<b style='font-size:large'>{row.title}</b> — "
            f"{meeting_dates(row.start_date, row.end_date)} · {row.format.label}"
            + (f" · {' · '.join(where)}" if where else ""),
            f"{places} · {row.checked_in} checked in",
            "Fees: " + (_fees_text(fees, details) if fees else "free (no fees set)"),
            "Credit: " + _credit_text(details, row.joint_providership),
        ]
        if warning:
            lines.append(f"<span style='color:{css('#a33')}'>⚠ {warning}</span>")
        return "<br>".join(lines)

    # -- actions ---------------------------------------------------------------------------

    def _announce(self, change: DataChanged) -> None:
        if change.summary:
            self.status_message.emit(change.summary)
        self.changed.emit(change)

    def _refuse(self, action: str, error: UserError) -> None:
        show_error(QApplication.activeWindow() or self.window(), action, error)

    def new_meeting(self) -> None:
        if self.database is None:
            return
        with self.database.session() as session:
            provider = default_provider(session)
            organization = organization_settings(session).name

        def submit(details: MeetingInput, fees: list[FeeInput]) -> bool:
            def work(session: Session) -> int:
                return create_meeting(session, details, fees).id

            meeting_id = run_action(
                self.context,
                "Add meeting",
                work,
                MEETING_TABLES,
                lambda _id: f"Added the meeting “{details.title.strip()}”",
            )
            if meeting_id is None:
                return False
            self.refresh(select=meeting_id)
            self.tabs.setCurrentWidget(self.agenda_tab)
            return True

        MeetingDialog(
            self, submit, default_provider=provider, organization_name=organization
        ).exec()

    def edit_meeting(self) -> None:
        meeting_id = self.meeting_id
        if self.database is None or meeting_id is None:
            return
        with self.database.session() as session:
            details, fees = meeting_details(session, meeting_id)
            organization = organization_settings(session).name

        def submit(new_details: MeetingInput, new_fees: list[FeeInput]) -> bool:
            def work(session: Session) -> str:
                meeting = update_meeting(session, meeting_id, new_details)
                set_fees(session, meeting, new_fees)
                promoted = fill_open_places(session, meeting_id)
                message = f"Saved “{meeting.title}”"
                if promoted:
                    names = ", ".join(r.member.full_name for r in promoted)
                    message += f"; from the waitlist: {names}"
                return message

            tables = MEETING_TABLES | {"registrations"}
            return run_action(self.context, "Edit meeting", work, tables, str) is not None

        MeetingDialog(
            self, submit, details=details, fees=fees, organization_name=organization
        ).exec()

    def open_checkin(self) -> CheckInScreen | None:
        meeting_id = self.meeting_id
        if self.database is None or meeting_id is None:
            return None
        screen = self.checkin_screens.get(meeting_id)
        if screen is None:
            screen = CheckInScreen(self.database, meeting_id, self.context, self.undo_stack, self)
            screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            screen.closed.connect(lambda: self.checkin_screens.pop(meeting_id, None))
            self.checkin_screens[meeting_id] = screen
        if screen.isVisible():
            screen.raise_()  # already open, perhaps behind the main window
        else:
            screen.show()
        screen.focus_search()
        return screen


def _fees_text(fees: list[FeeInput], details: MeetingInput) -> str:
    parts = []
    for fee in fees:
        text = f"{fee.category.label} {fee.fee:,.2f}"
        if fee.early_bird_fee is not None:
            text += f" (early-bird {fee.early_bird_fee:,.2f})"
        parts.append(text)
    deadline = details.early_bird_deadline
    suffix = f"; early-bird until {deadline:%b %d, %Y}" if deadline else ""
    return " · ".join(parts) + suffix


def _credit_text(details: MeetingInput, joint: bool) -> str:
    if details.credit_type is not CreditType.AMA_PRA_1:
        return details.credit_type.label
    how = "joint providership" if joint else "directly provided"
    return (
        f"up to <b>{details.max_credits}</b> <i>AMA PRA Category 1 Credits</i>™, designated "
        f"by {details.accredited_provider} ({how})"
    )
