"""Placing combining accents that have no precomposed letter (Yoruba "Ẹ́", "n̈").

reportlab draws glyphs one after another and does not read the font's mark-positioning
tables, so a combining accent lands wherever its outline was drawn, usually beside the
letter. Text is normalized to NFC first, which turns almost every accented Latin, Greek,
Cyrillic and Vietnamese letter into one precomposed glyph; only the rest comes here. Each
such accent is centered over (or under) its letter using the glyphs' bounding boxes from
the font's `glyf` table, and raised above capitals or lowered under descenders, stacking
when there are several.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from sro_desktop.documents.fonts import Font, font_path

Box = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in 1/1000 em

_OVERSHOOT = 30.0  # round letters rise a little above the x-height; that needs no raise


@dataclass(frozen=True)
class _Outlines:
    units_per_em: int
    glyph_offsets: tuple[int, ...]
    glyf_offset: int
    data: bytes

    def box(self, glyph: int) -> Box | None:
        start, end = self.glyph_offsets[glyph], self.glyph_offsets[glyph + 1]
        if end <= start:
            return None  # no outline (a space)
        xmin, ymin, xmax, ymax = struct.unpack_from(">4h", self.data, self.glyf_offset + start + 2)
        scale = 1000 / self.units_per_em
        return (xmin * scale, ymin * scale, xmax * scale, ymax * scale)


@cache
def _outlines(path: Path) -> _Outlines:
    data = path.read_bytes()
    (count,) = struct.unpack_from(">H", data, 4)
    tables: dict[bytes, int] = {}
    for index in range(count):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag] = offset
    head, maxp = tables[b"head"], tables[b"maxp"]
    (units_per_em,) = struct.unpack_from(">H", data, head + 18)
    (long_offsets,) = struct.unpack_from(">h", data, head + 50)
    (glyphs,) = struct.unpack_from(">H", data, maxp + 4)
    if long_offsets:
        offsets = struct.unpack_from(f">{glyphs + 1}I", data, tables[b"loca"])
    else:
        offsets = tuple(2 * o for o in struct.unpack_from(f">{glyphs + 1}H", data, tables[b"loca"]))
    return _Outlines(units_per_em, tuple(offsets), tables[b"glyf"], data)


@cache
def glyph_box(font: Font, char: str) -> Box | None:
    """The outline's bounding box of `char` in `font`, or None (no outline, no glyph)."""
    glyph = pdfmetrics.getFont(str(font)).face.charToGlyph.get(ord(char))
    if glyph is None:
        return None
    return _outlines(font_path(font)).box(glyph)


@cache
def _x_height(font: Font) -> float:
    box = glyph_box(font, "x")
    return box[3] if box else 500.0


def has_marks(text: str) -> bool:
    """True if `text` has a combining character (after NFC: one with no precomposed form)."""
    return any(unicodedata.combining(char) for char in text)


@dataclass(frozen=True)
class Placed:
    """A piece of a run to draw at an offset (1/1000 em) from the pen, which then advances."""

    text: str
    dx: float
    dy: float
    advance: float


def place_marks(text: str, font: Font) -> list[Placed]:
    """Split `text` into plain stretches (drawn as is) and accents moved onto their letter."""
    result: list[Placed] = []
    plain = ""
    base_box: Box | None = None
    base_advance = 0.0
    top = bottom = 0.0
    x_height = _x_height(font)
    has_base = False
    for char in text:
        if not (unicodedata.combining(char) and has_base):
            plain += char
            has_base = True
            base_advance = pdfmetrics.stringWidth(char, str(font), 1000)
            base_box = glyph_box(font, char)
            top = base_box[3] if base_box else x_height
            bottom = min(base_box[1], 0.0) if base_box else 0.0
            continue
        if plain:
            result.append(Placed(plain, 0, 0, pdfmetrics.stringWidth(plain, str(font), 1000)))
            plain = ""
        mark = glyph_box(font, char)
        if mark is None:
            continue
        center = (base_box[0] + base_box[2]) / 2 if base_box else base_advance / 2
        dx = center - base_advance - (mark[0] + mark[2]) / 2
        dy = 0.0
        if mark[1] >= x_height / 2:  # an accent above: stack over the letter or last accent
            dy = top - x_height if top - x_height > _OVERSHOOT else 0.0
            top = mark[3] + dy
        elif mark[3] <= x_height / 4:  # below: hang under a descender or the last accent
            dy = min(0.0, bottom)
            bottom = mark[1] + dy
        result.append(Placed(char, dx, dy, 0.0))
    if plain:
        result.append(Placed(plain, 0, 0, pdfmetrics.stringWidth(plain, str(font), 1000)))
    return result
