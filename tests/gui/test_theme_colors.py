"""Marked-up colours stay readable when the system theme is dark."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from sro_desktop.gui.theme_colors import css, is_dark, problem_style, readable, tint

LIGHT = QPalette(QColor("#efefef"), QColor("#efefef"))
DARK = QPalette(QColor("#353535"), QColor("#2b2b2b"))
DARK.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))


def _contrast(one: QColor, other: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(color.redF())
            + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF())
        )

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_palettes_are_told_apart(qtbot: QtBot) -> None:
    assert is_dark(DARK)
    assert not is_dark(LIGHT)


@pytest.mark.parametrize("color", ["#a00", "#b00020", "#1b6e2d", "#5b6470", "#1d4f91", "#9A3412"])
def test_text_colours_are_kept_in_light_and_lightened_in_dark(qtbot: QtBot, color: str) -> None:
    assert readable(color, LIGHT) == QColor(color)
    background = DARK.color(QPalette.ColorRole.Base)
    assert _contrast(QColor(color), background) < 4.5  # as picked, unreadable on dark
    lightened = readable(color, DARK)
    assert _contrast(lightened, background) >= 4.5
    if QColor(color).hslSaturation() > 0:
        assert abs(lightened.hslHue() - QColor(color).hslHue()) <= 2  # red stays red


def test_a_pale_fill_darkens_in_a_dark_theme(qtbot: QtBot) -> None:
    pink = QColor("#F8D7DA")
    assert tint(pink, LIGHT) == pink
    text = DARK.color(QPalette.ColorRole.Text)
    assert _contrast(text, tint(pink, DARK)) >= 4.5


def test_style_sheets_follow_the_application_palette(qtbot: QtBot) -> None:
    assert css("#b00020").startswith("#")
    assert problem_style().startswith("color: #")
