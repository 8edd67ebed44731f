"""While the app has a database open, commands that only read still work; writes are
refused with the sentence saying where it is open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sro_desktop.app import main
from sro_desktop.db.database import open_database


def test_read_commands_work_while_the_database_is_open(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    holder = open_database(demo_path)  # the app's window, as far as the lock is concerned
    try:
        assert main(["--db", str(demo_path), "meetings", "list", "--json"]) == 0
        meetings = json.loads(capsys.readouterr().out)
        assert len(meetings) == 4

        assert main(["--db", str(demo_path), "demo"]) == 2
        assert "already open in SRO Desktop" in capsys.readouterr().err
    finally:
        holder.close()
    assert main(["--db", str(demo_path), "demo"]) == 1  # now it may write (and refuses: not empty)
