"""Build the standalone app for this system with PyInstaller (one-folder mode), then
smoke-test the frozen app: `--version`, demo data and `check` on a new database, and an
offscreen start.

    python packaging/build.py [--skip-smoke-test]

The bundle lands in dist/sro-desktop/. Installers are made from that folder: see README.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "sro-desktop"


def build() -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(ROOT / "packaging" / "sro-desktop.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    suffix = ".exe" if sys.platform == "win32" else ""
    return BUNDLE / f"sro-desktop{suffix}"


def smoke_test(executable: Path) -> None:
    """Fail loudly if the frozen app misses a module or a data file."""
    with tempfile.TemporaryDirectory() as folder:
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(Path(folder) / "config"),
            "XDG_DATA_HOME": str(Path(folder) / "data"),
            "XDG_STATE_HOME": str(Path(folder) / "state"),
            "SRO_DESKTOP_QUIT_AFTER_MS": "500",
        }
        database = str(Path(folder) / "smoke.sqlite3")
        steps = [
            [str(executable), "--version"],
            [str(executable), "--db", database, "demo"],
            [str(executable), "--db", database, "check"],
            [str(executable), "--db", database, "members", "list", "--status", "honorary"],
            [str(executable), "--db", database],
        ]
        for step in steps:
            result = subprocess.run(
                step, env=environment, capture_output=True, text=True, timeout=120, check=False
            )
            shown = " ".join(step[1:]) or "(start)"
            if result.returncode != 0 or "Traceback" in result.stderr:
                sys.exit(f"frozen app failed at '{shown}':\n{result.stdout}\n{result.stderr}")
            print(f"ok: sro-desktop {shown}: {result.stdout.strip().splitlines()[-1:] or ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-smoke-test", action="store_true")
    args = parser.parse_args()
    executable = build()
    if not args.skip_smoke_test:
        smoke_test(executable)
    print(f"built {BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
