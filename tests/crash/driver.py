"""The process the crash tests kill: one large batch written the way an import writes it.

Run as ``python -m tests.crash.driver DB ROWS``: it opens the database with the app's own
`open_database` (lock, quick check, migrations), then in ONE transaction adds an import
batch, ROWS members and ROWS audit entries, as the spreadsheet importer does. Killed at any
moment, the database must afterwards hold either the whole batch or none of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import insert, select

from sro_desktop.db.audit import BATCH_KEY, record_audit
from sro_desktop.db.database import open_database
from sro_desktop.db.models import ImportBatch, ImportKind, Member

BATCH_FILE = "crash-test roster.csv"
CHUNK = 2000


def marker_email(number: int) -> str:
    return f"crash.{number}@example.org"


def write_batch(database_path: Path, rows: int) -> None:
    database = open_database(database_path)
    try:
        with database.transaction(action=f"Import {BATCH_FILE}") as session:
            batch = ImportBatch(kind=ImportKind.MEMBERS, file_name=BATCH_FILE, created=rows)
            session.add(batch)
            session.flush()
            session.info[BATCH_KEY] = batch.id
            for start in range(0, rows, CHUNK):
                numbers = range(start, min(start + CHUNK, rows))
                session.execute(
                    insert(Member),
                    [
                        {
                            "first_name": f"Crash{n}",
                            "last_name": "Tester",
                            "email": marker_email(n),
                            "state": "PA",
                            "notes": "x" * 200,  # bulk, so the batch spills to the WAL
                        }
                        for n in numbers
                    ],
                )
                ids = session.scalars(
                    select(Member.id).where(Member.email.in_([marker_email(n) for n in numbers]))
                ).all()
                record_audit(
                    session,
                    "members",
                    [{"row_id": i, "member_id": i, "action": "insert"} for i in ids],
                )
    finally:
        database.close()


def main(argv: list[str]) -> int:
    write_batch(Path(argv[0]), int(argv[1]))
    print("committed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
