"""The register of issued certificates: numbers, verification codes, look-ups and reissues.

Every certificate printed for a meeting is written here with its number (`2026-0042`: the
year of issue and a count that never repeats within it), a short verification code
(`K7P-3QX`) a reader can check, and the exact words printed, so "please resend my 2024
certificate" is a search and a reprint of the same document. Reissuing (a corrected name,
corrected credits) keeps the number and the code and records why. Functions take a
Session and never commit; the caller's transaction makes a batch all-or-nothing.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import AuditEntry, Certificate, CertificateKind, Meeting, Member

__all__ = [
    "CODE_ALPHABET",
    "IssuedRecord",
    "RegisterEntry",
    "allocate_numbers",
    "certificate_by_number",
    "certificates_for_meeting",
    "find_certificate",
    "new_verification_codes",
    "normalize_code",
    "parse_search",
    "record_issued",
    "register_entries",
    "search_register",
]

#: Letters and digits that cannot be mistaken for one another when read aloud or retyped
#: from paper: no 0/O, 1/I/L, and no U (so no accidental words); 30 symbols.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6  # 30**6 = 729 million codes: guessing one is hopeless, reading one is easy
_NUMBER = re.compile(r"^(\d{4})-(\d{4,})$")
_YEAR_WORD = re.compile(r"^(19|20)\d\d$")


def format_code(raw: str) -> str:
    """`K7P3QX` -> `K7P-3QX`: two groups of three, as printed."""
    return f"{raw[:3]}-{raw[3:]}"


def normalize_code(text: str) -> str | None:
    """A code as typed (`k7p 3qx`, `K7P-3QX`, `k7p3qx`) in its printed form, or None if it
    cannot be one of ours. The letters people confuse with our symbols are read as the
    symbol they must have meant (O and Q look alike on paper only one way: O is never used)."""
    letters = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())
    if len(letters) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in letters):
        return None
    return format_code(letters)


def new_verification_codes(session: Session, count: int) -> list[str]:
    """`count` fresh codes, unused in the register and distinct from one another."""
    codes: list[str] = []
    taken: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        candidates = {
            format_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
            for _ in range(wanted)
        } - taken
        used = set(
            session.scalars(
                select(Certificate.verification_code).where(
                    Certificate.verification_code.in_(candidates)
                )
            )
        )
        for code in sorted(candidates - used):
            if len(codes) < count:
                codes.append(code)
                taken.add(code)
        taken.update(used)
    return codes


def _numbers_used(session: Session, year: int) -> list[int]:
    """Every sequence number of `year` ever given, including certificates since deleted
    (the audit trail remembers them), so no number is ever given twice."""
    prefix = f"{year}-"
    current = session.scalars(
        select(Certificate.number).where(Certificate.number.startswith(prefix, autoescape=True))
    ).all()
    deleted = session.scalars(
        select(cast(func.json_extract(AuditEntry.old_values, "$.number"), String)).where(
            AuditEntry.table_name == Certificate.__tablename__,
            AuditEntry.action == "delete",
        )
    ).all()
    sequence: list[int] = []
    for number in (*current, *deleted):
        match = _NUMBER.match(number or "")
        if match and int(match.group(1)) == year:
            sequence.append(int(match.group(2)))
    return sequence


def allocate_numbers(session: Session, year: int, count: int) -> list[str]:
    """The next `count` certificate numbers of `year`: `2026-0001`, `2026-0002`...

    Numbers follow the highest ever given that year; gaps are never filled. Four digits
    until the ten-thousandth certificate of a year, then as many as it takes.
    """
    start = max(_numbers_used(session, year), default=0) + 1
    return [f"{year}-{sequence:04d}" for sequence in range(start, start + count)]


@dataclass(frozen=True)
class IssuedRecord:
    """One certificate just printed, to be written to the register.

    `certificate_id` is set when the person already had a certificate for the meeting:
    the row keeps its number and code and, when `reissue_reason` is given, counts as
    reissued (a reprint of the identical text changes nothing).
    """

    member_id: int
    meeting_id: int
    kind: CertificateKind
    credits: Decimal | None
    hours: Decimal | None
    number: str
    verification_code: str
    issued_on: date
    printed_text: dict[str, Any]
    certificate_id: int | None = None
    reissue_reason: str = ""
    reissued_on: date | None = None


def record_issued(session: Session, records: Iterable[IssuedRecord]) -> list[Certificate]:
    """Write new certificates and reissues to the register (flushes; never commits)."""
    written: list[Certificate] = []
    for record in records:
        if record.certificate_id is None:
            certificate = Certificate(
                number=record.number,
                verification_code=record.verification_code,
                member_id=record.member_id,
                meeting_id=record.meeting_id,
                kind=record.kind,
                credits=record.credits,
                hours=record.hours,
                issued_on=record.issued_on,
                printed_text=record.printed_text,
            )
            session.add(certificate)
        else:
            found = session.get(Certificate, record.certificate_id)
            if found is None:
                raise LookupError(f"certificate {record.certificate_id} is not in the register")
            certificate = found
            if record.reissue_reason:
                certificate.kind = record.kind
                certificate.credits = record.credits
                certificate.hours = record.hours
                certificate.printed_text = record.printed_text
                certificate.reissue_count += 1
                certificate.last_reissued_on = record.reissued_on or record.issued_on
                certificate.reissue_reason = record.reissue_reason
        written.append(certificate)
    session.flush()
    return written


def certificates_for_meeting(session: Session, meeting_id: int) -> dict[int, Certificate]:
    """The register's certificates for a meeting, by member id (the latest if several)."""
    rows = session.scalars(
        select(Certificate).where(Certificate.meeting_id == meeting_id).order_by(Certificate.id)
    )
    return {certificate.member_id: certificate for certificate in rows}


