"""Reading a Zoom participants report: who joined a webinar, and from when to when.

Zoom exports this CSV in several shapes (with or without a meeting-information block on
top, old and new column names, webinar reports in sections, US or day-first dates). We
find the participants table by its Join/Leave columns wherever it starts, turn each row
into a `ZoomJoin`, and list rows we could not read as `RowProblem`s instead of failing,
so the user can see and fix them. Credit arithmetic lives in `services.credits`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sro_desktop.errors import UnusableInput

__all__ = [
    "RowProblem",
    "ZoomJoin",
    "ZoomReport",
    "group_by_person",
    "parse_zoom_rows",
    "read_zoom_csv",
]


@dataclass(frozen=True)
class RowProblem:
    """A row we could not use: where it is, what it holds and what is wrong with it."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column} “{self.value}”: {self.message}"


@dataclass(frozen=True)
class ZoomJoin:
    """One row of the report: one person on one device from `joined_at` to `left_at`.

    `name` is the cell as Zoom wrote it, e.g. "Ana Lopez (Ana María López)".
    """

    row_number: int
    name: str
    email: str | None
    joined_at: datetime
    left_at: datetime


@dataclass(frozen=True)
class ZoomReport:
    topic: str | None
    meeting_id: str | None
    rows: tuple[ZoomJoin, ...]
    problems: tuple[RowProblem, ...]


# Column headers as Zoom has spelled them over the years, compared after `_normalize`.
_NAME_HEADERS = frozenset(
    {"name (original name)", "user name (original name)", "name", "user name", "participant"}
)
_EMAIL_HEADERS = frozenset({"user email", "email", "email address"})
_JOIN_HEADERS = frozenset({"join time"})
_LEAVE_HEADERS = frozenset({"leave time"})
_WAITING_ROOM_HEADERS = frozenset({"in waiting room"})
_ATTENDED_HEADERS = frozenset({"attended"})
_MEETING_ID_HEADERS = frozenset({"meeting id", "webinar id", "id"})
_TOPIC_HEADERS = frozenset({"topic"})

_NO_SHOW = "--"
_EXAMPLE_TIME = "03/04/2026 09:02:11 AM"


def _normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _cell(row: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    return row[index]


def _find(headers: Sequence[str], names: frozenset[str]) -> int | None:
    for index, header in enumerate(headers):
        if header in names:
            return index
    return None


# --- times -----------------------------------------------------------------------------
# Regular expressions rather than strptime: strptime's %p and %b follow the process's
# C locale, which Qt sets from the desktop language at start-up, so "AM" or "Mar" would
# not parse on a German or French laptop. Zoom writes English AM/PM and month names.

_TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
)
_SLASHED = re.compile(
    rf"(?P<first>\d{{1,2}})/(?P<middle>\d{{1,2}})/(?P<year>\d{{4}}|\d{{2}}),?\s+{_TIME}"
)
_ISO = re.compile(rf"(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?:T|\s+){_TIME}")
_NAMED = re.compile(
    rf"(?P<month>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}),?\s+{_TIME}"
)
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def _day_first(values: Iterable[str]) -> bool:
    """Whether slashed dates in this file are day/month/year rather than Zoom's US order.

    Decided once per file, never per value: only when some date cannot be month-first
    (13/03/2026) and none can be day-first (03/13/2026).
    """
    first_over_12 = middle_over_12 = False
    for value in values:
        match = _SLASHED.fullmatch(value)
        if match:
            first_over_12 |= int(match["first"]) > 12
            middle_over_12 |= int(match["middle"]) > 12
    return first_over_12 and not middle_over_12


def _month_number(name: str) -> int:
    name = name.casefold()
    for number, month in enumerate(_MONTHS, start=1):
        if month.startswith(name):
            return number
    raise ValueError(f"unknown month {name!r}")


def _parse_time(text: str, day_first: bool) -> datetime:
    """A Zoom date and time; raises ValueError when `text` is not one."""
    if match := _SLASHED.fullmatch(text):
        first, second = int(match["first"]), int(match["middle"])
        month, day = (second, first) if day_first else (first, second)
        year = int(match["year"])
        if year < 100:
            year += 2000
    elif match := _ISO.fullmatch(text):
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    elif match := _NAMED.fullmatch(text):
        year, month, day = int(match["year"]), _month_number(match["month"]), int(match["day"])
    else:
        raise ValueError(text)
    hour = int(match["hour"])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if match["ampm"] in "Pp" else 0)
    return datetime(year, month, day, hour, int(match["minute"]), int(match["second"] or 0))


