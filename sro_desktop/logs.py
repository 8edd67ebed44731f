"""The log file: tracebacks of our bugs, never member data beyond ids."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from sro_desktop.paths import ensure_private_dir, log_dir

LOG_FILE_NAME = "sro-desktop.log"


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to a private rotating file. Returns its path, or None if the log
    folder cannot be written (the app still runs)."""
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return log_file()
    path = log_file()
    try:
        ensure_private_dir(path.parent)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic narrates every migration check at INFO; only its warnings matter in our log.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path