# --- looking up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the register, as the register screen and `certificates verify` show it."""

    id: int
    number: str
    verification_code: str
    member_id: int
    first_name: str
    last_name: str
    credentials: str
    email: str
    meeting_id: int
    meeting_title: str
    meeting_start: date
    meeting_end: date
    kind: CertificateKind
    credits: Decimal | None
    hours: Decimal | None
    issued_on: date
    reissue_count: int
    last_reissued_on: date | None
    reissue_reason: str
    printed_text: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def printed_name(self) -> str:
        """The name as printed on the certificate (it may have been spelled differently)."""
        parts = self.printed_text.get("parts", {})
        name = parts.get("name") if isinstance(parts, dict) else None
        return name if isinstance(name, str) and name else self.name

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "verification_code": self.verification_code,
            "member_id": self.member_id,
            "name": self.name,
            "printed_name": self.printed_name,
            "email": self.email,
            "meeting_id": self.meeting_id,
            "meeting": self.meeting_title,
            "meeting_start": self.meeting_start,
            "meeting_end": self.meeting_end,
            "kind": self.kind.value,
            "credits": self.credits,
            "hours": self.hours,
            "issued_on": self.issued_on,
            "reissue_count": self.reissue_count,
            "last_reissued_on": self.last_reissued_on,
            "reissue_reason": self.reissue_reason,
        }


