"""`members merge` backs the database up first, like the other destructive bulk actions:
the merge cannot be undone from a terminal, the backup can be restored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sro_desktop.db.backup import list_backups
from tests.cli.test_commands import run


def _members(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        count: int = connection.execute("SELECT count(*) FROM members").fetchone()[0]
    return count


def test_merge_takes_a_before_merge_backup_holding_both_people(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    assert [b for b in list_backups(demo_path) if b.reason == "before-merge"] == []
    before = _members(demo_path)
    with sqlite3.connect(demo_path) as connection:
        keep, other = (row[0] for row in connection.execute("SELECT id FROM members LIMIT 2"))

    code, out, err = run(capsys, "--db", str(demo_path), "members", "merge", str(keep), str(other))

    assert (code, err) == (0, "")
    assert f"Kept #{keep}" in out
    assert _members(demo_path) == before - 1
    backups = [b for b in list_backups(demo_path) if b.reason == "before-merge"]
    assert len(backups) == 1
    assert backups[0].reason_label == "Before a merge"
    assert _members(backups[0].path) == before  # the backup still has the merged-away person


@pytest.mark.parametrize(
    ("other", "words"),
    [("same", "two different people"), ("missing", "999999")],
)
def test_a_refused_merge_leaves_no_backup_behind(
    capsys: pytest.CaptureFixture[str], demo_path: Path, other: str, words: str
) -> None:
    with sqlite3.connect(demo_path) as connection:
        keep = connection.execute("SELECT min(id) FROM members").fetchone()[0]
    argv = [str(keep), str(keep) if other == "same" else "999999"]
    before = _members(demo_path)

    code, out, err = run(capsys, "--db", str(demo_path), "members", "merge", *argv)

    assert code != 0 and out == "" and words in err
    assert _members(demo_path) == before
    assert [b for b in list_backups(demo_path) if b.reason == "before-merge"] == []
