"""One writer: a second opener is told where the database is open; a dead holder's lock
goes with it; a synced folder or another computer's lock gets a warning."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sro_desktop.db.database import open_database
from sro_desktop.db.locking import (
    DatabaseInUse,
    DatabaseLock,
    lock_path_for,
    read_holder,
    synced_folder_service,
)
from sro_desktop.errors import UnusableInput

HOLD_LOCK = """
import sys, time
from pathlib import Path
from sro_desktop.db.database import open_database
database = open_database(Path(sys.argv[1]))
print("open", flush=True)
time.sleep(60)
"""


def test_a_second_open_is_refused_naming_this_process(db_path: Path) -> None:
    first = open_database(db_path)
    with pytest.raises(DatabaseInUse) as refused:
        open_database(db_path)
    message = str(refused.value)
    assert message.startswith("test.sqlite3 is already open in SRO Desktop (on this computer, ")
    assert f"process {os.getpid()}" in message
    first.close()
    assert not lock_path_for(db_path).exists()
    open_database(db_path).close()


def test_the_lock_file_says_who_holds_it(db_path: Path) -> None:
    database = open_database(db_path)
    holder = read_holder(db_path)
    assert holder is not None
    assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
    assert holder.on_this_computer
    assert oct(lock_path_for(db_path).stat().st_mode & 0o777) == "0o600"
    database.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_another_process_holds_it_until_it_is_killed(db_path: Path) -> None:
    open_database(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseInUse, match=f"process {holder.pid}"):
            open_database(db_path)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    # The lock file is still there (nobody removed it), but its lock died with the process.
    assert lock_path_for(db_path).exists()
    started = time.monotonic()
    open_database(db_path).close()
    assert time.monotonic() - started < 5


def test_a_lock_file_from_another_computer_warns_but_does_not_refuse(db_path: Path) -> None:
    open_database(db_path).close()
    record = {"pid": 4242, "host": "treasurers-old-laptop", "since": "2026-01-05T10:00:00"}
    lock_path_for(db_path).write_text(json.dumps(record))
    database = open_database(db_path)
    try:
        assert any("treasurers-old-laptop" in w for w in database.warnings)
    finally:
        database.close()


def test_the_lock_is_reentrant_and_released_once(db_path: Path) -> None:
    db_path.parent.mkdir()
    lock = DatabaseLock(db_path)
    assert lock.acquire() is lock.acquire()
    assert lock.held
    lock.release()
    lock.release()
    assert not lock.held
    with DatabaseLock(db_path) as again:
        assert again.held


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("~/Dropbox/SRO/members.sqlite3", "Dropbox"),
        ("~/Dropbox (Personal)/members.sqlite3", "Dropbox"),
        ("C:/Users/pat/OneDrive - Contoso/SRO/members.sqlite3", "OneDrive"),
        ("~/OneDrive/members.sqlite3", "OneDrive"),
        ("~/Library/Mobile Documents/com~apple~CloudDocs/members.sqlite3", "iCloud Drive"),
        ("~/iCloud Drive/members.sqlite3", "iCloud Drive"),
        ("~/Google Drive/My Drive/members.sqlite3", "Google Drive"),
        ("/Volumes/GoogleDrive/members.sqlite3", "Google Drive"),
        ("G:/My Drive/SRO/members.sqlite3", "Google Drive"),
        ("~/Documents/SRO/members.sqlite3", None),
        ("~/Library/CloudStorage/OneDrive-Personal/members.sqlite3", "OneDrive"),
        ("~/Library/CloudStorage/GoogleDrive-pat@example.org/members.sqlite3", "Google Drive"),
        ("~/Documents/Dropboxes/members.sqlite3", None),
        ("~/Dropbox.sqlite3", None),  # the file's own name is not a folder
    ],
)
def test_synced_folders_are_recognised(path: str, service: str | None) -> None:
    assert synced_folder_service(Path(path)) == service


def test_a_database_in_a_synced_folder_opens_with_a_warning(tmp_path: Path) -> None:
    database = open_database(tmp_path / "Dropbox" / "SRO" / "members.sqlite3")
    try:
        assert len(database.warnings) == 1
        assert "members.sqlite3 is in a Dropbox folder" in database.warnings[0]
        assert "one computer at a time" in database.warnings[0]
    finally:
        database.close()


def test_a_lock_file_that_cannot_be_made_is_a_sentence_not_a_crash(db_path: Path) -> None:
    open_database(db_path).close()
    lock_path_for(db_path).mkdir()  # something in the way, which even root cannot open
    with pytest.raises(UnusableInput, match=r"test\.sqlite3 cannot be opened for changes"):
        open_database(db_path)
