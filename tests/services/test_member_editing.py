"""Adding, editing, archiving and deleting people, with the form's rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AuditEntry,
    Employer,
    EmployerType,
    JobRole,
    Member,
    Membership,
    MembershipType,
    NotDuplicatePair,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.member_editing import (
    MemberDraft,
    add_member,
    check_member,
    delete_member,
    draft_of,
    linked_records,
    set_archived,
    update_member,
)
from sro_desktop.services.payments import record_payment

JANE = MemberDraft(
    first_name="  Jane ",
    last_name="Doe",
    email="  Jane.Doe@Example.ORG ",
    phone="(215) 555-0100 ext. 12",
    credentials="md phd",
    state="Pennsylvania",
    organization="Penn Valley Health",
    organization_type=EmployerType.HOSPITAL,
    job_role=JobRole.COORDINATOR,
    member_since="3/14/2021",
)


def test_a_draft_is_saved_clean(database: Database) -> None:
    with database.transaction() as session:
        check = check_member(session, JANE)
        assert check.ok, check.problems
        assert check.hints["state"] == "Saved as PA (Pennsylvania)"
        assert check.hints["credentials"] == "Saved as MD, PhD"
        assert check.hints["email"] == "Saved as jane.doe@example.org"
        assert check.hints["organization"] == "New organization: Penn Valley Health"
        member = add_member(session, JANE)
        member_id = member.id
    with database.session() as session:
        saved = session.get(Member, member_id)
        assert saved is not None
        assert (saved.first_name, saved.last_name) == ("Jane", "Doe")
        assert saved.email == "jane.doe@example.org"
        assert saved.phone == "(215) 555-0100 ext. 12"  # kept as typed
        assert saved.phone_digits == "2155550100"  # compared by digits
        assert (saved.state, saved.country) == ("PA", "US")
        assert saved.credentials == "MD, PhD"
        assert saved.member_since == date(2021, 3, 14)
        assert saved.employer is not None
        assert (saved.employer.name, saved.employer.type) == (
            "Penn Valley Health",
            EmployerType.HOSPITAL,
        )
        assert saved.job_role is JobRole.COORDINATOR
        # The change is in the audit trail, like every change to a member.
        assert session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.member_id == member_id)
        )


def test_a_canadian_province_by_name(database: Database) -> None:
    with database.transaction() as session:
        member = add_member(session, MemberDraft(first_name="Luc", last_name="Roy", state="Québec"))
        assert (member.state, member.country) == ("QC", "CA")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"first_name": "   "}, "first_name", "required"),
        ({"last_name": ""}, "last_name", "required"),
        ({"email": "jane@"}, "email", "nothing comes after the @"),
        ({"email": "jane doe@example.org"}, "email", "space"),
        ({"phone": "555-01"}, "phone", "too short"),
        ({"state": "Pensylvania"}, "state", "did you mean Pennsylvania"),
        ({"state": "France"}, "state", "not a US state or Canadian province"),
        ({"member_since": "14/3/2021"}, "member_since", "14/3/2021"),
        ({"first_name": "x" * 101}, "first_name", "too long"),
        (
            {"organization": "", "organization_type": EmployerType.HOSPITAL},
            "organization_type",
            "Give the organization",
        ),
    ],
)
def test_problems_name_the_field(
    database: Database, changes: dict[str, object], field: str, words: str
) -> None:
    draft = MemberDraft(**{**JANE.__dict__, **changes})  # type: ignore[arg-type]
    with database.session() as session:
        check = check_member(session, draft)
        assert not check.ok and check.values is None
        assert words in check.problems[field]
    with database.transaction() as session, pytest.raises(DataRefused):
        add_member(session, draft)


def test_two_people_cannot_share_an_email_and_the_clash_names_the_other(
    database: Database,
) -> None:
    with database.transaction() as session:
        jane_id = add_member(session, JANE).id
    other = MemberDraft(first_name="John", last_name="Roe", email="JANE.DOE@example.org")
    with database.session() as session:
        check = check_member(session, other)
        assert check.problems["email"] == (
            f"jane.doe@example.org already belongs to Jane Doe (member #{jane_id}); "
            "two people cannot share an email."
        )
        # Editing Jane herself with her own email is no clash.
        assert check_member(session, JANE, jane_id).ok
    with database.transaction() as session, pytest.raises(DataRefused, match="Jane Doe"):
        add_member(session, other)


def test_an_archived_owner_is_still_a_clash_and_says_so(database: Database) -> None:
    with database.transaction() as session:
        jane_id = add_member(session, JANE).id
        set_archived(session, jane_id, True)
    with database.session() as session:
        check = check_member(session, MemberDraft(first_name="A", last_name="B", email=JANE.email))
        assert "archived" in check.problems["email"]


def test_edit_keeps_the_organization_shared_and_changes_its_type(database: Database) -> None:
    with database.transaction() as session:
        jane_id = add_member(session, JANE).id
        colleague = add_member(
            session,
            MemberDraft(first_name="Al", last_name="Bo", organization="penn valley  health"),
        )
        assert colleague.employer is not None and colleague.employer.name == "Penn Valley Health"
        assert session.scalar(select(func.count()).select_from(Employer)) == 1
    with database.transaction() as session:
        jane = session.get(Member, jane_id)
        assert jane is not None
        draft = draft_of(jane)
        assert draft.member_since == "03/14/2021" and draft.email == "jane.doe@example.org"
        changed = MemberDraft(
            **{**draft.__dict__, "organization_type": EmployerType.MEDICAL_SCHOOL}
        )
        check = check_member(session, changed, jane_id)
        assert "for everyone who works there" in check.hints["organization_type"]
        update_member(session, jane_id, changed)
    with database.session() as session:
        employer = session.scalars(select(Employer)).one()
        assert employer.type is EmployerType.MEDICAL_SCHOOL


def _with_payment(database: Database) -> int:
    with database.transaction() as session:
        member = add_member(session, JANE)
        kind = MembershipType(name="Individual", dues=Decimal("150.00"))
        membership = Membership(
            member=member,
            membership_type=kind,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            dues=Decimal("150.00"),
        )
        session.add(membership)
        session.flush()
        record_payment(
            session,
            amount=Decimal("150.00"),
            paid_on=date(2026, 1, 5),
            method=PaymentMethod.CHECK,
            purpose=PaymentPurpose.DUES,
            membership_id=membership.id,
        )
        return member.id


def test_deleting_someone_with_payments_is_refused_with_the_reason(database: Database) -> None:
    member_id = _with_payment(database)
    with database.transaction() as session, pytest.raises(DataRefused) as refused:
        delete_member(session, member_id)
    assert str(refused.value) == (
        "Jane Doe has 1 payment on record, so they cannot be deleted; archive them instead "
        "(the records stay and they leave the list)."
    )
    with database.transaction() as session:
        set_archived(session, member_id, True)
    with database.session() as session:
        assert linked_records(session, member_id).payments == 1
        member = session.get(Member, member_id)
        assert member is not None and member.archived


def test_deleting_someone_without_records_takes_their_periods_and_marks(
    database: Database,
) -> None:
    with database.transaction() as session:
        jane = add_member(session, JANE)
        other = add_member(session, MemberDraft(first_name="Al", last_name="Bo"))
        kind = MembershipType(name="Individual", dues=Decimal("150.00"))
        session.add(
            Membership(
                member=jane,
                membership_type=kind,
                start_date=date(2026, 1, 1),
                end_date=date(2026, 12, 31),
                dues=Decimal("150.00"),
            )
        )
        session.add(NotDuplicatePair(member_low_id=jane.id, member_high_id=other.id))
        jane_id = jane.id
    with database.transaction() as session:
        delete_member(session, jane_id)
    with database.session() as session:
        assert session.get(Member, jane_id) is None
        assert session.scalar(select(func.count()).select_from(Membership)) == 0
        assert session.scalar(select(func.count()).select_from(NotDuplicatePair)) == 0


def test_unknown_member_is_refused(database: Database) -> None:
    with database.transaction() as session, pytest.raises(DataRefused, match="no member #99"):
        delete_member(session, 99)
