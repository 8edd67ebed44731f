"""Dialogs of the ledger: an expense (add or edit), other income (sponsorships, exhibitor
fees, donations), and the opening balance.

They only collect and check what is typed; the page saves it through the ledger services
in one transaction. A problem is shown inside the dialog, beside the OK button, and the
dialog stays open with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.models import PaymentMethod, PaymentPurpose
from sro_desktop.gui.theme_colors import css
from sro_desktop.services.currency import currency_symbol
from sro_desktop.services.ledger import (
    INCOME_CATEGORY_LABELS,
    LEDGER_INCOME_PURPOSES,
    ExpenseValues,
)
from sro_desktop.services.values import ValueProblem, parse_money


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class _LedgerDialog(QDialog):
    """The shared frame: a form, a line for problems, OK and Cancel."""

    method: QComboBox  # each dialog makes its own with `method_box`

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {css('#a12622')};")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("MMM d, yyyy")
        return edit

    def amount_edit(self, currency: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(f"{currency_symbol(currency)}0.00")
        return edit

    def read_amount(self, edit: QLineEdit, *, positive: bool = True) -> Decimal | None:
        try:
            amount = parse_money(edit.text())
        except ValueProblem as problem:
            self.show_problem(f"Amount: {problem}.")
            return None
        if amount is None or (positive and amount <= 0):
            self.show_problem("Amount: type the amount, more than zero, like 125.50.")
            return None
        return amount

    def method_box(self, method: PaymentMethod) -> QComboBox:
        box = QComboBox()
        for choice in PaymentMethod:
            box.addItem(choice.label, choice)
        box.setCurrentIndex(box.findData(method))
        return box

    def chosen_method(self) -> PaymentMethod:
        # Qt hands a StrEnum back as its plain text value.
        return PaymentMethod(self.method.currentData())

    def meeting_box(self, meetings: list[tuple[int, str]], meeting_id: int | None) -> QComboBox:
        box = QComboBox()
        box.addItem("— none —", None)
        for choice_id, label in meetings:
            box.addItem(label, choice_id)
        index = box.findData(meeting_id) if meeting_id is not None else 0
        box.setCurrentIndex(max(index, 0))
        return box


class ExpenseDialog(_LedgerDialog):
    """Add or edit an expense. `values` after OK holds what was typed."""

    def __init__(
        self,
        *,
        categories: list[str],
        meetings: list[tuple[int, str]],
        currency: str,
        initial: ExpenseValues | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit expense" if initial else "Add expense", parent)
        self.values: ExpenseValues | None = None
        start = initial or ExpenseValues(
            paid_on=today or date.today(),
            amount=Decimal("0"),
            category=categories[0] if categories else "",
            method=PaymentMethod.CHECK,
        )
        self.date = self.date_edit(start.paid_on)
        self.amount = self.amount_edit(currency)
        if initial is not None:
            self.amount.setText(f"{initial.amount:.2f}")
        self.category = QComboBox()
        self.category.addItems(categories)
        if start.category and self.category.findText(start.category) < 0:
            self.category.addItem(start.category)
        self.category.setCurrentText(start.category)
        self.payee = QLineEdit(start.payee)
        self.payee.setPlaceholderText("Who was paid: the hotel, the caterer, the speaker")
        self.method = self.method_box(start.method)
        self.reference = QLineEdit(start.reference)
        self.meeting = self.meeting_box(meetings, start.meeting_id)
        self.memo = QPlainTextEdit(start.memo)
        self.memo.setFixedHeight(self.fontMetrics().height() * 4)
        self._reconciled = start.reconciled
        self.form.addRow("&Date paid:", self.date)
        self.form.addRow("&Amount:", self.amount)
        self.form.addRow("&Category:", self.category)
        self.form.addRow("&Payee:", self.payee)
        self.form.addRow("&Method:", self.method)
        self.reference_label = QLabel("Check &no.:")
        self.reference_label.setBuddy(self.reference)
        self.form.addRow(self.reference_label, self.reference)
        self.form.addRow("M&eeting:", self.meeting)
        self.form.addRow("Mem&o:", self.memo)
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()
        self.amount.setFocus()
        self.resize(460, self.sizeHint().height())

    def _method_changed(self) -> None:
        check = self.chosen_method() is PaymentMethod.CHECK
        self.reference_label.setText("Check &no.:" if check else "&Reference:")

    def accept(self) -> None:
        amount = self.read_amount(self.amount)
        if amount is None:
            return
        method = self.chosen_method()
        if method is PaymentMethod.CHECK and not self.reference.text().strip():
            self.show_problem("Check no.: an expense paid by check needs the check number.")
            self.reference.setFocus()
            return
        if not self.category.currentText():
            self.show_problem("Category: add a category first (Categories…).")
            return
        self.values = ExpenseValues(
            paid_on=_date(self.date.date()),
            amount=amount,
            category=self.category.currentText(),
            method=method,
            reference=self.reference.text(),
            payee=self.payee.text(),
            meeting_id=self.meeting.currentData(),
            memo=self.memo.toPlainText(),
            reconciled=self._reconciled,
        )
        super().accept()


@dataclass(frozen=True)
class IncomeValues:
    """What the income dialog collected (the arguments of `record_payment`)."""

    paid_on: date
    amount: Decimal
    purpose: PaymentPurpose
    method: PaymentMethod
    reference: str
    payer_name: str
    meeting_id: int | None
    memo: str


class IncomeDialog(_LedgerDialog):
    """Record a sponsorship, exhibitor fee, donation or other income. Dues and registration
    fees are recorded on the Members and Meetings pages (one payment, never typed twice)."""

    def __init__(
        self,
        *,
        meetings: list[tuple[int, str]],
        currency: str,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add income", parent)
        self.values: IncomeValues | None = None
        self.date = self.date_edit(today or date.today())
        self.amount = self.amount_edit(currency)
        self.purpose = QComboBox()
        for purpose in LEDGER_INCOME_PURPOSES:
            self.purpose.addItem(INCOME_CATEGORY_LABELS[purpose], purpose)
        self.payer = QLineEdit()
        self.payer.setPlaceholderText("The sponsor, exhibitor or donor")
        self.method = self.method_box(PaymentMethod.CHECK)
        self.reference = QLineEdit()
        self.meeting = self.meeting_box(meetings, None)
        self.memo = QPlainTextEdit()
        self.memo.setFixedHeight(self.fontMetrics().height() * 4)
        note = QLabel(
            "<i>Dues and registration fees are recorded on the Members and Meetings pages "
            "and appear here by themselves.</i>"
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.form.addRow("&Date received:", self.date)
        self.form.addRow("&Amount:", self.amount)
        self.form.addRow("&Category:", self.purpose)
        self.form.addRow("&Payer:", self.payer)
        self.form.addRow("&Method:", self.method)
        self.form.addRow("Check no. / &reference:", self.reference)
        self.form.addRow("M&eeting:", self.meeting)
        self.form.addRow("Mem&o:", self.memo)
        self.amount.setFocus()
        self.resize(480, self.sizeHint().height())

    def accept(self) -> None:
        amount = self.read_amount(self.amount)
        if amount is None:
            return
        if not self.payer.text().strip():
            self.show_problem("Payer: type who paid, for the books and the receipt.")
            self.payer.setFocus()
            return
        self.values = IncomeValues(
            paid_on=_date(self.date.date()),
            amount=amount,
            purpose=PaymentPurpose(self.purpose.currentData()),
            method=self.chosen_method(),
            reference=self.reference.text(),
            payer_name=self.payer.text(),
            meeting_id=self.meeting.currentData(),
            memo=self.memo.toPlainText(),
        )
        super().accept()


class OpeningBalanceDialog(_LedgerDialog):
    """The money the organization had at the start of one day; every balance counts from
    it."""

    def __init__(
        self,
        *,
        as_of: date,
        amount: Decimal | None,
        memo: str,
        currency: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Opening balance", parent)
        self.result_values: tuple[date, Decimal, str] | None = None
        explanation = QLabel(
            "The money in the organization's accounts at the <b>start</b> of a day — "
            "usually the bank statement's balance when you took over the books. Every "
            "year's opening and closing balance is counted from it."
        )
        explanation.setWordWrap(True)
        self.date = self.date_edit(as_of)
        self.amount = self.amount_edit(currency)
        if amount is not None:
            self.amount.setText(f"{amount:.2f}")
        self.memo = QLineEdit(memo)
        self.memo.setPlaceholderText("e.g. Bank statement of Dec 31, 2023")
        self.form.addRow(explanation)
        self.form.addRow("&At the start of:", self.date)
        self.form.addRow("&Balance:", self.amount)
        self.form.addRow("&Note:", self.memo)
        self.amount.setFocus()
        self.resize(460, self.sizeHint().height())

    def accept(self) -> None:
        amount = self.read_amount(self.amount, positive=False)
        if amount is None:
            return
        self.result_values = (_date(self.date.date()), amount, self.memo.text())
        super().accept()
