"""The list of recently opened databases, kept in QSettings, newest first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8
_KEY = "database/recent"


def recent_databases(settings: QSettings) -> list[Path]:
    value = settings.value(_KEY, [])
    # QSettings hands back one string for a one-item list in INI files.
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [Path(str(item)) for item in items if item]


def remember_database(settings: QSettings, path: Path) -> None:
    items = [str(path)] + [str(p) for p in recent_databases(settings) if p != path]
    settings.setValue(_KEY, items[:MAX_RECENT])
    settings.setValue("database/last", str(path))


def last_database(settings: QSettings) -> Path | None:
    value = settings.value("database/last", "")
    return Path(str(value)) if value else None


def forget_database(settings: QSettings, path: Path) -> None:
    settings.setValue(_KEY, [str(p) for p in recent_databases(settings) if p != path])
