"""Importing a roster of members: the preview (a diff against the database) and applying it.

The steps, each cheap enough for a roster of 100,000 rows:

1. `parse_member_rows` (member_records) reads the mapped columns into clean values.
2. `plan_member_import` compares them with the database: rows for the same person (the
   same e-mail in any case; without an e-mail, the same first and last name) are one
   person, the later rows "duplicates" merged into the first, unless they disagree on a
   detail, which makes them "conflicts". Each person is then new, an update (field by
   field, old -> new; a blank cell never erases anything) or unchanged. A row whose
   e-mail belongs to someone with a different first and last name is a conflict too.
   Membership type, year or expiry and dues paid give each row a membership period
   (added unless the person has it already) and a dues payment (for what is not yet
   paid of it); membership types and employers not in the database are added.
3. `member_writing.apply_member_plan` writes it all inside the caller's transaction as
   one import batch (see services.import_batches), with bulk statements.

Membership periods: a year column gives that calendar year (a fiscal-year type: the
fiscal year ending in it); an expiry date gives the year ending on it; otherwise the
period containing the payment date (or today). Honorary and lifetime types never end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import repeat
from operator import and_, is_not, or_
from typing import Any, Final, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Employer,
    JobRole,
    Member,
    Membership,
    MembershipTerm,
    MembershipType,
    Payment,
    PaymentMethod,
)
from sro_desktop.services.memberships import add_years, fiscal_year_containing
from sro_desktop.services.organization import organization_settings
from sro_desktop.services.values import show_value
from sro_desktop.spreadsheets.member_records import PERSON_FIELDS, ParsedRows
from sro_desktop.spreadsheets.row_problems import RowProblem, problem

__all__ = [
    "FIELD_LABELS",
    "MemberImportPlan",
    "MemberUpdate",
    "PlannedMembership",
    "Progress",
    "Silent",
    "new_type_terms",
    "plan_member_import",
]

ZERO: Final = Decimal("0.00")
FIELD_LABELS: Final = {
    "first_name": "First name",
    "last_name": "Last name",
    "credentials": "Credentials",
    "email": "Email",
    "phone": "Phone",
    "organization": "Organization",
    "job_title": "Job title",
    "job_role": "Job role",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "city": "City",
    "state": "State",
    "postal_code": "ZIP code",
    "country": "Country",
    "member_since": "Member since",
    "notes": "Notes",
    "membership": "Membership",
    "dues_paid": "Dues paid",
}


class Progress(Protocol):
    """Where long work reports how far it is; `check` raises to stop (the GUI's Cancel)."""

    def report(self, done: int, total: int, message: str = "") -> None: ...

    def check(self) -> None: ...


class Silent:
    def report(self, done: int, total: int, message: str = "") -> None:
        pass

    def check(self) -> None:
        pass


@dataclass(slots=True)
class PlannedMembership:
    """One membership period a row asks for, and the dues payment with it."""

    person: int  # index of the person's first row
    row: int  # the sheet's row number it came from
    member_id: int | None  # None: a person this import adds
    type_name: str
    start: date
    end: date | None
    dues: Decimal
    existing_id: int | None = None
    payment: Decimal | None = None
    paid_on: date | None = None
    method: PaymentMethod = PaymentMethod.OTHER
    reference: str = ""

    def describe(self) -> str:
        end = f"{self.end:%m/%d/%Y}" if self.end else "no end"
        return f"{self.type_name}, {self.start:%m/%d/%Y} – {end}"


@dataclass
class MemberUpdate:
    """An existing person the file changes: field -> (old value, new value), for display."""

    index: int
    member_id: int
    name: str
    changes: dict[str, tuple[Any, Any]]


@dataclass
class Duplicate:
    row: int
    first_row: int
    name: str


@dataclass
class MemberImportPlan:
    """What importing the parsed rows would do to the database."""

    parsed: ParsedRows
    new: list[int] = field(default_factory=list)
    updates: list[MemberUpdate] = field(default_factory=list)
    unchanged: list[tuple[int, int]] = field(default_factory=list)  # (index, member id)
    duplicates: list[Duplicate] = field(default_factory=list)
    conflicts: list[RowProblem] = field(default_factory=list)
    memberships: list[PlannedMembership] = field(default_factory=list)
    new_employers: list[str] = field(default_factory=list)
    new_types: list[str] = field(default_factory=list)
    # index -> updates of a member's own fields (the changes the database gets)
    field_updates: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return self.parsed.table.file_name

    @property
    def errors(self) -> list[RowProblem]:
        """Every problem that keeps a row out: invalid values and conflicts, by row."""
        return sorted([*self.parsed.problems, *self.conflicts], key=lambda p: (p.row, p.column))

    @property
    def skipped_rows(self) -> list[int]:
        """Sheet row numbers of the rows not imported (invalid or conflicting)."""
        return sorted({p.row for p in self.errors})

    def name_of(self, index: int) -> str:
        first = self.parsed.get("first_name", index) or ""
        last = self.parsed.get("last_name", index) or ""
        return f"{first} {last}".strip()

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.new),
            "updated": len(self.updates),
            "unchanged": len(self.unchanged),
            "duplicates": len(self.duplicates),
            "skipped": len(self.skipped_rows),
        }


