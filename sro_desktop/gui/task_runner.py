"""One way to run database work off the GUI thread, with progress and cancel.

Work functions receive a `Progress` they may report to and check for cancellation; they
never touch widgets. Progress and results are picked up on the GUI thread by a timer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sro_desktop.errors import UserError

log = logging.getLogger(__name__)

POLL_MS = 25  # how often the GUI thread looks at running work


class Cancelled(Exception):
    """The user pressed Cancel; the work stopped and its transaction was rolled back."""


class Progress:
    """Handed to a work function: report how far it is, and learn whether to stop."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def report(self, done: int, total: int, message: str = "") -> None:
        self._emit(done, total, message)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()


class _Job:
    """One piece of work: a plain Python thread runs it; the GUI thread polls for its
    progress and outcome. The thread never calls into Qt, so no Qt lock and the GIL can
    ever be waited on crosswise (a QThreadPool job hung CI once, inside a widget call)."""

    def __init__(
        self,
        title: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.title = title
        self.on_done = on_done
        self.on_error = on_error
        self.progress = Progress(self._store_progress)
        self.dialog: QProgressDialog | None = None
        self._work = work
        self._lock = threading.Lock()
        self._latest: tuple[int, int, str] | None = None
        self._outcome: tuple[bool, object] | None = None
        self.thread = threading.Thread(target=self._run, name=f"task: {title}", daemon=True)

    def _store_progress(self, done: int, total: int, message: str) -> None:
        with self._lock:
            self._latest = (done, total, message)

    def _run(self) -> None:
        outcome: tuple[bool, object]
        try:
            outcome = (True, self._work(self.progress))
        except BaseException as error:  # handed to the GUI thread, which decides
            outcome = (False, error)
        with self._lock:
            self._outcome = outcome

    def take_progress(self) -> tuple[int, int, str] | None:
        with self._lock:
            latest, self._latest = self._latest, None
        return latest

    def outcome(self) -> tuple[bool, object] | None:
        with self._lock:
            return self._outcome


class TaskRunner(QObject):
    """Runs one piece of work at a time in a worker thread, showing a progress dialog
    when it takes longer than a moment. Work queued while another runs waits its turn."""

    busy_changed = Signal(bool)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._jobs: deque[_Job] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def run(
        self,
        title: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Progress:
        from PySide6.QtCore import Qt  # not at import: the window shows before Qt's enums load

        job = _Job(title, work, on_done, on_error)
        dialog = QProgressDialog(title, "Cancel", 0, 0, self._parent_widget)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.progress.cancel)
        job.dialog = dialog
        self._jobs.append(job)
        if len(self._jobs) == 1:
            job.thread.start()
            self.busy_changed.emit(True)
        self._timer.start()
        return job.progress

    def _poll(self) -> None:
        while self._jobs:
            job = self._jobs[0]
            latest = job.take_progress()
            if latest is not None and job.dialog is not None:
                done, total, message = latest
                job.dialog.setMaximum(max(total, 0))
                job.dialog.setValue(done)
                if message:
                    job.dialog.setLabelText(message)
            outcome = job.outcome()
            if outcome is None:
                if not job.thread.is_alive() and job.thread.ident is None:
                    job.thread.start()
                return
            self._jobs.popleft()
            self._finish(job, outcome)
        self._timer.stop()

    def _finish(self, job: _Job, outcome: tuple[bool, object]) -> None:
        if job.dialog is not None:
            # hide(), not close(): closing emits canceled().
            job.dialog.hide()
            job.dialog.deleteLater()
            job.dialog = None
        if not self._jobs:
            self.busy_changed.emit(False)
        succeeded, value = outcome
        if succeeded:
            job.on_done(value)
            return
        assert isinstance(value, BaseException)
        if not isinstance(value, UserError | Cancelled):
            log.error("background task %r failed", job.title, exc_info=value)
        job.on_error(value)

    def wait_until_idle(self, msecs: int = 30000) -> bool:
        """Block until every queued piece of work has run (its result is still handed
        over by the event loop, as usual). False if that took longer than msecs."""
        deadline = time.monotonic() + msecs / 1000
        for job in list(self._jobs):
            if job.thread.ident is None:
                job.thread.start()
            job.thread.join(max(0.0, deadline - time.monotonic()))
            if job.thread.is_alive():
                return False
        return True
