"""Running an import from start to end, the same way for the window and the command line.

One import is one transaction: inside it the rows are compared with the database as it
is now (so a preview made earlier cannot be applied to data that changed since), and,
if the rows may be written, a backup is taken ("before-import") and the plan applied as
one batch. A dry run, or an import with invalid rows the user did not agree to skip,
stops before the backup and writes nothing. Reading and checking the file happen before
the transaction, in `prepare_*`, and are what the preview shows.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from sro_desktop.db.backup import take_backup
from sro_desktop.db.database import Database
from sro_desktop.db.models import ImportKind
from sro_desktop.errors import DataRefused
from sro_desktop.spreadsheets.attendance_import import (
    AttendanceImportPlan,
    apply_attendance_plan,
    plan_sign_in_import,
    plan_zoom_import,
)
from sro_desktop.spreadsheets.column_mapping import (
    ColumnMap,
    choose_mapping,
    remembered_mapping,
    with_changes,
)
from sro_desktop.spreadsheets.member_import import (
    MemberImportPlan,
    Progress,
    plan_member_import,
)
from sro_desktop.spreadsheets.member_records import ParsedRows, parse_member_rows
from sro_desktop.spreadsheets.member_writing import apply_member_plan
from sro_desktop.spreadsheets.reading import read_table
from sro_desktop.spreadsheets.registration_import import (
    RegistrationImportPlan,
    apply_registration_plan,
    plan_registration_import,
)
from sro_desktop.spreadsheets.row_problems import RowProblem, problems_json
from sro_desktop.spreadsheets.sheet_data import Table
from sro_desktop.spreadsheets.streaming_parse import ParseWhileReading
from sro_desktop.spreadsheets.zoom_report import ZoomReport

__all__ = [
    "ImportReport",
    "ImportSource",
    "PlanLike",
    "import_members",
    "import_registrations",
    "import_sign_in_sheet",
    "import_zoom_report",
    "prepare_members",
    "read_for_import",
    "run_import",
]

PlanT = TypeVar("PlanT", bound="PlanLike")
log = logging.getLogger(__name__)


class PlanLike(Protocol):
    """What every importer's plan offers the runner."""

    @property
    def errors(self) -> list[RowProblem]: ...

    def counts(self) -> dict[str, int]: ...


@dataclass
class ImportReport:
    """The outcome of an import (or of a dry run), as `--json` prints it."""

    file: str
    sheet: str
    header_row: int
    mapping: dict[str, str]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    batch_id: int | None = None
    dry_run: bool = False
    written: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    #: Why the table stopped before the sheet did ("summary row 58 (...)"), if it did.
    ended_by: str | None = None
    #: What `created` counts, singular and plural, for the summary sentence.
    created_noun: tuple[str, str] = ("new person", "new people")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "errors": problems_json(self.errors),
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
            "written": self.written,
            "table_ended_by": self.ended_by,
        }
        data.update(self.details)
        return data

    def summary(self) -> str:
        """One sentence for the status bar and the terminal."""
        verb = "Imported" if self.written else "Would import"
        created = _count(self.created, *self.created_noun)
        people = self.details.get("people")
        if isinstance(people, int) and people != self.created:  # several joins, one person
            created += f" ({_count(people, 'person', 'people')})"
        text = (
            f"{verb} {self.file}: {created}, "
            f"{self.updated} updated, {self.unchanged} unchanged, "
            f"{_count(self.duplicates, 'duplicate row', 'duplicate rows')} merged, "
            f"{_count(self.skipped, 'row', 'rows')} skipped"
        )
        if self.batch_id is not None:
            text += f" (import {self.batch_id})"
        text += "."
        if self.ended_by and self.ended_by.startswith("summary row"):
            # A totals row and anything below it are not people: say so, once.
            text += f" The table ends at its {self.ended_by}, which was not imported."
        return text


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def read_for_import(path: Path, sheet: str | None = None) -> Table:
    """The table to import (refusals raise UnusableInput with the sentence to show)."""
    return read_table(path, sheet)


def mapping_for(
    database: Database,
    table: Table,
    kind: ImportKind,
    changes: Mapping[str, str | None] | None = None,
) -> ColumnMap:
    """The remembered or guessed mapping, with the user's corrections applied."""
    with database.session() as session:
        mapping = choose_mapping(session, table.headers, kind)
    if changes:
        mapping = with_changes(mapping, changes)
    return mapping


def prepare_members(table: Table, mapping: ColumnMap) -> ParsedRows:
    return parse_member_rows(table, mapping)


def read_and_prepare(
    database: Database,
    path: Path,
    sheet: str | None,
    kind: ImportKind,
    parse: Callable[[Table, ColumnMap], ParsedRows] = parse_member_rows,
    changes: Mapping[str, str | None] | None = None,
) -> ParsedRows:
    """Read the file and check its rows, checking each chunk while the next is read."""

    def choose(headers: Sequence[str]) -> ColumnMap:
        with database.session() as session:
            mapping = choose_mapping(session, headers, kind)
        return with_changes(mapping, changes) if changes else mapping

    with paused_gc():
        # While the reading process parses the workbook this one would only wait: get
        # the database ready for choosing the mapping meanwhile.
        warming = threading.Thread(target=_warm_up, args=(database, kind), daemon=True)
        warming.start()
        listener = ParseWhileReading(parse, choose)
        try:
            table = read_table(path, sheet, listener)
        finally:
            warming.join()
        parsed = listener.result(table)
        if parsed is None:
            parsed = parse(table, choose(table.headers))
    return parsed