# --- the database as the plan sees it ---------------------------------------------------


@dataclass
class _Database:
    by_email: dict[str, int]
    by_name: dict[tuple[str, str], list[int]]
    people: dict[int, _Stored]
    employers: dict[str, int]  # casefolded name -> id
    employer_names: dict[int, str]
    types: dict[str, MembershipType]  # casefolded name -> type
    fiscal_start_month: int


class _Stored:
    """One member as the plan compares them: their row, read by field name.

    A hundred thousand members are held at once, so each is a tuple of only the fields
    the file gives, not a dict.
    """

    __slots__ = ("_positions", "_values")

    def __init__(self, positions: dict[str, int], values: tuple[Any, ...]) -> None:
        self._positions = positions
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._positions[key]]

    def get(self, key: str, default: Any = None) -> Any:
        position = self._positions.get(key)
        return default if position is None else self._values[position]


def _load_database(session: Session, wanted_names: bool, fields: Sequence[str]) -> _Database:
    employers = session.execute(select(Employer.id, Employer.name)).all()
    employer_names = {i: name for i, name in employers}
    needed = ["first_name", "last_name", "email", "phone_digits", "employer_id"]
    needed += [name for name in fields if name not in needed and name != "organization"]
    query = select(Member.id, *(getattr(Member, name) for name in needed))
    positions = {name: position for position, name in enumerate(["id", *needed, "organization"])}
    people: dict[int, _Stored] = {}
    by_email: dict[str, int] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    employer_at = positions["employer_id"]
    for row in session.execute(query):
        stored = _Stored(positions, (*row, employer_names.get(row[employer_at])))
        member_id = row[0]
        people[member_id] = stored
        email = row[3]
        if email:
            by_email[email.lower()] = member_id
        if wanted_names:
            key = (row[1].casefold(), row[2].casefold())
            by_name.setdefault(key, []).append(member_id)
    types = {t.name.casefold(): t for t in session.scalars(select(MembershipType))}
    settings = organization_settings(session)
    return _Database(
        by_email=by_email,
        by_name=by_name,
        people=people,
        employers={name.casefold(): i for i, name in employers},
        employer_names=employer_names,
        types=types,
        fiscal_start_month=settings.fiscal_year_start_month or 1,
    )


# --- planning ---------------------------------------------------------------------------

_COMPARED: Final = tuple(name for name in PERSON_FIELDS if name != "email")
_MEMBERSHIP_INPUTS: Final = ("membership_type", "membership_year", "membership_end", "dues_paid")


def _same(name: str, old: Any, new: Any) -> bool:
    """Equal, or text differing only in case ("JANE" is the Jane already there)."""
    if old == new:
        return True
    return isinstance(old, str) and isinstance(new, str) and old.casefold() == new.casefold()


