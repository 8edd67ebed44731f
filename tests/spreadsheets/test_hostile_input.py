"""Hostile and broken input: whole generated spreadsheets, random bytes, zip bombs (honest
and lying), entity bombs. Reading either gives a table whose every cell the value parsers
turn into a value or a clear problem, or refuses the file in one sentence; never an
unhandled exception, never more than a few seconds or 500 MB."""

from __future__ import annotations

import ast
import struct
import sys
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desktop.errors import UnusableInput
from sro_desktop.services.values import (
    ValueProblem,
    normalize_email,
    normalize_phone,
    parse_date,
    parse_money,
    parse_state,
)
from sro_desktop.spreadsheets.reading import read_table
from sro_desktop.spreadsheets.sheet_data import Table
from tests.spreadsheets.clean_process import run_measured
from tests.spreadsheets.workbook_files import SHEET_END, SHEET_START, write_raw_xlsx, write_xlsx

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "sro_desktop"
MEGABYTE = 1024 * 1024
MEMORY_LIMIT_MB = 500
SECONDS_LIMIT = 10.0  # generous for a busy CI machine; alone it takes well under 1 s
PARSERS: list[Callable[[object], object]] = [
    parse_date,
    parse_money,
    normalize_email,
    normalize_phone,
    parse_state,
]
_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def _outcome(parser: Callable[[object], object], value: object) -> object:
    try:
        return parser(value)
    except ValueProblem as problem:
        return problem


def _every_cell_parses_or_is_a_problem(table: Table) -> None:
    """Each cell through each value parser: a value, or a problem in a short sentence."""
    for row in table.rows:
        for value in row.values:
            for parser in PARSERS:
                outcome = _outcome(parser, value)
                if isinstance(outcome, ValueProblem):
                    assert 0 < len(str(outcome)) < 400


def _read_or_refuse(path: Path) -> None:
    try:
        table = read_table(path)
    except UnusableInput as refusal:
        message = str(refusal)
        assert f"“{path.name}”" in message and message.endswith(".")
        return
    _every_cell_parses_or_is_a_problem(table)


# Cells as a person's spreadsheet has them, and as a careless or hostile one might.
_text_cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://x")',
            "@SUM(A1)",
            "+15551234567",
            "-",
            "$1,234.56",
            "(12.00)",
            "12/31/2024",
            "2024-02-30",
            "31.12.24",
            "PA",
            "Pennsylvania",
            "jane@@example.org",
            "ZOË@EXAMPLE.ORG",
            "555-0100 x12",
            "\ufeffName",
            "",
            " ",
            "\x00",
            "名前",
            "١٢٣",
        ]
    ),
)
_csv_rows = st.lists(st.lists(_text_cell, min_size=0, max_size=6), min_size=0, max_size=12)


@settings(max_examples=120, deadline=None, suppress_health_check=_HEALTH)
@given(
    rows=_csv_rows,
    separator=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
    suffix=st.sampled_from([".csv", ".tsv", ".txt"]),
)
def test_generated_text_spreadsheets_read_or_are_refused(
    tmp_path: Path, rows: list[list[str]], separator: str, encoding: str, suffix: str
) -> None:
    lines = []
    for row in rows:
        cells = ['"' + cell.replace('"', '""') + '"' if separator in cell else cell for cell in row]
        lines.append(separator.join(cells))
    path = tmp_path / f"generated{suffix}"
    path.write_bytes("\r\n".join(lines).encode(encoding, errors="replace"))
    _read_or_refuse(path)


_ILLEGAL_IN_XML = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}
_workbook_cell = st.one_of(
    st.none(),
    st.text(max_size=20).filter(lambda t: not (_ILLEGAL_IN_XML & set(t))),
    st.sampled_from(["=1+1", "$12.50", "PA", "a@b.org", "(215) 555-0100", "12/31/2024"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.times().map(lambda t: time_of_day(t.hour, t.minute, t.second)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=_HEALTH)
@given(rows=st.lists(st.lists(_workbook_cell, max_size=6), max_size=10))
def test_generated_workbooks_read_or_are_refused(tmp_path: Path, rows: list[list[object]]) -> None:
    path = write_xlsx(tmp_path / "generated.xlsx", rows)
    _read_or_refuse(path)


@settings(max_examples=60, deadline=None, suppress_health_check=_HEALTH)
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=500).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),
    ),
    suffix=st.sampled_from([".xlsx", ".xls", ".xlsb", ".ods", ".csv"]),
)
def test_random_bytes_are_refused_or_read(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(content)
    _read_or_refuse(path)


@settings(max_examples=30, deadline=None, suppress_health_check=_HEALTH)
@given(cut=st.floats(min_value=0.05, max_value=0.98), flips=st.integers(0, 20), seed=st.integers())
def test_truncated_or_flipped_workbooks_are_refused_or_read(
    tmp_path: Path, cut: float, flips: int, seed: int
) -> None:
    import random

    source = write_xlsx(
        tmp_path / "source.xlsx",
        [["Name", "Email"], *[[f"P{n}", f"p{n}@x.org"] for n in range(50)]],
    )
    data = bytearray(source.read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data[: max(1, int(len(data) * cut))]) if cut < 0.95 else bytes(data))
    _read_or_refuse(broken)


