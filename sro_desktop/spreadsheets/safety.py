"""Checks made before a workbook is handed to the parser, so a hostile file costs nothing.

A zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) is a zip archive: we read its central
directory (a table of contents, no decompression) and refuse archives that would unpack
to too much data, that are packed suspiciously tightly (zip bombs) or that hold too many
parts. The declared sizes can be trusted because the zip reader inside calamine refuses
any part that inflates beyond its declared size. We also recognise password protection
and documents that are not spreadsheets at all (a Word file renamed .xlsx), to say so
plainly instead of reporting a parse error.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sro_desktop.spreadsheets import refusals
from sro_desktop.spreadsheets.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    RATIO_CHECKED_ABOVE_BYTES,
)

__all__ = ["check_ole_container", "check_zip_workbook"]

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_SMALL_PART_BYTES = 1024 * 1024
_ZIP_ENCRYPTED_FLAG = 0x1

# Top folders of Office documents that are not workbooks.
_OTHER_OFFICE_FOLDERS = {"word": "a Word document", "ppt": "a PowerPoint presentation"}
_OTHER_OPENDOCUMENTS = {
    b"application/vnd.oasis.opendocument.text": "a text document (OpenDocument)",
    b"application/vnd.oasis.opendocument.presentation": "a presentation (OpenDocument)",
    b"application/vnd.oasis.opendocument.graphics": "a drawing (OpenDocument)",
}


def check_zip_workbook(path: Path, name: str) -> None:
    """Refuse a zip-based file that is unsafe to unpack, locked, or not a workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_sizes(infos, name)
            if any(info.flag_bits & _ZIP_ENCRYPTED_FLAG for info in infos):
                raise refusals.password_protected(name)
            _check_is_workbook(archive, infos, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, KeyError) as exc:
        raise refusals.damaged(name) from exc
    except (NotImplementedError, RuntimeError) as exc:  # a compression method zipfile lacks
        raise refusals.damaged(name) from exc


def _check_sizes(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise refusals.unpacks_too_large(name)
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise refusals.unpacks_too_large(name)
    for info in infos:
        if (
            info.file_size > RATIO_CHECKED_ABOVE_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise refusals.unpacks_too_large(name)


def _check_is_workbook(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    # Some writers store paths with backslashes (calamine's issue_530.xlsx); compare loosely.
    parts = {info.filename.replace("\\", "/").lstrip("/").lower(): info for info in infos}
    mimetype = parts.get("mimetype")
    if mimetype is not None and mimetype.file_size <= 200:
        declared = archive.read(mimetype).strip()
        if declared in _OTHER_OPENDOCUMENTS:
            raise refusals.not_a_spreadsheet(name, _OTHER_OPENDOCUMENTS[declared])
        if declared == _ODS_MIMETYPE:
            _check_ods_not_encrypted(archive, parts, name)
            return
    if "content.xml" in parts:
        _check_ods_not_encrypted(archive, parts, name)
        return
    folders = {part.split("/", 1)[0] for part in parts}
    if "xl" in folders or any(part.endswith(("workbook.xml", "workbook.bin")) for part in parts):
        return
    for folder, description in _OTHER_OFFICE_FOLDERS.items():
        if folder in folders:
            raise refusals.not_a_spreadsheet(name, description)
    raise refusals.not_a_spreadsheet(name, "a zip archive")


def _check_ods_not_encrypted(
    archive: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo], name: str
) -> None:
    manifest = parts.get("meta-inf/manifest.xml")
    if manifest is None or manifest.file_size > _SMALL_PART_BYTES:
        return
    text = archive.read(manifest)
    if b"encryption-data" in text or b'full-path="encrypted-package"' in text:
        raise refusals.password_protected(name)


# Stream names inside an OLE (Compound File) container are stored as UTF-16LE.
def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


_ENCRYPTED_PACKAGE = _utf16("EncryptedPackage")
_OLE_NON_WORKBOOKS = (
    (_utf16("WordDocument"), "a Word document"),
    (_utf16("PowerPoint Document"), "a PowerPoint presentation"),
    (_utf16("__substg1.0_"), "an Outlook e-mail message"),
)
_WORKBOOK_STREAM = _utf16("Book")  # "Workbook" (BIFF8) and "Book" (BIFF5) both contain it
_CHUNK_BYTES = 4 * 1024 * 1024
_OVERLAP = 64


def check_ole_container(path: Path, name: str) -> None:
    """Refuse an OLE file that is an encrypted xlsx/xlsb or another Office document.

    Excel saves a password-protected .xlsx or .xlsb as an OLE container holding an
    "EncryptedPackage" stream; Word, PowerPoint and Outlook use OLE too. We look for
    the stream names in the raw bytes (a fast, approximate check); anything not
    recognised here goes on to the parser, which has the last word.
    """
    found: set[bytes] = set()
    wanted = [_ENCRYPTED_PACKAGE, _WORKBOOK_STREAM, *(marker for marker, _ in _OLE_NON_WORKBOOKS)]
    with path.open("rb") as file:
        tail = b""
        while chunk := file.read(_CHUNK_BYTES):
            window = tail + chunk
            found.update(marker for marker in wanted if marker in window)
            tail = window[-_OVERLAP:]
    if _ENCRYPTED_PACKAGE in found:
        raise refusals.password_protected(name)
    if _WORKBOOK_STREAM in found:
        return
    for marker, description in _OLE_NON_WORKBOOKS:
        if marker in found:
            raise refusals.not_a_spreadsheet(name, description)
