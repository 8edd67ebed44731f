"""Renewing: one member (choosing the type, seeing the period it adds) or everyone shown in
the members table at once, in the background with progress."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.task_runner import Progress
from sro_desktop.gui.theme_colors import problem_style
from sro_desktop.services.member_editing import get_member
from sro_desktop.services.memberships import (
    PlannedPeriod,
    RenewalResult,
    membership_types,
    plan_renewals,
    renew_members,
)

Plan = Callable[[int | None], tuple[list[PlannedPeriod], list[tuple[int, str]]]]


def period_text(period: PlannedPeriod) -> str:
    """Such as "Individual, 01/01/2027 – 12/31/2027, $150.00 dues owed"."""
    end = f"{period.end:%m/%d/%Y}" if period.end else "never expires"
    owed = f"${period.dues:,.2f} dues owed" if period.dues else "no dues"
    return f"{period.type_name}, {period.start:%m/%d/%Y} – {end}, {owed}"


def planned_text(period: PlannedPeriod) -> str:
    return f"Adds the period {period_text(period)}."


class RenewMemberDialog(QDialog):
    """Renew one person: the type (their current one by default) and the period it adds."""

    def __init__(
        self,
        member_name: str,
        types: list[tuple[int, str]],
        current_type: int | None,
        plan: Plan,
        save: Callable[[int | None], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        first = current_type is None
        self.setWindowTitle(f"{'Start a membership for' if first else 'Renew'} {member_name}")
        self._plan = plan
        self._save = save
        self.type = QComboBox()
        self.type.setAccessibleName("Membership type")
        for type_id, name in types:
            self.type.addItem(name, type_id)
        if current_type is not None and self.type.findData(current_type) >= 0:
            self.type.setCurrentIndex(self.type.findData(current_type))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Membership type:", self.type)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Renew")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"Start a membership for <b>{member_name}</b>."
                if first
                else f"Renew <b>{member_name}</b> for the next term."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)
        self.type.currentIndexChanged.connect(self.update_plan)
        self.update_plan()
        self.resize(480, self.sizeHint().height())

    def update_plan(self) -> None:
        planned, skipped = self._plan(self.type.currentData())
        ok = bool(planned)
        if ok:
            self.outcome.setText(planned_text(planned[0]))
            self.outcome.setStyleSheet("")
        else:
            reason = skipped[0][1] if skipped else "nothing to renew"
            self.outcome.setText(f"Cannot renew: {reason}.")
            self.outcome.setStyleSheet(problem_style())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _on_save(self) -> None:
        if self._save(self.type.currentData()):
            self.accept()


def renew_member_dialog(
    actions: MemberActions, member_id: int, parent: QWidget | None = None
) -> RenewMemberDialog:
    """Open the renewal of one person (window-modal)."""
    today = actions.today()

    def load(session: Session) -> tuple[str, list[tuple[int, str]], int | None]:
        member = get_member(session, member_id)
        latest = member.memberships[-1].membership_type_id if member.memberships else None
        types = [(t.id, t.name) for t in membership_types(session) if t.active or t.id == latest]
        return member.full_name, types, latest

    name, types, latest = actions.read(load)

    def plan(type_id: int | None) -> tuple[list[PlannedPeriod], list[tuple[int, str]]]:
        chosen = None if type_id == latest else type_id
        return actions.read(
            lambda session: plan_renewals(
                session, [member_id], today, membership_type_id=chosen, skip_renewed=False
            )
        )

    def save(type_id: int | None) -> bool:
        chosen = None if type_id == latest else type_id
        ok, _ = actions.run(
            f"Renew {name}",
            lambda session: renew_members(
                session, [member_id], today, membership_type_id=chosen, skip_renewed=False
            ),
            lambda result: (
                f"Renewed {name}: {period_text(result.added[0])}"
                if result.added
                else f"{name} was not renewed"
            ),
            parent=dialog,
        )
        return ok

    dialog = RenewMemberDialog(name, types, latest, plan, save, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def renew_many(
    actions: MemberActions,
    member_ids: list[int],
    parent: QWidget | None = None,
    *,
    confirm: bool = True,
    done: Callable[[RenewalResult], None] | None = None,
) -> None:
    """Renew everyone in `member_ids` for their next term, after asking."""
    count = len(member_ids)
    if not count:
        return
    if confirm:
        answer = QMessageBox.question(
            parent,
            "Renew members",
            f"Renew the {count:,} member{'s' if count != 1 else ''} shown for their next term?"
            "\n\nEach gets the period after their latest one, with its dues owed. Members "
            "already renewed and honorary members are skipped. Edit > Undo takes it back.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    today = actions.today()

    def work(session: Session, progress: Progress) -> RenewalResult:
        progress.report(0, 0, f"Renewing {count:,} members…")
        return renew_members(session, member_ids, today)

    actions.run_in_background(
        f"Renew {count:,} member{'s' if count != 1 else ''}",
        work,
        lambda result: result.summary(),
        done,
    )
