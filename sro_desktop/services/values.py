"""How a person reads a value typed in a form or found in a spreadsheet cell.

Each parser takes what a form or a spreadsheet reader hands over (text, a number, a
date, None) and returns a clean value or raises `ValueProblem`, whose message says
what is wrong with the value and how to write it. The caller adds where it was (the
field, or the file, row and column).

Decided once for every parser:

- None, blank or invisible-only text, and NaN (a blank cell to some readers) mean
  "no value" and give None.
- True and False are never numbers, dates, money or phone numbers.
- US and Canadian habits come first: dates are month first (3/14/2021), a comma
  separates thousands and a period the cents.
- Digits are ASCII digits; other scripts' digits are not read as numbers.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal

from sro_desktop.services.regions import COUNTRY_NAMES, find_region, region_key, suggest_region

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "MONEY_LIMIT",
    "TWO_DIGIT_YEAR_PIVOT",
    "ValueProblem",
    "clean_text",
    "normalize_email",
    "normalize_phone",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_int",
    "parse_money",
    "parse_state",
    "phone_digits",
    "show_value",
]


class ValueProblem(ValueError):
    """A value that cannot be read; `message` is the sentence to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- text -------------------------------------------------------------------------------

# Invisible characters deleted outright: C0/C1 control characters other than the
# whitespace ones (those become spaces), soft hyphen, zero-width space, word joiner,
# byte-order mark, and lone surrogates (left by broken decoding; SQLite refuses them).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u200b\u2060\ufeff\ud800-\udfff]"
)


def show_value(value: object, limit: int = 40) -> str:
    """`value` as a message shows it: cleaned, shortened to `limit`, never raising."""
    try:
        text = _as_text(value)
    except ValueProblem:  # infinities and numbers too long to write out
        text = "infinity" if isinstance(value, float | Decimal) else "a very long number"
    text = " ".join(_INVISIBLE.sub("", text or "").split())
    # A message must not be garbled by what it quotes: unassigned, private-use and
    # format characters (a right-to-left override would reverse the sentence) are
    # shown as the replacement character; the joiners emoji are made of stay.
    text = "".join(ch if ch.isprintable() or ch in "\u200c\u200d" else "\ufffd" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, Decimal) and value.is_nan()


def _whole(number: float | Decimal) -> int | None:
    """`number` as an int when it is finite and whole (and not absurdly large), else None."""
    if not math.isfinite(number) or (isinstance(number, Decimal) and number.adjusted() > 400):
        return None
    return int(number) if number == int(number) else None


