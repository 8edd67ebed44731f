"""Money on a registration: recording a payment, and cancelling with an optional refund
(never more than was paid; the place goes to the first person on the waitlist)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.models import PaymentMethod, RegistrationStatus
from sro_desktop.errors import DataRefused, UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.meeting_dialog import combo_value, date_edit, edit_date, enum_combo
from sro_desktop.services.registrations import PaymentInput, RegistrationRow
from sro_desktop.services.values import ValueProblem, parse_money


class _PaymentFields:
    """Amount, date, method and reference, as a form."""

    def __init__(self, amount: Decimal, method: PaymentMethod) -> None:
        self.amount_edit = QLineEdit(f"{amount:.2f}")
        self.amount_edit.setAccessibleName("Amount")
        self.date_edit = date_edit(date.today())
        self.method_combo = enum_combo(PaymentMethod, method)
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText("check number or card reference")

    def add_to(self, form: QFormLayout) -> None:
        form.addRow("&Amount:", self.amount_edit)
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Method:", self.method_combo)
        form.addRow("Re&ference:", self.reference_edit)

    def value(self, what: str) -> PaymentInput:
        try:
            amount = parse_money(self.amount_edit.text())
        except ValueProblem as problem:
            raise DataRefused(f"{what}: {problem}.") from None
        if amount is None or amount <= 0:
            raise DataRefused(f"{what}: enter an amount above zero.")
        method = combo_value(self.method_combo, PaymentMethod) or PaymentMethod.CHECK
        return PaymentInput(amount, method, edit_date(self.date_edit), self.reference_edit.text())


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    # A standard Ok button (renamed) is the one Enter presses, wherever the focus is.
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class PaymentDialog(QDialog):
    """A registration fee received; the amount starts at what is still owed."""

    def __init__(
        self,
        parent: QWidget | None,
        registration: RegistrationRow,
        submit: Callable[[PaymentInput], bool],
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(f"Payment from {registration.full_name}")
        due = registration.balance
        self.fields = _PaymentFields(due if due > 0 else registration.fee, PaymentMethod.CARD)
        summary = QLabel(
            f"Fee {registration.fee:,.2f}; paid so far {registration.paid:,.2f}; "
            f"still owed <b>{due:,.2f}</b>."
        )
        form = QFormLayout()
        self.fields.add_to(form)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Record payment"))
        self.setMinimumWidth(420)

    def accept(self) -> None:
        try:
            payment = self.fields.value("The payment")
        except UserError as error:
            show_error(self, self.windowTitle(), error)
            return
        if self._submit(payment):
            super().accept()


class CancelDialog(QDialog):
    """Cancel a registration; offer a refund of what was paid."""

    def __init__(
        self,
        parent: QWidget | None,
        registration: RegistrationRow,
        first_waiting: str | None,
        submit: Callable[[PaymentInput | None, str], bool],
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(f"Cancel {registration.full_name}'s registration")
        lines = [
            f"Cancel <b>{registration.full_name}</b>'s registration? It stays on record as "
            "cancelled, with its payments."
        ]
        if registration.status is RegistrationStatus.REGISTERED and first_waiting:
            lines.append(f"The place goes to <b>{first_waiting}</b>, first on the waitlist.")
        self.intro = intro = QLabel("<br>".join(lines))
        intro.setWordWrap(True)
        self.refund_box = QGroupBox("&Refund")
        self.refund_box.setCheckable(True)
        self.refund_box.setChecked(registration.paid > 0)
        self.refund_box.setEnabled(registration.paid > 0)
        self.fields = _PaymentFields(max(registration.paid, Decimal(0)), PaymentMethod.CHECK)
        form = QFormLayout(self.refund_box)
        self.fields.add_to(form)
        form.addRow("", QLabel(f"Paid so far: {registration.paid:,.2f}"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("e.g. illness; kept in the refund's memo")
        reason_form = QFormLayout()
        reason_form.addRow("Rea&son:", self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.refund_box)
        layout.addLayout(reason_form)
        self.setMinimumWidth(460)
        buttons = _buttons(self, "Cancel registration")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep it")
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            refund = self.fields.value("The refund") if self.refund_box.isChecked() else None
        except UserError as error:
            show_error(self, self.windowTitle(), error)
            return
        if self._submit(refund, self.reason_edit.text()):
            super().accept()
