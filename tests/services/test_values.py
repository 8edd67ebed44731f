"""The value parsers: every form a person writes, its edges, and anything at all."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

from sro_desktop.services.regions import REGIONS
from sro_desktop.services.values import (
    EARLIEST_DATE,
    LATEST_DATE,
    MONEY_LIMIT,
    ValueProblem,
    clean_text,
    normalize_email,
    normalize_phone,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_int,
    parse_money,
    parse_state,
    phone_digits,
    show_value,
)

# --- anything at all --------------------------------------------------------------------

fixed_zones = st.builds(
    timezone,
    st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23)),
)
date_like_text = st.one_of(
    st.from_regex(r"\A\d{1,2}[/-]\d{1,2}[/-]\d{2,4}( \d{1,2}:\d{2}(:\d{2})? ?([AaPp][Mm])?)?\Z"),
    st.from_regex(
        r"\A\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)?)?\Z"
    ),
    st.from_regex(
        r"\A(Mon|Thu|Sat)?,? ?[A-Za-z]{3,9}\.? \d{1,2}(st|th)?,? \d{2,4}( at \d{1,2} ?pm)?\Z"
    ),
    st.from_regex(r"\A\d{1,2}[- ][A-Za-z]{3,9}[- ]\d{2,4}\Z"),
    st.from_regex(r"\A\d{4,8}(\.\d{1,12})?\Z"),
)
money_like_text = st.from_regex(
    r"\A\(?[-+−]?(US|C)?\$? ?[-+]?[\d, ]{0,15}(\.\d{0,4})? ?(USD|CAD|\$)?-?\)?\Z"
)
anything = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet=st.characters(codec="ascii")),
    date_like_text,
    money_like_text,
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=fixed_zones),
    st.times(),
    st.timedeltas(),
    st.binary(max_size=8),
    st.sampled_from([10**5000, -(10**5000), Decimal("1e999999"), Decimal("-1e-999999")]),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), float("nan")]),
)


def _printable(message: str) -> bool:
    """Printable, allowing the joiners that hold emoji and some scripts together."""
    return message.replace("\u200d", "").replace("\u200c", "").isprintable()


def _outcome(parser: Callable[[object], object], value: object) -> object:
    try:
        return parser(value)
    except ValueProblem as problem:
        return problem


PARSERS = [
    pytest.param(parse_date, date, id="parse_date"),
    pytest.param(lambda value: parse_date(value, date_system=1904), date, id="parse_date-1904"),
    pytest.param(parse_datetime, datetime, id="parse_datetime"),
    pytest.param(
        lambda value: parse_datetime(value, date_system=1904), datetime, id="parse_datetime-1904"
    ),
    pytest.param(parse_money, Decimal, id="parse_money"),
    pytest.param(normalize_email, str, id="normalize_email"),
    pytest.param(normalize_phone, str, id="normalize_phone"),
    pytest.param(phone_digits, str, id="phone_digits"),
    pytest.param(parse_state, str, id="parse_state"),
    pytest.param(parse_int, int, id="parse_int"),
    pytest.param(parse_bool, bool, id="parse_bool"),
    pytest.param(clean_text, str, id="clean_text"),
]


@pytest.mark.parametrize(("parser", "kind"), PARSERS)
@settings(deadline=None)
@given(value=anything)
def test_a_parser_returns_its_kind_or_a_value_problem(
    parser: Callable[[object], object], kind: type, value: object
) -> None:
    result = _outcome(parser, value)
    if isinstance(result, ValueProblem):
        assert result.message == str(result)
        assert 0 < len(result.message) < 400
        assert _printable(result.message)
        return
    assert result is None or isinstance(result, kind)
    if kind is date:
        assert result is None or type(result) is date
    if isinstance(result, date):
        day = result.date() if isinstance(result, datetime) else result
        assert day >= EARLIEST_DATE
        assert day <= LATEST_DATE


@settings(deadline=None)
@given(value=anything)
def test_show_value_never_fails_and_is_short(value: object) -> None:
    shown = show_value(value)
    assert len(shown) <= 40
    assert _printable(shown)


def test_value_problem_is_a_value_error_carrying_its_sentence() -> None:
    problem = ValueProblem("'x' is not a date")
    assert isinstance(problem, ValueError)
    assert problem.message == str(problem) == "'x' is not a date"


# --- clean_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   \t\n ", None),
        ("\x00\x07\ufeff", None),
        ("  Jane   Doe ", "Jane Doe"),
        ("Jane\tDoe\r\n", "Jane Doe"),
        ("Jane\x00 Doe\x1b", "Jane Doe"),
        ("Jo\u00adhn\u200b", "John"),
        ("Jane\u00a0Doe", "Jane Doe"),
        ("Que\u0301bec", "Québec"),  # decomposed, as a Mac may type it
        (19104.0, "19104"),
        (19104, "19104"),
        (-0.0, "0"),
        (2.5, "2.5"),
        (1e20, "1e+20"),
        (Decimal("1.50"), "1.50"),
        (True, "TRUE"),
        (date(2021, 3, 4), "2021-03-04"),
        (datetime(2021, 3, 4, 9, 5), "2021-03-04 09:05:00"),
        (float("nan"), None),
    ],
)
def test_clean_text(value: object, expected: str | None) -> None:
    assert clean_text(value) == expected


def test_clean_text_refuses_infinity_and_endless_numbers() -> None:
    with pytest.raises(ValueProblem):
        clean_text(float("inf"))
    with pytest.raises(ValueProblem):
        clean_text(10**5000)


@given(st.text())
def test_clean_text_is_idempotent_and_tidy(text: str) -> None:
    cleaned = clean_text(text)
    if cleaned is None:
        return
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert all(unicodedata.category(ch) not in ("Cc", "Cs") for ch in cleaned)
    assert unicodedata.is_normalized("NFC", cleaned)


# --- parse_int and parse_bool -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (12, 12),
        (12.0, 12),
        (Decimal("12.00"), 12),
        ("12", 12),
        (" 12 ", 12),
        ("12.0", 12),
        ("1,200", 1200),
        ("-3", -3),
        ("+3", 3),
        ("−3", -3),
        ("0", 0),
        (float("nan"), None),
    ],
)
def test_parse_int(value: object, expected: int | None) -> None:
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    "value",
    [True, False, 12.5, "12.5", "1,20", "twelve", "1e3", "٣", float("inf"), 2**63, "9" * 30],
)
def test_parse_int_refuses(value: object) -> None:
    with pytest.raises(ValueProblem):
        parse_int(value)


@given(st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1))
def test_parse_int_reads_what_it_writes(number: int) -> None:
    assert parse_int(str(number)) == number
    assert parse_int(f"{number:,}") == number
    assert parse_int(number) == number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        ("x", True),
        ("X", True),
        ("✓", True),
        ("paid", True),
        ("No", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("unpaid", False),
        ("No.", False),
    ],
)
def test_parse_bool(value: object, expected: bool | None) -> None:
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", 2, 0.5, "yes please", date(2021, 1, 1)])
def test_parse_bool_refuses(value: object) -> None:
    with pytest.raises(ValueProblem, match="not yes or no"):
        parse_bool(value)


# --- parse_money ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        (150, "150.00"),
        (150.0, "150.00"),
        ("150", "150.00"),
        ("150.00", "150.00"),
        ("150.5", "150.50"),
        ("150.000", "150.00"),
        (".5", "0.50"),
        ("5.", "5.00"),
        ("$150", "150.00"),
        ("$ 150", "150.00"),
        ("$1,234.50", "1234.50"),
        ("1,234,567.89", "1234567.89"),
        ("1 234.50", "1234.50"),
        ("1\u202f234.50", "1234.50"),
        ("USD 150", "150.00"),
        ("150 USD", "150.00"),
        ("usd150", "150.00"),
        ("CAD 150", "150.00"),
        ("C$150", "150.00"),
        ("US$150", "150.00"),
        ("150 $", "150.00"),
        ("(25.00)", "-25.00"),
        ("($25.00)", "-25.00"),
        ("-$25", "-25.00"),
        ("$-25", "-25.00"),
        ("−25", "-25.00"),
        ("25.00-", "-25.00"),
        ("+25", "25.00"),
        ("-0", "0.00"),
        ("0", "0.00"),
        (0.1 + 0.2, "0.30"),
        (19.99, "19.99"),
        (1e9, "1000000000.00"),
        (Decimal("150.5"), "150.50"),
        (Decimal("-0"), "0.00"),
        (float("nan"), None),
    ],
)
def test_parse_money(value: object, expected: str | None) -> None:
    result = parse_money(value)
    if expected is None:
        assert result is None
    else:
        assert result == Decimal(expected)
        assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("$", "has no amount"),
        ("-", "has no amount"),
        ("()", "has no amount"),
        ("150.005", "fraction of a cent"),
        (150.005, "fraction of a cent"),
        (100 / 3, "fraction of a cent"),
        (Decimal("1.001"), "fraction of a cent"),
        ("12,50", "comma separates thousands"),
        ("1 234,50", "comma separates thousands"),
        ("1.234,50", "comma separates thousands"),
        ("1,23.50", "not an amount"),
        ("1,2345", "not an amount"),
        ("1e3", "not an amount"),
        ("abc", "not an amount"),
        ("١٥٠", "not an amount"),
        ("€150", "another currency"),
        ("150 EUR", "another currency"),
        ("£5", "another currency"),
        ("(-25)", "more than one minus"),
        ("--25", "more than one minus"),
        ("1,000,000,001", "more than a billion"),
        ("99999999999999999999", "more than a billion"),
        (1e10, "more than a billion"),
        (10**30, "more than a billion"),
        (float("inf"), "more than a billion"),
        (Decimal("-Infinity"), "more than a billion"),
        (True, "yes/no"),
    ],
)
def test_parse_money_refuses(value: object, says: str) -> None:
    with pytest.raises(ValueProblem, match=says):
        parse_money(value)


cents = st.integers(min_value=-100 * int(MONEY_LIMIT), max_value=100 * int(MONEY_LIMIT))


@given(cents)
def test_parse_money_reads_the_ways_dollars_are_written(amount_in_cents: int) -> None:
    amount = Decimal(amount_in_cents).scaleb(-2)
    magnitude = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    assert parse_money(f"{sign}${magnitude}") == amount
    assert parse_money(str(amount)) == amount
    assert parse_money(amount) == amount
    assert parse_money(amount_in_cents / 100) == amount
    if amount < 0:
        assert parse_money(f"(${magnitude})") == amount
    result = parse_money(f"{sign}{magnitude} USD")
    assert result == amount
    assert result is not None
    assert result.as_tuple().exponent == -2


@given(st.one_of(money_like_text, st.text(), st.floats(), st.integers()))
def test_parse_money_is_idempotent(value: object) -> None:
    try:
        amount = parse_money(value)
    except ValueProblem:
        return
    if amount is not None:
        assert parse_money(str(amount)) == amount
        assert amount.as_tuple().exponent == -2
        assert abs(amount) <= MONEY_LIMIT


# --- dates ------------------------------------------------------------------------------

MARCH_4 = date(2021, 3, 4)


@pytest.mark.parametrize(
    "text",
    [
        "3/4/2021",
        "03/04/2021",
        "3/4/21",
        "  3/4/2021  ",
        "3-4-2021",
        "2021-03-04",
        "2021-3-4",
        "2021/03/04",
        "20210304",
        "2021-03-04T10:00:00",
        "2021-03-04 10:00",
        "3/4/2021 9:05 AM",
        "March 4, 2021",
        "march 4 2021",
        "Mar 4 2021",
        "Mar. 4, 2021",
        "MAR 4, 2021",
        "March 4th, 2021",
        "4 March 2021",
        "4th of March 2021",
        "4-Mar-2021",
        "04-MAR-21",
        "2021-Mar-04",
        "Thursday, March 4, 2021",
        "Thu, Mar 4, 2021",
        "Thu 3/4/2021",
        "March 4, 2021 at 9:05 AM",
    ],
)
def test_parse_date_reads(text: str) -> None:
    assert parse_date(text) == MARCH_4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/31/99", date(1999, 12, 31)),
        ("1/1/00", date(2000, 1, 1)),
        ("1/1/69", date(2069, 1, 1)),
        ("12/31/70", date(1970, 12, 31)),
        ("2/29/2020", date(2020, 2, 29)),
        ("2/29/2000", date(2000, 2, 29)),
        ("2/28/1900", date(1900, 2, 28)),
        ("1/1/1900", EARLIEST_DATE),
        ("12/31/2200", LATEST_DATE),
        ("Sept 9, 2021", date(2021, 9, 9)),
        ("May 1 2021", date(2021, 5, 1)),
    ],
)
def test_parse_date_edges(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("13/45/2021", "'13/45/2021' is not a date; write it as 3/14/2021 or 2021-03-14"),
        ("14/3/2021", "has no month 14; dates are read month first, so write 3/14/2021"),
        ("2/29/2021", "February 2021 has 28 days"),
        ("2/29/1900", "February 1900 has 28 days"),
        ("2/30/2020", "February 2020 has 29 days"),
        ("4/31/2021", "April 2021 has 30 days"),
        ("3/0/2021", "March 2021 has 31 days"),
        ("2021-13-01", "is not a date"),
        ("March 2021", "has no day"),
        ("3/2021", "has no day"),
        ("2021", "is only a year"),
        ("Smarch 4, 2021", "is not a date"),
        ("Friday, March 4, 2021", "March 4, 2021 is a Thursday"),
        ("12/31/1899", "not between 1900 and 2200"),
        ("1/1/2201", "not between 1900 and 2200"),
        ("3/4/2021 13:00 PM", "no hour 13 PM"),
        ("3/4/2021 0:30 AM", "no hour 0 AM"),
        ("3/4/2021 24:00", "impossible time of day"),
        ("3/4/2021 9:60", "impossible time of day"),
        ("3/4/2021 10:00+25:00", "impossible time zone"),
        ("9:05 AM", "time of day without a date"),
        ("3.4.2021", "is not a date"),
        ("yesterday", "is not a date"),
        ("150", "is not a date"),
    ],
)
def test_parse_date_refuses_with_a_helpful_sentence(text: str, says: str) -> None:
    with pytest.raises(ValueProblem, match=re.escape(says)):
        parse_date(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (float("nan"), None),
        (MARCH_4, MARCH_4),
        (datetime(2021, 3, 4, 23, 59), MARCH_4),
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (44259, MARCH_4),
        (44259.0, MARCH_4),
        (44259.75, MARCH_4),
        (44259.9999999999, date(2021, 3, 5)),  # binary noise for midnight
        (Decimal("44259"), MARCH_4),
        ("44259", MARCH_4),
        ("44259.5", MARCH_4),
        (20210304, MARCH_4),
    ],
)
def test_parse_date_from_cells_and_serials(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (60, "29 February 1900, a day that did not exist"),
        (60.5, "29 February 1900"),
        (0, "out of range"),
        (-1, "out of range"),
        (0.5, "out of range"),
        (10**9, "out of range"),
        (1e308, "out of range"),
        pytest.param(10**5000, "out of range", id="10**5000"),
        (2021, "is only a year"),
        (2021.0, "is only a year"),
        (float("inf"), "is not a date"),
        (True, "yes/no"),
        (time(9, 5), "time of day without a date"),
        (timedelta(days=1), "length of time"),
        (date(1850, 1, 1), "not between 1900 and 2200"),
        (b"3/4/2021", "is not a date"),
    ],
)
def test_parse_date_refuses_cells(value: object, says: str) -> None:
    with pytest.raises(ValueProblem, match=says):
        parse_date(value)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(0, date(1904, 1, 1)), (1, date(1904, 1, 2)), (42797, MARCH_4), ("42797", MARCH_4)],
)
def test_parse_date_in_the_1904_system(serial: object, expected: date) -> None:
    assert parse_date(serial, date_system=1904) == expected


def test_parse_date_1904_has_no_phantom_leap_day_or_negative_days() -> None:
    assert parse_date(60, date_system=1904) == date(1904, 3, 1)
    with pytest.raises(ValueProblem):
        parse_date(-1, date_system=1904)


def test_parse_date_knows_only_two_date_systems() -> None:
    with pytest.raises(ValueError, match="1900 or 1904"):
        parse_date(1, date_system=2000)


dates_in_range = st.dates(min_value=EARLIEST_DATE, max_value=LATEST_DATE)


@given(dates_in_range)
def test_parse_date_reads_what_it_writes(day: date) -> None:
    assert parse_date(f"{day.month}/{day.day}/{day.year}") == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day:%B} {day.day}, {day.year}") == day
    assert parse_date(f"{day:%a}, {day:%b} {day.day}, {day.year}") == day
    assert parse_date(f"{day.day}-{day:%b}-{day.year}") == day
    assert parse_date(day) == day


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))
def test_parse_date_two_digit_years_cover_1970_to_2069(day: date) -> None:
    assert parse_date(f"{day.month}/{day.day}/{day:%y}") == day


@given(
    # Day 60 is Lotus' phantom leap day; whole numbers 1900-2200 are read as bare years.
    days=st.integers(min_value=1, max_value=110_000).filter(
        lambda day: day != 60 and not 1900 <= day <= 2200
    ),
    milliseconds=st.integers(min_value=0, max_value=86_399_000),
    system=st.sampled_from([1900, 1904]),
)
def test_excel_serials_agree_with_openpyxl(days: int, milliseconds: int, system: int) -> None:
    serial = days + milliseconds / 86_400_000
    epoch = WINDOWS_EPOCH if system == 1900 else MAC_EPOCH
    expected = from_excel(serial, epoch=epoch)
    if expected.date() > LATEST_DATE:
        with pytest.raises(ValueProblem):
            parse_datetime(serial, date_system=system)
        return
    assert parse_datetime(serial, date_system=system) == expected
    assert parse_date(days, date_system=system) == expected.date()


@settings(deadline=None)
@given(anything)
def test_parse_date_is_the_date_of_parse_datetime(value: object) -> None:
    try:
        moment = parse_datetime(value)
    except ValueProblem:
        with pytest.raises(ValueProblem):
            parse_date(value)
        return
    assert parse_date(value) == (moment.date() if moment else None)


# --- date and time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/4/2021 9:05 AM", datetime(2021, 3, 4, 9, 5)),
        ("3/4/2021 9:05 PM", datetime(2021, 3, 4, 21, 5)),
        ("3/4/2021 9:05 p.m.", datetime(2021, 3, 4, 21, 5)),
        ("3/4/2021 9pm", datetime(2021, 3, 4, 21, 0)),
        ("3/4/2021 12:00 AM", datetime(2021, 3, 4, 0, 0)),
        ("3/4/2021 12:30 PM", datetime(2021, 3, 4, 12, 30)),
        ("03/04/2021 09:05:33 AM", datetime(2021, 3, 4, 9, 5, 33)),  # Zoom
        ("2021-03-04 14:30:00", datetime(2021, 3, 4, 14, 30)),
        ("2021-03-04T14:30:00.250", datetime(2021, 3, 4, 14, 30, 0, 250_000)),
        ("2021-03-04T14:30:00.123456789", datetime(2021, 3, 4, 14, 30, 0, 123_456)),
        ("2021-03-04 0:05", datetime(2021, 3, 4, 0, 5)),
        ("March 4, 2021, 2:30 PM", datetime(2021, 3, 4, 14, 30)),
        ("3/4/2021", datetime(2021, 3, 4)),
        (44259.378854166666, datetime(2021, 3, 4, 9, 5, 33)),
        (44259.5, datetime(2021, 3, 4, 12)),
        (MARCH_4, datetime(2021, 3, 4)),
        (datetime(2021, 3, 4, 9, 5), datetime(2021, 3, 4, 9, 5)),
    ],
)
def test_parse_datetime(text: object, expected: datetime) -> None:
    result = parse_datetime(text)
    assert result == expected
    assert type(result) is datetime


def test_parse_datetime_turns_zones_into_local_time() -> None:
    utc = datetime(2021, 3, 4, 15, 0, tzinfo=UTC)
    local = utc.astimezone().replace(tzinfo=None)
    assert parse_datetime("2021-03-04T15:00:00Z") == local
    assert parse_datetime("2021-03-04 10:00:00-05:00") == local
    assert parse_datetime("2021-03-04 20:30+0530") == local
    assert parse_datetime(utc) == local
    assert parse_date("2021-03-04T15:00:00Z") == local.date()


@settings(deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31, 23, 59)))
def test_parse_datetime_reads_what_it_writes(moment: datetime) -> None:
    assert parse_datetime(moment.isoformat()) == moment
    assert parse_datetime(moment.isoformat(sep=" ")) == moment
    to_the_second = moment.replace(microsecond=0)
    assert parse_datetime(f"{moment:%m/%d/%Y %I:%M:%S %p}") == to_the_second
    assert parse_datetime(moment) == moment


# --- email ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("jane@example.org", "jane@example.org"),
        ("  Jane.Doe@Example.ORG ", "jane.doe@example.org"),
        ("mailto:jane@example.org", "jane@example.org"),
        ("MAILTO:jane@example.org?subject=Hi", "jane@example.org"),
        ("<jane@example.org>", "jane@example.org"),
        ("Jane Doe <Jane@Example.org>", "jane@example.org"),
        ('"Doe, Jane" <jane@example.org>', "jane@example.org"),
        ("Jane Doe <mailto:jane@example.org>", "jane@example.org"),
        ("jane@example.org;", "jane@example.org"),
        ("jane@example.org.", "jane@example.org"),
        ("jane+cme@mail.example.co.uk", "jane+cme@mail.example.co.uk"),
        ("o'brien@example.org", "o'brien@example.org"),
        ("jane@xn--bcher-kva.de", "jane@xn--bcher-kva.de"),
        ("jane@Bücher.de", "jane@bücher.de"),
        ("jane\u200b@example.org", "jane@example.org"),
    ],
)
def test_normalize_email(value: object, expected: str | None) -> None:
    assert normalize_email(value) == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("jane.example.org", "it has no @"),
        ("jane@@example.org", "more than one @"),
        ("jane@doe@example.org", "more than one @"),
        ("@example.org", "nothing comes before the @"),
        ("jane@", "nothing comes after the @"),
        ("jane doe@example.org", "a space"),
        ("jane@example", "no ending such as .org"),
        ("jane@127.0.0.1", "no ending such as .org"),
        ("jane@example..org", "misplaced period"),
        ("jane@.example.org", "misplaced period"),
        (".jane@example.org", "misplaced period"),
        ("jane..doe@example.org", "misplaced period"),
        ("jane@-example.org", "starts or ends with '-'"),
        ("jane@example-.org", "starts or ends with '-'"),
        ("jane@exa_mple.org", "a character a domain cannot have"),
        ("ja(ne@example.org", "a character an address cannot have"),
        ("jane@example.org; john@example.org", "more than one email address"),
        ("jane@example.org, john@example.org", "more than one email address"),
        ("x" * 65 + "@example.org", "too long"),
        (12, "is not an email address"),
    ],
)
def test_normalize_email_refuses(value: object, says: str) -> None:
    with pytest.raises(ValueProblem, match=says):
        normalize_email(value)


safe_local = st.from_regex(r"\A[A-Za-z0-9](?:[A-Za-z0-9_+-]|\.(?!\.)){0,20}[A-Za-z0-9]\Z")
safe_label = st.from_regex(r"\A[A-Za-z0-9](?:[A-Za-z0-9-]{0,10}[A-Za-z0-9])?\Z")


@given(safe_local, st.lists(safe_label, min_size=1, max_size=3), st.from_regex(r"\A[a-z]{2,6}\Z"))
def test_normalize_email_keeps_safe_addresses(local: str, labels: list[str], tld: str) -> None:
    address = f"{local}@{'.'.join(labels)}.{tld}"
    normalized = normalize_email(f"  Someone <{address}> ")
    assert normalized == address.lower()
    assert normalize_email(normalized) == normalized


@given(st.one_of(st.text(), st.from_regex(r"\A[^@]{0,10}@[^@]{0,10}\Z")))
def test_normalize_email_is_idempotent(text: str) -> None:
    try:
        address = normalize_email(text)
    except ValueProblem:
        return
    if address is not None:
        assert normalize_email(address) == address


# --- phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("215-555-1234", "215-555-1234"),
        ("  (215)  555-1234 ", "(215) 555-1234"),
        ("+1 215 555 1234", "+1 215 555 1234"),
        ("215.555.1234 x123", "215.555.1234 x123"),
        ("215-555-1234 ext. 12", "215-555-1234 ext. 12"),
        ("215-555-1234 (cell)", "215-555-1234 (cell)"),
        ("555-1234", "555-1234"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        (2155551234, "2155551234"),
        (2155551234.0, "2155551234"),
        (Decimal("2155551234"), "2155551234"),
    ],
)
def test_normalize_phone(value: object, expected: str | None) -> None:
    assert normalize_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("none", "has no digits"),
        ("n/a", "has no digits"),
        ("555-123", "too short"),
        ("x123", "has no digits"),
        ("215-555-1234 / 610-555-9876", "too many digits"),
        (2155551234.5, "not a phone number"),
        (-2155551234, "not a phone number"),
        (float("inf"), "not a phone number"),
        (True, "yes/no"),
    ],
)
def test_normalize_phone_refuses(value: object, says: str) -> None:
    with pytest.raises(ValueProblem, match=says):
        normalize_phone(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("215-555-1234", "2155551234"),
        ("+1 (215) 555-1234", "2155551234"),
        ("1-215-555-1234", "2155551234"),
        ("215-555-1234 x123", "2155551234"),
        ("215-555-1234x123", "2155551234"),
        ("215-555-1234 ext. 123", "2155551234"),
        (2155551234.0, "2155551234"),
        (12155551234, "2155551234"),
        ("+44 20 7946 0958", "442079460958"),
        ("２１５-５５５-１２３４", "2155551234"),
    ],
)
def test_phone_digits(value: object, expected: str) -> None:
    assert phone_digits(value) == expected


@given(
    st.from_regex(r"\A[2-9][0-9]{2}[2-9][0-9]{6}\Z"),
    st.sampled_from(
        ["{a}-{b}-{c}", "({a}) {b}-{c}", "+1 {a} {b} {c}", "{a}.{b}.{c} x12", "1{a}{b}{c}"]
    ),
)
def test_phone_digits_agree_across_ways_of_writing(number: str, pattern: str) -> None:
    written = pattern.format(a=number[:3], b=number[3:6], c=number[6:])
    assert phone_digits(written) == number
    assert phone_digits(normalize_phone(written)) == number


@given(st.one_of(st.text(), st.from_regex(r"\A[\d ()+.x-]{0,25}\Z")))
def test_normalize_phone_is_idempotent(text: str) -> None:
    try:
        phone = normalize_phone(text)
    except ValueProblem:
        return
    if phone is not None:
        assert normalize_phone(phone) == phone
        assert phone_digits(phone) == phone_digits(text)


# --- states and provinces ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("pa", "PA"),
        ("PA", "PA"),
        ("Pennsylvania", "PA"),
        ("PENNSYLVANIA ", "PA"),
        ("Penn.", "PA"),
        ("Pa.", "PA"),
        ("N.J.", "NJ"),
        ("n. j.", "NJ"),
        ("New  Jersey", "NJ"),
        ("Mass.", "MA"),
        ("Calif.", "CA"),
        ("Washington", "WA"),
        ("Washington, D.C.", "DC"),
        ("District of Columbia", "DC"),
        ("Puerto Rico", "PR"),
        ("Ontario", "ON"),
        ("QC", "QC"),
        ("Québec", "QC"),
        ("Quebec", "QC"),
        ("QUÉBEC", "QC"),
        ("PQ", "QC"),
        ("Nouvelle-Écosse", "NS"),
        ("Newfoundland", "NL"),
        ("Ontario, Canada", "ON"),
        ("PA - Pennsylvania", "PA"),
        ("Pennsylvania (PA)", "PA"),
        ("State of New York", "NY"),
    ],
)
def test_parse_state(value: object, expected: str | None) -> None:
    assert parse_state(value) == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("Pensylvania", "did you mean Pennsylvania (PA)?"),
        ("Massachusets", "did you mean Massachusetts (MA)?"),
        ("Ontaria", "did you mean Ontario (ON)?"),
        ("XX", "use its two-letter code, such as PA or ON"),
        ("Bavaria", "is not a US state or Canadian province"),
        ("Canada", "is a country"),
        ("USA", "is a country"),
        ("PA, NJ", "is not"),
        (19104, "is not a state or province"),
    ],
)
def test_parse_state_refuses(value: object, says: str) -> None:
    with pytest.raises(ValueProblem, match=re.escape(says)):
        parse_state(value)


def _jumbled(text: str, draw_case: list[bool]) -> str:
    return (
        "".join(
            ch.upper() if upper else ch.lower() for ch, upper in zip(text, draw_case, strict=False)
        )
        + text[len(draw_case) :]
    )


@given(
    st.sampled_from(REGIONS),
    st.lists(st.booleans(), max_size=40),
    st.sampled_from(["{}", " {} ", "{}.", "  {}\t"]),
    st.booleans(),
)
def test_parse_state_reads_every_code_and_name(
    region: object, case: list[bool], frame: str, by_name: bool
) -> None:
    from sro_desktop.services.regions import Region

    assert isinstance(region, Region)
    written = _jumbled(region.name if by_name else region.code, case)
    assert parse_state(frame.format(written)) == region.code