def _warm_up(database: Database, kind: ImportKind) -> None:
    """Open a session and ask for a remembered mapping once: the first query of a process
    sets up the models and compiles the statement, a tenth of a second."""
    try:
        with database.session() as session:
            remembered_mapping(session, (), kind)
    except Exception:  # only a head start: the real query reports any trouble
        log.debug("Warming up for an import failed", exc_info=True)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while an import makes a million small objects.

    They hold no reference cycles, so the collector would only walk them over and over
    (a quarter of the time of a large import); it resumes, unchanged, afterwards. The
    objects made meanwhile are moved to the oldest generation on the way out (freeze
    and unfreeze do that without looking at them); left young, the first collection
    after resuming would walk every one of them at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


class _Abandon(Exception):
    """Leaves the transaction without writing (a dry run, or refused rows)."""


@dataclass(frozen=True)
class ImportSource:
    """What the report says about where the rows came from."""

    file: str
    sheet: str
    header_row: int
    mapping: dict[str, str]
    ended_by: str | None = None

    @classmethod
    def of(cls, table: Table, mapping: ColumnMap) -> ImportSource:
        fields = dict(mapping.fields)
        return cls(table.file_name, table.sheet, table.header_row, fields, table.ended_by)


def run_import(
    database: Database,
    source: ImportSource,
    plan: Callable[[Session], PlanT],
    apply: Callable[[Session, PlanT, Progress | None], int],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    created_noun: tuple[str, str] = ("new person", "new people"),
) -> ImportReport:
    """Plan inside one transaction and, when allowed, back up and apply (see the module)."""
    report = ImportReport(
        created_noun=created_noun,
        file=source.file,
        sheet=source.sheet,
        header_row=source.header_row,
        mapping=dict(source.mapping),
        dry_run=dry_run,
        ended_by=source.ended_by,
    )
    try:
        with paused_gc(), database.large_transaction(f"Import {source.file}") as session:
            planned = plan(session)
            counts = planned.counts()
            report.created = counts.get("created", 0)
            report.updated = counts.get("updated", 0)
            report.unchanged = counts.get("unchanged", 0)
            report.duplicates = counts.get("duplicates", 0)
            report.skipped = counts.get("skipped", 0)
            report.details = {k: v for k, v in counts.items() if k not in report.to_json()}
            report.errors = planned.errors
            if dry_run or (report.errors and not skip_invalid):
                raise _Abandon()
            if progress is not None:
                progress.report(0, 0, "Backing up the database…")
            take_backup(database.path, "before-import")
            report.batch_id = apply(session, planned, progress)
            report.written = True
    except _Abandon:
        pass
    return report


def refusal(report: ImportReport) -> DataRefused:
    """The sentence for an import refused because of its invalid rows."""
    rows = sorted({p.row for p in report.errors})
    shown = ", ".join(str(r) for r in rows[:5]) + (" and more" if len(rows) > 5 else "")
    first = report.errors[0]
    return DataRefused(
        f"{len(rows)} row{'s' if len(rows) != 1 else ''} of {report.file} "
        f"{'have' if len(rows) != 1 else 'has'} problems (row {shown}; first: row {first.row}, "
        f"{first.column} “{first.value}”: {first.message}), so nothing was imported; correct "
        "them, or import the other rows and skip these (--skip-invalid)."
    )


def import_members(
    database: Database,
    parsed: ParsedRows,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    def plan(session: Session) -> MemberImportPlan:
        return plan_member_import(session, parsed)

    def apply(session: Session, planned: MemberImportPlan, sink: Progress | None) -> int:
        outcome = apply_member_plan(session, planned, progress=sink)
        assert outcome.batch_id is not None
        return outcome.batch_id

    return run_import(
        database,
        ImportSource.of(parsed.table, parsed.mapping),
        plan,
        apply,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
    )


def import_registrations(
    database: Database,
    parsed: ParsedRows,
    meeting_id: int,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    def plan(session: Session) -> RegistrationImportPlan:
        return plan_registration_import(session, parsed, meeting_id)

    return run_import(
        database,
        ImportSource.of(parsed.table, parsed.mapping),
        plan,
        apply_registration_plan,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
        created_noun=("new registration", "new registrations"),
    )


def import_sign_in_sheet(
    database: Database,
    parsed: ParsedRows,
    meeting_id: int,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    def plan(session: Session) -> AttendanceImportPlan:
        return plan_sign_in_import(session, parsed, meeting_id)

    return run_import(
        database,
        ImportSource.of(parsed.table, parsed.mapping),
        plan,
        apply_attendance_plan,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
        created_noun=("check-in", "check-ins"),
    )


def import_zoom_report(
    database: Database,
    file_name: str,
    report: ZoomReport,
    meeting_id: int,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    def plan(session: Session) -> AttendanceImportPlan:
        return plan_zoom_import(session, report, meeting_id, file_name)

    header_row = min((join.row_number for join in report.rows), default=2) - 1
    source = ImportSource(
        file_name,
        "",
        header_row,
        {
            "Name (original name)": "name",
            "User email": "email",
            "Join time": "joined_at",
            "Leave time": "left_at",
        },
    )
    return run_import(
        database,
        source,
        plan,
        apply_attendance_plan,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
        created_noun=("new time in the meeting", "new times in the meeting"),
    )
