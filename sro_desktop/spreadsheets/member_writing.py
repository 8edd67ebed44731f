"""Writing a member import's plan (see `member_import`) as one import batch.

Everything goes in with bulk statements (see services.bulk_rows), inside the caller's
transaction: the new employers and membership types, the new people, the changed
fields of people already there, and the membership periods with their dues payments.
For a large roster the tables' plain indexes are rebuilt once at the end, and while
SQLite rebuilds the people's indexes (work that leaves Python free) a second thread
makes the membership and payment rows (see `_in_background`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.audit import plain
from sro_desktop.db.models import (
    Employer,
    EmployerType,
    ImportKind,
    Member,
    Membership,
    MembershipType,
    Payment,
    PaymentPurpose,
)
from sro_desktop.db.models.base import utc_now
from sro_desktop.services.background_work import InBackground
from sro_desktop.services.bulk_rows import (
    audit_inserts,
    audit_rows,
    bulk_load,
    insert_rows,
    is_plain_constant,
    next_id,
    stored_form,
    table_of,
    update_rows,
)
from sro_desktop.services.import_batches import (
    finish_batch,
    record_inserts,
    record_updates,
    start_batch,
)
from sro_desktop.services.regions import find_region
from sro_desktop.spreadsheets.column_mapping import remember_mapping
from sro_desktop.spreadsheets.member_import import (
    MemberImportPlan,
    Progress,
    Silent,
    new_type_terms,
)

__all__ = ["ImportOutcome", "apply_member_plan"]

CHUNK: Final = 10_000
#: The text columns that hold "" rather than NULL when empty (as the model defaults them).
_TEXT_DEFAULTS: Final = frozenset(
    column.name
    for column in table_of(Member).columns
    if column.default is not None and getattr(column.default, "arg", None) == ""
)


@dataclass(frozen=True)
class ImportOutcome:
    """What an applied (or, with batch_id None, a previewed) import did."""

    created: int
    updated: int
    unchanged: int
    duplicates: int
    skipped: int
    batch_id: int | None


def apply_member_plan(
    session: Session,
    plan: MemberImportPlan,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportOutcome:
    """Write the plan as one import batch, in the caller's transaction.

    Rows with problems are left out; the caller decides beforehand whether that is
    allowed (see `import_runner`).
    """
    progress = progress or Silent()
    today = today or date.today()
    parsed = plan.parsed
    table = parsed.table
    batch = start_batch(
        session,
        ImportKind.MEMBERS,
        table.file_name,
        sheet=table.sheet,
        mapping=parsed.mapping.fields,
    )
    now = utc_now()
    # Steps for the bar: one per person and period, and a last share for the indexes,
    # the audit trail and saving, which take about a third as long as the people.
    finishing = max(1, len(plan.new) // 3)
    total = len(plan.new) + len(plan.field_updates) + len(plan.memberships) + finishing
    progress.report(0, total, "Adding employers and membership types…")
    employer_ids = _add_employers(session, batch.id, plan.new_employers)
    type_ids = _add_types(session, batch.id, plan.new_types)
    forms = _period_forms(session, plan, batch.id, now)
    member_ids: dict[int, int] = {}  # row index -> id of a person this import adds
    # The periods' rows are made on a second thread while SQLite rebuilds the people's
    # indexes and writes their audit trail (see services.background_work).
    period_rows = InBackground(lambda: _period_rows(plan, forms, member_ids, type_ids, today))

    def make_period_rows(given: dict[int, int]) -> None:
        member_ids.update(given)
        period_rows.start()

    _add_members(session, plan, batch.id, employer_ids, now, progress, total, make_period_rows)
    _update_members(session, plan, batch.id, employer_ids, now)
    progress.check()
    done = len(plan.new) + len(plan.field_updates)
    progress.report(done, total, "Adding memberships and dues…")
    _insert_periods(session, period_rows.result(), now)
    counts = plan.counts()
    finish_batch(batch, counts)
    remember_mapping(session, table.headers, ImportKind.MEMBERS, parsed.mapping)
    session.flush()
    progress.report(total - finishing, total, "Saving…")
    return ImportOutcome(
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        duplicates=counts["duplicates"],
        skipped=counts["skipped"],
        batch_id=batch.id,
    )


def _add_employers(session: Session, batch_id: int, names: Sequence[str]) -> dict[str, int]:
    ids = {name.casefold(): i for i, name in session.execute(select(Employer.id, Employer.name))}
    first = next_id(session, Employer)
    other = stored_form(session, Employer, "type")(EmployerType.OTHER)
    rows = [(first + offset, name, other) for offset, name in enumerate(names)]
    insert_rows(session, Employer, ("id", "name", "type"), rows)
    record_inserts(session, batch_id, "employers", [row[0] for row in rows])
    ids.update({name.casefold(): employer_id for employer_id, name, _type in rows})
    return ids


def _add_types(session: Session, batch_id: int, names: Sequence[str]) -> dict[str, int]:
    ids = {
        name.casefold(): i
        for i, name in session.execute(select(MembershipType.id, MembershipType.name))
    }
    added = []
    for name in names:
        term, honorary, dues = new_type_terms(name)
        added.append(MembershipType(name=name, term=term, honorary=honorary, dues=dues))
    session.add_all(added)
    session.flush()
    record_inserts(session, batch_id, "membership_types", [t.id for t in added])
    ids.update({t.name.casefold(): t.id for t in added})
    return ids


def _each(values: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """`convert` of each value (None stays None), each distinct value converted once."""
    answers = {value: convert(value) for value in set(values) if value is not None}
    answers[None] = None
    return list(map(answers.__getitem__, values))


def _stored_rows(
    names: list[str], rows: list[tuple[Any, ...]], converters: dict[int, Callable[[Any], Any]]
) -> tuple[list[str], list[tuple[Any, ...]], dict[str, Any]]:
    """`rows` with the columns at the converters' positions in stored form.

    A column with the same value in every row (the day paid, the method, as a rule)
    is taken out of the rows and returned as a constant of the insert (see insert_rows):
    binding it a hundred thousand times would cost more than the whole column.
    """
    if not rows:
        return names, rows, {}
    columns = [list(column) for column in zip(*rows, strict=True)]
    for position, convert in converters.items():
        columns[position] = _each(columns[position], convert)
    constants: dict[str, Any] = {}
    kept: list[int] = []
    for position, column in enumerate(columns):
        first = column[0]
        if (
            names[position] != "id"
            and len(column) > 1
            and column.count(first) == len(column)
            and is_plain_constant(first)
        ):
            constants[names[position]] = first
        else:
            kept.append(position)
    if not constants:
        return names, list(zip(*columns, strict=True)), {}
    rows = list(zip(*(columns[position] for position in kept), strict=True))
    return [names[position] for position in kept], rows, constants


def _fixed(
    shared: dict[str, Any], columns: list[str], rows: list[tuple[Any, ...]]
) -> tuple[dict[str, Any], list[str], list[tuple[Any, ...]]]:
    """The constants of an insert (see insert_rows): values that may be written into the
    statement stay there, the others are added to each row."""
    constants = {name: value for name, value in shared.items() if is_plain_constant(value)}
    bound = [name for name in shared if name not in constants]
    if not bound:
        return constants, columns, rows
    extra = tuple(shared[name] for name in bound)
    return constants, [*columns, *bound], [row + extra for row in rows]


def _country_of(state: str | None) -> str:
    if not state:
        return "US"
    region = find_region(state)
    return region.country if region is not None else "US"


def _add_members(
    session: Session,
    plan: MemberImportPlan,
    batch_id: int,
    employer_ids: dict[str, int],
    now: datetime,
    progress: Progress,
    total: int,
    meanwhile: Callable[[dict[int, int]], None],
) -> None:
    """Insert the new people.

    `meanwhile` is given their ids (row index -> new member id) once the rows are in,
    before the indexes are rebuilt and the audit trail written, SQLite's work alone.
    """
    if not plan.new:
        return
    values = plan.parsed.values
    new = plan.new
    count = len(new)
    pick = itemgetter(*new) if count > 1 else (lambda column: (column[new[0]],))

    # A field the file does not give is the same for everyone: one shared list each.
    nothing: list[Any] = [None] * count
    blanks: list[Any] = [""] * count

    def column(name: str) -> list[Any]:
        """The new people's values of one field, column-wise (C speed, no row loop)."""
        found = values.get(name)
        return list(pick(found)) if found is not None else nothing

    def text(name: str) -> list[Any]:
        if name not in values:
            return blanks
        found = column(name)
        return ["" if value is None else value for value in found] if None in found else found

    def stored(name: str) -> list[Any]:
        found = column(name)
        return found if found is nothing else _each(found, stored_form(session, Member, name))

    stamp = stored_form(session, Member, "created_at")(now)
    first_id = next_id(session, Member)
    ids = list(range(first_id, first_id + count))
    states = column("state")
    country_of = {state: _country_of(state) for state in set(states)}  # None: "US"
    countries = list(map(country_of.__getitem__, states))
    if "country" in values:
        countries = [
            given or country for given, country in zip(column("country"), countries, strict=True)
        ]
    values_of = {
        "id": ids,
        "first_name": text("first_name"),
        "last_name": text("last_name"),
        "credentials": text("credentials"),
        "email": column("email"),
        "phone": text("phone"),
        "phone_digits": text("phone_digits"),
        "employer_id": _each(
            column("organization"), lambda name: employer_ids.get(name.casefold())
        ),
        "job_role": stored("job_role"),
        "job_title": text("job_title"),
        "address_line1": text("address_line1"),
        "address_line2": text("address_line2"),
        "city": text("city"),
        "state": ["" if state is None else state for state in states],
        "postal_code": text("postal_code"),
        "country": countries,
        "member_since": stored("member_since"),
        "notes": text("notes"),
    }
    # Columns the file leaves the same for everyone (blank, as a rule) go into the
    # statement once instead of into every row.
    constants: dict[str, Any] = {"archived": 0, "created_at": stamp, "updated_at": stamp}
    for name, found in list(values_of.items()):
        given = found is not nothing and found is not blanks
        if not given or (
            name != "id" and found.count(found[0]) == count and is_plain_constant(found[0])
        ):
            constants[name] = found[0]
            del values_of[name]
    varying = tuple(values_of)
    rows = list(zip(*values_of.values(), strict=True))
    with bulk_load(session, Member, count):
        for start in range(0, count, CHUNK):
            progress.check()
            insert_rows(session, Member, varying, rows[start : start + CHUNK], constants)
            progress.report(min(start + CHUNK, count), total, "Adding people…")
        del rows
        meanwhile(dict(zip(new, ids, strict=True)))
    record_inserts(session, batch_id, "members", ids)
    audit_inserts(session, Member, ids[0], ids[-1], now)


