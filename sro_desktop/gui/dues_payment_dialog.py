"""Recording a dues payment from a member's page: amount, date, method (a check with its
number, card, cash, transfer) against one of their membership periods."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.db.models import PaymentMethod
from sro_desktop.errors import DataRefused
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.theme_colors import problem_style
from sro_desktop.services.member_editing import get_member
from sro_desktop.services.memberships import (
    PeriodBalance,
    check_payment_form,
    period_balances,
    record_dues_payment,
)


def period_text(period: PeriodBalance) -> str:
    end = f"{period.end:%m/%d/%Y}" if period.end else "never expires"
    owed = f"owes ${period.outstanding:,.2f}" if period.outstanding else period.standing.lower()
    return f"{period.membership_type}, {period.start:%m/%d/%Y} – {end} ({owed})"


class DuesPaymentDialog(QDialog):
    def __init__(
        self,
        member_name: str,
        periods: list[PeriodBalance],
        save: Callable[[int, Decimal, date, PaymentMethod, str, str], bool],
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record dues from {member_name}")
        self._save = save
        self._periods = periods
        self.period = QComboBox()
        self.period.setAccessibleName("Membership period")
        for balance in periods:
            self.period.addItem(period_text(balance), balance.membership_id)
        owing = [i for i, p in enumerate(periods) if p.outstanding > 0]
        self.period.setCurrentIndex(owing[0] if owing else len(periods) - 1)
        self.amount = QLineEdit()
        self.amount.setAccessibleName("Amount")
        self.amount.setPlaceholderText("150.00")
        self.paid_on = QDateEdit()
        self.paid_on.setCalendarPopup(True)
        self.paid_on.setDisplayFormat("MM/dd/yyyy")
        self.paid_on.setDate(QDate(today or date.today()))
        self.method = QComboBox()
        self.method.setAccessibleName("Method")
        for method in PaymentMethod:
            self.method.addItem(method.label, method.value)
        self.reference = QLineEdit()
        self.reference.setAccessibleName("Reference")
        self.reference_label = QLabel()
        self.memo = QLineEdit()
        self.problems = QLabel()
        self.problems.setStyleSheet(problem_style())
        self.problems.setWordWrap(True)

        form = QFormLayout()
        form.addRow("For:", self.period)
        form.addRow("Amount ($):", self.amount)
        form.addRow("Received on:", self.paid_on)
        form.addRow("Method:", self.method)
        form.addRow(self.reference_label, self.reference)
        form.addRow("Memo:", self.memo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.period.currentIndexChanged.connect(self._fill_amount)
        self.amount.textChanged.connect(self.validate)
        self.method.currentIndexChanged.connect(self.validate)
        self.reference.textChanged.connect(self.validate)
        self._fill_amount()
        self.resize(520, self.sizeHint().height())

    def _fill_amount(self) -> None:
        index = self.period.currentIndex()
        if 0 <= index < len(self._periods):
            owed = self._periods[index].outstanding
            self.amount.setText(f"{owed:.2f}" if owed else "")
        self.validate()

    def chosen_method(self) -> PaymentMethod:
        return PaymentMethod(self.method.currentData())

    def validate(self) -> bool:
        method = self.chosen_method()
        check = method is PaymentMethod.CHECK
        self.reference_label.setText("Check number:" if check else "Reference:")
        self.reference.setPlaceholderText("required" if check else "optional")
        _, problems = check_payment_form(self.amount.text(), method, self.reference.text())
        self.problems.setText(" ".join(problems.values()))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)
        return not problems

    def _on_save(self) -> None:
        amount, problems = check_payment_form(
            self.amount.text(), self.chosen_method(), self.reference.text()
        )
        if problems or amount is None:
            return
        if self._save(
            self.period.currentData(),
            amount,
            _as_date(self.paid_on.date().toPython()),
            self.chosen_method(),
            self.reference.text(),
            self.memo.text(),
        ):
            self.accept()


def _as_date(value: object) -> date:
    assert isinstance(value, date)
    return value


def dues_payment_dialog(
    actions: MemberActions, member_id: int, parent: QWidget | None = None
) -> DuesPaymentDialog | None:
    """Open the dues form for `member_id` (window-modal); None if they have no periods."""

    def load(session: Session) -> tuple[str, list[PeriodBalance]]:
        return get_member(session, member_id).full_name, period_balances(session, member_id)

    name, periods = actions.read(load)
    if not periods:
        show_error(
            parent,
            "Record dues",
            DataRefused(f"{name} has no membership to pay dues for; renew or start one first."),
        )
        return None

    def save(
        membership_id: int,
        amount: Decimal,
        paid_on: date,
        method: PaymentMethod,
        reference: str,
        memo: str,
    ) -> bool:
        ok, _ = actions.run(
            f"Record dues from {name}",
            lambda session: record_dues_payment(
                session,
                member_id=member_id,
                amount=amount,
                paid_on=paid_on,
                method=method,
                reference=reference,
                membership_id=membership_id,
                memo=memo,
            ),
            lambda payment: f"Recorded ${payment.amount:,.2f} dues from {name}",
            parent=dialog,
        )
        return ok

    dialog = DuesPaymentDialog(name, periods, save, parent, actions.today())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
