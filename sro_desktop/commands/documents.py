"""`documents sign-in-sheet / badges / transcript`: the printed paperwork of a meeting and
a member's CME transcript, as PDF files."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext
from sro_desktop.errors import UnusableInput

_PDF = arguments.output_file(".pdf")


def register(commands: argparse._SubParsersAction[Any]) -> None:
    documents = commands.add_parser(
        "documents",
        help="sign-in sheets, name badges and CME transcripts as PDF",
        description="Printable documents: a meeting's sign-in sheet and name badges, and a "
        "member's CME transcript.",
    )
    verbs = documents.add_subparsers(dest="verb", metavar="VERB", required=True)

    sheet = verbs.add_parser(
        "sign-in-sheet",
        help="the sign-in sheet of a meeting or one of its sessions",
        description="Everyone registered, alphabetical, with credentials, organization and "
        "a column to sign; the meeting in the header of every page, page numbers, and "
        "blank lines for walk-ins at the end.",
    )
    sheet.add_argument("--meeting", type=arguments.record_id, required=True, metavar="ID")
    sheet.add_argument(
        "--session", type=arguments.record_id, metavar="ID", help="one session of the meeting"
    )
    sheet.add_argument("--out", type=_PDF, required=True, metavar="FILE.pdf")
    sheet.add_argument(
        "--walk-in-lines", type=int, default=6, metavar="N", help="blank lines at the end"
    )
    sheet.add_argument("--paper", choices=("letter", "a4"), default="letter")
    sheet.set_defaults(handler=run_sign_in_sheet, read_only=True)

    badges = verbs.add_parser(
        "badges",
        help="name badges, 8 to a sheet (Avery 5395 layout)",
        description="A name badge for everyone registered: name large, credentials, "
        "organization and state; 8 per US Letter sheet of Avery 5395-style labels. Print "
        "at actual size (100 %%).",
    )
    badges.add_argument("--meeting", type=arguments.record_id, required=True, metavar="ID")
    badges.add_argument("--out", type=_PDF, required=True, metavar="FILE.pdf")
    badges.add_argument(
        "--outlines", action="store_true", help="draw the label edges (to test on plain paper)"
    )
    badges.add_argument(
        "--skip", type=int, default=0, metavar="N", help="labels already used on the first sheet"
    )
    badges.set_defaults(handler=run_badges, read_only=True)

    transcript = verbs.add_parser(
        "transcript",
        help="a member's CME transcript",
        description="Every meeting the person attended, with dates, format, credit and "
        "certificate number, and the totals per kind of credit.",
    )
    transcript.add_argument("--member", type=arguments.record_id, required=True, metavar="ID")
    transcript.add_argument("--out", type=_PDF, required=True, metavar="FILE.pdf")
    transcript.add_argument("--from", dest="start", type=arguments.iso_date, metavar="YYYY-MM-DD")
    transcript.add_argument("--to", dest="end", type=arguments.iso_date, metavar="YYYY-MM-DD")
    transcript.add_argument("--paper", choices=("letter", "a4"), default="letter")
    transcript.set_defaults(handler=run_transcript, read_only=True)


def run_sign_in_sheet(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.sign_in_sheet import render_sign_in_sheet, sign_in_sheet

    if args.walk_in_lines < 0:
        raise UnusableInput("--walk-in-lines cannot be negative.")
    with context.database().session() as session:
        sheet = sign_in_sheet(session, args.meeting, session_id=args.session)
    pages = render_sign_in_sheet(
        sheet,
        args.out,
        page_size=args.paper,
        printed_on=date.today(),
        walk_in_lines=args.walk_in_lines,
    )
    print(f"Saved the sign-in sheet ({len(sheet.rows)} people, {pages} pages) to {args.out}")
    return 0


def run_badges(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.badges import badges_for_meeting, render_badges

    with context.database().session() as session:
        sheet = badges_for_meeting(session, args.meeting)
    pages = render_badges(sheet, args.out, outlines=args.outlines, skip=args.skip)
    print(f"Saved {len(sheet.badges)} name badges ({pages} sheets) to {args.out}")
    return 0


def run_transcript(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.transcript_pdf import render_transcript, transcript_document

    with context.database().session() as session:
        document = transcript_document(session, args.member, args.start, args.end)
    pages = render_transcript(document, args.out, issued_on=date.today(), page_size=args.paper)
    lines = len(document.transcript.lines)
    print(
        f"Saved the transcript of {document.transcript.full_name} ({lines} activities, "
        f"{pages} page{'s' if pages != 1 else ''}) to {args.out}"
    )
    return 0
