"""`backup`, `restore`, `backups list|settings` and `check` from the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sro_desktop.app import main
from sro_desktop.db.backup import list_backups
from sro_desktop.db.database import open_database
from sro_desktop.db.models import Member
from tests.db.damage import damage


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _people(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM members").fetchone()[0])
    finally:
        connection.close()


def _add_someone(path: Path) -> None:
    database = open_database(path)
    with database.transaction(action="Add member") as session:
        session.add(Member(first_name="New", last_name="Person"))
    database.close()


def test_backup_to_the_backups_folder_and_to_a_file(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--db", str(demo_path), "backup")
    assert code == 0
    [taken] = list_backups(demo_path)
    assert taken.reason == "manual"
    assert out.strip() == f"Backed up demo.sqlite3 (300 people) to {taken.path}"

    chosen = tmp_path / "usb" / "copy.sqlite3"
    code, out, _ = run(capsys, "--db", str(demo_path), "backup", str(chosen))
    assert code == 0 and _people(chosen) == 300

    code, _, err = run(capsys, "--db", str(demo_path), "backup", str(chosen))
    assert code == 2 and "already exists" in err


def test_backup_works_while_the_app_has_the_file_open(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    database = open_database(demo_path)
    try:
        code, _, err = run(capsys, "--db", str(demo_path), "backup")
    finally:
        database.close()
    assert code == 0, err


def test_backup_of_a_missing_database_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "nope.sqlite3"), "backup")
    assert code == 2 and "There is no database at" in err


def test_restore_brings_back_the_backup_and_keeps_the_current_content(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    run(capsys, "--db", str(demo_path), "backup", str(copy))
    _add_someone(demo_path)
    assert _people(demo_path) == 301

    code, out, err = run(capsys, "--db", str(demo_path), "restore", str(copy))

    assert code == 0, err
    assert _people(demo_path) == 300
    [safety] = list_backups(demo_path)
    assert safety.reason == "before-restore" and _people(safety.path) == 301
    assert out.startswith("Restored demo.sqlite3 from copy.sqlite3 (300 people)")


def test_restore_is_refused_while_the_app_has_the_file_open(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    run(capsys, "--db", str(demo_path), "backup", str(copy))
    database = open_database(demo_path)
    try:
        code, _, err = run(capsys, "--db", str(demo_path), "restore", str(copy))
    finally:
        database.close()
    assert code == 2
    assert "demo.sqlite3 is already open in SRO Desktop (on this computer, process" in err
    assert err.count("\n") == 1


def test_writing_commands_respect_the_lock(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    database = open_database(demo_path)
    try:
        code, _, err = run(capsys, "--db", str(demo_path), "demo")
        assert code == 2 and "is already open" in err
        # Checking only reads, so it may look while the app has the file open.
        code, out, _ = run(capsys, "--db", str(demo_path), "check")
        assert code == 0 and "the app has it open (on this computer" in out
    finally:
        database.close()


def test_check_on_a_damaged_file_names_the_newest_good_backup(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    run(capsys, "--db", str(demo_path), "backup")
    [good] = list_backups(demo_path)
    damage(demo_path)

    code, out, _ = run(capsys, "--db", str(demo_path), "check")
    assert code == 1
    assert "problem(s) found" in out
    assert f"The newest good backup is {good.path}" in out
    assert f"restore '{good.path}'" in out

    code, out, _ = run(capsys, "--db", str(demo_path), "check", "--quick", "--json")
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False and report["check"] == "quick_check" and report["problems"]
    assert report["newest_good_backup"] == str(good.path)


def test_restore_over_a_damaged_file_keeps_it(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    run(capsys, "--db", str(demo_path), "backup")
    [good] = list_backups(demo_path)
    damage(demo_path)
    damaged_bytes = demo_path.read_bytes()

    code, out, err = run(capsys, "--db", str(demo_path), "restore", str(good.path))

    assert code == 0, err
    kept = [p for p in demo_path.parent.iterdir() if "-damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert f"the damaged file was kept unchanged as {kept[0]}" in out
    assert _people(demo_path) == 300


def test_backups_list_and_settings(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    for _ in range(3):
        run(capsys, "--db", str(demo_path), "backup")
    code, out, _ = run(capsys, "--db", str(demo_path), "backups", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 3
    assert {b["people"] for b in listed} == {300} and {b["reason"] for b in listed} == {"manual"}

    code, out, _ = run(capsys, "--db", str(demo_path), "backups", "list")
    assert "Backed up by you  300" in out and out.strip().endswith("backups")

    code, out, _ = run(
        capsys,
        "--db",
        str(demo_path),
        "backups",
        "settings",
        "--keep-last",
        "1",
        "--keep-months",
        "0",
    )
    assert code == 0
    assert "Removed 2 backups" in out
    assert "Keeping the newest 1 backups and one a month for 0 months." in out
    assert len(list_backups(demo_path)) == 1

    code, _, err = run(capsys, "--db", str(demo_path), "backups", "settings", "--keep-last", "0")
    assert code == 2 and "between 1 and 1000" in err
