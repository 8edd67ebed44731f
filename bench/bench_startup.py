"""Start-up time: SRO Desktop's window against a bare PySide6 window, as whole processes.

Each run starts a fresh process with the offscreen platform that shows its main window and
quits from the first turn of the event loop; the figure is the wall time of the process.
The issue's budget: SRO Desktop at most 1.5x the bare window (median of the runs).

    python bench/bench_startup.py [--runs 7]
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
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 700)
window.show()
QTimer.singleShot(0, window.close)
sys.exit(app.exec())
"""


def _time(command: list[str], environment: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=environment, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "demo.sqlite3"
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "SRO_DESKTOP_QUIT_AFTER_MS": "0",
            "XDG_CONFIG_HOME": str(Path(folder) / "config"),
            "XDG_STATE_HOME": str(Path(folder) / "state"),
        }
        subprocess.run(
            [sys.executable, "-m", "sro_desktop", "--db", str(database), "demo"],
            env=environment,
            check=True,
            capture_output=True,
        )
        ours_command = [sys.executable, "-m", "sro_desktop", "--db", str(database)]
        bare_command = [sys.executable, "-c", BARE_WINDOW]
        _time(bare_command, environment)  # warm the file cache for both
        _time(ours_command, environment)
        bare, ours = [], []
        for _ in range(runs):
            bare.append(_time(bare_command, environment))
            ours.append(_time(ours_command, environment))
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    ratio = ours_median / bare_median
    print(f"bare PySide6 window: median {bare_median * 1000:.0f} ms over {runs} runs")
    print(
        f"SRO Desktop window:  median {ours_median * 1000:.0f} ms over {runs} runs "
        "(demo database, 300 people)"
    )
    print(f"ratio: {ratio:.2f}x (budget 1.5x) -> {'OK' if ratio <= 1.5 else 'OVER BUDGET'}")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
