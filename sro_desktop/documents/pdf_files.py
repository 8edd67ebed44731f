"""Saving a finished PDF: written beside the target and moved into place, so a failed save
never leaves half a file where the user expects their receipt or report.

`StagedFile` splits the two steps for documents whose saving must agree with a database
transaction (a receipt and its number): write the bytes first, commit the transaction,
then move the file into place; if anything fails before, the staged bytes are removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, TypeVar

from sro_desktop.errors import UnusableInput

# The hidden name a file is written under beside its destination NAME before it is moved
# into place: ".NAME.1a2b3c4d.part" (a run killed midway may leave one behind).
T = TypeVar("T")
STAGED_NAME = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.part")


def _not_saved(what: str, out: Path, error: OSError) -> UnusableInput:
    return UnusableInput(
        f"The {what} could not be saved as “{out}”: {error.strerror or error}. If the file "
        "is open in another program, close it; otherwise choose another folder."
    )


def staged_path(out: Path) -> Path:
    """A new hidden temporary name beside `out` (see `STAGED_NAME`)."""
    return out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")


class StagedFile:
    """A file written under a temporary name beside `out`, moved there by `publish`."""

    def __init__(self, out: Path, what: str) -> None:
        self.out = out
        self.what = what
        self.temporary = staged_path(out)

    def _refused(self, error: OSError) -> UnusableInput:
        return _not_saved(self.what, self.out, error)

    def write(self, data: bytes) -> None:
        try:
            with self.temporary.open("xb") as stream:
                stream.write(data)
        except OSError as error:
            raise self._refused(error) from error

    def publish(self) -> None:
        try:
            os.replace(self.temporary, self.out)
        except OSError as error:
            raise self._refused(error) from error

    def __enter__(self) -> StagedFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.temporary.unlink()


def write_in_place(out: Path, write: Callable[[BinaryIO], T], what: str) -> T:
    """Write `out` whole or not at all: through `write(stream)` into a hidden file beside
    it, synced to disk, then renamed over `out`; returns what `write` returns. `what`
    names the document in the error message."""
    temporary = staged_path(out)
    try:
        with temporary.open("xb") as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, out)
    except OSError as error:
        raise _not_saved(what, out, error) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return result


def save_pdf(data: bytes, out: Path, what: str) -> None:
    """Write `data` to `out` whole or not at all; `what` names it in the error message."""
    write_in_place(out, lambda stream: stream.write(data), what)
