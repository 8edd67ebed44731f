"""The wheel carries what the app needs at run time beside its code: the fonts that
certificates embed, the icons and the user guide (under share/sro-desktop/resources)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEEDED = [
    "resources/fonts/NotoSerif-Regular.ttf",
    "resources/fonts/OFL.txt",
    "resources/icons/sro-desktop-256.png",
    "resources/help/index.md",
]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", folder, str(ROOT)],
            check=True,
        )
        (wheel,) = Path(folder).glob("sro_desktop-*.whl")
        names = zipfile.ZipFile(wheel).namelist()
    missing = [
        needed
        for needed in NEEDED
        if not any(name.endswith("/data/share/sro-desktop/" + needed) for name in names)
    ]
    migrations = [name for name in names if "/migrations/versions/" in name]
    if missing or not migrations:
        print(f"the wheel lacks {missing or 'the migrations'}", file=sys.stderr)
        return 1
    print(f"ok: {wheel.name} carries the resources and {len(migrations)} migration files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
