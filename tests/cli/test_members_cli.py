"""The members, memberships and payments commands against real database files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from sro_desktop.db.database import open_database
from sro_desktop.db.models import Member, Membership, Payment
from tests.cli.test_commands import JSON_FIELDS, run


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_members_add_prints_the_new_member(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    added = _json(
        capsys,
        "--db",
        str(db_path),
        "members",
        "add",
        "--first",
        " Jane",
        "--last",
        "Doe",
        "--email",
        " Jane.Doe@Example.ORG ",
        "--phone",
        "(215) 555-0100",
        "--organization",
        "Penn Valley Health",
        "--organization-type",
        "hospital",
        "--role",
        "coordinator",
        "--credentials",
        "md phd",
        "--state",
        "Pennsylvania",
        "--json",
    )
    assert isinstance(added, dict)
    assert set(added) >= JSON_FIELDS | {"membership_type", "paid_through"}
    assert added["id"] == 1
    assert (added["email"], added["state"], added["credentials"]) == (
        "jane.doe@example.org",
        "PA",
        "MD, PhD",
    )
    assert (added["organization"], added["organization_type"], added["job_role"]) == (
        "Penn Valley Health",
        "hospital",
        "coordinator",
    )
    assert added["status"] == "Non-member"
    code, out, _ = run(
        capsys,
        "--db",
        str(db_path),
        "members",
        "add",
        "--first",
        "John",
        "--last",
        "Roe",
        "--email",
        "john@example.org",
    )
    assert code == 0 and out.startswith("Added member #2: John Roe <john@example.org>")


def test_members_add_email_clash_exits_1_naming_the_other(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    run(
        capsys,
        "--db",
        str(db_path),
        "members",
        "add",
        "--first",
        "Jane",
        "--last",
        "Doe",
        "--email",
        "jane@example.org",
    )
    code, out, err = run(
        capsys,
        "--db",
        str(db_path),
        "members",
        "add",
        "--first",
        "J",
        "--last",
        "D",
        "--email",
        "JANE@example.org",
    )
    assert code == 1 and out == ""
    assert err == (
        "sro-desktop: Email: jane@example.org already belongs to Jane Doe (member #1); "
        "two people cannot share an email.\n"
    )
    code, _, err = run(
        capsys,
        "--db",
        str(db_path),
        "members",
        "add",
        "--first",
        "J",
        "--last",
        "D",
        "--email",
        "not-an-email",
    )
    assert code == 1 and "is not an email address" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", str(db_path), "members", "add", "--first", "J")
    assert code == 2  # missing arguments


def test_members_list_filters(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    people = _json(
        capsys,
        "--db",
        str(demo_path),
        "members",
        "list",
        "--status",
        "current",
        "--state",
        "nj",
        "--organization-type",
        "hospital",
        "--json",
    )
    assert isinstance(people, list) and people
    assert {(p["status"], p["state"], p["organization_type"]) for p in people} == {
        ("Current", "NJ", "hospital")
    }


def test_duplicates_merge_and_not_duplicate(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    pairs = _json(capsys, "--db", str(demo_path), "members", "duplicates", "--json")
    assert isinstance(pairs, list) and pairs
    assert all(p["score"] >= 6 for p in pairs)
    first = pairs[0]
    assert set(first) == {"first_id", "first_name", "second_id", "second_name", "score", "reasons"}

    code, out, _ = run(
        capsys,
        "--db",
        str(demo_path),
        "members",
        "not-duplicate",
        str(first["first_id"]),
        str(first["second_id"]),
    )
    assert code == 0 and "different people" in out
    again = _json(capsys, "--db", str(demo_path), "members", "duplicates", "--json")
    assert isinstance(again, list)
    assert (first["first_id"], first["second_id"]) not in {
        (p["first_id"], p["second_id"]) for p in again
    }

    keep, other = again[0]["first_id"], again[0]["second_id"]
    database = open_database(demo_path)
    with database.session() as session:
        expected = {
            model.__tablename__: len(
                session.scalars(select(model.id).where(model.member_id.in_([keep, other]))).all()
            )
            for model in (Membership, Payment)
        }
        other_email = session.get(Member, other).email  # type: ignore[union-attr]
    database.close()
    merged = _json(
        capsys,
        "--db",
        str(demo_path),
        "members",
        "merge",
        str(keep),
        str(other),
        "--take",
        "email",
        "--json",
    )
    assert isinstance(merged, dict)
    assert merged["id"] == keep and merged["email"] == other_email
    database = open_database(demo_path)
    with database.session() as session:
        assert session.get(Member, other) is None
        for model in (Membership, Payment):
            count = len(session.scalars(select(model.id).where(model.member_id == keep)).all())
            assert count == expected[model.__tablename__]
    database.close()
    code, _, err = run(capsys, "--db", str(demo_path), "members", "merge", str(keep), str(other))
    assert code == 1 and f"no member #{other}" in err


def test_renew_and_pay_dues(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    as_of = "2026-11-27"
    current = _json(
        capsys,
        "--db",
        str(demo_path),
        "members",
        "list",
        "--status",
        "current",
        "--as-of",
        as_of,
        "--json",
    )
    assert isinstance(current, list)
    renewed = _json(
        capsys,
        "--db",
        str(demo_path),
        "memberships",
        "renew",
        "--all-current",
        "--as-of",
        as_of,
        "--json",
    )
    assert isinstance(renewed, dict)
    assert len(renewed["added"]) == len(current)
    calendar = [a for a in renewed["added"] if a["type"] == "Individual"]
    assert calendar and {(a["start"], a["end"]) for a in calendar} == {("2027-01-01", "2027-12-31")}
    again = _json(
        capsys,
        "--db",
        str(demo_path),
        "memberships",
        "renew",
        "--all-current",
        "--as-of",
        as_of,
        "--json",
    )
    assert isinstance(again, dict) and again["added"] == []

    member_id = calendar[0]["member_id"]
    code, out, _ = run(
        capsys,
        "--db",
        str(demo_path),
        "payments",
        "add",
        "--member",
        str(member_id),
        "--amount",
        "$150",
        "--date",
        "11/27/2026",
        "--method",
        "check",
        "--reference",
        "4417",
    )
    assert code == 0 and out.startswith("Recorded payment #")
    assert f"against membership #{calendar[0]['membership_id']}" in out
    code, _, err = run(
        capsys,
        "--db",
        str(demo_path),
        "payments",
        "add",
        "--member",
        str(member_id),
        "--amount",
        "150",
        "--date",
        "2026-11-27",
        "--method",
        "check",
    )
    assert code == 1 and "check number" in err
    code, _, err = run(
        capsys,
        "--db",
        str(demo_path),
        "payments",
        "add",
        "--member",
        str(member_id),
        "--amount",
        "lots",
        "--date",
        "2026-11-27",
        "--method",
        "cash",
    )
    assert code == 2 and "lots" in err
    donation = _json(
        capsys,
        "--db",
        str(demo_path),
        "payments",
        "add",
        "--member",
        str(member_id),
        "--amount",
        "20",
        "--date",
        "2026-11-27",
        "--method",
        "card",
        "--purpose",
        "donation",
        "--json",
    )
    assert isinstance(donation, dict)
    assert (donation["purpose"], donation["membership_id"], donation["amount"]) == (
        "donation",
        None,
        "20.00",
    )

    single = _json(
        capsys,
        "--db",
        str(demo_path),
        "memberships",
        "renew",
        "--member",
        str(member_id),
        "--dry-run",
        "--as-of",
        as_of,
        "--json",
    )
    assert isinstance(single, dict) and single["dry_run"]
    assert single["added"][0]["start"] == "2028-01-01"


def test_renew_needs_someone(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(demo_path), "memberships", "renew")
    assert code == 2 and "--all-current" in err
    code, _, err = run(
        capsys,
        "--db",
        str(demo_path),
        "memberships",
        "renew",
        "--member",
        "1",
        "--type",
        "Platinum",
    )
    assert code == 2 and "no membership type 'Platinum'" in err


def test_renewals_due_as_a_bcc_list(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    due = _json(
        capsys,
        "--db",
        str(demo_path),
        "memberships",
        "due",
        "--days",
        "60",
        "--as-of",
        "2026-12-15",
        "--json",
    )
    assert isinstance(due, list) and due
    code, out, _ = run(
        capsys,
        "--db",
        str(demo_path),
        "memberships",
        "due",
        "--days",
        "60",
        "--as-of",
        "2026-12-15",
        "--emails",
        "--separator",
        "; ",
    )
    assert code == 0
    assert out.strip().split("; ") == [d["email"] for d in due if d["email"]]
    assert all(date.fromisoformat(d["paid_through"]) <= date(2027, 2, 13) for d in due)


def test_show_archive_and_delete(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    shown = _json(capsys, "--db", str(demo_path), "members", "show", "5", "--json")
    assert isinstance(shown, dict)
    assert shown["id"] == 5 and shown["memberships"] and shown["payments"]
    code, _, err = run(capsys, "--db", str(demo_path), "members", "delete", "5")
    assert code == 1 and "archive them instead" in err
    code, out, _ = run(capsys, "--db", str(demo_path), "members", "archive", "5")
    assert code == 0 and "Archived member #5" in out
    people = _json(capsys, "--db", str(demo_path), "members", "list", "--json")
    assert isinstance(people, list) and 5 not in [p["id"] for p in people]
    code, out, _ = run(capsys, "--db", str(demo_path), "members", "unarchive", "5")
    assert code == 0
    run(
        capsys,
        "--db",
        str(demo_path),
        "members",
        "add",
        "--first",
        "Temp",
        "--last",
        "Person",
        "--email",
        "temp@example.org",
    )
    code, out, _ = run(capsys, "--db", str(demo_path), "members", "delete", "301")
    assert code == 0 and out == "Deleted member #301: Temp Person\n"


def test_help_for_every_new_verb(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["members", "add", "--help"],
        ["members", "duplicates", "--help"],
        ["members", "merge", "--help"],
        ["memberships", "renew", "--help"],
        ["memberships", "due", "--help"],
        ["payments", "add", "--help"],
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "usage:" in out
