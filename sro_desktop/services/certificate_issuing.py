"""Who gets which certificate for a meeting, with what credit, and what stops the printing.

The plan comes before any PDF: the meeting's accreditation facts are checked (no physician
certificate without an accredited provider and a designated maximum), each registrant's
attended time and credit come from the attendance service, people with no attendance or
nothing to certify are listed rather than given a certificate, and anything that would
make a certificate wrong (credit above the maximum, a name missing) is a problem the user
sees before anything prints. No files and no PDF here: `documents.issue_batch` turns a
plan into pages and writes the register.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    Certificate,
    CertificateKind,
    CreditType,
    Meeting,
    MeetingFormat,
    Member,
    OrganizationSettings,
    RegistrationStatus,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.attendance import AttendeeCredit, attendance_summary
from sro_desktop.services.certificate_register import certificates_for_meeting
from sro_desktop.services.credentials import is_physician

__all__ = [
    "CertificatePlan",
    "MeetingChoice",
    "MeetingFacts",
    "NotEligible",
    "Organization",
    "PlannedCertificate",
    "learning_format",
    "meeting_choices",
    "meeting_location",
    "organization",
    "plan_certificates",
]

_QUARTER = Decimal("0.25")

#: The AMA learning format printed in the designation statement. All of our meeting
#: formats are live activities: a webinar is "internet live", still a live activity.
LEARNING_FORMATS = {
    MeetingFormat.IN_PERSON: "live activity",
    MeetingFormat.WEBINAR: "live activity",
    MeetingFormat.HYBRID: "live activity",
}


def learning_format(meeting_format: MeetingFormat) -> str:
    return LEARNING_FORMATS.get(meeting_format, "live activity")


def meeting_location(meeting: Meeting) -> str:
    """Where it took place, as printed: the venue, "Online" for a webinar, and both for a
    hybrid meeting (its online attendees were not at the venue)."""
    venue = " ".join(meeting.venue.split())
    if meeting.format is MeetingFormat.WEBINAR:
        return "Online"
    if meeting.format is MeetingFormat.HYBRID:
        return f"{venue} and online" if venue else "Online"
    return venue


@dataclass(frozen=True)
class Organization:
    """What certificates print about the organization (read without creating the row)."""

    name: str
    logo: bytes | None
    signature: bytes | None
    signatory_name: str
    signatory_title: str
    accredited_provider: bool


def organization(session: Session) -> Organization:
    settings = session.scalars(select(OrganizationSettings).limit(1)).first()
    if settings is None:
        return Organization("", None, None, "", "", False)
    return Organization(
        name=" ".join(settings.name.split()),
        logo=settings.logo,
        signature=settings.signature,
        signatory_name=settings.signatory_name.strip(),
        signatory_title=settings.signatory_title.strip(),
        accredited_provider=settings.accredited_provider,
    )


@dataclass(frozen=True)
class MeetingFacts:
    """The meeting as certificates print it."""

    id: int
    title: str
    format: MeetingFormat
    credit_type: CreditType
    start_date: date
    end_date: date
    learning_format: str
    location: str
    provider: str  # the ACCME-accredited provider; "" when none
    joint_providership: bool
    max_credits: Decimal | None
    organization_name: str

    @property
    def year(self) -> int:
        return self.start_date.year


@dataclass(frozen=True)
class PlannedCertificate:
    """One person who gets a certificate, and what it will say about their attendance.

    `existing_*` describe the certificate already in the register for this person and
    meeting (printing again keeps its number and code)."""

    member_id: int
    registration_id: int
    first_name: str
    last_name: str
    credentials: str
    email: str
    kind: CertificateKind
    minutes: int
    hours: Decimal | None
    credits: Decimal | None
    existing_id: int | None = None
    existing_number: str | None = None
    existing_code: str | None = None
    existing_issued_on: date | None = None
    existing_reissued_on: date | None = None
    existing_text: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        return " ".join(f"{self.first_name} {self.last_name}".split())


@dataclass(frozen=True)
class NotEligible:
    """A registrant who gets no certificate, and why (listed for the user, not printed)."""

    member_id: int
    name: str
    credentials: str
    reason: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class CertificatePlan:
    meeting: MeetingFacts
    certificates: list[PlannedCertificate] = field(default_factory=list)
    not_eligible: list[NotEligible] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # nothing prints while there are any

    @property
    def can_print(self) -> bool:
        return not self.problems and bool(self.certificates)

    def count(self, kind: CertificateKind) -> int:
        return sum(1 for planned in self.certificates if planned.kind is kind)


def _amount(amount: Decimal) -> str:
    text = f"{amount.quantize(Decimal('0.01')):.2f}"
    return text[:-1] if text.endswith("0") else text


def _meeting_facts(meeting: Meeting, org: Organization) -> MeetingFacts:
    provider = " ".join(meeting.accredited_provider.split())
    if not provider and org.accredited_provider and not meeting.joint_providership:
        provider = org.name
    return MeetingFacts(
        id=meeting.id,
        title=" ".join(meeting.title.split()),
        format=meeting.format,
        credit_type=meeting.credit_type,
        start_date=meeting.start_date,
        end_date=meeting.end_date,
        learning_format=learning_format(meeting.format),
        location=meeting_location(meeting),
        provider=provider,
        joint_providership=meeting.joint_providership,
        max_credits=meeting.max_credits,
        organization_name=org.name,
    )


def _meeting_problems(facts: MeetingFacts, org: Organization, today: date) -> list[str]:
    """What is wrong with the meeting itself; any of these stops the whole batch."""
    problems: list[str] = []
    if facts.credit_type is CreditType.NONE:
        problems.append(
            f"“{facts.title}” is set to offer no credit, so it has no certificates. To print "
            "certificates of attendance, set its credit to “Attendance hours only” on the "
            "Meetings page."
        )
    if facts.end_date > today:
        problems.append(
            f"“{facts.title}” has not ended yet (it ends {facts.end_date:%B} "
            f"{facts.end_date.day}, {facts.end_date.year}); certificates are printed after "
            "the meeting."
        )
    if not org.name:
        problems.append(
            "The organization has no name yet; certificates print it at the top. Add it in "
            "Settings."
        )
    if facts.credit_type is not CreditType.AMA_PRA_1:
        return problems
    if not facts.provider:
        problems.append(
            f"“{facts.title}” offers AMA PRA Category 1 Credit™ but names no accredited "
            "provider (the ACCME-accredited organization that designated it for credit); "
            "add the provider on the Meetings page."
        )
    if facts.max_credits is None or facts.max_credits <= 0:
        problems.append(
            f"“{facts.title}” offers AMA PRA Category 1 Credit™ but has no maximum number of "
            "credits, which the designation statement must state; add it on the Meetings "
            "page."
        )
    elif facts.max_credits % _QUARTER:
        problems.append(
            f"The maximum credits of “{facts.title}” ({_amount(facts.max_credits)}) must be "
            "in quarter credits (0.25, 0.5, 0.75…); correct it on the Meetings page."
        )
    if facts.joint_providership and facts.provider and facts.provider == org.name:
        problems.append(
            f"“{facts.title}” is marked as jointly provided, but its accredited provider is "
            "the organization itself; name the other (accredited) organization as provider, "
            "or untick joint providership on the Meetings page."
        )
    return problems


def _kind(credit_type: CreditType, credentials: str) -> CertificateKind:
    if credit_type is CreditType.AMA_PRA_1:
        return (
            CertificateKind.PHYSICIAN
            if is_physician(credentials)
            else CertificateKind.PARTICIPATION
        )
    return CertificateKind.ATTENDANCE


def _not_eligible_reason(person: AttendeeCredit, kind: CertificateKind) -> str | None:
    """Why this person gets no certificate, or None if they get one."""
    waitlisted = person.status is RegistrationStatus.WAITLISTED
    if not person.attended:
        return (
            "On the waitlist; no attendance recorded."
            if waitlisted
            else ("No attendance recorded.")
        )
    physician = kind is CertificateKind.PHYSICIAN
    amount = person.credits if physician else person.hours
    if amount > 0:
        return None
    if person.overridden and (physician or person.credit_type is CreditType.ATTENDANCE):
        why = f" ({person.override_reason})" if person.override_reason else ""
        return f"Credit set to 0 by hand{why}."
    if person.minutes <= 0:
        return (
            "Checked in, but no time in credit-eligible sessions is recorded."
            if person.checked_in
            else "No time in credit-eligible sessions is recorded."
        )
    unit = "a quarter credit" if physician else "a quarter hour"
    return (
        f"Attended {person.minutes} minutes of credit-eligible time, less than the 15 "
        f"minutes of {unit}: 0 {'credits' if physician else 'hours'}."
    )


def _planned(
    plan: CertificatePlan, person: AttendeeCredit, previous: Certificate | None
) -> PlannedCertificate | None:
    """The person's certificate, or None after listing them as not eligible; any rule
    their figures break is added to the plan's problems."""
    facts = plan.meeting
    name = " ".join(person.full_name.split())
    credentials = " ".join(person.credentials.split())
    kind = _kind(facts.credit_type, credentials)
    reason = _not_eligible_reason(person, kind)
    if reason is not None:
        plan.not_eligible.append(
            NotEligible(
                person.member_id,
                name,
                credentials,
                reason,
                " ".join(person.first_name.split()),
                " ".join(person.last_name.split()),
            )
        )
        return None
    if not name:
        plan.problems.append(
            f"Person number {person.member_id} has no name; add it on the Members page."
        )
    credits = person.credits if kind is CertificateKind.PHYSICIAN else None
    if credits is not None:
        maximum = facts.max_credits
        if maximum is not None and maximum > 0 and credits > maximum:
            plan.problems.append(
                f"{name} would be awarded {_amount(credits)} credits, more than the "
                f"{_amount(maximum)} “{facts.title}” is designated for; correct the "
                "credits on the Meetings page."
            )
        if credits % _QUARTER:
            plan.problems.append(
                f"{name}'s credits ({_amount(credits)}) must be in quarter credits "
                "(0.25, 0.5, 0.75…); correct them on the Meetings page."
            )
    hours = person.hours if person.hours > 0 else None
    return PlannedCertificate(
        member_id=person.member_id,
        registration_id=person.registration_id,
        first_name=" ".join(person.first_name.split()),
        last_name=" ".join(person.last_name.split()),
        credentials=credentials,
        email=person.email or "",
        kind=kind,
        minutes=person.minutes,
        hours=hours,
        credits=credits,
        existing_id=previous.id if previous else None,
        existing_number=previous.number if previous else None,
        existing_code=previous.verification_code if previous else None,
        existing_issued_on=previous.issued_on if previous else None,
        existing_reissued_on=previous.last_reissued_on if previous else None,
        existing_text=dict(previous.printed_text or {}) if previous else None,
    )


