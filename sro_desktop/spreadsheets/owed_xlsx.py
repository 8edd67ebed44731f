"""Who owes, as an Excel workbook: one row per unpaid item (dues period or registration)
with the person's name and email, and a sheet with one total per person. Plain values with
currency formats, so it can be filtered, sorted and mail-merged."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from sro_desktop.services.owed import OwedList, short_date
from sro_desktop.spreadsheets.finance_xlsx import TITLE, SheetWriter, new_workbook, save_workbook

ITEM_HEADERS = (
    "Member ID",
    "Name",
    "Email",
    "What",
    "Kind",
    "Due since",
    "Due",
    "Paid",
    "Outstanding",
)


def owed_workbook(owed: OwedList, currency: str) -> Workbook:
    workbook = new_workbook()
    writer = SheetWriter(workbook, "By person", currency, [11, 28, 40, 8, 14])
    writer.add([f"Who owes, as of {short_date(owed.as_of)}"], font=TITLE)
    writer.skip()
    writer.header(
        ["Member ID", "Name", "Email", "Items", "Outstanding"],
        numbers=("Member ID", "Items", "Outstanding"),
    )
    for person in owed.people:
        writer.add([person.member_id, person.name, person.email, len(person.items), person.total])
    writer.total(["", "Total", "", len(owed.items), owed.total])
    writer.skip()
    writer.add(["", "Dues", "", None, owed.total_of("dues")])
    writer.add(["", "Registrations", "", None, owed.total_of("registration")])

    items = SheetWriter(
        workbook, "Items", currency, [11, 28, 40, 52, 13, 12, 12, 12, 13], freeze_header=True
    )
    items.header(ITEM_HEADERS, numbers=("Member ID", "Due", "Paid", "Outstanding"))
    for person in owed.people:
        for item in person.items:
            items.add(
                [
                    person.member_id,
                    person.name,
                    person.email,
                    item.description,
                    "Dues" if item.kind == "dues" else "Registration",
                    item.since,
                    item.due,
                    item.paid,
                    item.outstanding,
                ]
            )
    items.filter(len(ITEM_HEADERS))
    return workbook


def write_owed(owed: OwedList, currency: str, out: Path) -> None:
    save_workbook(owed_workbook(owed, currency), out, "list of who owes")
