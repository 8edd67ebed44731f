"""Privacy: the database, its backups and the logs are the user's alone (0600 files, 0700
folders), and the log never holds member data beyond ids, even in a traceback."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from sro_desktop.db.backup import take_backup
from sro_desktop.db.database import Database, open_database
from sro_desktop.db.models import Member
from sro_desktop.log_handler import PrivateRotatingFileHandler
from sro_desktop.logs import (
    PrivateFormatter,
    configure_logging,
    log_file,
    mask_member_data,
)

SECRET_EMAIL = "zoe.secret@hospital.example.org"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def private_log(tmp_path: Path) -> Iterator[Path]:
    """A private rotating log handler on the root logger, as the app configures it."""
    path = tmp_path / "logs" / "app.log"
    path.parent.mkdir(mode=0o700)
    handler = PrivateRotatingFileHandler(path, maxBytes=2000, backupCount=2, encoding="utf-8")
    handler.setFormatter(PrivateFormatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        handler.close()


def test_database_folder_file_and_backups_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new folder" / "org.sqlite3"
    database = open_database(path)
    with database.transaction() as session:
        session.add(Member(first_name="A", last_name="B"))
    backup = take_backup(path, "manual")
    database.close()
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    assert _mode(backup.parent) == 0o700 and _mode(backup) == 0o600
    for sibling in path.parent.iterdir():
        if sibling.is_file():
            assert _mode(sibling) == 0o600, sibling.name


def test_the_app_log_folder_and_file_are_private() -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    path = configure_logging()
    try:
        assert path == log_file()
        logging.getLogger("sro_desktop.test").info("hello")
        assert _mode(path.parent) == 0o700
        assert _mode(path) == 0o600
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_an_existing_log_folder_made_too_open_is_tightened() -> None:
    folder = log_file().parent
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    log_file().touch()
    log_file().chmod(0o644)
    root = logging.getLogger()
    # As at a fresh start: no log handler yet (an earlier test's `main()` may have added one).
    earlier = [h for h in root.handlers if isinstance(h, RotatingFileHandler)]
    for handler in earlier:
        root.removeHandler(handler)
    before = list(root.handlers)
    try:
        configure_logging()
        assert _mode(folder) == 0o700 and _mode(log_file()) == 0o600
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        for handler in earlier:
            root.addHandler(handler)


def test_rotated_log_files_stay_private(private_log: Path) -> None:
    log = logging.getLogger("sro_desktop.test")
    for n in range(200):
        log.info("line %d of a long session", n)
    files = sorted(private_log.parent.iterdir())
    assert [f.name for f in files] == ["app.log", "app.log.1", "app.log.2"]
    assert {_mode(f) for f in files} == {0o600}
    assert isinstance(
        next(h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)),
        PrivateRotatingFileHandler,
    )


def test_a_database_error_is_logged_without_the_values_it_carried(
    database: Database, private_log: Path
) -> None:
    with database.transaction() as session:
        session.add(Member(first_name="Zoë", last_name="Secret", email=SECRET_EMAIL))
    with pytest.raises(IntegrityError) as failed, database.transaction() as session:
        session.add(Member(first_name="Zoë", last_name="Again", email=SECRET_EMAIL))
    assert SECRET_EMAIL not in str(failed.value)  # the engine hides the parameters
    logging.getLogger("sro_desktop.test").error("import failed", exc_info=failed.value)
    text = private_log.read_text(encoding="utf-8")
    assert "IntegrityError" in text and "UNIQUE constraint failed: members.email" in text
    assert SECRET_EMAIL not in text and "Zoë" not in text and "Secret" not in text


def test_member_data_in_any_message_is_masked(private_log: Path) -> None:
    log = logging.getLogger("sro_desktop.test")
    try:
        raise ValueError(f"could not parse {SECRET_EMAIL} or (215) 555-0100 for member 42")
    except ValueError:
        log.exception("row failed")
    text = private_log.read_text(encoding="utf-8")
    assert SECRET_EMAIL not in text and "555-0100" not in text
    assert "<email>" in text and "<phone>" in text and "member 42" in text


@pytest.mark.parametrize(
    ("message", "masked"),
    [
        (f"mail {SECRET_EMAIL}.", "mail <email>."),
        ("call +1 215.555.0100 now", "call <phone> now"),
        ("call 2155550100", "call <phone>"),
        (
            "[SQL: INSERT INTO t (email) VALUES (?)]\n[parameters: ('a@b.org',)]\n(Background",
            "[SQL: INSERT INTO t (email) VALUES (?)]\n[parameters hidden]\n(Background",
        ),
        ("member 1234 at 2026-11-27 10:02:03,123", "member 1234 at 2026-11-27 10:02:03,123"),
        ("object at 0x7f6b728b7ed0", "object at 0x7f6b728b7ed0"),
    ],
)
def test_mask_member_data(message: str, masked: str) -> None:
    assert mask_member_data(message) == masked


def test_sql_echo_is_off(database: Database) -> None:
    assert not database.engine.echo
    assert database.engine.hide_parameters is True