def plan_certificates(
    session: Session,
    meeting_id: int,
    today: date,
    *,
    member_ids: Collection[int] | None = None,
) -> CertificatePlan:
    """Who gets which certificate for the meeting (or only for `member_ids`), who does
    not and why, and the problems to fix before printing."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise DataRefused(f"There is no meeting with the number {meeting_id}.")
    org = organization(session)
    facts = _meeting_facts(meeting, org)
    plan = CertificatePlan(facts, problems=_meeting_problems(facts, org, today))

    people = attendance_summary(session, meeting_id, include_absent=True)
    wanted = set(member_ids) if member_ids is not None else None
    if wanted is not None:
        registered = {person.member_id for person in people}
        for member_id in sorted(wanted - registered):
            member = session.get(Member, member_id)
            who = member.full_name if member is not None else f"Person number {member_id}"
            plan.problems.append(f"{who} is not registered for “{facts.title}”.")
        people = [person for person in people if person.member_id in wanted]
    existing = certificates_for_meeting(session, meeting_id)
    for person in people:
        planned = _planned(plan, person, existing.get(person.member_id))
        if planned is not None:
            plan.certificates.append(planned)
    if not plan.certificates and not plan.problems:
        who = "the people chosen" if wanted is not None else "anyone"
        plan.problems.append(
            f"No one can be given a certificate for “{facts.title}”: no attendance is "
            f"recorded for {who}. Record attendance on the Meetings page first."
        )
    return plan


@dataclass(frozen=True)
class MeetingChoice:
    """A meeting as the certificates screen lists it."""

    id: int
    title: str
    start_date: date
    end_date: date
    credit_type: CreditType
    issued: int  # certificates in the register

    def label(self) -> str:
        when = f"{self.start_date:%b} {self.start_date.day}, {self.start_date.year}"
        issued = f" \u00b7 {self.issued} issued" if self.issued else ""
        return f"{self.title} \u2014 {when} ({self.credit_type.label}){issued}"


def meeting_choices(session: Session) -> list[MeetingChoice]:
    """Every meeting, the most recent first, with how many certificates it has."""
    issued: dict[int, int] = {
        meeting_id: count
        for meeting_id, count in session.execute(
            select(Certificate.meeting_id, func.count()).group_by(Certificate.meeting_id)
        )
    }
    return [
        MeetingChoice(
            meeting.id,
            " ".join(meeting.title.split()),
            meeting.start_date,
            meeting.end_date,
            meeting.credit_type,
            issued.get(meeting.id, 0),
        )
        for meeting in session.scalars(
            select(Meeting).order_by(Meeting.start_date.desc(), Meeting.id.desc())
        )
    ]
