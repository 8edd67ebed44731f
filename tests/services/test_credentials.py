"""Credentials after a name: the usual spelling, unknown ones kept, who is a physician."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sro_desktop.services.credentials import (
    KNOWN_CREDENTIALS,
    PHYSICIAN_CREDENTIALS,
    canonical_credential,
    is_physician,
    parse_credentials,
    split_credentials,
)
from sro_desktop.services.values import ValueProblem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("MD", "MD"),
        ("md, phd", "MD, PhD"),
        ("M.D./Ph.D.", "MD, PhD"),
        ("MD PhD", "MD, PhD"),
        ("MD-PhD", "MD, PhD"),
        ("M.D., Ph.D.", "MD, PhD"),
        ("m.d. phd", "MD, PhD"),
        ("M. D.", "MD"),
        ("Ph D", "PhD"),
        ("MD; MPH", "MD, MPH"),
        ("MD & MBA", "MD, MBA"),
        ("pharmd", "PharmD"),
        ("M.Ed.", "MEd"),
        ("pa-c", "PA-C"),
        ("PA C", "PA-C"),
        ("OTR/L", "OTR/L"),
        ("fnp-bc", "FNP-BC"),
        ("RN, BSN, CHCP", "RN, BSN, CHCP"),
        ("ms,rn,chcp,facehp", "MS, RN, CHCP, FACEHP"),
        ("MB BS", "MB, BS"),
        ("MB BCh", "MBBCh"),
        ("MD, md, M.D.", "MD"),
        ("MD, CCFP, FRCPC", "MD, CCFP, FRCPC"),
        ("MD Board Certified", "MD, Board Certified"),
        ("Jr., MD", "Jr., MD"),
        ("MLS(ASCP)", "MLS(ASCP)"),
        ("I do not have any", "I do not have any"),
        ("MD, -", "MD"),
    ],
)
def test_parse_credentials(typed: str | None, expected: str | None) -> None:
    assert parse_credentials(typed) == expected


def test_split_credentials_lists_them() -> None:
    assert split_credentials("md phd") == ["MD", "PhD"]
    assert split_credentials(None) == []
    assert split_credentials(float("nan")) == []


@pytest.mark.parametrize("value", [5, 3.5, True, "MD, " * 60])
def test_parse_credentials_refuses_numbers_and_essays(value: object) -> None:
    with pytest.raises(ValueProblem):
        parse_credentials(value)


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ("MD", True),
        ("md, phd", True),
        ("D.O.", True),
        ("MBBS", True),
        ("MBChB", True),
        ("MD-PhD", True),
        ("RN, MSN", False),
        ("PhD", False),
        ("PharmD", False),
        ("PA-C", False),
        ("DNP, APRN", False),
        ("DDS", False),
        ("CHCP, FACEHP", False),
        ("I do not know", False),
        ("", False),
        (None, False),
        (["MD", "PhD"], True),
        (("RN",), False),
        (["m.d."], True),
    ],
)
def test_is_physician(
    credentials: str | list[str] | tuple[str, ...] | None, expected: bool
) -> None:
    assert is_physician(credentials) is expected


def test_every_physician_credential_is_known() -> None:
    assert PHYSICIAN_CREDENTIALS.issubset(KNOWN_CREDENTIALS)
    assert len(set(KNOWN_CREDENTIALS)) == len(KNOWN_CREDENTIALS)


@pytest.mark.parametrize("credential", KNOWN_CREDENTIALS)
def test_every_known_credential_is_read_however_it_is_written(credential: str) -> None:
    letters = [ch for ch in credential if ch.isalnum()]
    assert canonical_credential(credential.lower()) == credential
    assert canonical_credential(".".join(letters) + ".") == credential
    assert parse_credentials(credential.upper()) == credential
    assert parse_credentials(parse_credentials(credential)) == credential


@given(
    st.lists(st.sampled_from(KNOWN_CREDENTIALS), min_size=1, max_size=6),
    st.lists(st.sampled_from([", ", ",", "; ", " ", " / ", "/"]), min_size=6, max_size=6),
    st.booleans(),
)
def test_known_credentials_come_back_in_order_once(
    credentials: list[str], separators: list[str], lower: bool
) -> None:
    typed = credentials[0] + "".join(
        sep + credential for sep, credential in zip(separators, credentials[1:], strict=False)
    )
    expected = ", ".join(dict.fromkeys(credentials))
    assert parse_credentials(typed.lower() if lower else typed) == expected


@given(st.text())
def test_parse_credentials_takes_any_text_and_is_idempotent(text: str) -> None:
    try:
        parsed = parse_credentials(text)
    except ValueProblem:
        return
    assert parse_credentials(parsed) == parsed
    assert isinstance(is_physician(text), bool)


@given(
    st.one_of(
        st.none(), st.text(), st.integers(), st.floats(), st.booleans(), st.dates(), st.binary()
    )
)
def test_parse_credentials_returns_text_or_a_value_problem(value: object) -> None:
    try:
        parsed = parse_credentials(value)
    except ValueProblem as problem:
        message = problem.message
    else:
        assert parsed is None or isinstance(parsed, str)
        return
    assert message
