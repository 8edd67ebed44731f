"""Who owes: unpaid dues for periods that have started and unpaid registration fees for
standing registrations, per person and in total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sro_desktop.db.database import Database
from sro_desktop.db.models import PaymentPurpose, RegistrationStatus
from sro_desktop.services.owed import who_owes
from tests.services.finance_factories import income, meeting, member, membership, registration

TODAY = date(2026, 11, 27)


def test_who_owes_what(database: Database) -> None:
    with database.transaction() as session:
        ana = member(session, "Ana", "Díaz")
        ben = member(session, "Ben", "Okafor")
        cleo = member(session, "Cleo", "Ivanova")
        paid = membership(session, ana, date(2025, 1, 1), date(2025, 12, 31))
        income(session, "150.00", date(2025, 1, 5), PaymentPurpose.DUES, membership_id=paid.id)
        part = membership(session, ana, date(2026, 1, 1), date(2026, 12, 31))
        income(session, "100.00", date(2026, 1, 5), PaymentPurpose.DUES, membership_id=part.id)
        membership(session, ana, date(2027, 1, 1), date(2027, 12, 31))  # not started yet
        membership(session, ben, date(2026, 1, 1), None, "0", honorary=True, type_name="Honorary")
        event = meeting(session, "Annual Conference", date(2026, 9, 24))
        registration(session, event, ben, "295.00", on=date(2026, 8, 1))
        registration(
            session, event, cleo, "295.00", on=date(2026, 8, 2), status=RegistrationStatus.CANCELLED
        )
        webinar = meeting(session, "Webinar", date(2026, 6, 10))
        paid_reg = registration(session, webinar, cleo, "35.00", on=date(2026, 5, 1))
        income(
            session,
            "35.00",
            date(2026, 5, 1),
            PaymentPurpose.REGISTRATION,
            registration_id=paid_reg.id,
        )
        registration(session, webinar, ana, "35.00", on=date(2026, 5, 2))
    with database.session() as session:
        owed = who_owes(session, TODAY)
        before = who_owes(session, date(2026, 1, 4))
    people = {p.name: p for p in owed.people}
    assert set(people) == {"Ana Díaz", "Ben Okafor"}
    ana_owes = people["Ana Díaz"]
    assert [(i.kind, i.due, i.paid, i.outstanding) for i in ana_owes.items] == [
        ("dues", Decimal("150.00"), Decimal("100.00"), Decimal("50.00")),
        ("registration", Decimal("35.00"), Decimal("0.00"), Decimal("35.00")),
    ]
    assert ana_owes.total == Decimal("85.00")
    assert people["Ben Okafor"].total == Decimal("295.00")
    assert owed.people[0].name == "Ben Okafor"  # the largest first
    assert owed.total == Decimal("380.00")
    assert owed.total_of("dues") == Decimal("50.00")
    assert owed.total_of("registration") == Decimal("330.00")
    assert owed.total == sum((p.total for p in owed.people), Decimal(0))
    # Earlier, Ana's 2026 dues were due and not yet paid at all.
    assert [(p.name, p.total) for p in before.people] == [("Ana Díaz", Decimal("150.00"))]
    assert owed.to_json()["total"] == "380.00"


def test_the_demo_lists_and_totals_agree(demo_database: Database) -> None:
    with demo_database.session() as session:
        owed = who_owes(session, TODAY)
    assert owed.people
    assert owed.total == owed.total_of("dues") + owed.total_of("registration")
    assert all(item.outstanding > 0 for item in owed.items)
    assert all(p.total == sum((i.outstanding for i in p.items), Decimal(0)) for p in owed.people)
