"""The fast column readers give exactly what the careful parsers of services.values give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sro_desktop.services.values import (
    ValueProblem,
    clean_text,
    normalize_email,
    normalize_phone,
    phone_digits,
)
from sro_desktop.spreadsheets.cell_readers import (
    read_emails,
    read_phones,
    read_postal_codes,
    read_texts,
)

_EMAILISH = st.one_of(
    st.text(alphabet="abcXYZ019._%+-@ ", max_size=30),
    st.emails(),
    st.builds(
        lambda local, domain, tld: f"{local}@{domain}.{tld}",
        st.text(alphabet="aZ0.-_+", min_size=1, max_size=12),
        st.text(alphabet="aZ0-.", min_size=1, max_size=12),
        st.text(alphabet="az09-", min_size=1, max_size=5),
    ),
)


def _careful_email(value: str) -> tuple[str | None, bool]:
    try:
        return normalize_email(value), False
    except ValueProblem:
        return None, True


@given(_EMAILISH)
def test_emails_read_fast_as_the_careful_parser_reads_them(value: str) -> None:
    results, problems = read_emails([value])

    expected, refused = _careful_email(value)
    assert results == [expected]
    assert bool(problems) == refused


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=False)))
def test_text_reads_fast_as_clean_text(value: str | int | float) -> None:
    results, problems = read_texts([value])

    try:
        expected = clean_text(value)
    except ValueProblem:
        assert problems and results == [None]
        return
    if expected is not None and len(expected) > 200:
        assert problems
        return
    assert results == [expected]


@given(
    st.one_of(
        st.from_regex(r"\(?\d{3}\)? ?[-. ]?\d{3}[-. ]\d{4}", fullmatch=True),
        st.text(alphabet="0123456789()-. +x", max_size=20),
    )
)
def test_phones_read_fast_as_the_careful_parser_reads_them(value: str) -> None:
    results, digits, problems = read_phones([value])

    try:
        expected = normalize_phone(value)
    except ValueProblem:
        assert problems and results == [None]
        return
    assert results == [expected]
    assert digits == [phone_digits(expected) if expected is not None else None]


def test_a_zip_code_typed_as_a_number_gets_its_leading_zero_back() -> None:
    assert read_postal_codes([7001, "07001", 19104, "K1A 0B1"])[0] == [
        "07001",
        "07001",
        "19104",
        "K1A 0B1",
    ]


def test_every_refused_cell_says_where_and_why() -> None:
    results, problems = read_emails(["ok@example.org", "not an email", None])

    assert results == ["ok@example.org", None, None]
    assert problems == [(1, "'not an email' is not an email address: it has a space in it")]
