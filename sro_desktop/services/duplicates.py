"""Finding people entered twice, and merging two records of one person into one.

A pair is scored with a weighted rule: each of first name, last name, email, phone digits
and organization that matches adds its weight (a near match, such as "Rob" for "Robert"
or the same mailbox at another domain, adds half), and pairs at or above the threshold
are reported. Only pairs that share an email mailbox, a phone number, a full name, or a
name and an organization are scored at all, so a roster of 100,000 is not compared
person by person. Pairs the user marked "not a duplicate" are remembered and not shown
again.

A merge keeps one record: every membership, payment, registration and certificate of the
other moves to it, the user chooses field by field which value to keep, and the other
record is deleted.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Certificate,
    Employer,
    Member,
    Membership,
    NotDuplicatePair,
    Payment,
    Registration,
    RegistrationStatus,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.member_editing import get_member, linked_records
from sro_desktop.services.members import fold

# Keys shared by more people than this say nothing about any two of them ("Smith").
MAX_BLOCK = 1000
_NOT_LETTERS = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class DuplicateRule:
    """How much each matching field counts, and the score at which a pair is reported."""

    first_name: float = 2.0
    last_name: float = 3.0
    email: float = 4.0
    phone: float = 3.0
    organization: float = 1.0
    threshold: float = 6.0


@dataclass(frozen=True)
class PersonKey:
    """What scoring reads of a person, folded for comparing."""

    id: int
    first: str
    last: str
    email: str
    mailbox: str
    phone: str
    employer_id: int | None
    organization: str


@dataclass(frozen=True)
class DuplicatePair:
    """Two people who look like one, with the score and the fields that matched."""

    first_id: int
    second_id: int
    score: float
    reasons: tuple[str, ...]


def _name(text: str | None) -> str:
    return _NOT_LETTERS.sub("", fold(text))


def person_key(
    member_id: int,
    first_name: str,
    last_name: str,
    email: str | None,
    phone_digits: str,
    employer_id: int | None,
    organization: str | None,
) -> PersonKey:
    email = (email or "").lower()
    return PersonKey(
        id=member_id,
        first=_name(first_name),
        last=_name(last_name),
        email=email,
        mailbox=email.partition("@")[0] if "@" in email else "",
        phone=phone_digits[-10:] if len(phone_digits) >= 7 else "",
        employer_id=employer_id,
        organization=_name(organization),
    )


def _first_names_match(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return 0.5 if a.startswith(b) or b.startswith(a) else 0.0


def score_pair(a: PersonKey, b: PersonKey, rule: DuplicateRule) -> tuple[float, tuple[str, ...]]:
    """The weighted score of a pair and the reasons, such as ("same email", "same phone")."""
    score = 0.0
    reasons: list[str] = []

    def add(weight: float, share: float, reason: str) -> None:
        nonlocal score
        if share > 0 and weight > 0:
            score += weight * share
            reasons.append(reason)

    first = _first_names_match(a.first, b.first)
    add(rule.first_name, first, "same first name" if first == 1 else "similar first name")
    add(rule.last_name, 1.0 if a.last and a.last == b.last else 0.0, "same last name")
    if a.email and a.email == b.email:
        add(rule.email, 1.0, "same email")
    elif len(a.mailbox) >= 3 and a.mailbox == b.mailbox:
        add(rule.email, 0.5, "same mailbox at another domain")
    add(rule.phone, 1.0 if a.phone and a.phone == b.phone else 0.0, "same phone")
    same_org = (a.employer_id is not None and a.employer_id == b.employer_id) or (
        bool(a.organization) and a.organization == b.organization
    )
    add(rule.organization, 1.0 if same_org else 0.0, "same organization")
    return round(score, 2), tuple(reasons)


def _blocks(people: list[PersonKey]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        keys = []
        if len(person.mailbox) >= 3:
            keys.append(f"m:{person.mailbox}")
        if person.phone:
            keys.append(f"p:{person.phone}")
        if person.first and person.last:
            keys.append(f"n:{person.first}|{person.last}")
        org = person.employer_id if person.employer_id is not None else person.organization
        if org:
            if person.last:
                keys.append(f"lo:{person.last}|{org}")
            if person.first:
                keys.append(f"fo:{person.first}|{org}")
        for key in keys:
            blocks[key].append(index)
    return blocks


Progress = Callable[[int, int], None]


def find_duplicates(
    session: Session,
    rule: DuplicateRule | None = None,
    *,
    progress: Progress | None = None,
) -> list[DuplicatePair]:
    """Likely duplicates among people not archived, highest score first.

    `progress(done, total)` is called now and then; it may raise to stop the search."""
    rule = rule or DuplicateRule()
    rows = session.execute(
        select(
            Member.id,
            Member.first_name,
            Member.last_name,
            Member.email,
            Member.phone_digits,
            Member.employer_id,
            Employer.name,
        )
        .outerjoin(Employer, Employer.id == Member.employer_id)
        .where(Member.archived.is_(False))
        .order_by(Member.id)
    )
    people = [person_key(*row) for row in rows]
    ignored = {
        (low, high)
        for low, high in session.execute(
            select(NotDuplicatePair.member_low_id, NotDuplicatePair.member_high_id)
        )
    }
    blocks = [b for b in _blocks(people).values() if 1 < len(b) <= MAX_BLOCK]
    seen: set[tuple[int, int]] = set()
    found: list[DuplicatePair] = []
    for done, block in enumerate(blocks):
        if progress is not None and done % 200 == 0:
            progress(done, len(blocks))
        for i, j in itertools.combinations(block, 2):
            a, b = people[i], people[j]
            pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
            if pair in seen or pair in ignored:
                continue
            seen.add(pair)
            score, reasons = score_pair(a, b, rule)
            if score >= rule.threshold:
                found.append(DuplicatePair(pair[0], pair[1], score, reasons))
    if progress is not None:
        progress(len(blocks), len(blocks))
    found.sort(key=lambda p: (-p.score, p.first_id, p.second_id))
    return found


def mark_not_duplicate(session: Session, first_id: int, second_id: int) -> None:
    """Remember that two people are different, so they are not suggested again."""
    if first_id == second_id:
        raise DataRefused("A person cannot be a duplicate of themselves.")
    get_member(session, first_id)
    get_member(session, second_id)
    low, high = sorted((first_id, second_id))
    exists = session.scalar(
        select(NotDuplicatePair.id).where(
            NotDuplicatePair.member_low_id == low, NotDuplicatePair.member_high_id == high
        )
    )
    if exists is None:
        session.add(NotDuplicatePair(member_low_id=low, member_high_id=high))
        session.flush()


# --- merging ----------------------------------------------------------------------------

Choice = Literal["keep", "other", "both"]

# The fields a merge lets the user choose, with the columns each one carries.
MERGE_FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "credentials": ("credentials",),
    "email": ("email",),
    "phone": ("phone", "phone_digits"),
    "organization": ("employer_id",),
    "job_role": ("job_role",),
    "job_title": ("job_title",),
    "address": ("address_line1", "address_line2", "city", "state", "postal_code", "country"),
    "member_since": ("member_since",),
    "notes": ("notes",),
}
MERGE_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "credentials": "Credentials",
    "email": "Email",
    "phone": "Phone",
    "organization": "Organization",
    "job_role": "Role",
    "job_title": "Job title",
    "address": "Address",
    "member_since": "Member since",
    "notes": "Notes",
}


def merge_field_text(member: Member, name: str) -> str:
    """A merge field of a person as the side-by-side view shows it."""
    if name == "organization":
        return member.employer.name if member.employer else ""
    if name == "job_role":
        return member.job_role.label if member.job_role else ""
    if name == "address":
        parts = [member.address_line1, member.address_line2, member.city]
        region = " ".join(p for p in (member.state, member.postal_code) if p)
        return ", ".join(p for p in [*parts, region] if p)
    if name == "member_since":
        return f"{member.member_since:%m/%d/%Y}" if member.member_since else ""
    value = getattr(member, MERGE_FIELDS[name][0])
    return "" if value is None else str(value)


def default_choices(keep: Member, other: Member) -> dict[str, Choice]:
    """Keep's values, except where keep has none and the other has one; the earlier
    member-since date; both sets of notes."""
    choices: dict[str, Choice] = {}
    for name in MERGE_FIELDS:
        mine, theirs = merge_field_text(keep, name), merge_field_text(other, name)
        choices[name] = "other" if not mine and theirs else "keep"
    if keep.member_since and other.member_since and other.member_since < keep.member_since:
        choices["member_since"] = "other"
    if keep.notes.strip() and other.notes.strip() and keep.notes.strip() != other.notes.strip():
        choices["notes"] = "both"
    return choices


@dataclass(frozen=True)
class MergeResult:
    kept_id: int
    removed_id: int
    memberships: int
    payments: int
    registrations: int
    certificates: int

    def summary(self) -> str:
        moved = ", ".join(
            f"{count} {noun}{'' if count == 1 else 's'}"
            for count, noun in (
                (self.memberships, "membership period"),
                (self.payments, "payment"),
                (self.registrations, "registration"),
                (self.certificates, "certificate"),
            )
        )
        return f"Merged member #{self.removed_id} into #{self.kept_id}, moving {moved}"


_STATUS_RANK = {
    RegistrationStatus.REGISTERED: 0,
    RegistrationStatus.WAITLISTED: 1,
    RegistrationStatus.CANCELLED: 2,
}


def check_merge(
    session: Session,
    keep_id: int,
    other_id: int,
    choices: Mapping[str, Choice] | None = None,
) -> tuple[Member, Member]:
    """The two people, if `merge_members` would merge them; else its refusal is raised.
    Nothing changes: a caller backing up before a merge asks this first, so a merge that
    is refused leaves no backup behind."""
    if keep_id == other_id:
        raise DataRefused("Choose two different people to merge.")
    keep = get_member(session, keep_id)
    other = get_member(session, other_id)
    unknown = set(choices or {}) - set(MERGE_FIELDS)
    if unknown:
        raise DataRefused(
            f"There is no field {', '.join(sorted(unknown))} to merge; use "
            f"{', '.join(MERGE_FIELDS)}."
        )
    _refuse_certificate_clash(session, keep, other)
    return keep, other


def merge_members(
    session: Session,
    keep_id: int,
    other_id: int,
    choices: Mapping[str, Choice] | None = None,
) -> MergeResult:
    """Merge person `other_id` into `keep_id` and delete `other_id`.

    `choices` says, per field of `MERGE_FIELDS`, whose value stays ("keep" or "other";
    "both" for notes); fields left out follow `default_choices`. Two registrations for the
    same meeting become one (the better standing one, with the attendance and payments of
    both). Two certificates of one kind for the same meeting cannot both stay, so that is
    refused before anything changes (see `check_merge`)."""
    keep, other = check_merge(session, keep_id, other_id, choices)
    chosen = {**default_choices(keep, other), **(choices or {})}

    taken = {name for name, choice in chosen.items() if choice == "other"}
    if "email" in taken:
        email, other.email = other.email, None
        session.flush()
        keep.email = email
    for name in taken - {"email"}:
        for column in MERGE_FIELDS[name]:
            setattr(keep, column, getattr(other, column))
    if chosen.get("notes") == "both":
        keep.notes = "\n\n".join(n.strip() for n in (keep.notes, other.notes) if n.strip())
    session.flush()

    memberships = list(session.scalars(select(Membership).where(Membership.member_id == other_id)))
    for membership in memberships:
        membership.member_id = keep_id
    payments = list(session.scalars(select(Payment).where(Payment.member_id == other_id)))
    for payment in payments:
        payment.member_id = keep_id
    session.flush()
    registrations = _move_registrations(session, keep_id, other_id)
    certificates = list(
        session.scalars(select(Certificate).where(Certificate.member_id == other_id))
    )
    for certificate in certificates:
        certificate.member_id = keep_id
    _move_not_duplicate_pairs(session, keep_id, other_id)
    session.flush()
    session.expire(other, ["memberships"])
    session.delete(other)
    session.flush()
    return MergeResult(
        keep_id, other_id, len(memberships), len(payments), registrations, len(certificates)
    )


def _refuse_certificate_clash(session: Session, keep: Member, other: Member) -> None:
    mine = {
        (c.meeting_id, c.kind): c
        for c in session.scalars(select(Certificate).where(Certificate.member_id == keep.id))
    }
    for theirs in session.scalars(select(Certificate).where(Certificate.member_id == other.id)):
        clash = mine.get((theirs.meeting_id, theirs.kind))
        if clash is not None:
            raise DataRefused(
                f"{keep.full_name} and {other.full_name} each hold a {theirs.kind.label.lower()} "
                f"for {theirs.meeting.title} (numbers {clash.number} and {theirs.number}); "
                "one person can hold only one, so they cannot be merged until one is withdrawn."
            )


def _move_registrations(session: Session, keep_id: int, other_id: int) -> int:
    mine = {
        r.meeting_id: r
        for r in session.scalars(select(Registration).where(Registration.member_id == keep_id))
    }
    moved = 0
    for theirs in list(
        session.scalars(select(Registration).where(Registration.member_id == other_id))
    ):
        moved += 1
        clash = mine.get(theirs.meeting_id)
        if clash is None:
            theirs.member_id = keep_id
            continue
        survivor, loser = sorted(
            (clash, theirs), key=lambda r: (_STATUS_RANK[r.status], r.registered_at)
        )
        _fold_registration(session, survivor, loser)
        if survivor is theirs:
            session.flush()
            survivor.member_id = keep_id
    session.flush()
    return moved


def _fold_registration(session: Session, survivor: Registration, loser: Registration) -> None:
    """Move the loser's attendance and payments to the survivor, then delete the loser."""
    sessions = {a.session_id for a in survivor.session_attendance}
    for attendance in list(loser.session_attendance):
        if attendance.session_id in sessions:
            loser.session_attendance.remove(attendance)  # an orphan, deleted at the flush
        else:
            attendance.registration = survivor
    for interval in list(loser.intervals):
        interval.registration = survivor
    for payment in session.scalars(select(Payment).where(Payment.registration_id == loser.id)):
        payment.registration_id = survivor.id
    times = [t for t in (survivor.checked_in_at, loser.checked_in_at) if t is not None]
    if times:
        survivor.checked_in_at = min(times)
    session.flush()
    session.delete(loser)
    session.flush()


