"""Meetings with their fees and sessions, registrations, attendance and certificates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sro_desktop.db.models.base import Base, Hundredths, UtcDateTime, str_enum, utc_now
from sro_desktop.db.models.enums import (
    CertificateKind,
    CreditType,
    MeetingFormat,
    RegistrationCategory,
    RegistrationStatus,
)

if TYPE_CHECKING:
    from sro_desktop.db.models.members import Member


class Meeting(Base):
    """An annual conference, a webinar, a workshop."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    format: Mapped[MeetingFormat] = mapped_column(
        str_enum(MeetingFormat), default=MeetingFormat.IN_PERSON
    )
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    early_bird_deadline: Mapped[date | None] = mapped_column(Date)
    credit_type: Mapped[CreditType] = mapped_column(
        str_enum(CreditType), default=CreditType.ATTENDANCE
    )
    accredited_provider: Mapped[str] = mapped_column(String(300), default="")
    # True when the provider is another organization (joint providership).
    joint_providership: Mapped[bool] = mapped_column(default=False)
    max_credits: Mapped[Decimal | None] = mapped_column(Hundredths)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    fees: Mapped[list[MeetingFee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[MeetingSession]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingSession.starts_at"
    )
    registrations: Mapped[list[Registration]] = relationship(back_populates="meeting")


class MeetingFee(Base):
    """The fee for one registration category, with its optional early-bird price."""

    __tablename__ = "meeting_fees"
    __table_args__ = (UniqueConstraint("meeting_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    category: Mapped[RegistrationCategory] = mapped_column(str_enum(RegistrationCategory))
    fee: Mapped[Decimal] = mapped_column(Hundredths)
    early_bird_fee: Mapped[Decimal | None] = mapped_column(Hundredths)

    meeting: Mapped[Meeting] = relationship(back_populates="fees")


class MeetingSession(Base):
    """An agenda item. Breaks, meals and exhibits are not credit-eligible.

    Times are local wall-clock times at the meeting (naive), as printed on the agenda.
    """

    __tablename__ = "meeting_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    track: Mapped[str] = mapped_column(String(100), default="")
    credit_eligible: Mapped[bool] = mapped_column(default=True)

    meeting: Mapped[Meeting] = relationship(back_populates="sessions")


class Registration(Base):
    """A person's registration for a meeting, with its fee, waitlist place and check-in."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    category: Mapped[RegistrationCategory] = mapped_column(str_enum(RegistrationCategory))
    fee: Mapped[Decimal] = mapped_column(Hundredths)
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus), default=RegistrationStatus.REGISTERED
    )
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    credits_override: Mapped[Decimal | None] = mapped_column(Hundredths)
    credits_override_reason: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL")
    )

    meeting: Mapped[Meeting] = relationship(back_populates="registrations")
    member: Mapped[Member] = relationship()
    session_attendance: Mapped[list[SessionAttendance]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )
    intervals: Mapped[list[AttendanceInterval]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )


class SessionAttendance(Base):
    """A registrant marked present at one session."""

    __tablename__ = "session_attendance"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_sessions.id", ondelete="CASCADE"))
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    registration: Mapped[Registration] = relationship(back_populates="session_attendance")


class AttendanceInterval(Base):
    """A span of time a person was present, e.g. one row of a Zoom participants report.

    Local wall-clock times, comparable with session times.
    """

    __tablename__ = "attendance_intervals"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(DateTime)
    left_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(40), default="manual")
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL")
    )

    registration: Mapped[Registration] = relationship(back_populates="intervals")


class Certificate(Base):
    """The register of issued certificates: what was printed, for whom, and its number."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(20), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind))
    credits: Mapped[Decimal | None] = mapped_column(Hundredths)
    hours: Mapped[Decimal | None] = mapped_column(Hundredths)
    issued_on: Mapped[date] = mapped_column(Date)
    # The exact text printed, part by part, so a reprint is the same certificate.
    printed_text: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reissue_count: Mapped[int] = mapped_column(Integer, default=0)
    last_reissued_on: Mapped[date | None] = mapped_column(Date)
    reissue_reason: Mapped[str] = mapped_column(Text, default="")

    member: Mapped[Member] = relationship()
    meeting: Mapped[Meeting] = relationship()
