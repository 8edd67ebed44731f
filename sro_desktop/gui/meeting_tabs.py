"""The tabs of a meeting on the Meetings page: registrations (with payments, category,
cancellation and the waitlist), the agenda with its tracks, and attendance with credits
and overrides. Each tab reads through the services and acts through `run_action`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import RegistrationCategory, RegistrationStatus
from sro_desktop.gui.agenda_dialog import AgendaItemDialog
from sro_desktop.gui.column_fitting import fit_columns
from sro_desktop.gui.meeting_actions import (
    MEETING_TABLES,
    MONEY_TABLES,
    REGISTRATION_TABLES,
    ActionContext,
    run_action,
)
from sro_desktop.gui.meeting_models import (
    RowsModel,
    agenda_model,
    attendance_model,
    registrations_model,
)
from sro_desktop.gui.override_dialog import OverrideDialog
from sro_desktop.gui.registration_dialog import RegisterRequest, RegistrationDialog
from sro_desktop.gui.registration_money_dialogs import CancelDialog, PaymentDialog
from sro_desktop.gui.transcript_dialog import show_transcript
from sro_desktop.services.attendance import AttendeeCredit, attendance_summary, set_credit_override
from sro_desktop.services.credits import Interval, minutes
from sro_desktop.services.meetings import (
    AgendaRow,
    SessionInput,
    add_session,
    agenda_rows,
    delete_session,
    duration_text,
    meeting_row,
    update_session,
)
from sro_desktop.services.registrations import (
    PaymentInput,
    RegistrationRow,
    admit_from_waitlist,
    cancel_registration,
    change_category,
    record_registration_payment,
    register,
    register_new_person,
    registration_matches,
    registration_rows,
)

Row = TypeVar("Row")


class MeetingHost(Protocol):
    """What a tab needs from the page."""

    database: Database | None
    context: ActionContext
    undo_stack: QUndoStack

    @property
    def meeting_id(self) -> int | None: ...


def make_table(model: RowsModel[Row]) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(True)
    # Rows come in the service's meaningful order until a header is clicked.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class _TableTab(QWidget, Generic[Row]):
    """A toolbar over a sortable table that keeps its selection across reloads."""

    def __init__(self, host: MeetingHost, model: RowsModel[Row]) -> None:
        super().__init__()
        self.host = host
        self.model = model
        self.table = make_table(model)
        self.toolbar = QHBoxLayout()
        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self._fitted = False
        self._meeting_id: int | None = None
        # The row an action just made (a new registration): selected on the next refresh.
        self.select_next: int | None = None
        # Widest a column is fitted to, by column (others: 300 px); long emails would
        # otherwise push the last columns out of sight.
        self.column_caps: dict[int, int] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.footer)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def button(self, text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setToolTip(tip)
        self.toolbar.addWidget(button)
        return button

    def selected(self) -> Row | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def begin_meeting(self, meeting_id: int) -> None:
        """Fit the columns again when another meeting is shown (not on every reload,
        which would undo widths the user dragged)."""
        if meeting_id != self._meeting_id:
            self._meeting_id = meeting_id
            self._fitted = False

    def show_rows(self, rows: list[Row]) -> None:
        chosen = self.table.selectionModel().selectedRows()
        chosen_id = chosen[0].data(Qt.ItemDataRole.UserRole) if chosen else None
        if self.select_next is not None:
            chosen_id, self.select_next = self.select_next, None
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0 and self.table.isSortingEnabled():
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if rows and not self._fitted:
            fit_columns(self.table, caps=self.column_caps)
            self._fitted = True
        row = self.model.find(chosen_id) if isinstance(chosen_id, int) else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._selection_changed()

    def _selection_changed(self) -> None:
        """Enable the buttons that need a selection; tabs override."""

    def act(
        self,
        action: str,
        work: Callable[[Session], str],
        tables: frozenset[str] = REGISTRATION_TABLES,
    ) -> bool:
        return run_action(self.host.context, action, work, tables, str) is not None


# --- registrations ---------------------------------------------------------------------


REGISTRATION_EMAIL_COLUMN = 2


class RegistrationsTab(_TableTab[RegistrationRow]):
    def __init__(self, host: MeetingHost) -> None:
        super().__init__(host, registrations_model())
        self.column_caps = {REGISTRATION_EMAIL_COLUMN: 220}  # the full address is in the tip
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Find a registrant by name or email…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Find a registrant")
        self.filter_edit.textChanged.connect(self._show_filtered)
        self.toolbar.addWidget(self.filter_edit, 1)
        self.register_button = self.button(
            "&Register…", self.register_person, "Register someone for this meeting"
        )
        self.pay_button = self.button("&Payment…", self.record_payment, "Record a payment")
        self.category_button = QToolButton()
        self.category_button.setText("Cate&gory")
        self.category_button.setToolTip("Change the price category (member, non-member…)")
        self.category_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.category_button)
        for category in RegistrationCategory:
            action = menu.addAction(category.label)
            action.setData(category.value)
        menu.triggered.connect(
            lambda action: self.change_category(RegistrationCategory(action.data()))
        )
        self.category_button.setMenu(menu)
        self.toolbar.addWidget(self.category_button)
        self.admit_button = self.button(
            "&Admit", self.admit, "Give this waitlisted person a place now, even over capacity"
        )
        self.cancel_button = self.button("Ca&ncel…", self.cancel, "Cancel the registration")
        self.transcript_button = self.button(
            "&Transcript…", self.transcript, "This person's meetings and credits over the years"
        )
        self.table.doubleClicked.connect(self.record_payment)
        self._all: list[RegistrationRow] = []

    def load(self, session: Session, meeting_id: int) -> None:
        self.begin_meeting(meeting_id)
        self._all = registration_rows(session, meeting_id)
        self._show_filtered()

    def clear(self) -> None:
        self._all = []
        self._show_filtered()

    def _show_filtered(self) -> None:
        text = self.filter_edit.text()
        rows = [row for row in self._all if registration_matches(row, text)]
        self.show_rows(rows)
        registered = [r for r in self._all if r.status is RegistrationStatus.REGISTERED]
        waiting = sum(1 for r in self._all if r.status is RegistrationStatus.WAITLISTED)
        cancelled = sum(1 for r in self._all if r.status is RegistrationStatus.CANCELLED)
        owed = sum((r.balance for r in self._all), start=0)
        paid = sum((r.paid for r in self._all), start=0)
        shown = f"Showing {len(rows)} of {len(self._all)}. " if text.strip() else ""
        self.footer.setText(
            f"{shown}{len(registered)} registered, {waiting} on the waitlist, {cancelled} "
            f"cancelled · {sum(1 for r in registered if r.checked_in_at)} checked in · "
            f"received {paid:,.2f}, still owed {owed:,.2f}"
        )

    def _selection_changed(self) -> None:
        row = self.selected()
        active = row is not None and row.status is not RegistrationStatus.CANCELLED
        self.register_button.setEnabled(self.host.meeting_id is not None)
        self.pay_button.setEnabled(active)
        self.category_button.setEnabled(active)
        self.cancel_button.setEnabled(active)
        self.admit_button.setEnabled(
            row is not None and row.status is RegistrationStatus.WAITLISTED
        )
        self.transcript_button.setEnabled(row is not None)

    # -- actions ---------------------------------------------------------------------------

    def register_person(self) -> None:
        database, meeting_id = self.host.database, self.host.meeting_id
        if database is None or meeting_id is None:
            return

        def submit(request: RegisterRequest) -> bool:
            def work(session: Session) -> str:
                if request.member_id is not None:
                    registration = register(
                        session,
                        meeting_id,
                        request.member_id,
                        category=request.category,
                        on=request.on,
                        payment=request.payment,
                    )
                else:
                    assert request.new_person is not None
                    registration = register_new_person(
                        session,
                        meeting_id,
                        request.new_person,
                        category=request.category,
                        on=request.on,
                        payment=request.payment,
                    )
                name = registration.member.full_name
                self.select_next = registration.id  # shown selected once the list refreshes
                if registration.status is RegistrationStatus.WAITLISTED:
                    return (
                        f"The meeting is full: {name} is on the waitlist at place "
                        f"{registration.waitlist_position}"
                    )
                return f"Registered {name} ({registration.category.label}, {registration.fee:,.2f})"

            done = self.act("Register", work, MONEY_TABLES | {"members"})
            if not done:
                self.select_next = None
            return done

        RegistrationDialog(self, database, meeting_id, submit).exec()

    def record_payment(self) -> None:
        row = self.selected()
        if row is None or row.status is RegistrationStatus.CANCELLED:
            return

        def submit(payment: PaymentInput) -> bool:
            def work(session: Session) -> str:
                record_registration_payment(session, row.id, payment)
                return f"Recorded {payment.amount:,.2f} from {row.full_name}"

            return self.act("Record registration payment", work, MONEY_TABLES)

        PaymentDialog(self, row, submit).exec()

    def change_category(self, category: RegistrationCategory) -> None:
        row = self.selected()
        if row is None or row.category is category:
            return

        def work(session: Session) -> str:
            registration = change_category(session, row.id, category)
            return f"{row.full_name} is now {category.label.lower()} ({registration.fee:,.2f})"

        self.act("Change registration category", work)

    def admit(self) -> None:
        row = self.selected()
        if row is None:
            return

        def work(session: Session) -> str:
            admit_from_waitlist(session, row.id)
            return f"Admitted {row.full_name} from the waitlist"

        self.act("Admit from waitlist", work)

    def cancel(self) -> None:
        row = self.selected()
        if row is None:
            return
        waiting = [r for r in self._all if r.status is RegistrationStatus.WAITLISTED]
        first = min(waiting, key=lambda r: r.waitlist_position or 0).full_name if waiting else None

        def submit(refund: PaymentInput | None, reason: str) -> bool:
            def work(session: Session) -> str:
                result = cancel_registration(session, row.id, refund=refund, reason=reason)
                message = f"Cancelled {row.full_name}'s registration"
                if refund is not None:
                    message += f", refunded {refund.amount:,.2f}"
                for promoted in result.promoted:
                    message += f"; {promoted.member.full_name} moved up from the waitlist"
                return message

            return self.act("Cancel registration", work, MONEY_TABLES)

        CancelDialog(self, row, first, submit).exec()

    def transcript(self) -> None:
        row = self.selected()
        if row is not None and self.host.database is not None:
            show_transcript(self, self.host.database, row.member_id)


# --- the agenda ------------------------------------------------------------------------

AGENDA_TITLE_COLUMN = 3


class AgendaTab(_TableTab[AgendaRow]):
    def __init__(self, host: MeetingHost) -> None:
        super().__init__(host, agenda_model())
        self.table.setSortingEnabled(False)  # the agenda reads in time order
        # The title takes the spare width (not "Length", a few characters).
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(AGENDA_TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.add_button = self.button("&Add item…", self.add_item)
        self.edit_button = self.button("&Edit item…", self.edit_item)
        self.delete_button = self.button("&Delete item", self.delete_item)
        self.toolbar.addStretch(1)
        self.table.doubleClicked.connect(self.edit_item)
        self._days: tuple[date, date] | None = None

    def load(self, session: Session, meeting_id: int) -> None:
        self.begin_meeting(meeting_id)
        meeting = meeting_row(session, meeting_id)
        self._days = (meeting.start_date, meeting.end_date)
        items = agenda_rows(session, meeting_id)
        self._fitted = False  # a short table: fit the titles every time
        self.show_rows(items)
        eligible = [Interval(i.starts_at, i.ends_at) for i in items if i.credit_eligible]
        tracks = sorted({i.track for i in items if i.track})
        text = f"Credit-eligible time: <b>{duration_text(minutes(eligible))}</b>"
        if tracks:
            text += f" (parallel tracks {', '.join(tracks)} counted once)"
        self.footer.setText(text + ". Breaks, meals and exhibits earn no credit.")

    def clear(self) -> None:
        self.show_rows([])
        self.footer.setText("")

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.add_button.setEnabled(self.host.meeting_id is not None)
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _dialog(self, item: AgendaRow | None, submit: Callable[[SessionInput], bool]) -> None:
        if self._days is None:
            return
        first_day, last_day = self._days
        tracks = sorted({row.track for row in self.model.rows() if row.track})
        AgendaItemDialog(
            self,
            submit,
            first_day=first_day,
            last_day=last_day,
            tracks=tracks,
            item=item.as_input() if item else None,
        ).exec()

    def add_item(self) -> None:
        meeting_id = self.host.meeting_id
        if meeting_id is None:
            return

        def submit(item: SessionInput) -> bool:
            def work(session: Session) -> str:
                add_session(session, meeting_id, item)
                return f"Added “{item.title.strip()}” to the agenda"

            return self.act("Add agenda item", work, MEETING_TABLES)

        self._dialog(None, submit)

    def edit_item(self) -> None:
        row = self.selected()
        if row is None:
            return

        def submit(item: SessionInput) -> bool:
            def work(session: Session) -> str:
                update_session(session, row.id, item)
                return f"Changed “{item.title.strip()}” on the agenda"

            return self.act("Edit agenda item", work, MEETING_TABLES)

        self._dialog(row, submit)

    def delete_item(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete agenda item",
            f"Delete “{row.title}” ({row.starts_at:%a %H:%M}) from the agenda? Attendance "
            "marked at it goes too.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def work(session: Session) -> str:
            delete_session(session, row.id, with_attendance=True)
            return f"Deleted “{row.title}” from the agenda"

        self.act("Delete agenda item", work, MEETING_TABLES | REGISTRATION_TABLES)


# --- attendance and credits --------------------------------------------------------------


class AttendanceTab(_TableTab[AttendeeCredit]):
    def __init__(self, host: MeetingHost) -> None:
        super().__init__(host, attendance_model())
        self.everyone_check = QCheckBox("Show &everyone registered")
        self.everyone_check.toggled.connect(self._reload)
        self.toolbar.addWidget(self.everyone_check)
        self.toolbar.addStretch(1)
        self.override_button = self.button(
            "&Override credits…", self.override, "Give this person other credits, with a reason"
        )
        self.transcript_button = self.button("&Transcript…", self.transcript)
        self.table.doubleClicked.connect(self.override)

    def load(self, session: Session, meeting_id: int) -> None:
        self.begin_meeting(meeting_id)
        people = attendance_summary(
            session, meeting_id, include_absent=self.everyone_check.isChecked()
        )
        self.show_rows(people)
        attended = [p for p in people if p.attended]
        overridden = sum(1 for p in people if p.overridden)
        total = sum((p.credits for p in attended), start=0)
        unit = "credits" if attended and attended[0].max_credits is not None else "hours"
        self.footer.setText(
            f"{len(attended)} attended · {total:,.2f} {unit} in all · {overridden} overridden. "
            "Time comes from session marks and online joins (their union, clipped to the "
            "credit-eligible agenda); a check-in alone counts the whole programme."
        )

    def clear(self) -> None:
        self.show_rows([])
        self.footer.setText("")

    def _reload(self) -> None:
        """Read again with or without the absent (the checkbox was toggled)."""
        database, meeting_id = self.host.database, self.host.meeting_id
        if database is not None and meeting_id is not None:
            with database.session() as session:
                self.load(session, meeting_id)

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.override_button.setEnabled(chosen)
        self.transcript_button.setEnabled(chosen)

    def override(self) -> None:
        person = self.selected()
        if person is None:
            return

        def submit(value: Decimal | None, reason: str) -> bool:
            def work(session: Session) -> str:
                set_credit_override(session, person.registration_id, value, reason)
                if value is None:
                    return f"{person.full_name} gets the computed figure again"
                unit = "credits" if person.max_credits is not None else "hours"
                return f"{person.full_name} now gets {value} {unit} ({reason.strip()})"

            return self.act("Override credits", work)

        OverrideDialog(self, person, submit).exec()

    def transcript(self) -> None:
        person = self.selected()
        if person is not None and self.host.database is not None:
            show_transcript(self, self.host.database, person.member_id)
