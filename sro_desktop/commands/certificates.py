"""`certificates issue / check / verify / search / reprint`: the certificate register from
a terminal.

`issue` checks the rules first and prints nothing while there is a problem; it draws the
PDF(s) under hidden temporary names, records the certificates in one transaction, and
only then gives the files their names: stopped at any point (Ctrl+C, a crash, a killed
process), the register holds all of the batch or none of it.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sro_desktop.commands import arguments
from sro_desktop.commands.context import CommandContext, print_json, print_table

if TYPE_CHECKING:
    from sro_desktop.documents.issue_batch import PreparedIssue
    from sro_desktop.services.certificate_register import RegisterEntry
from sro_desktop.errors import DataRefused, UnusableInput


def _add_paper(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--paper",
        choices=("letter", "a4"),
        default="letter",
        help="paper size, landscape (default: letter)",
    )


def register(commands: argparse._SubParsersAction[Any]) -> None:
    certificates = commands.add_parser(
        "certificates",
        help="issue, verify, find and reprint certificates",
        description="Certificates of attendance, of participation and of AMA PRA credit, "
        "and the register of every certificate issued.",
    )
    verbs = certificates.add_subparsers(dest="verb", metavar="VERB", required=True)

    issue = verbs.add_parser(
        "issue",
        help="print a meeting's certificates and record them in the register",
        description="Print the certificates of everyone eligible for a meeting (or only "
        "--member) into one PDF for printing (--out) and/or one PDF per person for "
        "emailing (--separate DIR, named Lastname_Firstname_Meeting.pdf). Problems are "
        "listed and nothing is printed until they are fixed. Someone already in the "
        "register keeps their number; a certificate that would now read differently is "
        "reissued only with --reason.",
    )
    issue.add_argument("--meeting", type=arguments.record_id, required=True, metavar="ID")
    issue.add_argument("--out", type=Path, metavar="FILE.pdf", help="one PDF with every page")
    issue.add_argument(
        "--separate", type=Path, metavar="DIR", help="also (or instead) one PDF per person"
    )
    issue.add_argument(
        "--member",
        type=arguments.record_id,
        action="append",
        metavar="ID",
        help="only this person (repeat for several)",
    )
    issue.add_argument(
        "--reason", default="", help="why certificates already issued are reissued changed"
    )
    issue.add_argument(
        "--date",
        type=arguments.iso_date,
        metavar="YYYY-MM-DD",
        help="the date of issue printed on new certificates (default: today)",
    )
    _add_paper(issue)
    issue.set_defaults(handler=run_issue)

    check = verbs.add_parser(
        "check",
        help="show who would get which certificate, and any problems, without printing",
    )
    check.add_argument("--meeting", type=arguments.record_id, required=True, metavar="ID")
    check.add_argument("--member", type=arguments.record_id, action="append", metavar="ID")
    check.add_argument("--reason", default="")
    check.add_argument("--date", type=arguments.iso_date, metavar="YYYY-MM-DD")
    check.add_argument("--json", action="store_true", help="print the plan as JSON")
    check.set_defaults(handler=run_check, read_only=True)

    verify = verbs.add_parser(
        "verify",
        help="look up a certificate by its verification code or number",
        description="Say whether a certificate with this verification code (as printed, "
        "e.g. K7P-3QX; case and dashes do not matter) or number (2026-0042) was issued, "
        "and to whom. Exit code 1 if there is none.",
    )
    verify.add_argument("code", nargs="+", metavar="CODE")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=run_verify, read_only=True)

    search = verbs.add_parser(
        "search",
        help="find certificates in the register",
        description="Search the register by name, email, number, code or meeting; a year "
        'among the words ("jane doe 2024") keeps the meetings of that year.',
    )
    search.add_argument("text", nargs="*", default=[], metavar="WORDS")
    search.add_argument("--year", type=int, help="meetings of this year only")
    search.add_argument(
        "--meeting", type=arguments.record_id, metavar="ID", help="this meeting only"
    )
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=run_search, read_only=True)

    again = verbs.add_parser(
        "reprint",
        help="print certificates again exactly as issued (the register is unchanged)",
        description="Print certificates from the register's stored words, by number or "
        "verification code: the same document as first printed, for resending.",
    )
    again.add_argument("certificates", nargs="+", metavar="NUMBER_OR_CODE")
    again.add_argument("--out", type=Path, metavar="FILE.pdf")
    again.add_argument("--separate", type=Path, metavar="DIR")
    _add_paper(again)
    again.set_defaults(handler=run_reprint)


# --- issue and check ----------------------------------------------------------------------


_NAMES_SHOWN = 40


def _kind_counts(prepared: PreparedIssue) -> str:
    counts: dict[str, int] = {}
    for certificate in prepared.certificates:
        label = certificate.planned.kind.value
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))


def _print_plan(prepared: PreparedIssue, out: TextIO) -> None:
    from sro_desktop.documents.issue_batch import Action
    from sro_desktop.documents.wording import format_date

    plan = prepared.plan
    print(f"{plan.meeting.title} ({format_date(plan.meeting.start_date)})", file=out)
    print(
        f"  {len(prepared.certificates)} certificate(s): {_kind_counts(prepared) or 'none'}"
        f" — {prepared.count(Action.NEW)} new, {prepared.count(Action.REISSUE)} reissued, "
        f"{prepared.count(Action.REPRINT)} printed again unchanged",
        file=out,
    )
    if plan.not_eligible:
        print(f"  Not eligible ({len(plan.not_eligible)}):", file=out)
        by_reason: dict[str, list[str]] = {}
        for person in plan.not_eligible:
            by_reason.setdefault(person.reason, []).append(person.name)
        for reason, names in by_reason.items():
            shown = ", ".join(names[:_NAMES_SHOWN])
            more = len(names) - _NAMES_SHOWN
            if more > 0:
                shown += f" and {more} more (`certificates check --json` lists everyone)"
            text = f"{reason.rstrip('.')} ({len(names)}): {shown}."
            wrapped = textwrap.fill(text, 100, initial_indent="    ", subsequent_indent="      ")
            print(wrapped, file=out)
    for warning in prepared.warnings:
        print(f"  Warning: {warning}", file=out)


def _prepare(context: CommandContext, args: argparse.Namespace) -> PreparedIssue:
    from sro_desktop.documents.issue_batch import prepare_issue
    from sro_desktop.services.certificate_issuing import plan_certificates

    today = args.date or date.today()
    with context.database().session() as session:
        plan = plan_certificates(session, args.meeting, today, member_ids=args.member)
        return prepare_issue(
            session,
            plan,
            today=today,
            reason=args.reason,
            page_size=getattr(args, "paper", "letter"),
        )


def _refuse(prepared: PreparedIssue) -> DataRefused:
    for problem in prepared.problems:
        print(f"  Problem: {problem}", file=sys.stderr)
    count = len(prepared.problems)
    return DataRefused(
        f"nothing was printed: {count} problem{'s' if count != 1 else ''} to fix first "
        "(listed above)."
    )


def run_check(context: CommandContext, args: argparse.Namespace) -> int:
    prepared = _prepare(context, args)
    if args.json:
        print_json(
            {
                "meeting": prepared.plan.meeting.title,
                "certificates": [
                    {
                        "member_id": c.planned.member_id,
                        "name": c.planned.name,
                        "kind": c.planned.kind.value,
                        "credits": c.planned.credits,
                        "hours": c.planned.hours,
                        "number": c.number,
                        "action": c.action.value,
                        "changes": list(c.changes),
                    }
                    for c in prepared.certificates
                ],
                "not_eligible": [
                    {"member_id": n.member_id, "name": n.name, "reason": n.reason}
                    for n in prepared.plan.not_eligible
                ],
                "problems": prepared.problems,
                "warnings": prepared.warnings,
            }
        )
        return 1 if prepared.problems else 0
    _print_plan(prepared, sys.stdout)
    if prepared.problems:
        raise _refuse(prepared)
    print("  Ready to print.")
    return 0


class _Progress:
    """`Printing certificates: 57 of 117` on a terminal, rewritten in place."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.live and (done == total or done % 10 == 0):
            end = "\n" if done == total else ""
            print(f"\rPrinting certificates: {done} of {total}", end=end, file=sys.stderr)


