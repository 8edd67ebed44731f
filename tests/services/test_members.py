"""The membership list: search across fields, status filter, paid-through."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

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
from sro_desktop.services.members import (
    SORT_COLUMNS,
    MemberFilter,
    MemberRow,
    filter_choices,
    fold,
    member_list_count,
    member_list_emails,
    member_list_ids,
    member_list_page,
    member_row,
    member_rows,
    prepare_member_list,
    refresh_member_list,
)
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


# --- the app's member list: prepared once, read a page at a time -------------------------


def _list_session(database: Database) -> Iterator[Session]:
    """A session on one connection, as the app's reader keeps it."""
    connection = database.engine.connect()
    try:
        with Session(bind=connection) as session:
            prepare_member_list(session, AS_OF)
            session.commit()
            yield session
    finally:
        connection.close()


def _all_pages(
    session: Session, member_filter: MemberFilter, sort: str, descending: bool, limit: int
) -> list[MemberRow]:
    rows: list[MemberRow] = []
    after = None
    while True:
        page = member_list_page(
            session, member_filter, sort=sort, descending=descending, after=after, limit=limit
        )
        rows.extend(page.rows)
        if page.next_after is None:
            return rows
        after = page.next_after


def test_member_list_pages_match_the_direct_listing(demo_database: Database) -> None:
    for session in _list_session(demo_database):
        direct = member_rows(session, AS_OF)
        paged = _all_pages(session, MemberFilter(), "last_name", False, 37)
        assert paged == direct
        assert member_list_count(session, MemberFilter()) == len(direct) == 300


@pytest.mark.parametrize("sort", SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_member_list_sorts_by_every_column_without_losing_rows(
    demo_database: Database, sort: str, descending: bool
) -> None:
    for session in _list_session(demo_database):
        rows = _all_pages(session, MemberFilter(), sort, descending, 53)
        assert len(rows) == 300 and len({r.id for r in rows}) == 300
        key = {
            "last_name": lambda r: fold(r.last_name),
            "first_name": lambda r: fold(r.first_name),
            "state": lambda r: r.state,
            "status": lambda r: r.status.value,
            "paid_through": lambda r: r.paid_through.isoformat() if r.paid_through else "",
            "email": lambda r: r.email or "",
        }.get(sort)
        if key is not None:
            values = [key(r) for r in rows]
            assert values == sorted(values, reverse=descending)


def test_member_list_filters_combine(demo_database: Database) -> None:
    for session in _list_session(demo_database):
        everyone = member_rows(session, AS_OF)
        types = dict(filter_choices(session).membership_types)
        individual = next(i for i, name in types.items() if name == "Individual")
        member_filter = MemberFilter(
            search="penn",
            status=MemberStatus.CURRENT,
            membership_type_id=individual,
            state="PA",
            organization_type=EmployerType.HOSPITAL,
        )
        expected = [
            r.id
            for r in everyone
            if "penn" in fold(f"{r.first_name} {r.last_name} {r.email} {r.organization}")
            and r.status is MemberStatus.CURRENT
            and r.membership_type == "Individual"
            and r.state == "PA"
            and r.organization_type == "hospital"
        ]
        assert expected  # the demo has some
        assert member_list_ids(session, member_filter) == expected
        assert member_list_count(session, member_filter) == len(expected)
        emails = member_list_emails(session, member_filter)
        assert len(emails) == len(expected) and all("@" in e for e in emails)
        assert filter_choices(session).states == ["DE", "MD", "NJ", "NY", "PA"]


def test_searching_ignores_accents_and_case(database: Database) -> None:
    _fill(database)
    for session in _list_session(database):
        for text in ("garcia", "GARCÍA", "García", "Garcia penn"):
            ids = member_list_ids(session, MemberFilter(search=text))
            assert len(ids) == 1, text
        assert member_rows(session, AS_OF, search="GARCIA")[0].first_name == "Ana"


def test_refreshing_some_rows_of_the_member_list(database: Database) -> None:
    _fill(database)
    for session in _list_session(database):
        with database.transaction() as writer:
            bob = writer.scalars(select(Member).where(Member.first_name == "Bob")).one()
            bob.last_name = "Zimmer"
            cy = writer.scalars(select(Member).where(Member.first_name == "Cy")).one()
            cy.last_name = "Aardvark"  # changed, but not refreshed below
            bob_id = bob.id
        refresh_member_list(session, AS_OF, [bob_id])
        session.commit()
        names = [r.last_name for r in _all_pages(session, MemberFilter(), "last_name", False, 2)]
        assert names == ["García", "Young", "Zimmer"]
        prepare_member_list(session, AS_OF)
        session.commit()
        names = [r.last_name for r in _all_pages(session, MemberFilter(), "last_name", False, 2)]
        assert names == ["Aardvark", "García", "Zimmer"]


def test_member_row_for_one_person(database: Database) -> None:
    _fill(database)
    with database.session() as session:
        ana_id = session.scalar(select(Member.id).where(Member.first_name == "Ana"))
        assert ana_id is not None
        row = member_row(session, ana_id, AS_OF)
        assert row is not None and row.status is MemberStatus.CURRENT
        assert member_row(session, 999, AS_OF) is None
