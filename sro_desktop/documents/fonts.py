"""The TrueType fonts shipped in `resources/fonts/`, registered with reportlab once per process.

Documents print names from many alphabets (accented Latin, Vietnamese, Greek, Cyrillic), so
they use Noto Serif / Noto Sans rather than the 14 built-in PDF fonts, which know only
Latin-1. reportlab embeds a subset of each TTF font it uses, so a PDF prints the same
everywhere, and pdf readers can still copy the text (a ToUnicode map is written).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from enum import StrEnum
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

RESOURCES_ENV = "SRO_DESKTOP_RESOURCES"


def resources_dir() -> Path:
    """The folder holding fonts, icons and artwork; `$SRO_DESKTOP_RESOURCES` overrides it."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


class Font(StrEnum):
    """The registered font names (what `canvas.setFont` takes)."""

    SERIF = "SRO-NotoSerif"
    SERIF_BOLD = "SRO-NotoSerif-Bold"
    SERIF_ITALIC = "SRO-NotoSerif-Italic"
    SANS = "SRO-NotoSans"
    SANS_BOLD = "SRO-NotoSans-Bold"


_FILES: dict[Font, str] = {
    Font.SERIF: "NotoSerif-Regular.ttf",
    Font.SERIF_BOLD: "NotoSerif-Bold.ttf",
    Font.SERIF_ITALIC: "NotoSerif-Italic.ttf",
    Font.SANS: "NotoSans-Regular.ttf",
    Font.SANS_BOLD: "NotoSans-Bold.ttf",
}

_lock = threading.Lock()
_registered: dict[Font, Path] = {}


def font_path(font: Font) -> Path:
    """The TTF file behind a font name (the one registered, once it is)."""
    return _registered.get(font) or resources_dir() / "fonts" / _FILES[font]


class FontMissingError(RuntimeError):
    """A shipped font file is not where it should be: a broken installation (our bug)."""


def register_fonts() -> None:
    """Register every shipped font with reportlab; cheap after the first call, thread-safe."""
    if len(_registered) == len(_FILES):
        return
    with _lock:
        for font in _FILES:
            if font in _registered:
                continue
            path = font_path(font)
            if not path.is_file():
                raise FontMissingError(f"font file missing: {path}")
            pdfmetrics.registerFont(TTFont(str(font), str(path)))
            _registered[font] = path


def _has_glyph(font: Font, char: str) -> bool:
    face = pdfmetrics.getFont(str(font)).face
    return ord(char) in face.charToGlyph


@cache
def _printable(font: Font, char: str) -> bool:
    # Controls and invisible format characters (zero-width joiners...) need no glyph.
    if unicodedata.category(char) in {"Cc", "Cf", "Zs"}:
        return True
    return _has_glyph(font, char)


def missing_characters(text: str, font: Font = Font.SERIF_BOLD) -> str:
    """The distinct characters of `text` (after NFC) that `font` has no glyph for, in order."""
    register_fonts()
    missing: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char not in missing and not _printable(font, char):
            missing.append(char)
    return "".join(missing)
