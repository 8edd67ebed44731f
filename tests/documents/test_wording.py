"""Dates, amounts and the ACCME/AMA statements as printed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sro_desktop.documents import wording


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 4), date(2026, 3, 4), "March 4, 2026"),
        (date(2026, 3, 4), date(2026, 3, 6), "March 4–6, 2026"),
        (date(2026, 2, 27), date(2026, 3, 1), "February 27 – March 1, 2026"),
        (date(2025, 12, 30), date(2026, 1, 2), "December 30, 2025 – January 2, 2026"),
        (date(2026, 3, 6), date(2026, 3, 4), "March 6, 2026"),
    ],
)
def test_date_ranges(start: date, end: date, expected: str) -> None:
    assert wording.format_date_range(start, end) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1", "1.0"),
        ("1.00", "1.0"),
        ("6", "6.0"),
        ("3.5", "3.5"),
        ("3.50", "3.5"),
        ("3.25", "3.25"),
        ("0.75", "0.75"),
        ("3.333", "3.33"),
        ("2.125", "2.13"),
    ],
)
def test_amounts_have_one_or_two_decimals(amount: str, expected: str) -> None:
    assert wording.format_amount(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1", "1.0 AMA PRA Category 1 Credit™"),
        ("1.00", "1.0 AMA PRA Category 1 Credit™"),
        ("0.25", "0.25 AMA PRA Category 1 Credits™"),
        ("1.25", "1.25 AMA PRA Category 1 Credits™"),
        ("12", "12.0 AMA PRA Category 1 Credits™"),
    ],
)
def test_credit_is_singular_only_for_exactly_one(amount: str, expected: str) -> None:
    assert wording.credits_text(Decimal(amount)) == expected


def test_hours() -> None:
    assert wording.hours_text(Decimal("1")) == "1.0 hour"
    assert wording.hours_text(Decimal("6.5")) == "6.5 hours"


def test_designation_statement() -> None:
    assert wording.designation_statement("Acme CME", "live activity", Decimal("6.25")) == (
        "Acme CME designates this live activity for a maximum of 6.25 "
        "AMA PRA Category 1 Credits™. Physicians should claim only the credit commensurate "
        "with the extent of their participation in the activity."
    )


def test_direct_accreditation_statement() -> None:
    assert wording.accreditation_statement("Acme CME") == (
        "Acme CME is accredited by the Accreditation Council for Continuing Medical Education "
        "(ACCME) to provide continuing medical education for physicians."
    )


def test_joint_providership_statement() -> None:
    assert wording.accreditation_statement("Acme CME", joint_with="Ohio SRO") == (
        "This activity has been planned and implemented in accordance with the accreditation "
        "requirements and policies of the Accreditation Council for Continuing Medical "
        "Education (ACCME) through the joint providership of Acme CME and Ohio SRO. "
        "Acme CME is accredited by the ACCME to provide continuing medical education for "
        "physicians."
    )


@pytest.mark.parametrize(("amount", "ok"), [("0.25", True), ("6", True), ("3.33", False)])
def test_quarter_steps(amount: str, ok: bool) -> None:
    assert wording.is_quarter_step(Decimal(amount)) is ok
