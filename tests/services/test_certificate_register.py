"""The register: numbers that never repeat, short unambiguous codes, reissues that keep the
number, and the search behind "can you resend my 2024 certificate?"."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.db.models import AuditEntry, Certificate, CertificateKind
from sro_desktop.services.certificate_register import (
    CODE_ALPHABET,
    IssuedRecord,
    allocate_numbers,
    find_certificate,
    new_verification_codes,
    normalize_code,
    parse_search,
    record_issued,
    search_register,
)
from tests.services.certificate_meetings import attendee, morning_meeting

CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{3}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{3}$")


def _issue(
    session: Session,
    member_id: int,
    meeting_id: int,
    number: str,
    code: str,
    *,
    issued_on: date = date(2026, 3, 10),
    name: str = "Jane Doe, MD",
) -> Certificate:
    [certificate] = record_issued(
        session,
        [
            IssuedRecord(
                member_id=member_id,
                meeting_id=meeting_id,
                kind=CertificateKind.PHYSICIAN,
                credits=Decimal("3.00"),
                hours=Decimal("3.00"),
                number=number,
                verification_code=code,
                issued_on=issued_on,
                printed_text={"version": 1, "parts": {"name": name}},
            )
        ],
    )
    return certificate


def test_numbers_start_at_one_per_year_and_follow_the_highest(database: Database) -> None:
    with database.transaction() as session:
        assert allocate_numbers(session, 2026, 3) == ["2026-0001", "2026-0002", "2026-0003"]
        meeting = morning_meeting(session)
        jane = attendee(session, meeting, "Jane", "Doe", "MD")
        _issue(session, jane.id, meeting.id, "2026-0041", "K7P-3QX")
        assert allocate_numbers(session, 2026, 2) == ["2026-0042", "2026-0043"]
        assert allocate_numbers(session, 2027, 1) == ["2027-0001"]
        assert allocate_numbers(session, 2025, 0) == []


def test_a_deleted_certificates_number_is_never_given_again(database: Database) -> None:
    with database.transaction() as session:
        meeting = morning_meeting(session)
        jane = attendee(session, meeting, "Jane", "Doe", "MD")
        certificate = _issue(session, jane.id, meeting.id, "2026-0007", "K7P-3QX")
        session.delete(certificate)
        session.flush()
        assert session.scalar(select(Certificate)) is None
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
        assert allocate_numbers(session, 2026, 1) == ["2026-0008"]


def test_past_ten_thousand_numbers_grow_a_digit(database: Database) -> None:
    with database.transaction() as session:
        meeting = morning_meeting(session)
        jane = attendee(session, meeting, "Jane", "Doe", "MD")
        _issue(session, jane.id, meeting.id, "2026-9999", "K7P-3QX")
        assert allocate_numbers(session, 2026, 2) == ["2026-10000", "2026-10001"]


def test_codes_are_short_unambiguous_and_distinct(database: Database) -> None:
    with database.session() as session:
        codes = new_verification_codes(session, 2000)
    assert len(set(codes)) == 2000
    assert all(CODE.match(code) for code in codes)
    assert not set("01ILOU") & set(CODE_ALPHABET)


def test_codes_never_repeat_one_in_the_register(database: Database) -> None:
    with database.transaction() as session:
        meeting = morning_meeting(session)
        jane = attendee(session, meeting, "Jane", "Doe", "MD")
        _issue(session, jane.id, meeting.id, "2026-0001", "K7P-3QX")
        codes = new_verification_codes(session, 500)
    assert "K7P-3QX" not in codes


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7P-3QX", "K7P-3QX"),
        ("k7p3qx", "K7P-3QX"),
        (" k7p 3qx ", "K7P-3QX"),
        ("K7P–3QX", "K7P-3QX"),  # an en dash pasted from the PDF
        ("K7P-3Q", None),
        ("K7P-3QO", None),  # O is never used
        ("K1P-3QX", None),
    ],
)
def test_codes_are_read_as_people_type_them(typed: str, expected: str | None) -> None:
    assert normalize_code(typed) == expected


def test_a_reissue_keeps_number_and_code_and_records_why(database: Database) -> None:
    with database.transaction() as session:
        meeting = morning_meeting(session)
        jane = attendee(session, meeting, "Jane", "Doe", "MD")
        first = _issue(session, jane.id, meeting.id, "2026-0001", "K7P-3QX")
        [again] = record_issued(
            session,
            [
                IssuedRecord(
                    member_id=jane.id,
                    meeting_id=meeting.id,
                    kind=CertificateKind.PHYSICIAN,
                    credits=Decimal("2.75"),
                    hours=Decimal("2.75"),
                    number="2026-0001",
                    verification_code="K7P-3QX",
                    issued_on=date(2026, 3, 10),
                    printed_text={"version": 1, "parts": {"name": "Jane Q. Doe, MD"}},
                    certificate_id=first.id,
                    reissue_reason="middle initial added",
                    reissued_on=date(2026, 5, 2),
                )
            ],
        )
        assert again.id == first.id
        assert (again.number, again.verification_code) == ("2026-0001", "K7P-3QX")
        assert again.credits == Decimal("2.75")
        assert (again.reissue_count, again.last_reissued_on) == (1, date(2026, 5, 2))
        assert again.reissue_reason == "middle initial added"
        assert again.issued_on == date(2026, 3, 10)
        assert session.scalar(select(Certificate.printed_text))["parts"]["name"] == (
            "Jane Q. Doe, MD"
        )
        updates = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "certificates", AuditEntry.action == "update"
            )
        ).all()
        assert updates[-1].old_values["printed_text"]["parts"]["name"] == "Jane Doe, MD"


def _register_of_three_years(session: Session) -> None:
    for year, number in ((2024, "2024-0001"), (2025, "2025-0001"), (2026, "2026-0001")):
        meeting = morning_meeting(session, title=f"Annual Conference {year}", day=date(year, 9, 24))
        person = attendee(session, meeting, "José", "Núñez", "MD", email=f"jose{year}@example.org")
        _issue(
            session,
            person.id,
            meeting.id,
            number,
            f"K7P-{year % 100:02d}X".replace("0", "A").replace("1", "B"),
            issued_on=date(year, 10, 1),
            name="José Núñez, MD",
        )
    other = morning_meeting(session, title="Webinar 2024", day=date(2024, 6, 10))
    someone = attendee(session, other, "Ольга", "Кузнецова", "RN")
    _issue(session, someone.id, other.id, "2024-0002", "QQQ-QQQ", issued_on=date(2024, 6, 20))


def test_resend_my_2024_certificate_is_a_search(database: Database) -> None:
    with database.transaction() as session:
        _register_of_three_years(session)
        found = search_register(session, "jose nunez 2024")
        assert [entry.number for entry in found] == ["2024-0001"]
        assert found[0].meeting_title == "Annual Conference 2024"
        assert [e.number for e in search_register(session, "NÚÑEZ")] == [
            "2026-0001",
            "2025-0001",
            "2024-0001",
        ]
        assert [e.number for e in search_register(session, "", year=2024)] == [
            "2024-0001",
            "2024-0002",
        ]
        assert [e.number for e in search_register(session, "кузнецова")] == ["2024-0002"]
        assert [e.number for e in search_register(session, "qqq qqq")] == ["2024-0002"]
        assert [e.number for e in search_register(session, "2025-0001")] == ["2025-0001"]
        assert search_register(session, "nobody") == []


def test_a_year_word_is_a_filter_not_a_name() -> None:
    query = parse_search("jane doe 2024")
    assert (query.words, query.year) == (("jane", "doe"), 2024)
    assert parse_search("ward 12").words == ("ward", "12")


def test_verification_by_code_or_number(database: Database) -> None:
    with database.transaction() as session:
        _register_of_three_years(session)
        entry = find_certificate(session, "qqq qqq")
        assert entry is not None
        assert entry.number == "2024-0002"
        assert entry.name == "Ольга Кузнецова"
        by_number = find_certificate(session, " 2025-0001 ")
        assert by_number is not None
        assert by_number.printed_name == "José Núñez, MD"
        assert find_certificate(session, "ZZZ-ZZZ") is None
        assert find_certificate(session, "not a code") is None
