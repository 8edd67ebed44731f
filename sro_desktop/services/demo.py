"""Realistic sample data so a new user sees a living app: a Tri-State alliance with a few
hundred members over three years, four meetings, registrations, attendance and payments.

Deterministic for a given seed and date, so tests can rely on its shape.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sro_desktop.db.models import (
    AttendanceInterval,
    CreditType,
    Employer,
    EmployerType,
    Expense,
    JobRole,
    Meeting,
    MeetingFee,
    MeetingFormat,
    MeetingSession,
    Member,
    Membership,
    MembershipTerm,
    MembershipType,
    OpeningBalance,
    Payment,
    PaymentMethod,
    PaymentPurpose,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    SessionAttendance,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.organization import (
    OrganizationDetails,
    demo_overlay,
    organization_details,
    organization_settings,
    update_organization_settings,
)

ORGANIZATION_NAME = "Tri-State Alliance for CME"

FIRST_NAMES = [
    "Aisha",
    "Alejandro",
    "Amelia",
    "Ana",
    "Andrew",
    "Angela",
    "Anh",
    "Ben",
    "Brian",
    "Carla",
    "Carlos",
    "Catherine",
    "Chen",
    "Chloé",
    "Daniel",
    "David",
    "Deborah",
    "Diego",
    "Dmitri",
    "Elena",
    "Emily",
    "Emma",
    "Eric",
    "Fatima",
    "Grace",
    "Hannah",
    "Hiroshi",
    "Ibrahim",
    "Isabel",
    "James",
    "Jennifer",
    "Jessica",
    "John",
    "José",
    "Julia",
    "Karen",
    "Kevin",
    "Laura",
    "Lauren",
    "Linh",
    "Lisa",
    "Maria",
    "Mark",
    "Matthew",
    "Megan",
    "Michael",
    "Michelle",
    "Mohammed",
    "Nadia",
    "Nicole",
    "Olga",
    "Omar",
    "Patricia",
    "Paul",
    "Priya",
    "Rachel",
    "Rebecca",
    "Renée",
    "Robert",
    "Ryan",
    "Samuel",
    "Sarah",
    "Sofia",
    "Stephen",
    "Susan",
    "Thomas",
    "Tiffany",
    "Valentina",
    "Victoria",
    "William",
    "Yuki",
    "Zoë",
]
LAST_NAMES = [
    "Adams",
    "Ahmed",
    "Anderson",
    "Baker",
    "Bennett",
    "Brooks",
    "Brown",
    "Campbell",
    "Carter",
    "Chen",
    "Clark",
    "Collins",
    "Cooper",
    "Davis",
    "Díaz",
    "Edwards",
    "Evans",
    "Fischer",
    "García",
    "Gonzalez",
    "Green",
    "Hall",
    "Harris",
    "Hernández",
    "Hill",
    "Ivanova",
    "Jackson",
    "Johnson",
    "Jones",
    "Kelly",
    "Kim",
    "Kowalski",
    "Lee",
    "Lewis",
    "López",
    "Martin",
    "Martínez",
    "Mitchell",
    "Moore",
    "Morgan",
    "Müller",
    "Murphy",
    "Nguyen",
    "Nelson",
    "O'Brien",
    "Park",
    "Patel",
    "Perez",
    "Phillips",
    "Reed",
    "Roberts",
    "Robinson",
    "Rodriguez",
    "Rossi",
    "Sánchez",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Stewart",
    "Sullivan",
    "Taylor",
    "Thomas",
    "Thompson",
    "Tran",
    "Turner",
    "Walker",
    "Wang",
    "Ward",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
]
CREDENTIALS = (
    "",
    "",
    "",
    "MD",
    "DO",
    "RN",
    "MS",
    "MEd",
    "PhD",
    "MBA",
    "CHCP",
    "MS, CHCP",
    "MD, FACP",
    "PharmD",
    "MPH",
    "RN, BSN",
    "MA, CHCP",
    "PhD, CHCP",
    "FACEHP, CHCP",
)
EMPLOYERS: tuple[tuple[str, EmployerType], ...] = (
    ("Penn Valley Health System", EmployerType.HOSPITAL),
    ("Delaware Valley Medical Center", EmployerType.HOSPITAL),
    ("Jersey Shore University Hospital", EmployerType.HOSPITAL),
    ("Brandywine Regional Health", EmployerType.HOSPITAL),
    ("Lehigh Community Hospital", EmployerType.HOSPITAL),
    ("Capital Health Partners", EmployerType.HOSPITAL),
    ("Susquehanna Children's Hospital", EmployerType.HOSPITAL),
    ("Garden State Medical School", EmployerType.MEDICAL_SCHOOL),
    ("Keystone College of Medicine", EmployerType.MEDICAL_SCHOOL),
    ("First State School of Osteopathic Medicine", EmployerType.MEDICAL_SCHOOL),
    ("Keystone Medical Education, LLC", EmployerType.EDUCATION_COMPANY),
    ("Clearwater CME Partners", EmployerType.EDUCATION_COMPANY),
    ("Northlight Learning Group", EmployerType.EDUCATION_COMPANY),
    ("Pennsylvania Society of Internal Medicine", EmployerType.SOCIETY),
    ("New Jersey Academy of Family Physicians", EmployerType.SOCIETY),
    ("Delaware Oncology Society", EmployerType.SOCIETY),
    ("Brightline Pharmaceuticals", EmployerType.INDUSTRY),
    ("Corvana Medical Devices", EmployerType.INDUSTRY),
    ("Meridian Medical Publishing", EmployerType.PUBLISHER),
    ("Harborview Conference Hotel", EmployerType.VENUE),
    ("Independent consultant", EmployerType.OTHER),
)
STATES = ("PA",) * 9 + ("NJ",) * 6 + ("DE",) * 3 + ("NY", "MD")
CITIES = {
    "PA": ("Philadelphia", "Pittsburgh", "Harrisburg", "Allentown", "Lancaster"),
    "NJ": ("Newark", "Trenton", "Camden", "Princeton", "New Brunswick"),
    "DE": ("Wilmington", "Dover", "Newark"),
    "NY": ("New York", "Albany"),
    "MD": ("Baltimore", "Annapolis"),
}
MEMBER_COUNT = 260
NON_MEMBER_COUNT = 40


@dataclass(frozen=True)
class DemoSummary:
    members: int
    non_members: int
    memberships: int
    meetings: int
    registrations: int
    payments: int


def fill_demo_data(
    session: Session,
    today: date,
    seed: int = 2026,
    *,
    typed: OrganizationDetails | None = None,
) -> DemoSummary:
    """Fill an empty database with sample data dated around `today`.

    `typed` is what the person already said of their organization (in the welcome): it
    stays, over the demo organization's details, as `demo_overlay` decides.
    """
    if session.scalar(select(func.count()).select_from(Member)):
        raise DataRefused(
            "The database already has people in it; demo data goes only into an empty "
            "database (create a new one with File > New database)."
        )
    rng = random.Random(seed)
    _settings(session)
    types = _membership_types(session)
    employers = [Employer(name=name, type=kind) for name, kind in EMPLOYERS]
    session.add_all(employers)
    people = _people(rng, employers, MEMBER_COUNT + NON_MEMBER_COUNT)
    session.add_all(people)
    session.flush()
    members, non_members = people[:MEMBER_COUNT], people[MEMBER_COUNT:]
    memberships, payments = _memberships(session, rng, members, types, today)
    registrations, registration_payments = _meetings(session, rng, members, non_members, today)
    _books(session, rng, today)
    if typed is not None:
        update_organization_settings(session, demo_overlay(organization_details(session), typed))
    return DemoSummary(
        members=len(members),
        non_members=len(non_members),
        memberships=memberships,
        meetings=4,
        registrations=registrations,
        payments=payments + registration_payments,
    )


def _settings(session: Session) -> None:
    settings = organization_settings(session)
    if settings.name:  # the user's own organization (from the welcome or Settings) stays
        return
    settings.name = ORGANIZATION_NAME
    settings.short_name = "TSACME"
    settings.states = "PA,NJ,DE"
    settings.address = "P.O. Box 1187\nWilmington, DE 19899"
    settings.email = "treasurer@tristatecme.example.org"
    settings.signatory_name = "Dana Whitfield, MS, CHCP"
    settings.signatory_title = "President"
    settings.fiscal_year_start_month = 1
    settings.currency = "USD"
    settings.grace_days = 30


def _membership_types(session: Session) -> dict[str, MembershipType]:
    types = {
        "Individual": MembershipType(name="Individual", dues=Decimal("150.00")),
        "Institutional": MembershipType(name="Institutional", dues=Decimal("450.00")),
        "Supporter": MembershipType(name="Supporter", dues=Decimal("1000.00")),
        "Student": MembershipType(
            name="Student", dues=Decimal("40.00"), term=MembershipTerm.ANNIVERSARY
        ),
        "Honorary": MembershipType(
            name="Honorary", dues=Decimal("0.00"), term=MembershipTerm.LIFETIME, honorary=True
        ),
    }
    session.add_all(types.values())
    return types


def _people(rng: random.Random, employers: list[Employer], count: int) -> list[Member]:
    people: list[Member] = []
    used_emails: set[str] = set()
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        employer = rng.choice(employers)
        domain = "".join(ch for ch in employer.name.lower() if ch.isalnum())[:18] + ".example.org"
        local = _ascii(f"{first}.{last}").lower().replace("'", "")
        email = f"{local}@{domain}"
        suffix = 2
        while email in used_emails:
            email = f"{local}{suffix}@{domain}"
            suffix += 1
        used_emails.add(email)
        state = rng.choice(STATES)
        area = rng.randint(201, 989)
        number = f"({area}) 555-{rng.randint(100, 9999):04d}"
        people.append(
            Member(
                first_name=first,
                last_name=last,
                credentials=rng.choice(CREDENTIALS),
                email=email,
                phone=number,
                phone_digits="".join(ch for ch in number if ch.isdigit()),
                employer=employer,
                job_role=rng.choice(list(JobRole)),
                city=rng.choice(CITIES[state]),
                state=state,
                postal_code=f"{rng.randint(7001, 19999):05d}",
            )
        )
    return people


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _memberships(
    session: Session,
    rng: random.Random,
    members: list[Member],
    types: dict[str, MembershipType],
    today: date,
) -> tuple[int, int]:
    first_year = today.year - 2
    count = payments = 0
    for index, member in enumerate(members):
        if index < 4:
            kind = types["Honorary"]
        else:
            kind = rng.choices(
                [types[n] for n in ("Individual", "Institutional", "Supporter", "Student")],
                weights=(70, 15, 5, 10),
            )[0]
        joined_year = rng.choices(
            (first_year - 3, first_year, first_year + 1, today.year), weights=(30, 35, 20, 15)
        )[0]
        joined = min(date(joined_year, rng.randint(1, 12), rng.randint(1, 28)), today)
        member.member_since = joined
        if kind.honorary:
            session.add(
                Membership(
                    member=member,
                    membership_type=kind,
                    start_date=joined,
                    end_date=None,
                    dues=Decimal("0.00"),
                )
            )
            count += 1
            continue
        lapses_after = rng.choices((None, first_year, first_year + 1), weights=(80, 8, 12))[0]
        if lapses_after is not None and lapses_after < joined_year:
            lapses_after = None
        for year in range(max(joined_year, first_year), today.year + 1):
            if lapses_after is not None and year > lapses_after:
                break
            if kind.term is MembershipTerm.ANNIVERSARY:
                start = date(year, joined.month, joined.day)
                end = date(year + 1, joined.month, joined.day) - timedelta(days=1)
                if start > today:
                    break
            else:
                start, end = date(year, 1, 1), date(year, 12, 31)
            membership = Membership(
                member=member, membership_type=kind, start_date=start, end_date=end, dues=kind.dues
            )
            session.add(membership)
            count += 1
            unpaid = year == today.year and rng.random() < 0.12
            if unpaid:
                continue
            paid_on = min(start + timedelta(days=rng.randint(0, 75)), today)
            method = rng.choices(list(PaymentMethod)[:4], weights=(45, 40, 3, 12))[0]
            session.add(
                Payment(
                    member=member,
                    membership=membership,
                    paid_on=paid_on,
                    amount=kind.dues,
                    method=method,
                    reference=str(rng.randint(1001, 9999)) if method is PaymentMethod.CHECK else "",
                    purpose=PaymentPurpose.DUES,
                    payer_name=member.full_name,
                    memo=f"{year} {kind.name} dues",
                )
            )
            payments += 1
    return count, payments


@dataclass(frozen=True)
class _Plan:
    title: str
    format: MeetingFormat
    month: int
    day: int
    days: int
    credit_type: CreditType
    max_credits: Decimal | None
    provider: str
    joint: bool
    capacity: int
    fees: tuple[Decimal, Decimal, Decimal]  # member, non-member, student
    sessions: tuple[
        tuple[str, int, str, int, str, bool], ...
    ]  # title, day, HH:MM, minutes, track, eligible


MEETING_PLANS = (
    _Plan(
        "Spring Workshop: Measuring Outcomes in CME",
        MeetingFormat.IN_PERSON,
        3,
        12,
        1,
        CreditType.ATTENDANCE,
        None,
        "",
        False,
        60,
        (Decimal("75"), Decimal("125"), Decimal("25")),
        (
            ("Welcome and breakfast", 0, "08:30", 30, "", False),
            ("Moore's levels in practice", 0, "09:00", 90, "", True),
            ("Break", 0, "10:30", 15, "", False),
            ("Hands-on: building an outcomes survey", 0, "10:45", 105, "", True),
        ),
    ),
    _Plan(
        "Webinar: Independence Standards Update",
        MeetingFormat.WEBINAR,
        6,
        10,
        1,
        CreditType.AMA_PRA_1,
        Decimal("1.50"),
        "Keystone Medical Education, LLC",
        True,
        300,
        (Decimal("0"), Decimal("35"), Decimal("0")),
        (("Standards for Integrity and Independence: what changed", 0, "12:00", 90, "", True),),
    ),
    _Plan(
        "Annual Conference",
        MeetingFormat.HYBRID,
        9,
        24,
        2,
        CreditType.AMA_PRA_1,
        Decimal("8.25"),
        "Keystone Medical Education, LLC",
        True,
        150,
        (Decimal("295"), Decimal("395"), Decimal("95")),
        (
            ("Registration and breakfast", 0, "07:30", 60, "", False),
            ("Keynote: the learner at the center", 0, "08:30", 75, "", True),
            ("Break and exhibits", 0, "09:45", 30, "", False),
            ("Track A: needs assessment that works", 0, "10:15", 90, "A", True),
            ("Track B: budgeting for grants", 0, "10:15", 90, "B", True),
            ("Lunch", 0, "11:45", 60, "", False),
            ("Panel: accreditation in a small shop", 0, "12:45", 120, "", True),
            ("Track A: evaluation design", 1, "08:30", 120, "A", True),
            ("Track B: technology for hybrid meetings", 1, "08:30", 120, "B", True),
            ("Closing: the year ahead", 1, "10:45", 90, "", True),
        ),
    ),
    _Plan(
        "Winter Webinar: Year-End Reporting in PARS",
        MeetingFormat.WEBINAR,
        12,
        9,
        1,
        CreditType.ATTENDANCE,
        None,
        "",
        False,
        300,
        (Decimal("0"), Decimal("25"), Decimal("0")),
        (("PARS reporting walkthrough", 0, "13:00", 60, "", True),),
    ),
)


def _meetings(
    session: Session,
    rng: random.Random,
    members: list[Member],
    non_members: list[Member],
    today: date,
) -> tuple[int, int]:
    registrations = payments = 0
    for plan in MEETING_PLANS:
        start = date(today.year, plan.month, plan.day)
        meeting = Meeting(
            title=f"{plan.title} {today.year}" if plan.title == "Annual Conference" else plan.title,
            format=plan.format,
            start_date=start,
            end_date=start + timedelta(days=plan.days - 1),
            venue="Harborview Conference Hotel, Wilmington, DE"
            if plan.format is not MeetingFormat.WEBINAR
            else "",
            link="https://zoom.example.org/j/5550100"
            if plan.format is not MeetingFormat.IN_PERSON
            else "",
            capacity=plan.capacity,
            early_bird_deadline=start - timedelta(days=30),
            credit_type=plan.credit_type,
            accredited_provider=plan.provider,
            joint_providership=plan.joint,
            max_credits=plan.max_credits,
        )
        for category, fee in zip(
            (
                RegistrationCategory.MEMBER,
                RegistrationCategory.NON_MEMBER,
                RegistrationCategory.STUDENT,
            ),
            plan.fees,
            strict=True,
        ):
            early_fee = (fee * Decimal("0.8")).quantize(Decimal("1.00")) if fee else None
            meeting.fees.append(MeetingFee(category=category, fee=fee, early_bird_fee=early_fee))
        meeting.fees.append(MeetingFee(category=RegistrationCategory.SPEAKER, fee=Decimal("0")))
        for title, day, clock, minutes, track, eligible in plan.sessions:
            begins = datetime.combine(start + timedelta(days=day), time.fromisoformat(clock))
            meeting.sessions.append(
                MeetingSession(
                    title=title,
                    starts_at=begins,
                    ends_at=begins + timedelta(minutes=minutes),
                    track=track,
                    credit_eligible=eligible,
                )
            )
        session.add(meeting)
        session.flush()
        attendees = rng.sample(members, k=min(len(members), int(plan.capacity * 0.8)))
        attendees += rng.sample(non_members, k=min(len(non_members), plan.capacity // 10))
        past = meeting.end_date < today
        for person in attendees:
            category = (
                RegistrationCategory.MEMBER
                if person in members
                else RegistrationCategory.NON_MEMBER
            )
            fee_row = next(f for f in meeting.fees if f.category is category)
            registered_on = start - timedelta(days=rng.randint(1, 60))
            early = (
                meeting.early_bird_deadline is not None
                and registered_on <= meeting.early_bird_deadline
            )
            fee = (
                fee_row.early_bird_fee
                if early and fee_row.early_bird_fee is not None
                else fee_row.fee
            )
            registration = Registration(
                meeting=meeting,
                member=person,
                category=category,
                fee=fee,
                status=RegistrationStatus.REGISTERED,
                registered_at=datetime.combine(registered_on, time(10), tzinfo=UTC),
            )
            session.add(registration)
            registrations += 1
            if fee and rng.random() < 0.93:
                session.add(
                    Payment(
                        member=person,
                        meeting_id=meeting.id,
                        paid_on=min(registered_on, today),
                        amount=fee,
                        method=rng.choice((PaymentMethod.CARD, PaymentMethod.CHECK)),
                        purpose=PaymentPurpose.REGISTRATION,
                        payer_name=person.full_name,
                        memo=f"Registration: {meeting.title}",
                    )
                )
                payments += 1
            if past and rng.random() < 0.88:
                _attend(session, rng, meeting, registration)
        session.flush()
    # Link registration payments to their registrations now that both have ids.
    for payment in session.scalars(
        select(Payment).where(
            Payment.purpose == PaymentPurpose.REGISTRATION, Payment.registration_id.is_(None)
        )
    ):
        payment.registration_id = session.scalar(
            select(Registration.id).where(
                Registration.meeting_id == payment.meeting_id,
                Registration.member_id == payment.member_id,
            )
        )
    return registrations, payments


def _attend(
    session: Session, rng: random.Random, meeting: Meeting, registration: Registration
) -> None:
    first = meeting.sessions[0].starts_at
    registration.checked_in_at = datetime.combine(
        first.date(), (first - timedelta(minutes=rng.randint(0, 25))).time(), tzinfo=UTC
    )
    if meeting.format is MeetingFormat.WEBINAR:
        begins, ends = meeting.sessions[0].starts_at, meeting.sessions[-1].ends_at
        joined = begins + timedelta(minutes=rng.randint(-5, 10))
        if rng.random() < 0.3:  # dropped and rejoined
            drop = joined + timedelta(minutes=rng.randint(15, 40))
            session.add(
                AttendanceInterval(
                    registration=registration, joined_at=joined, left_at=drop, source="zoom"
                )
            )
            joined = drop + timedelta(minutes=rng.randint(1, 8))
        left = ends + timedelta(minutes=rng.randint(-30, 5))
        session.add(
            AttendanceInterval(
                registration=registration,
                joined_at=joined,
                left_at=max(left, joined),
                source="zoom",
            )
        )
        return
    tracks = {s.track for s in meeting.sessions if s.track}
    chosen = rng.choice(sorted(tracks)) if tracks else ""
    for agenda_item in meeting.sessions:
        if agenda_item.track and agenda_item.track != chosen:
            continue
        if agenda_item.credit_eligible and rng.random() < 0.9:
            session.add(SessionAttendance(registration=registration, session_id=agenda_item.id))


_SUPPORTERS = (
    ("Brightline Pharmaceuticals", PaymentPurpose.EXHIBITOR, Decimal("1500.00")),
    ("Meridian Medical Publishing", PaymentPurpose.SPONSORSHIP, Decimal("2500.00")),
)
# What a meeting costs, by category, as a share of its capacity (dollars per place).
_MEETING_COSTS = (("Venue", 22), ("Catering", 31), ("Speakers", 12), ("Printing", 3))


def _books(session: Session, rng: random.Random, today: date) -> None:
    """The treasurer's side: the balance the books started from, each past meeting's
    costs, and the monthly software subscription."""
    first_day = date(today.year - 2, 1, 1)
    session.add(
        OpeningBalance(
            as_of=first_day,
            amount=Decimal("18450.00"),
            memo="Balance handed over by the previous treasurer",
        )
    )
    for meeting in session.scalars(select(Meeting)):
        if meeting.end_date >= today:
            continue
        places = meeting.capacity or 50
        for category, per_place in _MEETING_COSTS:
            if meeting.format is MeetingFormat.WEBINAR and category != "Speakers":
                continue
            amount = Decimal(per_place * places) * Decimal(rng.randint(85, 115)) / 100
            session.add(
                Expense(
                    paid_on=meeting.end_date + timedelta(days=rng.randint(3, 20)),
                    amount=amount.quantize(Decimal("1.00")),
                    category=category,
                    method=rng.choice((PaymentMethod.CHECK, PaymentMethod.TRANSFER)),
                    reference=str(rng.randint(2001, 2999)),
                    payee=f"{category} for {meeting.title}",
                    meeting_id=meeting.id,
                )
            )
        if meeting.format is not MeetingFormat.WEBINAR:
            for payer, purpose, amount in _SUPPORTERS:
                session.add(
                    Payment(
                        paid_on=meeting.start_date - timedelta(days=rng.randint(10, 40)),
                        amount=amount,
                        method=PaymentMethod.CHECK,
                        reference=str(rng.randint(5001, 5999)),
                        purpose=purpose,
                        payer_name=payer,
                        meeting_id=meeting.id,
                        memo=f"{purpose.label}: {meeting.title}",
                    )
                )
    month = first_day
    while month <= today:
        session.add(
            Expense(
                paid_on=month.replace(day=5),
                amount=Decimal("49.00"),
                category="Software",
                method=PaymentMethod.CARD,
                payee="Webinar platform subscription",
            )
        )
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
