"""Adding, editing, archiving and deleting a person, with every rule a form checks.

A form (or the command line) hands over what was typed as a `MemberDraft`; `check_member`
says, field by field, what is wrong and how each value will be saved ("Pennsylvania" is
saved as PA), without changing anything, so a dialog can show it as the user types. The
verbs re-check and refuse with `DataRefused` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Certificate,
    Employer,
    EmployerType,
    JobRole,
    Member,
    Membership,
    NotDuplicatePair,
    Payment,
    Registration,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.credentials import parse_credentials
from sro_desktop.services.regions import REGION_BY_CODE
from sro_desktop.services.values import (
    ValueProblem,
    clean_text,
    normalize_email,
    normalize_phone,
    parse_date,
    parse_state,
    phone_digits,
)


@dataclass(frozen=True)
class MembersChanged(DataChanged):
    """A change to these people in particular, so a list can rebuild only their rows."""

    member_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class MemberDraft:
    """What was typed into the member form, as typed."""

    first_name: str = ""
    last_name: str = ""
    credentials: str = ""
    email: str = ""
    phone: str = ""
    organization: str = ""
    organization_type: EmployerType | None = None
    job_role: JobRole | None = None
    job_title: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    member_since: str = ""
    notes: str = ""


@dataclass(frozen=True)
class MemberFields:
    """The clean values a draft is saved as."""

    first_name: str
    last_name: str
    credentials: str
    email: str | None
    phone: str
    phone_digits: str
    organization: str | None
    organization_type: EmployerType | None
    job_role: JobRole | None
    job_title: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    country: str
    postal_code: str
    member_since: date | None
    notes: str


@dataclass(frozen=True)
class MemberCheck:
    """The verdict on a draft: problems and hints by field, and the clean values."""

    problems: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    values: MemberFields | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "credentials": "Credentials",
    "email": "Email",
    "phone": "Phone",
    "organization": "Organization",
    "organization_type": "Organization type",
    "job_role": "Role",
    "job_title": "Job title",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "city": "City",
    "state": "State or province",
    "postal_code": "ZIP or postal code",
    "member_since": "Member since",
    "notes": "Notes",
}
_MAX_LENGTH = {
    "first_name": 100,
    "last_name": 100,
    "job_title": 200,
    "address_line1": 200,
    "address_line2": 200,
    "city": 100,
    "postal_code": 20,
    "organization": 200,
    "phone": 40,
    "credentials": 100,
}


def _text(value: str) -> str:
    return clean_text(value) or ""


def check_member(session: Session, draft: MemberDraft, member_id: int | None = None) -> MemberCheck:
    """Check a draft for the person `member_id` (None for a new person)."""
    problems: dict[str, str] = {}
    hints: dict[str, str] = {}
    texts = {name: _text(getattr(draft, name)) for name in _MAX_LENGTH}
    for name in ("first_name", "last_name"):
        if not texts[name]:
            problems[name] = f"{LABELS[name]} is required."
    for name, limit in _MAX_LENGTH.items():
        if len(texts[name]) > limit and name not in problems:
            problems[name] = f"{LABELS[name]} is too long; keep it to {limit} characters."

    email: str | None = None
    try:
        email = normalize_email(draft.email)
    except ValueProblem as problem:
        problems["email"] = f"{problem}."
    if email is not None:
        owner = email_owner(session, email, member_id)
        if owner is not None:
            problems["email"] = (
                f"{email} already belongs to {owner.full_name} (member #{owner.id}"
                f"{', archived' if owner.archived else ''}); two people cannot share an email."
            )
        elif email != draft.email.strip():
            hints["email"] = f"Saved as {email}"

    phone = ""
    try:
        phone = normalize_phone(draft.phone) or ""
    except ValueProblem as problem:
        problems["phone"] = f"{problem}."

    credentials = ""
    try:
        credentials = parse_credentials(draft.credentials) or ""
    except ValueProblem as problem:
        problems["credentials"] = f"{problem}."
    if credentials and credentials != texts["credentials"]:
        hints["credentials"] = f"Saved as {credentials}"
    if len(credentials) > _MAX_LENGTH["credentials"]:
        problems["credentials"] = "Credentials are too long; keep the letters after the name."

    state = ""
    try:
        state = parse_state(draft.state) or ""
    except ValueProblem as problem:
        problems["state"] = f"{problem}."
    if state:
        region = REGION_BY_CODE[state]
        if state != draft.state.strip().upper():
            hints["state"] = f"Saved as {state} ({region.name})"
        else:
            hints["state"] = region.name

    member_since: date | None = None
    try:
        member_since = parse_date(draft.member_since)
    except ValueProblem as problem:
        problems["member_since"] = f"{problem}."

    organization = texts["organization"] or None
    if organization is not None:
        existing = find_employer(session, organization)
        if existing is not None:
            organization = existing.name
            if draft.organization_type not in (None, existing.type):
                hints["organization_type"] = (
                    f"Changes the type of {existing.name} for everyone who works there"
                )
        else:
            hints["organization"] = f"New organization: {organization}"
    elif draft.organization_type is not None:
        problems["organization_type"] = "Give the organization whose type this is."

    if problems:
        return MemberCheck(problems, hints)
    values = MemberFields(
        first_name=texts["first_name"],
        last_name=texts["last_name"],
        credentials=credentials,
        email=email,
        phone=phone,
        phone_digits=phone_digits(phone) if phone else "",
        organization=organization,
        organization_type=draft.organization_type,
        job_role=draft.job_role,
        job_title=texts["job_title"],
        address_line1=texts["address_line1"],
        address_line2=texts["address_line2"],
        city=texts["city"],
        state=state,
        country=REGION_BY_CODE[state].country if state else "US",
        postal_code=texts["postal_code"],
        member_since=member_since,
        notes=(draft.notes or "").strip(),
    )
    return MemberCheck(problems, hints, values)


def email_owner(session: Session, email: str, member_id: int | None = None) -> Member | None:
    """The other person who has `email` (lower-cased already), if anyone."""
    query = select(Member).where(Member.email == email)
    if member_id is not None:
        query = query.where(Member.id != member_id)
    return session.scalars(query.limit(1)).first()


def find_employer(session: Session, name: str) -> Employer | None:
    """The organization called `name`, ignoring case and spacing."""
    folded = " ".join(name.split()).lower()
    return session.scalars(
        select(Employer).where(func.lower(Employer.name) == folded).limit(1)
    ).first()


def _refuse(check: MemberCheck) -> DataRefused:
    name, problem = next(iter(check.problems.items()))
    return DataRefused(f"{LABELS[name]}: {problem}")


def _employer(session: Session, values: MemberFields) -> Employer | None:
    if values.organization is None:
        return None
    employer = find_employer(session, values.organization)
    if employer is None:
        employer = Employer(
            name=values.organization, type=values.organization_type or EmployerType.OTHER
        )
        session.add(employer)
    elif values.organization_type is not None and employer.type != values.organization_type:
        employer.type = values.organization_type
    return employer


def _apply(session: Session, member: Member, values: MemberFields) -> None:
    member.employer = _employer(session, values)
    for name in (
        "first_name",
        "last_name",
        "credentials",
        "email",
        "phone",
        "phone_digits",
        "job_role",
        "job_title",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "country",
        "postal_code",
        "member_since",
        "notes",
    ):
        setattr(member, name, getattr(values, name))


def add_member(session: Session, draft: MemberDraft) -> Member:
    """Add a person; refused (naming the field) when the draft does not pass `check_member`."""
    check = check_member(session, draft)
    if check.values is None:
        raise _refuse(check)
    member = Member(first_name="", last_name="")
    session.add(member)
    _apply(session, member, check.values)
    session.flush()
    return member


def update_member(session: Session, member_id: int, draft: MemberDraft) -> Member:
    """Save the form's values over person `member_id`."""
    member = get_member(session, member_id)
    check = check_member(session, draft, member_id)
    if check.values is None:
        raise _refuse(check)
    _apply(session, member, check.values)
    session.flush()
    return member


