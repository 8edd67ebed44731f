"""The membership list: search across fields, status filter, paid-through."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    Employer,
    EmployerType,
    Member,
    Membership,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.services.members import member_rows
from sro_desktop.services.membership_status import MemberStatus

AS_OF = date(2026, 6, 1)


def _fill(database: Database) -> None:
    with database.transaction() as session:
        hospital = Employer(name="Penn Valley Health", type=EmployerType.HOSPITAL)
        individual = MembershipType(name="Individual", dues=Decimal("150.00"))
        ana = Member(
            first_name="Ana",
            last_name="García",
            email="ana@pvh.example.org",
            phone="(215) 555-0100",
            phone_digits="2155550100",
            employer=hospital,
            state="PA",
            credentials="MD",
        )
        bob = Member(
            first_name="Bob", last_name="Smith", email="bob_100%@x.example.org", state="NJ"
        )
        cy = Member(first_name="Cy", last_name="Young", state="DE")
        session.add_all([ana, bob, cy])
        paid = Membership(
            member=ana,
            membership_type=individual,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            dues=Decimal("150.00"),
        )
        unpaid = Membership(
            member=bob,
            membership_type=individual,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            dues=Decimal("150.00"),
        )
        session.add_all([paid, unpaid])
        session.flush()
        for amount in (Decimal("100.00"), Decimal("50.00")):
            session.add(
                Payment(
                    member=ana,
                    membership=paid,
                    paid_on=date(2026, 1, 5),
                    amount=amount,
                    method=PaymentMethod.CHECK,
                    purpose=PaymentPurpose.DUES,
                )
            )
        session.add(
            Payment(
                member=bob,
                membership=unpaid,
                paid_on=date(2026, 1, 5),
                amount=Decimal("149.99"),
                method=PaymentMethod.CARD,
                purpose=PaymentPurpose.DUES,
            )
        )


def _names(database: Database, **filters: object) -> list[str]:
    with database.session() as session:
        return [r.first_name for r in member_rows(session, AS_OF, **filters)]  # type: ignore[arg-type]


def test_status_and_paid_through_come_from_periods_and_payments(database: Database) -> None:
    _fill(database)
    with database.session() as session:
        rows = {r.first_name: r for r in member_rows(session, AS_OF)}
    assert rows["Ana"].status is MemberStatus.CURRENT  # two payments add up to the dues
    assert rows["Ana"].paid_through == date(2026, 12, 31)
    assert rows["Ana"].organization == "Penn Valley Health"
    assert rows["Ana"].membership_type == "Individual"
    assert rows["Bob"].status is MemberStatus.PENDING  # one cent short
    assert rows["Bob"].paid_through is None
    assert rows["Cy"].status is MemberStatus.NON_MEMBER


def test_search_matches_any_field_case_insensitively(database: Database) -> None:
    _fill(database)
    assert _names(database, search="garc") == ["Ana"]
    assert _names(database, search="PENN valley") == ["Ana"]
    assert _names(database, search="215-555") == ["Ana"]
    assert _names(database, search="nj") == ["Bob"]
    assert _names(database, search="100%") == ["Bob"]  # % is a literal, not a wildcard
    assert _names(database, search="ana smith") == []  # every word must match
    assert _names(database, search="   ") == ["Ana", "Bob", "Cy"]


def test_status_filter_combines_with_search(database: Database) -> None:
    _fill(database)
    assert _names(database, status=MemberStatus.PENDING) == ["Bob"]
    assert _names(database, status=MemberStatus.CURRENT, search="bob") == []


def test_archived_members_are_hidden_unless_asked(database: Database) -> None:
    _fill(database)
    with database.transaction() as session:
        cy = session.query(Member).filter_by(first_name="Cy").one()
        cy.archived = True
    assert "Cy" not in _names(database)
    assert "Cy" in _names(database, include_archived=True)