# -- bombs, measured in a separate process ---------------------------------------------------

_MEASURE = """
import sys
from pathlib import Path
from sro_desktop.errors import UnusableInput
from sro_desktop.spreadsheets.reading import read_table
try:
    read_table(Path(sys.argv[1]))
    print("read")
except UnusableInput as refusal:
    print("refused:", refusal)
"""


def _read_in_a_process(path: Path) -> tuple[str, float, float]:
    """What reading `path` says, its seconds, and the peak memory in MB of the reading
    process and everything it started (the calamine worker)."""
    output, seconds, megabytes = run_measured(_MEASURE, str(path))
    return output.strip(), seconds, megabytes


def _bomb(path: Path, gigabytes: int) -> Path:
    spaces = b" " * MEGABYTE
    return write_raw_xlsx(
        path, [SHEET_START, *([spaces] * (1024 * gigabytes)), SHEET_END], compresslevel=9
    )


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="os.wait4 is POSIX")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few MB on disk, 2 GB of sheet XML inside."""
    return _bomb(tmp_path_factory.mktemp("bombs") / "bomb.xlsx", gigabytes=2)


@posix_only
def test_a_zip_bomb_is_refused_within_seconds_and_500_mb(bomb: Path) -> None:
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size >= 2 * 1024 * MEGABYTE
    assert bomb.stat().st_size < 10 * MEGABYTE

    said, seconds, megabytes = _read_in_a_process(bomb)

    assert said.startswith("refused:") and "would unpack to far more data" in said
    assert seconds < SECONDS_LIMIT
    assert megabytes < MEMORY_LIMIT_MB
    print(f"zip bomb: refused in {seconds:.2f} s, peak {megabytes:.0f} MB")


def _lie_about_the_sheet_size(source: Path, destination: Path, declared: int) -> Path:
    """Rewrite the zip so the sheet declares `declared` bytes unpacked, in the central
    directory and in the local header's zip64 field, though it holds far more."""
    data = bytearray(source.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    central = data.find(b"PK\x01\x02")
    while True:
        length = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if data[central + 46 : central + 46 + length] == name:
            break
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = struct.pack("<I", declared)
    local = data.find(b"PK\x03\x04")
    while True:
        length = struct.unpack("<H", data[local + 26 : local + 28])[0]
        if data[local + 30 : local + 30 + length] == name:
            break
        local = data.find(b"PK\x03\x04", local + 4)
    extra = local + 30 + length
    if struct.unpack("<H", data[local + 28 : local + 30])[0] >= 20:  # a zip64 extra field
        data[extra + 4 : extra + 12] = struct.pack("<Q", declared)
    else:
        data[local + 22 : local + 26] = struct.pack("<I", declared)
    destination.write_bytes(bytes(data))
    return destination


@posix_only
def test_a_zip_bomb_that_lies_about_its_size_is_stopped_too(bomb: Path, tmp_path: Path) -> None:
    liar = _lie_about_the_sheet_size(bomb, tmp_path / "liar.xlsx", declared=900_000)
    with zipfile.ZipFile(liar) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 900_000

    said, seconds, megabytes = _read_in_a_process(liar)

    assert said.startswith("refused:")
    assert seconds < SECONDS_LIMIT
    assert megabytes < MEMORY_LIMIT_MB


@posix_only
def test_an_entity_bomb_is_not_expanded(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol "lol">', '<!ENTITY lol1 "' + "&lol;" * 10 + '">']
    entities += [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(2, 10)]
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(entities) + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    path = write_raw_xlsx(tmp_path / "laughs.xlsx", [sheet])

    said, seconds, megabytes = _read_in_a_process(path)

    assert said.startswith(("refused:", "read"))
    assert seconds < SECONDS_LIMIT and megabytes < MEMORY_LIMIT_MB


# -- XML parsers ------------------------------------------------------------------------------

_UNSAFE_XML = ("xml.etree", "xml.dom", "xml.sax", "xml.parsers", "lxml", "xmlrpc")
_SAFE_XML = ("xml.sax.saxutils",)  # escaping text, no parsing


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_xml_is_only_parsed_with_defused_parsers() -> None:
    unsafe = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in PACKAGE.rglob("*.py")
        for name in _imports(path)
        if name.startswith(_UNSAFE_XML) and not name.startswith(_SAFE_XML)
    }
    assert unsafe == set(), "parse XML with defusedxml instead"
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # openpyxl's own reading goes through defusedxml
