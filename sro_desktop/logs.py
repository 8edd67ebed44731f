"""The log file: tracebacks of our bugs, never member data beyond ids.

The log lives in the user's log folder (0700), in files readable by the user alone (0600),
rotated files included. Three guards keep member data out of it: the engine hides SQL
parameters (`db/engine.py`), nothing logs rows or values, and the formatter below masks
anything that still looks like an e-mail address, a phone number or an SQL parameter list.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from sro_desktop.paths import ensure_private_dir, log_dir

LOG_FILE_NAME = "sro-desktop.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 3

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w.])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w.])")
# SQLAlchemy's "[parameters: (...)]" and "[SQL parameters hidden ...]" tails.
_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.DOTALL)


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def mask_member_data(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and SQL parameter lists masked."""
    text = _PARAMETERS.sub("[parameters hidden]", text)
    text = _EMAIL.sub("<email>", text)
    return _PHONE.sub("<phone>", text)


class PrivateFormatter(logging.Formatter):
    """Formats a record (with its traceback) and masks member data in the result."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_member_data(super().format(record))


def make_private(folder: Path) -> None:
    """Tighten an existing log folder and its files to the user alone (older versions or
    another tool may have left them readable to others)."""
    os.chmod(folder, 0o700)
    for path in folder.glob(LOG_FILE_NAME + "*"):
        if path.is_file():
            os.chmod(path, 0o600)


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to a private rotating file. Returns its path, or None if the log
    folder cannot be written (the app still runs)."""
    # Imported here: logging.handlers pulls in socket and pickle, which the window's
    # first paint should not wait for (the GUI configures logging right after it).
    from sro_desktop.log_handler import PrivateRotatingFileHandler

    root = logging.getLogger()
    if any(isinstance(h, PrivateRotatingFileHandler) for h in root.handlers):
        return log_file()
    path = log_file()
    try:
        ensure_private_dir(path.parent)
        make_private(path.parent)
        handler = PrivateRotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic narrates every migration check at INFO; only its warnings matter in our log.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # SQLAlchemy's echo would write every statement's values; keep it quiet whatever asks.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    return path