def _update_members(
    session: Session,
    plan: MemberImportPlan,
    batch_id: int,
    employer_ids: dict[str, int],
    now: datetime,
) -> None:
    if not plan.field_updates:
        return
    member_of = {update.index: update.member_id for update in plan.updates}
    digits = plan.parsed.values.get("phone_digits")
    stamp = stored_form(session, Member, "updated_at")(now)
    converters: dict[str, Callable[[Any], Any]] = {}
    grouped: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for index, fields in plan.field_updates.items():
        member_id = member_of[index]
        columns: dict[str, Any] = {}
        old_json: dict[str, Any] = {}
        new_json: dict[str, Any] = {}
        for name, (old, new) in fields.items():
            if name == "organization":
                column, new_value = "employer_id", employer_ids.get(new.casefold())
                old_value = _employer_id_of(session, old)
            else:
                column, new_value, old_value = name, new, old
            columns[column] = new_value
            old_json[column] = plain(old_value)
            new_json[column] = plain(new_value)
            if name == "phone" and digits is not None:
                columns["phone_digits"] = digits[index] or ""
        names = tuple(sorted(columns))
        stored = []
        for name in names:
            convert = converters.get(name)
            if convert is None:
                convert = converters[name] = stored_form(session, Member, name)
            value = columns[name]
            stored.append(convert("" if value is None and name in _TEXT_DEFAULTS else value))
        grouped.setdefault((*names, "updated_at"), []).append((*stored, stamp, member_id))
        changes.append((member_id, old_json, new_json))
    for names, rows in grouped.items():
        update_rows(session, Member, names, rows)
    record_updates(session, batch_id, "members", changes)
    audit_rows(session, "members", "update", ((i, i, old, new) for i, old, new in changes), now)


