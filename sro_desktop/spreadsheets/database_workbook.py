"""The whole database as one workbook, and back: a sheet per table, a column per field.

For handing the books to the next volunteer, for an accountant, or for moving to a new
laptop without SRO Desktop's own file. Export -> import into an empty database ->
export gives the same workbook, cell for cell:

* an "About" sheet says what the file is and which schema it follows (no date, so two
  exports of the same data are identical);
* each table's sheet is named after the table, headed by its column names (stable:
  they are the database's own), rows in id order, ids included so links survive;
* dates are date cells, money currency cells, yes/no TRUE/FALSE, times of day on the
  agenda date-and-time cells; moments the app stamps (created, changed, checked in),
  which carry microseconds a spreadsheet cell cannot, are ISO 8601 text in UTC;
* JSON values (an import's column mapping, a certificate's printed text) are their
  JSON text; pictures (logo, signature) are base64 text, and any text longer than a
  cell may hold continues on the "Long values" sheet.

Importing checks the About sheet and that the database is empty, then writes every
table in dependency order with the ids as they were, in one transaction, without
touching the audit trail (the workbook carries it). A value that does not fit its
column is refused with its sheet, row and column.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.sqltypes import Enum as EnumType

from sro_desktop import __version__
from sro_desktop.db.models import Base
from sro_desktop.db.models.base import Hundredths, UtcDateTime
from sro_desktop.errors import DataRefused, UnusableInput
from sro_desktop.services.bulk_rows import stored_form
from sro_desktop.spreadsheets.reading import list_sheets, read_raw_rows
from sro_desktop.spreadsheets.refusals import quoted
from sro_desktop.spreadsheets.sheet_data import CellValue, column_letter
from sro_desktop.spreadsheets.workbook_writer import (
    MAX_CELL_TEXT,
    Kind,
    SheetSpec,
    write_workbook,
)
from sro_desktop.spreadsheets.workbook_writer import (
    Column as SheetColumn,
)

__all__ = ["FORMAT_NAME", "WorkbookRestore", "export_database", "import_database"]

FORMAT_NAME: Final = "SRO Desktop database workbook"
ABOUT_SHEET: Final = "About"
LONG_SHEET: Final = "Long values"
_LONG_MARK: Final = "\u2026(continued on the Long values sheet)"
_PART_CHARS: Final = 30_000
_INSERT_BATCH: Final = 5_000
#: Tables that start with a row in a new database; a restore replaces it.
_REPLACEABLE: Final = frozenset({"organization_settings", "expense_categories"})


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _kind(column: Column[Any]) -> Kind:
    column_type = column.type
    if isinstance(column_type, Hundredths):
        return "money"
    if isinstance(column_type, UtcDateTime):
        return "text"
    if isinstance(column_type, DateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Integer):
        return "integer"
    return "text"


def _schema_revision(session: Session) -> str:
    try:
        return str(session.execute(text("SELECT version_num FROM alembic_version")).scalar())
    except Exception:  # a database made without migrations (tests)
        return ""


# --- export -----------------------------------------------------------------------------


@dataclass
class _LongValues:
    rows: list[list[Any]] = field(default_factory=list)

    def keep(self, table: str, row_id: Any, column: str, value: str) -> str:
        """`value` if it fits a cell; else its start, the rest noted on the Long values sheet."""
        if len(value) <= MAX_CELL_TEXT:
            return value
        for part, start in enumerate(range(0, len(value), _PART_CHARS), start=1):
            self.rows.append([table, row_id, column, part, value[start : start + _PART_CHARS]])
        return _LONG_MARK


def _cell(
    column: Column[Any], value: Any, long_values: _LongValues, table: str, row_id: Any
) -> Any:
    if value is None:
        return None
    column_type = column.type
    if isinstance(column_type, UtcDateTime):
        return value.astimezone(UTC).isoformat()
    if isinstance(column_type, DateTime) and isinstance(value, datetime):
        # A cell holds milliseconds at best; finer moments go as exact text.
        return value if value.microsecond % 1000 == 0 else value.isoformat()
    if isinstance(column_type, LargeBinary):
        return long_values.keep(table, row_id, column.name, base64.b64encode(value).decode())
    if isinstance(column_type, JSON):
        dumped = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return long_values.keep(table, row_id, column.name, dumped)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return long_values.keep(table, row_id, column.name, value)
    return value


def export_database(session: Session, path: Path) -> dict[str, int]:
    """Write every table to `path`; returns the number of rows per table."""
    long_values = _LongValues()
    counts: dict[str, int] = {}
    sheets: list[SheetSpec] = []
    for table in _tables():
        columns = list(table.columns)
        ordering = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
        rows = session.execute(select(table).order_by(*ordering)).all()
        counts[table.name] = len(rows)
        cells = [
            [
                _cell(column, value, long_values, table.name, row[0])
                for column, value in zip(columns, row, strict=True)
            ]
            for row in rows
        ]
        sheets.append(
            SheetSpec(
                title=table.name,
                columns=[SheetColumn(column.name, _kind(column)) for column in columns],
                rows=cells,
            )
        )
    about = SheetSpec(
        title=ABOUT_SHEET,
        columns=[SheetColumn("What"), SheetColumn("Value")],
        rows=[
            ["Format", FORMAT_NAME],
            ["Made by", f"SRO Desktop {__version__}"],
            ["Schema revision", _schema_revision(session)],
            ["Tables", len(sheets)],
            ["Rows", sum(counts.values())],
            [
                "How to use",
                "Import into an empty database with File > Import (Whole database "
                "workbook) or `sro-desktop workbook import FILE`. Every other sheet is one "
                "table; keep the sheet names and the header rows as they are.",
            ],
        ],
    )
    long_sheet = SheetSpec(
        title=LONG_SHEET,
        columns=[
            SheetColumn("table"),
            SheetColumn("id", "integer"),
            SheetColumn("column"),
            SheetColumn("part", "integer"),
            SheetColumn("text", width=80),
        ],
        rows=long_values.rows,
    )
    write_workbook(path, [about, *sheets, long_sheet])
    return counts


# --- import -----------------------------------------------------------------------------


@dataclass
class WorkbookRestore:
    """What an import of a database workbook wrote."""

    path: Path
    rows: dict[str, int]

    def summary(self) -> str:
        total = sum(self.rows.values())
        people = self.rows.get("members", 0)
        return (
            f"Restored {total:,} rows from {self.path.name}, {people:,} of them people, "
            f"into {len([n for n, c in self.rows.items() if c])} tables."
        )


def _refuse(file_name: str, sheet: str, row: int, column: str, value: Any, why: str) -> DataRefused:
    return DataRefused(
        f"{quoted(file_name)}, sheet “{sheet}”, row {row}, column {column} "
        f"(“{str(value)[:40]}”): {why}; correct it in the workbook and import again."
    )


def _reader(column: Column[Any]) -> Callable[[CellValue], Any]:
    """A function turning a cell into the column's Python value (raising ValueError)."""
    column_type = column.type
    nullable = bool(column.nullable)

    def empty() -> Any:
        if nullable:
            return None
        if isinstance(column_type, Integer | Boolean | Date | DateTime | Hundredths):
            raise ValueError("it must not be empty")
        return ""

    def read(value: CellValue) -> Any:
        if value is None:
            return empty()
        if isinstance(column_type, Hundredths):
            if isinstance(value, bool):
                raise ValueError("it is not an amount")
            try:
                return Decimal(str(value)).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise ValueError("it is not an amount") from None
        if isinstance(column_type, UtcDateTime):
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if isinstance(column_type, DateTime):
            if isinstance(value, datetime):
                return value
            return datetime.fromisoformat(str(value))
        if isinstance(column_type, Date):
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            return date.fromisoformat(str(value))
        if isinstance(column_type, Boolean):
            if isinstance(value, bool):
                return value
            if value in (0, 1):
                return bool(value)
            word = str(value).strip().casefold()
            if word in ("true", "false"):
                return word == "true"
            raise ValueError("it is not TRUE or FALSE")
        if isinstance(column_type, Integer):
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError("it is not a whole number")
            number = float(value) if isinstance(value, str) else value
            if isinstance(number, float) and not number.is_integer():
                raise ValueError("it is not a whole number")
            return int(number)
        if isinstance(column_type, LargeBinary):
            return base64.b64decode(str(value), validate=True)
        if isinstance(column_type, JSON):
            return json.loads(str(value))
        if isinstance(column_type, EnumType) and column_type.enum_class is not None:
            return column_type.enum_class(str(value))
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value if isinstance(value, str) else str(value)

    return read


