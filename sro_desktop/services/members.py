"""Reading the membership list: one row per person with employer, type and status.

Two ways to read it, from the same SQL:

- `member_rows` runs the listing query directly, for the command line and reports.
- The members table of the app reads a *member list*: the listing copied once into a
  temporary table on the app's own reading connection (`prepare_member_list`), with the
  status worked out for today, names folded for searching and sorting, and an index on
  the name order. Typing in the search box or changing a filter is then one small query
  for a page of rows (`member_list_page`, keyset-paginated) and one count, even at
  100,000 members. After a change to a few members only their rows are rebuilt
  (`refresh_member_list`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Select,
    String,
    Table,
    and_,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from sro_desktop.db.models import Employer, EmployerType, Member, MembershipType
from sro_desktop.services.membership_status import MemberStatus, status_by_member
from sro_desktop.services.organization import grace_days

_PHONE_LIKE = re.compile(r"[\d()\-. +]+")
FOLD_FUNCTION = "sro_fold"


def fold(text: str | None) -> str:
    """Text as searching and sorting compare it: accents dropped, case folded.

    "García" and "GARCIA" both give "garcia", so a treasurer typing without accents
    still finds the person.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def folded(text: Any) -> ColumnElement[str]:
    """`fold` in SQL: SQLite's own lower() for plain ASCII text (most names), the Python
    function only for text with other characters, which is far quicker over 100,000 rows."""
    return case(
        (text.op("GLOB")(literal("*[^ -~]*")), getattr(func, FOLD_FUNCTION)(text)),
        else_=func.lower(text),
    )


def ensure_fold_function(session: Session) -> None:
    """Make `sro_fold(text)` available to SQL on the session's connection."""
    driver = session.connection().connection.driver_connection
    create = getattr(driver, "create_function", None)
    if create is not None:
        create(FOLD_FUNCTION, 1, fold, deterministic=True)


