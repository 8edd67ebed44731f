"""The audit trail as an .xlsx workbook: one row per changed field, for filtering in Excel.

Written with `workbook_writer`: a bold, frozen header, and text that starts with "=", "+",
"-", "@", a tab or a carriage return (a member's note, a name) stored as text with Excel's
quote prefix, never as a formula (CSV/formula injection).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sro_desktop.services.audit_history import AuditRow, value_text
from sro_desktop.spreadsheets.workbook_writer import Column, SheetSpec, write_workbook

COLUMNS = (
    Column("When (local time)", "datetime", 18),
    Column("Member ID", "integer", 10),
    Column("Member", "text", 26),
    Column("Record", "text", 14),
    Column("Record ID", "integer", 10),
    Column("Change", "text", 10),
    Column("Field", "text", 20),
    Column("Old value", "text", 32),
    Column("New value", "text", 32),
    Column("Action", "text", 30),
    Column("Import batch", "integer", 12),
)
HEADERS = tuple(column.header for column in COLUMNS)


def _lines(row: AuditRow) -> Iterator[tuple[str, str, str]]:
    """(field, old, new) for each changed field of an entry; one blank line if none."""
    if not row.changes:
        yield "", "", ""
    for change in row.changes:
        yield change.label, value_text(change.old), value_text(change.new)


def _rows(entries: Sequence[AuditRow], counter: list[int]) -> Iterator[list[Any]]:
    for row in entries:
        for field_label, old, new in _lines(row):
            counter[0] += 1
            yield [
                row.at,
                row.member_id,
                row.member_name,
                row.record_label,
                row.row_id,
                row.action_label,
                field_label,
                old,
                new,
                row.user_action,
                row.import_batch_id,
            ]


def export_audit(rows: Sequence[AuditRow], destination: Path) -> int:
    """Write `rows` to the workbook `destination` (0600); returns the data lines written."""
    counter = [0]
    write_workbook(destination, [SheetSpec("Audit trail", COLUMNS, _rows(rows, counter))])
    return counter[0]
