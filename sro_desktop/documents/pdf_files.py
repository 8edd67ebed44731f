"""Saving a finished PDF: written beside the target and moved into place, so a failed save
never leaves half a file where the user expects their receipt or report.

`StagedFile` splits the two steps for documents whose saving must agree with a database
transaction (a receipt and its number): write the bytes first, commit the transaction,
then move the file into place; if anything fails before, the staged bytes are removed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from types import TracebackType

from sro_desktop.errors import UnusableInput


class StagedFile:
    """A file written under a temporary name beside `out`, moved there by `publish`."""

    def __init__(self, out: Path, what: str) -> None:
        self.out = out
        self.what = what
        self.temporary = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")

    def _refused(self, error: OSError) -> UnusableInput:
        return UnusableInput(
            f"The {self.what} could not be saved as “{self.out}”: {error.strerror or error}. "
            "If the file is open in another program, close it; otherwise choose another folder."
        )

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


def save_pdf(data: bytes, out: Path, what: str) -> None:
    """Write `data` to `out` whole or not at all; `what` names it in the error message."""
    with StagedFile(out, what) as staged:
        staged.write(data)
        staged.publish()
