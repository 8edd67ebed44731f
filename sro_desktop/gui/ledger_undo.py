"""Undoable ledger actions for Edit > Undo: add, edit or delete an expense, add income,
tick or clear reconciliation marks. Each step (do, undo, redo) is one transaction.

A step that fails (the record was changed elsewhere meanwhile, or a receipted payment
cannot be removed) is shown to the user and the command drops out of the undo history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import report_bug, show_error
from sro_desktop.gui.ledger_dialogs import IncomeValues
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.ledger import (
    ExpenseValues,
    TransactionKind,
    add_expense,
    delete_expense,
    set_reconciled,
    update_expense,
)
from sro_desktop.services.payments import delete_payment, record_payment


@dataclass
class LedgerContext:
    """What the commands need from the page: the open database, where to announce a
    change, and a window to show a failure over."""

    database: Callable[[], Database | None]
    announce: Callable[[DataChanged], None]
    parent: QWidget | None = None
    last_error: BaseException | None = field(default=None)


class LedgerCommand(QUndoCommand):
    """Runs `do` on redo and `undo_step` on undo, each in its own transaction."""

    tables: frozenset[str] = frozenset({"expenses"})

    def __init__(self, text: str, context: LedgerContext) -> None:
        super().__init__(text)
        self.context = context

    def do(self, session: Session) -> None:
        raise NotImplementedError

    def undo_step(self, session: Session) -> None:
        raise NotImplementedError

    def done_text(self) -> str:
        """The status-bar sentence after doing it (past tense, naming what changed)."""
        return self.text().lower()

    def undone_text(self) -> str:
        """The status-bar sentence after undoing it."""
        return f"undid: {self.text().lower()}"

    def _run(self, step: Callable[[Session], None], summary: str, message: str) -> None:
        database = self.context.database()
        self.context.last_error = None
        try:
            if database is None:
                raise UserError("No database is open.")
            with database.transaction(action=summary) as session:
                step(session)
        except UserError as error:
            self.context.last_error = error
            self.setObsolete(True)
            show_error(self.context.parent, summary, error)
            return
        except Exception as error:
            self.context.last_error = error
            self.setObsolete(True)
            report_bug(self.context.parent, summary, error)
            return
        self.context.announce(DataChanged(self.tables, message))

    def redo(self) -> None:
        self._run(self.do, self.text(), self.done_text())

    def undo(self) -> None:
        self._run(self.undo_step, f"Undo {self.text().lower()}", self.undone_text())


def _expense(values: ExpenseValues) -> str:
    """An expense as the status bar names it: "1,250.00 to Harborview Hotel (Venue)"."""
    payee = f" to {values.payee}" if values.payee.strip() else ""
    return f"{values.amount:,.2f}{payee} ({values.category})"


class AddExpenseCommand(LedgerCommand):
    def __init__(self, values: ExpenseValues, context: LedgerContext) -> None:
        super().__init__("Add expense", context)
        self.values = values
        self.expense_id: int | None = None

    def do(self, session: Session) -> None:
        self.expense_id = add_expense(session, self.values).id

    def undo_step(self, session: Session) -> None:
        assert self.expense_id is not None
        delete_expense(session, self.expense_id)

    def done_text(self) -> str:
        return f"added an expense: {_expense(self.values)}"

    def undone_text(self) -> str:
        return f"took back the expense of {_expense(self.values)}"


class EditExpenseCommand(LedgerCommand):
    def __init__(self, expense_id: int, values: ExpenseValues, context: LedgerContext) -> None:
        super().__init__("Edit expense", context)
        self.expense_id = expense_id
        self.values = values
        self.before: ExpenseValues | None = None

    def do(self, session: Session) -> None:
        self.before = update_expense(session, self.expense_id, self.values)

    def undo_step(self, session: Session) -> None:
        assert self.before is not None
        update_expense(session, self.expense_id, self.before)

    def done_text(self) -> str:
        return f"changed the expense: now {_expense(self.values)}"

    def undone_text(self) -> str:
        before = f": back to {_expense(self.before)}" if self.before else ""
        return f"took back the change to the expense{before}"


class DeleteExpenseCommand(LedgerCommand):
    def __init__(self, expense_ids: list[int], context: LedgerContext) -> None:
        noun = "expense" if len(expense_ids) == 1 else f"{len(expense_ids)} expenses"
        super().__init__(f"Delete {noun}", context)
        self.expense_ids = list(expense_ids)
        self.deleted: list[ExpenseValues] = []

    def do(self, session: Session) -> None:
        self.deleted = [delete_expense(session, expense_id) for expense_id in self.expense_ids]

    def undo_step(self, session: Session) -> None:
        # Put back as new records; a later redo deletes those.
        self.expense_ids = [add_expense(session, values).id for values in self.deleted]

    def done_text(self) -> str:
        if len(self.deleted) == 1:
            return f"deleted the expense of {_expense(self.deleted[0])}"
        total = sum((values.amount for values in self.deleted), start=Decimal(0))
        return f"deleted {len(self.deleted)} expenses totalling {total:,.2f}"

    def undone_text(self) -> str:
        noun = "expense" if len(self.deleted) == 1 else f"{len(self.deleted)} expenses"
        return f"put back the deleted {noun}"


class AddIncomeCommand(LedgerCommand):
    tables = frozenset({"payments"})

    def __init__(self, values: IncomeValues, context: LedgerContext) -> None:
        super().__init__("Add income", context)
        self.values = values
        self.payment_id: int | None = None

    def do(self, session: Session) -> None:
        v = self.values
        self.payment_id = record_payment(
            session,
            amount=v.amount,
            paid_on=v.paid_on,
            method=v.method,
            purpose=v.purpose,
            meeting_id=v.meeting_id,
            reference=v.reference,
            payer_name=v.payer_name,
            memo=v.memo,
        ).id

    def undo_step(self, session: Session) -> None:
        assert self.payment_id is not None
        delete_payment(session, self.payment_id)

    def _what(self) -> str:
        v = self.values
        payer = f" from {v.payer_name}" if v.payer_name.strip() else ""
        return f"{v.amount:,.2f}{payer} ({v.purpose.label})"

    def done_text(self) -> str:
        return f"recorded income of {self._what()}"

    def undone_text(self) -> str:
        return f"took back the income of {self._what()}"


class ReconcileCommand(LedgerCommand):
    def __init__(
        self, kind: TransactionKind, ids: list[int], reconciled: bool, context: LedgerContext
    ) -> None:
        word = "Mark" if reconciled else "Clear"
        noun = "payment" if kind == "income" else "expense"
        count = f"{len(ids)} {noun}s" if len(ids) != 1 else noun
        super().__init__(f"{word} {count} reconciled", context)
        self.tables = frozenset({"payments" if kind == "income" else "expenses"})
        self.kind = kind
        self.ids = list(ids)
        self.reconciled = reconciled
        self.changed: list[int] | None = None

    def do(self, session: Session) -> None:
        changed = set_reconciled(session, self.kind, self.ids, self.reconciled)
        if self.changed is None:
            self.changed = changed

    def undo_step(self, session: Session) -> None:
        set_reconciled(session, self.kind, self.changed or [], not self.reconciled)

    def _count(self) -> str:
        noun = "payment" if self.kind == "income" else "expense"
        return f"{len(self.ids)} {noun}s" if len(self.ids) != 1 else f"1 {noun}"

    def done_text(self) -> str:
        if self.reconciled:
            return f"marked {self._count()} reconciled with the bank statement"
        return f"cleared the reconciled mark on {self._count()}"
