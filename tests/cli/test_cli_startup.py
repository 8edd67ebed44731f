"""The command line starts fast: `--version`, `--help` and a usage error build the parser
without importing SQLAlchemy, Alembic, the models or the spreadsheet code; each command
imports what it needs when it runs. The names spelled out for the parser's help and
choices stay equal to what the models and services define."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sro_desktop.commands import arguments, audit, member_files, members, payments

HEAVY = ("sqlalchemy", "alembic", "openpyxl", "reportlab", "sro_desktop.db.models")

_PROBE = """
import json, sys
from sro_desktop.app import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit_:
    code = exit_.code
heavy = sorted({m.split(".")[0] if not m.startswith("sro_desktop") else m
                for m in sys.modules if m.startswith(%r)})
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


def _probe(*argv: str) -> tuple[dict[str, object], str]:
    script = _PROBE % (HEAVY,)
    done = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE ")), done.stdout + done.stderr


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--version"], 0),
        (["--help"], 0),
        (["members", "add", "--help"], 0),
        (["payments", "add", "--help"], 0),
        (["nosuchcommand"], 2),
        (["members", "add", "--first", "Ann"], 2),
    ],
    ids=["version", "help", "members-add-help", "payments-add-help", "bad-command", "missing"],
)
def test_the_parser_imports_no_database_code(argv: list[str], code: int) -> None:
    outcome, output = _probe(*argv)
    assert outcome["code"] == code, output
    assert outcome["heavy"] == [], f"{argv} imported {outcome['heavy']}"


def test_a_command_still_loads_what_it_needs(tmp_path: Path) -> None:
    from sro_desktop.db.database import open_database

    open_database(tmp_path / "new.sqlite3").close()
    outcome, output = _probe("--db", str(tmp_path / "new.sqlite3"), "members", "list", "--json")
    assert outcome["code"] == 0, output
    assert "sqlalchemy" in outcome["heavy"]  # type: ignore[operator]


def test_names_spelled_out_for_the_parser_match_the_code() -> None:
    from sro_desktop.db.models import EmployerType, JobRole, PaymentMethod, PaymentPurpose
    from sro_desktop.services.audit_history import TABLE_LABELS
    from sro_desktop.services.duplicates import MERGE_FIELDS, DuplicateRule
    from sro_desktop.spreadsheets.exports import MEMBER_COLUMNS

    assert tuple(m.value for m in PaymentMethod) == arguments.PAYMENT_METHOD_NAMES
    assert tuple(t.value for t in EmployerType) == members.EMPLOYER_TYPE_NAMES
    assert tuple(r.value for r in JobRole) == members.JOB_ROLE_NAMES
    assert tuple(MERGE_FIELDS) == members.MERGE_FIELD_NAMES
    assert DuplicateRule().threshold == members.DUPLICATE_THRESHOLD
    assert tuple(sorted(TABLE_LABELS)) == audit.RECORD_NAMES
    assert tuple(key for key, *_ in MEMBER_COLUMNS) == member_files.MEMBER_COLUMN_KEYS
    assert set(payments.PURPOSE_NAMES) <= {p.value for p in PaymentPurpose}


def test_text_defaults_become_enum_values() -> None:
    from sro_desktop.cli import build_parser
    from sro_desktop.db.models import MeetingFormat, PaymentMethod, PaymentPurpose

    parser = build_parser()
    args = parser.parse_args(
        [
            "payments",
            "add",
            "--member",
            "1",
            "--amount",
            "5",
            "--date",
            "2026-01-02",
            "--method",
            "cheque",
        ]
    )
    assert args.purpose is PaymentPurpose.DUES and args.method is PaymentMethod.CHECK
    args = parser.parse_args(["meetings", "add", "--title", "Fall", "--start", "2026-10-01"])
    assert args.format is MeetingFormat.IN_PERSON
    args = parser.parse_args(
        ["expenses", "add", "--amount", "5", "--date", "2026-01-02", "--category", "Venue"]
    )
    assert args.method is PaymentMethod.OTHER
