"""The quick paths of a large import give exactly what the slower, plainer code gives.

Whole columns are checked at once (joined, on bytes, with a regular expression that never
backtracks), and the reading process sends tidy text columns as one string; each of
these is compared here with the cell-by-cell reference on many generated columns. The
membership periods, found once per distinct kind of row, still follow each person's own
"member since" date where the type's term depends on it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import ImportKind, Member, Membership, MembershipTerm, MembershipType
from sro_desktop.services.values import ValueProblem, clean_text, normalize_email
from sro_desktop.spreadsheets import calamine_worker, cell_readers
from sro_desktop.spreadsheets.column_mapping import suggest_mapping
from sro_desktop.spreadsheets.import_runner import import_members, read_for_import
from sro_desktop.spreadsheets.member_records import parse_member_rows
from sro_desktop.spreadsheets.worker_protocol import chunk_rows
from tests.spreadsheets.import_files import write_rows

# The e-mail pattern as it was written first, with ordinary (backtracking) repeats.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?",
    re.ASCII,
)
_PLAIN_EMAILS = re.compile(f"(?:{_PLAIN_EMAIL.pattern}\\n)*{_PLAIN_EMAIL.pattern}", re.ASCII)

_EMAIL_PARTS = st.text(alphabet="ab09._%+-@\n", max_size=24)
_LONG_PARTS = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.text(alphabet="a.-", min_size=60, max_size=70),
    st.text(alphabet="b-", min_size=58, max_size=66),
    st.text(alphabet="c0-", min_size=1, max_size=66),
)


@given(st.one_of(_EMAIL_PARTS, _LONG_PARTS, st.emails().map(str.lower)))
def test_the_email_pattern_accepts_what_the_plain_pattern_accepts(text: str) -> None:
    assert bool(cell_readers._EMAIL.fullmatch(text)) == bool(_PLAIN_EMAIL.fullmatch(text))
    assert bool(cell_readers._EMAILS.fullmatch(text)) == bool(_PLAIN_EMAILS.fullmatch(text))


def _careful(parse: object, value: object) -> object:
    try:
        return parse(value)  # type: ignore[operator]
    except ValueProblem:
        return None


@given(st.lists(st.one_of(st.none(), st.emails(), st.text(alphabet="aB0.@ -", max_size=12))))
def test_a_column_of_emails_reads_as_each_email_alone(values: list[str | None]) -> None:
    results, problems = cell_readers.read_emails(values)

    assert results == [None if v is None else _careful(normalize_email, v) for v in values]
    refused = [i for i, v in enumerate(values) if v is not None and _refused(normalize_email, v)]
    assert [index for index, _message in problems] == refused


def _refused(parse: object, value: object) -> bool:
    try:
        parse(value)  # type: ignore[operator]
    except ValueProblem:
        return True
    return False


_TEXTS = st.text(alphabet="ab |\t\x7fé\u0301", max_size=6)


@given(st.lists(st.one_of(st.none(), _TEXTS), min_size=1), st.integers(1, 6))
def test_a_column_of_text_is_clean_only_when_every_cell_is(
    values: list[str | None], limit: int
) -> None:
    texts = [v for v in values if v is not None]
    joined = "|".join(texts)
    expected = not texts or (
        (joined.isascii() or unicodedata.is_normalized("NFC", joined))
        and joined.isprintable()
        and "  " not in joined
        and "| " not in joined
        and " |" not in joined
        and "||" not in joined
        and texts[0][:1] not in ("", " ")
        and texts[-1][-1:] not in ("", " ")
        and max(map(len, texts)) <= limit
    )
    assert cell_readers._all_clean_text(values, limit) == expected
    results, _problems = cell_readers.read_texts(values, limit)
    for value, result in zip(values, results, strict=True):
        cleaned = _careful(clean_text, value)
        assert result == (cleaned if cleaned is None or len(str(cleaned)) <= limit else None)


@given(st.lists(st.one_of(st.none(), st.text(alphabet="ab \x00\x01\t\x7fé", max_size=5))))
def test_the_reading_process_sends_text_columns_as_they_are_cleaned(
    values: list[str | None],
) -> None:
    cells = ["" if value is None else value for value in values]
    if not cells:
        return
    # The reference: every cell cleaned one by one (empty text is no value).
    expected = [v or None for v in calamine_worker._clean_column(list(cells), False)]
    message = {"rows": len(cells), "columns": [calamine_worker._encoded(list(cells), False)]}

    rows = chunk_rows(message, 0)

    assert [row[0] if row else None for row in rows] == expected


@given(
    st.lists(
        st.one_of(
            st.integers(min_value=-(2**54), max_value=2**54).map(float),
            st.floats(allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
    )
)
def test_a_column_of_numbers_becomes_whole_numbers_as_cell_by_cell(values: list[float]) -> None:
    limit = 2**53
    expected = [int(v) if v.is_integer() and abs(v) < limit else v for v in values]
    cleaned = calamine_worker._clean_column(list(values), False)
    assert cleaned == expected
    assert list(map(type, cleaned)) == list(map(type, expected))


def test_periods_of_anniversary_types_follow_each_persons_date(
    database: Database, tmp_path: Path
) -> None:
    with database.transaction() as session:
        session.add(
            MembershipType(
                name="Anniversary", term=MembershipTerm.ANNIVERSARY, dues=Decimal("90.00")
            )
        )
        session.add(MembershipType(name="Individual", dues=Decimal("150.00")))
    path = write_rows(
        tmp_path / "anniversaries.xlsx",
        [
            ["Name", "Email", "Member Since", "Membership Type", "Year", "Dues Paid"],
            ["Ann Ames", "ann@example.org", date(2019, 3, 15), "Anniversary", 2026, "yes"],
            ["Ben Bay", "ben@example.org", date(2020, 9, 1), "Anniversary", 2026, "yes"],
            ["Cy Cole", "cy@example.org", date(2018, 5, 5), "Individual", 2026, "yes"],
            ["Di Dunn", "di@example.org", date(2017, 1, 2), "Individual", 2026, None],
        ],
    )
    table = read_for_import(path)
    parsed = parse_member_rows(table, suggest_mapping(table.headers, ImportKind.MEMBERS))

    report = import_members(database, parsed)

    assert report.created == 4
    with database.session() as session:
        periods = session.execute(
            select(Member.first_name, Membership.start_date, Membership.end_date)
            .join(Membership, Membership.member_id == Member.id)
            .order_by(Member.id)
        ).all()
    assert [tuple(period) for period in periods] == [
        ("Ann", date(2026, 3, 15), date(2027, 3, 14)),
        ("Ben", date(2026, 9, 1), date(2027, 8, 31)),
        ("Cy", date(2026, 1, 1), date(2026, 12, 31)),
        ("Di", date(2026, 1, 1), date(2026, 12, 31)),
    ]
