"""The log file's handler: rotating, and private (0600) for every file it opens."""

from __future__ import annotations

import os
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file, the fresh one after a rollover too, is 0600."""

    def _open(self) -> TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)
        stream = os.fdopen(descriptor, "a", encoding=self.encoding or "utf-8", errors=self.errors)
        assert isinstance(stream, TextIOWrapper)
        return stream
