"""Receipt numbering: the next number when a receipt is issued and its transaction
commits, the same number on a reprint, never repeated, never skipped."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from sro_desktop.db.database import Database
from sro_desktop.db.engine import make_engine
from sro_desktop.db.models import Payment, PaymentPurpose
from sro_desktop.documents.pdf_files import StagedFile
from sro_desktop.errors import DataRefused, UnusableInput
from sro_desktop.services.receipts import issue_receipt, receipt_for_existing
from tests.services.finance_factories import income, member, membership


def _payments(database: Database, count: int) -> list[int]:
    with database.transaction() as session:
        return [income(session, f"{10 + i}.00", date(2026, 1, 1 + i)).id for i in range(count)]


def _numbers(database: Database) -> list[int | None]:
    with database.session() as session:
        return list(session.scalars(select(Payment.receipt_number).order_by(Payment.id)))


def test_numbers_follow_in_the_order_receipts_are_issued(database: Database) -> None:
    first, second, third = _payments(database, 3)
    for payment_id in (second, third, first):
        with database.transaction() as session:
            issue_receipt(session, payment_id)
    assert _numbers(database) == [3, 1, 2]


def test_a_reprint_keeps_its_number(database: Database) -> None:
    (payment_id,) = _payments(database, 1)
    with database.transaction() as session:
        first = issue_receipt(session, payment_id)
    with database.transaction() as session:
        again = issue_receipt(session, payment_id)
    assert (first.number, first.reprint) == (1, False)
    assert (again.number, again.reprint) == (1, True)
    with database.session() as session:
        existing = receipt_for_existing(session, payment_id)
    assert existing is not None and existing.number == 1


def test_a_receipt_that_is_not_saved_uses_no_number(database: Database, tmp_path: Path) -> None:
    first, second = _payments(database, 2)
    missing_folder = tmp_path / "gone" / "receipt.pdf"
    with (
        pytest.raises(UnusableInput, match="could not be saved"),
        StagedFile(missing_folder, "receipt") as staged,
        database.transaction() as session,
    ):
        issue_receipt(session, first)
        staged.write(b"%PDF-1.4")
    assert _numbers(database) == [None, None]
    with database.transaction() as session:
        assert issue_receipt(session, second).number == 1
    out = tmp_path / "r.pdf"
    with StagedFile(out, "receipt") as staged:
        with database.transaction() as session:
            assert issue_receipt(session, first).number == 2
            staged.write(b"%PDF-1.4 test")
        staged.publish()
    assert out.read_bytes() == b"%PDF-1.4 test"
    assert list(tmp_path.glob(".*.part")) == []


def test_refunds_and_missing_payments_get_no_receipt(database: Database) -> None:
    with database.transaction() as session:
        refund = income(session, "-20.00", date(2026, 2, 1), PaymentPurpose.REFUND).id
    with pytest.raises(DataRefused, match="is a refund"), database.transaction() as session:
        issue_receipt(session, refund)
    with pytest.raises(DataRefused, match="no payment number 404"), database.transaction() as s:
        issue_receipt(s, 404)
    assert _numbers(database) == [None]


def test_what_the_receipt_says(database: Database) -> None:
    with database.transaction() as session:
        person = member(session, "Renée", "Sánchez")
        person.address_line1, person.city, person.state, person.postal_code = (
            "12 Elm St",
            "Dover",
            "DE",
            "19901",
        )
        period = membership(session, person, date(2026, 1, 1), date(2026, 12, 31))
        payment = income(
            session, "150.00", date(2026, 1, 3), PaymentPurpose.DUES, membership_id=period.id
        )
        payment.payer_name = ""
        receipt = issue_receipt(session, payment.id)
    assert receipt.payer == "Renée Sánchez"
    assert receipt.payer_address == "12 Elm St\nDover, DE 19901"
    assert receipt.description == "Individual membership dues, Jan 1, 2026 – Dec 31, 2026"
    assert receipt.amount == Decimal("150.00")
    assert receipt.method_text == "Cash"
    assert receipt.number_text == "000001"


def test_two_connections_issuing_at_once_get_different_numbers(
    database: Database, db_path: Path
) -> None:
    # The app lets one program open a file at a time; two connections of one program (the
    # window and a background task) still must not pick the same number.
    first, second = _payments(database, 2)
    other = Database(path=db_path, engine=make_engine(db_path))
    issued = threading.Event()
    numbers: dict[str, int] = {}

    def slow_first() -> None:
        with database.transaction() as session:
            numbers["first"] = issue_receipt(session, first).number
            issued.set()
            time.sleep(0.4)  # still printing; the number is not committed yet

    worker = threading.Thread(target=slow_first)
    worker.start()
    try:
        assert issued.wait(5)
        with other.transaction() as session:
            numbers["second"] = issue_receipt(session, second).number
    finally:
        worker.join()
        other.close()
    assert sorted(numbers.values()) == [1, 2]
    assert sorted(n for n in _numbers(database) if n is not None) == [1, 2]