def _move_not_duplicate_pairs(session: Session, keep_id: int, other_id: int) -> None:
    pairs = list(
        session.scalars(
            select(NotDuplicatePair).where(
                or_(
                    NotDuplicatePair.member_low_id == other_id,
                    NotDuplicatePair.member_high_id == other_id,
                )
            )
        )
    )
    existing = {
        (p.member_low_id, p.member_high_id)
        for p in session.scalars(
            select(NotDuplicatePair).where(
                or_(
                    NotDuplicatePair.member_low_id == keep_id,
                    NotDuplicatePair.member_high_id == keep_id,
                )
            )
        )
    }
    for pair in pairs:
        partner = pair.member_high_id if pair.member_low_id == other_id else pair.member_low_id
        low, high = sorted((keep_id, partner))
        if partner == keep_id or (low, high) in existing:
            session.delete(pair)
        else:
            pair.member_low_id, pair.member_high_id = low, high
            existing.add((low, high))


@dataclass(frozen=True)
class MergeCandidate:
    """One side of a pair as the side-by-side view shows it."""

    id: int
    name: str
    fields: dict[str, str]
    memberships: int
    payments: int
    registrations: int
    certificates: int

    @property
    def history(self) -> int:
        return self.memberships + self.payments + self.registrations + self.certificates

    def describe_history(self) -> str:
        return ", ".join(
            f"{count} {noun}{'' if count == 1 else 's'}"
            for count, noun in (
                (self.memberships, "membership"),
                (self.payments, "payment"),
                (self.registrations, "registration"),
                (self.certificates, "certificate"),
            )
        )


def merge_candidate(session: Session, member_id: int) -> MergeCandidate:
    member = get_member(session, member_id)
    linked = linked_records(session, member_id)
    periods = session.scalar(
        select(func.count()).select_from(Membership).where(Membership.member_id == member_id)
    )
    return MergeCandidate(
        id=member.id,
        name=member.full_name,
        fields={name: merge_field_text(member, name) for name in MERGE_FIELDS},
        memberships=periods or 0,
        payments=linked.payments,
        registrations=linked.registrations,
        certificates=linked.certificates,
    )
