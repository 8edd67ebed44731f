"""Opening a database file: private file mode, SQLite check, migrations, sessions.

One `Database` per open file. Sessions are short: one per user action, opened by the
caller (`with db.transaction() as session:`), never inside service functions.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, exc, text
from sqlalchemy.orm import Session, sessionmaker

from sro_desktop.db.audit import ACTION_KEY
from sro_desktop.db.engine import create_private_file, looks_like_sqlite, make_engine
from sro_desktop.db.integrity import check_on_open
from sro_desktop.db.locking import DatabaseInUse, DatabaseLock, sharing_warnings
from sro_desktop.db.migrate import current_revision, head_revision, upgrade_to_head
from sro_desktop.errors import UnusableInput
from sro_desktop.paths import ensure_private_dir

log = logging.getLogger(__name__)
#: SQLite's own default: after a commit leaves this many pages in the write-ahead log,
#: the committing connection copies them into the database file.
AUTOCHECKPOINT_PAGES = 1000


@dataclass
class Database:
    path: Path
    engine: Engine
    migration_backup: Path | None = None
    # The one-writer lock (released by close) and sentences about sharing the file.
    lock: DatabaseLock | None = None
    warnings: list[str] = field(default_factory=list)
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _checkpointer: threading.Thread | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """A session for reading; the caller closes it (use it as a context manager)."""
        return self._sessions()

    @contextmanager
    def transaction(self, action: str = "") -> Iterator[Session]:
        """One user action: everything inside commits together or not at all.

        `action` names it in the audit trail ("Edit member", "Import roster.xlsx").
        """
        with self._sessions() as session, session.begin():
            session.info[ACTION_KEY] = action
            yield session

    @contextmanager
    def large_transaction(self, action: str = "") -> Iterator[Session]:
        """As `transaction`, for an action writing a great deal (a large import).

        The commit makes the write-ahead log durable, and that is when the action is
        done; copying the log into the database file (a checkpoint, which SQLite would
        run at once on the committing connection, a tenth of a second per 100 MB) is
        left to a background thread, as SQLite's documentation suggests for such
        writers. Readers and later writers never wait for it; `close` does.
        """
        self.wait_for_checkpoint()
        with self.engine.connect() as connection:
            # On the driver's connection: through SQLAlchemy's, the pragma would begin
            # the transaction, and the session would only join it, never commit it.
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA wal_autocheckpoint=0")
            try:
                with self._sessions(bind=connection) as session, session.begin():
                    session.info[ACTION_KEY] = action
                    yield session
            finally:
                driver.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        self._checkpointer = threading.Thread(
            target=self._checkpoint, name="checkpoint", daemon=True
        )
        self._checkpointer.start()

    def _checkpoint(self) -> None:
        try:
            with closing(sqlite3.connect(self.path, timeout=0)) as connection:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:  # only housekeeping: the next commit or close does it then
            log.debug("Background checkpoint of %s failed", self.path.name, exc_info=True)

    def wait_for_checkpoint(self) -> None:
        """Let a background checkpoint (see `large_transaction`) finish."""
        if self._checkpointer is not None:
            self._checkpointer.join()
            self._checkpointer = None

    def integrity_check(self) -> list[str]:
        """SQLite's full integrity check plus a foreign key check; empty when sound."""
        with self.engine.connect() as connection:
            problems = [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
            for row in connection.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"row {row[1]} of table {row[0]} points to a missing {row[2]}")
        return [p for p in problems if p != "ok"]

    def close(self) -> None:
        self.wait_for_checkpoint()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def open_database(path: Path, *, for_reading: bool = False) -> Database:
    """Open (creating if needed) the database at `path` and bring its schema up to date.

    Takes the one-writer lock (`DatabaseInUse` if another copy has it) and runs SQLite's
    quick check first (`DatabaseDamaged`, the file left untouched, if it fails).
    With `for_reading`, a database another copy has open is still opened, to read only.
    """
    path = path.expanduser().absolute()
    if path.is_dir():
        raise UnusableInput(f"{path} is a folder; choose a database file inside it instead.")
    try:
        if path.exists() and not looks_like_sqlite(path):
            raise UnusableInput(
                f"{path.name} is not an SRO Desktop database; open a .sqlite3 file made by "
                "SRO Desktop, or import a spreadsheet with File > Import instead."
            )
        ensure_private_dir(path.parent)
        create_private_file(path)
    except OSError as error:
        raise UnusableInput(
            f"The database {path} could not be opened ({error.strerror}); "
            "check that the folder exists and you may write to it."
        ) from error
    try:
        lock = DatabaseLock(path).acquire()
    except DatabaseInUse:
        if not for_reading:
            raise
        # Reading beside the writer is safe in WAL mode; only an up-to-date file, though.
        return _open_for_reading_beside_writer(path)
    try:
        check_on_open(path)
    except BaseException:
        lock.release()
        raise
    engine = make_engine(path)
    try:
        backup = upgrade_to_head(engine, path)
    except (sqlite3.DatabaseError, exc.DatabaseError) as error:
        engine.dispose()
        lock.release()
        raise UnusableInput(
            f"{path.name} could not be read as a database ({error}); "
            "restore it from a backup or open another file."
        ) from error
    except BaseException:
        engine.dispose()
        lock.release()
        raise
    warnings = sharing_warnings(path, lock.previous_holder)
    return Database(path=path, engine=engine, migration_backup=backup, lock=lock, warnings=warnings)


def _open_for_reading_beside_writer(path: Path) -> Database:
    engine = make_engine(path)
    if current_revision(engine) != head_revision():
        engine.dispose()
        raise UnusableInput(
            f"{path.name} is open in SRO Desktop and needs an upgrade first; close the app "
            "and run the command again."
        )
    return Database(path=path, engine=engine)
