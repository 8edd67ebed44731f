"""Registering someone from the meeting's page, or a walk-in at the door: find the person
(or type a new one, who becomes a contact, not a member), see the category and fee the
services work out, and take a payment now if there is one. Keyboard all the way: type,
Down to the list, Tab on, Enter to register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.db.models import PaymentMethod, RegistrationCategory, RegistrationStatus
from sro_desktop.errors import DataRefused, UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.meeting_dialog import combo_value, date_edit, edit_date, enum_combo
from sro_desktop.gui.theme_colors import css
from sro_desktop.services.meetings import meeting_row
from sro_desktop.services.members import member_rows
from sro_desktop.services.registrations import (
    NewPerson,
    PaymentInput,
    quote_fee,
    registration_rows,
)
from sro_desktop.services.values import ValueProblem, parse_money

SEARCH_DELAY_MS = 150
MAX_MATCHES = 50


@dataclass(frozen=True)
class RegisterRequest:
    """Who to register and how: a known person (`member_id`) or a new one."""

    member_id: int | None
    new_person: NewPerson | None
    category: RegistrationCategory | None
    on: date
    payment: PaymentInput | None

    @property
    def person(self) -> NewPerson | int:
        if self.member_id is not None:
            return self.member_id
        assert self.new_person is not None
        return self.new_person


class _ListKeys(QObject):
    """Up and Down in the search box move through the matches below it."""

    def __init__(self, matches: QListWidget) -> None:
        super().__init__(matches)
        self._matches = matches

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self._matches.count() - 1, self._matches.currentRow() + step))
            self._matches.setCurrentRow(row)
            return True
        return False


class RegistrationDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        database: Database,
        meeting_id: int,
        submit: Callable[[RegisterRequest], bool],
        *,
        walk_in: bool = False,
        search_text: str = "",
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._meeting_id = meeting_id
        self._submit = submit
        self._walk_in = walk_in
        with database.session() as session:
            meeting = meeting_row(session, meeting_id)
            self._registered = {
                row.member_id: row.status
                for row in registration_rows(session, meeting_id)
                if row.status is not RegistrationStatus.CANCELLED
            }
        self._full = meeting.capacity is not None and meeting.registered >= meeting.capacity
        self.setWindowTitle(f"{'Walk-in' if walk_in else 'Register'} — {meeting.title}")

        self.known_radio = QRadioButton("Someone &in the database")
        self.new_radio = QRadioButton("Someone &new (added as a contact, not a member)")
        self.known_radio.setChecked(True)
        self.search_edit = QLineEdit(search_text)
        self.search_edit.setPlaceholderText("Type part of a name or email…")
        self.search_edit.setAccessibleName("Find a person")
        self.matches = QListWidget()
        self.matches.setAccessibleName("People found")
        self.matches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matches.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        self.search_edit.installEventFilter(_ListKeys(self.matches))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._find_people)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.matches.currentRowChanged.connect(self._update_quote)

        words = search_text.split()
        self.first_edit = QLineEdit(words[0] if len(words) > 1 else "")
        self.last_edit = QLineEdit(" ".join(words[1:]) if len(words) > 1 else "")
        self.email_edit = QLineEdit()
        self.credentials_edit = QLineEdit()
        self.credentials_edit.setPlaceholderText("e.g. MD, RN, CHCP")
        new_form = QFormLayout()
        new_form.addRow("&First name:", self.first_edit)
        new_form.addRow("&Last name:", self.last_edit)
        new_form.addRow("&Email:", self.email_edit)
        new_form.addRow("C&redentials:", self.credentials_edit)
        self.new_box = QWidget()
        self.new_box.setLayout(new_form)
        self.known_radio.toggled.connect(self._mode_changed)

        self.category_combo = enum_combo(RegistrationCategory)
        self.category_combo.insertItem(0, "Automatic (member fee if in good standing)", None)
        self.category_combo.setCurrentIndex(0)
        self.category_combo.currentIndexChanged.connect(self._update_quote)
        self.date_edit = date_edit(date.today())
        self.date_edit.dateChanged.connect(self._update_quote)
        self.date_edit.setVisible(not walk_in)
        self.quote_label = QLabel()
        self.quote_label.setWordWrap(True)

        self.payment_box = QGroupBox("&Payment received now")
        self.payment_box.setCheckable(True)
        self.payment_box.setChecked(walk_in)
        self.amount_edit = QLineEdit()
        self.amount_edit.setAccessibleName("Amount paid")
        default_method = PaymentMethod.CASH if walk_in else PaymentMethod.CARD
        self.method_combo = enum_combo(PaymentMethod, default_method)
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText("check number or card reference")
        payment_form = QFormLayout(self.payment_box)
        payment_form.addRow("&Amount:", self.amount_edit)
        payment_form.addRow("&Method:", self.method_combo)
        payment_form.addRow("Re&ference:", self.reference_edit)

        terms = QFormLayout()
        terms.addRow("&Category:", self.category_combo)
        if not walk_in:
            terms.addRow("Registration &date:", self.date_edit)
        terms.addRow("", self.quote_label)

        radios = QHBoxLayout()
        radios.addWidget(self.known_radio)
        radios.addWidget(self.new_radio)
        radios.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(radios)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.new_box)
        layout.addLayout(terms)
        layout.addWidget(self.payment_box)
        layout.addStretch()  # takes the list's room when a new person is typed instead
        # A standard Ok button (renamed) is the one Enter presses, wherever the focus is.
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.register_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.register_button.setText("Register and check in" if walk_in else "Register")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 600)
        self._mode_changed()
        self._find_people()
        if search_text.strip() and not self.matches.count():
            # Not in the database: straight to a new person, the typed name filled in.
            self.new_radio.setChecked(True)
            (self.email_edit if self.last_edit.text() else self.first_edit).setFocus()

    # -- finding the person -----------------------------------------------------------------

    def _mode_changed(self) -> None:
        known = self.known_radio.isChecked()
        self.search_edit.setVisible(known)
        self.matches.setVisible(known)
        self.new_box.setVisible(not known)
        (self.search_edit if known else self.first_edit).setFocus()
        self._update_quote()

    def _find_people(self) -> None:
        self.matches.clear()
        text = self.search_edit.text()
        if not text.strip():
            self._update_quote()
            return
        with self._database.session() as session:
            people = member_rows(session, date.today(), search=text)
        for person in people[:MAX_MATCHES]:
            label = f"{person.last_name}, {person.first_name}"
            if person.credentials:
                label += f", {person.credentials}"
            label += f" — {person.email or 'no email'} — {person.status.value}"
            status = self._registered.get(person.id)
            if status is not None:
                label += f" (already {status.label.lower()})"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.matches.addItem(item)
        if len(people) > MAX_MATCHES:
            more = QListWidgetItem(f"… and {len(people) - MAX_MATCHES} more; type more of the name")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.matches.addItem(more)
        if self.matches.count():
            self.matches.setCurrentRow(0)
        self._update_quote()

    def _member_id(self) -> int | None:
        if not self.known_radio.isChecked():
            return None
        item = self.matches.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, int) else None

    def _update_quote(self) -> None:
        """Show the category and fee the services would give, and fill the amount."""
        member_id = self._member_id()
        if self.known_radio.isChecked() and member_id is None:
            self.quote_label.setText("Find the person above, or choose “Someone new”.")
            return
        try:
            with self._database.session() as session:
                category, fee = quote_fee(
                    session,
                    self._meeting_id,
                    member_id,
                    combo_value(self.category_combo, RegistrationCategory),
                    edit_date(self.date_edit),
                )
        except UserError as error:
            self.quote_label.setText(f"<span style='color:{css('#a00')}'>{error}</span>")
            return
        text = f"<b>{category.label}</b>: fee <b>{fee:,.2f}</b>"
        if self._full and not self._walk_in:
            text += ". The meeting is full: they will join the waitlist."
        elif self._full:
            text += ". The meeting is full; a walk-in is admitted anyway."
        self.quote_label.setText(text)
        self.amount_edit.setText(f"{fee:.2f}")
        if not fee and self._walk_in:
            self.payment_box.setChecked(False)

    # -- submitting -------------------------------------------------------------------------

    def request(self) -> RegisterRequest:
        member_id = self._member_id()
        new_person = None
        if not self.known_radio.isChecked():
            new_person = NewPerson(
                self.first_edit.text(),
                self.last_edit.text(),
                self.email_edit.text() or None,
                self.credentials_edit.text(),
            )
        elif member_id is None:
            raise DataRefused(
                "Choose the person from the list (type part of their name), or choose "
                "“Someone new”."
            )
        on = date.today() if self._walk_in else edit_date(self.date_edit)
        payment = None
        if self.payment_box.isChecked():
            try:
                amount = parse_money(self.amount_edit.text())
            except ValueProblem as problem:
                raise DataRefused(f"The amount paid: {problem}.") from None
            if amount is not None and amount != Decimal(0):
                method = combo_value(self.method_combo, PaymentMethod) or PaymentMethod.CARD
                payment = PaymentInput(amount, method, on, self.reference_edit.text())
        return RegisterRequest(
            member_id, new_person, self.category_combo.currentData(), on, payment
        )

    def accept(self) -> None:
        try:
            request = self.request()
        except UserError as error:
            show_error(self, self.windowTitle(), error)
            return
        if self._submit(request):
            super().accept()
