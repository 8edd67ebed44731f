"""Where things live: the default database, the log folder and the shipped resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "SRO Desktop"
DATABASE_FILE_NAME = "sro-desktop.sqlite3"
DATABASE_ENV = "SRO_DESKTOP_DB"


def default_database_path() -> Path:
    """The database in the user's data folder, unless SRO_DESKTOP_DB names another."""
    chosen = os.environ.get(DATABASE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_path  # here, not at import: start-up time

    return user_data_path(APP_NAME, appauthor=False) / DATABASE_FILE_NAME


def log_dir() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, inside a frozen bundle,
    or under the environment's share/ folder when installed from a wheel."""
    override = os.environ.get("SRO_DESKTOP_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    # Installed from a wheel: the data files went under the environment's prefix.
    return Path(sys.prefix) / "share" / "sro-desktop" / "resources"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder readable by the user alone (0700) if it does not exist."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
