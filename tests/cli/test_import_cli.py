"""The import and export commands: JSON shape, exit codes, dry runs, undo, workbooks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sro_desktop.app import main
from tests.spreadsheets.import_files import write_messy_roster, write_rows

REPORT_KEYS = {
    "header_row",
    "mapping",
    "created",
    "updated",
    "unchanged",
    "duplicates",
    "skipped",
    "errors",
    "batch_id",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json(out: str) -> Any:
    return json.loads(out)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_messy_roster(tmp_path / "roster.xlsx")


def test_an_invalid_row_stops_the_import_with_exit_1(
    capsys: pytest.CaptureFixture[str], db_path: Path, roster: Path
) -> None:
    code, out, err = run(capsys, "--db", str(db_path), "members", "import", str(roster), "--json")

    assert code == 1
    report = _json(out)
    assert set(report) >= REPORT_KEYS
    assert report["header_row"] == 4
    assert report["mapping"]["E-mail Address"] == "email"
    assert report["batch_id"] is None
    assert report["errors"] == [
        {
            "row": 8,
            "column": "E-mail Address",
            "value": "ann.lee@@example",
            "message": "'ann.lee@@example' is not an email address: it has more than one @",
        }
    ]
    assert err.count("\n") == 1 and "nothing was imported" in err and "Traceback" not in err
    code, out, _err = run(capsys, "--db", str(db_path), "members", "list", "--json")
    assert _json(out) == []


def test_dry_run_writes_nothing_and_exits_0(
    capsys: pytest.CaptureFixture[str], db_path: Path, roster: Path
) -> None:
    code, out, _err = run(
        capsys, "--db", str(db_path), "members", "import", str(roster), "--dry-run", "--json"
    )

    assert code == 0
    report = _json(out)
    assert (report["created"], report["duplicates"], report["skipped"]) == (3, 1, 1)
    assert report["batch_id"] is None
    code, out, _err = run(capsys, "--db", str(db_path), "imports", "list", "--json")
    assert _json(out) == []


def test_skip_invalid_imports_the_rest_and_undo_takes_it_back(
    capsys: pytest.CaptureFixture[str], db_path: Path, roster: Path, tmp_path: Path
) -> None:
    fix = tmp_path / "to fix.xlsx"
    code, out, err = run(
        capsys,
        "--db",
        str(db_path),
        "members",
        "import",
        str(roster),
        "--skip-invalid",
        "--invalid-rows",
        str(fix),
        "--json",
    )
    assert (code, err) == (0, "")
    report = _json(out)
    assert (report["created"], report["skipped"]) == (3, 1)
    batch = report["batch_id"]
    assert isinstance(batch, int)
    rows = CalamineWorkbook.from_path(str(fix)).get_sheet_by_index(0).to_python()
    assert rows[3][-2:] == ["What to fix", "Row in original file"]
    assert rows[4][2] == "ann.lee@@example"

    code, out, _err = run(capsys, "--db", str(db_path), "imports", "list", "--json")
    [listed] = _json(out)
    assert {"id", "file", "created_at", "created", "updated"} <= set(listed)
    assert (listed["id"], listed["file"], listed["created"]) == (batch, "roster.xlsx", 3)

    code, out, _err = run(capsys, "--db", str(db_path), "imports", "undo", str(batch))
    assert code == 0
    assert "removed 3 people" in out
    code, out, _err = run(capsys, "--db", str(db_path), "members", "list", "--json")
    assert _json(out) == []
    code, _out, err = run(capsys, "--db", str(db_path), "imports", "undo", str(batch))
    assert code == 1 and "already undone" in err


def test_a_column_can_be_mapped_by_hand(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "odd.xlsx", [["Courriel", "Prénom", "Nom"], ["lu@example.org", "Lu", "Roy"]]
    )
    code, out, _err = run(
        capsys,
        "--db",
        str(db_path),
        "members",
        "import",
        str(path),
        "--map",
        "Courriel=email",
        "--map",
        "Prénom=first_name",
        "--map",
        "Nom=last_name",
        "--json",
    )
    assert code == 0
    assert _json(out)["created"] == 1

    code, _out, err = run(
        capsys, "--db", str(db_path), "members", "import", str(path), "--map", "Courriel=shoe"
    )
    assert code == 2 and "no field “shoe”" in err


def test_an_unreadable_file_is_refused_in_one_sentence(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("just some text")

    code, out, err = run(capsys, "--db", str(db_path), "members", "import", str(path))

    assert (code, out) == (2, "")
    assert err.startswith("sro-desktop: “notes.xlsx” is a plain text file")
    assert err.count("\n") == 1


@pytest.mark.parametrize("kind", ["members", "registrations", "attendance"])
def test_a_file_with_no_name_or_email_column_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, kind: str
) -> None:
    run(capsys, "--db", str(db_path), "demo")
    path = tmp_path / "codes.csv"
    path.write_text("Code,Amount,Notes\nA1,150,x\nB2,75,y\n")
    meeting = () if kind == "members" else ("--meeting", "1")

    code, out, err = run(capsys, "--db", str(db_path), kind, "import", str(path), *meeting)

    assert (code, out) == (2, "")
    assert err == (
        "sro-desktop: No column of codes.csv (header row 1: “Code”, “Amount”, “Notes”) reads "
        "as a name or an email address, so no one could be imported; name the columns "
        "(e.g. “First Name”, “Last Name”, “Email”) or map them with --map 'HEADER=email'.\n"
    )
    # Mapped by hand, the same file is read and its rows checked.
    code, out, _err = run(
        capsys,
        "--db",
        str(db_path),
        kind,
        "import",
        str(path),
        *meeting,
        "--map",
        "Notes=email",
        "--dry-run",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["mapping"]["Notes"] == "email"


def test_members_export_with_a_status(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "--db", str(db_path), "demo")
    path = tmp_path / "lapsed.xlsx"

    code, out, _err = run(
        capsys, "--db", str(db_path), "members", "export", str(path), "--status", "lapsed", "--json"
    )

    assert code == 0
    result = _json(out)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert result["rows"] == len(rows) - 4 > 0
    status = rows[3].index("Status")
    assert {row[status] for row in rows[4:]} == {"Lapsed"}


def test_workbook_export_then_import_into_a_new_database(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "--db", str(db_path), "demo")
    path = tmp_path / "everything.xlsx"
    code, out, _err = run(capsys, "--db", str(db_path), "workbook", "export", str(path), "--json")
    assert code == 0
    exported = _json(out)["rows"]

    new = tmp_path / "new.sqlite3"
    code, out, _err = run(capsys, "--db", str(new), "workbook", "import", str(path), "--json")
    assert code == 0
    assert _json(out)["rows"] == exported
    code, _out, err = run(capsys, "--db", str(new), "workbook", "import", str(path))
    assert code == 1 and "not empty" in err

    code, out, _err = run(capsys, "--db", str(new), "members", "list", "--json")
    assert len(_json(out)) == exported["members"]
