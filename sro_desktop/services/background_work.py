"""Python work on a second thread while this one waits inside SQLite.

SQLite lets go of Python's interpreter lock while it runs a statement, so while it
rebuilds an index or copies rows from one table into another, a second thread can make
the next statement's rows. `InBackground` runs one such piece of work: started when the
long statements begin, its result taken when they are done. The work must not touch
the database (the session and its connection belong to the thread that started it);
whatever it raises is raised again by `result`. Not started, it runs in `result`.

While the work runs, Python hands its lock between threads every 0.5 ms instead of
every 5 ms: each time one of SQLite's statements ends, the thread that ran it wants the
lock back from the busy second thread, and would otherwise wait up to 5 ms for it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["InBackground"]

T = TypeVar("T")
_SWITCH_SECONDS = 0.0005


class InBackground(Generic[T]):
    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._thread: threading.Thread | None = None
        self._done = False
        self._value: T | None = None
        self._error: BaseException | None = None
        self._interval: float | None = None

    def start(self) -> None:
        if self._thread is None and not self._done:
            self._interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self._interval, _SWITCH_SECONDS))
            self._thread = threading.Thread(target=self._run, name="background work")
            self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as error:  # handed to the thread that asks for the result
            self._error = error
        finally:
            if self._interval is not None:  # as it was, as soon as the work is done
                sys.setswitchinterval(self._interval)
        self._done = True

    def result(self) -> T:
        if self._thread is not None:
            self._thread.join()
        elif not self._done:
            self._run()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set by _run when no error
