"""Terms, renewals, dues payments, membership types and who is due to renew."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AuditEntry,
    Member,
    Membership,
    MembershipTerm,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.members import member_rows
from sro_desktop.services.membership_status import MemberStatus
from sro_desktop.services.memberships import (
    TypeDraft,
    add_years,
    bcc_list,
    check_payment_form,
    delete_membership_type,
    member_ids_with_status,
    next_period,
    period_balances,
    record_dues_payment,
    record_member_payment,
    renew_members,
    renewals_due,
    save_membership_type,
    set_membership_settings,
)
from sro_desktop.services.organization import organization_settings

CAL, FISCAL, ANNIV, LIFE = (
    MembershipTerm.CALENDAR_YEAR,
    MembershipTerm.FISCAL_YEAR,
    MembershipTerm.ANNIVERSARY,
    MembershipTerm.LIFETIME,
)
D = date


@pytest.mark.parametrize(
    ("term", "latest_end", "as_of", "expected"),
    [
        # Calendar year: the next year, whole.
        (CAL, D(2026, 12, 31), D(2026, 11, 27), (D(2027, 1, 1), D(2027, 12, 31))),
        (CAL, D(2026, 12, 31), D(2027, 1, 15), (D(2027, 1, 1), D(2027, 12, 31))),
        # Lapsed for years: the year that covers today, not the missed ones.
        (CAL, D(2023, 12, 31), D(2026, 11, 27), (D(2026, 1, 1), D(2026, 12, 31))),
        # A first period covers the current term.
        (CAL, None, D(2026, 5, 10), (D(2026, 1, 1), D(2026, 12, 31))),
        # Fiscal year July-June.
        (FISCAL, D(2026, 6, 30), D(2026, 6, 1), (D(2026, 7, 1), D(2027, 6, 30))),
        (FISCAL, None, D(2026, 3, 1), (D(2025, 7, 1), D(2026, 6, 30))),
        (FISCAL, D(2022, 6, 30), D(2026, 8, 1), (D(2026, 7, 1), D(2027, 6, 30))),
        # Anniversary: a year from the day after the last one ended.
        (ANNIV, D(2026, 3, 14), D(2026, 3, 1), (D(2026, 3, 15), D(2027, 3, 14))),
        (ANNIV, None, D(2026, 5, 10), (D(2026, 5, 10), D(2027, 5, 9))),
        # February 29 anniversaries fall on February 28 in common years.
        (ANNIV, D(2024, 2, 28), D(2024, 2, 1), (D(2024, 2, 29), D(2025, 2, 27))),
        # Lapsed anniversary members keep their day, in the year covering today.
        (ANNIV, D(2023, 3, 14), D(2026, 11, 27), (D(2026, 3, 15), D(2027, 3, 14))),
        (ANNIV, D(2023, 3, 14), D(2026, 3, 1), (D(2025, 3, 15), D(2026, 3, 14))),
        # Never expires.
        (LIFE, None, D(2026, 5, 10), (D(2026, 5, 10), None)),
    ],
)
def test_next_period_by_term(
    term: MembershipTerm,
    latest_end: date | None,
    as_of: date,
    expected: tuple[date, date | None],
) -> None:
    assert next_period(term, latest_end, as_of, fiscal_start_month=7) == expected


def test_add_years_on_leap_day() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def _types(session: object) -> dict[str, MembershipType]:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    types = {
        "Individual": MembershipType(name="Individual", dues=Decimal("150.00")),
        "Student": MembershipType(name="Student", dues=Decimal("40.00"), term=ANNIV),
        "Fiscal": MembershipType(name="Fiscal", dues=Decimal("90.00"), term=FISCAL),
        "Honorary": MembershipType(name="Honorary", term=LIFE, honorary=True),
    }
    session.add_all(types.values())
    session.flush()
    return types


def _member(
    session: object, name: str, *periods: tuple[MembershipType, date, date | None, bool]
) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    member = Member(first_name=name, last_name="Test", email=f"{name.lower()}@example.org")
    session.add(member)
    session.flush()
    for kind, start, end, paid in periods:
        membership = Membership(
            member_id=member.id,
            membership_type=kind,
            start_date=start,
            end_date=end,
            dues=kind.dues,
        )
        session.add(membership)
        session.flush()
        if paid and kind.dues:
            session.add(
                Payment(
                    member_id=member.id,
                    membership_id=membership.id,
                    paid_on=start,
                    amount=kind.dues,
                    method=PaymentMethod.CARD,
                    purpose=PaymentPurpose.DUES,
                )
            )
    session.flush()
    return member.id


def test_renewing_adds_the_next_period_with_dues_owed(database: Database) -> None:
    as_of = D(2026, 11, 27)
    with database.transaction() as session:
        organization_settings(session).fiscal_year_start_month = 7
        t = _types(session)
        ana = _member(session, "Ana", (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), True))
        stu = _member(session, "Stu", (t["Student"], D(2026, 3, 15), D(2027, 3, 14), True))
        fis = _member(session, "Fis", (t["Fiscal"], D(2026, 7, 1), D(2027, 6, 30), True))
        hon = _member(session, "Hon", (t["Honorary"], D(2020, 1, 1), None, False))
        new = _member(session, "New")
        result = renew_members(session, [ana, stu, fis, hon, new], as_of)
    added = {p.member_id: (p.type_name, p.start, p.end, p.dues) for p in result.added}
    assert added == {
        ana: ("Individual", D(2027, 1, 1), D(2027, 12, 31), Decimal("150.00")),
        stu: ("Student", D(2027, 3, 15), D(2028, 3, 14), Decimal("40.00")),
        fis: ("Fiscal", D(2027, 7, 1), D(2028, 6, 30), Decimal("90.00")),
    }
    assert dict(result.skipped) == {
        hon: "their Honorary membership never expires",
        new: "no membership to renew; choose a type to start one",
    }
    with database.session() as session:
        # Owed, not paid: Ana is still current now, pending once 2027 starts and grace ends.
        rows = {r.id: r for r in member_rows(session, D(2027, 3, 1))}
        assert rows[ana].status is MemberStatus.PENDING
        assert rows[ana].paid_through == D(2026, 12, 31)
        # Bulk inserts are audited too.
        audited = session.scalars(
            select(AuditEntry.row_id).where(
                AuditEntry.table_name == "memberships", AuditEntry.action == "insert"
            )
        ).all()
        assert set(result.membership_ids) <= set(audited)


def test_renewing_twice_skips_the_already_renewed(database: Database) -> None:
    as_of = D(2026, 11, 27)
    with database.transaction() as session:
        t = _types(session)
        ana = _member(session, "Ana", (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), True))
        first = renew_members(session, [ana], as_of)
        second = renew_members(session, [ana], as_of)
        assert len(first.added) == 1 and not second.added
        assert second.skipped == [(ana, "already renewed through 12/31/2027")]
        # Asked for one member explicitly, a second year ahead is possible.
        third = renew_members(session, [ana], as_of, skip_renewed=False)
        assert (third.added[0].start, third.added[0].end) == (D(2028, 1, 1), D(2028, 12, 31))


def test_starting_a_membership_with_a_chosen_type(database: Database) -> None:
    with database.transaction() as session:
        t = _types(session)
        new = _member(session, "New")
        result = renew_members(session, [new], D(2026, 5, 10), membership_type_id=t["Student"].id)
        assert [(p.start, p.end) for p in result.added] == [(D(2026, 5, 10), D(2027, 5, 9))]
        with pytest.raises(DataRefused, match="no membership type #999"):
            renew_members(session, [new], D(2026, 5, 10), membership_type_id=999)


def test_renew_all_current(database: Database) -> None:
    as_of = D(2026, 11, 27)
    with database.transaction() as session:
        t = _types(session)
        current = _member(session, "Cur", (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), True))
        _member(session, "Lap", (t["Individual"], D(2024, 1, 1), D(2024, 12, 31), True))
        _member(session, "Pen", (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), False))
        assert member_ids_with_status(session, as_of, [MemberStatus.CURRENT]) == [current]


def test_dues_go_to_the_oldest_unpaid_period(database: Database) -> None:
    with database.transaction() as session:
        t = _types(session)
        ana = _member(
            session,
            "Ana",
            (t["Individual"], D(2025, 1, 1), D(2025, 12, 31), True),
            (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), False),
            (t["Individual"], D(2027, 1, 1), D(2027, 12, 31), False),
        )
        first = record_dues_payment(
            session,
            member_id=ana,
            amount=Decimal("100.00"),
            paid_on=D(2026, 2, 1),
            method=PaymentMethod.CHECK,
            reference="1001",
        )
        second = record_dues_payment(
            session,
            member_id=ana,
            amount=Decimal("50.00"),
            paid_on=D(2026, 2, 2),
            method=PaymentMethod.CASH,
        )
        third = record_dues_payment(
            session,
            member_id=ana,
            amount=Decimal("150.00"),
            paid_on=D(2026, 3, 1),
            method=PaymentMethod.TRANSFER,
        )
        balances = period_balances(session, ana)
        assert [b.standing for b in balances] == ["Paid", "Paid", "Paid"]
        assert first.membership_id == second.membership_id == balances[1].membership_id
        assert third.membership_id == balances[2].membership_id
        assert first.purpose is PaymentPurpose.DUES and first.reference == "1001"
        with pytest.raises(DataRefused, match="check number"):
            record_dues_payment(
                session,
                member_id=ana,
                amount=Decimal("10.00"),
                paid_on=D(2026, 3, 1),
                method=PaymentMethod.CHECK,
            )


def test_a_member_without_periods_cannot_pay_dues(database: Database) -> None:
    with database.transaction() as session:
        new = _member(session, "New")
        with pytest.raises(DataRefused, match="no membership to pay dues for"):
            record_dues_payment(
                session,
                member_id=new,
                amount=Decimal("1"),
                paid_on=D(2026, 1, 1),
                method=PaymentMethod.CASH,
            )
        donation = record_member_payment(
            session,
            member_id=new,
            amount=Decimal("25.00"),
            paid_on=D(2026, 1, 1),
            method=PaymentMethod.CARD,
            purpose=PaymentPurpose.DONATION,
        )
        assert (donation.member_id, donation.membership_id) == (new, None)


def test_payment_form_problems() -> None:
    assert check_payment_form("150", PaymentMethod.CARD, "") == (Decimal("150.00"), {})
    assert check_payment_form("$1,250.50", PaymentMethod.CHECK, "77")[0] == Decimal("1250.50")
    _, problems = check_payment_form("abc", PaymentMethod.CHECK, " ")
    assert set(problems) == {"amount", "reference"}
    assert "not possible" in check_payment_form("0", PaymentMethod.CASH, "")[1]["amount"]


def test_renewals_due_lists_who_stops_being_current(database: Database) -> None:
    with database.transaction() as session:
        t = _types(session)
        ending = _member(session, "End", (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), True))
        renewed = _member(
            session,
            "Ren",
            (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), True),
            (t["Individual"], D(2027, 1, 1), D(2027, 12, 31), True),
        )
        unpaid_renewal = _member(
            session,
            "Unp",
            (t["Individual"], D(2026, 1, 1), D(2026, 12, 31), True),
            (t["Individual"], D(2027, 1, 1), D(2027, 12, 31), False),
        )
        in_grace = _member(session, "Gra", (t["Student"], D(2025, 11, 1), D(2026, 10, 31), True))
        _member(session, "Hon", (t["Honorary"], D(2020, 1, 1), None, False))
        later = _member(session, "Lat", (t["Student"], D(2026, 6, 1), D(2027, 5, 31), True))
        session.add(Member(first_name="No", last_name="Email"))
    with database.session() as session:
        due = renewals_due(session, D(2026, 11, 27), 45)
        assert [d.member_id for d in due] == [in_grace, ending, unpaid_renewal]
        assert renewed not in [d.member_id for d in due] and later not in [d.member_id for d in due]
        grace = next(d for d in due if d.member_id == in_grace)
        assert grace.status is MemberStatus.GRACE
        assert (grace.paid_through, grace.lapses_on) == (D(2026, 10, 31), D(2026, 12, 1))
        # Zero days ahead: only those already past their end.
        assert [d.member_id for d in renewals_due(session, D(2026, 11, 27), 0)] == [in_grace]
        assert bcc_list([d.email for d in due]) == (
            "gra@example.org, end@example.org, unp@example.org"
        )


def test_bcc_list_keeps_each_address_once() -> None:
    assert bcc_list(["A@x.org", None, "a@x.org", "", "b@y.org"], "; ") == "a@x.org; b@y.org"


def test_membership_types_and_settings(database: Database) -> None:
    with database.transaction() as session:
        kind = save_membership_type(session, TypeDraft(name=" Retired ", dues="$75", term=CAL))
        assert (kind.name, kind.dues) == ("Retired", Decimal("75.00"))
        with pytest.raises(DataRefused, match="already a type called Retired"):
            save_membership_type(session, TypeDraft(name="retired", dues="1", term=CAL))
        with pytest.raises(DataRefused, match="never expires"):
            save_membership_type(
                session, TypeDraft(name="Emeritus", dues="0", term=CAL, honorary=True)
            )
        member = _member(session, "Ret", (kind, D(2026, 1, 1), D(2026, 12, 31), False))
        assert member
        with pytest.raises(DataRefused, match="untick “Offered”"):
            delete_membership_type(session, kind.id)
        save_membership_type(
            session, TypeDraft(name="Retired", dues="80", term=CAL, active=False), kind.id
        )
        spare = save_membership_type(session, TypeDraft(name="Spare", dues="1", term=ANNIV))
        delete_membership_type(session, spare.id)
        set_membership_settings(session, 45, 7)
        with pytest.raises(DataRefused):
            set_membership_settings(session, -1, 7)
        with pytest.raises(DataRefused):
            set_membership_settings(session, 30, 13)
    with database.session() as session:
        settings = organization_settings(session)
        assert (settings.grace_days, settings.fiscal_year_start_month) == (45, 7)
        retired = session.scalars(select(MembershipType)).one()
        assert (retired.dues, retired.active) == (Decimal("80.00"), False)
        # Periods keep the dues they were added with.
        assert session.scalar(select(func.max(Membership.dues))) == Decimal("75.00")


def test_a_first_membership_makes_a_member_since_its_start(database: Database) -> None:
    with database.transaction() as session:
        t = _types(session)
        new = _member(session, "New")
        renew_members(session, [new], D(2026, 5, 10), membership_type_id=t["Student"].id)
        member = session.get(Member, new)
        assert member is not None and member.member_since == D(2026, 5, 10)
