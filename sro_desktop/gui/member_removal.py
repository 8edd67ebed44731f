"""Archiving, bringing back and deleting a person, from the table or their page."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.services.member_editing import (
    delete_member,
    get_member,
    linked_records,
    set_archived,
)


def _name(actions: MemberActions, member_id: int) -> str:
    return actions.read(lambda session: get_member(session, member_id).full_name)


def archive_member(
    actions: MemberActions, member_id: int, archived: bool, parent: QWidget | None = None
) -> bool:
    name = _name(actions, member_id)
    ok, _ = actions.run(
        f"{'Archive' if archived else 'Unarchive'} {name}",
        lambda session: set_archived(session, member_id, archived),
        lambda _member: f"Archived {name}" if archived else f"Brought {name} back to the list",
        parent=parent,
    )
    return ok


def delete_member_asking(
    actions: MemberActions, member_id: int, parent: QWidget | None = None
) -> bool:
    """Delete after asking; a person with payments, registrations or certificates is
    refused with the reason (archive them instead)."""
    name = _name(actions, member_id)
    linked = actions.read(lambda session: linked_records(session, member_id))
    if linked:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Delete member",
            f"{name} has {linked.describe()} on record, so they cannot be deleted: the "
            "books and the certificate register must stay whole.\n\nArchive them instead? "
            "They leave the list and every record stays.",
            QMessageBox.StandardButton.Cancel,
            parent,
        )
        archive = box.addButton("Archive", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        if box.clickedButton() is archive:
            archive_member(actions, member_id, True, parent)
        return False
    answer = QMessageBox.question(
        parent,
        "Delete member",
        f"Delete {name} and their membership periods?\n\nEdit > Undo brings them back "
        "during this session.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False

    def work(session: Session) -> None:
        delete_member(session, member_id)

    ok, _ = actions.run(f"Delete {name}", work, lambda _none: f"Deleted {name}", parent=parent)
    return ok
