"""Test setup: Qt offscreen, private temporary user folders, GUI tests marked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Keep the tests' logs, settings and default database out of the real user folders.
_USER_DIRS = Path(tempfile.mkdtemp(prefix="sro-desktop-tests-"))
for _name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_USER_DIRS / _name.lower())
os.environ.pop("SRO_DESKTOP_DB", None)

from sro_desktop.db.database import Database, open_database  # noqa: E402
from sro_desktop.services.demo import fill_demo_data  # noqa: E402

TODAY = date(2026, 11, 27)
_QT_FIXTURES = {"qtbot", "qapp", "qtmodeltester"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _QT_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "test.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once; tests copy it instead of rebuilding it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_database(path)
    with db.transaction() as session:
        fill_demo_data(session, TODAY)
    db.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    from sro_desktop.db.backup import copy_database

    path = tmp_path / "demo.sqlite3"
    copy_database(demo_template, path)
    return path


@pytest.fixture
def demo_database(demo_path: Path) -> Iterator[Database]:
    db = open_database(demo_path)
    yield db
    db.close()
