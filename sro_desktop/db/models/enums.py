"""The fixed vocabularies of the domain, as the user reads them (`label`) and as stored."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members also carry the words shown to the user."""

    @property
    def label(self) -> str:
        default = self.value.replace("_", " ").capitalize()
        return _LABELS.get((type(self).__name__, self.value), default)


class EmployerType(LabelledEnum):
    HOSPITAL = "hospital"
    MEDICAL_SCHOOL = "medical_school"
    EDUCATION_COMPANY = "education_company"
    SOCIETY = "society"
    INDUSTRY = "industry"
    PUBLISHER = "publisher"
    VENUE = "venue"
    OTHER = "other"


class JobRole(LabelledEnum):
    LEADER = "leader"
    MANAGER = "manager"
    COORDINATOR = "coordinator"
    ADMINISTRATIVE = "administrative"
    OTHER = "other"


class MembershipTerm(LabelledEnum):
    CALENDAR_YEAR = "calendar_year"
    FISCAL_YEAR = "fiscal_year"
    ANNIVERSARY = "anniversary"
    LIFETIME = "lifetime"


class PaymentMethod(LabelledEnum):
    CHECK = "check"
    CARD = "card"
    CASH = "cash"
    TRANSFER = "transfer"
    OTHER = "other"


class PaymentPurpose(LabelledEnum):
    DUES = "dues"
    REGISTRATION = "registration"
    SPONSORSHIP = "sponsorship"
    EXHIBITOR = "exhibitor"
    DONATION = "donation"
    REFUND = "refund"
    OTHER = "other"


class MeetingFormat(LabelledEnum):
    IN_PERSON = "in_person"
    WEBINAR = "webinar"
    HYBRID = "hybrid"


class CreditType(LabelledEnum):
    NONE = "none"
    ATTENDANCE = "attendance"
    AMA_PRA_1 = "ama_pra_1"


class RegistrationCategory(LabelledEnum):
    MEMBER = "member"
    NON_MEMBER = "non_member"
    STUDENT = "student"
    SPEAKER = "speaker"


class RegistrationStatus(LabelledEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class CertificateKind(LabelledEnum):
    ATTENDANCE = "attendance"
    PARTICIPATION = "participation"
    PHYSICIAN = "physician"


class ImportKind(LabelledEnum):
    MEMBERS = "members"
    REGISTRATIONS = "registrations"
    ATTENDANCE = "attendance"
    WORKBOOK = "workbook"
    DEMO = "demo"


_LABELS: dict[tuple[str, str], str] = {
    ("EmployerType", "hospital"): "Hospital / health system",
    ("EmployerType", "medical_school"): "Medical school",
    ("EmployerType", "education_company"): "Medical education company",
    ("EmployerType", "society"): "Medical or specialty society",
    ("EmployerType", "industry"): "Industry supporter",
    ("EmployerType", "venue"): "Venue / hotel",
    ("JobRole", "administrative"): "Administrative support",
    ("MembershipTerm", "calendar_year"): "Calendar year",
    ("MembershipTerm", "fiscal_year"): "Fiscal year",
    ("MembershipTerm", "anniversary"): "Anniversary of joining",
    ("MembershipTerm", "lifetime"): "Never expires",
    ("PaymentMethod", "transfer"): "Bank transfer",
    ("MeetingFormat", "in_person"): "In person",
    ("MeetingFormat", "webinar"): "Live webinar",
    ("CreditType", "none"): "No credit",
    ("CreditType", "attendance"): "Attendance hours only",
    ("CreditType", "ama_pra_1"): "AMA PRA Category 1 Credit™",
    ("RegistrationCategory", "non_member"): "Non-member",
    ("RegistrationCategory", "speaker"): "Speaker / complimentary",
    ("CertificateKind", "attendance"): "Certificate of attendance",
    ("CertificateKind", "participation"): "Certificate of participation",
    ("CertificateKind", "physician"): "Physician certificate",
}