def draft_of(member: Member) -> MemberDraft:
    """A person's saved values as the form shows them."""
    values = {
        f.name: getattr(member, f.name)
        for f in fields(MemberDraft)
        if f.name not in ("organization", "organization_type")
    }
    values["organization"] = member.employer.name if member.employer else ""
    values["organization_type"] = member.employer.type if member.employer else None
    values["email"] = member.email or ""
    values["member_since"] = (
        f"{member.member_since:%m/%d/%Y}" if member.member_since is not None else ""
    )
    return MemberDraft(**values)


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise DataRefused(f"There is no member #{member_id}; check the number.")
    return member


def set_archived(session: Session, member_id: int, archived: bool) -> Member:
    """Archive a person (hidden from the list, records kept) or bring them back."""
    member = get_member(session, member_id)
    member.archived = archived
    session.flush()
    return member


@dataclass(frozen=True)
class LinkedRecords:
    """What hangs off a person and must never be lost."""

    payments: int
    registrations: int
    certificates: int

    def describe(self) -> str:
        parts = [
            f"{count} {noun}{'' if count == 1 else 's'}"
            for count, noun in (
                (self.payments, "payment"),
                (self.registrations, "registration"),
                (self.certificates, "certificate"),
            )
            if count
        ]
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]

    def __bool__(self) -> bool:
        return bool(self.payments or self.registrations or self.certificates)


def linked_records(session: Session, member_id: int) -> LinkedRecords:
    def count(model: type[Payment] | type[Registration] | type[Certificate]) -> int:
        return (
            session.scalar(
                select(func.count()).select_from(model).where(model.member_id == member_id)
            )
            or 0
        )

    return LinkedRecords(count(Payment), count(Registration), count(Certificate))


def delete_member(session: Session, member_id: int) -> None:
    """Delete a person with their membership periods; refused when payments, registrations
    or certificates are on record (archive them instead, so the books stay whole)."""
    member = get_member(session, member_id)
    linked = linked_records(session, member_id)
    if linked:
        raise DataRefused(
            f"{member.full_name} has {linked.describe()} on record, so they cannot be "
            "deleted; archive them instead (the records stay and they leave the list)."
        )
    for membership in session.scalars(select(Membership).where(Membership.member_id == member_id)):
        session.delete(membership)
    for pair in session.scalars(
        select(NotDuplicatePair).where(
            (NotDuplicatePair.member_low_id == member_id)
            | (NotDuplicatePair.member_high_id == member_id)
        )
    ):
        session.delete(pair)
    session.flush()
    session.delete(member)
    session.flush()
