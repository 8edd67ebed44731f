"""One writer per database: an OS lock on `NAME.sqlite3.lock` beside the file, held while
the database is open, and a warning for files in folders that a sync service copies.

Why an OS lock (flock / msvcrt) rather than a lock file alone: the operating system releases
it when the process ends in any way, a crash or `kill -9` included, so a stale lock can never
keep the treasurer out. The lock file also holds who has it (process id, computer, since
when) so a second copy of the app can say where the database is open.

A sync service (Dropbox, OneDrive, iCloud Drive, Google Drive) copies files between
computers but not locks; two computers writing the same file there will sooner or later
lose work, so such a location gets a warning (not a refusal). When the lock file names
another computer, that is said too.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from sro_desktop.errors import UnusableInput

LOCK_SUFFIX = ".lock"
log = logging.getLogger(__name__)

# Folder names that sync services use, compared case-insensitively with each path part.
_SYNCED_FOLDERS: tuple[tuple[str, str], ...] = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("icloud drive", "iCloud Drive"),
    ("icloud", "iCloud Drive"),
    ("mobile documents", "iCloud Drive"),
    ("com~apple~clouddocs", "iCloud Drive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
)


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) a database: read from its lock file."""

    pid: int | None
    host: str
    since: datetime | None

    @property
    def on_this_computer(self) -> bool:
        return self.host == socket.gethostname()

    def describe(self) -> str:
        where = "on this computer" if self.on_this_computer else f"on the computer “{self.host}”"
        parts = [where]
        if self.pid is not None:
            parts.append(f"process {self.pid}")
        if self.since is not None:
            parts.append(f"since {self.since:%Y-%m-%d %H:%M}")
        return ", ".join(parts)


class DatabaseInUse(UnusableInput):
    """Another copy of the app (or a command) has the database open for writing."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        where = f" ({holder.describe()})" if holder is not None else ""
        super().__init__(
            f"{path.name} is already open in SRO Desktop{where}; switch to that window or "
            "close it there first, then open the file again."
        )
        self.path = path
        self.holder = holder


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


def read_holder(database: Path) -> LockHolder | None:
    """Who the lock file says holds `database`; None without a (readable) lock file."""
    try:
        data = json.loads(lock_path_for(database).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    since = data.get("since")
    try:
        moment = datetime.fromisoformat(since) if isinstance(since, str) else None
    except ValueError:
        moment = None
    return LockHolder(
        pid=pid if isinstance(pid, int) else None, host=str(data.get("host", "")), since=moment
    )


def _try_lock(handle: IO[bytes]) -> bool:
    """Take an exclusive, non-blocking lock on the open file; False if someone has it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:
        # Some network file systems have no locks at all; work on, as SQLite does there.
        log.warning("could not lock %s (%s); going on without the lock", handle.name, error)
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _same_file(handle: IO[bytes], path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(handle.fileno())
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


class DatabaseLock:
    """The exclusive right to write a database, held until `release()`.

    `previous_holder` is what the lock file said before we took it: a holder on another
    computer means the file is probably in a synced folder and open there too.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path_for(database)
        self.previous_holder: LockHolder | None = None
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock or raise `DatabaseInUse` naming who has it."""
        if self._handle is not None:
            return self
        # A holder may unlink the lock file between our open and our lock; then the lock
        # we got is on a file nobody else will look at, so try again on the new one.
        for _attempt in range(5):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            except OSError as error:
                raise UnusableInput(
                    f"{self.database.name} cannot be opened for changes ({error.strerror}); "
                    "check that you may write to its folder, or copy it somewhere you may."
                ) from error
            handle = os.fdopen(descriptor, "r+b")
            if not _try_lock(handle):
                handle.close()
                raise DatabaseInUse(self.database, read_holder(self.database))
            if _same_file(handle, self.path):
                break
            _unlock(handle)
            handle.close()
        else:  # pragma: no cover - needs a pathological race
            raise DatabaseInUse(self.database, read_holder(self.database))
        os.chmod(self.path, 0o600)
        self.previous_holder = read_holder(self.database)
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now().isoformat(timespec="seconds"),
        }
        handle.seek(0)
        handle.truncate()
        # On Windows the first byte is the locked region; the record follows it.
        prefix = b" " if sys.platform == "win32" else b""
        handle.write(prefix + json.dumps(record).encode("utf-8"))
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        handle = self._handle
        if handle is None:
            return
        self._handle = None
        # Unlink while still holding it, so nobody can take a lock on a doomed file
        # (Windows will not delete an open file; the next owner overwrites it).
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        try:
            _unlock(handle)
        finally:
            handle.close()

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def synced_folder_service(path: Path) -> str | None:
    """The sync service whose folder holds `path` ("Dropbox", "OneDrive", ...), or None."""
    for part in path.expanduser().absolute().parts[:-1]:
        name = part.casefold()
        for folder, service in _SYNCED_FOLDERS:
            if name == folder or name.startswith(folder + " ") or name.startswith(folder + "-"):
                # "Dropbox (Personal)", "OneDrive - Contoso", "Google Drive 2"
                return service
    return None


def sharing_warnings(database: Path, previous_holder: LockHolder | None) -> list[str]:
    """Sentences for the user about writing this file from two computers."""
    warnings: list[str] = []
    service = synced_folder_service(database)
    if service is not None:
        warnings.append(
            f"{database.name} is in a {service} folder: open it on one computer at a time, "
            f"because {service} copies the file but not the lock that keeps two copies of "
            "the app from overwriting each other's work."
        )
    if previous_holder is not None and not previous_holder.on_this_computer:
        warnings.append(
            f"{database.name} was last opened on the computer “{previous_holder.host}” and "
            "may still be open there; close it there before you make changes here."
        )
    return warnings
