"""The words of each kind of certificate, and the rules checked before printing."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest

from sro_desktop.documents.certificates import (
    CertificateKind,
    certificate_text,
    check_certificate,
)
from tests.documents.factories import ORGANIZATION, PROVIDER, make_content

PHYSICIAN = CertificateKind.PHYSICIAN
PARTICIPATION = CertificateKind.PARTICIPATION
ATTENDANCE = CertificateKind.ATTENDANCE


def test_physician_certificate_text() -> None:
    text = certificate_text(make_content(PHYSICIAN))
    assert text["title"] == "Certificate of CME Credit"
    assert text["name"] == "Jane Q. Doe, MD"
    assert text["lead"] == "has participated in the live activity"
    assert text["details"] == "Columbus, Ohio · March 4–6, 2026"
    assert text["award"] == "and is awarded 6.25 AMA PRA Category 1 Credits™."
    assert text["designation"].startswith(
        f"{PROVIDER} designates this live activity for a maximum of 6.25 "
        "AMA PRA Category 1 Credits™."
    )
    assert f"joint providership of {PROVIDER} and {ORGANIZATION}." in text["accreditation"]
    assert text["issued"] == "March 10, 2026"
    assert text["footer"] == "Certificate 2026-0042 · verify code K7P-3QX"


def test_awarded_credits_not_the_maximum() -> None:
    text = certificate_text(make_content(PHYSICIAN, credits=Decimal("4")))
    assert text["award"] == "and is awarded 4.0 AMA PRA Category 1 Credits™."
    assert "maximum of 6.25" in text["designation"]


def test_one_credit_is_singular() -> None:
    text = certificate_text(
        make_content(PHYSICIAN, credits=Decimal("1.00"), max_credits=Decimal("1"))
    )
    assert text["award"] == "and is awarded 1.0 AMA PRA Category 1 Credit™."
    assert "maximum of 1.0 AMA PRA Category 1 Credit™." in text["designation"]


def test_direct_providership() -> None:
    text = certificate_text(make_content(PHYSICIAN, joint_provider=False))
    assert text["accreditation"] == (
        f"{PROVIDER} is accredited by the Accreditation Council for Continuing Medical "
        "Education (ACCME) to provide continuing medical education for physicians."
    )


def test_participation_states_designation_without_awarding() -> None:
    text = certificate_text(make_content(PARTICIPATION, credentials="RN"))
    assert text["title"] == "Certificate of Participation"
    assert text["award"] == "for a total of 6.5 hours."
    assert (
        text["designated"] == "This activity was designated for 6.25 AMA PRA Category 1 Credits™."
    )
    assert "awarded" not in " ".join(text.values())
    assert "designation" not in text
    assert "accreditation" in text


def test_attendance_makes_no_credit_claim() -> None:
    text = certificate_text(make_content(ATTENDANCE))
    assert text["title"] == "Certificate of Attendance"
    assert text["lead"] == "has attended"
    assert text["award"] == "for a total of 6.5 hours."
    everything = " ".join(text.values())
    assert "AMA" not in everything
    assert "ACCME" not in everything


def test_text_is_normalized_to_composed_letters() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị Minh Khai ")
    text = certificate_text(make_content(recipient_name=decomposed, credentials=""))
    assert text["name"] == "Nguyễn Thị Minh Khai"
    assert unicodedata.is_normalized("NFC", text["name"])


def test_valid_certificates_have_no_problems() -> None:
    for kind in CertificateKind:
        assert check_certificate(make_content(kind)) == []


@pytest.mark.parametrize(
    ("kind", "changes", "words"),
    [
        (PHYSICIAN, {"provider": None}, "accredited provider"),
        (PHYSICIAN, {"provider": "  "}, "accredited provider"),
        (PHYSICIAN, {"max_credits": None}, "maximum"),
        (PHYSICIAN, {"credits": Decimal("7")}, "more than the 6.25"),
        (PHYSICIAN, {"credits": Decimal("0")}, "No credits"),
        (PHYSICIAN, {"credits": None}, "No credits"),
        (PHYSICIAN, {"credits": Decimal("3.33")}, "quarter credits"),
        (PARTICIPATION, {"provider": None}, "accredited provider"),
        (PARTICIPATION, {"max_credits": Decimal("0")}, "maximum"),
        (PARTICIPATION, {"hours": Decimal("0")}, "No hours"),
        (ATTENDANCE, {"hours": None}, "No hours"),
        (ATTENDANCE, {"hours": Decimal("0")}, "No hours"),
        (ATTENDANCE, {"recipient_name": " "}, "no recipient name"),
        (ATTENDANCE, {"end_date": date(2026, 3, 1)}, "before it starts"),
        (ATTENDANCE, {"recipient_name": "王小明"}, "cannot print"),
    ],
)
def test_each_broken_rule_is_one_problem(
    kind: CertificateKind, changes: dict[str, object], words: str
) -> None:
    problems = check_certificate(make_content(kind, **changes))
    assert len(problems) == 1, problems
    assert words in problems[0]


def test_physician_certificate_without_provider_and_maximum_has_two_problems() -> None:
    problems = check_certificate(make_content(PHYSICIAN, provider=None, max_credits=None))
    assert len(problems) == 2


def test_unprintable_letters_are_named() -> None:
    (problem,) = check_certificate(make_content(ATTENDANCE, recipient_name="Li 王小明"))
    assert "王, 小, 明" in problem
