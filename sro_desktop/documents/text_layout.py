"""Centered lines of mixed-font text for reportlab canvases: measuring, wrapping, shrinking.

A certificate needs little of platypus (one italic phrase inside a sentence, centered
lines, names that shrink to fit), and drawing straight onto the canvas keeps a batch of
hundreds of pages quick. Widths are measured with the real font metrics
(`pdfmetrics.stringWidth`) and cached, since the same statements repeat on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from sro_desktop.documents.fonts import Font
from sro_desktop.documents.marks import has_marks, place_marks

Run = tuple[str, Font]
"""A piece of text in one font."""

Line = tuple[Run, ...]

NO_BREAK_SPACE = "\u00a0"
# Break at any white space but the no-break space, which glues words and prints as a space.
_PIECES = re.compile(r"[^\S\u00a0]+|(?:\S|\u00a0)+")


@lru_cache(maxsize=8192)
def unit_width(text: str, font: Font) -> float:
    """Width of `text` at 1 pt; multiply by the font size."""
    return float(stringWidth(text, str(font), 1.0))


def line_width(line: Line) -> float:
    """Width of a line at 1 pt."""
    return sum(unit_width(text, font) for text, font in line)


@dataclass(frozen=True)
class Word:
    """Text between two break opportunities (may change font inside, e.g. `Credits™.`)."""

    runs: Line
    space: Run | None  # the white space after it, dropped at a line end

    @property
    def width(self) -> float:
        return line_width(self.runs)


def words(runs: Iterable[Run]) -> list[Word]:
    """Split runs at white space, keeping each word's fonts."""
    result: list[Word] = []
    current: list[Run] = []
    for text, font in runs:
        for piece in _PIECES.findall(text):
            if piece.isspace() and NO_BREAK_SPACE not in piece:
                if current:
                    result.append(Word(tuple(current), (" ", font)))
                    current = []
            else:
                current.append((piece.replace(NO_BREAK_SPACE, " "), font))
    if current:
        result.append(Word(tuple(current), None))
    return result


def _split_long_word(word: Word, max_width: float) -> list[Word]:
    """Break a word wider than the line between characters (a 60-letter hyphenless name)."""
    pieces: list[Word] = []
    current: list[Run] = []
    width = 0.0
    for text, font in word.runs:
        for char in text:
            char_width = unit_width(char, font)
            if current and width + char_width > max_width:
                pieces.append(Word(tuple(current), None))
                current, width = [], 0.0
            if current and current[-1][1] == font:
                current[-1] = (current[-1][0] + char, font)
            else:
                current.append((char, font))
            width += char_width
    pieces.append(Word(tuple(current), word.space))
    return pieces


@lru_cache(maxsize=1024)
def wrap_balanced(runs: tuple[Run, ...], max_width: float) -> tuple[Line, ...]:
    """As few lines as greedy wrapping needs, but as even as possible (no lone last word).

    Finds, by bisection, the narrowest width that still gives the same number of lines.
    Cached: the statements are the same on every page of a batch.
    """
    lines = wrap(runs, max_width)
    if len(lines) < 2:
        return tuple(lines)
    low, high = max(line_width(line) for line in lines) / 2, max_width
    best = lines
    for _ in range(12):
        middle = (low + high) / 2
        attempt = wrap(runs, middle)
        if len(attempt) <= len(lines):
            best, high = attempt, middle
        else:
            low = middle
    return tuple(best)


def wrap(runs: Iterable[Run], max_width: float) -> list[Line]:
    """Greedy line breaking at white space; `max_width` is in 1-pt units (width / size)."""
    lines: list[Line] = []
    current: list[Run] = []
    width = 0.0
    pending_space: Run | None = None
    for whole in words(runs):
        parts = [whole] if whole.width <= max_width else _split_long_word(whole, max_width)
        for word in parts:
            space_width = unit_width(*pending_space) if pending_space else 0.0
            if current and width + space_width + word.width > max_width:
                lines.append(tuple(current))
                current, width, space_width = [], 0.0, 0.0
            elif current and pending_space:
                current.append(pending_space)
            current.extend(word.runs)
            width += space_width + word.width
            pending_space = word.space
    if current:
        lines.append(tuple(current))
    return [_merge(line) for line in lines]


