"""People, their employers, membership types and membership periods."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sro_desktop.db.models.base import Base, Hundredths, UtcDateTime, str_enum, utc_now
from sro_desktop.db.models.enums import EmployerType, JobRole, MembershipTerm

if TYPE_CHECKING:
    from sro_desktop.db.models.finance import Payment


class Employer(Base):
    """The hospital, school, company or supporter a person works for."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[EmployerType] = mapped_column(str_enum(EmployerType), default=EmployerType.OTHER)

    members: Mapped[list[Member]] = relationship(back_populates="employer")


class Member(Base):
    """A person in the database: a member when they hold a membership, else a contact
    (a non-member registrant, a speaker)."""

    __tablename__ = "members"
    __table_args__ = (Index("ix_members_last_first", "last_name", "first_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    credentials: Mapped[str] = mapped_column(String(100), default="")
    # Lower-cased and trimmed; unique where present (NULLs do not clash).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Digits of the phone number, for comparing "(215) 555-0100" with "215.555.0100".
    phone_digits: Mapped[str] = mapped_column(String(20), default="", index=True)
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("employers.id", ondelete="SET NULL"), index=True
    )
    job_role: Mapped[JobRole | None] = mapped_column(str_enum(JobRole))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    address_line1: Mapped[str] = mapped_column(String(200), default="")
    address_line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(2), default="", index=True)
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2), default="US")
    member_since: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    employer: Mapped[Employer | None] = relationship(back_populates="members")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="member", order_by="Membership.start_date"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class MembershipType(Base):
    """A kind of membership with its dues and how long a period lasts."""

    __tablename__ = "membership_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    dues: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal("0.00"))
    term: Mapped[MembershipTerm] = mapped_column(
        str_enum(MembershipTerm), default=MembershipTerm.CALENDAR_YEAR
    )
    # Honorary memberships never expire and owe nothing.
    honorary: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(Text, default="")


class Membership(Base):
    """One period of membership for one member, with the dues owed for it."""

    __tablename__ = "memberships"
    __table_args__ = (Index("ix_memberships_member_end", "member_id", "end_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    membership_type_id: Mapped[int] = mapped_column(ForeignKey("membership_types.id"))
    start_date: Mapped[date] = mapped_column(Date)
    # None for a membership that never ends (honorary, lifetime).
    end_date: Mapped[date | None] = mapped_column(Date)
    dues: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal("0.00"))
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    member: Mapped[Member] = relationship(back_populates="memberships")
    membership_type: Mapped[MembershipType] = relationship()
    payments: Mapped[list[Payment]] = relationship(back_populates="membership")


class NotDuplicatePair(Base):
    """Two members the user said are different people; never suggested again."""

    __tablename__ = "not_duplicate_pairs"
    __table_args__ = (UniqueConstraint("member_low_id", "member_high_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_low_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    member_high_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
