"""The one way text cells are tidied, whichever file they come from.

Leading and trailing whitespace goes, as do control characters other than tab and
line breaks (some writers leave NULs and other invisible junk in cells); a cell left
empty becomes None. Imports only the standard library: the reading process uses it.
"""

from __future__ import annotations

__all__ = ["clean_text"]

_CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def clean_text(text: str) -> str | None:
    """A text cell as we hand it on: control characters dropped, stripped, None if empty."""
    return text.translate(_CONTROL_CHARACTERS).strip() or None