def _merge(line: Line) -> Line:
    """Join neighbouring runs of the same font so each line draws with few font changes."""
    merged: list[Run] = []
    for text, font in line:
        if merged and merged[-1][1] == font:
            merged[-1] = (merged[-1][0] + text, font)
        else:
            merged.append((text, font))
    return tuple(merged)


def balanced_two_lines(runs: Sequence[Run]) -> list[Line] | None:
    """Split at the white space that makes the longer of two lines shortest; None if no space."""
    all_words = words(runs)
    if len(all_words) < 2:
        return None
    best: list[Line] | None = None
    best_width = float("inf")
    for cut in range(1, len(all_words)):
        first = _join(all_words[:cut])
        second = _join(all_words[cut:])
        widest = max(line_width(first), line_width(second))
        if widest < best_width:
            best, best_width = [first, second], widest
    return best


def _join(some_words: Sequence[Word]) -> Line:
    runs: list[Run] = []
    for index, word in enumerate(some_words):
        runs.extend(word.runs)
        if word.space and index < len(some_words) - 1:
            runs.append(word.space)
    return _merge(tuple(runs))


@dataclass(frozen=True)
class Fitted:
    """Lines and the font size at which they fit."""

    lines: list[Line]
    size: float


def fit_single_line(runs: Sequence[Run], max_width: float, size: float, min_size: float) -> float:
    """The largest size <= `size` (in half points) at which the text fits one line,
    or `min_size` if even that is too wide."""
    width = line_width(tuple(runs))
    if width * size <= max_width:
        return size
    return max(min_size, int(2 * max_width / width) / 2) if width else size


def fit_lines(
    runs: Sequence[Run],
    max_width: float,
    *,
    size: float,
    min_size: float,
    floor_size: float,
) -> Fitted:
    """A name-like line: shrink from `size` to `min_size` on one line; if still too long,
    two balanced lines at up to `min_size` (shrinking towards `floor_size`); past that,
    as many wrapped lines at `floor_size` as it takes."""
    line = _merge(tuple(runs))
    width = line_width(line)
    if width * min_size <= max_width:
        return Fitted([line], fit_single_line(line, max_width, size, min_size))
    two = balanced_two_lines(runs)
    if two is not None:
        widest = max(line_width(part) for part in two)
        two_size = min(min_size, int(2 * max_width / widest) / 2)
        if two_size >= floor_size:
            return Fitted(two, two_size)
    return Fitted(wrap(runs, max_width / floor_size), floor_size)


def draw_centered(
    canvas: Canvas,
    lines: Sequence[Line],
    center_x: float,
    top_baseline: float,
    size: float,
    leading: float,
) -> None:
    """Draw lines centered on `center_x`, the first baseline at `top_baseline`."""
    text = canvas.beginText()
    current_font: Font | None = None
    y = top_baseline
    for line in lines:
        x = center_x - line_width(line) * size / 2
        text.setTextOrigin(x, y)
        for piece, font in line:
            if font != current_font:
                text.setFont(str(font), size)
                current_font = font
            if has_marks(piece):
                x = _draw_with_marks(text, piece, font, size, x, y)
            else:
                text.textOut(piece)
                x += unit_width(piece, font) * size
        y -= leading
    canvas.drawText(text)


def _draw_with_marks(
    text: PDFTextObject, piece: str, font: Font, size: float, x: float, y: float
) -> float:
    """Draw a run holding combining accents, each moved onto its letter; returns the new x."""
    scale = size / 1000
    for placed in place_marks(piece, font):
        if placed.dx or placed.dy:
            text.setTextOrigin(x + placed.dx * scale, y + placed.dy * scale)
            text.textOut(placed.text)
            text.setTextOrigin(x, y)
        else:
            text.textOut(placed.text)
            x += placed.advance * scale
    return x
