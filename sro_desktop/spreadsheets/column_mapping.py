"""Which column of a spreadsheet holds which field: guessed from the headers, corrected by
the user, and remembered for the next file with the same headers.

A header is compared with each field's synonyms after `normalize_header` ("E-mail
Address" -> "email address", "Degree(s)" -> "degree", "Institution / Company" ->
"institution company"). An exact synonym scores 1; a header made of a synonym plus a
word or two ("Primary Email", "Work Phone Number") scores by how much of it the synonym
covers; anything else by spelling similarity ("Emial" for "Email"). Each field takes the
best-scoring column above `MATCH_THRESHOLD`, and no column feeds two fields. A synonym at
the end of a header counts a little more ("Name First" from a two-row header is a first
name, "Email Opt Out" is not an e-mail). A mapping
the user confirmed is stored under a digest of the normalized headers and the import
kind (`ColumnMapping`), and wins over the guess next time.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import ColumnMapping, ImportKind

__all__ = [
    "ATTENDANCE_FIELDS",
    "MATCH_THRESHOLD",
    "MEMBER_FIELDS",
    "REGISTRATION_FIELDS",
    "ColumnMap",
    "Field",
    "fields_for",
    "headers_key",
    "normalize_header",
    "remember_mapping",
    "remembered_mapping",
    "suggest_mapping",
]

MATCH_THRESHOLD: Final = 0.79


_SINGULAR = re.compile(r"\((?:s|es)\)")
_NOT_WORD = re.compile(r"[^\w]+")
_NUMBER_SIGN = re.compile(r"(?<=\w)\s*#|#\s*(?=\w)|^#$")


def normalize_header(text: str) -> str:
    """A header as compared: lower case, no accents, punctuation and "(s)" gone."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _SINGULAR.sub("", text).replace("&", " and ")
    text = _NUMBER_SIGN.sub(" no ", text)
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


@dataclass(frozen=True)
class Field:
    """A field an import can fill, with the headers people give it."""

    key: str
    label: str
    synonyms: tuple[str, ...]


def _field(key: str, label: str, *synonyms: str) -> Field:
    return Field(key, label, tuple(normalize_header(s) for s in (label, *synonyms)))


_PERSON_FIELDS: tuple[Field, ...] = (
    _field("first_name", "First name", "first", "given name", "fname", "forename", "first nm"),
    _field("last_name", "Last name", "last", "surname", "family name", "lname", "last nm"),
    _field(
        "full_name",
        "Full name",
        "name",
        "member name",
        "attendee",
        "attendee name",
        "participant",
        "participant name",
        "registrant",
        "registrant name",
        "contact",
        "contact name",
        "person",
        "your name",
    ),
    _field(
        "credentials",
        "Credentials",
        "credential",
        "degree",
        "degrees",
        "designation",
        "designations",
        "professional credentials",
        "post nominals",
        "letters after name",
        "suffix",
    ),
    _field(
        "email",
        "Email",
        "email address",
        "e mail",
        "e mail address",
        "mail",
        "email addr",
        "work email",
        "primary email",
        "emailaddress",
    ),
)

