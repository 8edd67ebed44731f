"""Demo data: a living organization, deterministic, only into an empty database."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AttendanceInterval,
    EmployerType,
    Meeting,
    Membership,
    Payment,
    Registration,
    SessionAttendance,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.demo import MEMBER_COUNT, fill_demo_data
from sro_desktop.services.members import member_rows
from sro_desktop.services.membership_status import MemberStatus
from tests.conftest import TODAY


def test_demo_data_looks_like_a_living_organization(demo_database: Database) -> None:
    with demo_database.session() as session:
        rows = member_rows(session, TODAY)
        statuses = Counter(row.status for row in rows)
        assert 200 <= len(rows) <= 400
        assert statuses[MemberStatus.CURRENT] > 100
        for status in (
            MemberStatus.LAPSED,
            MemberStatus.PENDING,
            MemberStatus.HONORARY,
            MemberStatus.NON_MEMBER,
        ):
            assert statuses[status] > 0, status
        assert len({row.state for row in rows}) >= 4
        assert {row.organization_type for row in rows} >= {t.value for t in EmployerType}
        years = {start.year for start in session.scalars(select(Membership.start_date))}
        assert years >= {TODAY.year - 2, TODAY.year - 1, TODAY.year}
        assert session.scalar(select(func.count()).select_from(Meeting)) == 4
        meetings = session.scalars(select(Meeting)).all()
        assert all(meeting.sessions for meeting in meetings)
        assert session.scalar(select(func.count()).select_from(Registration)) > 300
        assert session.scalar(select(func.count()).select_from(SessionAttendance)) > 100
        assert session.scalar(select(func.count()).select_from(AttendanceInterval)) > 50
        registration_payments = session.scalars(
            select(Payment).where(Payment.registration_id.is_not(None))
        ).all()
        assert registration_payments
        assert all(p.amount > 0 for p in registration_payments)
    assert demo_database.integrity_check() == []


def test_demo_data_is_deterministic(database: Database, demo_database: Database) -> None:
    with database.transaction() as session:
        fill_demo_data(session, TODAY)
    with database.session() as fresh, demo_database.session() as template:
        assert [r.to_json() for r in member_rows(fresh, TODAY)] == [
            r.to_json() for r in member_rows(template, TODAY)
        ]


def test_demo_data_refuses_a_database_with_people(demo_database: Database) -> None:
    with pytest.raises(DataRefused, match="already has people"), demo_database.transaction() as s:
        fill_demo_data(s, TODAY)
    with demo_database.session() as session:
        assert len(member_rows(session, TODAY)) == MEMBER_COUNT + 40


def test_demo_data_keeps_an_organization_the_user_already_named(database: Database) -> None:
    from sro_desktop.services.demo import ORGANIZATION_NAME
    from sro_desktop.services.organization import organization_settings

    with database.transaction() as session:
        settings = organization_settings(session)
        settings.name = "Great Lakes CME Society"
        settings.signatory_name = "Pat Okafor"
    with database.transaction() as session:
        fill_demo_data(session, TODAY)
    with database.session() as session:
        settings = organization_settings(session)
        assert settings.name == "Great Lakes CME Society"
        assert settings.signatory_name == "Pat Okafor"
    assert settings.name != ORGANIZATION_NAME


def test_demo_data_keeps_what_the_welcome_was_told(database: Database) -> None:
    """The welcome's answers are not saved yet when the demo data goes in: they come with
    it, and the person's organization replaces the demo's where they named it."""
    from sro_desktop.services.demo import ORGANIZATION_NAME
    from sro_desktop.services.organization import OrganizationDetails, organization_details

    typed = OrganizationDetails(name="Great Lakes CME Society", currency="CAD")
    with database.transaction() as session:
        fill_demo_data(session, TODAY, typed=typed)
    with database.session() as session:
        details = organization_details(session)
    assert details.name == "Great Lakes CME Society" != ORGANIZATION_NAME
    assert details.currency == "CAD"