def _as_text(value: object) -> str | None:
    """A cell's value as the text a person would see in it, before cleaning."""
    if value is None or _is_nan(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows it
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python will write (sys.int_info)
            raise ValueProblem("The number is too long to be written out") from None
    if isinstance(value, float):
        if math.isinf(value):
            raise ValueProblem("The cell holds an infinite number, not a value")
        # ZIP codes, phone numbers and IDs often arrive as 19104.0.
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        if value.is_infinite():
            raise ValueProblem("The cell holds an infinite number, not a value")
        return format(value, "f") if -30 < value.adjusted() < 30 else str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def clean_text(value: object) -> str | None:
    """Text with invisible characters removed and whitespace runs made one space.

    None for blank. An integral float (ZIP 19104.0) is written without its ".0". The
    text is put in Unicode NFC form, so a name typed on a Mac matches the same name
    typed on Windows.
    """
    text = _as_text(value)
    if text is None:
        return None
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return " ".join(text.split()) or None


# --- whole numbers and yes/no -----------------------------------------------------------

_INT_LIMIT = 2**63 - 1  # what SQLite can store
_INT_TEXT = re.compile(r"([-+−])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?", re.ASCII)


def parse_int(value: object) -> int | None:
    """A whole number: 12, 12.0, "12", "1,200", "-3". Fractions are refused."""
    if value is None or _is_nan(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{show_value(value)} is a yes/no value, not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        whole = _whole(value)
        if whole is None:
            raise ValueProblem(f"'{show_value(value)}' is not a whole number")
        number = whole
    else:
        text = clean_text(value)
        if text is None:
            return None
        match = _INT_TEXT.fullmatch(text)
        if match is None:
            raise ValueProblem(f"'{show_value(text)}' is not a whole number; write it like 12")
        digits = match.group(2).replace(",", "")
        if len(digits.lstrip("0")) > 19:
            raise ValueProblem(f"'{show_value(text)}' is too large a number")
        number = -int(digits) if match.group(1) in ("-", "−") else int(digits)
    if abs(number) > _INT_LIMIT:
        raise ValueProblem(f"'{show_value(value)}' is too large a number")
    return number


_TRUE_WORDS = frozenset(
    {"yes", "y", "true", "t", "1", "x", "on", "checked", "paid", "oui", "✓", "✔", "☑", "✅"}
)
_FALSE_WORDS = frozenset(
    {"no", "n", "false", "f", "0", "off", "unchecked", "unpaid", "non", "✗", "✘", "☐", "❌"}
)


def parse_bool(value: object) -> bool | None:
    """Yes or no: yes/no, y/n, true/false, 1/0, x or a check mark, on/off, paid/unpaid."""
    if value is None or _is_nan(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return value == 1
    text = clean_text(value)
    if text is None:
        return None
    word = text.casefold().rstrip(".!")
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueProblem(f"'{show_value(value)}' is not yes or no; write Yes or No")


# --- money ------------------------------------------------------------------------------

MONEY_LIMIT = Decimal(1_000_000_000)
"""Amounts beyond a billion dollars are refused as typing mistakes."""

_CENT = Decimal("0.01")
_FLOAT_NOISE = Decimal("0.000001")  # binary floating-point error, far below a cent
_OUR_CURRENCY = re.compile(
    r"(?:US|CA|CDN|C)?\$|(?<![a-z])(?:USD|CAD|CDN)(?![a-z])", re.IGNORECASE | re.ASCII
)
_OTHER_CURRENCY = re.compile(
    r"[€£¥₹₩₽₪฿]|(?<![a-z])(?:EUR|GBP|JPY|CHF|AUD|NZD|MXN|INR|CNY)(?![a-z])",
    re.IGNORECASE | re.ASCII,
)
_PLAIN_AMOUNT = re.compile(r"\d+(?:\.\d*)?|\.\d+", re.ASCII)
_GROUPED_AMOUNT = re.compile(r"\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*(?:\.\d*)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[\d ,.]*\d,\d{1,2}", re.ASCII)


def parse_money(value: object) -> Decimal | None:
    """An amount of dollars as a Decimal with exactly two places.

    Reads 150, 150.0, "150.00", "$1,234.50", "1 234.50", "USD 150", "150 $", and
    negatives as "-$25", "$-25", "(25.00)" or "25.00-". Refused: fractions of a cent
    ("150.005" is a typing mistake, not something to round), a decimal comma ("12,50":
    a comma only separates thousands), other currencies, and amounts over a billion.
    A float from a spreadsheet is read to the nearest cent when it is within binary
    rounding noise of one (0.1 + 0.2 gives 0.30).
    """
    if value is None or _is_nan(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{show_value(value)} is a yes/no value, not an amount of money")
    if isinstance(value, int):
        return _cents(Decimal(value), value)
    if isinstance(value, float):
        if math.isinf(value) or abs(value) > MONEY_LIMIT:
            raise _too_much(value)
        exact = Decimal(value)
        amount = exact.quantize(_CENT, rounding=ROUND_HALF_EVEN)
        if abs(exact - amount) > _FLOAT_NOISE:
            raise _fraction_of_cent(value)
        return _cents(amount, value)
    if isinstance(value, Decimal):
        if value.is_infinite():
            raise _too_much(value)
        return _cents(value, value)
    text = clean_text(value)
    if text is None:
        return None
    return _money_from_text(text)


def _money_from_text(text: str) -> Decimal:
    if _OTHER_CURRENCY.search(text):
        raise ValueProblem(f"'{show_value(text)}' is in another currency; enter it in dollars")
    rest = text
    negative = False
    if rest.startswith("(") and rest.endswith(")"):
        negative, rest = True, rest[1:-1]
    rest = " ".join(_OUR_CURRENCY.sub(" ", rest).split())
    signs = 0
    while rest[:1] in ("-", "+", "−"):
        negative, signs = negative or rest[0] != "+", signs + 1
        rest = rest[1:].strip()
        rest = " ".join(_OUR_CURRENCY.sub(" ", rest).split())  # "-$25" and "$-25" alike
    if rest.endswith("-"):
        negative, signs, rest = True, signs + 1, rest[:-1].strip()
    if signs > 1 or (signs and text.startswith("(")):
        raise ValueProblem(f"'{show_value(text)}' has more than one minus sign")
    if not rest:
        raise ValueProblem(f"'{show_value(text)}' has no amount; write it like 150.00")
    if _PLAIN_AMOUNT.fullmatch(rest) is None and _GROUPED_AMOUNT.fullmatch(rest) is None:
        if _DECIMAL_COMMA.fullmatch(rest):
            raise ValueProblem(
                f"'{show_value(text)}' is not an amount of money: a comma separates thousands;"
                " write the cents after a period, as in 12.50"
            )
        raise ValueProblem(
            f"'{show_value(text)}' is not an amount of money; write it like 1,234.50"
        )
    digits = rest.replace(",", "").replace(" ", "")
    whole, _, fraction = digits.partition(".")
    if len(whole.lstrip("0")) > 10:
        raise _too_much(text)
    if fraction[2:].strip("0"):
        raise _fraction_of_cent(text)
    amount = Decimal(f"{whole or '0'}.{fraction[:2] or '0'}")
    return _cents(-amount if negative else amount, text)


def _cents(amount: Decimal, typed: object) -> Decimal:
    """`amount` checked for size and cents, with two places, never -0.00."""
    if abs(amount) > MONEY_LIMIT:
        raise _too_much(typed)
    cents = amount.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    if cents != amount:
        raise _fraction_of_cent(typed)
    return cents if cents else Decimal("0.00")


def _too_much(typed: object) -> ValueProblem:
    return ValueProblem(f"'{show_value(typed)}' is more than a billion dollars; check the amount")


def _fraction_of_cent(typed: object) -> ValueProblem:
    return ValueProblem(f"'{show_value(typed)}' has a fraction of a cent; round it to whole cents")


# --- dates and times --------------------------------------------------------------------

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
"""Dates outside these are typing mistakes here (a member born in 1850, a fee due in 2500)."""

TWO_DIGIT_YEAR_PIVOT = 70
"""Two-digit years below this are 20xx, the rest 19xx: 3/14/69 is 2069, 3/14/70 is 1970."""

_DATE_EXAMPLE = "write it as 3/14/2021 or 2021-03-14"
_DATETIME_EXAMPLE = "write it as 3/14/2021 9:05 AM or 2021-03-14 09:05"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""The months' English names, as printed on certificates and read in dates (not the
locale's: a certificate reads the same on every computer)."""
_MONTH_NAMES = ("", *MONTHS)
_MONTHS = {
    **{name.casefold(): number for number, name in enumerate(_MONTH_NAMES) if number},
    **{name[:3].casefold(): number for number, name in enumerate(_MONTH_NAMES) if number},
    "sept": 9,
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_FLAGS = re.IGNORECASE | re.ASCII | re.VERBOSE
_MERIDIEM = r"[ap]\.?\s?m\.? | [ap]"
_TIME = rf"""
    (?P<hour>\d{{1,2}})
    (?: :(?P<minute>\d{{2}}) (?: :(?P<second>\d{{2}}) (?:[.,](?P<fraction>\d{{1,9}}))? )?
        \s*(?P<meridiem>{_MERIDIEM})?
      | \s*(?P<meridiem_only>{_MERIDIEM}) )
    \s*(?P<zone> z | utc | gmt | [+-]\d{{2}}(?::?\d{{2}})? )?
"""
_DATE_AND_TIME = re.compile(rf"(?P<date>.+?) (?: (?:\s*,\s*|\s+at\s+|\s+|T) {_TIME} )?", _FLAGS)
_TIME_ONLY = re.compile(_TIME, _FLAGS)
_WEEKDAY_PREFIX = re.compile(r"(?P<weekday>[a-z]+)\.?,?\s+(?P<rest>.+)", _FLAGS)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_FORMS = tuple(
    re.compile(pattern, _FLAGS)
    for pattern in (
        r"(?P<year>\d{4}) (?P<sep>[-/.]) (?P<month>\d{1,2}) (?P=sep) (?P<day>\d{1,2})",
        r"(?P<month>\d{1,2}) (?P<sep>[-/]) (?P<day>\d{1,2}) (?P=sep) (?P<year>\d{4}|\d{2})",
        rf"""(?P<month_name>[a-z]+) (?:\.\s*|\s+) (?P<day>\d{{1,2}}){_ORDINAL}
             (?:\s*,\s*|\s+) (?P<year>\d{{4}}|\d{{2}})""",
        rf"""(?P<day>\d{{1,2}}){_ORDINAL} \s+ (?:of\s+)? (?P<month_name>[a-z]+)\.? ,?\s+
             (?P<year>\d{{4}}|\d{{2}})""",
        r"""(?P<day>\d{1,2}) (?P<sep>[-/]) (?P<month_name>[a-z]+)\.? (?P=sep)
            (?P<year>\d{4}|\d{2})""",
        r"(?P<year>\d{4}) - (?P<month_name>[a-z]+) - (?P<day>\d{1,2})",
        r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})",
    )
)
_MONTH_AND_YEAR = re.compile(r"(?:(?P<month_name>[a-z]+)\.?,?\s+|\d{1,2}\s*[-/]\s*)\d{4}", _FLAGS)
_SERIAL_TEXT = re.compile(r"\d{5,6}(?:\.\d+)?", re.ASCII)

# Excel numbers days from 1 = 1900-01-01, but counts a 29 February 1900 that never
# was (serial 60), copying a bug in Lotus 1-2-3. From serial 61 (1900-03-01) on, day 0
# is therefore 1899-12-30; before it, 1899-12-31. Workbooks made on old Macs count in
# the 1904 system instead: 0 = 1904-01-01, no phantom day.
_EXCEL_1900_EPOCH = datetime(1899, 12, 30)
_EXCEL_1904_EPOCH = datetime(1904, 1, 1)
_LOTUS_LEAP_DAY = 60
_MS_PER_DAY = 86_400_000


def parse_date(value: object, *, date_system: int = 1900) -> date | None:
    """A calendar date from a date cell, an Excel serial number, or text.

    Text may be 3/14/2021, 3/14/21, 3-14-2021, 2021-03-14 (also 2021/03/14), 20210314,
    March 14, 2021, Mar 14 2021, 14 March 2021, 14-Mar-2021, with an optional weekday
    in front (checked) and an optional time after (dropped; see `parse_datetime`).
    Numbers are Excel serials in `date_system` 1900 or 1904; numeric text counts as a
    serial only with five or six digits, as a CSV saved from Excel writes it. Refused:
    a month and year without a day ("March 2021": no day should be invented), a bare
    year, day-first dates (14/3/2021 is refused with a hint), and dates outside
    1900-2200. Two-digit years below `TWO_DIGIT_YEAR_PIVOT` are 20xx: 00-69 are
    2000-2069, 70-99 are 1970-1999.
    """
    moment = _read_moment(value, date_system=date_system, what="a date")
    return None if moment is None else moment.date()


def parse_datetime(value: object, *, date_system: int = 1900) -> datetime | None:
    """A date and time of day (naive, local): the forms `parse_date` reads, plus a time.

    Times may be 9:05, 9:05:33, 09:05:33.250, 9:05 AM, 9:05 a.m., 9 pm, or 14:30; a
    date alone is midnight. Excel serials keep their fraction of a day, to the
    millisecond. A time with a zone (2021-03-14T15:00:00Z, -05:00) and an aware
    datetime are turned into this computer's local time.
    """
    return _read_moment(value, date_system=date_system, what="a date and time")


def _read_moment(value: object, *, date_system: int, what: str) -> datetime | None:
    if date_system not in (1900, 1904):
        raise ValueError(f"date_system must be 1900 or 1904, not {date_system!r}")
    if value is None or _is_nan(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{show_value(value)} is a yes/no value, not {what}")
    if isinstance(value, datetime):
        moment = _local(value) if value.tzinfo is not None else _plain(value)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, time):
        raise ValueProblem(f"'{show_value(value)}' is a time of day without a date")
    elif isinstance(value, timedelta):
        raise ValueProblem(f"'{show_value(value)}' is a length of time, not {what}")
    elif isinstance(value, int | float | Decimal):
        moment = _from_number(value, date_system=date_system, what=what)
    else:
        text = clean_text(value)
        if text is None:
            return None
        moment = _from_text(text, date_system=date_system, what=what)
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise _out_of_range(value)
    return moment


def _plain(moment: datetime) -> datetime:
    """A plain `datetime` from a subclass (such as a pandas Timestamp)."""
    return datetime.combine(moment.date(), moment.time())


def _local(moment: datetime) -> datetime:
    """An aware datetime as this computer's local wall-clock time, without a zone."""
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise _out_of_range(moment)
    try:
        return _plain(moment.astimezone().replace(tzinfo=None))
    except (OverflowError, OSError):  # Windows has no local time before 1970
        return _plain(moment)


def _out_of_range(value: object) -> ValueProblem:
    return ValueProblem(
        f"'{show_value(value)}' is not between {EARLIEST_DATE.year} and {LATEST_DATE.year};"
        " check the year"
    )


def _from_number(number: float | Decimal, *, date_system: int, what: str) -> datetime:
    if not isinstance(number, int) and not math.isfinite(number):
        raise ValueProblem(f"'{show_value(number)}' is not {what}")
    whole = number if isinstance(number, int) else _whole(number)
    if whole is not None and EARLIEST_DATE.year <= whole <= LATEST_DATE.year:
        raise ValueProblem(
            f"'{show_value(number)}' is only a year; give the whole date, as in 3/14/{whole}"
        )
    if whole is not None and 10_000_000 <= whole <= 99_999_999:  # 20210314
        return _from_text(str(whole), date_system=date_system, what=what)
    return _from_serial(number, date_system=date_system, what=what)


def _from_serial(serial: float | Decimal, *, date_system: int, what: str) -> datetime:
    """The moment an Excel serial number (days and a fraction of a day) stands for."""
    epoch = _EXCEL_1900_EPOCH if date_system == 1900 else _EXCEL_1904_EPOCH
    first = 1 if date_system == 1900 else 0
    last = (datetime.combine(LATEST_DATE, time()) - epoch).days + 1
    if not first <= serial < last:
        raise ValueProblem(
            f"'{show_value(serial)}' is not {what}; as a date number from Excel it is out of range"
        )
    milliseconds = int((Decimal(serial) * _MS_PER_DAY).to_integral_value(ROUND_HALF_EVEN))
    days, into_day = divmod(milliseconds, _MS_PER_DAY)
    if date_system == 1900:
        if days == _LOTUS_LEAP_DAY:
            raise ValueProblem(
                f"'{show_value(serial)}' is Excel's 29 February 1900, a day that did not exist"
            )
        if days < _LOTUS_LEAP_DAY:
            days += 1
    return epoch + timedelta(days=days, milliseconds=into_day)


def _from_text(text: str, *, date_system: int, what: str) -> datetime:
    example = _DATE_EXAMPLE if what == "a date" else _DATETIME_EXAMPLE
    if text.isascii() and text.isdigit() and len(text) == 4:
        year = int(text)
        if EARLIEST_DATE.year <= year <= LATEST_DATE.year:
            raise ValueProblem(f"'{text}' is only a year; give the whole date, as in 3/14/{year}")
    if _SERIAL_TEXT.fullmatch(text):
        return _from_serial(Decimal(text), date_system=date_system, what=what)
    if _TIME_ONLY.fullmatch(text):
        raise ValueProblem(f"'{show_value(text)}' is a time of day without a date")
    split = _DATE_AND_TIME.fullmatch(text)
    if split is None:  # pragma: no cover - the date part matches any non-empty text
        raise ValueProblem(f"'{show_value(text)}' is not {what}; {example}")
    day = _date_from_text(split.group("date").rstrip(" ,"), text, example, what)
    if split.group("hour") is None:
        return datetime.combine(day, time())
    return _with_time(day, split, text)


def _date_from_text(part: str, text: str, example: str, what: str) -> date:
    weekday: int | None = None
    prefix = _WEEKDAY_PREFIX.fullmatch(part)
    if prefix is not None and prefix.group("weekday").casefold() in _WEEKDAYS:
        weekday = _WEEKDAYS[prefix.group("weekday").casefold()]
        part = prefix.group("rest")
    for form in _DATE_FORMS:
        match = form.fullmatch(part)
        if match is not None:
            break
    else:
        month_year = _MONTH_AND_YEAR.fullmatch(part)
        named = month_year.group("month_name") if month_year is not None else None
        if month_year is not None and (named is None or named.casefold() in _MONTHS):
            raise ValueProblem(f"'{show_value(text)}' has no day; {example}")
        raise ValueProblem(f"'{show_value(text)}' is not {what}; {example}")
    fields = match.groupdict()
    year = int(fields["year"])
    if len(fields["year"]) == 2:
        year += 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
    day = int(fields["day"])
    if fields.get("month_name") is not None:
        month = _MONTHS.get(fields["month_name"].casefold(), 0)
        if not month:
            raise ValueProblem(f"'{show_value(text)}' is not {what}; {example}")
    else:
        month = int(fields["month"])
    if not 1 <= month <= 12:
        if form is _DATE_FORMS[1] and 1 <= day <= 12:
            raise ValueProblem(
                f"'{show_value(text)}' has no month {month}; dates are read month first,"
                f" so write {day}/{month}/{year}"
            )
        raise ValueProblem(f"'{show_value(text)}' is not {what}; {example}")
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise _out_of_range(text)
    length = calendar.monthrange(year, month)[1]
    if not 1 <= day <= length:
        raise ValueProblem(
            f"'{show_value(text)}' is not {what}: {_MONTH_NAMES[month]} {year} has {length} days"
        )
    result = date(year, month, day)
    if weekday is not None and result.weekday() != weekday:
        raise ValueProblem(
            f"'{show_value(text)}' does not add up: {_MONTH_NAMES[month]} {day}, {year}"
            f" is a {_WEEKDAY_NAMES[result.weekday()]}"
        )
    return result


def _with_time(day: date, split: re.Match[str], text: str) -> datetime:
    hour = int(split.group("hour"))
    minute = int(split.group("minute") or 0)
    second = int(split.group("second") or 0)
    micro = int((split.group("fraction") or "0")[:6].ljust(6, "0"))
    meridiem = split.group("meridiem") or split.group("meridiem_only")
    if meridiem is not None:
        if not 1 <= hour <= 12:
            raise ValueProblem(
                f"'{show_value(text)}' has no hour {hour} {meridiem.upper()};"
                " use 1 to 12 with AM or PM, or 0 to 23 without"
            )
        hour = hour % 12 + (12 if meridiem[0] in "pP" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueProblem(f"'{show_value(text)}' has an impossible time of day")
    moment = datetime.combine(day, time(hour, minute, second, micro))
    zone = split.group("zone")
    if zone is None:
        return moment
    return _local(moment.replace(tzinfo=_zone(zone, text)))


def _zone(zone: str, text: str) -> timezone:
    if zone.casefold() in ("z", "utc", "gmt"):
        return UTC
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueProblem(f"'{show_value(text)}' has an impossible time zone")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if zone[0] == "-" else offset)


# --- email ------------------------------------------------------------------------------

_ANGLE_ADDRESS = re.compile(r"[^<>]*<(?P<address>[^<>]*)>")
_LOCAL_PART = re.compile(r"[^\s@\"(),:;<>\[\]\\]+")
_DOMAIN_LABEL = re.compile(r"(?:[^\W_]|-)+")


def normalize_email(value: object) -> str | None:
    """An email address, trimmed and lower-cased, or None for blank.

    Reads "Jane Doe <Jane@X.org>", "mailto:jane@x.org" and a trailing period or
    semicolon left from copying. Refused: no @ or more than one, spaces, a domain
    without a dot, labels starting or ending with '-', two addresses in one cell.
    Domains in other scripts (IDN) are kept as typed, lower-cased.
    """
    if value is None or _is_nan(value):
        return None
    if not isinstance(value, str):
        raise ValueProblem(f"'{show_value(value)}' is not an email address")
    text = clean_text(value)
    if text is None:
        return None
    address = text
    angle = _ANGLE_ADDRESS.fullmatch(address)
    if angle is not None:
        address = angle.group("address").strip()
    if address[:7].casefold() == "mailto:":
        address = address[7:].partition("?")[0].strip()
    address = unicodedata.normalize("NFC", address.rstrip(".;, ").lower())
    if re.search(r"[;,]", address) and address.count("@") > 1:
        raise ValueProblem(f"'{show_value(text)}' holds more than one email address; keep one")
    problem = _email_problem(address)
    if problem is not None:
        raise ValueProblem(f"'{show_value(text)}' is not an email address: {problem}")
    return address


def _email_problem(address: str) -> str | None:
    """What is wrong with `address`, in a few words, or None when nothing is."""
    if not address:
        return "it is empty"
    if " " in address:
        return "it has a space in it"
    if address.count("@") != 1:
        return "it has no @" if "@" not in address else "it has more than one @"
    local, domain = address.split("@")
    if not local:
        return "nothing comes before the @"
    if not domain:
        return "nothing comes after the @"
    if len(address) > 254 or len(local) > 64:
        return "it is too long"
    if not _LOCAL_PART.fullmatch(local):
        return "the part before the @ has a character an address cannot have"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "the part before the @ has a misplaced period"
    labels = domain.split(".")
    if len(labels) < 2:
        return f"the domain '{domain}' has no ending such as .org or .com"
    for label in labels:
        if not label:
            return f"the domain '{domain}' has a misplaced period"
        if not _DOMAIN_LABEL.fullmatch(label) or len(label) > 63:
            return f"the domain '{domain}' has a character a domain cannot have"
        if label.startswith("-") or label.endswith("-"):
            return f"a part of the domain '{domain}' starts or ends with '-'"
    if labels[-1].isdigit():
        return f"the domain '{domain}' has no ending such as .org or .com"
    return None


# --- phone numbers ----------------------------------------------------------------------

_EXTENSION = re.compile(r"(?:(?<![a-z])(?:ext|extension|x)|#)\.?:?\s*\d{1,6}$", re.IGNORECASE)
_PHONE_DIGITS_MIN = 7
_PHONE_DIGITS_MAX = 15  # the longest international number (ITU E.164)


def _phone_text(value: object) -> str | None:
    if value is None or _is_nan(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{show_value(value)} is a yes/no value, not a phone number")
    if isinstance(value, int | float | Decimal) and (
        (not isinstance(value, int) and _whole(value) is None) or value < 0
    ):
        raise ValueProblem(f"'{show_value(value)}' is not a phone number")
    return clean_text(value)


def _main_number(text: str) -> str:
    """The text of a phone number without its extension."""
    return _EXTENSION.sub("", text)


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if "0" <= ch <= "9")


def phone_digits(value: object) -> str:
    """The digits of a phone number, for comparing two numbers; "" for blank.

    The extension is left out, and so is the country code 1 of an 11-digit US or
    Canadian number: "+1 (215) 555-1234 x12" gives "2155551234".
    """
    text = _phone_text(value)
    if text is None:
        return ""
    digits = _digits(_main_number(text))
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits


def normalize_phone(value: object) -> str | None:
    """A phone number kept as typed (trimmed, whitespace collapsed), or None for blank.

    A number cell (2155551234.0) becomes "2155551234". Labels and extensions stay
    ("215-555-1234 ext. 12 (cell)"). Refused: fewer than 7 digits, or more than 15
    (often two numbers in one cell).
    """
    text = _phone_text(value)
    if text is None:
        return None
    count = len(_digits(_main_number(text)))
    if count == 0:
        raise ValueProblem(f"'{show_value(text)}' is not a phone number: it has no digits")
    if count < _PHONE_DIGITS_MIN:
        raise ValueProblem(
            f"'{show_value(text)}' is too short for a phone number; include the area code"
        )
    if count > _PHONE_DIGITS_MAX:
        raise ValueProblem(
            f"'{show_value(text)}' has too many digits for one phone number; keep one number"
        )
    return text


# --- states and provinces ---------------------------------------------------------------


def parse_state(value: object) -> str | None:
    """The two-letter code of a US state, territory or Canadian province, or None.

    Reads codes and names in any case, with accents or without, old abbreviations
    ("Penn.", "N.J.", "Que.") and "Ontario, Canada". See `regions`.
    """
    if value is None or _is_nan(value):
        return None
    if not isinstance(value, str):
        raise ValueProblem(f"'{show_value(value)}' is not a state or province")
    text = clean_text(value)
    if text is None:
        return None
    region = find_region(text)
    if region is not None:
        return region.code
    if region_key(text) in COUNTRY_NAMES:
        raise ValueProblem(
            f"'{show_value(text)}' is a country; give the state or province, such as PA or ON"
        )
    close = suggest_region(text)
    if close is not None:
        raise ValueProblem(
            f"'{show_value(text)}' is not a state or province; did you mean {close.name}"
            f" ({close.code})?"
        )
    raise ValueProblem(
        f"'{show_value(text)}' is not a US state or Canadian province;"
        " use its two-letter code, such as PA or ON"
    )
