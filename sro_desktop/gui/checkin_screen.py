"""The check-in screen for the registration table at the door, made for the keyboard.

Type any part of a name or email and the list narrows as you type; Up and Down move
through it; Enter checks the highlighted person in and clears the box for the next one.
Ctrl+Z undoes the last check-in, Ctrl+Backspace takes back the highlighted person's,
Ctrl+N registers a walk-in on the spot. "Checking in for" switches to marking who is
present at one agenda item. The running count shows checked in of registered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import RegistrationStatus
from sro_desktop.gui.meeting_actions import ActionContext, StepCommand, run_action
from sro_desktop.gui.meeting_models import checkin_model, meeting_dates
from sro_desktop.gui.registration_dialog import RegisterRequest, RegistrationDialog
from sro_desktop.gui.theme_colors import css
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.checkin import (
    CheckInRow,
    check_in,
    checkin_counts,
    checkin_rows,
    mark_present,
    search_registrants,
    undo_check_in,
    unmark_present,
)
from sro_desktop.services.meetings import agenda_rows, meeting_row
from sro_desktop.services.registrations import register_walk_in, return_to_waitlist

Step = Callable[[Session], str]
_MOVES = {
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_PageDown: 10,
    Qt.Key.Key_PageUp: -10,
}
OK_STYLE = "color: #1b6e2d; font-weight: bold"  # someone arrived (the line starts with ✔)
NOTE_STYLE = "font-weight: bold"  # something taken back or changed
WARN_STYLE = "color: #a33; font-weight: bold"  # nothing done: read this


class _SearchKeys(QObject):
    """Up/Down/PageUp/PageDown in the search box move the highlight in the list;
    Escape clears the box, and in an empty box leaves full screen."""

    def __init__(self, screen: CheckInScreen) -> None:
        super().__init__(screen)
        self._screen = screen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # The box's own undo and delete-word keys would shadow the screen's.
        if event.matches(QKeySequence.StandardKey.Undo):
            self._screen.undo_last()
            return True
        if event.matches(QKeySequence.StandardKey.Redo):
            self._screen.redo_last()
            return True
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Backspace and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._screen.take_back_highlighted()
            return True
        if key in _MOVES:
            self._screen.move_highlight(_MOVES[key])
            return True
        if key == Qt.Key.Key_Escape and self._screen.search_edit.text():
            self._screen.search_edit.clear()
            return True
        if key == Qt.Key.Key_Escape and self._screen.isFullScreen():
            self._screen.showNormal()  # the usual way out of full screen; never closes
            return True
        return False


class CheckInScreen(QWidget):
    """A window of its own (it can go full screen on the desk laptop)."""

    closed = Signal()

    def __init__(
        self,
        database: Database,
        meeting_id: int,
        context: ActionContext,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self.meeting_id = meeting_id
        self._context = context
        self._undo_stack = undo_stack
        self._rows: list[CheckInRow] = []
        self._columns_fitted = False
        self.model = checkin_model()

        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        self.title_label = QLabel()
        self.count_label = QLabel()
        self.count_label.setFont(big)
        self.count_label.setAccessibleName("Checked in count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.session_combo = QComboBox()
        self.session_combo.setAccessibleName("Checking in for")
        self.session_combo.currentIndexChanged.connect(self.refresh)
        session_label = QLabel("Checking in &for:")
        session_label.setBuddy(self.session_combo)

        self.search_edit = QLineEdit()
        self.search_edit.setFont(big)
        self.search_edit.setPlaceholderText("Type part of a name or email, then press Enter")
        self.search_edit.setAccessibleName("Find a registrant")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(_SearchKeys(self))
        self.search_edit.textChanged.connect(self._filter)
        self.search_edit.returnPressed.connect(self.check_in_highlighted)

        self.table = QTableView(self)  # owned by the window, as its model: Qt deletes both
        self.model.setParent(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.doubleClicked.connect(self.check_in_highlighted)

        self.message_label = QLabel(" ")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Last action")

        self.check_in_button = QPushButton("Check in  (Enter)")
        self.check_in_button.clicked.connect(self.check_in_highlighted)
        self.take_back_button = QPushButton("Take back  (Ctrl+Backspace)")
        self.take_back_button.clicked.connect(self.take_back_highlighted)
        self.undo_button = QPushButton("Undo last  (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_last)
        self._undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(self._undo_stack.canUndo())
        self.walk_in_button = QPushButton("Walk-in…  (Ctrl+N)")
        self.walk_in_button.clicked.connect(self.walk_in)
        for button in (
            self.check_in_button,
            self.take_back_button,
            self.undo_button,
            self.walk_in_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self._shortcut(QKeySequence.StandardKey.Undo, self.undo_last)
        self._shortcut(QKeySequence.StandardKey.Redo, self.redo_last)
        self._shortcut(QKeySequence("Ctrl+Backspace"), self.take_back_highlighted)
        self._shortcut(QKeySequence("Ctrl+N"), self.walk_in)
        self._shortcut(QKeySequence("Ctrl+F"), self.focus_search)
        self._shortcut(QKeySequence("F11"), self._toggle_full_screen)
        self._shortcut(QKeySequence.StandardKey.Close, self.close)

        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.count_label)
        sessions = QHBoxLayout()
        sessions.addWidget(session_label)
        sessions.addWidget(self.session_combo, 1)
        buttons = QHBoxLayout()
        for button in (
            self.check_in_button,
            self.take_back_button,
            self.undo_button,
            self.walk_in_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(sessions)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)

        self._load_meeting()
        self.resize(980, 640)
        self.focus_search()

    def _shortcut(
        self, keys: QKeySequence | QKeySequence.StandardKey, slot: Callable[[], object]
    ) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)

    # -- loading ---------------------------------------------------------------------------

    def _load_meeting(self) -> None:
        with self.database.session() as session:
            meeting = meeting_row(session, self.meeting_id)
            agenda = agenda_rows(session, self.meeting_id)
        self.setWindowTitle(f"Check-in — {meeting.title}")
        self.title_label.setText(
            f"<h2>{meeting.title}</h2>{meeting_dates(meeting.start_date, meeting.end_date)}"
        )
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        self.session_combo.addItem("Arrival (check-in at the door)", None)
        for item in agenda:
            track = f" [{item.track}]" if item.track else ""
            self.session_combo.addItem(
                f"{item.starts_at:%a %H:%M}–{item.ends_at:%H:%M}  {item.title}{track}", item.id
            )
        self.session_combo.blockSignals(False)
        self.refresh()

    @property
    def session_id(self) -> int | None:
        value = self.session_combo.currentData()
        return value if isinstance(value, int) else None

    def refresh(self) -> None:
        """Re-read the registrants and the count; keep the search and the highlight."""
        with self.database.session() as session:
            self._rows = checkin_rows(session, self.meeting_id, self.session_id)
            counts = checkin_counts(session, self.meeting_id, self.session_id)
        what = "present" if self.session_id is not None else "checked in"
        text = f"<b>{counts.checked_in}</b> of <b>{counts.registered}</b> {what}"
        if counts.waitlisted:
            text += f" · {counts.waitlisted} waiting"
        self.count_label.setText(text)
        self._columns_fitted = False  # statuses change width as people arrive
        self._filter()

    def on_data_changed(self, change: DataChanged) -> None:
        if change.touches("*", "registrations", "session_attendance", "members", "payments"):
            self.refresh()
            if change.touches("registrations", "session_attendance") and change.summary:
                self.say(change.summary)
        if change.touches("*", "meetings", "meeting_sessions"):
            self._load_meeting()

    def _filter(self) -> None:
        highlighted = self.highlighted()
        found = search_registrants(self._rows, self.search_edit.text())
        self.model.set_rows(found)
        row = self.model.find(highlighted.registration_id) if highlighted else None
        if self.search_edit.text().strip() or row is None:
            row = 0  # typing puts the best match first
        if found:
            self.table.selectRow(row)
        if found and not self._columns_fitted and not self.search_edit.text():
            # Fit to everyone (not to a filtered few); the last column keeps stretching.
            for column in range(self.model.columnCount() - 1):
                self.table.resizeColumnToContents(column)
            self._columns_fitted = True

    # -- the keyboard ------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.activateWindow()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def move_highlight(self, step: int) -> None:
        if not self.model.rowCount():
            return
        current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0
        row = max(0, min(self.model.rowCount() - 1, current + step))
        self.table.selectRow(row)

    def highlighted(self) -> CheckInRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def undo_last(self) -> None:
        if self._undo_stack.canUndo():
            self._undo_stack.undo()
        else:
            self.say("There is nothing to undo.", warning=True)
        self.focus_search()

    def redo_last(self) -> None:
        if self._undo_stack.canRedo():
            self._undo_stack.redo()
        self.focus_search()

    def say(self, text: str, *, warning: bool = False) -> None:
        style = OK_STYLE if text.startswith("✔") else NOTE_STYLE
        style = WARN_STYLE if warning else style
        # The colours are for a light theme; a dark one gets them lightened.
        style = style.replace("#1b6e2d", css("#1b6e2d")).replace("#a33", css("#a33"))
        self.message_label.setStyleSheet(style)
        self.message_label.setText(text)

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # -- actions -----------------------------------------------------------------------------

    def check_in_highlighted(self) -> None:
        person = self.highlighted()
        if person is None:
            self.say(
                "No one matches; check the spelling, or press Ctrl+N to register a walk-in.",
                warning=True,
            )
            return
        name = person.full_name
        if person.status is RegistrationStatus.CANCELLED:
            self.say(
                f"{name}'s registration was cancelled. Press Ctrl+N to register them as a walk-in.",
                warning=True,
            )
            return
        done = person.done_at
        if done is not None:
            self.say(
                f"{name} was already {'marked present' if self.session_id else 'checked in'} "
                f"at {done.astimezone():%H:%M}. Ctrl+Backspace takes it back.",
                warning=True,
            )
            return
        admit = False
        if person.status is RegistrationStatus.WAITLISTED:
            answer = QMessageBox.question(
                self,
                "On the waitlist",
                f"{name} is on the waitlist (place {person.waitlist_position}). "
                "Admit them and check them in?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.focus_search()
                return
            admit = True
        self._undo_stack.push(self._check_in_command(person, admit))
        if self._context.last_error is None:
            self.search_edit.clear()  # ready for the next person
        self.focus_search()

    def _check_in_command(self, person: CheckInRow, admit: bool) -> StepCommand:
        arrive, leave = self._steps(person, admit=admit)
        what = "Mark" if self.session_id is not None else "Check in"
        suffix = " present" if self.session_id is not None else ""
        return StepCommand(f"{what} {person.full_name}{suffix}", self._context, arrive, leave)

    def _steps(
        self, person: CheckInRow, *, admit: bool = False, at: datetime | None = None
    ) -> tuple[Step, Step]:
        """The two directions for this person: arriving (checked in, or marked at the
        session chosen) and taking it back; `at` keeps the original time on a redo."""
        registration_id, name, session_id = (
            person.registration_id,
            person.full_name,
            self.session_id,
        )
        if session_id is not None:
            title = self.session_combo.currentText().split("  ", 1)[-1]

            def mark(session: Session) -> str:
                mark_present(session, registration_id, session_id, at=at)
                return f"✔ {name} marked present at {title}"

            def unmark(session: Session) -> str:
                unmark_present(session, registration_id, session_id)
                return f"Took back {name}'s mark at {title}"

            return mark, unmark
        owes = f" — owes {person.balance:,.2f}" if person.balance else ""
        position = person.waitlist_position

        def arrive(session: Session) -> str:
            registration = check_in(session, registration_id, at=at, admit_from_waitlist=admit)
            assert registration.checked_in_at is not None
            return f"✔ {name} checked in at {registration.checked_in_at.astimezone():%H:%M}{owes}"

        def leave(session: Session) -> str:
            undo_check_in(session, registration_id)
            if admit and position is not None:
                return_to_waitlist(session, registration_id, position)
                return f"Took back {name}'s check-in; back on the waitlist at place {position}"
            return f"Took back {name}'s check-in"

        return arrive, leave

    def take_back_highlighted(self) -> None:
        person = self.highlighted()
        if person is None or person.done_at is None:
            who = person.full_name if person else "No one"
            self.say(
                f"{who} is not checked in here, so there is nothing to take back.", warning=True
            )
            return
        arrive, leave = self._steps(person, at=person.done_at)
        what = "mark" if self.session_id is not None else "check-in"
        text = f"Take back {person.full_name}'s {what}"
        self._undo_stack.push(StepCommand(text, self._context, leave, arrive))
        self.focus_search()

    def walk_in(self) -> None:
        def submit(request: RegisterRequest) -> bool:
            def work(session: Session) -> str:
                registration = register_walk_in(
                    session,
                    self.meeting_id,
                    request.person,
                    category=request.category,
                    payment=request.payment,
                )
                paid = f", paid {request.payment.amount:,.2f}" if request.payment else ""
                return f"✔ Walk-in {registration.member.full_name} registered and checked in{paid}"

            tables = frozenset({"registrations", "payments", "members"})
            return run_action(self._context, "Register walk-in", work, tables, str) is not None

        dialog = RegistrationDialog(
            self,
            self.database,
            self.meeting_id,
            submit,
            walk_in=True,
            search_text=self.search_edit.text(),
        )
        if dialog.exec():
            self.search_edit.clear()
        self.focus_search()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