def run_issue(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.issue_batch import Staging, prepare_issue, write_issue
    from sro_desktop.services.certificate_issuing import plan_certificates

    if args.out is None and args.separate is None:
        raise UnusableInput(
            "Say where to save the certificates: --out FILE.pdf for one PDF, --separate DIR "
            "for one PDF per person, or both."
        )
    if args.out is not None and args.out.is_dir():
        raise UnusableInput(f"{args.out} is a folder; give a file name for --out.")
    today = args.date or date.today()
    database = context.database()
    meeting_title = ""
    with Staging() as staging:
        with database.transaction(action="Issue certificates (command line)") as session:
            plan = plan_certificates(session, args.meeting, today, member_ids=args.member)
            meeting_title = plan.meeting.title
            prepared = prepare_issue(
                session, plan, today=today, reason=args.reason, page_size=args.paper
            )
            _print_plan(prepared, sys.stdout)
            if prepared.problems:
                raise _refuse(prepared)
            result = write_issue(
                session,
                prepared,
                staging,
                out=args.out,
                separate_dir=args.separate,
                progress=_Progress(),
            )
        staging.publish()
    where = " and ".join(
        text
        for text in (
            str(result.combined) if result.combined else "",
            f"{len(result.separate)} files in {args.separate}" if result.separate else "",
        )
        if text
    )
    print(
        f"Printed {result.pages} certificate(s) for {meeting_title} to {where}: "
        f"{result.new} new, {result.reissued} reissued, {result.reprinted} printed again."
    )
    return 0


# --- the register -------------------------------------------------------------------------


def _describe(entry: RegisterEntry) -> list[str]:
    from sro_desktop.documents.wording import format_amount, format_date, format_date_range

    award = ""
    if entry.credits is not None:
        award = f"{format_amount(entry.credits)} AMA PRA Category 1 Credit(s)™"
    elif entry.hours is not None:
        award = f"{format_amount(entry.hours)} hours"
    lines = [
        f"Certificate {entry.number} (verification code {entry.verification_code}) is genuine.",
        f"  Issued to:  {entry.printed_name}",
        f"  Meeting:    {entry.meeting_title}, "
        f"{format_date_range(entry.meeting_start, entry.meeting_end)}",
        f"  Kind:       {entry.kind.label}" + (f", {award}" if award else ""),
        f"  Issued on:  {format_date(entry.issued_on)}",
    ]
    if entry.reissue_count:
        assert entry.last_reissued_on is not None
        lines.append(
            f"  Reissued:   {entry.reissue_count} time(s), last on "
            f"{format_date(entry.last_reissued_on)} ({entry.reissue_reason})"
        )
    return lines


def run_verify(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.certificate_register import find_certificate

    code = " ".join(args.code)
    with context.database().session() as session:
        entry = find_certificate(session, code)
    if entry is None:
        if args.json:
            print_json({"found": False, "code": code})
        raise DataRefused(
            f"No certificate has the code or number “{code}”; check it letter "
            "by letter (codes use 2–9 and A–Z without I, L, O and U)."
        )
    if args.json:
        print_json({"found": True, **entry.to_json()})
        return 0
    print("\n".join(_describe(entry)))
    return 0


def run_search(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.wording import format_amount
    from sro_desktop.services.certificate_register import search_register

    with context.database().session() as session:
        entries = search_register(
            session, " ".join(args.text), year=args.year, meeting_id=args.meeting
        )
    if args.json:
        print_json([entry.to_json() for entry in entries])
        return 0
    print_table(
        ["Number", "Code", "Name", "Meeting", "Kind", "Credit", "Issued", "Reissued"],
        [
            [
                e.number,
                e.verification_code,
                e.printed_name,
                e.meeting_title,
                e.kind.value,
                format_amount(e.credits)
                if e.credits is not None
                else (f"{format_amount(e.hours)} h" if e.hours is not None else ""),
                e.issued_on.isoformat(),
                str(e.reissue_count or ""),
            ]
            for e in entries
        ],
    )
    print(f"{len(entries)} certificate(s)")
    return 0


def run_reprint(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.documents.issue_batch import reprint
    from sro_desktop.services.certificate_register import find_certificate

    if args.out is None and args.separate is None:
        raise UnusableInput(
            "Say where to save the certificates: --out FILE.pdf, --separate DIR, or both."
        )
    with context.database().session() as session:
        entries = []
        for wanted in args.certificates:
            entry = find_certificate(session, wanted)
            if entry is None:
                raise DataRefused(
                    f"No certificate has the number or code “{wanted}”; find it with "
                    "`certificates search`."
                )
            entries.append(entry)
        files = reprint(
            session, entries, out=args.out, separate_dir=args.separate, page_size=args.paper
        )
    names = ", ".join(str(path) for path in files[:3]) + (" …" if len(files) > 3 else "")
    print(f"Printed {len(entries)} certificate(s) again, exactly as issued: {names}")
    return 0
