"""The app survives the PySide6 6.12 reference-count bug: many signals and setters in a row."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    import sro_desktop.gui  # the guard runs on import
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])

    class Sender(QObject):
        fired = Signal()

    sender, label = Sender(), QLabel()
    for number in range(100_000):
        sender.fired.emit()
        label.setText(str(number))
    print("survived")
    """
)


def test_a_long_session_of_signals_and_setters_does_not_abort_python() -> None:
    # In a child process: without the guard CPython 3.11 aborts within a few thousand calls.
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.strip() == "survived"
