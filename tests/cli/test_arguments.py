"""The argument types every command shares read the same text the same way, and refuse
with one sentence saying what to type."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sro_desktop.commands import arguments
from sro_desktop.commands.meetings import category_argument, format_argument
from sro_desktop.db.models import (
    EmployerType,
    MeetingFormat,
    PaymentMethod,
    PaymentPurpose,
    RegistrationCategory,
)
from sro_desktop.services.membership_status import MemberStatus


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (arguments.iso_date, " 2026-03-14 ", date(2026, 3, 14)),
        (arguments.any_date, "3/14/2026", date(2026, 3, 14)),
        (arguments.time_of_day, "13:30", time(13, 30)),
        (arguments.year, "2026", 2026),
        (arguments.amount, "$1,250.5", Decimal("1250.50")),
        (arguments.decimal_number, "6.25", Decimal("6.25")),
        (arguments.positive_int, "3", 3),
        (arguments.member_id, "#12", 12),
        (arguments.payment_method, "Bank transfer", PaymentMethod.TRANSFER),
        (arguments.payment_method, "cheque", PaymentMethod.CHECK),
        (arguments.payment_method, "credit-card", PaymentMethod.CARD),
        (arguments.choice(EmployerType), "medical school", EmployerType.MEDICAL_SCHOOL),
        (arguments.choice([PaymentPurpose.DONATION]), "Donation", PaymentPurpose.DONATION),
        (arguments.member_status, "non-member", MemberStatus.NON_MEMBER),
        (category_argument, "Non-member", RegistrationCategory.NON_MEMBER),
        (format_argument, "in person", MeetingFormat.IN_PERSON),
    ],
)
def test_reads(parse: Callable[[str], Any], text: str, expected: object) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (arguments.iso_date, "3/14/2026", "'3/14/2026' is not a date; write it as YYYY-MM-DD"),
        (arguments.any_date, "", "the date is empty"),
        (arguments.time_of_day, "1pm", "'1pm' is not a time of day"),
        (arguments.year, "twenty", "'twenty' is not a year; write it like 2026"),
        (arguments.amount, "", "the amount is empty; write it like 125.50"),
        (arguments.amount, "12.345", "12.345"),
        (arguments.decimal_number, "lots", "'lots' is not an amount; write it as 295.00"),
        (arguments.positive_int, "0", "'0' must be 1 or more"),
        (arguments.member_id, "x", "'x' is not a member number"),
        (arguments.payment_method, "bitcoin", "'bitcoin' is not a payment method; use one of"),
        (arguments.choice([PaymentPurpose.DUES]), "refund", "'refund' is not one of dues"),
        (arguments.member_status, "gold", "'gold' is not a status; use one of"),
        (category_argument, "vip", "'vip' is not a category; use member, non-member, student"),
        (format_argument, "radio", "'radio' is not a format; use in-person, webinar or hybrid"),
    ],
)
def test_refuses_with_one_sentence(parse: Callable[[str], Any], text: str, message: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        parse(text)
    assert message in str(refused.value)


def test_output_file(tmp_path: Path) -> None:
    pdf = arguments.output_file(".pdf")
    assert pdf(str(tmp_path / "out.PDF")) == tmp_path / "out.PDF"
    for text, message in [
        (str(tmp_path / "out.txt"), "must be a file name ending in .pdf"),
        (str(tmp_path / "missing" / "out.pdf"), "does not exist"),
    ]:
        with pytest.raises(argparse.ArgumentTypeError, match=message):
            pdf(text)
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(argparse.ArgumentTypeError, match="is a folder"):
        pdf(str(tmp_path / "folder.pdf"))
