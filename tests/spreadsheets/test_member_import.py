"""Importing a roster: reading it as a person would, the preview, applying it as one batch,
and undoing that batch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from sqlalchemy import func, select

from sro_desktop.db.backup import list_backups
from sro_desktop.db.database import Database
from sro_desktop.db.models import (
    AuditEntry,
    ImportBatch,
    ImportKind,
    Member,
    Membership,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentPurpose,
)
from sro_desktop.errors import DataRefused
from sro_desktop.services.import_batches import undo_batch
from sro_desktop.spreadsheets.column_mapping import ColumnMap, suggest_mapping, with_changes
from sro_desktop.spreadsheets.import_runner import import_members, read_for_import
from sro_desktop.spreadsheets.invalid_rows import FIX_HEADER, ROW_HEADER, write_invalid_rows
from sro_desktop.spreadsheets.member_import import plan_member_import
from sro_desktop.spreadsheets.member_records import ParsedRows, parse_member_rows, split_name
from sro_desktop.spreadsheets.reading import read_table
from sro_desktop.spreadsheets.sheet_data import Table
from tests.spreadsheets.import_files import write_csv, write_messy_roster, write_rows

TODAY = date(2026, 11, 27)


def _parse(path: Path, changes: dict[str, str | None] | None = None) -> ParsedRows:
    table = read_for_import(path)
    mapping = suggest_mapping(table.headers, ImportKind.MEMBERS)
    if changes:
        mapping = with_changes(mapping, changes)
    return parse_member_rows(table, mapping)


def _people(database: Database) -> dict[str, Member]:
    with database.session() as session:
        return {m.email or m.last_name: m for m in session.scalars(select(Member))}


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return write_messy_roster(tmp_path / "roster.xlsx")


def test_the_messy_roster_is_read_as_a_person_reads_it(messy: Path) -> None:
    parsed = _parse(messy)
    table = parsed.table

    assert table.header_row == 4
    assert parsed.mapping.fields == {
        "Name First": "first_name",
        "Name Last": "last_name",
        "E-mail Address": "email",
        "ST": "state",
        "Degree(s)": "credentials",
        "Member Since": "member_since",
        "Dues Paid": "dues_paid",
    }
    # The totals row (a formula) and the blank row before it are not members.
    assert parsed.row_numbers == [6, 7, 8, 9, 10]
    assert parsed.values["email"] == [
        "jane.doe@example.org",
        "john.smith@example.org",
        None,
        "jane.doe@example.org",
        "raj.patel@example.org",
    ]
    assert parsed.values["state"] == ["PA", "NJ", "DE", "PA", "NY"]
    assert parsed.values["credentials"][:2] == ["MD, PhD", "MEd"]
    assert parsed.values["last_name"][1] == "Smith"
    assert parsed.values["member_since"] == [
        date(2021, 3, 4),
        date(2019, 5, 1),
        date(2021, 3, 4),
        None,
        date(2021, 3, 1),  # Excel's serial number 44256
    ]
    assert parsed.values["dues_paid"] == [
        Decimal("150.00"),
        Decimal("150.00"),
        Decimal("150.00"),
        None,
        Decimal("1234.50"),
    ]
    [problem] = parsed.problems
    assert (problem.row, problem.column, problem.value) == (8, "E-mail Address", "ann.lee@@example")
    assert "more than one @" in problem.message
    assert parsed.invalid == {2}


def test_the_preview_is_a_diff_against_an_empty_database(database: Database, messy: Path) -> None:
    parsed = _parse(messy)
    with database.session() as session:
        plan = plan_member_import(session, parsed, TODAY)

    assert plan.counts() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 1,
        "skipped": 1,
    }
    assert [plan.name_of(i) for i in plan.new] == ["Jane Doe", "John Smith", "Raj Patel"]
    [duplicate] = plan.duplicates
    assert (duplicate.row, duplicate.first_row) == (9, 6)
    assert plan.new_types == ["Member"]
    assert [m.payment for m in plan.memberships] == [
        Decimal("150.00"),
        Decimal("150.00"),
        Decimal("1234.50"),
    ]


def test_invalid_rows_stop_the_import_unless_skipped(database: Database, messy: Path) -> None:
    refused = import_members(database, _parse(messy))

    assert not refused.written
    assert refused.batch_id is None
    assert [e.row for e in refused.errors] == [8]
    assert _people(database) == {}
    assert list_backups(database.path) == []

    done = import_members(database, _parse(messy), skip_invalid=True)

    assert done.written
    assert (done.created, done.duplicates, done.skipped) == (3, 1, 1)
    people = _people(database)
    assert sorted(people) == [
        "jane.doe@example.org",
        "john.smith@example.org",
        "raj.patel@example.org",
    ]
    jane = people["jane.doe@example.org"]
    assert (jane.first_name, jane.credentials, jane.state, jane.member_since) == (
        "Jane",
        "MD, PhD",
        "PA",
        date(2021, 3, 4),
    )
    assert [b.reason for b in list_backups(database.path)] == ["before-import"]
    with database.session() as session:
        batch = session.get(ImportBatch, done.batch_id)
        assert batch is not None
        assert (batch.kind, batch.created, batch.skipped) == (ImportKind.MEMBERS, 3, 1)
        assert batch.mapping["E-mail Address"] == "email"
        payments = session.scalars(select(Payment).order_by(Payment.id)).all()
        assert [(p.amount, p.purpose) for p in payments] == [
            (Decimal("150.00"), PaymentPurpose.DUES),
            (Decimal("150.00"), PaymentPurpose.DUES),
            (Decimal("1234.50"), PaymentPurpose.DUES),
        ]
        assert all(p.membership_id is not None for p in payments)
        audited = session.scalar(
            select(func.count()).where(
                AuditEntry.import_batch_id == done.batch_id, AuditEntry.table_name == "members"
            )
        )
        assert audited == 3


def test_importing_the_same_file_again_changes_nothing(database: Database, messy: Path) -> None:
    import_members(database, _parse(messy), skip_invalid=True)

    again = import_members(database, _parse(messy), skip_invalid=True)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Membership)) == 3
        assert session.scalar(select(func.count()).select_from(Payment)) == 3


def test_updates_are_shown_field_by_field_and_blanks_erase_nothing(
    database: Database, tmp_path: Path
) -> None:
    first = write_rows(
        tmp_path / "first.xlsx",
        [
            ["First", "Last", "Email", "Phone", "City", "State"],
            ["Ana", "Lopez", "ana@example.org", "(215) 555-0100", "Philadelphia", "PA"],
        ],
    )
    import_members(database, _parse(first))
    second = write_rows(
        tmp_path / "second.xlsx",
        [
            ["First", "Last", "Email", "Phone", "City", "State"],
            # Same number typed differently, a new city, no state: one change only.
            ["Ana", "Lopez", "ANA@example.org", "215.555.0100", "Camden", None],
        ],
    )
    with database.session() as session:
        plan = plan_member_import(session, _parse(second), TODAY)

    [update] = plan.updates
    assert update.name == "Ana Lopez"
    assert update.changes == {"city": ("Philadelphia", "Camden")}

    report = import_members(database, _parse(second))
    ana = _people(database)["ana@example.org"]
    assert (ana.city, ana.state, ana.phone) == ("Camden", "PA", "(215) 555-0100")
    assert report.updated == 1

    with database.transaction() as session:
        assert report.batch_id is not None
        result = undo_batch(session, report.batch_id)
    assert result.restored == 1
    assert _people(database)["ana@example.org"].city == "Philadelphia"


def test_conflicting_rows_are_reported_not_guessed(database: Database, tmp_path: Path) -> None:
    import_members(
        database,
        _parse(write_rows(tmp_path / "a.xlsx", [["Name", "Email"], ["Bo Chen", "bo@example.org"]])),
    )
    path = write_rows(
        tmp_path / "b.xlsx",
        [
            ["Name", "Email", "Phone"],
            ["Dee Park", "dee@example.org", "215-555-0101"],
            ["Dee Park", "DEE@example.org", "215-555-0199"],  # same person, other phone
            ["Zed Quinn", "bo@example.org", None],  # Bo's email, someone else's name
        ],
    )
    report = import_members(database, _parse(path))

    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(3, "Phone"), (4, "Email")]
    assert "Row 2 has “215-555-0101” for the same person" in report.errors[0].message
    assert "belongs to Bo Chen" in report.errors[1].message


def test_rows_without_email_are_matched_by_name(database: Database, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "names.xlsx",
        [["Full Name", "City"], ["Doe, Jane", "Dover"], ["Mary Ann de la Cruz, MD", "Newark"]],
    )
    import_members(database, _parse(path))
    again = import_members(database, _parse(path))

    assert (again.created, again.unchanged) == (0, 2)
    people = _people(database)
    assert (people["Doe"].first_name, people["Doe"].city) == ("Jane", "Dover")
    cruz = people["de la Cruz"]
    assert (cruz.first_name, cruz.credentials) == ("Mary Ann", "MD")


def test_a_row_without_a_name_is_invalid(tmp_path: Path) -> None:
    parsed = _parse(
        write_rows(
            tmp_path / "x.xlsx",
            [["Email", "Last"], ["a@example.org", None], ["b@example.org", "Bee"]],
        )
    )

    [problem] = parsed.problems
    assert (problem.row, problem.column, problem.message) == (
        2,
        "Last",
        "The row has no name; fill in the name",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Q. Doe", ("Jane Q.", "Doe", None)),
        ("Doe, Jane", ("Jane", "Doe", None)),
        ("Jane Doe, MD, PhD", ("Jane", "Doe", "MD, PhD")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven", None)),
        ("Cher", ("", "Cher", None)),
    ],
)
def test_names_are_split_as_people_write_them(
    name: str, expected: tuple[str, str, str | None]
) -> None:
    assert split_name(name) == expected


@pytest.mark.parametrize(
    ("encoding", "separator", "bom"),
    [
        ("utf-8", ",", False),
        ("utf-8", ",", True),
        ("cp1252", ",", False),  # Excel's plain "CSV" save on a Western PC
        ("utf-8", ";", False),
        ("utf-8", "\t", False),
    ],
)
def test_csv_files_in_any_of_excels_forms(
    tmp_path: Path, encoding: str, separator: str, bom: bool
) -> None:
    lines = [
        ["Last Name", "First Name", "Email", "ST", "Member Since", "Dues Paid"],
        ["Pérez", "José", " Jose.Perez@Example.org", "pa", "3/4/2021", "$1,234.50"],
        ["Müller", "Zoë", "zoe@example.org", "Ontario", "2021-03-04", "150"],
    ]
    text = "\r\n".join(
        separator.join(f'"{cell}"' if separator in cell or "," in cell else cell for cell in row)
        for row in lines
    )
    path = write_csv(tmp_path / "roster.csv", ("\ufeff" if bom else "") + text, encoding)

    parsed = _parse(path)

    assert parsed.problems == []
    assert parsed.values["last_name"] == ["Pérez", "Müller"]
    assert parsed.values["email"] == ["jose.perez@example.org", "zoe@example.org"]
    assert parsed.values["state"] == ["PA", "ON"]
    assert parsed.values["member_since"] == [date(2021, 3, 4), date(2021, 3, 4)]
    assert parsed.values["dues_paid"] == [Decimal("1234.50"), Decimal("150.00")]


def test_serial_numbers_follow_the_workbooks_date_system(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904  # an old Mac workbook
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Member Since"])
    sheet.append(["Ada Byron", 42794])  # a date column formatted as a plain number
    sheet.append(["Al Turing", date(2021, 3, 4)])  # a real date cell
    path = tmp_path / "mac.xlsx"
    workbook.save(path)

    parsed = _parse(path)

    assert parsed.table.date_system == 1904
    assert parsed.values["member_since"] == [date(2021, 3, 1), date(2021, 3, 4)]


def test_memberships_follow_type_year_expiry_and_dues(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        session.add(MembershipType(name="Individual", dues=Decimal("150.00")))
    path = write_rows(
        tmp_path / "dues.xlsx",
        [
            ["Name", "Email", "Membership Type", "Year", "Expires", "Dues Paid", "Payment method"],
            ["Ann Ames", "ann@example.org", "individual", 2025, None, "yes", "Check"],
            ["Ann Ames", "ann@example.org", "Individual", 2026, None, "$150", "check"],
            ["Ben Bay", "ben@example.org", "Retired", None, date(2026, 6, 30), 40, "Visa"],
            ["Cy Cole", "cy@example.org", "Honorary", None, None, None, None],
        ],
    )
    report = import_members(database, _parse(path))

    assert (report.created, report.duplicates) == (3, 1)
    with database.session() as session:
        rows = session.execute(
            select(
                Member.first_name,
                MembershipType.name,
                Membership.start_date,
                Membership.end_date,
                Membership.dues,
            )
            .join(Membership, Membership.member_id == Member.id)
            .join(MembershipType, MembershipType.id == Membership.membership_type_id)
            .order_by(Member.id, Membership.start_date)
        ).all()
        methods = [p.method for p in session.scalars(select(Payment).order_by(Payment.id))]
        types = {t.name: t for t in session.scalars(select(MembershipType))}
    assert [tuple(r) for r in rows] == [
        ("Ann", "Individual", date(2025, 1, 1), date(2025, 12, 31), Decimal("150.00")),
        ("Ann", "Individual", date(2026, 1, 1), date(2026, 12, 31), Decimal("150.00")),
        ("Ben", "Retired", date(2025, 7, 1), date(2026, 6, 30), Decimal("40.00")),
        ("Cy", "Honorary", rows[3][2], None, Decimal("0.00")),
    ]
    assert methods == [PaymentMethod.CHECK, PaymentMethod.CHECK, PaymentMethod.CARD]
    assert types["Honorary"].honorary
    assert not types["Retired"].honorary


def test_rows_alike_but_for_how_dues_paid_is_written_each_get_their_own_payment(
    database: Database, tmp_path: Path
) -> None:
    """"yes" pays the type's dues, an amount pays that amount: 1 and True are equal in
    Python, so a shortcut that took one row's terms for another's would pay $150 twice."""
    with database.transaction() as session:
        session.add(MembershipType(name="Individual", dues=Decimal("150.00")))
    path = write_rows(
        tmp_path / "dues.xlsx",
        [
            ["Name", "Email", "Membership Type", "Year", "Dues Paid"],
            ["Ann Ames", "ann@example.org", "Individual", 2026, "yes"],
            ["Ben Bay", "ben@example.org", "Individual", 2026, 1],
            ["Cy Cole", "cy@example.org", "Individual", 2026, "$1.00"],
            ["Di Dunn", "di@example.org", "Individual", 2026, "yes"],
        ],
    )
    report = import_members(database, _parse(path))

    assert report.created == 4
    with database.session() as session:
        paid = session.execute(
            select(Member.first_name, Payment.amount)
            .join(Payment, Payment.member_id == Member.id)
            .order_by(Member.id)
        ).all()
    assert [tuple(row) for row in paid] == [
        ("Ann", Decimal("150.00")),
        ("Ben", Decimal("1.00")),
        ("Cy", Decimal("1.00")),
        ("Di", Decimal("150.00")),
    ]


def test_undo_takes_back_what_the_batch_added(database: Database, messy: Path) -> None:
    report = import_members(database, _parse(messy), skip_invalid=True)
    assert report.batch_id is not None

    with database.transaction() as session:
        result = undo_batch(session, report.batch_id)

    assert result.removed["members"] == 3
    assert result.removed["payments"] == 3
    assert result.removed["membership_types"] == 1
    assert _people(database) == {}
    with database.session() as session:
        batch = session.get(ImportBatch, report.batch_id)
        assert batch is not None and batch.undone_at is not None
    with database.transaction() as session, pytest.raises(DataRefused, match="already undone"):
        undo_batch(session, report.batch_id)


def test_undo_is_refused_when_later_work_depends_on_the_batch(
    database: Database, messy: Path, tmp_path: Path
) -> None:
    first = import_members(database, _parse(messy), skip_invalid=True)
    changed = write_rows(
        tmp_path / "later.xlsx",
        [["Email", "First", "Last", "City"], ["jane.doe@example.org", "Jane", "Doe", "Dover"]],
    )
    second = import_members(database, _parse(changed))
    assert first.batch_id is not None and second.batch_id is not None

    with database.transaction() as session, pytest.raises(DataRefused, match="undo import 2 first"):
        undo_batch(session, first.batch_id)

    with database.transaction() as session:
        undo_batch(session, second.batch_id)
    with database.transaction() as session:
        jane = session.scalar(select(Member).where(Member.email == "jane.doe@example.org"))
        assert jane is not None
        session.add(
            Payment(
                member_id=jane.id,
                paid_on=TODAY,
                amount=Decimal("25.00"),
                method=PaymentMethod.CASH,
                purpose=PaymentPurpose.DONATION,
            )
        )
    with database.transaction() as session, pytest.raises(DataRefused, match="Jane Doe"):
        undo_batch(session, first.batch_id)


def test_invalid_rows_are_saved_ready_to_correct(
    database: Database, messy: Path, tmp_path: Path
) -> None:
    report = import_members(database, _parse(messy), skip_invalid=True)
    fix = tmp_path / "to fix.xlsx"
    table = read_table(messy)

    assert write_invalid_rows(table, report.errors, fix) == 1
    again: Table = read_table(fix)
    assert again.headers == (*table.headers, FIX_HEADER, ROW_HEADER)
    [row] = again.rows
    assert row.values[2] == "ann.lee@@example"
    assert "more than one @" in str(row.values[-2])
    assert row.values[-1] == 8

    # Corrected and imported again, it maps the same way and goes in.
    from openpyxl import load_workbook

    workbook = load_workbook(fix)
    sheet = workbook.active
    assert sheet is not None
    sheet.cell(row=again.rows[0].row_number, column=3).value = "ann.lee@example.org"
    workbook.save(fix)
    corrected = import_members(database, _parse(fix))
    assert (corrected.created, corrected.errors) == (1, [])


def test_a_user_correction_of_the_mapping_is_used_and_remembered(
    database: Database, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "odd.xlsx", [["Courriel", "Prénom", "Nom"], ["lu@example.org", "Lu", "Roy"]]
    )
    table = read_for_import(path)
    mapping = with_changes(
        suggest_mapping(table.headers, ImportKind.MEMBERS),
        {"Courriel": "email", "Prénom": "first_name", "Nom": "last_name"},
    )
    import_members(database, parse_member_rows(table, mapping))

    from sro_desktop.spreadsheets.import_runner import mapping_for

    remembered: ColumnMap = mapping_for(database, table, ImportKind.MEMBERS)
    assert remembered.source == "remembered"
    assert remembered.fields == mapping.fields


@pytest.mark.parametrize("ending", ["plain", "totals", "wider later", "merged down"])
def test_rows_checked_while_reading_are_the_rows_checked_after(
    database: Database, tmp_path: Path, ending: str
) -> None:
    from openpyxl import Workbook as NewWorkbook

    from sro_desktop.spreadsheets.import_runner import read_and_prepare

    workbook = NewWorkbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Big roster"])
    sheet.append([])
    sheet.append(["First", "Last", "Email", "ST", "Dues Paid"])
    for number in range(600):
        email = f"p{number}@example.org" if number % 97 else f"bad{number}@@x"
        sheet.append([f"F{number}", f"L{number}", email, "pa", 150])
    if ending == "totals":
        sheet.append([])
        sheet.append(["Total", None, None, None, 90000])
        sheet.append(["Notes below the table"])
    elif ending == "wider later":
        sheet.append(["Late", "Comer", "late@example.org", "NJ", 10, "an extra column"])
    elif ending == "merged down":
        sheet.merge_cells("D10:D12")
    path = tmp_path / "big.xlsx"
    workbook.save(path)

    streamed = read_and_prepare(database, path, None, ImportKind.MEMBERS)
    table = read_table(path)
    afterwards = parse_member_rows(table, suggest_mapping(table.headers, ImportKind.MEMBERS))

    assert streamed.row_numbers == afterwards.row_numbers
    assert streamed.values == afterwards.values
    assert streamed.problems == afterwards.problems
    assert streamed.invalid == afterwards.invalid
    assert streamed.table == table
