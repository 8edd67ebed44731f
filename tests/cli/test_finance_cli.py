"""The finance commands against real database files: payments list, expenses add,
receipts, the treasurer's report, who owes, reconciliation and the opening balance."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import delete

from sro_desktop.app import main
from sro_desktop.db.database import open_database
from sro_desktop.db.models import Expense


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_payments_list_by_fiscal_year(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    code, out, err = run(
        capsys, "--db", str(demo_path), "payments", "list", "--year", "2026", "--json"
    )
    assert (code, err) == (0, "")
    payments = json.loads(out)
    assert payments and all(p["date"].startswith("2026-") for p in payments)
    assert {p["category"] for p in payments} >= {"dues", "registration"}
    assert payments[0]["amount"] == "150.00"  # exact text, never a float
    code, out, _ = run(capsys, "--db", str(demo_path), "payments", "list")
    assert code == 0
    assert out.strip().splitlines()[-1].endswith(" in all")
    code, _, err = run(capsys, "--db", str(demo_path), "payments", "list", "--year", "twenty")
    assert code == 2 and "'twenty' is not a year" in err


def test_expenses_add_then_list_and_report(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    db = ["--db", str(demo_path)]
    database = open_database(demo_path)  # the demo's books, without its expenses
    with database.transaction() as session:
        session.execute(delete(Expense))
    database.close()
    code, out, err = run(
        capsys,
        *db,
        "expenses",
        "add",
        "--amount",
        "$1,250.50",
        "--date",
        "2026-09-25",
        "--category",
        "venue",
        "--meeting",
        "3",
        "--payee",
        "Harborview Conference Hotel",
    )
    assert (code, err) == (0, "")
    assert re.match(r"Recorded expense \d+: \$1,250\.50 for Venue on 2026-09-25", out)
    code, out, _ = run(capsys, *db, "expenses", "list", "--year", "2026", "--json")
    [listed] = json.loads(out)
    assert listed["amount"] == "1250.50" and listed["meeting"] == "Annual Conference 2026"

    workbook = tmp_path / "report.xlsx"
    code, out, err = run(
        capsys, *db, "report", "treasurer", "--year", "2026", "--out", str(workbook)
    )
    assert (code, err) == (0, "")
    assert "expenses $1,250.50" in out
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Summary").to_python()
    assert ["Total expenses", 1250.5] in rows

    pdf = tmp_path / "report.pdf"
    code, _, err = run(capsys, *db, "report", "treasurer", "--year", "2026", "--out", str(pdf))
    assert (code, err) == (0, "")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Treasurer's report" in text and "$1,250.50" in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--amount", "12.345", "--category", "Venue"], 2, "fraction of a cent"),
        (["--amount", "12", "--category", "Lunch"], 1, "'Lunch' is not an expense category"),
        (["--amount", "0", "--category", "Venue"], 1, "more than zero"),
        (["--amount", "12", "--category", "Venue", "--meeting", "99"], 1, "no meeting number 99"),
        (["--amount", "12", "--category", "Venue", "--method", "check"], 1, "check number"),
        (["--amount", "12", "--category", "Venue", "--method", "bitcoin"], 2, "not a payment"),
    ],
)
def test_expenses_add_refusals(
    capsys: pytest.CaptureFixture[str], demo_path: Path, args: list[str], code: int, message: str
) -> None:
    got, out, err = run(
        capsys, "--db", str(demo_path), "expenses", "add", "--date", "2026-01-02", *args
    )
    assert got == code
    assert message in err and "Traceback" not in err and out == ""


def test_receipts_number_once_and_reprint(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    db = ["--db", str(demo_path)]
    first, again, other = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    code, out, err = run(capsys, *db, "receipts", "--payment", "5", "--out", str(first))
    assert (code, err) == (0, "") and out.startswith("Issued receipt no. 000001")
    code, out, _ = run(capsys, *db, "receipts", "--payment", "5", "--out", str(again))
    assert out.startswith("Reprinted receipt no. 000001")
    # A receipt that cannot be saved uses no number.
    code, _, err = run(
        capsys, *db, "receipts", "--payment", "6", "--out", str(tmp_path / "no" / "x.pdf")
    )
    assert code == 2 and "does not exist" in err
    code, out, _ = run(capsys, *db, "receipts", "--payment", "6", "--out", str(other))
    assert out.startswith("Issued receipt no. 000002")
    code, _, err = run(capsys, *db, "receipts", "--payment", "99999", "--out", str(other))
    assert code == 1 and "no payment number 99999" in err
    code, out, _ = run(capsys, *db, "payments", "list", "--json")
    numbers = {p["id"]: p["receipt_number"] for p in json.loads(out) if p["receipt_number"]}
    assert numbers == {5: 1, 6: 2}
    text = subprocess.run(
        ["pdftotext", str(first), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "No. 000001" in text


def test_owed_reconcile_and_opening_balance(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    db = ["--db", str(demo_path)]
    export = tmp_path / "owed.xlsx"
    code, out, err = run(
        capsys, *db, "report", "owed", "--as-of", "2026-11-27", "--out", str(export), "--json"
    )
    assert (code, err) == (0, "")
    owed = json.loads(out)
    assert owed["total"] != "0.00" and export.exists()

    code, out, _ = run(capsys, *db, "report", "unreconciled", "--year", "2026", "--json")
    before = json.loads(out)
    first, second = (str(entry["id"]) for entry in before[:2])
    code, out, _ = run(capsys, *db, "ledger", "reconcile", "--payment", first, second)
    assert out.strip() == "Marked 2 transactions as reconciled."
    code, out, _ = run(capsys, *db, "report", "unreconciled", "--year", "2026", "--json")
    assert len(json.loads(out)) == len(before) - 2

    code, out, _ = run(capsys, *db, "ledger", "opening-balance")
    assert "Opening balance: $18,450.00 at the start of" in out  # the demo's
    code, out, _ = run(
        capsys,
        *db,
        "ledger",
        "opening-balance",
        "--amount",
        "12500",
        "--as-of",
        "2024-01-01",
        "--memo",
        "Bank statement",
    )
    assert "Opening balance: $12,500.00 at the start of 2024-01-01 (Bank statement)" in out
    code, out, _ = run(capsys, *db, "ledger", "balance", "--on", "2024-01-01")
    assert out.strip() == "Balance at the start of 2024-01-01: $12,500.00"
    code, _, err = run(capsys, *db, "ledger", "opening-balance", "--amount", "1")
    assert code == 2 and "give both --amount and --as-of" in err
