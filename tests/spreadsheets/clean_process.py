"""Measuring a reader's peak memory honestly.

On Linux a process started from a large one (the test process grows to hundreds of MB)
reports the parent's size as its own peak (`ru_maxrss` survives fork and exec). So the
script runs two hops away: a small launcher starts it and reads its peak with wait4;
the script and the calamine workers it starts then descend from a small process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.monotonic()
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], *sys.argv[2:]],
                         stdout=subprocess.PIPE, text=True)
output = child.stdout.read()
child.stdout.close()
_pid, status, usage = os.wait4(child.pid, 0)
per_megabyte = 1024 * 1024 if sys.platform == "darwin" else 1024
print(json.dumps({"output": output, "seconds": time.monotonic() - started,
                  "exit": os.waitstatus_to_exitcode(status),
                  "megabytes": usage.ru_maxrss / per_megabyte}))
"""


def run_measured(script: str, *arguments: str) -> tuple[str, float, float]:
    """Run `script` with `arguments`; return its output, seconds and peak MB (itself and
    everything it started)."""
    result = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, script, *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    report = json.loads(result.stdout)
    assert report["exit"] == 0, report["output"]
    return str(report["output"]), float(report["seconds"]), float(report["megabytes"])
