"""`audit list` and `audit export` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from sro_desktop.app import main
from sro_desktop.db.database import open_database
from sro_desktop.db.models import Member
from tests.cli.test_backup_cli import run


def _rename_member_one(path: Path, new_first: str) -> tuple[int, str]:
    database = open_database(path)
    try:
        with database.transaction(action="Edit member") as session:
            member = session.scalars(select(Member).order_by(Member.id).limit(1)).one()
            old = member.first_name
            member.first_name = new_first
            return member.id, old
    finally:
        database.close()


def test_audit_list_shows_one_members_changes_as_json(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    member_id, old = _rename_member_one(demo_path, "Renamed")
    code, out, _ = run(
        capsys, "--db", str(demo_path), "audit", "list", "--member", str(member_id), "--json"
    )
    assert code == 0
    entries = json.loads(out)
    assert entries and {e["member_id"] for e in entries} == {member_id}
    newest = entries[0]
    assert newest["record"] == "members" and newest["change"] == "update"
    assert newest["fields"] == {"first_name": {"old": old, "new": "Renamed"}}
    assert newest["action"] == "Edit member"
    assert newest["member"].startswith("Renamed ")


def test_audit_list_as_a_table_with_filters(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    _rename_member_one(demo_path, "Zebedee")
    code, out, _ = run(
        capsys,
        "--db",
        str(demo_path),
        "audit",
        "list",
        "--search",
        "zebedee",
        "--record",
        "members",
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[-1] == "1 changes"
    assert "Changed" in lines[1] and "First name:" in lines[1] and "→ Zebedee" in lines[1]
    code, out, _ = run(capsys, "--db", str(demo_path), "audit", "list", "--limit", "5")
    assert out.strip().splitlines()[-1] == "5 changes"


def test_audit_export_writes_a_workbook_two_readers_agree_on(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    member_id, _ = _rename_member_one(demo_path, '=HYPERLINK("http://x.example","hi")')
    target = tmp_path / "history.xlsx"
    code, out, err = run(
        capsys, "--db", str(demo_path), "audit", "export", str(target), "--member", str(member_id)
    )
    assert code == 0, err
    assert out.startswith("Wrote ") and str(target) in out
    assert target.stat().st_mode & 0o777 == 0o600  # member data: the user's alone

    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["When (local time)", "Member ID", "Member"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert {row[1] for row in values} == {member_id}
    formula_cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "f"]
    assert formula_cells == []
    injected = [
        c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value).startswith("=HYPER")
    ]
    assert injected and all(c.data_type == "s" and c.quotePrefix for c in injected)

    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert len(rows) == len(values) + 1
    assert any(str(cell).startswith("=HYPERLINK") for row in rows for cell in row)


def test_audit_export_refuses_a_name_that_is_not_xlsx(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", str(demo_path), "audit", "export", str(tmp_path / "a.csv"))
    assert code == 2 and "does not end in .xlsx" in err
    code, _, err = run(
        capsys, "--db", str(demo_path), "audit", "export", str(tmp_path / "no" / "a.xlsx")
    )
    assert code == 2 and "does not exist" in err


def test_audit_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["audit", "--help"], ["audit", "list", "--help"], ["audit", "export", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_deleting_a_member_keeps_their_history(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    database = open_database(db_path)
    with database.transaction(action="Add member") as session:
        member = Member(first_name="Ada", last_name="Gone", email="ada@example.org")
        session.add(member)
    with database.transaction(action="Delete member") as session:
        session.delete(session.get(Member, member.id))
    database.close()

    code, out, _ = run(
        capsys, "--db", str(db_path), "audit", "list", "--member", str(member.id), "--json"
    )
    entries = json.loads(out)
    assert code == 0
    assert [e["change"] for e in entries] == ["delete", "insert"]
    assert {e["member"] for e in entries} == {"Ada Gone"}  # the name as last recorded
    assert entries[0]["fields"]["email"] == {"old": "ada@example.org", "new": None}


def test_no_code_deletes_audit_entries() -> None:
    """History is only ever added to: nothing in the app deletes or rewrites audit rows."""
    package = Path(__file__).resolve().parents[2] / "sro_desktop"
    offenders = []
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        for needle in (
            "delete(auditentry",
            "delete from audit_entries",
            "update(auditentry",
            "update audit_entries",
            "drop table audit_entries",
        ):
            if needle in lowered:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []
