"""The form for adding or editing a person, checking each field as it is typed.

Every rule lives in `services.member_editing.check_member`; the form shows its verdict
under each field (a problem in red, how a value will be saved in grey) and allows Save
only when nothing is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import Employer, EmployerType, JobRole
from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.theme_colors import css, problem_style
from sro_desktop.services.member_editing import (
    LABELS,
    MemberCheck,
    MemberDraft,
    add_member,
    check_member,
    draft_of,
    get_member,
    update_member,
)

PROBLEM_STYLE = "color: #b00020;"
HINT_STYLE = "color: palette(placeholder-text);"
TEXT_FIELDS = (
    "first_name",
    "last_name",
    "credentials",
    "email",
    "phone",
    "job_title",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "member_since",
)
PLACEHOLDERS = {
    "credentials": "MD, PhD, CHCP…",
    "email": "name@example.org",
    "phone": "(215) 555-0100",
    "state": "PA or Pennsylvania",
    "member_since": "MM/DD/YYYY",
    "organization": "Employer: hospital, school, company…",
}


E = TypeVar("E", EmployerType, JobRole)


def _enum(enum_class: type[E], value: object) -> E | None:
    """A combo box's item data (Qt hands enums back as their text) as the enum again."""
    return enum_class(str(value)) if value else None