def _employer_id_of(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    return session.scalar(select(Employer.id).where(Employer.name == name))


@dataclass(frozen=True)
class _PeriodForms:
    """What making the periods' rows needs from the database, asked for beforehand (the
    rows are made on another thread, which must not touch the session)."""

    first_membership: int
    first_payment: int
    day: Callable[[Any], Any]
    money: Callable[[Any], Any]
    method: Callable[[Any], Any]
    shared: dict[str, Any]
    paid_shared: dict[str, Any]


@dataclass(frozen=True)
class _PeriodRows:
    """New membership periods and dues payments, ready for insert_rows."""

    membership_columns: list[str]
    memberships: list[tuple[Any, ...]]
    membership_constants: dict[str, Any]
    payment_columns: list[str]
    payments: list[tuple[Any, ...]]
    payment_constants: dict[str, Any]


def _period_forms(
    session: Session, plan: MemberImportPlan, batch_id: int, now: datetime
) -> _PeriodForms:
    shared = {
        "import_batch_id": batch_id,
        "created_at": stored_form(session, Membership, "created_at")(now),
    }
    return _PeriodForms(
        first_membership=next_id(session, Membership),
        first_payment=next_id(session, Payment),
        day=stored_form(session, Membership, "start_date"),
        money=stored_form(session, Membership, "dues"),
        method=stored_form(session, Payment, "method"),
        shared=shared,
        paid_shared={
            **shared,
            "purpose": stored_form(session, Payment, "purpose")(PaymentPurpose.DUES),
            "memo": f"Imported from {plan.file_name}"[:200],
            "reconciled": 0,
        },
    )


def _period_rows(
    plan: MemberImportPlan,
    forms: _PeriodForms,
    member_ids: dict[int, int],
    type_ids: dict[str, int],
    today: date,
) -> _PeriodRows:
    """The planned periods and payments as rows in stored form (no database needed)."""
    next_membership = forms.first_membership
    next_payment = forms.first_payment
    memberships: list[tuple[Any, ...]] = []
    payments: list[tuple[Any, ...]] = []
    names: dict[int, str] = {}
    missing = [None] * len(plan.parsed)
    firsts = plan.parsed.values.get("first_name") or missing
    lasts = plan.parsed.values.get("last_name") or missing
    for planned in plan.memberships:
        member_id = planned.member_id or member_ids[planned.person]
        membership_id = planned.existing_id
        if membership_id is None:
            membership_id = next_membership
            next_membership += 1
            memberships.append(
                (
                    membership_id,
                    member_id,
                    type_ids[planned.type_name.casefold()],
                    planned.start,
                    planned.end,
                    planned.dues,
                )
            )
        if planned.payment:
            if member_id not in names:  # as plan.name_of, from the columns at hand
                person = planned.person
                names[member_id] = f"{firsts[person] or ''} {lasts[person] or ''}".strip()
            payments.append(
                (
                    next_payment,
                    member_id,
                    membership_id,
                    planned.paid_on or today,
                    planned.payment,
                    planned.method,
                    planned.reference,
                    names[member_id],
                )
            )
            next_payment += 1
    # Values in stored form a column at a time, each distinct value converted once;
    # what every row shares goes into the statement (see insert_rows).
    membership_columns = ["id", "member_id", "membership_type_id", "start_date", "end_date"]
    membership_columns.append("dues")
    payment_columns = ["id", "member_id", "membership_id", "paid_on", "amount", "method"]
    payment_columns += ["reference", "payer_name"]
    day, money = forms.day, forms.money
    membership_columns, memberships, membership_same = _stored_rows(
        membership_columns, memberships, {3: day, 4: day, 5: money}
    )
    payment_columns, payments, payment_same = _stored_rows(
        payment_columns, payments, {3: day, 4: money, 5: forms.method}
    )
    membership_constants, membership_columns, memberships = _fixed(
        forms.shared, membership_columns, memberships
    )
    payment_constants, payment_columns, payments = _fixed(
        forms.paid_shared, payment_columns, payments
    )
    membership_constants.update(membership_same)
    payment_constants.update(payment_same)
    return _PeriodRows(
        membership_columns,
        memberships,
        membership_constants,
        payment_columns,
        payments,
        payment_constants,
    )


def _insert_periods(session: Session, rows: _PeriodRows, now: datetime) -> None:
    memberships, payments = rows.memberships, rows.payments
    # Large loads rebuild the tables' plain indexes once at the end (see bulk_load).
    with bulk_load(session, Membership, len(memberships)):
        insert_rows(
            session, Membership, rows.membership_columns, memberships, rows.membership_constants
        )
    with bulk_load(session, Payment, len(payments)):
        insert_rows(session, Payment, rows.payment_columns, payments, rows.payment_constants)
    if memberships:
        audit_inserts(session, Membership, memberships[0][0], memberships[-1][0], now)
    if payments:
        audit_inserts(session, Payment, payments[0][0], payments[-1][0], now)