MEMBER_FIELDS: tuple[Field, ...] = (
    *_PERSON_FIELDS,
    _field(
        "phone",
        "Phone",
        "phone number",
        "telephone",
        "tel",
        "work phone",
        "office phone",
        "mobile",
        "cell",
        "cell phone",
        "phone no",
    ),
    _field(
        "organization",
        "Organization",
        "organisation",
        "institution",
        "company",
        "employer",
        "institution company",
        "company institution",
        "organization institution",
        "affiliation",
        "hospital",
        "org",
        "organization name",
        "company name",
    ),
    _field("job_title", "Job title", "title", "position", "job", "position title"),
    _field("job_role", "Job role", "role", "function", "role type"),
    _field(
        "address_line1",
        "Address",
        "address 1",
        "address line 1",
        "street",
        "street address",
        "mailing address",
        "address1",
    ),
    _field("address_line2", "Address line 2", "address 2", "suite", "address2", "apt"),
    _field("city", "City", "town"),
    _field("state", "State", "st", "province", "state province", "state prov", "region"),
    _field(
        "postal_code",
        "ZIP code",
        "zip",
        "postal code",
        "postcode",
        "zip postal code",
        "zipcode",
        "zip code postal code",
    ),
    _field("country", "Country"),
    _field(
        "member_since",
        "Member since",
        "joined",
        "join date",
        "date joined",
        "since",
        "first joined",
        "joined on",
        "membership since",
    ),
    _field("notes", "Notes", "note", "comments", "comment", "remarks"),
    _field(
        "membership_type",
        "Membership type",
        "member type",
        "type",
        "membership",
        "membership level",
        "level",
        "membership category",
        "dues category",
        "category",
    ),
    _field("membership_year", "Membership year", "year", "dues year", "member year"),
    _field(
        "membership_end",
        "Paid through",
        "expires",
        "expiration",
        "expiration date",
        "expiry",
        "expiry date",
        "valid through",
        "valid until",
        "renewal date",
        "renewal",
        "membership expires",
        "end date",
        "dues paid through",
    ),
    _field(
        "dues_paid",
        "Dues paid",
        "dues",
        "amount paid",
        "paid",
        "dues amount",
        "payment",
        "amount",
        "payment amount",
    ),
    _field("paid_on", "Date paid", "paid on", "payment date", "date of payment", "paid date"),
    _field("payment_method", "Payment method", "method", "paid by", "payment type"),
    _field(
        "payment_reference",
        "Check number",
        "check",
        "check no",
        "reference",
        "ref",
        "transaction id",
        "confirmation",
    ),
)

REGISTRATION_FIELDS: tuple[Field, ...] = (
    *_PERSON_FIELDS,
    _field(
        "organization",
        "Organization",
        "organisation",
        "institution",
        "company",
        "employer",
        "affiliation",
    ),
    _field(
        "category",
        "Category",
        "registration category",
        "registration type",
        "ticket",
        "ticket type",
        "rate",
        "attendee type",
        "type",
    ),
    _field("fee", "Fee", "price", "cost", "registration fee", "amount", "amount due", "total"),
    _field(
        "paid",
        "Paid",
        "amount paid",
        "payment",
        "paid amount",
        "payment status",
        "payment received",
    ),
    _field(
        "registered_at",
        "Registered on",
        "registration date",
        "date",
        "submitted",
        "submitted at",
        "timestamp",
        "date registered",
        "order date",
    ),
)

ATTENDANCE_FIELDS: tuple[Field, ...] = (
    *_PERSON_FIELDS,
    _field(
        "signed_in",
        "Signed in",
        "present",
        "attended",
        "signature",
        "sign in",
        "initials",
        "here",
        "checked in",
    ),
    _field("joined_at", "Arrived", "arrival", "time in", "join time", "in", "check in time"),
    _field("left_at", "Left", "departure", "time out", "leave time", "out", "check out time"),
)

_FIELDS: Final = {
    ImportKind.MEMBERS: MEMBER_FIELDS,
    ImportKind.REGISTRATIONS: REGISTRATION_FIELDS,
    ImportKind.ATTENDANCE: ATTENDANCE_FIELDS,
}


def fields_for(kind: ImportKind) -> tuple[Field, ...]:
    return _FIELDS[kind]


@dataclass(frozen=True)
class ColumnMap:
    """Which header feeds which field (headers not listed are not imported).

    `source` says where the mapping came from: "guessed", "remembered" or "chosen".
    """

    fields: Mapping[str, str]  # header -> field key
    source: str = "guessed"

    def column_of(self, headers: Sequence[str], field_key: str) -> int | None:
        """The 0-based position of the column feeding `field_key`, or None."""
        for index, header in enumerate(headers):
            if self.fields.get(header) == field_key:
                return index
        return None

    def header_of(self, field_key: str) -> str | None:
        for header, key in self.fields.items():
            if key == field_key:
                return header
        return None


def _score(header: str, field: Field) -> float:
    if not header:
        return 0.0
    best = 0.0
    header_words = header.split()
    compact = header.replace(" ", "")
    for synonym in field.synonyms:
        if header == synonym or compact == synonym.replace(" ", ""):
            return 1.0
        words = synonym.split()
        if len(words) < len(header_words) and _contains(header_words, words):
            # The last words of a header name it best: "Name First" (a two-row header
            # "Name" over "First"), "Primary Email"; "Email Opt Out" is about something else.
            ending = 0.05 if header_words[-len(words) :] == words else 0.0
            best = max(best, 0.7 + 0.25 * len(words) / len(header_words) + ending)
        elif len(compact) >= 4:
            matcher = SequenceMatcher(None, compact, synonym.replace(" ", ""))
            # The quick ratios are upper bounds of the ratio: skip it when it cannot win.
            if matcher.real_quick_ratio() * 0.99 > best and matcher.quick_ratio() * 0.99 > best:
                best = max(best, matcher.ratio() * 0.99)
    return best


