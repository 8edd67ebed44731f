"""How dates, hours and credits are written on certificates, and the ACCME/AMA statements.

Kept apart from the drawing code so the register can store exactly the words printed, and
so the accreditation wording (which accredited providers are audited on) lives in one place.
The statements follow the ACCME Accreditation Statement policy and the AMA PRA credit
designation statement; only the bracketed names change.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sro_desktop.services.values import MONTHS

EN_DASH = "\u2013"
TRADEMARK = "\u2122"

#: The AMA requires this phrase in italics, with the trademark sign, wherever credit is named.
AMA_CREDIT = "AMA PRA Category 1 Credit"
AMA_CREDIT_PATTERN = re.compile(r"AMA PRA Category 1 Credits?\u2122")

_HUNDREDTH = Decimal("0.01")
_QUARTER = Decimal("0.25")


def format_date(day: date) -> str:
    """`March 4, 2026` (US style, English month names whatever the machine's locale)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def format_date_range(start: date, end: date) -> str:
    """`March 4, 2026`, `March 4–6, 2026`, `February 27 – March 1, 2026`, or across years
    `December 30, 2025 – January 2, 2026` (en dash, spaced when either side has spaces)."""
    if end <= start:
        return format_date(start)
    if start.year != end.year:
        return f"{format_date(start)} {EN_DASH} {format_date(end)}"
    if start.month != end.month:
        return (
            f"{MONTHS[start.month - 1]} {start.day} {EN_DASH} "
            f"{MONTHS[end.month - 1]} {end.day}, {end.year}"
        )
    return f"{MONTHS[start.month - 1]} {start.day}{EN_DASH}{end.day}, {end.year}"


def format_amount(amount: Decimal) -> str:
    """Hours or credits with one or two decimals, as CME certificates usually show them.

    `1` -> `1.0`, `3.5` -> `3.5`, `3.25` -> `3.25`: at least one decimal so a whole number
    still reads as a credit amount ("1.0 AMA PRA Category 1 Credit"), never more than the
    two that quarter-hour credit needs (more precise values are rounded half up).
    """
    text = f"{amount.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP):.2f}"
    return text[:-1] if text.endswith("0") else text


def credit_phrase(amount: Decimal) -> str:
    """`AMA PRA Category 1 Credit™` for exactly one credit, else `... Credits™`."""
    plural = "" if amount == 1 else "s"
    return f"{AMA_CREDIT}{plural}{TRADEMARK}"


def credits_text(amount: Decimal) -> str:
    """`6.25 AMA PRA Category 1 Credits™`."""
    return f"{format_amount(amount)} {credit_phrase(amount)}"


def hours_text(amount: Decimal) -> str:
    """`6.5 hours`, `1.0 hour`."""
    return f"{format_amount(amount)} {'hour' if amount == 1 else 'hours'}"


def is_quarter_step(amount: Decimal) -> bool:
    """AMA credit is awarded in quarter-credit (15-minute) steps: 0.25, 0.5, 0.75..."""
    return amount % _QUARTER == 0


def designation_statement(provider: str, learning_format: str, max_credits: Decimal) -> str:
    """The AMA credit designation statement, e.g. for a "live activity"."""
    return (
        f"{provider} designates this {learning_format} for a maximum of "
        f"{credits_text(max_credits)}. Physicians should claim only the credit "
        "commensurate with the extent of their participation in the activity."
    )


def participation_statement(max_credits: Decimal) -> str:
    """What a non-physician's certificate says about credit: designated, not awarded."""
    return f"This activity was designated for {credits_text(max_credits)}."


def accreditation_statement(provider: str, *, joint_with: str | None = None) -> str:
    """The ACCME accreditation statement: direct, or joint providership with `joint_with`."""
    if joint_with is None:
        return (
            f"{provider} is accredited by the Accreditation Council for Continuing Medical "
            "Education (ACCME) to provide continuing medical education for physicians."
        )
    return (
        "This activity has been planned and implemented in accordance with the accreditation "
        "requirements and policies of the Accreditation Council for Continuing Medical "
        f"Education (ACCME) through the joint providership of {provider} and {joint_with}. "
        f"{provider} is accredited by the ACCME to provide continuing medical education "
        "for physicians."
    )