class MemberDialog(QDialog):
    """The form. `check` judges a draft; `save` stores it and says whether it worked."""

    def __init__(
        self,
        title: str,
        check: Callable[[MemberDraft], MemberCheck],
        save: Callable[[MemberDraft], bool],
        organizations: dict[str, EmployerType],
        draft: MemberDraft | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._check = check
        self._save = save
        self._organizations = organizations
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}

        for name in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(LABELS[name])
            edit.setPlaceholderText(PLACEHOLDERS.get(name, ""))
            self.edits[name] = edit
        self.organization = QComboBox()
        self.organization.setEditable(True)
        self.organization.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organization.addItem("")
        self.organization.addItems(sorted(organizations, key=str.casefold))
        line = self.organization.lineEdit()
        assert line is not None
        line.setPlaceholderText(PLACEHOLDERS["organization"])
        self.organization.setAccessibleName(LABELS["organization"])
        completer = QCompleter(sorted(organizations, key=str.casefold), self.organization)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.organization.setCompleter(completer)
        self.organization_type = QComboBox()
        self.organization_type.setAccessibleName(LABELS["organization_type"])
        self.organization_type.addItem("", None)
        for kind in EmployerType:
            self.organization_type.addItem(kind.label, kind.value)
        self.job_role = QComboBox()
        self.job_role.setAccessibleName(LABELS["job_role"])
        self.job_role.addItem("", None)
        for role in JobRole:
            self.job_role.addItem(role.label, role.value)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(LABELS["notes"])
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().height() * 4)
        for name in (*TEXT_FIELDS, "organization", "organization_type"):
            label = QLabel()
            label.setWordWrap(True)
            label.hide()
            self.messages[name] = label

        person = self._group(
            "Person",
            [
                ("first_name", self.edits["first_name"], True),
                ("last_name", self.edits["last_name"], True),
                ("credentials", self.edits["credentials"], False),
                ("email", self.edits["email"], False),
                ("phone", self.edits["phone"], False),
                ("member_since", self.edits["member_since"], False),
            ],
        )
        work = self._group(
            "Work",
            [
                ("organization", self.organization, False),
                ("organization_type", self.organization_type, False),
                ("job_role", self.job_role, False),
                ("job_title", self.edits["job_title"], False),
            ],
        )
        address = self._group(
            "Address",
            [
                ("address_line1", self.edits["address_line1"], False),
                ("address_line2", self.edits["address_line2"], False),
                ("city", self.edits["city"], False),
                ("state", self.edits["state"], False),
                ("postal_code", self.edits["postal_code"], False),
            ],
        )
        notes_box = QGroupBox("Notes")
        QVBoxLayout(notes_box).addWidget(self.notes)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.summary = QLabel()
        self.summary.setStyleSheet(problem_style())

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(person)
        left.addWidget(notes_box)
        right = QVBoxLayout()
        right.addWidget(work)
        right.addWidget(address)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        if draft is not None:
            self.set_draft(draft)
        for edit in self.edits.values():
            edit.textChanged.connect(self.validate)
        self.organization.currentTextChanged.connect(self._organization_typed)
        self.organization_type.currentIndexChanged.connect(self.validate)
        self.job_role.currentIndexChanged.connect(self.validate)
        self.validate()
        self.edits["first_name"].setFocus()
        self.resize(860, self.sizeHint().height())

    def _group(self, title: str, rows: list[tuple[str, QWidget, bool]]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        line = 0
        for name, widget, required in rows:
            label = QLabel(f"{LABELS[name]}{' *' if required else ''}:")
            label.setBuddy(widget)
            grid.addWidget(label, line, 0)
            grid.addWidget(widget, line, 1)
            line += 1
            if name in self.messages:
                grid.addWidget(self.messages[name], line, 1)
                line += 1
        return box

    # -- values -------------------------------------------------------------------------

    def set_draft(self, draft: MemberDraft) -> None:
        for name, edit in self.edits.items():
            edit.setText(getattr(draft, name))
        self.organization.setCurrentText(draft.organization)
        kind, role = draft.organization_type, draft.job_role
        self.organization_type.setCurrentIndex(
            max(0, self.organization_type.findData(kind.value if kind else None))
        )
        self.job_role.setCurrentIndex(max(0, self.job_role.findData(role.value if role else None)))
        self.notes.setPlainText(draft.notes)

    def draft(self) -> MemberDraft:
        texts = {name: edit.text() for name, edit in self.edits.items()}
        return MemberDraft(
            **texts,
            organization=self.organization.currentText(),
            organization_type=_enum(EmployerType, self.organization_type.currentData()),
            job_role=_enum(JobRole, self.job_role.currentData()),
            notes=self.notes.toPlainText(),
        )

    def _organization_typed(self, text: str) -> None:
        known = {name.casefold(): kind for name, kind in self._organizations.items()}
        kind = known.get(" ".join(text.split()).casefold())
        if kind is not None:
            self.organization_type.setCurrentIndex(self.organization_type.findData(kind.value))
        self.validate()

    def validate(self) -> MemberCheck:
        """Judge the form as it stands and show the verdict under each field."""
        check = self._check(self.draft())
        for name, label in self.messages.items():
            problem = check.problems.get(name)
            hint = check.hints.get(name)
            label.setText(problem or hint or "")
            label.setStyleSheet(problem_style() if problem else HINT_STYLE)
            label.setVisible(bool(problem or hint))
            widget = self.edits.get(name)
            if widget is not None:
                widget.setProperty("invalid", bool(problem))
                widget.setStyleSheet(f"border: 1px solid {css('#b00020')};" if problem else "")
        self.save_button.setEnabled(check.ok)
        count = len(check.problems)
        self.summary.setText(
            "" if check.ok else f"{count} field{'s' if count != 1 else ''} to fix before saving"
        )
        self._fit_height()
        return check

    def _fit_height(self) -> None:
        """Grow to show every message in full (wrapped labels do not ask for it)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _on_save(self) -> None:
        if self.validate().ok and self._save(self.draft()):
            self.accept()


def _organizations(actions: MemberActions) -> dict[str, EmployerType]:
    return actions.read(
        lambda session: {
            name: kind for name, kind in session.execute(select(Employer.name, Employer.type))
        }
    )


def _checker(actions: MemberActions, member_id: int | None) -> Callable[[MemberDraft], MemberCheck]:
    return lambda draft: actions.read(lambda session: check_member(session, draft, member_id))


def add_member_dialog(
    actions: MemberActions,
    parent: QWidget | None = None,
    on_added: Callable[[int], None] | None = None,
) -> MemberDialog:
    """Open the form for a new person (window-modal); `on_added(id)` once they are saved."""

    def save(draft: MemberDraft) -> bool:
        ok, member_id = actions.run(
            " ".join(f"Add {draft.first_name} {draft.last_name}".split()),
            lambda session: add_member(session, draft).id,
            lambda new_id: f"Added member #{new_id}",
            parent=dialog,
        )
        if ok and member_id is not None and on_added is not None:
            on_added(member_id)
        return ok

    dialog = MemberDialog(
        "New member", _checker(actions, None), save, _organizations(actions), parent=parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def edit_member_dialog(
    actions: MemberActions, member_id: int, parent: QWidget | None = None
) -> MemberDialog:
    """Open the form for person `member_id` (window-modal)."""

    def load(session: Session) -> tuple[MemberDraft, str]:
        member = get_member(session, member_id)
        return draft_of(member), member.full_name

    draft, name = actions.read(load)

    def save(changed: MemberDraft) -> bool:
        ok, _ = actions.run(
            f"Edit {name}",
            lambda session: update_member(session, member_id, changed),
            lambda member: f"Saved {member.full_name}",
            parent=dialog,
        )
        return ok

    dialog = MemberDialog(
        f"Edit {name}", _checker(actions, member_id), save, _organizations(actions), draft, parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
