"""Turning the rows of a roster into clean member values, column by column, with problems.

The table's mapped columns are read one at a time (see `cell_readers` for why), so the
result is columnar: `values[field][i]` is row i's clean value for a field, None when the
cell was blank or refused. Every refused cell becomes a `RowProblem` with the sheet's
own row number, the column's header, the value and the reason, and makes its row
invalid; so does a row without any name. A "Name" column is split into first and last
names ("Jane Q. Doe", "Doe, Jane", "Jane Doe, MD" with the credentials set aside).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Final

from sro_desktop.db.models import JobRole, PaymentMethod
from sro_desktop.services.credentials import canonical_credential, parse_credentials
from sro_desktop.services.values import ValueProblem, clean_text, parse_int, show_value
from sro_desktop.spreadsheets import cell_readers
from sro_desktop.spreadsheets.column_mapping import ColumnMap
from sro_desktop.spreadsheets.row_problems import RowProblem, problem
from sro_desktop.spreadsheets.sheet_data import CellValue, Table

__all__ = ["PERSON_FIELDS", "ParsedRows", "parse_member_rows", "split_name"]

#: Member columns an import can set, in the order they are compared and shown.
PERSON_FIELDS: Final = (
    "first_name",
    "last_name",
    "credentials",
    "email",
    "phone",
    "organization",
    "job_title",
    "job_role",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "country",
    "member_since",
    "notes",
)
MEMBERSHIP_FIELDS: Final = (
    "membership_type",
    "membership_year",
    "membership_end",
    "dues_paid",
    "paid_on",
    "payment_method",
    "payment_reference",
)
_TEXT_LIMITS: Final = {
    "first_name": 100,
    "last_name": 100,
    "organization": 200,
    "job_title": 200,
    "address_line1": 200,
    "address_line2": 200,
    "city": 100,
    "membership_type": 100,
    "payment_reference": 100,
}
_NAME_PARTICLES: Final = frozenset(
    {"van", "von", "de", "del", "della", "der", "den", "da", "di", "du", "la", "le", "st", "st."}
)


@dataclass
class ParsedRows:
    """The clean values of a table's rows, column by column, and what was wrong."""

    table: Table
    mapping: ColumnMap
    row_numbers: list[int]
    values: dict[str, list[Any]]
    problems: list[RowProblem] = field(default_factory=list)
    invalid: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def get(self, name: str, index: int) -> Any:
        column = self.values.get(name)
        return None if column is None else column[index]

    def header(self, name: str) -> str:
        """The header of the column feeding `name`, for messages."""
        if name in ("first_name", "last_name") and self.mapping.header_of(name) is None:
            full = self.mapping.header_of("full_name")
            if full is not None:
                return full
        return self.mapping.header_of(name) or name.replace("_", " ").capitalize()

    def refuse(self, index: int, name: str, value: object, message: str) -> None:
        self.problems.append(problem(self.row_numbers[index], self.header(name), value, message))
        self.invalid.add(index)


def _job_role(value: CellValue) -> JobRole | None:
    text = clean_text(value)
    if text is None:
        return None
    key = text.casefold()
    for role in JobRole:
        if key in (role.value, role.label.casefold()):
            return role
    for words, role in _ROLE_WORDS:
        if any(word in key for word in words):
            return role
    return JobRole.OTHER


_ROLE_WORDS: Final = (
    (("director", "chief", "executive", "head", "president", "vp", "lead"), JobRole.LEADER),
    (("manager", "supervisor"), JobRole.MANAGER),
    (("coordinator", "specialist", "planner"), JobRole.COORDINATOR),
    (("admin", "assistant", "secretary", "clerk"), JobRole.ADMINISTRATIVE),
)


def _payment_method(value: CellValue) -> PaymentMethod | None:
    text = clean_text(value)
    if text is None:
        return None
    key = text.casefold()
    for words, method in _METHOD_WORDS:
        if any(word in key for word in words):
            return method
    return PaymentMethod.OTHER


_METHOD_WORDS: Final = (
    (("check", "cheque", "chk"), PaymentMethod.CHECK),
    (
        ("card", "visa", "mastercard", "amex", "discover", "paypal", "stripe", "square"),
        PaymentMethod.CARD,
    ),
    (("cash",), PaymentMethod.CASH),
    (("transfer", "ach", "wire", "eft", "bank", "zelle", "venmo"), PaymentMethod.TRANSFER),
)


def _country(value: CellValue) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    key = text.casefold().replace(".", "").strip()
    if key in ("us", "usa", "united states", "united states of america", "america"):
        return "US"
    if key in ("ca", "can", "canada"):
        return "CA"
    if len(key) == 2 and key.isascii() and key.isalpha():
        return key.upper()
    raise ValueProblem(f"'{show_value(text)}' is not a country; write its two-letter code, as US")


def _year(value: CellValue) -> int | None:
    year = parse_int(value)
    if year is not None and not 1900 <= year <= 2200:
        raise ValueProblem(f"'{show_value(value)}' is not a year; write it like 2026")
    return year