def plan_member_import(
    session: Session, parsed: ParsedRows, today: date | None = None
) -> MemberImportPlan:
    """Compare the parsed rows with the database; nothing is written."""
    today = today or date.today()
    values = parsed.values
    has_email = "email" in values
    emails = values.get("email") or [None] * len(parsed)
    firsts = values.get("first_name") or [None] * len(parsed)
    lasts = values.get("last_name") or [None] * len(parsed)
    digits = values.get("phone_digits")
    wanted_names = not has_email or any(e is None for e in emails)
    present: list[str] = [name for name in _COMPARED if name in values]
    if digits is not None:
        present.append("phone_digits")
    database = _load_database(session, wanted_names, present)
    plan = MemberImportPlan(parsed)

    people: dict[Any, int] = {}  # identity -> index of the person's first row
    invalid = parsed.invalid
    conflicting: set[int] = set()
    for index in range(len(parsed)):
        if index in invalid:
            continue
        email = emails[index]
        identity: Any = (
            email
            if email is not None
            else (
                "\x00name",
                (firsts[index] or "").casefold(),
                (lasts[index] or "").casefold(),
            )
        )
        first = people.get(identity)
        if first is None:
            people[identity] = index
            continue
        clash = _row_clash(parsed, present, first, index)
        if clash is None:
            _merge(parsed, present, first, index)
            plan.duplicates.append(
                Duplicate(parsed.row_numbers[index], parsed.row_numbers[first], plan.name_of(index))
            )
        else:
            name, old = clash
            plan.conflicts.append(
                problem(
                    parsed.row_numbers[index],
                    parsed.header(name),
                    parsed.get(name, index),
                    f"Row {parsed.row_numbers[first]} has {_shown(old)} for the same person; "
                    "keep one and correct the other",
                )
            )
            conflicting.add(index)

    member_of: dict[int, int | None] = {}
    if not database.people:  # a new database: everyone is new
        plan.new = list(people.values())
        member_of = dict.fromkeys(plan.new)
    for identity, index in people.items() if database.people else ():
        member_id = _match(database, identity, index, parsed)
        if member_id is not None:
            existing = database.people[member_id]
            if not _names_agree(existing, firsts[index], lasts[index]):
                plan.conflicts.append(
                    problem(
                        parsed.row_numbers[index],
                        parsed.header("email"),
                        emails[index],
                        f"This email belongs to {existing['first_name']} "
                        f"{existing['last_name']} in the database; check the name or the email",
                    )
                )
                conflicting.add(index)
                continue
        member_of[index] = member_id
        if member_id is None:
            plan.new.append(index)
        else:
            changes = _field_changes(parsed, present, index, database.people[member_id])
            if changes:
                plan.field_updates[index] = changes

    _plan_employers(plan, database)
    _plan_memberships(session, plan, database, member_of, conflicting, today)

    by_person: dict[int, list[PlannedMembership]] = {}
    for planned in plan.memberships:
        by_person.setdefault(planned.person, []).append(planned)
    for index in sorted(i for i, m in member_of.items() if m is not None):
        member_id = member_of[index]
        assert member_id is not None
        shown = {
            name: (_display_old(name, change[0]), change[1])
            for name, change in plan.field_updates.get(index, {}).items()
        }
        for planned in by_person.get(index, []):
            if planned.existing_id is None:
                shown.setdefault("membership", ("", planned.describe()))
            if planned.payment:
                shown.setdefault("dues_paid", ("", f"{planned.payment:,.2f}"))
        if shown:
            plan.updates.append(MemberUpdate(index, member_id, plan.name_of(index), shown))
        else:
            plan.unchanged.append((index, member_id))
    return plan


def _shown(value: Any) -> str:
    return f"“{show_value(value)}”" if value not in (None, "") else "nothing"


def _display_old(name: str, value: Any) -> Any:
    if name == "job_role" and isinstance(value, JobRole):
        return value.label
    return "" if value is None else value


def _row_clash(
    parsed: ParsedRows, present: list[str], first: int, index: int
) -> tuple[str, Any] | None:
    """The first field on which row `index` disagrees with row `first`, with its value."""
    values = parsed.values
    for name in present:
        if name == "phone":
            continue  # compared by its digits
        new = values[name][index]
        old = values[name][first]
        if new is None or old is None or _same(name, old, new):
            continue
        if name == "phone_digits":
            return "phone", values["phone"][first]
        return name, old
    return None


