"""The members table's own reading connection, which holds the prepared member list.

The member list (see `services.members`) is a temporary table, so it lives on one
connection: this object keeps that connection open while a database is shown, rebuilds
the list when the day changes or the data changed broadly, and refreshes only the rows of
the people an action touched. Each read ends its transaction at once, so the connection
never holds an old snapshot of the file.

Rebuilding the whole list takes a second or two at 100,000 people, so the page does it in
the background (`start_rebuild`): a plain Python thread builds a new list on a connection
of its own and reads the rows the table will show first, while the table keeps showing
(and scrolling) the old list; the GUI thread then `adopt`s the new connection. The thread
never calls into Qt.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.services.members import (
    FilterChoices,
    MemberFilter,
    MemberListPage,
    MemberRow,
    count_members,
    filter_choices,
    member_list_count,
    member_list_emails,
    member_list_ids,
    member_list_page,
    prepare_member_list,
    refresh_member_list,
)

T = TypeVar("T")
ListRead = Callable[[Session], T]
# Past this many people, refreshing row by row is slower than rebuilding.
REFRESH_LIMIT = 2000
BATCH = 500  # rows a page, here and in the table model
LIST_PRAGMAS = ("PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536")


class MemberListReader:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._connection: Connection | None = None
        self.as_of: date | None = None
        self._build: ListBuild[Any] | None = None

    def _connect(self) -> Connection:
        connection = self.database.engine.connect()
        # The list lives in memory, with room to keep it there (this connection only).
        # Said to SQLite directly, outside any transaction, as these pragmas require.
        driver = connection.connection.driver_connection
        if isinstance(driver, sqlite3.Connection):
            for pragma in LIST_PRAGMAS:
                driver.execute(pragma)
        return connection

    def _read(self, work: Callable[[Session], T], *, write: bool = False) -> T:
        if self._connection is None or self._connection.closed:
            self._connection = self._connect()
            self.as_of = None
        with Session(bind=self._connection) as session:
            result = work(session)
            if write:
                session.commit()
        return result

    def ensure_ready(self, today: date) -> bool:
        """Build the list if it is missing or was built on another day; True if built."""
        if self._connection is not None and not self._connection.closed and self.as_of == today:
            return False
        self.rebuild(today)
        return True

    def rebuild(self, today: date) -> None:
        self._read(lambda session: prepare_member_list(session, today), write=True)
        self.as_of = today

    def refresh(self, member_ids: Collection[int], today: date) -> None:
        """Bring the rows of these people up to date (everyone's, if they are many)."""
        if self.ensure_ready(today):
            return
        if not member_ids or len(member_ids) > REFRESH_LIMIT:
            self.rebuild(today)
            return
        self._read(lambda session: refresh_member_list(session, today, member_ids), write=True)

    def page(
        self, member_filter: MemberFilter, sort: str, descending: bool, after: Any, limit: int
    ) -> MemberListPage:
        return self._read(
            lambda session: member_list_page(
                session, member_filter, sort=sort, descending=descending, after=after, limit=limit
            )
        )

    def count(self, member_filter: MemberFilter) -> int:
        return self._read(lambda session: member_list_count(session, member_filter))

    def ids(self, member_filter: MemberFilter) -> list[int]:
        return self._read(lambda session: member_list_ids(session, member_filter))

    def emails(self, member_filter: MemberFilter) -> list[str]:
        return self._read(lambda session: member_list_emails(session, member_filter))

    def people(self) -> int:
        """Everyone in the database, archived or not."""
        return self._read(count_members)

    def choices(self) -> FilterChoices:
        return self._read(filter_choices)

    # -- rebuilding in the background ---------------------------------------------------

    def start_rebuild(self, today: date, then: ListRead[T]) -> ListBuild[T]:
        """Build a new list for `today` in a worker thread, then run `then` on it there
        (to read what will be shown first). Only one build runs at a time: starting one
        cancels the one before."""
        self.cancel_rebuild()
        build = ListBuild(self, today, then)
        self._build = build
        build.thread.start()
        return build

    def adopt(self, build: ListBuild[T]) -> T:
        """Read from the list `build` made (it must be done), letting go of the old one;
        returns what its `then` read. Raises what the build raised."""
        connection, value = build.result()
        if self._build is build:
            self._build = None
        if self._connection is not None:
            self._connection.close()
        self._connection = connection
        self.as_of = build.today
        return value

    def cancel_rebuild(self) -> None:
        build, self._build = self._build, None
        if build is not None:
            build.cancel()

    def close(self) -> None:
        self.cancel_rebuild()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.as_of = None


class ListBuild(Generic[T]):
    """One rebuild of the member list running in a plain Python thread: a new connection,
    the list prepared on it, and `then` run on it. The GUI thread polls `done`."""

    def __init__(self, reader: MemberListReader, today: date, then: ListRead[T]) -> None:
        self.today = today
        self._reader = reader
        self._then = then
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._cancelled = False
        self._outcome: tuple[Connection, T] | BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="member list", daemon=True)

    def _run(self) -> None:
        connection: Connection | None = None
        outcome: tuple[Connection, T] | BaseException
        try:
            connection = self._reader._connect()
            with self._lock:
                self._connection = connection
                cancelled = self._cancelled
            if cancelled:
                raise _Cancelled()
            with Session(bind=connection) as session:
                prepare_member_list(session, self.today)
                session.commit()
                value = self._then(session)
            outcome = (connection, value)
        except BaseException as error:  # handed to the GUI thread, which decides
            if connection is not None:
                connection.close()
            outcome = error
        with self._lock:
            self._outcome = outcome

    @property
    def done(self) -> bool:
        with self._lock:
            return self._outcome is not None

    def result(self) -> tuple[Connection, T]:
        self.thread.join()
        outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        return outcome

    def cancel(self) -> None:
        """Stop the build (SQLite is interrupted mid-statement) and close its connection."""
        with self._lock:
            self._cancelled = True
            connection = self._connection
        if connection is not None and not connection.closed:
            driver = connection.connection.driver_connection
            if isinstance(driver, sqlite3.Connection):
                driver.interrupt()
        self.thread.join()
        outcome = self._outcome
        if isinstance(outcome, tuple):
            outcome[0].close()
        self._outcome = _Cancelled()


class _Cancelled(Exception):
    """The build was cancelled (the database was closed or a newer build started)."""


@dataclass(frozen=True)
class ListView:
    """What the members table shows first after a rebuild, read beside it in the background."""

    member_filter: MemberFilter
    sort: str
    descending: bool
    page: MemberListPage
    total: int
    people: int
    choices: FilterChoices


def read_view(
    session: Session, member_filter: MemberFilter, sort: str, descending: bool, at_least: int
) -> ListView:
    """The first pages of rows (at least `at_least` rows, or all), the count and the filter
    choices, from the list on `session`'s connection."""
    rows: list[MemberRow] = []
    after: tuple[Any, ...] | None = None
    while True:
        page = member_list_page(
            session, member_filter, sort=sort, descending=descending, after=after, limit=BATCH
        )
        rows.extend(page.rows)
        after = page.next_after
        if after is None or len(rows) >= at_least:
            break
    total = len(rows) if after is None else member_list_count(session, member_filter)
    return ListView(
        member_filter,
        sort,
        descending,
        MemberListPage(rows, after),
        total,
        count_members(session),
        filter_choices(session),
    )
