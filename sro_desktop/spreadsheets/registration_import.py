"""Importing a meeting's registrations from an online form's export.

Each row is a person (name, e-mail, credentials, organization) with a registration
category, a fee and what they paid. People are found as the member import finds them
(e-mail first, then first and last name); someone unknown is added as a contact, not a
member. A person already registered is unchanged, or updated when the file gives another
category or fee, or paid more; rows for the same person are one registration (they
conflict when they disagree). Registering goes through `services.registrations`, so a
full meeting puts newcomers on its waitlist and the fee follows the category and date
when the file does not give one; a payment is recorded for what was paid and not yet
recorded. The import is one undoable batch (see services.import_batches).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.audit import plain
from sro_desktop.db.models import (
    ImportKind,
    Member,
    PaymentMethod,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from sro_desktop.services.bulk_registrations import NewRegistration, add_people, register_many
from sro_desktop.services.import_batches import (
    finish_batch,
    record_inserts,
    record_updates,
    start_batch,
)
from sro_desktop.services.meetings import get_meeting
from sro_desktop.services.registrations import (
    NewPerson,
    PaymentInput,
    amount_paid,
    person_for,
    record_registration_payment,
    register,
)
from sro_desktop.services.values import ValueProblem, clean_text, show_value
from sro_desktop.spreadsheets import cell_readers
from sro_desktop.spreadsheets.column_mapping import ColumnMap, remember_mapping
from sro_desktop.spreadsheets.member_import import Progress
from sro_desktop.spreadsheets.member_records import ParsedRows, parse_member_rows
from sro_desktop.spreadsheets.row_problems import RowProblem, problem
from sro_desktop.spreadsheets.sheet_data import CellValue, Table

__all__ = [
    "PlannedRegistration",
    "RegistrationImportPlan",
    "apply_registration_plan",
    "parse_registration_rows",
    "plan_registration_import",
]

ZERO: Final = Decimal("0.00")
_CATEGORY_WORDS: Final = (
    (
        ("non-member", "non member", "nonmember", "guest", "public", "general"),
        RegistrationCategory.NON_MEMBER,
    ),
    (("student", "resident", "fellow", "trainee"), RegistrationCategory.STUDENT),
    (
        ("speaker", "faculty", "presenter", "complimentary", "comp", "staff"),
        RegistrationCategory.SPEAKER,
    ),
    (("member",), RegistrationCategory.MEMBER),
)


def _category(value: CellValue) -> RegistrationCategory | None:
    text = clean_text(value)
    if text is None:
        return None
    key = text.casefold().replace("_", " ")
    for category in RegistrationCategory:
        if key in (category.value.replace("_", " "), category.label.casefold()):
            return category
    for words, category in _CATEGORY_WORDS:
        if any(word in key for word in words):
            return category
    raise ValueProblem(
        f"'{show_value(text)}' is not a registration category; write Member, Non-member, "
        "Student or Speaker"
    )


def parse_registration_rows(table: Table, mapping: ColumnMap) -> ParsedRows:
    date_system = table.date_system
    return parse_member_rows(
        table,
        mapping,
        {
            "category": lambda v: cell_readers.read_with(v, _category),
            "fee": cell_readers.read_money,
            "paid": lambda v: cell_readers.read_with(v, cell_readers.money_or_yes),
            "registered_at": lambda v: cell_readers.read_datetimes(v, date_system),
        },
    )


@dataclass
class PlannedRegistration:
    """One person's registration as the file gives it, and what it does."""

    index: int
    row: int
    name: str
    email: str | None
    member_id: int | None  # None: a new contact
    registration_id: int | None  # an existing registration of this meeting
    category: RegistrationCategory | None
    fee: Decimal | None
    pay: Decimal | None  # a payment to record now
    registered_on: date | None
    action: str  # "new", "update", "unchanged"
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class RegistrationImportPlan:
    parsed: ParsedRows
    meeting_id: int
    meeting_title: str
    registrations: list[PlannedRegistration] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, first row)
    conflicts: list[RowProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[RowProblem]:
        return sorted([*self.parsed.problems, *self.conflicts], key=lambda p: (p.row, p.column))

    def counts(self) -> dict[str, int]:
        actions = [r.action for r in self.registrations]
        return {
            "created": actions.count("new"),
            "updated": actions.count("update"),
            "unchanged": actions.count("unchanged"),
            "duplicates": len(self.duplicates),
            "skipped": len({p.row for p in self.errors}),
            "new_people": sum(1 for r in self.registrations if r.member_id is None),
        }


def plan_registration_import(
    session: Session, parsed: ParsedRows, meeting_id: int
) -> RegistrationImportPlan:
    meeting = get_meeting(session, meeting_id)
    plan = RegistrationImportPlan(parsed, meeting_id, meeting.title)
    by_email = {
        email.lower(): member_id
        for member_id, email in session.execute(select(Member.id, Member.email))
        if email
    }
    by_name: dict[tuple[str, str], list[int]] = {}
    for number, first_name, last_name in session.execute(
        select(Member.id, Member.first_name, Member.last_name)
    ):
        by_name.setdefault((first_name.casefold(), last_name.casefold()), []).append(number)
    registrations = {
        r.member_id: r
        for r in session.scalars(select(Registration).where(Registration.meeting_id == meeting_id))
    }
    seen: dict[Any, PlannedRegistration] = {}
    get = parsed.get
    member_id: int | None
    for index in range(len(parsed)):
        if index in parsed.invalid:
            continue
        first, last = get("first_name", index) or "", get("last_name", index) or ""
        email = get("email", index)
        category = get("category", index)
        fee = get("fee", index)
        paid = get("paid", index)
        moment = get("registered_at", index)
        identity: Any = email or ("\x00", first.casefold(), last.casefold())
        earlier = seen.get(identity)
        if earlier is not None:
            clash = _clash(earlier, category, fee)
            if clash is None:
                plan.duplicates.append((parsed.row_numbers[index], earlier.row))
            else:
                name, old, new = clash
                plan.conflicts.append(
                    problem(
                        parsed.row_numbers[index],
                        parsed.header(name),
                        new,
                        f"Row {earlier.row} has “{show_value(old)}” for the same person; "
                        "keep one and correct the other",
                    )
                )
            continue
        if email is not None:
            member_id = by_email.get(email)
        else:
            candidates = by_name.get((first.casefold(), last.casefold()), [])
            member_id = candidates[0] if len(candidates) == 1 else None
        if member_id is None and (not first or not last):
            plan.conflicts.append(
                problem(
                    parsed.row_numbers[index],
                    parsed.header("last_name" if first else "first_name"),
                    first or last,
                    "A new person needs a first and a last name; fill in both",
                )
            )
            continue
        existing = registrations.get(member_id) if member_id is not None else None
        planned = PlannedRegistration(
            index=index,
            row=parsed.row_numbers[index],
            name=f"{first} {last}".strip(),
            email=email,
            member_id=member_id,
            registration_id=existing.id if existing is not None else None,
            category=category,
            fee=fee,
            pay=None,
            registered_on=moment.date() if isinstance(moment, datetime) else None,
            action="new",
        )
        _decide(session, planned, existing, paid)
        seen[identity] = planned
        plan.registrations.append(planned)
    return plan


def _clash(earlier: PlannedRegistration, category: Any, fee: Any) -> tuple[str, Any, Any] | None:
    if category is not None and earlier.category is not None and category != earlier.category:
        return "category", earlier.category.label, category.label
    if fee is not None and earlier.fee is not None and fee != earlier.fee:
        return "fee", earlier.fee, fee
    return None


def _decide(
    session: Session,
    planned: PlannedRegistration,
    existing: Registration | None,
    paid: Decimal | bool | None,
) -> None:
    """Whether the registration is new, changed or unchanged, and what payment is due."""
    already = ZERO
    fee = planned.fee
    if existing is not None and existing.status is not RegistrationStatus.CANCELLED:
        already = amount_paid(session, existing.id)
        fee = fee if fee is not None else existing.fee
        if planned.category is not None and planned.category != existing.category:
            planned.changes["category"] = (existing.category.label, planned.category.label)
        if planned.fee is not None and planned.fee != existing.fee:
            planned.changes["fee"] = (existing.fee, planned.fee)
        planned.action = "update" if planned.changes else "unchanged"
    if isinstance(paid, Decimal) and paid > already:
        planned.pay = paid - already
    elif paid is True and fee is not None and fee > already:
        planned.pay = fee - already
    if planned.pay is not None and planned.action == "unchanged":
        planned.action = "update"
        planned.changes["paid"] = (already, already + planned.pay)


def apply_registration_plan(
    session: Session, plan: RegistrationImportPlan, progress: Progress | None = None
) -> int:
    """Write the plan as one batch in the caller's transaction; returns the batch id."""
    table = plan.parsed.table
    batch = start_batch(
        session,
        ImportKind.REGISTRATIONS,
        table.file_name,
        sheet=table.sheet,
        mapping=plan.parsed.mapping.fields,
        meeting_id=plan.meeting_id,
    )
    new_people: list[int] = []
    updated: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    changing = [p for p in plan.registrations if p.action != "unchanged"]
    fresh = [p for p in changing if p.registration_id is None]
    if fresh and not _takes_up_cancelled(session, changing):
        # New registrations all at once (see services.bulk_registrations); changes to
        # registrations already there one by one: they take or free no places.
        one_by_one = [p for p in changing if p.registration_id is not None]
    else:  # a cancelled registration taken up again competes for places in file order
        one_by_one, fresh = changing, []
    total = len(changing)
    for done, planned in enumerate(one_by_one):
        if progress is not None:
            progress.check()
            progress.report(done, total, "Registering…")
        _apply_one(session, plan, planned, batch.id, new_people, updated)
    if fresh:
        if progress is not None:
            progress.check()
            progress.report(len(one_by_one), total, "Registering…")
        _apply_new(session, plan, fresh, batch.id, new_people)
    session.flush()
    record_inserts(session, batch.id, "members", new_people)
    record_updates(session, batch.id, "registrations", updated)
    counts = plan.counts()
    finish_batch(batch, counts)
    remember_mapping(session, table.headers, ImportKind.REGISTRATIONS, plan.parsed.mapping)
    session.flush()
    return batch.id


def _takes_up_cancelled(session: Session, changing: Sequence[PlannedRegistration]) -> bool:
    ids = [p.registration_id for p in changing if p.registration_id is not None]
    for start in range(0, len(ids), 500):
        cancelled = session.scalar(
            select(Registration.id)
            .where(
                Registration.id.in_(ids[start : start + 500]),
                Registration.status == RegistrationStatus.CANCELLED,
            )
            .limit(1)
        )
        if cancelled is not None:
            return True
    return False


def _payment_of(plan: RegistrationImportPlan, planned: PlannedRegistration) -> PaymentInput:
    return PaymentInput(
        amount=planned.pay or ZERO,
        method=PaymentMethod.OTHER,
        paid_on=planned.registered_on or date.today(),
        reference=f"Imported from {plan.parsed.table.file_name}"[:100],
    )


def _apply_one(
    session: Session,
    plan: RegistrationImportPlan,
    planned: PlannedRegistration,
    batch_id: int,
    new_people: list[int],
    updated: list[tuple[int, dict[str, Any], dict[str, Any]]],
) -> None:
    member_id = planned.member_id
    if member_id is None:
        credentials = plan.parsed.get("credentials", planned.index) or ""
        first = plan.parsed.get("first_name", planned.index) or ""
        last = plan.parsed.get("last_name", planned.index) or ""
        member = person_for(session, NewPerson(first, last, planned.email, credentials=credentials))
        member_id = member.id
        new_people.append(member.id)
    registration = _registration(session, plan, planned, member_id, batch_id, updated)
    if planned.pay is not None:
        payment = record_registration_payment(session, registration.id, _payment_of(plan, planned))
        payment.import_batch_id = batch_id


def _apply_new(
    session: Session,
    plan: RegistrationImportPlan,
    fresh: Sequence[PlannedRegistration],
    batch_id: int,
    new_people: list[int],
) -> None:
    """The new registrations, and the new people among them, in a few statements."""
    get = plan.parsed.get
    unknown = [p for p in fresh if p.member_id is None]
    people = add_people(
        session,
        [
            NewPerson(
                get("first_name", p.index) or "",
                get("last_name", p.index) or "",
                p.email,
                credentials=get("credentials", p.index) or "",
            )
            for p in unknown
        ],
    )
    member_of = {id(p): member.id for p, member in zip(unknown, people, strict=True)}
    new_people.extend(member.id for member in people)
    register_many(
        session,
        plan.meeting_id,
        [
            NewRegistration(
                member_id=p.member_id if p.member_id is not None else member_of[id(p)],
                category=p.category,
                on=p.registered_on,
                payment=_payment_of(plan, p) if p.pay is not None else None,
                fee=p.fee,
            )
            for p in fresh
        ],
        import_batch_id=batch_id,
    )


_KEPT: Final = ("category", "fee", "status", "waitlist_position", "registered_at", "cancelled_at")


def _registration(
    session: Session,
    plan: RegistrationImportPlan,
    planned: PlannedRegistration,
    member_id: int,
    batch_id: int,
    updated: list[tuple[int, dict[str, Any], dict[str, Any]]],
) -> Registration:
    existing = (
        session.get(Registration, planned.registration_id) if planned.registration_id else None
    )
    if existing is not None and existing.status is not RegistrationStatus.CANCELLED:
        old = {key: plain(getattr(existing, key)) for key in ("category", "fee")}
        if planned.category is not None:
            existing.category = planned.category
        if planned.fee is not None:
            existing.fee = planned.fee
        session.flush()
        new = {key: plain(getattr(existing, key)) for key in ("category", "fee")}
        if old != new:
            updated.append((existing.id, old, new))
        return existing
    before = {key: plain(getattr(existing, key)) for key in _KEPT} if existing else None
    registration = register(
        session,
        plan.meeting_id,
        member_id,
        category=planned.category,
        on=planned.registered_on,
    )
    if planned.fee is not None:
        registration.fee = planned.fee
    if before is None:
        registration.import_batch_id = batch_id
    else:  # a cancelled registration taken up again: undo puts it back as it was
        session.flush()
        updated.append(
            (registration.id, before, {key: plain(getattr(registration, key)) for key in _KEPT})
        )
    session.flush()
    return registration


def registration_rows_of(
    plan: RegistrationImportPlan, action: str
) -> Sequence[PlannedRegistration]:
    return [r for r in plan.registrations if r.action == action]