def _merge(parsed: ParsedRows, present: list[str], first: int, index: int) -> None:
    values = parsed.values
    for name in present:
        column = values[name]
        if column[first] is None and column[index] is not None:
            column[first] = column[index]
            if name == "phone" and "phone_digits" in values:
                values["phone_digits"][first] = values["phone_digits"][index]


def _match(database: _Database, identity: Any, index: int, parsed: ParsedRows) -> int | None:
    if isinstance(identity, str):
        return database.by_email.get(identity)
    _tag, first, last = identity
    candidates = database.by_name.get((first, last), [])
    return candidates[0] if len(candidates) == 1 else None


def _names_agree(existing: _Stored, first: str | None, last: str | None) -> bool:
    """False when both names differ from the member's: likely someone else's email."""
    first_same = first is None or first.casefold() == existing["first_name"].casefold()
    last_same = last is None or last.casefold() == existing["last_name"].casefold()
    return first_same or last_same


def _field_changes(
    parsed: ParsedRows, present: list[str], index: int, existing: _Stored
) -> dict[str, tuple[Any, Any]]:
    values = parsed.values
    changes: dict[str, tuple[Any, Any]] = {}
    for name in present:
        if name in ("phone_digits",):
            continue
        new = values[name][index]
        if new is None:
            continue
        old = existing.get(name)
        if name == "phone":
            new_digits = values["phone_digits"][index] if "phone_digits" in values else None
            if new_digits and new_digits == existing.get("phone_digits"):
                continue
        if old in ("", None) and new in ("", None):
            continue
        if not _same(name, old, new):
            changes[name] = (old, new)
    return changes


def _plan_employers(plan: MemberImportPlan, database: _Database) -> None:
    organizations = plan.parsed.values.get("organization")
    if organizations is None:
        return
    indexes = plan.new + list(plan.field_updates)
    named = set(map(organizations.__getitem__, indexes)) if indexes else set()
    named.discard(None)
    seen: dict[str, str] = {}
    for name in sorted(named):
        if name.casefold() not in database.employers:
            seen.setdefault(name.casefold(), name)
    plan.new_employers = sorted(seen.values(), key=str.casefold)


