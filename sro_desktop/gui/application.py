"""Starting the GUI: the QApplication, settings, the window and the first database."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from sro_desktop import __version__
from sro_desktop.gui.app_icon import app_icon
from sro_desktop.gui.errors import install_exception_hook
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.recent_files import last_database
from sro_desktop.paths import APP_NAME, DATABASE_ENV, default_database_path

QUIT_AFTER_ENV = "SRO_DESKTOP_QUIT_AFTER_MS"
# For the start-up benchmark: files that receive the moment (epoch seconds) the window was
# shown, and the moment its pages and database were ready.
SHOWN_ENV = "SRO_DESKTOP_SHOWN_FILE"
READY_ENV = "SRO_DESKTOP_READY_FILE"
# Set to 1 to never show the first-run welcome (scripts, smoke tests, kiosks).
NO_WELCOME_ENV = "SRO_DESKTOP_NO_WELCOME"


def _mark(variable: str) -> None:
    target = os.environ.get(variable)
    if target:
        Path(target).write_text(repr(time.time()), encoding="utf-8")


def configure_application_identity() -> None:
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)


def starting_database(chosen: Path | None, settings: QSettings) -> Path:
    """The database named on the command line, else the last one opened, else the default."""
    if chosen is not None:
        return chosen
    last = last_database(settings)
    if last is not None and last.exists():
        return last
    return default_database_path()


def is_first_run(chosen: Path | None, settings: QSettings) -> bool:
    """Truly the first start: no database named (command line or SRO_DESKTOP_DB), none
    opened before, none in the data folder yet, and nobody waiting for a quick exit."""
    if chosen is not None or last_database(settings) is not None:
        return False
    if os.environ.get(DATABASE_ENV) or os.environ.get(QUIT_AFTER_ENV):
        return False
    if os.environ.get(NO_WELCOME_ENV, "0") not in ("", "0"):
        return False
    return not default_database_path().exists()


def run_app(chosen: Path | None, argv: list[str]) -> int:
    configure_application_identity()
    app = QApplication(argv)
    install_exception_hook()
    app.setWindowIcon(app_icon())
    settings = QSettings()
    window = MainWindow(settings, build_pages=False)
    window.show()

    def finish_starting() -> None:
        # After the first paint: the pages, then the database (the slow part of start-up).
        _mark(SHOWN_ENV)
        from sro_desktop.logs import configure_logging  # after the first paint, like the rest

        configure_logging()
        window.build_pages()
        if is_first_run(chosen, settings):
            from sro_desktop.gui.welcome_dialog import run_welcome  # the first run (issue 9)

            run_welcome(window, default_database_path())
        elif not window.open_database_file(starting_database(chosen, settings)):
            window.open_database_file(default_database_path())
        _mark(READY_ENV)

    QTimer.singleShot(0, finish_starting)
    quit_after = os.environ.get(QUIT_AFTER_ENV)
    if quit_after:
        # For smoke tests and the start-up benchmark: start, show, then leave cleanly.
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()
