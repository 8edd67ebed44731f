"""The two kinds of failure: the user's (a file, a value, a clash) and ours (a bug).

A `UserError` carries one plain sentence for the person at the keyboard: what happened,
where (file, row, column) and what to do. Anything else that escapes is a bug and is
logged with its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; `str(error)` is the sentence to show them.

    `exit_code` is what the command line returns: 1 when the data was refused
    (validation, a clash), 2 when a file or the arguments could not be used.
    """

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataRefused(UserError):
    """The input was read but its content was refused (validation, a duplicate, a rule)."""

    exit_code = 1


class UnusableInput(UserError):
    """A file or an argument could not be used at all (missing, unreadable, corrupt, locked)."""

    exit_code = 2
