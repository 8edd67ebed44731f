"""Time issuing a meeting's certificates end to end, as the app does it: the attendance
service's figures, the plan and its rules, numbers and codes, one PDF drawn, the register
written in one transaction (and, separately, one PDF per person for emailing).

    python bench/bench_issue.py [--n 1000] [--separate 200]

A temporary database gets one meeting with `--n` attendees checked in (a third of them
physicians), so every one of them is eligible.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sro_desktop.db.database import Database, open_database
from sro_desktop.db.models import (
    CreditType,
    Meeting,
    MeetingFormat,
    MeetingSession,
    Member,
    Registration,
    RegistrationCategory,
)
from sro_desktop.documents.issue_batch import Staging, prepare_issue, write_issue
from sro_desktop.services.certificate_issuing import plan_certificates
from sro_desktop.services.organization import organization_settings

DAY = date(2026, 3, 4)
NAMES = (
    ("Jane Q.", "Doe"),
    ("Thị Minh Khai", "Nguyễn"),
    ("Αλέξανδρος", "Παπαδόπουλος"),
    ("Ольга", "Кузнецова"),
    ("María José", "Núñez-Ørsted"),
)


def _fill(database: Database, count: int) -> int:
    with database.transaction() as session:
        settings = organization_settings(session)
        settings.name = "Ohio Valley Alliance for CME Professionals"
        settings.signatory_name = "Margaret Ellis, MEd, CHCP"
        settings.signatory_title = "President"
        meeting = Meeting(
            title="2026 Annual Conference: Advancing Outcomes in CME",
            format=MeetingFormat.IN_PERSON,
            start_date=DAY,
            end_date=DAY,
            venue="Columbus Convention Center, Columbus, OH",
            credit_type=CreditType.AMA_PRA_1,
            accredited_provider="Ohio State University College of Medicine",
            joint_providership=True,
            max_credits=Decimal("6.25"),
        )
        meeting.sessions = [
            MeetingSession(
                title="Programme",
                starts_at=datetime.combine(DAY, clock(9)),
                ends_at=datetime.combine(DAY, clock(15, 15)),
            )
        ]
        session.add(meeting)
        session.flush()
        for index in range(count):
            first, last = NAMES[index % len(NAMES)]
            member = Member(
                first_name=first,
                last_name=f"{last} {index:04d}",
                credentials="MD" if index % 3 == 0 else "RN",
                email=f"person{index}@example.org",
            )
            session.add(member)
            session.add(
                Registration(
                    meeting=meeting,
                    member=member,
                    category=RegistrationCategory.MEMBER,
                    fee=Decimal("0"),
                    checked_in_at=datetime.combine(DAY, clock(8, 45), tzinfo=UTC),
                )
            )
        return meeting.id


def _issue(database: Database, meeting_id: int, out: Path | None, folder: Path | None) -> int:
    today = date(2026, 3, 10)
    with Staging() as staging:
        with database.transaction(action="Issue certificates (benchmark)") as session:
            plan = plan_certificates(session, meeting_id, today)
            prepared = prepare_issue(session, plan, today=today)
            result = write_issue(session, prepared, staging, out=out, separate_dir=folder)
        staging.publish()
    return result.pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="attendees (pages) in one PDF")
    parser.add_argument("--separate", type=int, default=200, help="attendees, one PDF each")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for label, count, separate in (
            ("one PDF", args.n, False),
            ("one PDF per person", args.separate, True),
        ):
            database = open_database(folder / f"{count}-{separate}.sqlite3")
            meeting_id = _fill(database, count)
            start = time.perf_counter()
            pages = _issue(
                database,
                meeting_id,
                None if separate else folder / "all.pdf",
                folder / "each" if separate else None,
            )
            seconds = time.perf_counter() - start
            database.close()
            print(
                f"  issue, {label:19} {pages:5d} certificates {seconds:7.2f} s "
                f"{pages / seconds:8.1f} pages/s (plan, rules, PDF, register)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
