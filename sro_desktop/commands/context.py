"""What every command needs: the database, opened once on first use, and JSON output."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sro_desktop.paths import default_database_path

if TYPE_CHECKING:
    from sro_desktop.db.database import Database


@dataclass
class CommandContext:
    database_path: Path | None = None
    # A command that only reads may run while the app has the database open.
    read_only: bool = False
    _database: Database | None = field(default=None, init=False)

    @property
    def path(self) -> Path:
        return self.database_path or default_database_path()

    def database(self) -> Database:
        if self._database is None:
            from sro_desktop.db.database import open_database  # not at import: start-up time

            self._database = open_database(self.path, for_reading=self.read_only)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


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