def _entries(session: Session, *conditions: Any, limit: int | None = None) -> list[RegisterEntry]:
    query = (
        select(Certificate, Member, Meeting)
        .join(Member, Certificate.member_id == Member.id)
        .join(Meeting, Certificate.meeting_id == Meeting.id)
        .where(*conditions)
        .order_by(Certificate.issued_on.desc(), Certificate.number.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        RegisterEntry(
            id=certificate.id,
            number=certificate.number,
            verification_code=certificate.verification_code,
            member_id=member.id,
            first_name=member.first_name,
            last_name=member.last_name,
            credentials=member.credentials,
            email=member.email or "",
            meeting_id=meeting.id,
            meeting_title=meeting.title,
            meeting_start=meeting.start_date,
            meeting_end=meeting.end_date,
            kind=certificate.kind,
            credits=certificate.credits,
            hours=certificate.hours,
            issued_on=certificate.issued_on,
            reissue_count=certificate.reissue_count,
            last_reissued_on=certificate.last_reissued_on,
            reissue_reason=certificate.reissue_reason,
            printed_text=dict(certificate.printed_text or {}),
        )
        for certificate, member, meeting in session.execute(query).all()
    ]


def register_entries(session: Session, certificate_ids: Sequence[int]) -> list[RegisterEntry]:
    """The entries with these ids, in the order given (unknown ids are left out)."""
    found = {e.id: e for e in _entries(session, Certificate.id.in_(list(certificate_ids)))}
    return [found[i] for i in certificate_ids if i in found]


def certificate_by_number(session: Session, number: str) -> RegisterEntry | None:
    entries = _entries(session, Certificate.number == number.strip())
    return entries[0] if entries else None


def find_certificate(session: Session, code_or_number: str) -> RegisterEntry | None:
    """Look up a certificate by its verification code (any spacing or case) or number."""
    text = code_or_number.strip()
    if _NUMBER.match(text):
        return certificate_by_number(session, text)
    code = normalize_code(text)
    if code is None:
        return None
    entries = _entries(session, Certificate.verification_code == code)
    return entries[0] if entries else None


@dataclass(frozen=True)
class RegisterQuery:
    """A search as the user typed it: words to match and, optionally, a year."""

    words: tuple[str, ...]
    year: int | None


def parse_search(text: str) -> RegisterQuery:
    """Split a search: a four-digit year among the words ("jane doe 2024") filters by the
    year of the meeting; the other words must each match the name, email, number, code
    or meeting title."""
    words: list[str] = []
    year: int | None = None
    for word in unicodedata.normalize("NFC", text).split():
        if year is None and _YEAR_WORD.match(word):
            year = int(word)
        else:
            words.append(word)
    return RegisterQuery(tuple(words), year)


def fold(text: str) -> str:
    """Text for matching as a person expects: case and accents ignored ("nguyen" finds
    "Nguyễn", "muller" finds "Müller")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("đ", "d").replace("ø", "o").replace("ł", "l").replace("ß", "ss")


def _haystack(entry: RegisterEntry) -> str:
    return fold(
        " ".join(
            (
                entry.first_name,
                entry.last_name,
                entry.printed_name,
                entry.email,
                entry.number,
                entry.verification_code,
                entry.meeting_title,
            )
        )
    )


def search_register(
    session: Session,
    text: str = "",
    *,
    year: int | None = None,
    meeting_id: int | None = None,
    limit: int = 1000,
) -> list[RegisterEntry]:
    """Certificates matching a search, newest first: "jane doe 2024", "K7P-3QX",
    "2026-0042", "annual conference". `year` (or a year among the words) is the year the
    meeting took place. Every word must appear in the name (as in the database or as
    printed), email, number, code or meeting title; case and accents do not matter."""
    query = parse_search(text)
    year = year if year is not None else query.year
    conditions: list[Any] = []
    if year is not None:
        conditions.append(
            and_(Meeting.start_date >= date(year, 1, 1), Meeting.start_date <= date(year, 12, 31))
        )
    if meeting_id is not None:
        conditions.append(Certificate.meeting_id == meeting_id)
    entries = _entries(session, *conditions)
    words = [fold(word) for word in query.words]
    codes = [normalize_code(word) for word in query.words]
    found: list[RegisterEntry] = []
    for entry in entries:
        haystack = _haystack(entry)
        if all(
            word in haystack or code == entry.verification_code
            for word, code in zip(words, codes, strict=True)
        ):
            found.append(entry)
            if len(found) >= limit:
                break
    return found
