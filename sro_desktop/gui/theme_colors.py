"""Colours that stay readable in a light and in a dark system theme.

Screens mark things with colour (a green "checked in", a red problem, a grey hint). Those
colours are picked for a light background; on a dark one, dark red text is unreadable.
`readable(color)` keeps the hue and lightens the colour when the palette is dark;
`tint(color)` does the opposite for a pale background fill. Colours are worked out when
used, not at import, so a theme changed while the app runs is followed.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

# Text on a dark background needs at least this HSL lightness (of 255) to be read easily.
_DARK_TEXT_LIGHTNESS = 175
# A fill behind text on a dark background may be at most this light.
_DARK_FILL_LIGHTNESS = 70


def _palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the theme is dark: its window background darker than its text."""
    palette = palette or _palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def _with_lightness(color: QColor, lightness: int) -> QColor:
    return QColor.fromHsl(color.hslHue(), color.hslSaturation(), lightness, color.alpha())


def readable(color: str | QColor, palette: QPalette | None = None) -> QColor:
    """A text colour: as given in a light theme, lightened (same hue) in a dark one."""
    result = QColor(color)
    if is_dark(palette) and result.lightness() < _DARK_TEXT_LIGHTNESS:
        result = _with_lightness(result, _DARK_TEXT_LIGHTNESS)
    return result


def tint(color: str | QColor, palette: QPalette | None = None) -> QColor:
    """A background fill: as given in a light theme, darkened (same hue) in a dark one, so
    the theme's light text stays readable on it."""
    result = QColor(color)
    if is_dark(palette) and result.lightness() > _DARK_FILL_LIGHTNESS:
        result = _with_lightness(result, _DARK_FILL_LIGHTNESS)
    return result


def text_brush(color: str | QColor) -> QBrush:
    """For a model's ForegroundRole."""
    return QBrush(readable(color))


def css(color: str | QColor) -> str:
    """For a style sheet or rich text: `f"color: {css('#a00')}"`."""
    return readable(color).name()


def problem_style() -> str:
    """The style sheet of a label that says what is wrong."""
    return f"color: {css('#b00020')};"
