"""Reading a logo or signature file: PNG and JPEG kept, other kinds converted, a picture too
large shrunk only when asked, anything else refused naming the file."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from sro_desktop.documents.pictures import SHRUNK_SIDE, read_picture
from sro_desktop.errors import DataRefused, UnusableInput
from sro_desktop.services.organization import PictureTooLarge, picture_facts


def _write(path: Path, kind: str, size: tuple[int, int], mode: str = "RGB") -> Path:
    out = BytesIO()
    Image.new(mode, size, (31, 95, 168, 255)[: len(mode)]).save(out, kind)
    path.write_bytes(out.getvalue())
    return path


def test_png_is_kept_byte_for_byte_and_gif_becomes_png(tmp_path: Path) -> None:
    png = _write(tmp_path / "logo.png", "PNG", (300, 100))
    assert read_picture(png, "logo") == png.read_bytes()
    gif = _write(tmp_path / "logo.gif", "GIF", (300, 100))
    converted = read_picture(gif, "logo")
    assert converted.startswith(b"\x89PNG")
    facts = picture_facts(converted)
    assert (facts.width, facts.height) == (300, 100)


def test_a_picture_too_large_is_refused_unless_a_smaller_copy_is_wanted(tmp_path: Path) -> None:
    banner = _write(tmp_path / "banner.png", "PNG", (4500, 300), mode="RGBA")
    with pytest.raises(PictureTooLarge, match="4500 × 300 pixels"):
        read_picture(banner, "logo")
    shrunk = read_picture(banner, "logo", shrink=True)
    facts = picture_facts(shrunk)
    assert facts.width == SHRUNK_SIDE and facts.height == 100
    assert facts.format == "PNG"  # transparency kept


def test_unreadable_and_missing_files_name_the_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.png"
    notes.write_text("not a picture")
    with pytest.raises(DataRefused, match=r"notes\.png is not a picture"):
        read_picture(notes, "signature")
    with pytest.raises(UnusableInput, match="does not exist"):
        read_picture(tmp_path / "missing.png", "signature")
