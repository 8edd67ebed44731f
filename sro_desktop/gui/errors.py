"""Showing failures: the user's as a plain warning, ours as "please report" with the log."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from sro_desktop.errors import UserError
from sro_desktop.logs import log_file

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    """A dialog for a failed action: the UserError's sentence, or a bug report note."""
    if isinstance(error, UserError):
        QMessageBox.warning(parent, title, str(error))
        return
    QMessageBox.critical(
        parent,
        title,
        "Something went wrong inside SRO Desktop and the action was not completed; "
        "your saved data is as it was before.\n\n"
        f"Please report it and include the log file:\n{log_file()}",
    )


def install_exception_hook() -> None:
    """Log an unexpected exception with its traceback and tell the user, instead of
    letting Qt abort or print to a console nobody sees."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, error, trace))
        parent = QApplication.activeWindow()
        show_error(parent, "Unexpected error", error)

    sys.excepthook = hook
