"""A member's page: details, membership history, payments, meetings attended and
certificates in one window, with the actions a treasurer takes from there (edit, record
dues, renew, archive, delete). It follows changes made anywhere while it is open."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.errors import UserError
from sro_desktop.gui.dues_payment_dialog import dues_payment_dialog
from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.member_dialog import edit_member_dialog
from sro_desktop.gui.member_removal import archive_member, delete_member_asking
from sro_desktop.gui.renewal_dialogs import renew_member_dialog
from sro_desktop.gui.text_rows_model import TextRowsModel
from sro_desktop.gui.theme_colors import css
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.member_editing import MembersChanged
from sro_desktop.services.member_record import MemberRecord, member_record
from sro_desktop.services.membership_status import MemberStatus

STATUS_COLORS = {
    MemberStatus.CURRENT: "#1b7f3b",
    MemberStatus.GRACE: "#a86400",
    MemberStatus.PENDING: "#b35c00",
    MemberStatus.LAPSED: "#b00020",
    MemberStatus.HONORARY: "#1d4f91",
    MemberStatus.NON_MEMBER: "#5b6470",
}

_open: dict[int, MemberRecordDialog] = {}


def _money(value: object) -> str:
    return f"${value:,.2f}" if value is not None else ""


def _day(value: date | None) -> str:
    return f"{value:%m/%d/%Y}" if value is not None else ""


def _table(model: TextRowsModel, parent: QWidget) -> QTableView:
    """A table and its model, both owned by `parent` (Qt deletes them in order)."""
    view = QTableView(parent)
    model.setParent(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class MemberRecordDialog(QDialog):
    def __init__(self, actions: MemberActions, member_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.member_actions = actions
        self.member_id = member_id
        self.record: MemberRecord | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)

        self.heading = QLabel()
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.edit_button = QPushButton("&Edit…")
        self.pay_button = QPushButton("Record &dues…")
        self.renew_button = QPushButton("&Renew…")
        self.archive_button = QPushButton("&Archive")
        self.delete_button = QPushButton("De&lete…")
        self.edit_button.clicked.connect(self.edit)
        self.pay_button.clicked.connect(self.record_dues)
        self.renew_button.clicked.connect(self.renew)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(QKeySequence("Ctrl+E"), self, self.edit)

        self.periods = TextRowsModel(
            ["Type", "From", "Through", "Dues", "Paid", "Owed", "Standing"], numeric=(3, 4, 5)
        )
        self.payments = TextRowsModel(
            ["Date", "Amount", "For", "Method", "Reference", "Memo"], numeric=(1,)
        )
        self.meetings = TextRowsModel(["Date", "Meeting", "As", "Registration", "Checked in"])
        self.certificates = TextRowsModel(
            ["Issued", "Number", "Meeting", "Kind", "Credits", "Hours"], numeric=(4, 5)
        )
        self.tabs = QTabWidget()
        for model in (self.periods, self.payments, self.meetings, self.certificates):
            self.tabs.addTab(_table(model, self), "")

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.status)
        buttons = QHBoxLayout()
        for button in (
            self.edit_button,
            self.pay_button,
            self.renew_button,
            self.archive_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        self.resize(900, 620)
        actions.window.data_changed.connect(self.on_data_changed)
        self._listening = True
        self.reload()

    def reload(self) -> bool:
        """Read the record again; False (and the window closes) if the person is gone."""
        try:
            record = self.member_actions.read(
                lambda session: member_record(session, self.member_id, self.member_actions.today())
            )
        except UserError:
            if self.isVisible():
                self.close()
            return False
        self.record = record
        member = record.member
        self.setWindowTitle(f"{member.full_name} — member #{member.id}")
        credentials = f", {escape(member.credentials)}" if member.credentials else ""
        grey = css("#5b6470")
        archived = f" <span style='color:{grey}'>(archived)</span>" if member.archived else ""
        self.heading.setText(f"<h2>{escape(member.full_name)}{credentials}{archived}</h2>")
        color = css(STATUS_COLORS[record.status])
        paid = f" · paid through {_day(record.paid_through)}" if record.paid_through else ""
        self.status.setText(
            f"<span style='color:{color}; font-weight:bold; font-size:larger'>"
            f"{record.status.value}</span>{paid}"
        )
        self.details.setText(self._details_html(record))
        self.archive_button.setText("Un&archive" if member.archived else "&Archive")
        self.pay_button.setEnabled(bool(record.periods))
        self.periods.set_rows(
            [
                (
                    p.membership_id,
                    (
                        p.membership_type,
                        _day(p.start),
                        _day(p.end) or "never expires",
                        _money(p.dues),
                        _money(p.paid),
                        _money(p.outstanding) if p.outstanding else "",
                        p.standing,
                    ),
                )
                for p in reversed(record.periods)
            ]
        )
        self.payments.set_rows(
            [
                (
                    p.id,
                    (
                        _day(p.paid_on),
                        _money(p.amount),
                        p.purpose,
                        p.method,
                        p.reference,
                        p.memo,
                    ),
                )
                for p in record.payments
            ]
        )
        self.meetings.set_rows(
            [
                (
                    m.meeting_id,
                    (
                        _day(m.start_date),
                        m.title,
                        m.category,
                        m.status,
                        "yes" if m.checked_in_at else "",
                    ),
                )
                for m in record.meetings
            ]
        )
        self.certificates.set_rows(
            [
                (
                    c.id,
                    (
                        _day(c.issued_on),
                        c.number,
                        c.meeting_title,
                        c.kind,
                        f"{c.credits:g}" if c.credits is not None else "",
                        f"{c.hours:g}" if c.hours is not None else "",
                    ),
                )
                for c in record.certificates
            ]
        )
        owed = f" — ${record.outstanding:,.2f} owed" if record.outstanding else ""
        titles = (
            f"Membership history ({len(record.periods)}){owed}",
            f"Payments ({len(record.payments)})",
            f"Meetings ({len(record.meetings)})",
            f"Certificates ({len(record.certificates)})",
        )
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        return True

    @staticmethod
    def _details_html(record: MemberRecord) -> str:
        member = record.member
        lines = []
        work = []
        if member.employer is not None:
            work.append(f"<b>{escape(member.employer.name)}</b> ({member.employer.type.label})")
        if member.job_title:
            work.append(escape(member.job_title))
        if member.job_role is not None:
            work.append(member.job_role.label)
        if work:
            lines.append(" · ".join(work))
        contact = [escape(v) for v in (member.email or "", member.phone) if v]
        if contact:
            lines.append(" · ".join(contact))
        place = ", ".join(
            escape(p)
            for p in (
                member.address_line1,
                member.address_line2,
                member.city,
                " ".join(x for x in (member.state, member.postal_code) if x),
            )
            if p
        )
        if place:
            lines.append(place)
        if member.member_since is not None:
            lines.append(f"Member since {_day(member.member_since)}")
        if member.notes.strip():
            lines.append(f"<i>{escape(member.notes.strip())}</i>".replace("\n", "<br>"))
        return "<br>".join(lines) or "<i>No details yet; use Edit to add them.</i>"

    def on_data_changed(self, change: DataChanged) -> None:
        if not change.touches(
            "*",
            "members",
            "memberships",
            "payments",
            "registrations",
            "certificates",
            "employers",
            "membership_types",
        ):
            return
        if (
            isinstance(change, MembersChanged)
            and change.member_ids
            and self.member_id not in change.member_ids
        ):
            return
        self.reload()

    # -- actions ------------------------------------------------------------------------

    def edit(self) -> None:
        edit_member_dialog(self.member_actions, self.member_id, self)

    def record_dues(self) -> None:
        dues_payment_dialog(self.member_actions, self.member_id, self)

    def renew(self) -> None:
        renew_member_dialog(self.member_actions, self.member_id, self)

    def toggle_archived(self) -> None:
        if self.record is not None:
            archive_member(
                self.member_actions, self.member_id, not self.record.member.archived, self
            )

    def delete(self) -> None:
        if delete_member_asking(self.member_actions, self.member_id, self):
            self.close()

    def done(self, result: int) -> None:
        if _open.get(self.member_id) is self:
            del _open[self.member_id]
        if self._listening:
            self._listening = False
            self.member_actions.window.data_changed.disconnect(self.on_data_changed)
        super().done(result)


def open_member_record(
    actions: MemberActions, member_id: int, parent: QWidget | None = None
) -> MemberRecordDialog:
    """Show person `member_id`'s page, raising it if it is already open."""
    dialog = _open.get(member_id)
    if dialog is not None:
        dialog.raise_()  # already open: bring it to the front
        dialog.activateWindow()
        return dialog
    dialog = MemberRecordDialog(actions, member_id, parent)
    if dialog.record is None:
        dialog.done(QDialog.DialogCode.Rejected)
        raise UserError(f"There is no member #{member_id} any more.")
    _open[member_id] = dialog
    dialog.show()
    return dialog
