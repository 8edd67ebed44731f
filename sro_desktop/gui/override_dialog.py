"""Overriding a person's credits: the figure to give instead of the computed one, and
why (required, and kept with the change in the audit trail)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.models import CreditType
from sro_desktop.services.attendance import AttendeeCredit
from sro_desktop.services.meetings import duration_text


class OverrideDialog(QDialog):
    """`submit(credits, reason)` saves; credits None goes back to the computed figure."""

    def __init__(
        self,
        parent: QWidget | None,
        attendee: AttendeeCredit,
        submit: Callable[[Decimal | None, str], bool],
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        unit = "hours" if attendee.credit_type is CreditType.ATTENDANCE else "credits"
        self.setWindowTitle(f"Override {attendee.full_name}'s {unit}")
        intro = QLabel(
            f"Computed: <b>{attendee.computed_credits}</b> {unit} from "
            f"{duration_text(attendee.minutes)} of credit-eligible time. Recorded by: "
            f"{attendee.basis.label.lower()}."
        )
        intro.setWordWrap(True)
        self.credits_spin = QDoubleSpinBox()
        self.credits_spin.setDecimals(2)
        self.credits_spin.setSingleStep(0.25)
        maximum = attendee.max_credits if attendee.max_credits is not None else Decimal(100)
        self.credits_spin.setRange(0, float(maximum))
        self.credits_spin.setValue(float(attendee.credits))
        self.credits_spin.setSuffix(f" {unit}")
        self.reason_edit = QLineEdit(attendee.override_reason)
        self.reason_edit.setPlaceholderText("e.g. left at lunch, per the sign-out sheet")
        form = QFormLayout()
        form.addRow(f"&Give ({unit}):", self.credits_spin)
        form.addRow("&Reason:", self.reason_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.clear_button = buttons.addButton(
            "Use computed figure", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.clear_button.setEnabled(attendee.overridden)
        self.clear_button.clicked.connect(self._clear)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        credits = Decimal(str(self.credits_spin.value())).quantize(Decimal("0.01"))
        if self._submit(credits, self.reason_edit.text()):
            super().accept()

    def _clear(self) -> None:
        if self._submit(None, self.reason_edit.text()):
            super().accept()
