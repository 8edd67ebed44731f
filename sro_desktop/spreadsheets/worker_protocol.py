"""How the reading process talks to its parent: framed pickles of plain data.

Each message is an 8-byte big-endian length followed by a pickle of a dict holding only
None, bools, numbers, text, dates and times, lists, tuples and dicts. The parent
unpickles with a loader that refuses every class but the four of `datetime`, so a reply
can never make it run code, whatever the file did to the child. Rows travel as tuples,
ready to be a `SheetRow`'s values without another copy.

The messages of one read, in order: ``{"parsing": sheet}`` before each sheet the child
parses (the parent looks for summary formulas meanwhile); a head (``{"status": "ok",
"sheet", "sheets", "merged", "first_column"}``) or a refusal (``{"status": "password"}``
and the like, which ends the reply); then chunks of rows; then ``{"end": True}``.

A chunk holds its rows a column at a time (``{"rows": count, "columns": [...],
"filled": bool}``), from the sheet's first used column: a column of text is one string,
its cells joined by NUL with "" for an empty cell (cleaned text never holds a NUL and is
never empty), any other column a list. Unpickling a few long strings and splitting them
costs a fraction of unpickling a million small ones; `chunk_rows` makes the rows again.
Imports only the standard library: the child process uses it.
"""

from __future__ import annotations

import datetime
import io
import pickle
import struct
from typing import IO, Any, Final

__all__ = [
    "CHUNK_ROWS",
    "FIRST_CHUNK_ROWS",
    "chunk_rows",
    "decode",
    "read_frame",
    "read_message",
    "write_message",
]

CHUNK_ROWS: Final = 10_000
#: The first chunk is small, so the parent can find the header and begin sooner.
FIRST_CHUNK_ROWS: Final = 2_000
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


def chunk_rows(message: dict[str, Any], first_column: int) -> list[tuple[Any, ...]]:
    """The rows of a chunk, each from column A and ending at its last value."""
    columns: list[Any] = []
    for column in message["columns"]:
        if type(column) is str:
            cells = column.split("\x00")
            column = [cell or None for cell in cells] if "" in cells else cells
        columns.append(column)
    count = int(message["rows"])
    if not columns:
        return [()] * count
    if len(columns[0]) != count or any(len(column) != count for column in columns):
        raise pickle.UnpicklingError("malformed rows from the reading process")
    rows: list[tuple[Any, ...]] = list(zip(*columns, strict=True))
    if first_column:
        padding = (None,) * first_column
        rows = [padding + row for row in rows]
    # Rows end at their last value: most rows are full, the others are cut here.
    if None not in columns[-1]:
        return rows  # the last column is filled in every row: all are full
    return [row if row[-1] is not None else _trimmed(row) for row in rows]


def _trimmed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]
