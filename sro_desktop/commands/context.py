"""What every command needs: the database, opened once on first use, and JSON output."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sro_desktop.errors import UnusableInput
from sro_desktop.paths import DATABASE_ENV, default_database_path

if TYPE_CHECKING:
    from sro_desktop.db.database import Database


@dataclass
class CommandContext:
    database_path: Path | None = None
    # A command that only reads may run while the app has the database open.
    read_only: bool = False
    # Only commands that make sense on a new database (demo data, an import, adding a
    # member) make one where there is none; for the others a missing file is a slip (a
    # mistyped --db), and an empty database made there would only hide it.
    may_create: bool = False
    #: Whether this command made the database (said once it has succeeded, see cli.run).
    created: bool = field(default=False, init=False)
    _database: Database | None = field(default=None, init=False)

    @property
    def path(self) -> Path:
        return self.database_path or default_database_path()

    def database(self) -> Database:
        if self._database is None:
            from sro_desktop.db.database import open_database  # not at import: start-up time

            path = self.path
            new = not path.exists()
            if new and not self.may_create:
                raise UnusableInput(_no_database(path, chosen=self.database_path is not None))
            self._database = open_database(path, for_reading=self.read_only)
            self.created = new
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


def _no_database(path: Path, *, chosen: bool) -> str:
    if chosen or os.environ.get(DATABASE_ENV):
        return (
            f"There is no database at {path}; check the path (given with --db or "
            f"{DATABASE_ENV}), or leave it out to use the one in your data folder."
        )
    return (
        f"There is no database yet at {path}; open SRO Desktop to make one, or add people "
        "with 'sro-desktop members import FILE' or 'sro-desktop demo'."
    )


def _json_default(value: object) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, default=_json_default, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned text table for people reading a terminal."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    for line in [headers, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