def _contains(words: list[str], part: list[str]) -> bool:
    """Whether `part` appears in `words` as consecutive words."""
    size = len(part)
    return any(words[i : i + size] == part for i in range(len(words) - size + 1))


def suggest_mapping(headers: Sequence[str], kind: ImportKind) -> ColumnMap:
    """The best guess from the headers alone."""
    fields = fields_for(kind)
    scored: list[tuple[float, int, str, str]] = []
    for position, header in enumerate(headers):
        normalized = normalize_header(header)
        scores = [(_score(normalized, field), field.key) for field in fields]
        # A header naming one field exactly ("E-mail Address") is never a loose match
        # for another ("Address"), even when its own field is taken.
        exact = any(score == 1.0 for score, _key in scores)
        for score, key in scores:
            if score >= MATCH_THRESHOLD and (score == 1.0 or not exact):
                scored.append((score, -position, header, key))
    scored.sort(reverse=True)
    taken_fields: set[str] = set()
    chosen: dict[str, str] = {}
    for _score_value, _position, header, key in scored:
        if key in taken_fields or header in chosen:
            continue
        chosen[header] = key
        taken_fields.add(key)
    # A full name column is only wanted when first and last names are not there.
    if "first_name" in taken_fields and "last_name" in taken_fields:
        chosen = {h: k for h, k in chosen.items() if k != "full_name"}
    ordered = {header: chosen[header] for header in headers if header in chosen}
    return ColumnMap(ordered, "guessed")


#: The fields that say who a row is about: a mapping with none of them imports no one.
WHO_FIELDS: Final = frozenset({"first_name", "last_name", "full_name", "email"})


def says_who(mapping: ColumnMap) -> bool:
    """Whether some column is taken as a name or an e-mail address."""
    return not WHO_FIELDS.isdisjoint(mapping.fields.values())


def headers_key(headers: Sequence[str], kind: ImportKind) -> str:
    """A stable digest of the normalized headers and the import kind."""
    text = "\x1f".join([kind.value, *(normalize_header(h) for h in headers)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remembered_mapping(
    session: Session, headers: Sequence[str], kind: ImportKind
) -> ColumnMap | None:
    """The mapping confirmed for a file with these headers before, if still usable."""
    stored = session.scalar(
        select(ColumnMapping).where(ColumnMapping.headers_key == headers_key(headers, kind))
    )
    if stored is None:
        return None
    known = {field.key for field in fields_for(kind)}
    fields = {
        header: key
        for header, key in stored.mapping.items()
        if header in headers and isinstance(key, str) and key in known
    }
    return ColumnMap(fields, "remembered")


def remember_mapping(
    session: Session, headers: Sequence[str], kind: ImportKind, mapping: ColumnMap
) -> None:
    """Store `mapping` for files with these headers (replacing what was stored)."""
    key = headers_key(headers, kind)
    stored = session.scalar(select(ColumnMapping).where(ColumnMapping.headers_key == key))
    if stored is None:
        session.add(ColumnMapping(kind=kind, headers_key=key, mapping=dict(mapping.fields)))
    else:
        stored.mapping = dict(mapping.fields)


def choose_mapping(session: Session, headers: Sequence[str], kind: ImportKind) -> ColumnMap:
    """The remembered mapping for these headers, else the guess."""
    return remembered_mapping(session, headers, kind) or suggest_mapping(headers, kind)


def with_changes(mapping: ColumnMap, changes: Mapping[str, str | None]) -> ColumnMap:
    """`mapping` with some headers set to another field (or to none); a field taken
    from another header moves."""
    fields = dict(mapping.fields)
    for header, key in changes.items():
        if key is None:
            fields.pop(header, None)
            continue
        for other, other_key in list(fields.items()):
            if other_key == key and other != header:
                del fields[other]
        fields[header] = key
    return ColumnMap(fields, "chosen")