def _time_or_problem(cell: object, day_first: bool, row: int, column: str) -> datetime | RowProblem:
    text = _text(cell)
    if isinstance(cell, datetime):
        if cell.tzinfo is None:
            return cell
        message = "This time carries a time zone; save it as a plain local time."
    elif isinstance(cell, date):
        message = "This is a date without a time of day; put back the time Zoom wrote."
    elif not text:
        message = "This is empty; every row needs a join and a leave time."
    else:
        try:
            return _parse_time(text, day_first)
        except ValueError:
            message = f"This is not a date and time; Zoom writes them like {_EXAMPLE_TIME}."
    return RowProblem(row, column, text, message)


# --- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """Where the columns are in one participants table (webinar reports have several)."""

    headers: tuple[str, ...]
    name: int | None
    email: int | None
    join: int
    leave: int
    waiting_room: int | None
    attended: int | None

    @classmethod
    def from_header(cls, row: Sequence[object]) -> _Table | None:
        headers = tuple(_text(cell) for cell in row)
        normalized = [_normalize(header) for header in headers]
        join = _find(normalized, _JOIN_HEADERS)
        leave = _find(normalized, _LEAVE_HEADERS)
        name = _find(normalized, _NAME_HEADERS)
        email = _find(normalized, _EMAIL_HEADERS)
        if join is None or leave is None or (name is None and email is None):
            return None
        return cls(
            headers=headers,
            name=name,
            email=email,
            join=join,
            leave=leave,
            waiting_room=_find(normalized, _WAITING_ROOM_HEADERS),
            attended=_find(normalized, _ATTENDED_HEADERS),
        )

    def header(self, index: int | None) -> str:
        return self.headers[index] if index is not None else ""


def _meeting_information(rows: Sequence[Sequence[object]]) -> tuple[str | None, str | None]:
    """Topic and meeting ID from the block Zoom writes above the participants table."""
    for index, row in enumerate(rows):
        headers = [_normalize(_text(cell)) for cell in row]
        topic_at = _find(headers, _TOPIC_HEADERS)
        if topic_at is None:
            continue
        values = next((r for r in rows[index + 1 :] if any(_text(c) for c in r)), ())
        topic = _text(_cell(values, topic_at)) or None
        meeting_id = _text(_cell(values, _find(headers, _MEETING_ID_HEADERS))) or None
        return topic, meeting_id
    return None, None


def _refusal(file_name: str, rows: Sequence[Sequence[object]]) -> UnusableInput:
    unique_users = any(
        "total duration (minutes)" in {_normalize(_text(cell)) for cell in row} for row in rows
    )
    if unique_users:
        return UnusableInput(
            f"“{file_name}” is Zoom's list of unique users, which has each person's total "
            "minutes but not when they joined and left; export the participants report "
            "again from Zoom with “Show unique users” unticked and import that file."
        )
    return UnusableInput(
        f"“{file_name}” does not look like a Zoom participants report (it has no Join Time "
        "and Leave Time columns); in Zoom open Reports › Usage, click the meeting's "
        "participants, export them as CSV and import that file."
    )


def _is_skipped(row: Sequence[object], table: _Table) -> bool:
    """Rows that are not attendance: blanks, section titles, no-shows, waiting-room time."""
    cells = [_text(cell) for cell in row]
    filled = [index for index, text in enumerate(cells) if text]
    join, leave = _text(_cell(row, table.join)), _text(_cell(row, table.leave))
    if not filled or (filled == [0] and not join and not leave):
        return True  # blank, or a webinar section title such as "Attendee Details"
    if join == _NO_SHOW and leave == _NO_SHOW:
        return True
    if _normalize(_text(_cell(row, table.attended))) == "no":
        return True
    # Zoom lists time spent in the waiting room as rows of its own; that is not attendance.
    return _normalize(_text(_cell(row, table.waiting_room))) == "yes"