def split_name(text: str) -> tuple[str, str, str | None]:
    """First name, last name and any credentials in one name cell.

    "Jane Q. Doe" -> ("Jane Q.", "Doe"); "Doe, Jane" -> ("Jane", "Doe"); "Jane Doe, MD"
    -> ("Jane", "Doe", "MD"); "Ana de la Cruz" -> ("Ana", "de la Cruz").
    """
    credentials = None
    if "," in text:
        head, _, tail = text.partition(",")
        tail_words = tail.replace(",", " ").split()
        if tail_words and all(canonical_credential(w) is not None for w in tail_words):
            credentials = parse_credentials(tail)
            text = head.strip()
        else:
            first = tail.strip()
            return first, head.strip(), None
    words = text.split()
    if len(words) == 1:
        return "", words[0], credentials
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _NAME_PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:]), credentials


ColumnReader = Callable[[Sequence[CellValue]], cell_readers.ColumnResult]


def parse_member_rows(
    table: Table,
    mapping: ColumnMap,
    extra_readers: Mapping[str, ColumnReader] | None = None,
    *,
    names_required: bool = True,
) -> ParsedRows:
    """Read every mapped column of `table`; see the module's docstring.

    `extra_readers` read the fields of other imports (a registration's category, an
    attendance time) the same way; a field with no reader is read as text.
    """
    rows = table.rows
    parsed = ParsedRows(
        table=table,
        mapping=mapping,
        row_numbers=[row.row_number for row in rows],
        values={},
    )
    columns: dict[str, Sequence[CellValue]] = {}
    wanted = [
        (position, mapping.fields[header])
        for position, header in enumerate(table.headers)
        if header in mapping.fields
    ]
    if wanted:
        all_values = [row.values for row in rows]
        for position, key in wanted:
            columns[key] = list(map(itemgetter(position), all_values))
    date_system = table.date_system

    readers: dict[str, ColumnReader] = {
        "credentials": cell_readers.read_credentials,
        "email": cell_readers.read_emails,
        "state": cell_readers.read_states,
        "postal_code": cell_readers.read_postal_codes,
        "member_since": lambda v: cell_readers.read_dates(v, date_system),
        "membership_end": lambda v: cell_readers.read_dates(v, date_system),
        "paid_on": lambda v: cell_readers.read_dates(v, date_system),
        "notes": cell_readers.read_lines,
        "country": lambda v: cell_readers.read_with(v, _country),
        "job_role": lambda v: cell_readers.read_with(v, _job_role),
        "payment_method": lambda v: cell_readers.read_with(v, _payment_method),
        "membership_year": lambda v: cell_readers.read_with(v, _year),
        "dues_paid": lambda v: cell_readers.read_with(v, cell_readers.money_or_yes),
        **(extra_readers or {}),
    }
    for key, cells in columns.items():
        if key == "phone":
            phones, digits, problems = cell_readers.read_phones(cells)
            parsed.values["phone"] = phones
            parsed.values["phone_digits"] = digits
        elif key == "full_name":
            continue
        elif key in readers:
            parsed.values[key], problems = readers[key](cells)
        else:
            parsed.values[key], problems = cell_readers.read_texts(
                cells, _TEXT_LIMITS.get(key, 200)
            )
        for index, message in problems:
            parsed.refuse(index, key, cells[index], message)
    if "full_name" in columns:
        _split_full_names(parsed, columns["full_name"])
    if names_required:
        _require_names(parsed)
    parsed.problems.sort(key=lambda p: (p.row, p.column))
    return parsed


def _split_full_names(parsed: ParsedRows, cells: Sequence[CellValue]) -> None:
    texts, problems = cell_readers.read_texts(cells, 200)
    for index, message in problems:
        parsed.refuse(index, "full_name", cells[index], message)
    firsts = parsed.values.setdefault("first_name", [None] * len(parsed))
    lasts = parsed.values.setdefault("last_name", [None] * len(parsed))
    credentials = parsed.values.setdefault("credentials", [None] * len(parsed))
    for index, text in enumerate(texts):
        if text is None or (firsts[index] is not None and lasts[index] is not None):
            continue
        first, last, found = split_name(text)
        if firsts[index] is None:
            firsts[index] = first or None
        if lasts[index] is None:
            lasts[index] = last or None
        if found and credentials[index] is None:
            credentials[index] = found


def _require_names(parsed: ParsedRows) -> None:
    count = len(parsed)
    firsts = parsed.values.get("first_name") or [None] * count
    lasts = parsed.values.get("last_name") or [None] * count
    name_field = "last_name" if "last_name" in parsed.values else "first_name"
    nameless = [
        index
        for index, (first, last) in enumerate(zip(firsts, lasts, strict=True))
        if first is None and last is None
    ]
    for index in nameless:
        if index not in parsed.invalid:
            parsed.refuse(index, name_field, None, "The row has no name; fill in the name")