@dataclass(frozen=True)
class MemberRow:
    """What the members table and `members list` show for one person."""

    id: int
    first_name: str
    last_name: str
    credentials: str
    email: str | None
    phone: str
    organization: str | None
    organization_type: str | None
    job_role: str | None
    state: str
    member_since: date | None
    status: MemberStatus
    membership_type: str | None
    paid_through: date | None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        for key in ("member_since", "paid_through"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data


@dataclass(frozen=True)
class MemberFilter:
    """What the members table or `members list` is narrowed to; every part combines."""

    search: str = ""
    status: MemberStatus | None = None
    membership_type_id: int | None = None
    state: str | None = None
    organization_type: EmployerType | None = None
    include_archived: bool = False


# --- the listing query ------------------------------------------------------------------


def member_list_select(
    as_of: date, grace: int, member_ids: Collection[int] | None = None
) -> Select[*tuple[Any, ...]]:
    """Every person with what the list shows, their status on `as_of` and the folded text
    that searching and sorting use. Dates come out as ISO text."""
    status = status_by_member(as_of, grace, member_ids)
    sep = literal(" ")
    haystack = (
        func.coalesce(Member.first_name, "")
        + sep
        + func.coalesce(Member.last_name, "")
        + sep
        + func.coalesce(Member.email, "")
        + sep
        + func.coalesce(Member.credentials, "")
        + sep
        + func.coalesce(Member.state, "")
        + sep
        + func.coalesce(Employer.name, "")
    )
    query: Select[*tuple[Any, ...]] = (
        select(
            Member.id.label("id"),
            Member.first_name.label("first_name"),
            Member.last_name.label("last_name"),
            Member.credentials.label("credentials"),
            Member.email.label("email"),
            Member.phone.label("phone"),
            Member.phone_digits.label("phone_digits"),
            Employer.name.label("organization"),
            type_coerce(Employer.type, String).label("organization_type"),
            type_coerce(Member.job_role, String).label("job_role"),
            Member.state.label("state"),
            type_coerce(Member.member_since, String).label("member_since"),
            Member.archived.label("archived"),
            func.coalesce(status.c.status, MemberStatus.NON_MEMBER.value).label("status"),
            status.c.membership_type_id.label("membership_type_id"),
            MembershipType.name.label("membership_type"),
            status.c.paid_through.label("paid_through"),
            folded(Member.last_name).label("last_key"),
            folded(Member.first_name).label("first_key"),
            folded(func.coalesce(Employer.name, "")).label("organization_key"),
            folded(haystack).label("haystack"),
            # What the other columns sort by, never NULL so a page can start after one.
            func.lower(Member.credentials).label("credentials_key"),
            func.coalesce(Member.email, "").label("email_key"),
            func.coalesce(type_coerce(Employer.type, String), "").label("organization_type_key"),
            func.coalesce(MembershipType.name, "").label("membership_type_key"),
            func.coalesce(status.c.paid_through, "").label("paid_through_key"),
        )
        .outerjoin(Employer, Member.employer_id == Employer.id)
        .outerjoin(status, status.c.member_id == Member.id)
        .outerjoin(MembershipType, MembershipType.id == status.c.membership_type_id)
    )
    if member_ids is not None:
        query = query.where(Member.id.in_(member_ids))
    return query


SORT_KEYS = (
    "credentials_key",
    "email_key",
    "organization_type_key",
    "membership_type_key",
    "paid_through_key",
)
_TEMP = MetaData()
# The member list is two temporary tables. `member_list` holds what the table shows, one
# row per person by id. `member_search` holds only what filtering and the usual order need,
# stored in name order (a WITHOUT ROWID table keyed by the sort key): a search reads it
# front to back, narrow rows only, until a page is full, and counting reads nothing else.
MEMBER_LIST = Table(
    "member_list",
    _TEMP,
    Column("id", Integer, primary_key=True),
    Column("first_name", String),
    Column("last_name", String),
    Column("credentials", String),
    Column("email", String),
    Column("phone", String),
    Column("phone_digits", String),
    Column("organization", String),
    Column("organization_type", String),
    Column("job_role", String),
    Column("state", String),
    Column("member_since", String),
    Column("archived", Boolean),
    Column("status", String),
    Column("membership_type_id", Integer),
    Column("membership_type", String),
    Column("paid_through", String),
    Column("last_key", String, nullable=False),
    Column("first_key", String, nullable=False),
    Column("organization_key", String),
    Column("haystack", String),
    *[Column(name, String) for name in SORT_KEYS],
    prefixes=["TEMPORARY"],
)
_SEARCH_COLUMNS = (
    "last_key",
    "first_key",
    "id",
    "archived",
    "status",
    "membership_type_id",
    "state",
    "organization_type",
    "phone_digits",
    "haystack",
)
MEMBER_SEARCH = Table(
    "member_search",
    _TEMP,
    *[
        Column(
            name,
            Boolean if name == "archived" else Integer if name.endswith("id") else String,
            nullable=name not in ("last_key", "first_key", "id"),
        )
        for name in _SEARCH_COLUMNS
    ],
    PrimaryKeyConstraint("last_key", "first_key", "id"),
    Index("ix_member_search_id", "id", unique=True),
    prefixes=["TEMPORARY"],
    sqlite_with_rowid=False,
)
_COLUMN_NAMES = [column.name for column in MEMBER_LIST.columns]


_SEARCH_SORTS = frozenset({"last_name", "first_name", "phone", "state", "status"})


def _matches(columns: Any, member_filter: MemberFilter) -> list[Any]:
    conditions: list[Any] = []
    if not member_filter.include_archived:
        conditions.append(columns.archived == false())
    if member_filter.status is not None:
        conditions.append(columns.status == member_filter.status.value)
    if member_filter.membership_type_id is not None:
        conditions.append(columns.membership_type_id == member_filter.membership_type_id)
    if member_filter.state:
        conditions.append(columns.state == member_filter.state)
    if member_filter.organization_type is not None:
        conditions.append(columns.organization_type == member_filter.organization_type.value)
    search = search_condition(columns, member_filter.search)
    if search is not None:
        conditions.append(search)
    return conditions


def search_condition(columns: Any, text: str) -> ColumnElement[bool] | None:
    """Every word of `text` must appear in the name, email, credentials, state or
    organization (accents and case aside), or, for a number, in the phone number."""
    words = text.split()
    if not words:
        return None
    conditions = []
    for word in words:
        fields: list[ColumnElement[bool]] = [
            columns.haystack.like(f"%{_escape_like(fold(word))}%", escape="\\")
        ]
        digits = "".join(ch for ch in word if ch.isdigit())
        if len(digits) >= 3 and _PHONE_LIKE.fullmatch(word):
            fields.append(columns.phone_digits.like(f"%{digits}%"))
        conditions.append(or_(*fields))
    return and_(*conditions)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _row(values: Any) -> MemberRow:
    return MemberRow(
        id=values.id,
        first_name=values.first_name,
        last_name=values.last_name,
        credentials=values.credentials,
        email=values.email,
        phone=values.phone,
        organization=values.organization,
        organization_type=values.organization_type,
        job_role=values.job_role,
        state=values.state,
        member_since=_date(values.member_since),
        status=MemberStatus(values.status),
        membership_type=values.membership_type,
        paid_through=_date(values.paid_through),
    )


# --- sorting ----------------------------------------------------------------------------

# What each sortable column sorts by; ties are broken by name and then id, so the order is
# total and a page can start after the last row of the previous one (keyset pagination).
SORT_COLUMNS = (
    "last_name",
    "first_name",
    "credentials",
    "email",
    "phone",
    "organization",
    "organization_type",
    "state",
    "status",
    "membership_type",
    "paid_through",
)


def _sort_key(columns: Any, sort: str) -> list[ColumnElement[Any]]:
    if sort not in SORT_COLUMNS:
        raise ValueError(f"cannot sort by {sort}")
    name_order = [columns.last_key, columns.first_key, columns.id]
    if sort == "last_name":
        return name_order
    if sort == "first_name":
        return [columns.first_key, columns.last_key, columns.id]
    first = getattr(
        columns,
        {
            "credentials": "credentials_key",
            "email": "email_key",
            "phone": "phone_digits",
            "organization": "organization_key",
            "organization_type": "organization_type_key",
            "state": "state",
            "status": "status",
            "membership_type": "membership_type_key",
            "paid_through": "paid_through_key",
        }[sort],
    )
    return [first, *name_order]


# --- reading directly -------------------------------------------------------------------


def member_rows(
    session: Session,
    as_of: date,
    *,
    search: str = "",
    status: MemberStatus | None = None,
    include_archived: bool = False,
    member_filter: MemberFilter | None = None,
) -> list[MemberRow]:
    """The membership list as of a date, filtered, in name order."""
    if member_filter is None:
        member_filter = MemberFilter(
            search=search, status=status, include_archived=include_archived
        )
    ensure_fold_function(session)
    listing = member_list_select(as_of, grace_days(session)).subquery("listing")
    query = select(listing).where(*_matches(listing.c, member_filter))
    query = query.order_by(*_sort_key(listing.c, "last_name"))
    return [_row(values) for values in session.execute(query)]


def count_members(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Member)) or 0


