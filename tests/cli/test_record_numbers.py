"""Unusable input on the command line: a record number too large to exist is an argument
error (exit 2, one sentence), not a crash; a member that does not exist is refused (exit 1);
`check` on a file that is no database at all exits 2 like any command given it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_commands import run

TOO_LARGE = str(2**63)


@pytest.mark.parametrize(
    "words",
    [
        ("members", "show", TOO_LARGE),
        ("checkin", "--meeting", TOO_LARGE, "--member", "1"),
        ("receipts", "--payment", TOO_LARGE, "--out", "r.pdf"),
        ("certificates", "issue", "--meeting", TOO_LARGE, "--out", "c.pdf"),
        ("registrations", "list", "--meeting", TOO_LARGE),
        ("attendance", "list", "--meeting", TOO_LARGE),
        ("memberships", "renew", "--member", TOO_LARGE),
        ("imports", "undo", TOO_LARGE),
    ],
)
def test_a_number_too_large_to_be_a_record_is_an_argument_error(
    capsys: pytest.CaptureFixture[str], demo_path: Path, words: tuple[str, ...]
) -> None:
    code, _out, err = run(capsys, "--db", str(demo_path), *words)
    assert code == 2, err
    assert "too large" in err or "not a member number" in err
    assert "something went wrong" not in err
    assert len(err.strip().splitlines()) == 1


def test_renewing_a_member_who_does_not_exist_is_refused(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    code, _out, err = run(
        capsys, "--db", str(demo_path), "memberships", "renew", "--member", "99999"
    )
    assert code == 1
    assert "There is no member #99999" in err


def test_check_on_a_file_that_is_no_database_is_an_unusable_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    garbage = tmp_path / "notes.sqlite3"
    garbage.write_text("garbage, not a database\n")
    code, out, _err = run(capsys, "--db", str(garbage), "check")
    assert code == 2
    assert "file is not a database" in out
