"""The app as a user starts it: `sro-desktop` with no command opens the window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sro_desktop.gui.application import QUIT_AFTER_ENV


def test_sro_desktop_without_a_command_opens_the_window_on_a_new_database(
    tmp_path: Path,
) -> None:
    database = tmp_path / "fresh" / "org.sqlite3"
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        QUIT_AFTER_ENV: "300",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "sro_desktop", "--db", str(database)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert database.exists()  # opened (and so created and migrated) by the window
    settings = (tmp_path / "config" / "SRO Desktop" / "SRO Desktop.conf").read_text()
    assert str(database) in settings  # remembered as the last database


def test_the_worker_argument_is_the_same_in_both_places() -> None:
    from sro_desktop import app
    from sro_desktop.spreadsheets import workbooks

    assert app.WORKER_ARGUMENT == workbooks.WORKER_ARGUMENT


def test_the_window_shows_before_the_heavy_libraries_load() -> None:
    """Start-up budget: the window module must not pull in the database or report code."""
    code = (
        "import sys; import sro_desktop.gui.application; "
        "heavy = [m for m in ('sqlalchemy', 'reportlab', 'openpyxl', 'alembic', "
        "'PySide6.QtCharts', 'PySide6.QtPdf', 'python_calamine') if m in sys.modules]; "
        "print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