# --- the app's member list --------------------------------------------------------------


def prepare_member_list(session: Session, as_of: date) -> None:
    """(Re)build the member list for `as_of` on the session's connection.

    The list is temporary tables: they live as long as the connection and only that
    connection sees them. The caller commits, so that later reads on the connection keep
    them.
    """
    ensure_fold_function(session)
    connection = session.connection()
    for table in (MEMBER_LIST, MEMBER_SEARCH):
        table.create(connection, checkfirst=True)
        session.execute(delete(table))
    _fill(session, as_of, None)


def refresh_member_list(session: Session, as_of: date, member_ids: Collection[int]) -> None:
    """Rebuild the rows of `member_ids` only (after an edit, a payment, a merge)."""
    ids = sorted(set(member_ids))
    ensure_fold_function(session)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for table in (MEMBER_LIST, MEMBER_SEARCH):
            session.execute(delete(table).where(table.c.id.in_(chunk)))
        _fill(session, as_of, chunk)


def _fill(session: Session, as_of: date, member_ids: Collection[int] | None) -> None:
    listing = member_list_select(as_of, grace_days(session), member_ids)
    session.execute(insert(MEMBER_LIST).from_select(_COLUMN_NAMES, listing))
    copied = select(*[MEMBER_LIST.c[name] for name in _SEARCH_COLUMNS])
    if member_ids is not None:
        copied = copied.where(MEMBER_LIST.c.id.in_(member_ids))
    session.execute(insert(MEMBER_SEARCH).from_select(list(_SEARCH_COLUMNS), copied))


