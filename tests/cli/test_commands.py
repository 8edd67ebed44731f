"""The command line against a temporary database: demo, members list, check, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sro_desktop import __version__
from sro_desktop.app import main

JSON_FIELDS = {
    "id",
    "first_name",
    "last_name",
    "credentials",
    "email",
    "phone",
    "organization",
    "organization_type",
    "job_role",
    "state",
    "member_since",
    "status",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_demo_then_members_list_json(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = run(capsys, "--db", str(db_path), "demo")
    assert (code, err) == (0, "")
    assert "260 members" in out
    code, out, err = run(capsys, "--db", str(db_path), "members", "list", "--json")
    assert code == 0
    people = json.loads(out)
    assert len(people) == 300
    assert set(people[0]) >= JSON_FIELDS
    assert {p["status"] for p in people} >= {"Current", "Lapsed", "Non-member"}


def test_members_list_filters_by_status(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    code, out, _ = run(
        capsys, "--db", str(demo_path), "members", "list", "--status", "lapsed", "--json"
    )
    assert code == 0
    statuses = {p["status"] for p in json.loads(out)}
    assert statuses == {"Lapsed"}


def test_members_list_as_a_table(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(demo_path), "members", "list", "--search", "penn valley")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["ID", "Name"]
    assert lines[-1].endswith("people")
    assert all("Penn Valley" in line for line in lines[1:-1])


def test_demo_into_a_database_with_people_exits_1(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    code, out, err = run(capsys, "--db", str(demo_path), "demo")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and "already has people" in err


def test_check_reports_ok(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(demo_path), "check")
    assert code == 0
    assert out.strip().endswith(": ok")


def test_unusable_file_exits_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bogus = tmp_path / "roster.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not a database")
    code, _, err = run(capsys, "--db", str(bogus), "members", "list")
    assert code == 2
    assert "roster.xlsx is not an SRO Desktop database" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(db_path), "members", "list", "--status", "gold")
    assert code == 2
    assert "'gold' is not a status" in err
    code, _, err = run(capsys, "members", "frobnicate")
    assert code == 2


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"sro-desktop {__version__}")
    for argv in (
        ["--help"],
        ["members", "--help"],
        ["members", "list", "--help"],
        ["demo", "--help"],
        ["check", "--help"],
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "usage:" in out


def test_database_from_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("SRO_DESKTOP_DB", str(chosen))
    code, _, err = run(capsys, "check")
    assert code == 2 and "SRO_DESKTOP_DB" in err and str(chosen) in err
    assert not chosen.exists()
    code, _, err = run(capsys, "demo")
    assert code == 0 and err == f"sro-desktop: made a new database at {chosen}.\n"
    code, _, _ = run(capsys, "check")
    assert code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ("members", "list"),
        ("members", "show", "1"),
        ("members", "export", "out.xlsx"),
        ("imports", "list"),
        ("report", "owed"),
        ("meetings", "list"),
        ("payments", "list"),
        ("memberships", "renew", "--member", "1"),
    ],
)
def test_a_mistyped_database_path_is_refused_and_no_file_is_made(
    capsys: pytest.CaptureFixture[str], missing_path: Path, argv: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "--db", str(missing_path), *argv)
    assert (code, out) == (2, "")
    assert err == (
        f"sro-desktop: There is no database at {missing_path}; check the path (given with "
        "--db or SRO_DESKTOP_DB), or leave it out to use the one in your data folder.\n"
    )
    assert not missing_path.exists()


def test_a_command_that_makes_a_new_database_says_where(
    capsys: pytest.CaptureFixture[str], missing_path: Path
) -> None:
    code, out, err = run(
        capsys,
        "--db",
        str(missing_path),
        "members",
        "add",
        "--first",
        "Ada",
        "--last",
        "Byron",
        "--email",
        "ada@example.org",
    )
    assert code == 0 and "Ada" in out
    assert err == f"sro-desktop: made a new database at {missing_path}.\n"
    code, out, err = run(capsys, "--db", str(missing_path), "members", "list")
    assert code == 0 and "Byron" in out and err == ""


def test_installed_console_script_runs(demo_path: Path) -> None:
    """The real entry point in a separate process, as a script would call it."""
    script = Path(sys.executable).with_name("sro-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sro_desktop"]
    result = subprocess.run(
        [*command, "--db", str(demo_path), "members", "list", "--json", "--status", "honorary"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [p["status"] for p in json.loads(result.stdout)] == ["Honorary"] * 4
