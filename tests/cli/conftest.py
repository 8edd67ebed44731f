"""Commands run against a database that exists already (an empty one, unless a test
fills it): only a few commands may make a new one (see commands.context)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sro_desktop.db.database import open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "test.sqlite3"
    open_database(path).close()
    return path


@pytest.fixture
def missing_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "typo.sqlite3"
