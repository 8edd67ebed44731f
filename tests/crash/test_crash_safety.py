"""Crash safety, proven: a batch write is killed with SIGKILL at random moments, dozens of
times, and after every kill the database reopens sound with the batch entirely there or
entirely absent.

Each scenario runs a real process (the app's command line, or `tests.crash.driver` for a
bulk import written the way the importer writes) on a fresh copy of a prepared database.
Two unkilled reference runs give the duration T (the shorter) and the "present" state; each run is
killed after a uniformly random fraction of T. After each kill: `PRAGMA integrity_check` is
ok, the foreign keys hold, the outcome is exactly "absent" or "present", and (every third
kill) the app's own `open_database` opens it: the kill left no lock behind. A scenario
whose command does not exist yet is skipped, naming the command, and runs as soon as the
command lands.

SRO_CRASH_KILLS sets the kills per scenario (default 24); SRO_CRASH_SEED replays a run.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from sro_desktop.cli import build_parser
from sro_desktop.db.backup import copy_database
from sro_desktop.db.database import open_database
from sro_desktop.services.demo import fill_demo_data
from tests.conftest import TODAY
from tests.crash.driver import BATCH_FILE, write_batch

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

KILLS = int(os.environ.get("SRO_CRASH_KILLS", "24"))
SEED = int(os.environ.get("SRO_CRASH_SEED", str(random.randrange(1_000_000))))
BATCH_ROWS = 20_000
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Prepared:
    """A scenario made ready: the template every run starts from, the command for a
    database path, and the judge of the outcome ("absent"/"present"; AssertionError when
    the batch is there in part)."""

    template: Path
    command: Callable[[Path], list[str]]
    outcome: Callable[[Path], str]
    batch: Callable[[], str]  # what the batch is, in words, once the reference run is done


@dataclass
class Scenario:
    name: str
    cli_words: tuple[str, ...]  # the command that must exist; () for the driver
    prepare: Callable[[Path, Path], Prepared]  # (folder, demo template) -> Prepared
    notes: list[str] = field(default_factory=list)


def _cli(database: Path, *words: str) -> list[str]:
    return [sys.executable, "-m", "sro_desktop", "--db", str(database), *words]


def command_exists(words: tuple[str, ...]) -> bool:
    """True if `sro-desktop WORDS --help` is a command (asked in-process, quietly)."""
    if not words:
        return True
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            build_parser().parse_args([*words, "--help"])
        except SystemExit as exit_:
            return exit_.code == 0
    return False


def _scalar(database: Path, sql: str, *params: object) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute(sql, params).fetchone()[0])
    finally:
        connection.close()


# -- scenario: a bulk import batch (always available) ---------------------------------------


def _prepare_bulk(folder: Path, demo: Path) -> Prepared:
    template = folder / "bulk-template.sqlite3"
    copy_database(demo, template)

    def outcome(database: Path) -> str:
        members = _scalar(database, "SELECT count(*) FROM members WHERE last_name = 'Tester'")
        batches = _scalar(
            database, "SELECT count(*) FROM import_batches WHERE file_name = ?", BATCH_FILE
        )
        audited = _scalar(
            database,
            "SELECT count(*) FROM audit_entries WHERE import_batch_id IN "
            "(SELECT id FROM import_batches WHERE file_name = ?)",
            BATCH_FILE,
        )
        state = (members, batches, audited)
        if state == (0, 0, 0):
            return "absent"
        assert state == (BATCH_ROWS, 1, BATCH_ROWS), f"a partial batch: {state}"
        return "present"

    return Prepared(
        template,
        lambda db: [sys.executable, "-m", "tests.crash.driver", str(db), str(BATCH_ROWS)],
        outcome,
        lambda: f"{BATCH_ROWS:,} members with their audit entries in one import batch",
    )


# -- scenario: the importer's command (issue 4) ----------------------------------------------


def _prepare_members_import(folder: Path, demo: Path) -> Prepared:
    template = folder / "import-template.sqlite3"
    copy_database(demo, template)
    roster = folder / "roster.csv"
    lines = ["First name,Last name,Email,State"]
    lines += [f"Imp{n},Importer,imp.{n}@example.org,PA" for n in range(BATCH_ROWS)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def outcome(database: Path) -> str:
        added = _scalar(database, "SELECT count(*) FROM members WHERE last_name = 'Importer'")
        if added == 0:
            return "absent"
        assert added == BATCH_ROWS, f"a partial import: {added} of {BATCH_ROWS} rows"
        return "present"

    return Prepared(
        template,
        lambda db: _cli(db, "members", "import", str(roster)),
        outcome,
        lambda: f"a {BATCH_ROWS:,}-row roster",
    )


# -- scenario: merging two members (issue 3) -------------------------------------------------

_OWNED = ("memberships", "payments", "registrations")


def _owned_counts(database: Path, member_id: int) -> tuple[int, ...]:
    return tuple(
        _scalar(database, f"SELECT count(*) FROM {table} WHERE member_id = ?", member_id)
        for table in _OWNED
    )


def _prepare_merge(folder: Path, demo: Path) -> Prepared:
    template = folder / "merge-template.sqlite3"
    copy_database(demo, template)
    # The person with the most registrations, and the busiest one who never registered for
    # the same meeting (a merge folds two registrations for one meeting into one).
    connection = sqlite3.connect(template)
    try:
        keep, other = connection.execute(
            "SELECT a.member_id, b.member_id FROM "
            "(SELECT member_id, count(*) AS n FROM registrations GROUP BY member_id) AS a, "
            "(SELECT member_id, count(*) AS n FROM registrations GROUP BY member_id) AS b "
            "WHERE a.member_id != b.member_id AND NOT EXISTS ("
            "  SELECT 1 FROM registrations ra JOIN registrations rb"
            "  ON ra.meeting_id = rb.meeting_id"
            "  WHERE ra.member_id = a.member_id AND rb.member_id = b.member_id) "
            "ORDER BY a.n + b.n DESC, a.member_id, b.member_id LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    keep_before = _owned_counts(template, keep)
    other_before = _owned_counts(template, other)
    merged = tuple(a + b for a, b in zip(keep_before, other_before, strict=True))

    def outcome(database: Path) -> str:
        now = (_owned_counts(database, keep), _owned_counts(database, other))
        if now == (keep_before, other_before):
            return "absent"
        assert now == (merged, (0, 0, 0)), f"a partial merge: {now}"
        assert _scalar(database, "SELECT count(*) FROM members WHERE id = ?", other) == 0
        return "present"

    return Prepared(
        template,
        lambda db: _cli(db, "members", "merge", str(keep), str(other)),
        outcome,
        lambda: f"moving {sum(other_before)} records from member {other} to {keep}",
    )


# -- scenario: issuing a meeting's certificates (issue 6) ------------------------------------


def _prepare_certificates(folder: Path, demo: Path) -> Prepared:
    template = folder / "certificates-template.sqlite3"
    copy_database(demo, template)
    # The ended meeting with the most registrations (certificates print after a meeting).
    ended_by = min(TODAY, date.today()).isoformat()
    meeting = _scalar(
        template,
        "SELECT meeting_id FROM registrations JOIN meetings ON meetings.id = meeting_id "
        "WHERE meetings.end_date < ? GROUP BY meeting_id ORDER BY count(*) DESC LIMIT 1",
        ended_by,
    )
    output = folder / "certificates.pdf"
    issued: list[int] = []

    def outcome(database: Path) -> str:
        count = _scalar(database, "SELECT count(*) FROM certificates WHERE meeting_id = ?", meeting)
        if count == 0:
            return "absent"
        if not issued:  # the reference run defines "all"
            issued.append(count)
        assert count == issued[0], f"a partial batch: {count} of {issued[0]} certificates"
        return "present"

    words = ("certificates", "issue", "--meeting", str(meeting), "--out", str(output))
    return Prepared(
        template,
        lambda db: _cli(db, *words),
        outcome,
        lambda: f"{issued[0] if issued else '?'} certificates of meeting {meeting}",
    )


# -- scenario: restoring a large backup (the `restore` command) ------------------------------


def _prepare_restore(folder: Path, demo: Path) -> Prepared:
    template = folder / "restore-template.sqlite3"
    copy_database(demo, template)
    big = folder / "big-backup.sqlite3"
    copy_database(demo, big)
    write_batch(big, BATCH_ROWS)
    small_count = _scalar(template, "SELECT count(*) FROM members")
    big_count = _scalar(big, "SELECT count(*) FROM members")
    source = folder / "to-restore.sqlite3"
    copy_database(big, source)

    def outcome(database: Path) -> str:
        count = _scalar(database, "SELECT count(*) FROM members")
        if count == small_count:
            return "absent"
        assert count == big_count, f"a partial restore: {count} members"
        return "present"

    return Prepared(
        template,
        lambda db: _cli(db, "restore", str(source)),
        outcome,
        lambda: f"a {big_count:,}-member backup over a {small_count}-member database",
    )


SCENARIOS = [
    Scenario("bulk import batch", (), _prepare_bulk),
    Scenario("members import", ("members", "import"), _prepare_members_import),
    Scenario("members merge", ("members", "merge"), _prepare_merge),
    Scenario("certificates issue", ("certificates", "issue"), _prepare_certificates),
    Scenario("restore", ("restore",), _prepare_restore),
]


# -- the harness -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_for_crashes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash-demo") / "demo.sqlite3"
    database = open_database(path)
    with database.transaction() as session:
        fill_demo_data(session, TODAY)
    database.close()
    return path


def _reset(template: Path, database: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    shutil.rmtree(database.parent / "backups", ignore_errors=True)
    shutil.copyfile(template, database)


def _assert_sound(database: Path) -> None:
    """Reopen as the app would after a crash: SQLite recovers the WAL, then checks."""
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


@contextlib.contextmanager
def _process(command: list[str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_killed_batch_is_all_there_or_all_absent(
    scenario: Scenario,
    demo_for_crashes: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not command_exists(scenario.cli_words):
        pytest.skip(f"`sro-desktop {' '.join(scenario.cli_words)}` does not exist yet")
    prepared = scenario.prepare(tmp_path, demo_for_crashes)
    database = tmp_path / "work" / "crash.sqlite3"
    database.parent.mkdir()
    rng = random.Random(f"{SEED}-{scenario.name}")

    # Two unkilled runs (the first also warms the disk cache); the shorter one is T.
    durations = []
    for _reference in range(2):
        _reset(prepared.template, database)
        assert prepared.outcome(database) == "absent"
        started = time.monotonic()
        with _process(prepared.command(database)) as reference:
            _out, err = reference.communicate(timeout=120)
        durations.append(time.monotonic() - started)
        assert reference.returncode == 0, f"the unkilled run failed: {err.decode()[-2000:]}"
        _assert_sound(database)
        assert prepared.outcome(database) == "present"
    duration = min(durations)

    outcomes = {"absent": 0, "present": 0}
    killed = 0
    for kill in range(KILLS):
        _reset(prepared.template, database)
        delay = rng.uniform(0.02, 0.95) * duration
        with _process(prepared.command(database)) as process:
            try:
                process.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                killed += 1
            else:
                assert process.stderr is not None
                message = process.stderr.read().decode()[-2000:]
                assert process.returncode == 0, f"a run that was not killed failed: {message}"
        _assert_sound(database)
        outcomes[prepared.outcome(database)] += 1
        if kill % 3 == 0 or kill == KILLS - 1:  # (it costs a migration check; not every time)
            open_database(database).close()  # no stale lock, quick check ok, schema current

    with capsys.disabled():
        print(
            f"\n[crash] {scenario.name}: survived {killed} SIGKILLs of {KILLS} runs "
            f"(batch: {prepared.batch()}; unkilled run {duration:.2f} s): "
            f"{outcomes['absent']} left the batch absent, {outcomes['present']} present; "
            f"integrity ok every time (seed {SEED})"
        )
    assert killed >= KILLS // 3, "most runs must really be killed"
    assert outcomes["absent"] > 0
