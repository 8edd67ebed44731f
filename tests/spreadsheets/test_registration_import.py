"""Importing a meeting's registrations from an online form's export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.models import ImportKind, Member, Payment, Registration, RegistrationCategory
from sro_desktop.services.import_batches import undo_batch
from sro_desktop.spreadsheets.column_mapping import suggest_mapping
from sro_desktop.spreadsheets.import_runner import import_registrations, read_for_import
from sro_desktop.spreadsheets.member_records import ParsedRows
from sro_desktop.spreadsheets.registration_import import parse_registration_rows
from tests.services.meeting_factories import meeting, person
from tests.spreadsheets.import_files import write_csv

FORM = """\
Timestamp,Full Name,Email Address,Degree(s),Ticket Type,Price,Paid
9/1/2026 10:15:00,Ann Ames,ann@example.org,MD,Member,$236.00,Yes
9/2/2026 11:00:00,Bo Chen,bo@example.org,,Non-member (early bird),316,316
9/3/2026 09:30:00,Cy Dahl,cy@example.org,PhD,Student,95,
9/3/2026 09:31:00,Cy Dahl,CY@example.org,PhD,Student,95,
9/4/2026 12:00:00,Di Eze,di@example.org,,VIP,100,Yes
"""


@pytest.fixture
def meeting_id(database: Database) -> int:
    with database.transaction() as session:
        person(session, "Ann", "Ames", email="ann@example.org", paid_member=True)
        return meeting(session, capacity=3).id


def _parse(path: Path) -> ParsedRows:
    table = read_for_import(path)
    return parse_registration_rows(table, suggest_mapping(table.headers, ImportKind.REGISTRATIONS))


def test_a_form_export_registers_people_with_their_fees_and_payments(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "form.csv", FORM)

    refused = import_registrations(database, _parse(path), meeting_id)
    assert not refused.written
    [problem] = refused.errors
    assert (problem.row, problem.column, problem.value) == (6, "Ticket Type", "VIP")
    assert "not a registration category" in problem.message

    report = import_registrations(database, _parse(path), meeting_id, skip_invalid=True)

    assert (report.created, report.duplicates, report.skipped) == (3, 1, 1)
    assert report.details["new_people"] == 2
    with database.session() as session:
        rows = session.execute(
            select(Member.email, Registration.category, Registration.fee, Registration.status)
            .join(Registration, Registration.member_id == Member.id)
            .order_by(Member.email)
        ).all()
        paid = {
            email: amount
            for email, amount in session.execute(
                select(Member.email, Payment.amount)
                .join(Payment, Payment.member_id == Member.id)
                .where(Payment.registration_id.is_not(None))
            )
        }
    assert [tuple(r)[:3] for r in rows] == [
        ("ann@example.org", RegistrationCategory.MEMBER, Decimal("236.00")),
        ("bo@example.org", RegistrationCategory.NON_MEMBER, Decimal("316.00")),
        ("cy@example.org", RegistrationCategory.STUDENT, Decimal("95.00")),
    ]
    assert paid == {"ann@example.org": Decimal("236.00"), "bo@example.org": Decimal("316.00")}

    again = import_registrations(database, _parse(path), meeting_id, skip_invalid=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    assert report.batch_id is not None
    with database.transaction() as session:
        result = undo_batch(session, report.batch_id)
    assert result.removed["registrations"] == 3
    assert result.removed["members"] == 2
    with database.session() as session:
        assert session.scalars(select(Registration)).first() is None
        emails = [m.email for m in session.scalars(select(Member))]
    assert emails == ["ann@example.org"]


def test_a_changed_fee_and_a_later_payment_update_a_registration(
    database: Database, meeting_id: int, tmp_path: Path
) -> None:
    first = write_csv(
        tmp_path / "a.csv", "Name,Email,Category,Fee\nBo Chen,bo@example.org,Non-member,395\n"
    )
    import_registrations(database, _parse(first), meeting_id)
    second = write_csv(
        tmp_path / "b.csv",
        "Name,Email,Category,Fee,Paid\nBo Chen,bo@example.org,Non-member,316,$100\n",
    )

    report = import_registrations(database, _parse(second), meeting_id)

    assert (report.created, report.updated) == (0, 1)
    with database.session() as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.fee == Decimal("316.00")
        payment = session.scalars(select(Payment).where(Payment.registration_id.is_not(None))).one()
        assert payment.amount == Decimal("100.00")
    assert report.batch_id is not None
    with database.transaction() as session:
        undo_batch(session, report.batch_id)
    with database.session() as session:
        assert session.scalars(select(Registration)).one().fee == Decimal("395.00")
        assert (
            session.scalars(select(Payment).where(Payment.registration_id.is_not(None))).first()
            is None
        )
