"""`certificates issue / check / verify / search / reprint` against a copy of the demo
database, including a batch killed half-way (the register is all or nothing)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from sro_desktop.app import main
from sro_desktop.db.database import open_database
from sro_desktop.db.models import Certificate, Meeting

ISSUE_DATE = "2026-11-27"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _meeting_id(path: Path, words: str) -> int:
    database = open_database(path)
    try:
        with database.session() as session:
            return next(m.id for m in session.scalars(select(Meeting)) if words in m.title)
    finally:
        database.close()


def _certificates(path: Path) -> int:
    database = open_database(path)
    try:
        with database.session() as session:
            return int(session.scalar(select(func.count()).select_from(Certificate)) or 0)
    finally:
        database.close()


def test_issue_check_verify_search_and_reprint(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    db = ("--db", str(demo_path))
    annual = str(_meeting_id(demo_path, "Annual"))
    code, out, err = run(capsys, *db, "certificates", "check", "--meeting", annual, "--json")
    assert (code, err) == (0, "")
    plan = json.loads(out)
    eligible = len(plan["certificates"])
    assert eligible > 50
    assert plan["problems"] == []
    assert {c["action"] for c in plan["certificates"]} == {"new"}
    assert all(n["reason"] for n in plan["not_eligible"])

    pdf = tmp_path / "annual.pdf"
    code, out, err = run(
        capsys,
        *db,
        "certificates",
        "issue",
        "--meeting",
        annual,
        "--out",
        str(pdf),
        "--date",
        ISSUE_DATE,
    )
    assert (code, err) == (0, "")
    assert f"Printed {eligible} certificate(s)" in out
    assert f"{eligible} new, 0 reissued, 0 printed again" in out
    assert "Not eligible" in out
    assert len(PdfReader(pdf).pages) == eligible
    assert _certificates(demo_path) == eligible

    code, out, _ = run(capsys, *db, "certificates", "search", "2026", "--json")
    entries = json.loads(out)
    assert len(entries) == eligible
    first = entries[-1]
    assert first["number"] == "2026-0001"

    code, out, err = run(capsys, *db, "certificates", "verify", first["verification_code"].lower())
    assert (code, err) == (0, "")
    assert "is genuine" in out
    assert first["printed_name"] in out
    code, out, err = run(capsys, *db, "certificates", "verify", "ZZZ-ZZZ")
    assert code == 1
    assert "No certificate has the code" in err
    assert "Traceback" not in err

    code, out, err = run(
        capsys,
        *db,
        "certificates",
        "reprint",
        first["number"],
        "--out",
        str(tmp_path / "r.pdf"),
        "--separate",
        str(tmp_path / "resend"),
    )
    assert (code, err) == (0, "")
    [page] = PdfReader(tmp_path / "r.pdf").pages
    assert first["number"] in page.extract_text()
    assert len(list((tmp_path / "resend").glob("*.pdf"))) == 1
    assert _certificates(demo_path) == eligible  # a reprint records nothing

    # Issuing again prints the same certificates with the same numbers.
    code, out, _ = run(
        capsys,
        *db,
        "certificates",
        "issue",
        "--meeting",
        annual,
        "--separate",
        str(tmp_path / "each"),
    )
    assert code == 0
    assert f"0 new, 0 reissued, {eligible} printed again" in out
    assert len(list((tmp_path / "each").glob("*_Annual-Conference-*.pdf"))) == eligible
    assert _certificates(demo_path) == eligible


def test_problems_print_nothing_and_exit_1(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    winter = str(_meeting_id(demo_path, "Winter"))  # in December: not over yet
    out_file = tmp_path / "winter.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        str(demo_path),
        "certificates",
        "issue",
        "--meeting",
        winter,
        "--out",
        str(out_file),
        "--date",
        ISSUE_DATE,
    )
    assert code == 1
    assert "has not ended yet" in err
    assert "nothing was printed" in err
    assert not out_file.exists()
    assert _certificates(demo_path) == 0


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("certificates", "issue", "--meeting", "1"), "Say where to save"),
        (("certificates", "issue", "--meeting", "999", "--out", "x.pdf"), "no meeting"),
        (("certificates", "reprint", "2026-0001", "--out", "x.pdf"), "No certificate"),
        (("certificates", "issue", "--meeting", "x"), "is not a record number"),
    ],
)
def test_unusable_arguments_are_one_sentence(
    capsys: pytest.CaptureFixture[str], demo_path: Path, argv: tuple[str, ...], words: str
) -> None:
    code, _out, err = run(capsys, "--db", str(demo_path), *argv)
    assert code in (1, 2)
    assert words in err
    assert "Traceback" not in err


def test_a_batch_killed_half_way_records_nothing(demo_path: Path, tmp_path: Path) -> None:
    """SIGKILL while the PDFs are being drawn: no certificate in the register, no PDF under
    its real name, and the next run issues the whole batch normally."""
    annual = str(_meeting_id(demo_path, "Annual"))
    folder = tmp_path / "out"
    folder.mkdir()
    command = [
        sys.executable,
        "-m",
        "sro_desktop",
        "--db",
        str(demo_path),
        "certificates",
        "issue",
        "--meeting",
        annual,
        "--out",
        str(folder / "all.pdf"),
        "--separate",
        str(folder / "each"),
    ]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment
    )
    try:
        deadline = time.monotonic() + 60
        while not any(folder.glob(".all.pdf.*.part")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.002)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert not (folder / "all.pdf").exists()
    assert _certificates(demo_path) == 0

    again = subprocess.run(
        command[:-2], capture_output=True, text=True, env=environment, check=False
    )
    assert again.returncode == 0, again.stderr
    assert _certificates(demo_path) == len(PdfReader(folder / "all.pdf").pages)
