"""Start-up time: SRO Desktop's window against a bare PySide6 window, as whole processes.

Each run starts a fresh process (offscreen platform). The figure is the time from just
before the process is started until its main window has been shown and the event loop has
turned once; for SRO Desktop also until its pages and database are ready. The issue's
budget: the window up in at most 1.5x the bare window's time (medians of the runs).

    python bench/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import os, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 700)
window.show()
def shown():
    Path(os.environ["SRO_DESKTOP_SHOWN_FILE"]).write_text(repr(time.time()))
    window.close()
QTimer.singleShot(0, shown)
sys.exit(app.exec())
"""


def _run(command: list[str], environment: dict[str, str], folder: Path) -> tuple[float, float]:
    shown, ready = folder / "shown", folder / "ready"
    for marker in (shown, ready):
        marker.unlink(missing_ok=True)
    environment = {
        **environment,
        "SRO_DESKTOP_SHOWN_FILE": str(shown),
        "SRO_DESKTOP_READY_FILE": str(ready),
    }
    start = time.time()
    subprocess.run(command, env=environment, check=True, capture_output=True)
    shown_at = float(shown.read_text())
    ready_at = float(ready.read_text()) if ready.exists() else shown_at
    return shown_at - start, ready_at - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        database = folder / "demo.sqlite3"
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "SRO_DESKTOP_QUIT_AFTER_MS": "0",
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_STATE_HOME": str(folder / "state"),
        }
        subprocess.run(
            [sys.executable, "-m", "sro_desktop", "--db", str(database), "demo"],
            env=environment,
            check=True,
            capture_output=True,
        )
        ours_command = [sys.executable, "-m", "sro_desktop", "--db", str(database)]
        bare_command = [sys.executable, "-c", BARE_WINDOW]
        _run(bare_command, environment, folder)  # warm the file cache for both
        _run(ours_command, environment, folder)
        bare, ours, ready = [], [], []
        for _ in range(runs):
            bare.append(_run(bare_command, environment, folder)[0])
            shown_after, ready_after = _run(ours_command, environment, folder)
            ours.append(shown_after)
            ready.append(ready_after)
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    ratio = ours_median / bare_median
    print(f"bare PySide6 window shown:  median {bare_median * 1000:.0f} ms over {runs} runs")
    print(f"SRO Desktop window shown:   median {ours_median * 1000:.0f} ms")
    print(
        f"SRO Desktop pages and demo database ready: median "
        f"{statistics.median(ready) * 1000:.0f} ms"
    )
    print(
        f"window-shown ratio: {ratio:.2f}x (budget 1.5x) -> "
        f"{'OK' if ratio <= 1.5 else 'OVER BUDGET'}"
    )
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
