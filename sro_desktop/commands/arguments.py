"""Argument types shared by the command modules: dates, times, amounts, numbers, member
numbers, payment methods, statuses, years and output files.

Each reads what a person types after a flag and either returns the value or raises
`argparse.ArgumentTypeError` with one sentence saying what to type instead (the CLI turns
it into a usage error, exit code 2). They live in one module so that a date, an amount or
a member number is read the same way by every command.

No `register` here: this module adds no command of its own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sro_desktop.db.models import PaymentMethod
    from sro_desktop.db.models.enums import LabelledEnum
    from sro_desktop.services.membership_status import MemberStatus

_T = TypeVar("_T")
_E = TypeVar("_E", bound="LabelledEnum")

# --- dates and times ---------------------------------------------------------------------


def iso_date(text: str) -> date:
    """A day written as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def any_date(text: str) -> date:
    """A day written any way a spreadsheet cell may hold one (2026-03-14, 3/14/2026…)."""
    from sro_desktop.services.values import parse_date

    return _required(text, parse_date, "the date is empty")


def time_of_day(text: str) -> time:
    """A time written as HH:MM, 24-hour."""
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time of day; write it as HH:MM (24-hour, e.g. 13:30)"
        ) from None


def year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1901 <= value <= 9998:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year; write it like 2026")
    return value


# --- amounts and numbers -----------------------------------------------------------------


def amount(text: str) -> Decimal:
    """Dollars and cents, read like a spreadsheet cell (150, $1,250.00, -25)."""
    from sro_desktop.services.values import parse_money

    return _required(text, parse_money, "the amount is empty; write it like 125.50")


def decimal_number(text: str) -> Decimal:
    """A plain decimal number such as a fee (295.00, $1,200) or credits (6.25); the
    service that takes it decides its range and precision."""
    try:
        value = Decimal(text.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount; write it as 295.00") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount; write it as 295.00")
    return value


# SQLite's integers are 64-bit: a larger record number cannot exist (and would overflow).
LARGEST_ID = 2**63 - 1


def record_id(text: str) -> int:
    """The number of a record (a meeting, payment, import batch…); one that does not exist
    is for the command to report, one too large to be stored is refused here."""
    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a record number") from None
    if abs(value) > LARGEST_ID:
        raise argparse.ArgumentTypeError(f"'{text}' is too large to be a record number")
    return value


def positive_int(text: str) -> int:
    """A count or a record number: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be 1 or more")
    if value > LARGEST_ID:
        raise argparse.ArgumentTypeError(f"'{text}' is too large")
    return value


def member_id(text: str) -> int:
    """A member number, with or without a leading # (as the app shows it)."""
    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a member number") from None
    if value <= 0 or value > LARGEST_ID:
        raise argparse.ArgumentTypeError(f"'{text}' is not a member number")
    return value


def _required(text: str, parse: Callable[[str], _T | None], empty: str) -> _T:
    """`parse(text)`, with its refusal (or an empty value) as an argument error."""
    from sro_desktop.services.values import ValueProblem

    try:
        value = parse(text)
    except ValueProblem as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None
    if value is None:
        raise argparse.ArgumentTypeError(empty)
    return value


# --- words from a fixed list -------------------------------------------------------------


def words(text: str) -> str:
    """`text` as a lookup key: lower case, with spaces and hyphens as underscores."""
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def choice(allowed: Iterable[_E] | Callable[[], Iterable[_E]]) -> Callable[[str], _E]:
    """One of `allowed`, by its stored value or its label ("bank transfer", "Non-member").

    `allowed` may be a function giving them, called only when a value is read, so that
    building the parser imports no models (start-up time; see cli.py).
    """

    def parse(text: str) -> _E:
        options = list(allowed if isinstance(allowed, Iterable) else allowed())
        wanted = words(text)
        for option in options:
            if wanted in (option.value, words(option.label)):
                return option
        names = ", ".join(option.value for option in options)
        raise argparse.ArgumentTypeError(f"'{text}' is not one of {names}")

    return parse


def named(
    names: Mapping[str, _T] | Callable[[], Mapping[str, _T]], what: str, choices: str
) -> Callable[[str], _T]:
    """The value of one of `names` (keys written as `words` makes them); refused as
    "'x' is not `what`; use `choices`". `names` may be a function giving them, called only
    when a value is read."""

    def parse(text: str) -> _T:
        value = (names() if callable(names) else names).get(words(text))
        if value is None:
            raise argparse.ArgumentTypeError(f"'{text}' is not {what}; use {choices}")
        return value

    return parse


_METHOD_ALIASES = {"cheque": "check", "credit_card": "card"}
# PaymentMethod's values, spelled out so that help needs no models (a test keeps them equal).
PAYMENT_METHOD_NAMES = ("check", "card", "cash", "transfer", "other")


def payment_method(text: str) -> PaymentMethod:
    """How money moved: check, card, cash, transfer or other (also by label or as
    "cheque", "credit card")."""
    from sro_desktop.db.models import PaymentMethod

    wanted = words(text)
    wanted = _METHOD_ALIASES.get(wanted, wanted)
    for method in PaymentMethod:
        if wanted in (method.value, words(method.label)):
            return method
    names = ", ".join(m.value for m in PaymentMethod)
    raise argparse.ArgumentTypeError(f"'{text}' is not a payment method; use one of {names}")


def member_status(text: str) -> MemberStatus:
    from sro_desktop.services.membership_status import MemberStatus

    for status in MemberStatus:
        if status.value.lower() == text.strip().lower():
            return status
    names = ", ".join(s.value.lower() for s in MemberStatus)
    raise argparse.ArgumentTypeError(f"'{text}' is not a status; use one of {names}")


# --- files -------------------------------------------------------------------------------


def output_file(*suffixes: str) -> Callable[[str], Path]:
    """An --out path whose name ends in one of `suffixes`."""

    def check(text: str) -> Path:
        path = Path(text).expanduser()
        if path.suffix.lower() not in suffixes:
            kinds = " or ".join(suffixes)
            raise argparse.ArgumentTypeError(f"'{text}' must be a file name ending in {kinds}")
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"'{text}' is a folder; give a file name")
        if not path.parent.exists():
            raise argparse.ArgumentTypeError(
                f"the folder {path.parent} does not exist; create it or choose another"
            )
        return path

    return check
