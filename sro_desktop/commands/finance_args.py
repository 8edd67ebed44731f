"""Argument types shared by the finance commands: dates, amounts, payment methods, years.

No `register` here: this module adds no command of its own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from sro_desktop.db.models import PaymentMethod
from sro_desktop.services.values import ValueProblem, parse_money


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def amount(text: str) -> Decimal:
    try:
        value = parse_money(text)
    except ValueProblem as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None
    if value is None:
        raise argparse.ArgumentTypeError("the amount is empty; write it like 125.50")
    return value


def method(text: str) -> PaymentMethod:
    wanted = text.strip().lower().replace(" ", "_")
    aliases = {"bank_transfer": "transfer", "cheque": "check", "credit_card": "card"}
    wanted = aliases.get(wanted, wanted)
    for choice in PaymentMethod:
        if choice.value == wanted:
            return choice
    names = ", ".join(m.value for m in PaymentMethod)
    raise argparse.ArgumentTypeError(f"'{text}' is not a payment method; use one of {names}")


def year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1901 <= value <= 9998:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year; write it like 2026")
    return value


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
