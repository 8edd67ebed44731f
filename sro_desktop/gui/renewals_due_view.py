"""Renewals due: who stops being current in the next N days (or is already in grace),
soonest first, with their emails ready to paste into a mail program's BCC field."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.member_record_dialog import open_member_record
from sro_desktop.gui.renewal_dialogs import renew_many
from sro_desktop.gui.text_rows_model import TextRowsModel
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.memberships import RenewalDue, bcc_list, renewals_due

SEPARATORS = (("Commas (most mail programs)", ", "), ("Semicolons (Outlook)", "; "))


class RenewalsDueView(QDialog):
    def __init__(self, actions: MemberActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member_actions = actions
        self.setWindowTitle("Renewals due")
        self.due: list[RenewalDue] = []
        self.days = QSpinBox()
        self.days.setRange(0, 730)
        self.days.setValue(30)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Days ahead")
        self.separator = QComboBox()
        for label, separator in SEPARATORS:
            self.separator.addItem(label, separator)
        self.copy_button = QPushButton("&Copy emails for BCC")
        self.renew_button = QPushButton("&Renew all listed…")
        self.summary = QLabel()
        self.model = TextRowsModel(
            ["Name", "Email", "Membership", "Status", "Paid through", "Lapses on"]
        )
        self.model.setParent(self)  # owned by the window, deleted by Qt in order
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Membership ends within"))
        bar.addWidget(self.days)
        bar.addStretch(1)
        bar.addWidget(self.separator)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.renew_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self.days.valueChanged.connect(self.load)
        self.copy_button.clicked.connect(self.copy_emails)
        self.renew_button.clicked.connect(self.renew_all)
        actions.window.data_changed.connect(self.on_data_changed)
        self._listening = True
        self.resize(900, 560)
        self.load()

    def load(self) -> None:
        days = self.days.value()
        self.due = self.member_actions.read(
            lambda session: renewals_due(session, self.member_actions.today(), days)
        )
        self.model.set_rows(
            [
                (
                    d.member_id,
                    (
                        d.name,
                        d.email or "",
                        d.membership_type or "",
                        d.status.value,
                        f"{d.paid_through:%m/%d/%Y}",
                        f"{d.lapses_on:%m/%d/%Y}",
                    ),
                )
                for d in self.due
            ]
        )
        missing = sum(1 for d in self.due if not d.email)
        count = len(self.due)
        text = f"{count} member{'s' if count != 1 else ''} to renew"
        if missing:
            text += f"; {missing} without an email (call or write to them)"
        self.summary.setText(text)
        self.copy_button.setEnabled(count > missing)
        self.renew_button.setEnabled(bool(count))

    def emails_text(self) -> str:
        return bcc_list([d.email for d in self.due], self.separator.currentData())

    def copy_emails(self) -> None:
        text = self.emails_text()
        QGuiApplication.clipboard().setText(text)
        count = len([e for e in text.split(self.separator.currentData().strip()) if e.strip()])
        self.summary.setText(
            f"Copied {count} email address{'es' if count != 1 else ''}; paste them into the "
            "BCC field of a new message."
        )

    def renew_all(self) -> None:
        renew_many(self.member_actions, [d.member_id for d in self.due], self)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            open_member_record(
                self.member_actions, self.model.key(index.row()), self.parentWidget()
            )

    def on_data_changed(self, change: DataChanged) -> None:
        if change.touches("*", "members", "memberships", "payments", "organization_settings"):
            self.load()

    def done(self, result: int) -> None:
        if self._listening:
            self._listening = False
            self.member_actions.window.data_changed.disconnect(self.on_data_changed)
        super().done(result)


def renewals_due_view(actions: MemberActions, parent: QWidget | None = None) -> RenewalsDueView:
    view = RenewalsDueView(actions, parent)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    return view
