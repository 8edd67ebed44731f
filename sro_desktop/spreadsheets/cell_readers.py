"""Reading a whole column of cells into clean values, fast, the way `services.values` does.

An import reads a column at a time: a 100,000-row roster is a million cells, and the
careful parsers of `services.values` take microseconds each. So every reader here
tries a quick path for the cells that are already clean (plain ASCII text, an ordinary
e-mail address, a (215) 555-0100 phone number) and hands anything else to the careful
parser, whose answer is the reference; and columns whose values repeat (states, dates,
membership types, amounts) remember each distinct cell's answer. The quick paths
accept only what the careful parsers would return unchanged, which the tests check.

Each reader returns the values (None for blank or refused) and the problems, as
(index in the column, message) pairs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

from sro_desktop.services.credentials import parse_credentials
from sro_desktop.services.values import (
    ValueProblem,
    clean_text,
    normalize_email,
    normalize_phone,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_money,
    parse_state,
    phone_digits,
)
from sro_desktop.spreadsheets.sheet_data import CellValue

__all__ = [
    "ColumnResult",
    "read_bools",
    "read_credentials",
    "read_dates",
    "read_datetimes",
    "read_emails",
    "read_lines",
    "read_money",
    "read_phones",
    "read_postal_codes",
    "read_states",
    "read_texts",
    "read_with",
]

T = TypeVar("T")
ColumnResult = tuple[list[Any], list[tuple[int, str]]]

#: Distinct cells remembered per column; beyond this a column is mostly unique values.
_MEMO_LIMIT: Final = 50_000
_MISSING: Final = object()

# The local part: up to 64 characters, starting with a letter or digit, not ending with
# a dot; each domain label up to 63, starting and ending with a letter or digit; the
# last starting with a letter. Written with possessive repeats and look-behinds instead
# of "one more character that is not a dot", so the engine never backtracks: a column
# of 10,000 addresses is checked three times faster. (The same language as before; the
# tests compare the two on many random strings.)
_EMAIL: Final = re.compile(
    r"[a-z0-9][a-z0-9._%+-]{0,63}+(?<!\.)"
    r"@(?:[a-z0-9][a-z0-9-]{0,62}+(?<!-)\.)++[a-z][a-z0-9-]{0,62}+(?<!-)",
    re.ASCII,
)
_EMAILS: Final = re.compile(f"(?:{_EMAIL.pattern}\\n)*+{_EMAIL.pattern}", re.ASCII)
_US_PHONE: Final = re.compile(r"(?:\((\d{3})\) ?|(\d{3})[-. ])(\d{3})[-. ](\d{4})", re.ASCII)
_ONE_PHONE: Final = r"(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}"
_US_PHONES: Final = re.compile(f"(?:{_ONE_PHONE}\\n)*{_ONE_PHONE}", re.ASCII)
_PRINTABLE_ASCII: Final = bytes(range(0x20, 0x7F))
_BAR_AS_SPACE: Final = bytes.maketrans(b"|", b" ")
_NOT_DIGITS: Final = {c: None for c in range(128) if not chr(c).isdigit() and chr(c) != "\n"}


def _all_clean_text(values: Sequence[CellValue], limit: int) -> bool:
    """Whether every cell is None or text clean_text would return unchanged, at most
    `limit` long: checked on all of them joined, at C speed, instead of cell by cell."""
    texts: Sequence[Any] = [v for v in values if v is not None] if None in values else values
    if not texts:
        return True
    try:
        joined = "|".join(texts)
    except TypeError:  # a number or a date among the text
        return False
    if joined.isascii():
        # The same tests on bytes, at C speed: deleting the printable characters leaves
        # nothing; with "|" made a space, "  " finds doubled spaces, a space at either
        # end of a cell and an empty cell ("||") in one search.
        raw = joined.encode("ascii")
        return (
            not raw.translate(None, _PRINTABLE_ASCII)
            and b"  " not in raw.translate(_BAR_AS_SPACE)
            and texts[0][:1] not in ("", " ")
            and texts[-1][-1:] not in ("", " ")
            and max(map(len, texts)) <= limit
        )
    return (
        (joined.isascii() or unicodedata.is_normalized("NFC", joined))
        and joined.isprintable()
        and "  " not in joined
        and "| " not in joined
        and " |" not in joined
        and "||" not in joined
        and texts[0][:1] not in ("", " ")
        and texts[-1][-1:] not in ("", " ")
        and max(map(len, texts)) <= limit
    )


def read_with(values: Sequence[CellValue], parse: Callable[[CellValue], T]) -> ColumnResult:
    """Each cell through `parse`, each distinct cell parsed once (up to _MEMO_LIMIT)."""
    if bool not in set(map(type, values)):  # True == 1: keep them apart
        distinct = set(values)
        distinct.discard(None)
        if len(distinct) <= _MEMO_LIMIT:
            return _read_distinct(values, distinct, parse)
    results: list[Any] = []
    problems: list[tuple[int, str]] = []
    memo: dict[CellValue, Any] = {}
    append = results.append
    for index, value in enumerate(values):
        if value is None:
            append(None)
            continue
        answer = memo.get(value, _MISSING)
        if answer is _MISSING:
            try:
                answer = parse(value)
            except ValueProblem as problem:
                answer = problem
            if len(memo) < _MEMO_LIMIT:
                memo[value] = answer
        if type(answer) is ValueProblem:
            problems.append((index, answer.message))
            append(None)
        else:
            append(answer)
    return results, problems


def _read_distinct(
    values: Sequence[CellValue], distinct: set[CellValue], parse: Callable[[CellValue], T]
) -> ColumnResult:
    answers: dict[CellValue, Any] = {None: None}
    refused: dict[CellValue, str] = {}
    for value in distinct:
        try:
            answers[value] = parse(value)
        except ValueProblem as problem:
            answers[value] = None
            refused[value] = problem.message
    results = list(map(answers.__getitem__, values))
    if not refused:
        return results, []
    return results, [(i, refused[v]) for i, v in enumerate(values) if v in refused]


def read_texts(values: Sequence[CellValue], limit: int = 200) -> ColumnResult:
    """Text on one line: whitespace runs made one space, invisible characters gone."""
    if _all_clean_text(values, limit):
        return list(values), []
    results: list[Any] = []
    problems: list[tuple[int, str]] = []
    append = results.append
    for index, value in enumerate(values):
        # Plain printable ASCII, trimmed, without doubled spaces: clean_text returns it as is.
        if (
            type(value) is str
            and value.isascii()
            and value.isprintable()
            and value
            and value[0] != " " != value[-1]
            and "  " not in value
        ):
            text: str | None = value
        elif value is None:
            append(None)
            continue
        else:
            try:
                text = clean_text(value)
            except ValueProblem as problem:
                problems.append((index, problem.message))
                append(None)
                continue
        if text is not None and len(text) > limit:
            problems.append((index, f"The text is longer than {limit} characters; shorten it"))
            text = None
        append(text)
    return results, problems


def read_lines(values: Sequence[CellValue]) -> ColumnResult:
    """Text that may run over several lines (notes): each line tidied, line breaks kept."""

    def lines(value: CellValue) -> str | None:
        if not isinstance(value, str):
            return clean_text(value)
        kept = [clean_text(line) or "" for line in value.splitlines()]
        return "\n".join(kept).strip() or None

    return read_with(values, lines)


def read_emails(values: Sequence[CellValue]) -> ColumnResult:
    """E-mail addresses, trimmed and lower-cased (see `normalize_email`)."""
    texts = [value for value in values if type(value) is str]
    if texts and len(texts) + values.count(None) == len(values):
        lowered = "\n".join(texts).lower()
        if (
            ".." not in lowered
            and max(map(len, texts)) <= 254
            and _EMAILS.fullmatch(lowered) is not None
        ):
            clean = iter(lowered.split("\n"))
            return [None if value is None else next(clean) for value in values], []
    results: list[Any] = []
    problems: list[tuple[int, str]] = []
    append = results.append
    fullmatch = _EMAIL.fullmatch
    for index, value in enumerate(values):
        if value is None:
            append(None)
            continue
        if type(value) is str and len(value) <= 254:
            lowered = value.lower()
            if fullmatch(lowered) and ".." not in lowered and lowered.index("@") <= 64:
                append(lowered)
                continue
        try:
            append(normalize_email(value))
        except ValueProblem as problem:
            problems.append((index, problem.message))
            append(None)
    return results, problems


def read_phones(values: Sequence[CellValue]) -> tuple[list[Any], list[Any], list[tuple[int, str]]]:
    """Phone numbers as typed (tidied) and their digits, for comparing numbers."""
    texts = [value for value in values if type(value) is str]
    if texts and len(texts) + values.count(None) == len(values):
        joined = "\n".join(texts)
        if _US_PHONES.fullmatch(joined) is not None:
            numbers = iter(joined.translate(_NOT_DIGITS).split("\n"))
            digits_of = [None if value is None else next(numbers) for value in values]
            return list(values), digits_of, []
    results: list[Any] = []
    digits: list[Any] = []
    problems: list[tuple[int, str]] = []
    fullmatch = _US_PHONE.fullmatch
    for index, value in enumerate(values):
        if value is None:
            results.append(None)
            digits.append(None)
            continue
        if type(value) is str:
            match = fullmatch(value)
            if match is not None:
                results.append(value)
                digits.append((match[1] or match[2]) + match[3] + match[4])
                continue
        try:
            text = normalize_phone(value)
        except ValueProblem as problem:
            problems.append((index, problem.message))
            results.append(None)
            digits.append(None)
            continue
        results.append(text)
        digits.append(phone_digits(text) if text is not None else None)
    return results, digits, problems


def _postal_code(value: CellValue) -> str | None:
    # A ZIP code typed into Excel as a number loses its leading zero: 07001 -> 7001.
    if type(value) is int and 100 <= value <= 99999:
        return f"{value:05d}"
    text = clean_text(value)
    if text is not None and len(text) > 20:
        raise ValueProblem(f"'{text[:24]}…' is too long for a ZIP or postal code")
    return text


def read_postal_codes(values: Sequence[CellValue]) -> ColumnResult:
    texts, problems = read_texts([v for v in values if type(v) is not int], 20)
    if not problems and len(texts) == len(values):
        return texts, problems  # all text, all short: the common case
    return read_with(values, _postal_code)


def read_states(values: Sequence[CellValue]) -> ColumnResult:
    return read_with(values, parse_state)


def read_credentials(values: Sequence[CellValue]) -> ColumnResult:
    return read_with(values, parse_credentials)


def read_dates(values: Sequence[CellValue], date_system: int = 1900) -> ColumnResult:
    def one(value: CellValue) -> date | None:
        if type(value) is date:
            return value
        return parse_date(value, date_system=date_system)

    return read_with(values, one)


def read_datetimes(values: Sequence[CellValue], date_system: int = 1900) -> ColumnResult:
    def one(value: CellValue) -> datetime | None:
        if type(value) is datetime:
            return value
        return parse_datetime(value, date_system=date_system)

    return read_with(values, one)


def read_money(values: Sequence[CellValue]) -> ColumnResult:
    return read_with(values, parse_money)


def read_bools(values: Sequence[CellValue]) -> ColumnResult:
    return read_with(values, parse_bool)


def money_or_yes(value: CellValue) -> Decimal | bool | None:
    """An amount ("150", "$1,234.50") or a yes/no ("Yes", "x", "paid")."""
    try:
        return parse_money(value)
    except ValueProblem as as_money:
        try:
            return parse_bool(value)
        except ValueProblem:
            raise as_money from None
