"""Starting the GUI: the QApplication, settings, the window and the first database."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from sro_desktop import __version__
from sro_desktop.gui.errors import install_exception_hook
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.recent_files import last_database
from sro_desktop.paths import APP_NAME, default_database_path

QUIT_AFTER_ENV = "SRO_DESKTOP_QUIT_AFTER_MS"
# For the start-up benchmark: files that receive the moment (epoch seconds) the window was
# shown, and the moment its pages and database were ready.
SHOWN_ENV = "SRO_DESKTOP_SHOWN_FILE"
READY_ENV = "SRO_DESKTOP_READY_FILE"


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


def run_app(chosen: Path | None, argv: list[str]) -> int:
    configure_application_identity()
    app = QApplication(argv)
    install_exception_hook()
    settings = QSettings()
    window = MainWindow(settings, build_pages=False)
    window.show()

    def finish_starting() -> None:
        # After the first paint: the pages, then the database (the slow part of start-up).
        _mark(SHOWN_ENV)
        window.build_pages()
        if not window.open_database_file(starting_database(chosen, settings)):
            window.open_database_file(default_database_path())
        _mark(READY_ENV)

    QTimer.singleShot(0, finish_starting)
    quit_after = os.environ.get(QUIT_AFTER_ENV)
    if quit_after:
        # For smoke tests and the start-up benchmark: start, show, then leave cleanly.
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()