def _plan_memberships(
    session: Session,
    plan: MemberImportPlan,
    database: _Database,
    member_of: dict[int, int | None],
    conflicting: set[int],
    today: date,
) -> None:
    parsed = plan.parsed
    values = parsed.values
    if not any(name in values for name in _MEMBERSHIP_INPUTS):
        return
    # Every valid row counts, duplicates included: a roster may list one row per year.
    person_of: dict[int, int] = {index: index for index in member_of}
    for duplicate_index, first_index in _duplicate_indexes(plan):
        if first_index in member_of:
            person_of[duplicate_index] = first_index
    existing = _existing_periods(
        session, [m for i, m in member_of.items() if m is not None and i in person_of]
    )
    types_in_file: dict[str, str] = {}
    entries: list[PlannedMembership] = []  # in the order of their first rows
    # People with several rows (duplicates merged into their first): their rows may
    # share a period, found here by person, type and dates.
    several = {person for index, person in person_of.items() if index != person}
    shared: dict[tuple[int, str, date, date | None], PlannedMembership] = {}
    terms: dict[tuple[Any, ...], tuple[date, date | None, Decimal, Decimal | None]] = {}
    latest_type = _latest_types(session, [m for m in member_of.values() if m is not None])
    default_type = _default_type(database)
    missing = [None] * len(parsed)
    type_names = values.get("membership_type") or missing
    years = values.get("membership_year") or missing
    ends = values.get("membership_end") or missing
    paid_column = values.get("dues_paid") or missing
    paid_ons = values.get("paid_on") or missing
    methods = values.get("payment_method") or missing
    references = values.get("payment_reference") or missing
    sinces = values.get("member_since") or missing
    wants = _rows_wanting_memberships(values, len(parsed))
    type_of: dict[str, tuple[str, MembershipTerm, bool, Decimal]] = {}
    periods: dict[tuple[Any, ...], tuple[date, date | None]] = {}
    row_numbers = parsed.row_numbers
    fiscal = database.fiscal_start_month
    for index, person in sorted(person_of.items()):
        if not wants[index]:
            continue
        type_name = type_names[index]
        member_id = member_of.get(person)
        if type_name is None:
            type_name = latest_type.get(member_id) if member_id is not None else None
            type_name = type_name or default_type
        kind = type_of.get(type_name)
        if kind is None:
            known = database.types.get(type_name.casefold())
            if known is None:
                types_in_file.setdefault(type_name.casefold(), type_name)
                kind = (type_name, *new_type_terms(type_name))
            else:
                kind = (known.name, known.term, known.honorary, known.dues)
            type_of[type_name] = kind
        type_name, term, honorary, _type_dues = kind
        paid = paid_column[index]
        paid_on = paid_ons[index]
        # Only these periods depend on when the person joined: leaving the date out of
        # the others' key makes a roster's rows share a handful of periods, each found
        # once, instead of one per person.
        since = sinces[person] if honorary or term in _SINCE_TERMS else None
        # Rows alike in these (most of a roster is) share their period, dues and payment:
        # worked out once. The class of `paid` is part of it: True == Decimal(1).
        terms_key = (type_name, years[index], ends[index], paid, paid.__class__, paid_on, since)
        found = terms.get(terms_key)
        if found is None:
            period_key = (term, honorary, years[index], ends[index], paid_on, since)
            period = periods.get(period_key)
            if period is None:
                period = periods[period_key] = _period(*period_key, today, fiscal)
            found = terms[terms_key] = (*period, *_dues_and_payment(kind, paid))
        start, end, dues, amount = found
        if person in several:  # one period per person, type and dates, however many rows
            key = (person, type_name, start, end)
            entry = shared.get(key)
            if entry is None:
                entry = shared[key] = PlannedMembership(
                    person, row_numbers[index], member_id, type_name, start, end, dues
                )
                entries.append(entry)
        else:  # a person's only row: a period of its own
            # Positional: a hundred thousand of these, keywords cost twice as much.
            entry = PlannedMembership(
                person, row_numbers[index], member_id, type_name, start, end, dues
            )
            entries.append(entry)
        if amount is not None and (entry.payment is None or amount > entry.payment):
            entry.payment = amount
            entry.paid_on = paid_on
            entry.method = methods[index] or PaymentMethod.OTHER
            entry.reference = references[index] or ""
    for entry in entries:
        if entry.member_id is None:
            continue
        for period_id, type_key, start, end, already_paid in existing.get(entry.member_id, []):
            if (type_key, start, end) == (entry.type_name.casefold(), entry.start, entry.end):
                entry.existing_id = period_id
                if entry.payment is not None:
                    rest = entry.payment - already_paid
                    entry.payment = rest if rest > ZERO else None
                break
    plan.memberships = [
        entry for entry in entries if entry.existing_id is None or entry.payment
    ]
    plan.new_types = sorted(types_in_file.values(), key=str.casefold)


def _dues_and_payment(
    kind: tuple[str, MembershipTerm, bool, Decimal], paid: Any
) -> tuple[Decimal, Decimal | None]:
    """A period's dues and the payment a row's "dues paid" makes towards it: an amount as
    it is, "yes" (True) as the type's dues; a type without dues takes the amount paid."""
    _name, _term, honorary, type_dues = kind
    dues = ZERO if honorary else type_dues
    if dues == ZERO and isinstance(paid, Decimal) and not honorary:
        dues = paid
    if isinstance(paid, Decimal) and paid > ZERO:
        return dues, paid
    if paid is True and dues > ZERO:
        return dues, dues
    return dues, None


#: The terms whose periods depend on the member's "member since" date (see _period).
_SINCE_TERMS: Final = frozenset({MembershipTerm.ANNIVERSARY, MembershipTerm.LIFETIME})


