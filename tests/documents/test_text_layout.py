"""Measuring, wrapping and shrinking lines; placing combining accents."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest

from sro_desktop.documents.fonts import (
    RESOURCES_ENV,
    Font,
    missing_characters,
    register_fonts,
    resources_dir,
)
from sro_desktop.documents.marks import glyph_box, place_marks
from sro_desktop.documents.text_layout import (
    NO_BREAK_SPACE,
    Line,
    fit_lines,
    line_width,
    wrap,
    wrap_balanced,
)
from tests.documents.factories import NAMES

SERIF, BOLD, ITALIC = Font.SERIF, Font.SERIF_BOLD, Font.SERIF_ITALIC


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


def _text(lines: Sequence[Line]) -> str:
    return " ".join("".join(text for text, _font in line) for line in lines)


def test_wrap_keeps_every_word_and_fits() -> None:
    sentence = "Physicians should claim only the credit commensurate with their participation."
    lines = wrap(((sentence, SERIF),), 120 / 10)
    assert len(lines) > 1
    assert _text(lines) == sentence
    assert all(line_width(line) * 10 <= 120 + 1e-6 for line in lines)


def test_no_break_space_glues_words_and_prints_as_a_space() -> None:
    phrase = "AMA PRA Category 1 Credits™".replace(" ", NO_BREAK_SPACE)
    runs = (("designates this for 6.25" + NO_BREAK_SPACE, SERIF), (phrase, ITALIC), (".", SERIF))
    for width in (20.0, 25.0, 40.0):
        lines = wrap(runs, width)
        glued = [line for line in lines if any("AMA PRA" in text for text, _ in line)]
        assert len(glued) == 1
        assert "6.25 AMA PRA Category 1 Credits™." in _text(glued)
        assert NO_BREAK_SPACE not in _text(lines)


def test_balanced_wrap_has_no_lonely_last_word() -> None:
    title = "2026 Annual Conference: Advancing Outcomes in Continuing Medical Education"
    greedy = wrap(((title, BOLD),), 36.0)
    balanced = wrap_balanced(((title, BOLD),), 36.0)
    assert len(balanced) == len(greedy) == 2
    widths = [line_width(line) for line in balanced]
    assert max(widths) - min(widths) < max(line_width(line) for line in greedy) - min(
        line_width(line) for line in greedy
    )


def test_short_name_keeps_its_size() -> None:
    fitted = fit_lines((("Jane Doe, MD", BOLD),), 600, size=34, min_size=22, floor_size=14)
    assert fitted.size == 34
    assert len(fitted.lines) == 1


def test_longer_name_shrinks_on_one_line() -> None:
    name = "Αλέξανδρος Παπαδόπουλος-Καραμανλής, MD, PhD"
    fitted = fit_lines(((name, BOLD),), 600, size=34, min_size=22, floor_size=14)
    assert 22 <= fitted.size < 34
    assert len(fitted.lines) == 1
    assert line_width(fitted.lines[0]) * fitted.size <= 600


def test_ninety_characters_take_two_lines() -> None:
    fitted = fit_lines(((NAMES["long"], BOLD),), 600, size=34, min_size=22, floor_size=14)
    assert len(fitted.lines) == 2
    assert _text(fitted.lines) == NAMES["long"]
    assert all(line_width(line) * fitted.size <= 600 for line in fitted.lines)


def test_a_name_without_spaces_is_broken_to_fit() -> None:
    name = "Wolfeschlegelsteinhausenbergerdorff" * 4
    fitted = fit_lines(((name, BOLD),), 600, size=34, min_size=22, floor_size=14)
    assert fitted.size == 14
    assert "".join(_text([line]) for line in fitted.lines) == name
    assert all(line_width(line) * fitted.size <= 600 + 1e-6 for line in fitted.lines)


def test_accent_without_precomposed_letter_is_centered_on_it() -> None:
    # n + combining diaeresis has no single code point: the accent must sit over the n.
    pieces = place_marks("n\u0308", BOLD)
    assert [piece.text for piece in pieces] == ["n", "\u0308"]
    n_box, mark_box = glyph_box(BOLD, "n"), glyph_box(BOLD, "\u0308")
    assert n_box is not None and mark_box is not None
    advance = pieces[0].advance
    mark_center = advance + pieces[1].dx + (mark_box[0] + mark_box[2]) / 2
    assert mark_center == pytest.approx((n_box[0] + n_box[2]) / 2)
    assert pieces[1].dy == 0


def test_accents_on_capitals_are_raised_and_stack() -> None:
    text = unicodedata.normalize("NFC", "X\u0302\u0301")
    first, circumflex, acute = place_marks(text, BOLD)
    assert first.text == "X"
    assert circumflex.dy > 0
    assert acute.dy > circumflex.dy


def test_missing_characters() -> None:
    assert missing_characters("Nguyễn Ольга Αλέξανδρος Łukasz Çağlar") == ""
    assert missing_characters("Li 王小明 王") == "王小明"


def test_resources_folder_can_be_moved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path))
    assert resources_dir() == tmp_path
    monkeypatch.delenv(RESOURCES_ENV)
    assert (resources_dir() / "fonts" / "OFL.txt").is_file()