def _sheet_rows(
    path: Path, sheet: str
) -> tuple[list[str], Iterator[tuple[int, tuple[CellValue, ...]]]]:
    _name, rows = read_raw_rows(path, sheet, keep_text=True)
    if not rows:
        return [], iter(())
    header = [str(value) if value is not None else "" for value in rows[0].values]
    return header, ((row.row_number, row.values) for row in rows[1:] if row.values)


def _whole(value: CellValue) -> int:
    """An id or part number from a cell (0 when there is none)."""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return int(value)
        except ValueError:
            return 0
    return 0


def _check_about(path: Path, sheets: Sequence[str]) -> None:
    if ABOUT_SHEET not in sheets:
        raise UnusableInput(
            f"{quoted(path.name)} is not an SRO Desktop database workbook (it has no "
            "About sheet); to bring in a member list, import it as members instead."
        )
    _header, rows = _sheet_rows(path, ABOUT_SHEET)
    about = {str(values[0]): values[1] if len(values) > 1 else None for _n, values in rows}
    if about.get("Format") != FORMAT_NAME:
        raise UnusableInput(
            f"{quoted(path.name)} is not an SRO Desktop database workbook; to bring in a "
            "member list, import it as members instead."
        )


def _check_empty(session: Session) -> None:
    for table in _tables():
        if table.name in _REPLACEABLE:
            continue
        if session.scalar(select(func.count()).select_from(table)):
            raise DataRefused(
                "The database is not empty (it has rows in "
                f"“{table.name}”); a database workbook goes only into a new, empty database: "
                "create one with File > New database and import it there."
            )