def _rows_wanting_memberships(values: dict[str, list[Any]], count: int) -> list[bool]:
    """Whether each row gives any membership input (a value other than None or False),
    column by column at C speed."""
    wants: list[bool] = [False] * count
    for name in _MEMBERSHIP_INPUTS:
        column = values.get(name)
        if column is None:
            continue
        given = map(and_, map(is_not, column, repeat(None)), map(is_not, column, repeat(False)))
        wants = list(map(or_, wants, given))
    return wants


def _duplicate_indexes(plan: MemberImportPlan) -> Iterable[tuple[int, int]]:
    index_of = {number: i for i, number in enumerate(plan.parsed.row_numbers)}
    for duplicate in plan.duplicates:
        yield index_of[duplicate.row], index_of[duplicate.first_row]


def _existing_periods(
    session: Session, member_ids: Sequence[int]
) -> dict[int, list[tuple[int, str, date, date | None, Decimal]]]:
    """Each member's periods: (id, type name casefolded, start, end, amount paid)."""
    if not member_ids:
        return {}
    wanted = set(member_ids)
    paid = dict(
        session.execute(
            select(Payment.membership_id, func.sum(Payment.amount))
            .where(Payment.membership_id.is_not(None))
            .group_by(Payment.membership_id)
        ).all()
    )
    periods: dict[int, list[tuple[int, str, date, date | None, Decimal]]] = {}
    query = select(
        Membership.id,
        Membership.member_id,
        MembershipType.name,
        Membership.start_date,
        Membership.end_date,
    ).join(MembershipType, Membership.membership_type_id == MembershipType.id)
    for period_id, member_id, type_name, start, end in session.execute(query):
        if member_id in wanted:
            periods.setdefault(member_id, []).append(
                (period_id, type_name.casefold(), start, end, _decimal(paid.get(period_id)))
            )
    return periods


def _decimal(value: Any) -> Decimal:
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


def _latest_types(session: Session, member_ids: Sequence[int]) -> dict[int, str]:
    if not member_ids:
        return {}
    wanted = set(member_ids)
    latest: dict[int, str] = {}
    query = (
        select(Membership.member_id, MembershipType.name)
        .join(MembershipType, Membership.membership_type_id == MembershipType.id)
        .order_by(Membership.start_date)
    )
    for member_id, name in session.execute(query):
        if member_id in wanted:
            latest[member_id] = name
    return latest


def _default_type(database: _Database) -> str:
    """The type for a row giving dues but no type: the first regular one, else "Member"."""
    regular = sorted(
        (t for t in database.types.values() if t.active and not t.honorary),
        key=lambda t: t.id,
    )
    return regular[0].name if regular else "Member"


def new_type_terms(name: str) -> tuple[MembershipTerm, bool, Decimal]:
    words = name.casefold()
    if "honorary" in words or "lifetime" in words or "life member" in words:
        return MembershipTerm.LIFETIME, "honorary" in words, ZERO
    return MembershipTerm.CALENDAR_YEAR, False, ZERO


def _period(
    term: MembershipTerm,
    honorary: bool,
    year: int | None,
    end: date | None,
    paid_on: date | None,
    member_since: date | None,
    today: date,
    fiscal_start_month: int,
) -> tuple[date, date | None]:
    if honorary or term is MembershipTerm.LIFETIME:
        return member_since or paid_on or today, None
    if year is not None:
        if term is MembershipTerm.FISCAL_YEAR and fiscal_start_month != 1:
            start = date(year - 1, fiscal_start_month, 1)
            return start, add_years(start, 1) - timedelta(days=1)
        if term is MembershipTerm.ANNIVERSARY and member_since is not None:
            start = add_years(member_since, year - member_since.year)
            return start, add_years(start, 1) - timedelta(days=1)
        return date(year, 1, 1), date(year, 12, 31)
    if end is not None:
        return add_years(end, -1) + timedelta(days=1), end
    day = paid_on or today
    if term is MembershipTerm.FISCAL_YEAR:
        return fiscal_year_containing(day, fiscal_start_month)
    if term is MembershipTerm.ANNIVERSARY and member_since is not None:
        start = add_years(member_since, day.year - member_since.year)
        if start > day:
            start = add_years(start, -1)
        return start, add_years(start, 1) - timedelta(days=1)
    return date(day.year, 1, 1), date(day.year, 12, 31)
