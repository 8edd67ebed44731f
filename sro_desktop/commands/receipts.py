"""`receipts --payment ID --out FILE.pdf`: the numbered receipt for a payment.

The first receipt for a payment takes the next number, in the same transaction that saves
the PDF: if the file cannot be written, the number is not used. A reprint keeps its number.
"""

from __future__ import annotations

import argparse
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext


def register(commands: argparse._SubParsersAction[Any]) -> None:
    receipts = commands.add_parser(
        "receipts",
        help="print the numbered receipt for a payment",
        description="Save the receipt for a payment as a PDF. The first time, the payment "
        "gets the next receipt number; printing it again keeps that number.",
    )
    receipts.add_argument("--payment", type=arguments.record_id, required=True, metavar="ID")
    receipts.add_argument(
        "--out", type=arguments.output_file(".pdf"), required=True, metavar="FILE.pdf"
    )
    receipts.set_defaults(handler=run_receipt)


def run_receipt(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.pdf_files import StagedFile
    from sro_desktop.documents.receipts import receipt_pdf
    from sro_desktop.services.currency import format_money
    from sro_desktop.services.receipts import issue_receipt

    database = context.database()
    with StagedFile(args.out, "receipt") as staged:
        with database.transaction(action="Issue receipt (command line)") as session:
            receipt = issue_receipt(session, args.payment)
            # Written before the number is committed: if it cannot be, no number is used.
            staged.write(receipt_pdf(receipt))
        staged.publish()
    kind = "Reprinted" if receipt.reprint else "Issued"
    print(
        f"{kind} receipt no. {receipt.number_text} for "
        f"{format_money(receipt.amount, receipt.currency)} from {receipt.payer}: {args.out}"
    )
    return 0