def _long_values(path: Path, sheets: Sequence[str]) -> dict[tuple[str, int, str], str]:
    if LONG_SHEET not in sheets:
        return {}
    _header, rows = _sheet_rows(path, LONG_SHEET)
    parts: dict[tuple[str, int, str], list[tuple[int, str]]] = {}
    for _number, values in rows:
        padded = list(values) + [None] * (5 - len(values))
        table, row_id, column, part, chunk = padded[:5]
        key = (str(table), _whole(row_id), str(column))
        parts.setdefault(key, []).append((_whole(part), "" if chunk is None else str(chunk)))
    return {key: "".join(chunk for _p, chunk in sorted(found)) for key, found in parts.items()}


def import_database(session: Session, path: Path) -> WorkbookRestore:
    """Fill the (empty) database from a database workbook, in the caller's transaction."""
    sheets = list_sheets(path)
    _check_about(path, sheets)
    _check_empty(session)
    long_values = _long_values(path, sheets)
    counts: dict[str, int] = {}
    for table in _tables():
        if table.name not in sheets:
            counts[table.name] = 0
            continue
        counts[table.name] = _import_table(session, path, table, long_values)
    return WorkbookRestore(path, counts)


def _import_table(
    session: Session, path: Path, table: Table, long_values: dict[tuple[str, int, str], str]
) -> int:
    header, rows = _sheet_rows(path, table.name)
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        if name in table.c:
            positions[name] = position
        elif name:
            raise DataRefused(
                f"{quoted(path.name)}, sheet “{table.name}”: the column “{name}” is not part "
                "of this table; keep the header row as it was exported."
            )
    missing = [
        c.name
        for c in table.columns
        if c.name not in positions and not c.nullable and c.default is None
    ]
    if missing:
        raise DataRefused(
            f"{quoted(path.name)}, sheet “{table.name}” lacks the column(s) "
            f"{', '.join(missing)}; keep the header row as it was exported."
        )
    columns = [table.c[name] for name in positions]
    readers = [_reader(column) for column in columns]
    model = _model_of(table)
    stores = [stored_form(session, model, column.name) for column in columns]
    id_position = positions.get("id")
    if table.name in _REPLACEABLE:
        session.execute(table.delete())
    names = ", ".join(f'"{column.name}"' for column in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    connection = session.connection()
    batch: list[tuple[Any, ...]] = []
    count = 0
    for number, values in rows:
        row_id = (
            values[id_position] if id_position is not None and id_position < len(values) else None
        )
        stored: list[Any] = []
        for column, read, store in zip(columns, readers, stores, strict=True):
            position = positions[column.name]
            value = values[position] if position < len(values) else None
            if value == _LONG_MARK:
                value = long_values.get((table.name, _whole(row_id), column.name), "")
            try:
                stored.append(store(read(value)))
            except (ValueError, TypeError, json.JSONDecodeError) as error:
                letter = column_letter(position)
                raise _refuse(
                    path.name, table.name, number, f"{column.name} ({letter})", value, str(error)
                ) from None
        batch.append(tuple(stored))
        count += 1
        if len(batch) >= _INSERT_BATCH:
            _insert(connection, statement, batch, table.name, path)
            batch = []
    if batch:
        _insert(connection, statement, batch, table.name, path)
    return count


def _insert(
    connection: Any, statement: str, batch: list[tuple[Any, ...]], table: str, path: Path
) -> None:
    try:
        connection.exec_driver_sql(statement, batch)
    except IntegrityError as error:
        raise DataRefused(
            f"{quoted(path.name)}, sheet “{table}”: a row refers to something missing or "
            f"repeats an id or a unique value ({error.orig}); correct the workbook and import "
            "it again."
        ) from None


def _model_of(table: Table) -> type[Base]:
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            model: type[Base] = mapper.class_
            return model
    raise LookupError(f"no model for table {table.name}")
