"""Membership types (dues and term) and the two settings renewals and status depend on:
the grace days after a period ends, and the month the fiscal year starts."""

from __future__ import annotations

import calendar

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.db.models import MembershipTerm
from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.text_rows_model import TextRowsModel
from sro_desktop.gui.theme_colors import problem_style
from sro_desktop.services.memberships import (
    MAX_GRACE_DAYS,
    TypeDraft,
    check_type,
    delete_membership_type,
    membership_types,
    save_membership_type,
    set_membership_settings,
)
from sro_desktop.services.organization import organization_settings


class MembershipTypesDialog(QDialog):
    def __init__(self, actions: MemberActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member_actions = actions
        self.setWindowTitle("Membership types and settings")
        self._selected: int | None = None

        self.model = TextRowsModel(["Type", "Dues", "Term", "Offered"], numeric=(1,))
        self.model.setParent(self)  # owned by the dialog, deleted by Qt in order
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.name = QLineEdit()
        self.name.setAccessibleName("Type name")
        self.dues = QLineEdit()
        self.dues.setAccessibleName("Dues")
        self.term = QComboBox()
        self.term.setAccessibleName("Term")
        for term in MembershipTerm:
            self.term.addItem(term.label, term.value)
        self.honorary = QCheckBox("Honorary (never expires, no dues)")
        self.active = QCheckBox("Offered to new members")
        self.description = QLineEdit()
        self.problems = QLabel()
        self.problems.setStyleSheet(problem_style())
        self.problems.setWordWrap(True)
        self.new_button = QPushButton("&New type")
        self.save_button = QPushButton("&Save type")
        self.delete_button = QPushButton("&Delete type")
        self.new_button.clicked.connect(self.new_type)
        self.save_button.clicked.connect(self.save_type)
        self.delete_button.clicked.connect(self.delete_type)
        for edit in (self.name, self.dues):
            edit.textChanged.connect(self.validate)
        self.term.currentIndexChanged.connect(self.validate)
        self.honorary.toggled.connect(self._honorary_toggled)

        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Dues ($):", self.dues)
        form.addRow("Term:", self.term)
        form.addRow("", self.honorary)
        form.addRow("", self.active)
        form.addRow("Description:", self.description)
        type_buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            type_buttons.addWidget(button)
        editor = QGroupBox("Type")
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.problems)
        editor_layout.addLayout(type_buttons)
        editor_layout.addStretch(1)

        self.grace = QSpinBox()
        self.grace.setRange(0, MAX_GRACE_DAYS)
        self.grace.setSuffix(" days")
        self.grace.setAccessibleName("Grace days")
        self.fiscal_start = QComboBox()
        self.fiscal_start.setAccessibleName("Fiscal year starts in")
        for month in range(1, 13):
            self.fiscal_start.addItem(calendar.month_name[month], month)
        self.settings_button = QPushButton("Save se&ttings")
        self.settings_button.clicked.connect(self.save_settings)
        settings = QGroupBox("Renewals")
        settings_form = QFormLayout(settings)
        settings_form.addRow("Grace after a membership ends:", self.grace)
        settings_form.addRow("Fiscal year starts in:", self.fiscal_start)
        settings_form.addRow("", self.settings_button)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        columns = QHBoxLayout()
        columns.addWidget(self.table, 3)
        right = QVBoxLayout()
        right.addWidget(editor)
        right.addWidget(settings)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(close)
        self.resize(860, 460)
        self.load()

    def load(self, select: int | None = None) -> None:
        def read(session: Session) -> tuple[list[tuple[int, tuple[str, ...]]], int, int]:
            rows: list[tuple[int, tuple[str, ...]]] = [
                (
                    t.id,
                    (t.name, f"${t.dues:,.2f}", t.term.label, "yes" if t.active else "no"),
                )
                for t in membership_types(session)
            ]
            settings = organization_settings(session)
            return rows, settings.grace_days, settings.fiscal_year_start_month

        rows, grace, month = self.member_actions.read(read)
        self.model.set_rows(rows)
        self.grace.setValue(grace)
        self.fiscal_start.setCurrentIndex(month - 1)
        keys = self.model.keys()
        wanted = select if select in keys else self._selected if self._selected in keys else None
        if wanted is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(keys.index(wanted), 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.new_type()

    def _row_chosen(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        type_id = self.model.key(index.row())
        kind = self.member_actions.read(
            lambda session: next(t for t in membership_types(session) if t.id == type_id)
        )
        self._selected = type_id
        self.name.setText(kind.name)
        self.dues.setText(f"{kind.dues:.2f}")
        self.term.setCurrentIndex(self.term.findData(kind.term.value))
        self.honorary.setChecked(kind.honorary)
        self.active.setChecked(kind.active)
        self.description.setText(kind.description)
        self.delete_button.setEnabled(True)
        self.validate()

    def new_type(self) -> None:
        self._selected = None
        self.table.clearSelection()
        self.name.clear()
        self.dues.setText("0.00")
        self.term.setCurrentIndex(0)
        self.honorary.setChecked(False)
        self.active.setChecked(True)
        self.description.clear()
        self.delete_button.setEnabled(False)
        self.validate()
        self.name.setFocus()

    def _honorary_toggled(self, honorary: bool) -> None:
        if honorary:
            self.term.setCurrentIndex(self.term.findData(MembershipTerm.LIFETIME.value))
            self.dues.setText("0.00")
        self.dues.setEnabled(not honorary)
        self.validate()

    def draft(self) -> TypeDraft:
        return TypeDraft(
            name=self.name.text(),
            dues=self.dues.text(),
            term=MembershipTerm(self.term.currentData()),
            honorary=self.honorary.isChecked(),
            active=self.active.isChecked(),
            description=self.description.text(),
        )

    def validate(self) -> bool:
        draft = self.draft()
        problems = self.member_actions.read(
            lambda session: check_type(session, draft, self._selected)
        )
        # An empty name is not scolded before anything was typed; Save waits for it.
        shown = [v for k, v in problems.items() if k != "name" or draft.name.strip()]
        self.problems.setText(" ".join(shown))
        self.save_button.setEnabled(not problems)
        return not problems

    def save_type(self) -> None:
        if not self.validate():
            return
        draft, type_id = self.draft(), self._selected
        ok, saved = self.member_actions.run(
            f"Save membership type {draft.name.strip()}",
            lambda session: save_membership_type(session, draft, type_id).id,
            lambda _id: f"Saved membership type {draft.name.strip()}",
            parent=self,
        )
        if ok:
            self.load(select=saved)

    def delete_type(self) -> None:
        type_id = self._selected
        if type_id is None:
            return
        ok, _ = self.member_actions.run(
            f"Delete membership type {self.name.text().strip()}",
            lambda session: delete_membership_type(session, type_id),
            lambda _none: "Deleted the membership type",
            parent=self,
        )
        if ok:
            self._selected = None
            self.load()

    def save_settings(self) -> None:
        grace, month = self.grace.value(), self.fiscal_start.currentData()
        self.member_actions.run(
            "Change renewal settings",
            lambda session: set_membership_settings(session, grace, month),
            lambda _none: (
                f"Grace is now {grace} days; the fiscal year starts in {calendar.month_name[month]}"
            ),
            parent=self,
        )


def membership_types_dialog(
    actions: MemberActions, parent: QWidget | None = None
) -> MembershipTypesDialog:
    dialog = MembershipTypesDialog(actions, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
