"""Showing failures: the user's as a plain warning, ours as "please report" with the log.

An unexpected error (a bug) is written with its traceback to the log file and shown in a
dialog that names what failed, where in the program, and where the log file is. The data
stays as it was: every change runs in one transaction (`Database.transaction`), which an
exception rolls back before the dialog appears.
"""

from __future__ import annotations

import logging
import sys
import sysconfig
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from sro_desktop.errors import UserError
from sro_desktop.logs import log_file

log = logging.getLogger(__name__)
# Frames in these folders are Python's or a library's; the interesting one is ours.
_LIBRARY_DIRS = tuple(
    Path(sysconfig.get_paths()[key]).resolve()
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
)


def _is_library(filename: str) -> bool:
    path = Path(filename).resolve()
    return any(path.is_relative_to(folder) for folder in _LIBRARY_DIRS)


def failure_location(error: BaseException) -> str:
    """Where in our code `error` was raised: "ValueError in members_page.py, line 88"."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    ours = [f for f in frames if not _is_library(f.filename)]
    kind = type(error).__name__
    if not (ours or frames):
        return kind
    frame = (ours or frames)[-1]
    return f"{kind} in {Path(frame.filename).name}, line {frame.lineno} ({frame.name})"


UNNAMED_ACTION = "Unexpected error"


def bug_report_text(action: str, error: BaseException) -> str:
    what = "What you just did" if action == UNNAMED_ACTION else f"“{action}”"
    return (
        f"{what} did not complete because of a problem inside SRO Desktop "
        f"({failure_location(error)}).\n\n"
        "Your data is as it was before: nothing of this action was saved.\n\n"
        f"The details were written to the log file:\n{log_file()}\n\n"
        "Please report the problem and include that file."
    )


def show_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    """A dialog for a failed action: the UserError's sentence, or a bug report note."""
    if isinstance(error, UserError):
        QMessageBox.warning(parent, title, str(error))
        return
    QMessageBox.critical(parent, title, bug_report_text(title, error))


def report_bug(parent: QWidget | None, action: str, error: BaseException) -> None:
    """Log `error` with its traceback (member data masked by the log's formatter) and show
    the bug dialog naming `action`."""
    log.error("%s failed", action, exc_info=(type(error), error, error.__traceback__))
    show_error(parent, action, error)


def guarded(parent: QWidget | None, action: str, slot: Callable[[], Any]) -> Callable[..., None]:
    """`slot` wrapped for a menu item or button: a failure is shown as a dialog naming
    `action`, a UserError as its sentence, a bug with the log file's place."""

    def run(*_args: object) -> None:
        try:
            slot()
        except UserError as error:
            show_error(parent, action, error)
        except Exception as error:
            report_bug(parent, action, error)

    return run


def exception_hook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """What happens to an exception nothing caught (inside a Qt slot, a timer, a paint)."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    if error.__traceback__ is None and trace is not None:
        error = error.with_traceback(trace)
    if isinstance(error, UserError):
        show_error(QApplication.activeWindow(), "SRO Desktop", error)
        return
    report_bug(QApplication.activeWindow(), UNNAMED_ACTION, error)


def install_exception_hook() -> None:
    """Log an unexpected exception with its traceback and tell the user, instead of
    letting Qt abort or print to a console nobody sees."""
    sys.excepthook = exception_hook
