"""The application's icon, in every size shipped, so window decorations, the task bar and
the Alt+Tab switcher pick a sharp one on any screen density."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from sro_desktop.paths import resources_dir

ICON_SIZES = (16, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"sro-desktop-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon
