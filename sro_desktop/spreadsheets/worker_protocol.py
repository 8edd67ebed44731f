"""How the reading process talks to its parent: framed pickles of plain data.

Each message is an 8-byte big-endian length followed by a pickle of a dict holding only
None, bools, numbers, text, dates and times, lists, tuples and dicts. The parent
unpickles with a loader that refuses every class but the four of `datetime`, so a reply
can never make it run code, whatever the file did to the child. Rows travel as tuples,
ready to be a `SheetRow`'s values without another copy.

The messages of one read, in order: a head (``{"status": "ok", "sheet", "sheets",
"merged", "date_system"}``) or a refusal (``{"status": "password"}`` and the like, which ends the
reply, and carries the summary formulas); then chunks of rows (``{"rows"}``); then
``{"end": True}``.
Imports only the standard library: the child process uses it.
"""

from __future__ import annotations

import datetime
import io
import pickle
import struct
from typing import IO, Any, Final

__all__ = ["CHUNK_ROWS", "decode", "read_frame", "read_message", "write_message"]

CHUNK_ROWS: Final = 10_000
_LENGTH = struct.Struct(">Q")
#: No message is anywhere near this; a longer length means a garbled stream.
_MAX_MESSAGE_BYTES: Final = 1 << 31


def write_message(output: IO[bytes], message: dict[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    output.write(_LENGTH.pack(len(data)))
    output.write(data)


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data and datetime values only, nothing that could run code."""

    _ALLOWED: Final = frozenset({"date", "datetime", "time", "timedelta"})

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the reading process")


def read_frame(stream: IO[bytes]) -> bytes | None:
    """The next message's bytes, or None at the end of the stream (or one cut short)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    if length > _MAX_MESSAGE_BYTES:
        raise pickle.UnpicklingError("garbled reply from the reading process")
    data = stream.read(length)
    if len(data) < length:
        return None
    return data


def decode(data: bytes) -> dict[str, Any]:
    message = _PlainUnpickler(io.BytesIO(data)).load()
    if not isinstance(message, dict):
        raise pickle.UnpicklingError("malformed reply from the reading process")
    return message


def read_message(stream: IO[bytes]) -> dict[str, Any] | None:
    """The next message, or None at the end of the stream (or a stream cut short)."""
    data = read_frame(stream)
    return None if data is None else decode(data)
