"""The window icon is there in sizes for every screen density."""

from __future__ import annotations

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from sro_desktop.gui.app_icon import ICON_SIZES, app_icon


def test_the_icon_offers_every_shipped_size(qtbot: QtBot) -> None:
    icon = app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert sizes == set(ICON_SIZES)
    big = icon.pixmap(QSize(256, 256))
    assert big.width() == 256 and not big.toImage().isNull()
