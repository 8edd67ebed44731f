"""One way to run database work off the GUI thread, with progress and cancel.

Work functions receive a `Progress` they may report to and check for cancellation; they
never touch widgets. Results come back on the GUI thread through queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sro_desktop.errors import UserError

log = logging.getLogger(__name__)


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


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals) -> None:
        super().__init__()
        self.signals = signals
        self.progress = Progress(signals.progressed.emit)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except BaseException as error:  # handed to the GUI thread, which decides
            self.signals.failed.emit(error)
        else:
            self.signals.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs one piece of work at a time in a worker thread, showing a progress dialog
    when it takes longer than a moment."""

    busy_changed = Signal(bool)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._active = 0

    @property
    def busy(self) -> bool:
        return self._active > 0

    def run(
        self,
        title: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Progress:
        signals = _Signals(self)
        job = _Job(work, signals)
        dialog = QProgressDialog(title, "Cancel", 0, 0, self._parent_widget)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.progress.cancel)

        def progressed(done: int, total: int, message: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done)
            if message:
                dialog.setLabelText(message)

        def finish() -> None:
            # hide(), not close(): closing emits canceled(). And no disconnect(): PySide6
            # 6.12 mishandles the bool it returns, which crashed CPython at exit after many
            # tasks ("bool_dealloc").
            dialog.hide()
            dialog.deleteLater()
            signals.deleteLater()
            self._active -= 1
            self.busy_changed.emit(self.busy)

        def succeeded(result: object) -> None:
            finish()
            on_done(result)

        def failed(error: object) -> None:
            finish()
            assert isinstance(error, BaseException)
            if not isinstance(error, UserError | Cancelled):
                log.error("background task %r failed", title, exc_info=error)
            on_error(error)

        signals.progressed.connect(progressed)
        signals.succeeded.connect(succeeded)
        signals.failed.connect(failed)
        self._active += 1
        self.busy_changed.emit(True)
        self._pool.start(job)
        return job.progress

    def wait_until_idle(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
