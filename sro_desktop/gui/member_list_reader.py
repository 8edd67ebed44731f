"""The members table's own reading connection, which holds the prepared member list.

The member list (see `services.members`) is a temporary table, so it lives on one
connection: this object keeps that connection open while a database is shown, rebuilds
the list when the day changes or the data changed broadly, and refreshes only the rows of
the people an action touched. Each read ends its transaction at once, so the connection
never holds an old snapshot of the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from sro_desktop.db.database import Database
from sro_desktop.services.members import (
    FilterChoices,
    MemberFilter,
    MemberListPage,
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
# Past this many people, refreshing row by row is slower than rebuilding.
REFRESH_LIMIT = 2000
LIST_PRAGMAS = ("PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536")


class MemberListReader:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._connection: Connection | None = None
        self.as_of: date | None = None

    def _read(self, work: Callable[[Session], T], *, write: bool = False) -> T:
        if self._connection is None or self._connection.closed:
            self._connection = self.database.engine.connect()
            # The list lives in memory, with room to keep it there (this connection only).
            # Said to SQLite directly, outside any transaction, as these pragmas require.
            driver = self._connection.connection.driver_connection
            if isinstance(driver, sqlite3.Connection):
                for pragma in LIST_PRAGMAS:
                    driver.execute(pragma)
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

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.as_of = None