@dataclass(frozen=True)
class MemberListPage:
    """Some rows of the member list, and where the next page starts (None at the end)."""

    rows: list[MemberRow]
    next_after: tuple[Any, ...] | None


def member_list_page(
    session: Session,
    member_filter: MemberFilter,
    *,
    sort: str = "last_name",
    descending: bool = False,
    after: Sequence[Any] | None = None,
    limit: int = 500,
) -> MemberListPage:
    """Up to `limit` rows of the prepared member list, after the row whose sort key is
    `after` (from the previous page's `next_after`)."""
    # Filter and sort on the narrow search table when the order is one it holds (the
    # usual name order above all); else on the wide list, which holds every sort key.
    # Either way the sorter handles only the keys; what is shown is joined to the page.
    source = MEMBER_SEARCH if sort in _SEARCH_SORTS else MEMBER_LIST
    key = _sort_key(source.c, sort)
    conditions = _matches(source.c, member_filter)
    if after is not None:
        position = tuple_(*key)
        bound = tuple_(*[literal(value) for value in after])
        conditions.append(position < bound if descending else position > bound)
    order = [k.desc() for k in key] if descending else key
    page = (
        select(*[k.label(f"sort_{i}") for i, k in enumerate(key)])
        .where(*conditions)
        .order_by(*order)
        .limit(limit + 1)
        .subquery("page")
    )
    sort_columns = [page.c[f"sort_{i}"] for i in range(len(key))]
    id_column = page.c[f"sort_{len(key) - 1}"]  # every key ends with the id
    query = (
        select(MEMBER_LIST, *sort_columns)
        .join(page, id_column == MEMBER_LIST.c.id)
        .order_by(*[c.desc() for c in sort_columns] if descending else sort_columns)
    )
    fetched = session.execute(query).all()
    rows = [_row(values) for values in fetched[:limit]]
    next_after = None
    if len(fetched) > limit:
        last = fetched[limit - 1]
        next_after = tuple(getattr(last, f"sort_{i}") for i in range(len(key)))
    return MemberListPage(rows, next_after)


def member_list_count(session: Session, member_filter: MemberFilter) -> int:
    """How many rows of the prepared member list match."""
    query = (
        select(func.count())
        .select_from(MEMBER_SEARCH)
        .where(*_matches(MEMBER_SEARCH.c, member_filter))
    )
    return session.scalar(query) or 0


def member_list_ids(session: Session, member_filter: MemberFilter) -> list[int]:
    """The ids of every matching row of the prepared member list, in name order."""
    query = (
        select(MEMBER_SEARCH.c.id)
        .where(*_matches(MEMBER_SEARCH.c, member_filter))
        .order_by(*_sort_key(MEMBER_SEARCH.c, "last_name"))
    )
    return list(session.scalars(query))


def member_list_emails(session: Session, member_filter: MemberFilter) -> list[str]:
    """The email addresses of the matching rows, in name order (people without one are
    left out)."""
    query = (
        select(MEMBER_LIST.c.email)
        .where(MEMBER_LIST.c.email.is_not(None), *_matches(MEMBER_LIST.c, member_filter))
        .order_by(*_sort_key(MEMBER_LIST.c, "last_name"))
    )
    return [email for email in session.scalars(query) if email]


@dataclass(frozen=True)
class FilterChoices:
    """What the filter boxes offer: the states and membership types in use."""

    states: list[str]
    membership_types: list[tuple[int, str]]


def filter_choices(session: Session) -> FilterChoices:
    states = session.scalars(
        select(Member.state).where(Member.state != "").distinct().order_by(Member.state)
    )
    types = session.execute(
        select(MembershipType.id, MembershipType.name).order_by(MembershipType.name)
    )
    return FilterChoices(list(states), [(row.id, row.name) for row in types])


def member_row(session: Session, member_id: int, as_of: date) -> MemberRow | None:
    """One person as the list shows them (archived or not)."""
    ensure_fold_function(session)
    listing = member_list_select(as_of, grace_days(session), [member_id]).subquery("listing")
    values = session.execute(select(listing)).first()
    return _row(values) if values is not None else None
