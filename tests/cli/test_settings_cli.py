"""`settings show` and `settings set` against real database files, and what they change
in print: the signatory set here is the one on the next certificate."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from sro_desktop.db.database import open_database
from sro_desktop.db.models import Meeting
from tests.cli.test_commands import run


def _png(path: Path, width: int = 240, height: int = 80) -> Path:
    out = BytesIO()
    Image.new("RGB", (width, height), (192, 57, 43)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def test_set_then_show(capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path) -> None:
    db = ("--db", str(db_path))
    logo = _png(tmp_path / "logo.png")
    saved = _json(
        capsys,
        *db,
        "settings",
        "set",
        "--name",
        "Keystone Society for CME",
        "--states",
        "Pennsylvania, NJ",
        "--currency",
        "cad",
        "--fiscal-year-start",
        "July",
        "--signatory-name",
        "Dana Lee, MD",
        "--signatory-title",
        "President",
        "--address",
        "12 Main St\\nHarrisburg, PA 17101",
        "--grace-days",
        "45",
        "--logo",
        str(logo),
        "--json",
    )
    assert saved["name"] == "Keystone Society for CME"
    assert saved["states"] == ["PA", "NJ"]
    assert saved["currency"] == "CAD"
    assert saved["fiscal_year_start_month"] == 7
    assert saved["address"] == "12 Main St\nHarrisburg, PA 17101"
    assert saved["logo"] == {
        "format": "PNG",
        "width": 240,
        "height": 80,
        "bytes": logo.stat().st_size,
    }
    assert saved["signature"] is None

    code, out, err = run(capsys, *db, "settings", "show")
    assert (code, err) == (0, "")
    assert "Organization:        Keystone Society for CME" in out
    assert "Signatory:           Dana Lee, MD, President" in out
    assert "Fiscal year:         starts in July" in out
    assert "Currency:            CAD (Canadian dollar)" in out
    assert "Logo:                PNG picture, 240 × 80 pixels" in out

    # Only what is named changes; --no-logo removes the logo.
    again = _json(capsys, *db, "settings", "set", "--grace-days", "10", "--no-logo", "--json")
    assert again["grace_days"] == 10
    assert again["logo"] is None
    assert again["signatory_name"] == "Dana Lee, MD"
    assert _json(capsys, *db, "settings", "show", "--json") == again


@pytest.mark.parametrize(
    ("argv", "exit_code", "words"),
    [
        (("--states", "Pensylvania"), 1, "did you mean Pennsylvania (PA)?"),
        (("--currency", "USS"), 1, "Currency 'USS' is not a currency code"),
        (("--grace-days", "900"), 1, "Grace days must be between 0 and 365"),
        (("--fiscal-year-start", "13"), 2, "'13' is not a month"),
        (("--logo", "missing.png"), 2, "The logo file missing.png does not exist"),
        ((), 2, "Nothing to change"),
    ],
)
def test_refusals_are_one_sentence_and_change_nothing(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    argv: tuple[str, ...],
    exit_code: int,
    words: str,
) -> None:
    db = ("--db", str(db_path))
    _json(capsys, *db, "settings", "set", "--name", "Keystone", "--json")
    before = _json(capsys, *db, "settings", "show", "--json")
    code, out, err = run(capsys, *db, "settings", "set", *argv)
    assert code == exit_code
    assert out == ""
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert _json(capsys, *db, "settings", "show", "--json") == before


def test_a_new_database_needs_a_name_first(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = run(capsys, "--db", str(db_path), "settings", "set", "--currency", "EUR")
    assert code == 1
    assert "Organization name is required" in err


def test_a_picture_that_is_not_png_or_jpeg_is_refused(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    text = tmp_path / "logo.png"
    text.write_text("not a picture")
    code, _, err = run(
        capsys, "--db", str(db_path), "settings", "set", "--name", "K", "--logo", str(text)
    )
    assert code == 1
    assert "The logo is not a PNG or JPEG picture" in err


def test_the_signatory_set_is_printed_on_the_next_certificate(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    db = ("--db", str(demo_path))
    run(
        capsys,
        *db,
        "settings",
        "set",
        "--name",
        "Keystone Society for CME Professionals",
        "--signatory-name",
        "Rosalind Okafor, PhD",
        "--signatory-title",
        "Board Chair",
    )
    database = open_database(demo_path)
    with database.session() as session:
        meeting = next(m for m in session.scalars(select(Meeting)) if "Annual" in m.title)
        meeting_id = meeting.id
    database.close()
    code, out, err = run(
        capsys, *db, "certificates", "check", "--meeting", str(meeting_id), "--json"
    )
    assert code == 0, err
    member = json.loads(out)["certificates"][0]["member_id"]
    pdf = tmp_path / "one.pdf"
    code, _, err = run(
        capsys,
        *db,
        "certificates",
        "issue",
        "--meeting",
        str(meeting_id),
        "--member",
        str(member),
        "--out",
        str(pdf),
        "--date",
        "2026-11-27",
    )
    assert code == 0, err
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Rosalind Okafor, PhD" in text
    assert "Board Chair" in text
    assert "Keystone Society for CME Professionals" in text
    assert "Dana Whitfield" not in text  # the demo's signatory is gone


def test_show_works_while_the_app_has_the_database_open_and_set_waits(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    holder = open_database(demo_path)  # the app's window, as far as the lock is concerned
    try:
        shown = _json(capsys, "--db", str(demo_path), "settings", "show", "--json")
        assert shown["name"] == "Tri-State Alliance for CME"
        code, _, err = run(capsys, "--db", str(demo_path), "settings", "set", "--name", "K")
        assert code == 2
        assert "already open in SRO Desktop" in err
    finally:
        holder.close()
