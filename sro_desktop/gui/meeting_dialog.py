"""The meeting dialog: title, format, dates, venue or link, capacity, fees by category with
early-bird prices, and the credit offered. Checks are the service's; this only collects."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.models import CreditType, MeetingFormat, RegistrationCategory
from sro_desktop.errors import DataRefused, UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.services.meetings import FeeInput, MeetingInput
from sro_desktop.services.values import ValueProblem, parse_money

DATE_FORMAT = "MMM d, yyyy"


E = TypeVar("E", bound=StrEnum)


def enum_combo(choices: Iterable[E], current: E | None = None) -> QComboBox:
    """A combo box of an enum's labels. Qt hands a StrEnum back as a plain str, so the
    value is stored and `combo_value` turns it back into the member."""
    combo = QComboBox()
    for choice in choices:
        combo.addItem(getattr(choice, "label", str(choice)), choice.value)
        if choice == current:
            combo.setCurrentIndex(combo.count() - 1)
    return combo


def combo_value(combo: QComboBox, kind: type[E]) -> E | None:
    data = combo.currentData()
    return kind(data) if isinstance(data, str) else None


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit


def edit_date(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def money_text(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


class MeetingDialog(QDialog):
    """New or edit. `submit` saves the values and says whether it worked; the dialog
    stays open (with what was typed) when it did not."""

    def __init__(
        self,
        parent: QWidget | None,
        submit: Callable[[MeetingInput, list[FeeInput]], bool],
        *,
        details: MeetingInput | None = None,
        fees: Sequence[FeeInput] = (),
        default_provider: str = "",
        organization_name: str = "",
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle("Edit meeting" if details else "New meeting")
        today = date.today()
        details = details or MeetingInput(title="", start_date=today)

        self.title_edit = QLineEdit(details.title)
        self.title_edit.setPlaceholderText("e.g. Annual Conference 2027")
        self.format_combo = enum_combo(MeetingFormat, details.format)
        self.start_edit = date_edit(details.start_date)
        self.end_edit = date_edit(details.end_date or details.start_date)
        self.start_edit.dateChanged.connect(self._keep_end_after_start)
        self.venue_edit = QLineEdit(details.venue)
        self.venue_edit.setPlaceholderText("Hotel or building, city")
        self.link_edit = QLineEdit(details.link)
        self.link_edit.setPlaceholderText("https://… (webinar or hybrid)")
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(0, 100000)
        self.capacity_spin.setSpecialValueText("No limit")
        self.capacity_spin.setValue(details.capacity or 0)
        self.notes_edit = QPlainTextEdit(details.notes)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)

        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Format:", self.format_combo)
        dates_label = QLabel("&Dates:")
        dates_label.setBuddy(self.start_edit)
        form.addRow(dates_label, dates)
        form.addRow("&Venue:", self.venue_edit)
        form.addRow("&Link:", self.link_edit)
        form.addRow("Ca&pacity:", self.capacity_spin)
        form.addRow("&Notes:", self.notes_edit)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._fees_box(details, fees))
        layout.addWidget(self._credit_box(details, default_provider, organization_name))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._credit_type_changed()

    # -- fees ------------------------------------------------------------------------------

    def _fees_box(self, details: MeetingInput, fees: Sequence[FeeInput]) -> QGroupBox:
        box = QGroupBox("Registration fees (leave a fee empty if the category is not offered)")
        grid = QGridLayout(box)
        grid.addWidget(QLabel("<b>Category</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Fee</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Early-bird fee</b>"), 0, 2)
        by_category = {fee.category: fee for fee in fees}
        self.fee_edits: dict[RegistrationCategory, tuple[QLineEdit, QLineEdit]] = {}
        for row, category in enumerate(RegistrationCategory, start=1):
            fee = by_category.get(category)
            regular = QLineEdit(money_text(fee.fee if fee else None))
            early = QLineEdit(money_text(fee.early_bird_fee if fee else None))
            regular.setAccessibleName(f"{category.label} fee")
            early.setAccessibleName(f"{category.label} early-bird fee")
            regular.setPlaceholderText("not offered")
            early.setPlaceholderText("none")
            label = QLabel(f"{category.label}:")
            label.setBuddy(regular)
            grid.addWidget(label, row, 0)
            grid.addWidget(regular, row, 1)
            grid.addWidget(early, row, 2)
            self.fee_edits[category] = (regular, early)
        self.early_bird_check = QCheckBox("Early-bird prices apply &until")
        deadline = details.early_bird_deadline or details.start_date
        self.early_bird_edit = date_edit(deadline)
        self.early_bird_check.setChecked(details.early_bird_deadline is not None)
        self.early_bird_edit.setEnabled(self.early_bird_check.isChecked())
        self.early_bird_check.toggled.connect(self.early_bird_edit.setEnabled)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.early_bird_check)
        deadline_row.addWidget(self.early_bird_edit)
        deadline_row.addWidget(QLabel("(inclusive)"))
        deadline_row.addStretch(1)
        grid.addLayout(deadline_row, len(RegistrationCategory) + 1, 0, 1, 3)
        return box

    # -- credit ----------------------------------------------------------------------------

    def _credit_box(
        self, details: MeetingInput, default_provider: str, organization_name: str
    ) -> QGroupBox:
        box = QGroupBox("Credit offered")
        self.credit_combo = enum_combo(CreditType, details.credit_type)
        self.credit_combo.currentIndexChanged.connect(self._credit_type_changed)
        self.provider_edit = QLineEdit(details.accredited_provider or default_provider)
        self.provider_edit.setPlaceholderText("The ACCME-accredited provider")
        self.max_credits_spin = QDoubleSpinBox()
        self.max_credits_spin.setRange(0.25, 100)
        self.max_credits_spin.setSingleStep(0.25)
        self.max_credits_spin.setDecimals(2)
        self.max_credits_spin.setValue(float(details.max_credits or 1))
        own = organization_name or "your organization"
        self.provider_note = QLabel(
            f"Directly provided when the provider is {own}; jointly provided otherwise."
        )
        self.provider_note.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow("&Credit:", self.credit_combo)
        form.addRow("Accredited &provider:", self.provider_edit)
        form.addRow("", self.provider_note)
        form.addRow("&Maximum credits designated:", self.max_credits_spin)
        return box

    def _credit_type_changed(self) -> None:
        ama = combo_value(self.credit_combo, CreditType) is CreditType.AMA_PRA_1
        for widget in (self.provider_edit, self.max_credits_spin, self.provider_note):
            widget.setEnabled(ama)

    def _keep_end_after_start(self, start: QDate) -> None:
        if self.end_edit.date() < start:
            self.end_edit.setDate(start)

    # -- values ----------------------------------------------------------------------------

    def values(self) -> tuple[MeetingInput, list[FeeInput]]:
        """What was entered; a UserError names a fee that is not an amount."""
        fees = []
        for category, (regular, early) in self.fee_edits.items():
            fee = _money(regular, f"The {category.label.lower()} fee")
            early_fee = _money(early, f"The {category.label.lower()} early-bird fee")
            if fee is None:
                if early_fee is not None:
                    raise DataRefused(
                        f"The {category.label.lower()} category has an early-bird fee but no "
                        "regular fee; enter the regular fee too."
                    )
                continue
            fees.append(FeeInput(category, fee, early_fee))
        credit_type = combo_value(self.credit_combo, CreditType) or CreditType.ATTENDANCE
        meeting_format = combo_value(self.format_combo, MeetingFormat) or MeetingFormat.IN_PERSON
        details = MeetingInput(
            title=self.title_edit.text(),
            start_date=edit_date(self.start_edit),
            end_date=edit_date(self.end_edit),
            format=meeting_format,
            venue=self.venue_edit.text(),
            link=self.link_edit.text(),
            capacity=self.capacity_spin.value() or None,
            early_bird_deadline=(
                edit_date(self.early_bird_edit) if self.early_bird_check.isChecked() else None
            ),
            credit_type=credit_type,
            accredited_provider=self.provider_edit.text(),
            max_credits=Decimal(str(self.max_credits_spin.value())).quantize(Decimal("0.01")),
            notes=self.notes_edit.toPlainText(),
        )
        return details, fees

    def accept(self) -> None:
        try:
            details, fees = self.values()
        except UserError as error:
            show_error(self, self.windowTitle(), error)
            return
        if self._submit(details, fees):
            super().accept()


def _money(edit: QLineEdit, what: str) -> Decimal | None:
    try:
        return parse_money(edit.text())
    except ValueProblem as problem:
        edit.setFocus()
        raise DataRefused(f"{what}: {problem}.") from None
