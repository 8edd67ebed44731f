"""SQLAlchemy 2 typed models for the whole domain, re-exported from one place."""

from sro_desktop.db.models.base import Base
from sro_desktop.db.models.enums import (
    CertificateKind,
    CreditType,
    EmployerType,
    ImportKind,
    JobRole,
    MeetingFormat,
    MembershipTerm,
    PaymentMethod,
    PaymentPurpose,
    RegistrationCategory,
    RegistrationStatus,
)
from sro_desktop.db.models.finance import Expense, Payment
from sro_desktop.db.models.history import AuditEntry, ColumnMapping, ImportBatch, ImportChange
from sro_desktop.db.models.ledger import ExpenseCategory, OpeningBalance
from sro_desktop.db.models.meetings import (
    AttendanceInterval,
    Certificate,
    Meeting,
    MeetingFee,
    MeetingSession,
    Registration,
    SessionAttendance,
)
from sro_desktop.db.models.members import (
    Employer,
    Member,
    Membership,
    MembershipType,
    NotDuplicatePair,
)
from sro_desktop.db.models.organization import OrganizationSettings

__all__ = [
    "AttendanceInterval",
    "AuditEntry",
    "Base",
    "Certificate",
    "CertificateKind",
    "ColumnMapping",
    "CreditType",
    "Employer",
    "EmployerType",
    "Expense",
    "ExpenseCategory",
    "ImportBatch",
    "ImportChange",
    "ImportKind",
    "JobRole",
    "Meeting",
    "MeetingFee",
    "MeetingFormat",
    "MeetingSession",
    "Member",
    "Membership",
    "MembershipTerm",
    "MembershipType",
    "NotDuplicatePair",
    "OpeningBalance",
    "OrganizationSettings",
    "Payment",
    "PaymentMethod",
    "PaymentPurpose",
    "Registration",
    "RegistrationCategory",
    "RegistrationStatus",
    "SessionAttendance",
]