def _read_row(
    row: Sequence[object], number: int, table: _Table, day_first: bool
) -> ZoomJoin | list[RowProblem]:
    joined = _time_or_problem(_cell(row, table.join), day_first, number, table.header(table.join))
    left = _time_or_problem(_cell(row, table.leave), day_first, number, table.header(table.leave))
    name = _text(_cell(row, table.name))
    email = _text(_cell(row, table.email)) or None
    problems = [value for value in (joined, left) if isinstance(value, RowProblem)]
    if not name and email is None:
        column = table.header(table.name if table.name is not None else table.email)
        message = "This row has no name or email, so it cannot be matched to anyone."
        problems.append(RowProblem(number, column, "", message))
    if isinstance(joined, RowProblem) or isinstance(left, RowProblem) or problems:
        return problems
    if left < joined:
        return [
            RowProblem(
                number,
                table.header(table.leave),
                _text(_cell(row, table.leave)),
                f"This leave time is before the join time ({_text(_cell(row, table.join))}).",
            )
        ]
    return ZoomJoin(number, name, email, joined, left)


def parse_zoom_rows(file_name: str, rows: Sequence[Sequence[object]]) -> ZoomReport:
    """Read a Zoom participants report from raw rows (row 1 is the file's first row).

    Raises `UnusableInput` if the rows hold no participants table at all.
    """
    tables = {index: t for index, row in enumerate(rows) if (t := _Table.from_header(row))}
    if not tables:
        raise _refusal(file_name, rows)
    first_table = min(tables)
    topic, meeting_id = _meeting_information(rows[:first_table])

    table: _Table | None = None
    data: list[tuple[int, _Table, Sequence[object]]] = []
    for index, row in enumerate(rows):
        if index in tables:
            table = tables[index]
        elif table is not None and not _is_skipped(row, table):
            data.append((index + 1, table, row))

    day_first = _day_first(
        _text(_cell(row, column)) for _, t, row in data for column in (t.join, t.leave)
    )
    joins: list[ZoomJoin] = []
    problems: list[RowProblem] = []
    for number, row_table, row in data:
        result = _read_row(row, number, row_table, day_first)
        if isinstance(result, ZoomJoin):
            joins.append(result)
        else:
            problems.extend(result)
    return ZoomReport(topic, meeting_id, tuple(joins), tuple(problems))


# --- the CSV file ------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without Zoom's byte-order mark), else Windows' cp1252 from Excel.

    Excel's "Unicode text" is UTF-16 with a byte-order mark; it is accepted too.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # cp1252 leaves five bytes undefined; never fails


def _delimiter(text: str) -> str:
    """Comma, unless the participants header is clearly split by semicolons or tabs."""
    for line in text.splitlines():
        if "join time" in _normalize(line):
            return max(",;\t", key=line.count)
    return ","


def read_zoom_csv(path: Path) -> ZoomReport:
    """Read a Zoom participants report saved as CSV; see `parse_zoom_rows`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnusableInput(
            f"“{path.name}” could not be opened ({error.strerror or error}); "
            "check that the file exists and is not open in another program."
        ) from error
    text = _decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise UnusableInput(
            f"“{path.name}” is not a readable CSV file ({error}); "
            "export the participants report from Zoom again."
        ) from error
    return parse_zoom_rows(path.name, rows)


# --- people ------------------------------------------------------------------------------

_TRAILING_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")


def _person_name(name: str) -> str:
    """ "Ana Lopez (Ana María López)" -> "ana lopez": the display name, casefolded."""
    display = _TRAILING_PARENTHESES.sub("", name)
    return _normalize(display) or _normalize(name)


def group_by_person(report: ZoomReport) -> dict[str, list[ZoomJoin]]:
    """The report's rows per person, in file order: rejoins and second devices together.

    The key is the lower-cased email when Zoom has one, else the normalized display
    name. A person on two devices of whom only one is signed in appears under two keys;
    matching them to a registration is for the caller.
    """
    people: dict[str, list[ZoomJoin]] = {}
    for join in report.rows:
        key = join.email.strip().lower() if join.email else _person_name(join.name)
        people.setdefault(key, []).append(join)
    return people
