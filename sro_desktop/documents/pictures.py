"""Pictures the organization prints (logo, signature) read from a file: kept as they are
when PNG or JPEG, converted to PNG from the other kinds Pillow reads (GIF, BMP, WebP…),
and, when asked, replaced by a smaller copy if too large for the settings' rules.
Used by the Settings form and the `settings set` command alike."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from sro_desktop.errors import DataRefused, UnusableInput
from sro_desktop.services.organization import PictureTooLarge, picture_facts

if TYPE_CHECKING:
    from PIL.Image import Image

SHRUNK_SIDE = 1500  # pixels across a shrunk copy: sharp in print, small in PDFs


def read_picture(path: Path, what: str, *, shrink: bool = False) -> bytes:
    """The picture in `path` as PNG or JPEG bytes that pass `picture_facts`; with
    `shrink`, one too large is replaced by a copy at most SHRUNK_SIDE pixels across."""
    path = path.expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnusableInput(f"The {what} file {path} does not exist; check its name.") from None
    except IsADirectoryError:
        raise UnusableInput(f"{path} is a folder; name the {what} picture file.") from None
    except OSError as error:
        raise UnusableInput(
            f"The {what} file {path.name} could not be read ({error.strerror}); "
            "choose another file."
        ) from None
    if not data.startswith((b"\x89PNG", b"\xff\xd8")):
        data = _encode(_open(data, path, what), "PNG")
    try:
        picture_facts(data, what)
    except PictureTooLarge:
        if not shrink:
            raise
        image = _open(data, path, what)
        image.thumbnail((SHRUNK_SIDE, SHRUNK_SIDE))
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        data = _encode(image, "PNG" if has_alpha else "JPEG")
        picture_facts(data, what)
    return data


def _open(data: bytes, path: Path, what: str) -> Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise DataRefused(
            f"The {what} is not a PNG or JPEG picture that can be read: {path.name} is not "
            "a picture SRO Desktop can read. Save it as PNG or JPEG and choose it again."
        ) from None
    return image


def _encode(image: Image, kind: str) -> bytes:
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif kind == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = BytesIO()
    image.save(out, kind, quality=90)
    return out.getvalue()
